// The reception wizard's rules: settings checks naming the field, the managers' order (free and
// at work first, busiest last), line states from stored calls, the operator's live leg, result
// codes in words, and the inquiry checks.
#include "connector/domain/reception.h"

#include <gtest/gtest.h>

#include "connector/domain/error.h"

namespace opdesk::reception {
namespace {

ReceptionSettings Sample() {
  ReceptionSettings s;
  s.service_types = {{"sales", "Продажи"}, {"repair", "Ремонт"}};
  s.departments = {{"2", {"sales"}, true, {}}, {"3", {"repair", "sales"}, false, {"7", "8"}}};
  return s;
}

std::string FieldOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    return e.field();
  }
  return "<no error>";
}

TEST(ReceptionSettingsTest, ValidSettingsPass) {
  EXPECT_NO_THROW(Validate(Sample()));
  EXPECT_NO_THROW(Validate(ReceptionSettings{}));
}

TEST(ReceptionSettingsTest, ErrorsNameTheField) {
  ReceptionSettings s = Sample();
  s.service_types[1].id = "sales";
  EXPECT_EQ(FieldOf([&] { Validate(s); }), "service_types[1].id");
  s = Sample();
  s.service_types[0].name = "  ";
  EXPECT_EQ(FieldOf([&] { Validate(s); }), "service_types[0].name");
  s = Sample();
  s.service_types[1].id = "bad id";
  EXPECT_EQ(FieldOf([&] { Validate(s); }), "service_types[1].id");
  s = Sample();
  s.departments[1].service_type_ids = {"repair", "unknown"};
  EXPECT_EQ(FieldOf([&] { Validate(s); }), "departments[1].service_type_ids[1]");
  s = Sample();
  s.departments[1].manager_ids.clear();
  EXPECT_EQ(FieldOf([&] { Validate(s); }), "departments[1].manager_ids");
  s = Sample();
  s.departments[1].department_id = "2";
  EXPECT_EQ(FieldOf([&] { Validate(s); }), "departments[1].department_id");
  s = Sample();
  s.departments[1].manager_ids = {"7", "x"};
  EXPECT_EQ(FieldOf([&] { Validate(s); }), "departments[1].manager_ids[1]");
}

TEST(ReceptionSettingsTest, DepartmentsServingAType) {
  const ReceptionSettings s = Sample();
  const auto sales = DepartmentsServing(s, "sales");
  ASSERT_EQ(sales.size(), 2u);
  EXPECT_EQ(sales[0]->department_id, "2");
  EXPECT_EQ(sales[1]->department_id, "3");
  EXPECT_EQ(DepartmentsServing(s, "repair").size(), 1u);
  EXPECT_TRUE(DepartmentsServing(s, "none").empty());
}

Manager M(const std::string& id, WorkDay day, std::optional<bool> online, LineState line) {
  Manager m;
  m.user_id = id;
  m.name = "M" + id;
  m.work_day = day;
  m.online = online;
  m.line = line;
  return m;
}

std::vector<std::string> Order(std::vector<Manager> ms) {
  OrderManagers(ms);
  std::vector<std::string> ids;
  for (const Manager& m : ms) {
    ids.push_back(m.user_id);
  }
  return ids;
}

TEST(ManagerOrderTest, FreeAndAtWorkFirstBusiestLast) {
  const std::vector<Manager> ms = {
      M("1", WorkDay::kOpened, true, LineState::kTalking),
      M("2", WorkDay::kClosed, false, LineState::kFree),
      M("3", WorkDay::kOpened, true, LineState::kFree),
      M("4", WorkDay::kPaused, true, LineState::kFree),
      M("5", WorkDay::kOpened, true, LineState::kRinging),
      M("6", WorkDay::kUnknown, std::nullopt, LineState::kFree),
      M("7", WorkDay::kOpened, false, LineState::kFree),
  };
  EXPECT_EQ(Order(ms), (std::vector<std::string>{"3", "7", "6", "4", "2", "5", "1"}));
}

TEST(ManagerOrderTest, EqualAvailabilityKeepsNameOrder) {
  Manager b = M("9", WorkDay::kOpened, true, LineState::kFree);
  b.name = "Борис";
  Manager a = M("10", WorkDay::kOpened, true, LineState::kFree);
  a.name = "Анна";
  EXPECT_EQ(Order({b, a}), (std::vector<std::string>{"10", "9"}));
}

calls::Leg L(const std::string& id, const std::string& ext, mango::CallState state,
             bool ended = false) {
  calls::Leg leg;
  leg.call_id = id;
  leg.extension = ext;
  leg.state = state;
  leg.ended = ended;
  leg.connected = state == mango::CallState::kConnected;
  return leg;
}

