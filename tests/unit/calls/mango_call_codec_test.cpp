// The call model survives being stored: every field comes back, and a row without newer fields
// still reads.
#include <gtest/gtest.h>

#include "connector/calls/call_codec.h"
#include "connector/domain/error.h"

namespace opdesk::mango {
namespace {

TEST(CallCodecTest, EveryFieldSurvivesTheRoundTrip) {
  calls::Call c;
  c.entry_id = "E1";
  c.direction = calls::Direction::kInbound;
  c.client_number = "79001234567";
  c.line_number = "74951234567";
  c.command_id = "cmd-1";
  c.started_at = 1'700'000'000;
  calls::Leg leg;
  leg.call_id = "A2";
  leg.extension = "102";
  leg.state = CallState::kConnected;
  leg.location = Location::kAbonent;
  leg.last_seq = 2;
  leg.seen = {2, 1};
  leg.connected = true;
  c.legs["A2"] = leg;
  c.offered = {"102", "103"};
  c.handlers = {"102"};
  c.offered_at = {{"102", 5}, {"103", 6}};
  c.talked_at = {{"102", 7}};
  c.shown = {"102"};
  c.acd_group = "500";
  c.registered = true;
  c.finished = true;
  c.outcome = calls::Outcome{true, 85, "200", false, false, 1110};

  calls::Call back = DecodeCall(EncodeCall(c));
  EXPECT_EQ(back.entry_id, "E1");
  EXPECT_EQ(back.direction, calls::Direction::kInbound);
  EXPECT_EQ(back.client_number, c.client_number);
  EXPECT_EQ(back.line_number, c.line_number);
  EXPECT_EQ(back.command_id, "cmd-1");
  EXPECT_EQ(back.started_at, c.started_at);
  ASSERT_EQ(back.legs.size(), 1u);
  const calls::Leg& l = back.legs.at("A2");
  EXPECT_EQ(l.extension, "102");
  EXPECT_EQ(l.state, CallState::kConnected);
  EXPECT_EQ(l.location, Location::kAbonent);
  EXPECT_EQ(l.last_seq, 2);
  EXPECT_EQ(l.seen, (std::vector<long long>{2, 1}));
  EXPECT_TRUE(l.connected);
  EXPECT_FALSE(l.ended);
  EXPECT_EQ(back.offered, c.offered);
  EXPECT_EQ(back.handlers, c.handlers);
  EXPECT_EQ(back.offered_at, c.offered_at);
  EXPECT_EQ(back.talked_at, c.talked_at);
  EXPECT_EQ(back.shown, c.shown);
  EXPECT_EQ(back.acd_group, "500");
  EXPECT_TRUE(back.registered);
  EXPECT_TRUE(back.finished);
  ASSERT_TRUE(back.outcome);
  EXPECT_EQ(back.outcome->duration_s, 85);
  EXPECT_EQ(back.outcome->status_code, "200");
  EXPECT_EQ(back.outcome->disconnect_reason, 1110);
}

TEST(CallCodecTest, OlderRowsWithFewerFieldsStillRead) {
  calls::Call c = DecodeCall(R"({"entry_id":"E9","direction":"outgoing"})");
  EXPECT_EQ(c.entry_id, "E9");
  EXPECT_EQ(c.direction, calls::Direction::kOutgoing);
  EXPECT_FALSE(c.registered);
  EXPECT_FALSE(c.outcome);
  EXPECT_THROW(DecodeCall("nonsense"), Error);
}

}  // namespace
}  // namespace opdesk::mango
