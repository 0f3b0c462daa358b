// The call model over the call shapes of reference mango.md §2.8: what the CRM is told and when,
// and that duplicates and any delivery order lead to the same result.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "connector/domain/call_tracker.h"

namespace opdesk::calls {
namespace {

using mango::CallEvent;
using mango::CallState;
using mango::Location;

constexpr const char* kClient = "79001234567";
constexpr const char* kLine = "74951234567";

// Builds legs of one call; seq counts per leg like Mango's.
class CallScript {
 public:
  CallEvent Leg(const std::string& call_id, CallState state, Location location,
                const std::string& to_extension, int reason = 0) {
    CallEvent e;
    e.entry_id = "entry-1";
    e.call_id = call_id;
    e.seq = ++seq_[call_id];
    e.timestamp = 1'700'000'000 + static_cast<long long>(events_.size());
    e.state = state;
    e.location = location;
    e.from.number = kClient;
    e.to.line_number = kLine;
    e.to.extension = to_extension;
    e.disconnect_reason = reason;
    events_.push_back(e);
    return e;
  }
  CallEvent Outgoing(const std::string& call_id, CallState state, int reason = 0) {
    CallEvent e;
    e.entry_id = "entry-2";
    e.call_id = call_id;
    e.seq = ++seq_[call_id];
    e.state = state;
    e.location = Location::kAbonent;
    e.from.extension = "102";
    e.to.number = kClient;
    e.to.line_number = kLine;
    e.disconnect_reason = reason;
    events_.push_back(e);
    return e;
  }
  const std::vector<CallEvent>& events() const { return events_; }

