// mangoemu command API: envelope errors, lock-out, rate limits, faults and the command-driven
// call flows (route, transfer, hangup, callback, recordings, users).
#include <signal.h>

#include <algorithm>
#include <set>
#include <thread>

#include "tests/emulators/mango/emulator_fixture.h"

namespace opdesk::mangoemu_test {
namespace {

using namespace std::chrono_literals;

TEST_F(MangoEmuTest, CommandEnvelopeErrorsCarryMangoCodes) {
  const std::string json = R"({"call_id":"x"})";
  auto bad_sign = emu_->Raw("POST", "/vpbx/commands/call/hangup",
                            "vpbx_api_key=vpbx-test-key&sign=00&json=" + UrlEncode(json), kForm);
  EXPECT_EQ(bad_sign.status, 400);
  EXPECT_EQ(I(Parse(bad_sign.body), "code"), 3102);
  // Past the one-error allowance the lock-out would hide the codes; let it expire.
  std::this_thread::sleep_for(1600ms);
  auto missing = emu_->Command("commands/route", R"({"command_id":"c1","call_id":"x"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(I(Parse(missing.body), "code"), 3103);
  std::this_thread::sleep_for(1600ms);
  auto wrong_key = emu_->Raw("POST", "/vpbx/commands/call/hangup", Form(json, "other-key"), kForm);
  EXPECT_EQ(wrong_key.status, 401);
  EXPECT_EQ(I(Parse(wrong_key.body), "code"), 3105);
  std::this_thread::sleep_for(1600ms);
  auto invalid = emu_->Command("commands/call/hangup", "{not json");
  EXPECT_EQ(I(Parse(invalid.body), "code"), 3400);
  Json log = emu_->Control("GET", "/_emu/requests");
  const Json& first = log.at("requests").at(0);
  EXPECT_EQ(S(first, "path"), "commands/call/hangup");
  EXPECT_FALSE(first.at("sign_ok").as_bool());
  EXPECT_EQ(I(first, "http_status"), 400);
  EXPECT_EQ(I(first, "code"), 3102);
  EXPECT_EQ(I(emu_->Control("GET", "/_emu/stats"), "rejected_sign"), 1);
}

TEST_F(MangoEmuTest, SecondBadRequestLocksEveryRequestOutUntilTheWindowEnds) {
  const std::string ok_json = R"({"extension":"101"})";
  auto first = emu_->Raw("POST", "/vpbx/commands/route", Form(ok_json, kKey, "wrong-salt"), kForm);
  EXPECT_EQ(first.status, 400);
  auto second = emu_->Command("commands/call/hangup", R"({"command_id":"c2"})");
  EXPECT_EQ(second.status, 401);
  EXPECT_EQ(I(Parse(second.body), "code"), 3000);
  auto valid = emu_->Command("config/users/request", ok_json);
  EXPECT_EQ(valid.status, 401) << valid.body;
  EXPECT_EQ(I(emu_->Control("GET", "/_emu/stats"), "lockouts"), 1);
  EXPECT_TRUE(testing::WaitFor(
      [&] { return emu_->Command("config/users/request", ok_json).status == 200; }, 5s));
}

TEST_F(MangoEmuTest, SecondRouteWithinTheWindowIsRateLimited) {
  // --rate-scale 0.5: "1 per 2 s" becomes 1 per second.
  const std::string route = R"({"command_id":"c1","call_id":"nope","to_number":"102"})";
  EXPECT_EQ(emu_->Command("commands/route", route).status, 200);
  auto limited = emu_->Command("commands/route", route);
  EXPECT_EQ(limited.status, 429);
  Json body = Parse(limited.body);
  EXPECT_EQ(S(body, "message"), "Rate limit exceeded.");
  EXPECT_EQ(I(body, "status"), 429);
  EXPECT_EQ(I(body, "code"), 0);
  EXPECT_EQ(I(emu_->Control("GET", "/_emu/stats"), "rejected_rate"), 1);
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(emu_->Command("commands/route", route).status, 200);
  // The unknown leg got result 4101.
  EXPECT_TRUE(testing::WaitFor([&] { return Inbox("command_id", "c1").size() == 2; }, 5s));
  EXPECT_EQ(I(Inbox("command_id", "c1")[0].at("json"), "result"), 4101);
}

TEST_F(MangoEmuTest, RouteDuringTheIvrGreetingChangesTheAnsweringExtension) {
  Json started =
      emu_->Control("POST", "/_emu/scenario",
                    R"({"name":"inbound_waits_in_ivr","speed":1000,"wait_ms":20000000})");
  std::string id = S(started, "entry_id");
  ASSERT_TRUE(testing::WaitFor([&] { return Inbox("entry_id", id).size() == 1; }, 5s));
  std::string ivr = S(Inbox("entry_id", id)[0].at("json"), "call_id");
  auto r = emu_->Command("commands/route",
                         R"({"command_id":"rt-1","call_id":")" + ivr + R"(","to_number":"101"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(I(Parse(r.body), "result"), 1000);
  WaitDone(id);
  ASSERT_EQ(Flow(id), (V{"events/call|L1|Appeared", "events/call|L1|Disconnected|1100",
                         "events/call|L2|Appeared", "events/call|L2|Connected",
                         "events/call|L2|Disconnected|1110", "events/summary"}));
  Json leg = Inbox("entry_id", id)[2].at("json");
  EXPECT_EQ(S(leg.at("to"), "extension"), "101");
  EXPECT_EQ(S(leg.at("from"), "taken_from_call_id"), ivr);
  EXPECT_EQ(S(leg, "command_id"), "rt-1");
  // Every event of the routed leg echoes the command_id, and so does result/route.
  std::vector<Json> echoed = Inbox("command_id", "rt-1");
  ASSERT_EQ(echoed.size(), 4u);
  auto result = std::find_if(echoed.begin(), echoed.end(), [](const Json& e) {
    return e.at("path").as_string() == "result/route";
  });
  ASSERT_NE(result, echoed.end());
  EXPECT_EQ(I(result->at("json"), "result"), 1000);
  EXPECT_EQ(S(Summary(id).at("to"), "extension"), "101");
}

TEST_F(MangoEmuTest, TransferCommandOnAConnectedLegPlaysABlindTransfer) {
  // Speed 30: the 60 s conversation lasts 2 s, long enough to send the command.
  Json started = emu_->Control("POST", "/_emu/scenario",
                               R"({"name":"inbound_answered_after_ivr","speed":30})");
  std::string id = S(started, "entry_id");
  ASSERT_TRUE(testing::WaitFor([&] { return Inbox("entry_id", id).size() >= 4; }, 5s));
  std::string ivr = S(Inbox("entry_id", id)[0].at("json"), "call_id");
  std::string talking = S(Inbox("entry_id", id)[3].at("json"), "call_id");
  auto r = emu_->Command("commands/transfer",
                         R"({"command_id":"t1","call_id":")" + talking +
                             R"(","method":"blind","to_number":"103","initiator":"102"})");
  ASSERT_EQ(r.status, 200) << r.body;
  WaitDone(id);
  std::vector<std::string> flow = Flow(id);
  ASSERT_GE(flow.size(), 6u);
  EXPECT_EQ(flow[4], "events/call|L2|OnHold");
  EXPECT_EQ(flow[5], "events/call|L3|Appeared");
  EXPECT_EQ(flow.back(), "events/summary");
  std::vector<Json> echoed = Inbox("command_id", "t1");
  auto result = std::find_if(echoed.begin(), echoed.end(), [](const Json& e) {
    return e.at("path").as_string() == "result/transfer";
  });
  ASSERT_NE(result, echoed.end());
  EXPECT_EQ(I(result->at("json"), "result"), 1000);
  // Commands against ended legs are accepted and answered with result 4101.
  std::this_thread::sleep_for(1100ms);  // transfer is 1 per 2 s (scaled by 0.5)
  auto ended = emu_->Command("commands/transfer",
                             R"({"command_id":"t0","call_id":")" + ivr +
                                 R"(","method":"blind","to_number":"103","initiator":"102"})");
  EXPECT_EQ(ended.status, 200);
  auto late = emu_->Command("commands/call/hangup",
                            R"({"command_id":"h9","call_id":")" + talking + R"("})");
  EXPECT_EQ(late.status, 200);
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        return Inbox("command_id", "t0").size() == 1 && Inbox("command_id", "h9").size() == 1;
      },
      5s));
  EXPECT_EQ(I(Inbox("command_id", "t0")[0].at("json"), "result"), 4101);
  EXPECT_EQ(I(Inbox("command_id", "h9")[0].at("json"), "result"), 4101);
}

