// mangoemu scenarios: the event sequences it plays towards opdesk (reference §2), their
// signatures, and the duplicate/shuffle delivery options.
#include <signal.h>

#include <algorithm>
#include <set>
#include <thread>

#include "tests/emulators/mango/emulator_fixture.h"

namespace opdesk::mangoemu_test {
namespace {

using namespace std::chrono_literals;

TEST_F(MangoEmuTest, WebhookSignaturesVerifyOverTheRawJson) {
  Json started = Play("inbound_answered_after_ivr");
  std::vector<Json> got = Inbox();
  ASSERT_EQ(static_cast<int64_t>(got.size()), I(started, "events"));
  for (const Json& e : got) {
    EXPECT_TRUE(e.at("sign_ok").as_bool()) << e.serialize();
    EXPECT_TRUE(e.at("key_ok").as_bool());
    const Json& form = e.at("form");
    std::string raw = form.at("json").as_string();
    EXPECT_EQ(form.at("sign").as_string(), crypto::Sha256Hex(kKey + raw + kSalt));
    EXPECT_EQ(raw.find(": "), std::string::npos) << "compact JSON expected: " << raw;
  }
  Json stats = emu_->Control("GET", "/_emu/stats");
  EXPECT_EQ(I(stats, "webhooks_sent"), I(started, "events"));
  EXPECT_EQ(I(stats, "webhooks_failed"), 0);
}

TEST_F(MangoEmuTest, InboundAnsweredAfterIvrPlaysIvrThenOperator) {
  std::string id = S(Play("inbound_answered_after_ivr"), "entry_id");
  ASSERT_EQ(Flow(id), (V{"events/call|L1|Appeared", "events/call|L1|Disconnected|1100",
                         "events/call|L2|Appeared", "events/call|L2|Connected",
                         "events/call|L2|Disconnected|1110", "events/summary"}));
  ExpectSeqPerLeg(id);
  std::vector<Json> events = Inbox("entry_id", id);
  const Json& ivr = events[0].at("json");
  EXPECT_EQ(S(ivr, "location"), "ivr");
  EXPECT_EQ(S(ivr.at("to"), "line_number"), "74951234567");
  EXPECT_EQ(S(ivr.at("from"), "number"), "79001234567");
  const Json& leg = events[2].at("json");
  EXPECT_EQ(S(leg, "location"), "abonent");
  EXPECT_EQ(S(leg.at("to"), "extension"), "102");
  EXPECT_EQ(S(leg.at("to"), "line_number"), "74951234567");
  Json sum = Summary(id);
  EXPECT_EQ(I(sum, "entry_result"), 1);
  EXPECT_EQ(I(sum, "call_direction"), 1);
  EXPECT_EQ(S(sum.at("to"), "extension"), "102");
  EXPECT_LE(I(sum, "create_time"), I(sum, "forward_time"));
  EXPECT_LT(I(sum, "forward_time"), I(sum, "talk_time"));
  EXPECT_LT(I(sum, "talk_time"), I(sum, "end_time"));
  EXPECT_EQ(I(sum, "talk_time"), I(events[3].at("json"), "timestamp"));
}

TEST_F(MangoEmuTest, MissedInIvrHasNoTalkNoForwardAndNoExtension) {
  std::string id = S(Play("missed_in_ivr"), "entry_id");
  ASSERT_EQ(Flow(id),
            (V{"events/call|L1|Appeared", "events/call|L1|Disconnected|1110", "events/summary"}));
  Json sum = Summary(id);
  EXPECT_EQ(I(sum, "entry_result"), 0);
  EXPECT_EQ(I(sum, "talk_time"), 0);
  EXPECT_EQ(I(sum, "forward_time"), 0);
  EXPECT_FALSE(sum.at("to").has_field("extension"));
}

TEST_F(MangoEmuTest, GroupOneAnswersAndTheOtherLegIsIntercepted) {
  std::string id = S(Play("group_one_answers"), "entry_id");
  ASSERT_EQ(Flow(id), (V{"events/call|L1|Appeared", "events/call|L1|Disconnected|1100",
                         "events/call|L2|Appeared", "events/call|L3|Appeared",
                         "events/call|L3|Connected", "events/call|L2|Disconnected|1182",
                         "events/call|L3|Disconnected|1120", "events/summary"}));
  ExpectSeqPerLeg(id);
  std::vector<Json> events = Inbox("entry_id", id);
  EXPECT_EQ(S(events[2].at("json").at("to"), "acd_group"), "500");
  EXPECT_EQ(S(events[3].at("json").at("to"), "extension"), "103");
  Json sum = Summary(id);
  EXPECT_EQ(I(sum, "entry_result"), 1);
  EXPECT_EQ(S(sum.at("to"), "extension"), "103");
}

TEST_F(MangoEmuTest, MissedInGroupNamesTheFirstOfferedExtension) {
  std::string id = S(Play("missed_in_group"), "entry_id");
  ASSERT_EQ(Flow(id), (V{"events/call|L1|Appeared", "events/call|L1|Disconnected|1100",
                         "events/call|L2|Appeared", "events/call|L3|Appeared",
                         "events/call|L2|Disconnected|1111", "events/call|L3|Disconnected|1111",
                         "events/summary"}));
  Json sum = Summary(id);
  EXPECT_EQ(I(sum, "entry_result"), 0);
  EXPECT_EQ(I(sum, "talk_time"), 0);
  EXPECT_EQ(S(sum.at("to"), "extension"), "102");
  EXPECT_GT(I(sum, "forward_time"), 0);
}

TEST_F(MangoEmuTest, OutgoingCallIsDirectionTwoWithLine) {
  std::string id = S(Play("outgoing"), "entry_id");
  ASSERT_EQ(Flow(id), (V{"events/call|L1|Appeared", "events/call|L1|Connected",
                         "events/call|L1|Disconnected|1120", "events/summary"}));
  Json leg = Inbox("entry_id", id)[0].at("json");
  EXPECT_EQ(S(leg.at("from"), "extension"), "102");
  EXPECT_EQ(S(leg.at("to"), "number"), "79001234567");
  Json sum = Summary(id);
  EXPECT_EQ(I(sum, "call_direction"), 2);
  EXPECT_EQ(S(sum, "line_number"), "74951234567");
  EXPECT_EQ(S(sum.at("from"), "extension"), "102");
  EXPECT_EQ(I(sum, "forward_time"), I(sum, "create_time"));
  EXPECT_EQ(I(sum, "entry_result"), 1);
}

TEST_F(MangoEmuTest, BlindTransferReannouncesTheTargetLegWithTheCustomer) {
  std::string id = S(Play("blind_transfer"), "entry_id");
  ASSERT_EQ(
      Flow(id),
      (V{"events/call|L1|Appeared", "events/call|L1|Disconnected|1100", "events/call|L2|Appeared",
         "events/call|L2|Connected", "events/call|L2|OnHold", "events/call|L3|Appeared",
         "events/call|L2|Disconnected|1120", "events/call|L3|Appeared", "events/call|L3|Connected",
         "events/call|L3|Disconnected|1110", "events/summary"}));
  ExpectSeqPerLeg(id);
  std::vector<Json> events = Inbox("entry_id", id);
  std::string l2 = S(events[2].at("json"), "call_id");
  EXPECT_EQ(S(events[5].at("json"), "transfer"), "blind");
  EXPECT_EQ(S(events[5].at("json").at("from"), "extension"), "102");
  EXPECT_EQ(S(events[5].at("json").at("to"), "extension"), "103");
  EXPECT_TRUE(events[6].at("json").at("from").at("was_transferred").as_bool());
  const Json& again = events[7].at("json");
  EXPECT_EQ(I(again, "seq"), 2);
  EXPECT_EQ(S(again.at("from"), "number"), "79001234567");
  EXPECT_EQ(S(again.at("from"), "taken_from_call_id"), l2);
}

TEST_F(MangoEmuTest, ConsultativeTransferJoinsTheCustomerWithASecondConnected) {
  std::string id = S(Play("consultative_transfer"), "entry_id");
  ASSERT_EQ(
      Flow(id),
      (V{"events/call|L1|Appeared", "events/call|L1|Disconnected|1100", "events/call|L2|Appeared",
         "events/call|L2|Connected", "events/call|L2|OnHold", "events/call|L3|Appeared",
         "events/call|L3|Connected", "events/call|L2|Disconnected|1120", "events/call|L3|Connected",
         "events/call|L3|Disconnected|1110", "events/summary"}));
  std::vector<Json> events = Inbox("entry_id", id);
  EXPECT_EQ(S(events[5].at("json"), "transfer"), "consultative");
  EXPECT_EQ(S(events[5].at("json").at("from"), "taken_from_call_id"),
            S(events[2].at("json"), "call_id"));
  EXPECT_EQ(S(events[8].at("json").at("from"), "number"), "79001234567");
  EXPECT_EQ(I(Summary(id), "entry_result"), 1);
}

TEST_F(MangoEmuTest, DuplicateAndShuffleDeliverTheSameMultiset) {
  const std::string fixed = R"(,"entry_id":"ZW50cnk=","start_time":1700000000)";
  auto raw = [&] {
    std::vector<std::string> out;
    for (const Json& e : Inbox()) {
      out.push_back(e.at("form").at("json").as_string());
    }
    return out;
  };
  Json plain = Play("group_one_answers", fixed + R"(,"recorded":true)");
  std::vector<std::string> base = raw();
  ASSERT_EQ(static_cast<int64_t>(base.size()), I(plain, "events"));
  sink_->Control("DELETE", "/_emu/inbox");
  Json shuffled = Play("group_one_answers", fixed + R"(,"recorded":true,"shuffle":true,"seed":7)");
  std::vector<std::string> mixed = raw();
  EXPECT_NE(mixed, base) << "shuffle must change the delivery order";
  std::vector<std::string> a = base;
  std::vector<std::string> b = mixed;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
  sink_->Control("DELETE", "/_emu/inbox");
  Json twice = Play("group_one_answers", fixed + R"(,"recorded":true,"duplicate":true)");
  EXPECT_EQ(I(twice, "events"), 2 * I(plain, "events"));
  std::vector<std::string> doubled = raw();
  std::multiset<std::string> expected;
  for (const std::string& s : base) {
    expected.insert(s);
    expected.insert(s);
  }
  EXPECT_EQ(std::multiset<std::string>(doubled.begin(), doubled.end()), expected);
}

TEST_F(MangoEmuTest, UnroutedGreetingFallsBackToTheGroup) {
  std::string id = S(Play("inbound_waits_in_ivr", R"(,"wait_ms":3000)"), "entry_id");
  EXPECT_EQ(S(Summary(id).at("to"), "extension"), "102");
}

}  // namespace
}  // namespace opdesk::mangoemu_test
