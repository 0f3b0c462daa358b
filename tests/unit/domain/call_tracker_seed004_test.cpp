// Seed 004 read to the letter in the call model: the route to the responsible is asked for once,
// when an inbound call appears in the greeting (B5); an answered call's client is asked for
// right after the answer, not at the end (B1); a known number's deal (B3) is asked for as well;
// B9 chooses nobody without auto-creation.
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

mango::SummaryEvent Summary(long long talk, const std::string& to_ext) {
  mango::SummaryEvent s;
  s.entry_id = "entry-1";
  s.call_direction = 1;
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

std::string Describe(const std::vector<Intent>& intents) {
  std::string out;
  for (const Intent& i : intents) {
    static const char* kKinds[] = {"register", "show", "hide", "client", "finish", "route"};
    std::string text = kKinds[static_cast<int>(i.kind)];
    if (i.kind == IntentKind::kCreateClient) {
      static const char* kActions[] = {"none", "lead", "client", "client_and_deal"};
      static const char* kRepeated[] = {"never", "always", "if_none_open"};
      text += std::string(":") + kActions[static_cast<int>(i.client_action)] + ":" +
              kRepeated[static_cast<int>(i.repeated_deal)];
    }
    if (i.kind == IntentKind::kRoute) {
      text += ":" + i.call_id;
    } else {
      text += ":" + i.extension;
    }
    out += (out.empty() ? "" : " ") + text;
  }
  return out;
}

TEST(RouteIntentTest, AnInboundCallInTheGreetingAsksForTheRouteOnce) {
  FinishPolicy policy;
  policy.route_to_responsible = true;
  Call call;
  EXPECT_EQ(
      Describe(ApplyCallEvent(call,
                              Leg("A1", 1, CallState::kAppeared, Location::kIvr, "", 1'700'000'000),
                              policy)
                   .intents),
      "route:A1");
  EXPECT_TRUE(call.route_requested);
  EXPECT_EQ(
      Describe(ApplyCallEvent(call,
                              Leg("A1", 2, CallState::kAppeared, Location::kIvr, "", 1'700'000'001),
                              policy)
                   .intents),
      "")
      << "a repeated greeting event asks no second route";
  EXPECT_EQ(Describe(ApplyCallEvent(call,
                                    Leg("A2", 1, CallState::kAppeared, Location::kAbonent, "102",
                                        1'700'000'005),
                                    policy)
                         .intents),
            "register:102")
      << "the routed leg rings the responsible as any other call";
}

TEST(RouteIntentTest, NoRouteWhenOffOutgoingOrHidden) {
  Call off;
  EXPECT_EQ(Describe(ApplyCallEvent(
                         off, Leg("A1", 1, CallState::kAppeared, Location::kIvr, "", 1'700'000'000))
                         .intents),
            "");
  FinishPolicy policy;
  policy.route_to_responsible = true;
  Call outgoing;
  CallEvent e = Leg("O1", 1, CallState::kAppeared, Location::kIvr, "", 1'700'000'000);
  e.from.extension = "101";
  e.to.number = "79005550001";
  EXPECT_EQ(Describe(ApplyCallEvent(outgoing, e, policy).intents), "");
  Call hidden;
  CallEvent h = Leg("H1", 1, CallState::kAppeared, Location::kIvr, "", 1'700'000'000);
  h.from.number = "";
  EXPECT_EQ(Describe(ApplyCallEvent(hidden, h, policy).intents), "") << "no number to look up";
  Call ringing;
  EXPECT_EQ(Describe(ApplyCallEvent(ringing,
                                    Leg("R1", 1, CallState::kAppeared, Location::kAbonent, "102",
                                        1'700'000'000),
                                    policy)
                         .intents),
            "register:102")
      << "a call that rings an employee at once is not in a greeting";
}

TEST(AnswerTimeClientTest, TheClientIsAskedForRightAfterTheAnswer) {
  FinishPolicy policy;
  policy.answered_new_number = ClientAction::kClient;
  Call call;
  ApplyCallEvent(call, Leg("A1", 1, CallState::kAppeared, Location::kIvr, "", 1'700'000'000),
                 policy);
  ApplyCallEvent(call, Leg("A2", 1, CallState::kAppeared, Location::kAbonent, "102", 1'700'000'005),
                 policy);
  EXPECT_EQ(Describe(ApplyCallEvent(call,
                                    Leg("A2", 2, CallState::kConnected, Location::kAbonent, "102",
                                        1'700'000'010),
                                    policy)
                         .intents),
            "client:client:never:102")
      << "«Клиент создается сразу после приема вызова сотрудником»";
  // A transfer to a second employee asks for nothing more; nor does the summary.
  ApplyCallEvent(call, Leg("A3", 1, CallState::kAppeared, Location::kAbonent, "103", 1'700'000'040),
                 policy);
  ApplyCallEvent(
      call, Leg("A3", 2, CallState::kConnected, Location::kAbonent, "103", 1'700'000'041), policy);
  EXPECT_EQ(Describe(ApplySummary(call, Summary(50, "103"), policy).intents), "finish:102");
}

TEST(AnswerTimeClientTest, WithB7TheLastHandlerIsKnownOnlyAtTheSummary) {
  FinishPolicy policy;
  policy.answered_new_number = ClientAction::kClient;
  policy.responsible_is_last_handler = true;
  Call call;
  ApplyCallEvent(call, Leg("A2", 1, CallState::kAppeared, Location::kAbonent, "102", 1'700'000'005),
                 policy);
  EXPECT_EQ(Describe(ApplyCallEvent(call,
                                    Leg("A2", 2, CallState::kConnected, Location::kAbonent, "102",
                                        1'700'000'010),
                                    policy)
                         .intents),
            "");
  ApplyCallEvent(call, Leg("A3", 1, CallState::kAppeared, Location::kAbonent, "103", 1'700'000'040),
                 policy);
  ApplyCallEvent(
      call, Leg("A3", 2, CallState::kConnected, Location::kAbonent, "103", 1'700'000'041), policy);
  EXPECT_EQ(Describe(ApplySummary(call, Summary(50, "103"), policy).intents),
            "client:client:never:103 finish:103");
}

TEST(RepeatedCallTest, AKnownNumbersDealIsAskedForAtTheAnswerAndForMissedCallsAtTheEnd) {
  FinishPolicy policy;
  policy.repeated_call_deal = RepeatedCallDeal::kIfNoneOpen;
  Call answered;
  ApplyCallEvent(answered,
                 Leg("A2", 1, CallState::kAppeared, Location::kAbonent, "102", 1'700'000'005),
                 policy);
  EXPECT_EQ(Describe(ApplyCallEvent(answered,
                                    Leg("A2", 2, CallState::kConnected, Location::kAbonent, "102",
                                        1'700'000'010),
                                    policy)
                         .intents),
            "client:none:if_none_open:102")
      << "the job finds out whether the number is known";
  Call missed;
  ApplyCallEvent(
      missed, Leg("M1", 1, CallState::kAppeared, Location::kAbonent, "102", 1'700'000'005), policy);
  EXPECT_EQ(Describe(ApplySummary(missed, Summary(0, "102"), policy).intents),
            "client:none:if_none_open:102 finish:102");
  Call never;
  ApplyCallEvent(never,
                 Leg("N1", 1, CallState::kAppeared, Location::kAbonent, "102", 1'700'000'005),
                 FinishPolicy{});
  EXPECT_EQ(Describe(ApplySummary(never, Summary(0, "102"), FinishPolicy{}).intents), "finish:102");
}

TEST(B9Test, TheGroupEmployeeIsChosenOnlyWithAutoCreation) {
  FinishPolicy policy;
  policy.missed_in_group_extension = "104";
  Call group;
  ApplyCallEvent(
      group, Leg("G1", 1, CallState::kAppeared, Location::kAbonent, "102", 1'700'000'005, "500"));
  ApplyCallEvent(
      group, Leg("G2", 1, CallState::kAppeared, Location::kAbonent, "103", 1'700'000'006, "500"));
  Call copy = group;
  EXPECT_EQ(Describe(ApplySummary(group, Summary(0, "102"), policy).intents), "finish:102")
      << "B2 off: B9 does not apply, the first employee offered";
  policy.missed_new_number = ClientAction::kClient;
  EXPECT_EQ(Describe(ApplySummary(copy, Summary(0, "102"), policy).intents),
            "client:client:never:104 finish:104");
}

}  // namespace
}  // namespace opdesk::calls
