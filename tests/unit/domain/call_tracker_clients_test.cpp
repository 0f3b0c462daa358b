// What the call model asks the CRM to create for a new number when a call ends (FEATURES B1, B2,
// B8, B9, B10): the action per outcome and direction, its responsible (the same employee as the
// finish), and that the creation comes after the register and before the finish, once.
#include <gtest/gtest.h>

#include "connector/domain/call_tracker.h"

namespace opdesk::calls {
namespace {

using mango::CallEvent;
using mango::CallState;
using mango::Location;

CallEvent Leg(const std::string& call_id, long long seq, CallState state, Location location,
              const std::string& to_ext, long long at, const std::string& acd_group = "") {
  CallEvent e;
  e.entry_id = "entry-1";
  e.call_id = call_id;
  e.seq = seq;
  e.timestamp = at;
  e.state = state;
  e.location = location;
  e.from.number = "79005550001";
  e.to.line_number = "74951234567";
  e.to.extension = to_ext;
  e.to.acd_group = acd_group;
  return e;
}

mango::SummaryEvent Summary(long long talk, const std::string& to_ext, int direction = 1) {
  mango::SummaryEvent s;
  s.entry_id = "entry-1";
  s.call_direction = direction;
  s.from.number = "79005550001";
  s.to.extension = to_ext;
  s.line_number = "74951234567";
  s.create_time = 1'700'000'000;
  s.talk_time = talk;
  s.end_time = 1'700'000'095;
  s.entry_result = talk > 0 ? 1 : 0;
  s.disconnect_reason = talk > 0 ? 1110 : 1111;
  return s;
}

// The intents of the summary, as "register:ext client:action:ext finish:ext".
std::string Close(Call& call, const mango::SummaryEvent& summary, const FinishPolicy& policy) {
  std::string out;
  for (const Intent& i : ApplySummary(call, summary, policy).intents) {
    std::string kind = i.kind == IntentKind::kRegister       ? "register"
                       : i.kind == IntentKind::kCreateClient ? "client"
                       : i.kind == IntentKind::kFinish       ? "finish"
                                                             : "other";
    if (i.kind == IntentKind::kCreateClient) {
      static const char* kActions[] = {"none", "lead", "client", "client_and_deal"};
      kind += std::string(":") + kActions[static_cast<int>(i.client_action)];
    }
    out += (out.empty() ? "" : " ") + kind + ":" + i.extension;
  }
  return out;
}

Call Answered(const std::string& first, const std::string& second = "") {
  Call call;
  ApplyCallEvent(call, Leg("A1", 1, CallState::kAppeared, Location::kIvr, "", 1'700'000'000));
  ApplyCallEvent(call,
                 Leg("A2", 1, CallState::kAppeared, Location::kAbonent, first, 1'700'000'005));
  ApplyCallEvent(call,
                 Leg("A2", 2, CallState::kConnected, Location::kAbonent, first, 1'700'000'010));
  if (!second.empty()) {
    ApplyCallEvent(call,
                   Leg("A3", 1, CallState::kAppeared, Location::kAbonent, second, 1'700'000'040));
    ApplyCallEvent(call,
                   Leg("A3", 2, CallState::kConnected, Location::kAbonent, second, 1'700'000'041));
  }
  return call;
}

TEST(CallClientRulesTest, NothingIsCreatedByDefault) {
  Call call = Answered("102");
  EXPECT_EQ(Close(call, Summary(1'700'000'010, "102"), {}), "finish:102");
}

TEST(CallClientRulesTest, AnsweredNewNumberCreatesWhatB1SaysForTheFirstOrLastHandler) {
  FinishPolicy policy;
  policy.answered_new_number = ClientAction::kClientAndDeal;
  Call first = Answered("102", "103");
  EXPECT_EQ(Close(first, Summary(1'700'000'010, "103"), policy),
            "client:client_and_deal:102 finish:102")
      << "B7 off: the first employee who talked is responsible";
  policy.responsible_is_last_handler = true;
  policy.answered_new_number = ClientAction::kLead;
  Call last = Answered("102", "103");
  EXPECT_EQ(Close(last, Summary(1'700'000'010, "103"), policy), "client:lead:103 finish:103");
}

TEST(CallClientRulesTest, MissedNewNumberFollowsB2AndGoesToTheB9EmployeeInAGroup) {
  FinishPolicy policy;
  policy.missed_new_number = ClientAction::kClient;
  Call group;
  ApplyCallEvent(
      group, Leg("G1", 1, CallState::kAppeared, Location::kAbonent, "102", 1'700'000'005, "500"));
  ApplyCallEvent(
      group, Leg("G2", 1, CallState::kAppeared, Location::kAbonent, "103", 1'700'000'005, "500"));
  Call copy = group;
  EXPECT_EQ(Close(group, Summary(0, "102"), policy), "client:client:102 finish:102")
      << "B9 off: the first employee the call was offered to";
  policy.missed_in_group_extension = "104";
  EXPECT_EQ(Close(copy, Summary(0, "102"), policy), "client:client:104 finish:104");
  policy.missed_new_number = ClientAction::kNone;
  Call none;
  ApplyCallEvent(none,
                 Leg("S1", 1, CallState::kAppeared, Location::kAbonent, "102", 1'700'000'005));
  EXPECT_EQ(Close(none, Summary(0, "102"), policy), "finish:102");
}

TEST(CallClientRulesTest,
     MissedInIvrCreatesNothingWithB8OffAndWhatB2SaysForTheChosenEmployeeWithB8On) {
  FinishPolicy policy;
  policy.missed_new_number = ClientAction::kClientAndDeal;
  Call off;
  ApplyCallEvent(off, Leg("I1", 1, CallState::kAppeared, Location::kIvr, "", 1'700'000'000));
  EXPECT_EQ(Close(off, Summary(0, ""), policy), "register: finish:")
      << "B8 off: recorded for the default user, nothing created";
  policy.missed_in_ivr_extension = "103";
  Call on;
  ApplyCallEvent(on, Leg("I1", 1, CallState::kAppeared, Location::kIvr, "", 1'700'000'000));
  EXPECT_EQ(Close(on, Summary(0, ""), policy),
            "register:103 client:client_and_deal:103 finish:103");
  policy.missed_new_number = ClientAction::kNone;
  Call at_least_a_client;
  ApplyCallEvent(at_least_a_client,
                 Leg("I1", 1, CallState::kAppeared, Location::kIvr, "", 1'700'000'000));
  EXPECT_EQ(Close(at_least_a_client, Summary(0, ""), policy), "register: finish:")
      << "seed 004: B8 applies only when missed calls create clients (B2); it never creates by "
         "itself, nor chooses the call's employee";
}

TEST(CallClientRulesTest, OutgoingToANewNumberCreatesAClientForTheCallerOnlyWithB10) {
  auto outgoing = [] {
    Call call;
    CallEvent e = Leg("O1", 1, CallState::kAppeared, Location::kAbonent, "", 1'700'000'000);
    e.from = {};
    e.from.extension = "102";
    e.to.number = "79005550002";
    ApplyCallEvent(call, e);
    return call;
  };
  mango::SummaryEvent s = Summary(1'700'000'010, "", 2);
  s.from = {};
  s.from.extension = "102";
  s.to.number = "79005550002";
  FinishPolicy policy;
  policy.answered_new_number = ClientAction::kClientAndDeal;  // not for outgoing calls
  Call off = outgoing();
  EXPECT_EQ(Close(off, s, policy), "finish:102");
  policy.outgoing_new_number = true;
  Call on = outgoing();
  EXPECT_EQ(Close(on, s, policy), "client:client:102 finish:102");
}

TEST(CallClientRulesTest, HiddenNumbersAndInternalCallsCreateNothingAndASecondSummaryNothingMore) {
  FinishPolicy policy;
  policy.answered_new_number = ClientAction::kClient;
  policy.missed_new_number = ClientAction::kClient;
  policy.outgoing_new_number = true;
  Call hidden;
  CallEvent e = Leg("H1", 1, CallState::kAppeared, Location::kAbonent, "102", 1'700'000'000);
  e.from.number.clear();
  ApplyCallEvent(hidden, e);
  mango::SummaryEvent s = Summary(0, "102");
  s.from.number.clear();
  EXPECT_EQ(Close(hidden, s, policy), "finish:102");
  EXPECT_EQ(Close(hidden, s, policy), "") << "the summary was applied already";
  Call internal;
  CallEvent i = Leg("X1", 1, CallState::kAppeared, Location::kAbonent, "103", 1'700'000'000);
  i.from.extension = "102";
  ApplyCallEvent(internal, i);
  EXPECT_EQ(Close(internal, Summary(1'700'000'010, "103", 0), policy), "");
  EXPECT_EQ(ClientActionFor(Call{}, policy), ClientAction::kNone) << "no outcome yet";
}

}  // namespace
}  // namespace opdesk::calls