TEST_F(MangoEmuTest, CallbackRingsTheEmployeeThenTheCustomerAndPostsTheResult) {
  emu_->Control("POST", "/_emu/config", R"({"command_speed":1000})");
  auto r = emu_->Command(
      "commands/callback",
      R"({"command_id":"cb-1","from":{"extension":"101"},"to_number":"79001112233"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(I(Parse(r.body), "result"), 1000);
  Json calls;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        calls = emu_->Control("GET", "/_emu/calls");
        return calls.at("calls").size() == 1 && calls.at("calls").at(0).at("done").as_bool();
      },
      10s));
  std::string id = S(calls.at("calls").at(0), "entry_id");
  std::vector<Json> legs = Inbox("command_id", "cb-1");
  ASSERT_EQ(legs.size(), 7u);
  EXPECT_EQ(S(legs[0].at("json").at("to"), "extension"), "101");
  EXPECT_EQ(legs[1].at("path").as_string(), "result/callback");
  EXPECT_EQ(I(legs[1].at("json"), "result"), 1000);
  const Json& customer = legs[4].at("json");
  EXPECT_EQ(S(customer.at("to"), "number"), "79001112233");
  EXPECT_EQ(S(customer.at("from"), "extension"), "101");
  EXPECT_EQ(S(customer.at("from"), "taken_from_call_id"), S(legs[0].at("json"), "call_id"));
  Json sum = Summary(id);
  EXPECT_EQ(I(sum, "call_direction"), 2);
  EXPECT_EQ(S(sum.at("to"), "number"), "79001112233");
  auto unknown =
      emu_->Command("commands/callback",
                    R"({"command_id":"cb-2","from":{"extension":"999"},"to_number":"7900"})");
  EXPECT_EQ(unknown.status, 200);
  ASSERT_TRUE(testing::WaitFor([&] { return Inbox("command_id", "cb-2").size() == 1; }, 5s));
  EXPECT_EQ(I(Inbox("command_id", "cb-2")[0].at("json"), "result"), 3330);
}