 private:
  std::map<std::string, long long> seq_;
  std::vector<CallEvent> events_;
};

mango::SummaryEvent Summary(int result, long long talk, int reason, const std::string& to_ext,
                            int direction = 1) {
  mango::SummaryEvent s;
  s.entry_id = "entry-1";
  s.call_direction = direction;
  s.from.number = kClient;
  s.to.extension = to_ext;
  s.line_number = kLine;
  s.create_time = 1'700'000'000;
  s.forward_time = talk > 0 ? 1'700'000'005 : 0;
  s.talk_time = talk;
  s.end_time = 1'700'000'095;
  s.entry_result = result;
  s.disconnect_reason = reason;
  return s;
}

std::vector<Intent> ApplyAll(Call& call, const std::vector<CallEvent>& events) {
  std::vector<Intent> out;
  for (const CallEvent& e : events) {
    Applied a = ApplyCallEvent(call, e);
    out.insert(out.end(), a.intents.begin(), a.intents.end());
  }
  return out;
}

std::string Describe(const std::vector<Intent>& intents) {
  std::string out;
  for (const Intent& i : intents) {
    const char* kind = i.kind == IntentKind::kRegister       ? "register"
                       : i.kind == IntentKind::kShow         ? "show"
                       : i.kind == IntentKind::kHide         ? "hide"
                       : i.kind == IntentKind::kCreateClient ? "client"
                                                             : "finish";
    out += std::string(out.empty() ? "" : " ") + kind + ":" + i.extension;
  }
  return out;
}

TEST(CallTrackerTest, InboundAnsweredAfterIvrRegistersOnceForTheRingingOperator) {
  CallScript s;
  s.Leg("A1", CallState::kAppeared, Location::kIvr, "");
  s.Leg("A1", CallState::kDisconnected, Location::kIvr, "", 1100);
  s.Leg("A2", CallState::kAppeared, Location::kAbonent, "102");
  s.Leg("A2", CallState::kConnected, Location::kAbonent, "102");
  s.Leg("A2", CallState::kDisconnected, Location::kAbonent, "102", 1110);
  Call call;
  std::vector<Intent> intents = ApplyAll(call, s.events());
  EXPECT_EQ(Describe(intents), "register:102");
  EXPECT_EQ(call.direction, Direction::kInbound);
  EXPECT_EQ(call.client_number, kClient);
  EXPECT_EQ(call.line_number, kLine);
  Applied done = ApplySummary(call, Summary(1, 1'700'000'010, 1110, "102"), {});
  EXPECT_EQ(Describe(done.intents), "finish:102");
  ASSERT_TRUE(call.outcome);
  EXPECT_TRUE(call.outcome->talked);
  EXPECT_EQ(call.outcome->duration_s, 85);
  EXPECT_EQ(call.outcome->status_code, "200");
}

TEST(CallTrackerTest, CallerLostInIvrIsRegisteredWithoutCardAndFinishedAsMissed) {
  CallScript s;
  s.Leg("A1", CallState::kAppeared, Location::kIvr, "");
  s.Leg("A1", CallState::kDisconnected, Location::kIvr, "", 1110);
  Call call;
  EXPECT_TRUE(ApplyAll(call, s.events()).empty()) << "nobody's phone rang";
  Applied done = ApplySummary(call, Summary(1, 0, 1170, ""), {});
  ASSERT_EQ(done.intents.size(), 2u);
  EXPECT_EQ(done.intents[0].kind, IntentKind::kRegister);
  EXPECT_FALSE(done.intents[0].show_card);
  EXPECT_EQ(done.intents[0].extension, "") << "the tenant's default user";
  EXPECT_EQ(done.intents[1].kind, IntentKind::kFinish);
  EXPECT_FALSE(call.outcome->talked) << "entry_result 1 with talk_time 0 is not a conversation";
  EXPECT_TRUE(call.outcome->missed_in_ivr);
  EXPECT_EQ(call.outcome->status_code, "304");
}

TEST(CallTrackerTest, MissedInIvrGoesToTheChosenEmployeeWhenB8IsOn) {
  CallScript s;
  s.Leg("A1", CallState::kAppeared, Location::kIvr, "");
  Call call;
  ApplyAll(call, s.events());
  FinishPolicy policy;
  policy.missed_in_ivr_extension = "103";
  policy.missed_new_number = ClientAction::kClient;
  Call without_creation = call;
  Applied done = ApplySummary(call, Summary(0, 0, 1110, ""), policy);
  // B8 on, with missed calls creating clients: what B2 creates, for that employee.
  EXPECT_EQ(Describe(done.intents), "register:103 client:103 finish:103");
  // Seed 004: B8 applies only when a client is created automatically.
  policy.missed_new_number = ClientAction::kNone;
  EXPECT_EQ(Describe(ApplySummary(without_creation, Summary(0, 0, 1110, ""), policy).intents),
            "register: finish:");
}

TEST(CallTrackerTest, GroupRingsEveryoneAndHidesTheOthersWhenOneAnswers) {
  CallScript s;
  s.Leg("A1", CallState::kAppeared, Location::kIvr, "");
  s.Leg("A1", CallState::kDisconnected, Location::kIvr, "", 1100);
  CallEvent b = s.Leg("B", CallState::kAppeared, Location::kAbonent, "102");
  CallEvent c = s.Leg("C", CallState::kAppeared, Location::kAbonent, "103");
  s.Leg("C", CallState::kConnected, Location::kAbonent, "103");
  s.Leg("B", CallState::kDisconnected, Location::kAbonent, "102", 1182);
  s.Leg("C", CallState::kDisconnected, Location::kAbonent, "103", 1120);
  Call call;
  EXPECT_EQ(Describe(ApplyAll(call, s.events())), "register:102 show:103 hide:102");
  Applied done = ApplySummary(call, Summary(1, 1'700'000'020, 1120, "103"), {});
  EXPECT_EQ(Describe(done.intents), "finish:103");
}

TEST(CallTrackerTest, MissedInGroupIsFinishedForTheFirstOfferedOrTheChosenEmployee) {
  for (bool b9 : {false, true}) {
    CallScript s;
    CallEvent first = s.Leg("B", CallState::kAppeared, Location::kAbonent, "102");
    s.Leg("C", CallState::kAppeared, Location::kAbonent, "103");
    s.Leg("B", CallState::kDisconnected, Location::kAbonent, "102", 1111);
    s.Leg("C", CallState::kDisconnected, Location::kAbonent, "103", 1111);
    Call call;
    ApplyAll(call, s.events());
    FinishPolicy policy;
    policy.missed_in_group_extension = b9 ? "101" : "";
    policy.missed_new_number = ClientAction::kLead;  // B9 applies only with auto-creation
    Applied done = ApplySummary(call, Summary(0, 0, 1111, "102"), policy);
    EXPECT_EQ(Describe(done.intents), b9 ? "client:101 finish:101" : "client:102 finish:102");
    EXPECT_TRUE(call.outcome->missed_in_group);
    EXPECT_EQ(call.outcome->status_code, "304");
  }
}

TEST(CallTrackerTest, TransferMakesTheResponsibleFirstOrLastHandlerByB7) {
  for (bool last : {false, true}) {
    CallScript s;
    s.Leg("L1", CallState::kAppeared, Location::kAbonent, "102");
    s.Leg("L1", CallState::kConnected, Location::kAbonent, "102");
    s.Leg("L1", CallState::kOnHold, Location::kAbonent, "102");
    s.Leg("L2", CallState::kAppeared, Location::kAbonent, "103");
    s.Leg("L1", CallState::kDisconnected, Location::kAbonent, "102", 1120);
    s.Leg("L2", CallState::kConnected, Location::kAbonent, "103");
    s.Leg("L2", CallState::kDisconnected, Location::kAbonent, "103", 1110);
    Call call;
    EXPECT_EQ(Describe(ApplyAll(call, s.events())), "register:102 show:103");
    FinishPolicy policy;
    policy.responsible_is_last_handler = last;
    Applied done = ApplySummary(call, Summary(1, 1'700'000'010, 1110, "103"), policy);
    EXPECT_EQ(Describe(done.intents), last ? "finish:103" : "finish:102");
    EXPECT_EQ(call.handlers, (std::vector<std::string>{"102", "103"}));
  }
}

TEST(CallTrackerTest, OutgoingCallPopsForTheCallerAndFinishesForThem) {
  CallScript s;
  s.Outgoing("O1", CallState::kAppeared);
  s.Outgoing("O1", CallState::kConnected);
  s.Outgoing("O1", CallState::kDisconnected, 1110);
  Call call;
  EXPECT_EQ(Describe(ApplyAll(call, s.events())), "register:102");
  EXPECT_EQ(call.direction, Direction::kOutgoing);
  EXPECT_EQ(call.client_number, kClient);
  mango::SummaryEvent summary = Summary(1, 1'700'000'030, 1110, "", 2);
  summary.from.extension = "102";
  summary.to.number = kClient;
  EXPECT_EQ(Describe(ApplySummary(call, summary, {}).intents), "finish:102");
}

TEST(CallTrackerTest, UnansweredOutgoingCallIsMissedForTheCaller) {
  CallScript s;
  s.Outgoing("O1", CallState::kAppeared);
  s.Outgoing("O1", CallState::kDisconnected, 1121);
  Call call;
  ApplyAll(call, s.events());
  mango::SummaryEvent summary = Summary(0, 0, 1121, "", 2);
  summary.from.extension = "102";
  EXPECT_EQ(Describe(ApplySummary(call, summary, {}).intents), "finish:102");
  EXPECT_EQ(call.outcome->status_code, "486");
}

TEST(CallTrackerTest, RepeatedEventsAndSummariesChangeNothing) {
  CallScript s;
  CallEvent appeared = s.Leg("A2", CallState::kAppeared, Location::kAbonent, "102");
  CallEvent connected = s.Leg("A2", CallState::kConnected, Location::kAbonent, "102");
  Call call;
  ApplyAll(call, s.events());
  EXPECT_TRUE(ApplyCallEvent(call, appeared).duplicate);
  EXPECT_TRUE(ApplyCallEvent(call, connected).duplicate);
  EXPECT_FALSE(ApplySummary(call, Summary(1, 1'700'000'010, 1110, "102"), {}).duplicate);
  Applied again = ApplySummary(call, Summary(1, 1'700'000'010, 1110, "102"), {});
  EXPECT_TRUE(again.duplicate);
  EXPECT_TRUE(again.intents.empty());
}

TEST(CallTrackerTest, InternalCallsAreNotCrmCalls) {
  CallEvent e;
  e.entry_id = "entry-3";
  e.call_id = "I1";
  e.seq = 1;
  e.from.extension = "102";
  e.to.extension = "103";
  e.location = Location::kAbonent;
  Call call;
  EXPECT_TRUE(ApplyCallEvent(call, e).intents.empty());
  mango::SummaryEvent s = Summary(1, 1'700'000'010, 1110, "103", 0);
  EXPECT_TRUE(ApplySummary(call, s, {}).intents.empty());
}

TEST(CallTrackerTest, MissedStatusCodesFollowTheDisconnectReason) {
  EXPECT_EQ(MissedStatusCode(1110), "304");
  EXPECT_EQ(MissedStatusCode(1111), "304");
  EXPECT_EQ(MissedStatusCode(1121), "486");
  EXPECT_EQ(MissedStatusCode(1122), "603");
  EXPECT_EQ(MissedStatusCode(1192), "480");
  EXPECT_EQ(MissedStatusCode(1133), "404");
  EXPECT_EQ(MissedStatusCode(1151), "403");
  EXPECT_EQ(MissedStatusCode(2240), "402");
  EXPECT_EQ(MissedStatusCode(3200), "484");
  EXPECT_EQ(MissedStatusCode(4502), "423");
  EXPECT_EQ(MissedStatusCode(0), "304");
}

// Whatever order the legs' events arrive in, the call is registered once, finished once, for the
// same employee and with the same outcome, and no card stays shown to someone who did not talk.
TEST(CallTrackerTest, AnyDeliveryOrderEndsInTheSameCall) {
  CallScript s;
  s.Leg("A1", CallState::kAppeared, Location::kIvr, "");
  s.Leg("A1", CallState::kDisconnected, Location::kIvr, "", 1100);
  s.Leg("B", CallState::kAppeared, Location::kAbonent, "102");
  s.Leg("C", CallState::kAppeared, Location::kAbonent, "103");
  s.Leg("C", CallState::kConnected, Location::kAbonent, "103");
  s.Leg("B", CallState::kDisconnected, Location::kAbonent, "102", 1182);
  s.Leg("C", CallState::kDisconnected, Location::kAbonent, "103", 1120);
  std::vector<CallEvent> events = s.events();
  std::vector<int> order(events.size());
  std::iota(order.begin(), order.end(), 0);
  int permutations = 0;
  do {
    Call call;
    int registers = 0;
    int finishes = 0;
    std::string finished_for;
    auto count = [&](const std::vector<Intent>& intents) {
      for (const Intent& i : intents) {
        registers += i.kind == IntentKind::kRegister;
        finishes += i.kind == IntentKind::kFinish;
        if (i.kind == IntentKind::kFinish) {
          finished_for = i.extension;
        }
      }
    };
    for (int i : order) {
      count(ApplyCallEvent(call, events[i]).intents);
      count(ApplyCallEvent(call, events[i]).intents);  // and every event twice
    }
    const std::vector<std::string> shown_before_summary = call.shown;
    count(ApplySummary(call, Summary(1, 1'700'000'020, 1120, "103"), {}).intents);
    ASSERT_EQ(registers, 1) << "order #" << permutations;
    ASSERT_EQ(finishes, 1);
    ASSERT_EQ(finished_for, "103");
    ASSERT_TRUE(call.outcome->talked);
    ASSERT_EQ(std::count(shown_before_summary.begin(), shown_before_summary.end(), "102"), 0)
        << "the operator who never answered kept the card, order #" << permutations;
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(permutations, 5040);
}

// Reordered delivery must not swap who counts as the first and the last handler (B7).
TEST(CallTrackerTest, AnyDeliveryOrderKeepsFirstAndLastHandler) {
  CallScript s;
  s.Leg("L1", CallState::kAppeared, Location::kAbonent, "102");
  s.Leg("L1", CallState::kConnected, Location::kAbonent, "102");
  s.Leg("L1", CallState::kOnHold, Location::kAbonent, "102");
  s.Leg("L2", CallState::kAppeared, Location::kAbonent, "103");
  s.Leg("L1", CallState::kDisconnected, Location::kAbonent, "102", 1120);
  s.Leg("L2", CallState::kConnected, Location::kAbonent, "103");
  s.Leg("L2", CallState::kDisconnected, Location::kAbonent, "103", 1110);
  std::vector<CallEvent> events = s.events();
  std::vector<int> order(events.size());
  std::iota(order.begin(), order.end(), 0);
  do {
    for (bool last : {false, true}) {
      Call call;
      for (int i : order) {
        ApplyCallEvent(call, events[i]);
      }
      FinishPolicy policy;
      policy.responsible_is_last_handler = last;
      Applied done = ApplySummary(call, Summary(1, 1'700'000'010, 1110, "103"), policy);
      ASSERT_EQ(done.intents.back().extension, last ? "103" : "102");
      ASSERT_EQ(call.handlers, (std::vector<std::string>{"102", "103"}));
    }
  } while (std::next_permutation(order.begin(), order.end()));
}

}  // namespace
}  // namespace opdesk::calls
