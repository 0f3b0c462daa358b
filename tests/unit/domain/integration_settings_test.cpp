// The form rules of the integration settings: every bad value names its field.
#include <gtest/gtest.h>

#include "connector/domain/error.h"
#include "connector/domain/integration_settings.h"

namespace opdesk {
namespace {

std::string FieldOf(const IntegrationSettings& s) {
  try {
    Validate(s);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    return e.field();
  }
  return "";
}

TEST(IntegrationSettingsTest, DefaultsAreValidAndCreateNothing) {
  IntegrationSettings s;
  EXPECT_EQ(FieldOf(s), "");
  calls::FinishPolicy p = ToFinishPolicy(s);
  EXPECT_EQ(p.answered_new_number, calls::ClientAction::kNone);
  EXPECT_EQ(p.missed_new_number, calls::ClientAction::kNone);
  EXPECT_FALSE(p.outgoing_new_number);
}

TEST(IntegrationSettingsTest, EachBadValueNamesItsField) {
  auto with = [](auto change) {
    IntegrationSettings s;
    change(s);
    return FieldOf(s);
  };
  EXPECT_EQ(with([](auto& s) { s.missed_in_ivr_extension = "10a"; }), "missed_in_ivr_extension");
  EXPECT_EQ(with([](auto& s) { s.missed_in_group_extension = std::string(17, '1'); }),
            "missed_in_group_extension");
  EXPECT_EQ(with([](auto& s) { s.catch_all_user_id = "admin"; }), "catch_all_user_id");
  EXPECT_EQ(with([](auto& s) { s.unmapped_calls = UnmappedCalls::kCatchAllCard; }),
            "unmapped_employee_calls")
      << "a card for nobody";
  EXPECT_EQ(with([](auto& s) {
              s.crm_source_by_line = {{"+7495", "CALL"}};
            }),
            "crm_source_by_line");
  EXPECT_EQ(with([](auto& s) {
              s.crm_source_by_line = {{"74951234567", "bad source"}};
            }),
            "crm_source_by_line");
  EXPECT_EQ(with([](auto& s) { s.deal_category_id = "one"; }), "deal_category_id");
  EXPECT_EQ(with([](auto& s) { s.deal_stage_id = "C1:NEW"; }), "deal_stage_id")
      << "a stage of another pipeline";
  EXPECT_EQ(with([](auto& s) {
              s.deal_category_id = "2";
              s.deal_stage_id = "C1:NEW";
            }),
            "deal_stage_id");
  EXPECT_EQ(with([](auto& s) {
              s.deal_category_id = "1";
              s.deal_stage_id = "12";
            }),
            "")
      << "a Megaplan status: a plain number of any scheme (checked against the CRM's list)";
  EXPECT_EQ(with([](auto& s) { s.deal_stage_id = "12 "; }), "deal_stage_id");
  EXPECT_EQ(with([](auto& s) { s.callback_extension = "x"; }), "callback_extension");
  EXPECT_EQ(with([](auto& s) {
              s.callback_extension = "102";
              s.callback_group = "500";
              s.callback_line_number = "74951234567";
            }),
            "callback_group");
  EXPECT_EQ(with([](auto& s) { s.callback_group = "500"; }), "callback_line_number");
  EXPECT_EQ(with([](auto& s) {
              s.catch_all_user_id = "3";
              s.unmapped_calls = UnmappedCalls::kCatchAllCard;
              s.deal_category_id = "1";
              s.deal_stage_id = "C1:NEW";
              s.crm_source_by_line = {{"74951234567", "UC_8Z3K2L"}};
              s.callback_group = "500";
              s.callback_line_number = "74951234567";
            }),
            "");
}

TEST(IntegrationSettingsTest, NamesRoundTrip) {
  for (auto a : {calls::ClientAction::kNone, calls::ClientAction::kLead,
                 calls::ClientAction::kClient, calls::ClientAction::kClientAndDeal}) {
    EXPECT_EQ(ClientActionFromString(ToString(a)), a);
  }
  EXPECT_FALSE(ClientActionFromString("contact"));
  EXPECT_EQ(UnmappedCallsFromString("catch_all_card"), UnmappedCalls::kCatchAllCard);
  EXPECT_FALSE(UnmappedCallsFromString(""));
  EXPECT_EQ(DealStageEntity("0"), "DEAL_STAGE");
  EXPECT_EQ(DealStageEntity("3"), "DEAL_STAGE_3");
}

}  // namespace
}  // namespace opdesk