TEST_F(MangoEmuTest, RecordedCallGivesAOneTimeDownloadLink) {
  std::string id = S(Play("inbound_answered_after_ivr", R"(,"recorded":true)"), "entry_id");
  std::vector<std::string> paths;
  std::string recording_id;
  for (const Json& e : Inbox("entry_id", id)) {
    paths.push_back(e.at("path").as_string());
    if (paths.back() == "events/record/added") {
      recording_id = S(e.at("json"), "recording_id");
    }
  }
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "events/recording"), 2);
  EXPECT_EQ(paths.back(), "events/record/added");
  ASSERT_FALSE(recording_id.empty());
  auto r = emu_->Command("queries/recording/post",
                         R"({"recording_id":")" + recording_id + R"(","action":"download"})");
  ASSERT_EQ(r.status, 302) << r.body;
  std::string location = r.headers["location"];
  std::string prefix = "http://127.0.0.1:" + std::to_string(emu_->port());
  ASSERT_EQ(location.rfind(prefix + "/files/", 0), 0u) << location;
  std::string target = location.substr(prefix.size());
  auto file = emu_->Raw("GET", target);
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.headers["content-type"], "audio/mpeg");
  EXPECT_EQ(file.body.substr(0, 3), "ID3");
  EXPECT_EQ(emu_->Raw("GET", target).status, 404);
  auto unknown =
      emu_->Command("queries/recording/post", R"({"recording_id":"nope","action":"download"})");
  EXPECT_EQ(I(Parse(unknown.body), "code"), 3320);
}

TEST_F(MangoEmuTest, UsersRequestListsSeededEmployeesAndFilters) {
  auto all = emu_->Command("config/users/request", "{}");
  ASSERT_EQ(all.status, 200) << all.body;
  Json users = Parse(all.body).at("users");
  ASSERT_EQ(users.size(), 4u);
  EXPECT_EQ(S(users.at(1).at("general"), "name"), "Борис Операторов");
  EXPECT_EQ(S(users.at(1).at("general"), "email"), "boris@example.ru");
  EXPECT_EQ(S(users.at(1).at("telephony"), "extension"), "102");
  EXPECT_EQ(users.at(1).at("telephony").at("numbers").size(), 1u);
  std::this_thread::sleep_for(1100ms);  // config/users/request is 1 per 2 s (scaled by 0.5)
  auto one = emu_->Command("config/users/request", R"({"extension":"103"})");
  ASSERT_EQ(one.status, 200) << one.body;
  Json filtered = Parse(one.body).at("users");
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(S(filtered.at(0).at("general"), "email"), "vera@example.ru");
}

TEST_F(MangoEmuTest, FaultsFailedWebhooksPingAndCleanShutdown) {
  emu_->Control("POST", "/_emu/faults",
                R"({"path":"commands/call/hangup","http_status":503,"code":5008,"count":1})");
  const std::string hangup = R"({"command_id":"h1","call_id":"nope"})";
  auto faulted = emu_->Command("commands/call/hangup", hangup);
  EXPECT_EQ(faulted.status, 503);
  EXPECT_EQ(I(Parse(faulted.body), "code"), 5008);
  EXPECT_EQ(emu_->Command("commands/call/hangup", hangup).status, 200);
  ASSERT_TRUE(testing::WaitFor([&] { return Inbox("command_id", "h1").size() == 1; }, 5s));
  EXPECT_EQ(I(Inbox("command_id", "h1")[0].at("json"), "result"), 4101);
  // opdesk failing a delivery is recorded, not retried (reference §2.3).
  sink_->Control("POST", "/_emu/config", R"({"inbox_status":500})");
  Json ping = emu_->Control("POST", "/_emu/ping");
  EXPECT_EQ(I(ping, "status"), 500);
  EXPECT_EQ(Inbox().size(), 2u);
  Json stats = emu_->Control("GET", "/_emu/stats");
  EXPECT_EQ(I(stats, "webhooks_sent"), 2);
  EXPECT_EQ(I(stats, "webhooks_failed"), 1);
  emu_->process().Signal(SIGTERM);
  EXPECT_EQ(emu_->process().Wait(10s), 0);
  EXPECT_NE(emu_->Log().find("mangoemu listening on 127.0.0.1:"), std::string::npos);
}

}  // namespace
}  // namespace opdesk::mangoemu_test
