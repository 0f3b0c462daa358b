// The rules of the dialing tasks' CRM groups (FEATURES F3): a CRM filter checked against the
// CRM's field list, naming the member at fault; the number dialed for a CRM contact; which
// contacts of a fetched page become task contacts.
#include <gtest/gtest.h>

#include "connector/domain/campaign_crm.h"
#include "connector/domain/error.h"

namespace opdesk::campaigns {
namespace {

const std::vector<FilterField> kFields = {{"NAME", "string"},         {"PHONE", "crm_multifield"},
                                          {"BIRTHDATE", "date"},      {"DATE_CREATE", "datetime"},
                                          {"ASSIGNED_BY_ID", "user"}, {"UF_CRM_SCORE", "integer"}};

std::string FieldOf(const std::vector<FilterCondition>& conditions) {
  try {
    ValidateFilter(conditions, kFields);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    return e.field();
  }
  return "";
}

TEST(CrmFilter, AcceptsEveryOperatorOnAFieldThatTakesIt) {
  EXPECT_EQ(FieldOf({{"NAME", FilterOp::kEq, "Иван"},
                     {"NAME", FilterOp::kContains, "Ив"},
                     {"PHONE", FilterOp::kNotEmpty, ""},
                     {"BIRTHDATE", FilterOp::kAfter, "1990-01-01"},
                     {"DATE_CREATE", FilterOp::kBefore, "2026-12-31"},
                     {"UF_CRM_SCORE", FilterOp::kAfter, "10"},
                     {"ASSIGNED_BY_ID", FilterOp::kEq, "3"},
                     {"BIRTHDATE", FilterOp::kEmpty, ""}}),
            "");
}

TEST(CrmFilter, NamesTheConditionAtFault) {
  EXPECT_EQ(FieldOf({}), "crm_filter.conditions");
  EXPECT_EQ(FieldOf(std::vector<FilterCondition>(11, {"NAME", FilterOp::kNotEmpty, ""})),
            "crm_filter.conditions");
  EXPECT_EQ(FieldOf({{"NAME", FilterOp::kEq, "a"}, {"COLOUR", FilterOp::kEq, "red"}}),
            "crm_filter.conditions[1].field");
  EXPECT_EQ(FieldOf({{"NAME", FilterOp::kEq, "a"}, {"NAME", FilterOp::kEq, "b"}}),
            "crm_filter.conditions[1].field");
  EXPECT_EQ(FieldOf({{"NAME", FilterOp::kEq, ""}}), "crm_filter.conditions[0].value");
  EXPECT_EQ(FieldOf({{"NAME", FilterOp::kEmpty, "x"}}), "crm_filter.conditions[0].value");
  EXPECT_EQ(FieldOf({{"NAME", FilterOp::kBefore, "2020-01-01"}}), "crm_filter.conditions[0].op");
  EXPECT_EQ(FieldOf({{"BIRTHDATE", FilterOp::kContains, "19"}}), "crm_filter.conditions[0].op");
  EXPECT_EQ(FieldOf({{"BIRTHDATE", FilterOp::kAfter, "01.02.1990"}}),
            "crm_filter.conditions[0].value");
  EXPECT_EQ(FieldOf({{"BIRTHDATE", FilterOp::kAfter, "1990-13-01"}}),
            "crm_filter.conditions[0].value");
  EXPECT_EQ(FieldOf({{"UF_CRM_SCORE", FilterOp::kEq, "ten"}}), "crm_filter.conditions[0].value");
  EXPECT_EQ(FieldOf({{"NAME", FilterOp::kEq, std::string(201, 'a')}}),
            "crm_filter.conditions[0].value");
}

TEST(CrmFilter, OperatorsReadAndWriteTheirNames) {
  for (FilterOp op : {FilterOp::kEq, FilterOp::kContains, FilterOp::kEmpty, FilterOp::kNotEmpty,
                      FilterOp::kBefore, FilterOp::kAfter}) {
    EXPECT_EQ(FilterOpFrom(ToString(op)), op);
  }
  EXPECT_FALSE(FilterOpFrom("like"));
  EXPECT_EQ(std::string(ToString(FilterOp::kNotEmpty)), "not_empty");
}

TEST(CrmContactNumber, TheFirstNumberThatIsAPhoneIsDialed) {
  EXPECT_EQ(FirstPhone({"нет", "8 (900) 123-45-67", "+79990000000"}), "+79001234567");
  EXPECT_FALSE(FirstPhone({}));
  EXPECT_FALSE(FirstPhone({"доб. 12"}));
}

TEST(CrmFilterPage, AddsEachContactOnceByIdAndByNumber) {
  const std::vector<PageContact> page = {
      {"10", "Иван", {"+79001234567"}},      {"11", "Пётр", {}},  // no number: not added
      {"12", "Анна", {"89002223344"}},        // the task has this number already
      {"13", "Олег", {"+79005556677"}},       // the task has this CRM contact already
      {"14", "Мария", {"+7 900 123 45 67"}},  // the same number as Иван, earlier in the page
      {"15", "Юрий", {"x", "+79007778899"}}};
  const MaterialisePlan plan = Materialise(page, {"13"}, {"+79002223344"});
  ASSERT_EQ(plan.add.size(), 2u);
  EXPECT_EQ(plan.add[0].crm_id, "10");
  EXPECT_EQ(plan.add[0].phone, "+79001234567");
  EXPECT_EQ(plan.add[1].crm_id, "15");
  EXPECT_EQ(plan.add[1].phone, "+79007778899");
  EXPECT_EQ(plan.duplicates, 3u);
  EXPECT_EQ(plan.without_phone, 1u);
}

TEST(CrmIds, AreDecimalWithoutLeadingZeros) {
  EXPECT_TRUE(IsCrmId("1"));
  EXPECT_TRUE(IsCrmId("123456"));
  EXPECT_FALSE(IsCrmId(""));
  EXPECT_FALSE(IsCrmId("012"));
  EXPECT_FALSE(IsCrmId("1a"));
  EXPECT_FALSE(IsCrmId("-1"));
  EXPECT_EQ(CrmDedupeKey("42"), "contact:42");
}

}  // namespace
}  // namespace opdesk::campaigns