TEST(LineStatesTest, TalkingOutranksRingingAndEndedLegsAreFree) {
  calls::Call a;
  a.legs["a1"] = L("a1", "101", mango::CallState::kConnected);
  a.legs["a2"] = L("a2", "102", mango::CallState::kAppeared);
  a.legs["a3"] = L("a3", "104", mango::CallState::kDisconnected, true);
  calls::Call b;
  b.legs["b1"] = L("b1", "102", mango::CallState::kOnHold);
  b.legs["b2"] = L("b2", "", mango::CallState::kConnected);  // the IVR: no employee
  calls::Call finished;
  finished.finished = true;
  finished.legs["f1"] = L("f1", "103", mango::CallState::kConnected);
  const auto lines = LineStates({a, b, finished});
  EXPECT_EQ(lines.at("101"), LineState::kTalking);
  EXPECT_EQ(lines.at("102"), LineState::kTalking);
  EXPECT_EQ(lines.count("103"), 0u);
  EXPECT_EQ(lines.count("104"), 0u);
  EXPECT_EQ(lines.count(""), 0u);
}

TEST(OperatorLegTest, OnlyTheOperatorsConnectedLeg) {
  calls::Call c;
  c.legs["x"] = L("x", "102", mango::CallState::kAppeared);
  EXPECT_EQ(OperatorLeg(c, "102"), nullptr);
  c.legs["y"] = L("y", "102", mango::CallState::kConnected);
  ASSERT_NE(OperatorLeg(c, "102"), nullptr);
  EXPECT_EQ(OperatorLeg(c, "102")->call_id, "y");
  EXPECT_EQ(OperatorLeg(c, "103"), nullptr);
  EXPECT_EQ(OperatorLeg(c, ""), nullptr);
  c.finished = true;
  EXPECT_EQ(OperatorLeg(c, "102"), nullptr);
}

TEST(TransferResultTest, CodesInWords) {
  EXPECT_EQ(OutcomeOfResult(0), TransferOutcome::kPending);
  EXPECT_EQ(OutcomeOfResult(1000), TransferOutcome::kDone);
  EXPECT_EQ(OutcomeOfResult(4101), TransferOutcome::kFailed);
  EXPECT_EQ(ResultMeaning(4101, "ru"), "Звонок уже завершён");
  EXPECT_EQ(ResultMeaning(4101, "en"), "The call has already ended");
  EXPECT_NE(ResultMeaning(2240, "en").find("billing"), std::string::npos);
  EXPECT_NE(ResultMeaning(3200, "en").find("Wrong number"), std::string::npos);
  EXPECT_NE(ResultMeaning(4100, "en").find("not possible"), std::string::npos);
  EXPECT_NE(ResultMeaning(4001, "en").find("cannot carry out"), std::string::npos);
  EXPECT_NE(ResultMeaning(5003, "ru").find("Сбой"), std::string::npos);
  // Different classes say different things.
  EXPECT_NE(ResultMeaning(2210, "en"), ResultMeaning(5001, "en"));
}

Inquiry Good() {
  Inquiry q;
  q.request_id = "req-1";
  q.topic = "Нужен ремонт";
  q.email = "ivan@example.ru";
  q.manager_user_id = "3";
  q.service_type_id = "repair";
  return q;
}

TEST(InquiryTest, ChecksNameTheField) {
  const ReceptionSettings s = Sample();
  EXPECT_NO_THROW(ValidateInquiry(Good(), s));
  Inquiry q = Good();
  q.topic = " ";
  EXPECT_EQ(FieldOf([&] { ValidateInquiry(q, s); }), "topic");
  q = Good();
  q.email = "ivan@example";
  EXPECT_EQ(FieldOf([&] { ValidateInquiry(q, s); }), "email");
  q.email = "a@b@c.ru";
  EXPECT_EQ(FieldOf([&] { ValidateInquiry(q, s); }), "email");
  q = Good();
  q.email.clear();
  EXPECT_NO_THROW(ValidateInquiry(q, s));
  q = Good();
  q.manager_user_id = "";
  EXPECT_EQ(FieldOf([&] { ValidateInquiry(q, s); }), "user_id");
  q = Good();
  q.service_type_id = "cooking";
  EXPECT_EQ(FieldOf([&] { ValidateInquiry(q, s); }), "service_type");
  q = Good();
  q.request_id = "with space";
  EXPECT_EQ(FieldOf([&] { ValidateInquiry(q, s); }), "request_id");
  q = Good();
  q.name = std::string(101, 'x');
  EXPECT_EQ(FieldOf([&] { ValidateInquiry(q, s); }), "name");
}

}  // namespace
}  // namespace opdesk::reception
