// Mango calls into Bitrix24, end to end: signed notifications posted to the real opdesk, the
// outbox running the call pipeline against the portal emulator, and the emulator's request log
// showing exactly which telephony calls were made. Bad input is refused without changing state.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <signal.h>

#include <atomic>
#include <random>
#include <regex>
#include <thread>

#include "connector/storage/mango_repositories.h"
#include "tests/support/b24emu.h"
#include "tests/support/opdesk_process.h"
#include "webhooks/mango/envelope.h"

namespace opdesk {
namespace {

using namespace std::chrono_literals;
using web::json::value;

constexpr const char* kApiKey = "vpbx-test-key";
constexpr const char* kSalt = "vpbx-test-salt";

class MangoCallsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    emu_ = std::make_unique<testing::B24Emulator>(
        std::vector<std::string>{"--rate", "50", "--burst", "50"});
    // The VPBX answers the directory request a connection makes (config/users/request).
    pbx_ = std::make_unique<testing::MangoEmulator>(kApiKey, kSalt);
    opdesk_ = std::make_unique<testing::Opdesk>(
        GetParam(), std::map<std::string, std::string>{
                        {"OPDESK_BITRIX24_CLIENT_ID", "app.test"},
                        {"OPDESK_BITRIX24_CLIENT_SECRET", "secret.test"},
                        {"OPDESK_BITRIX24_OAUTH_URL", emu_->oauth_url()},
                        {"OPDESK_ALLOW_INSECURE_ENDPOINTS", "true"},
                        {"OPDESK_MANGO_API_URL", pbx_->api_url()},
                        {"OPDESK_JOBS_BACKOFF_BASE_MS", "50"},
                        {"OPDESK_JOBS_BACKOFF_MAX_MS", "500"},
                        // A killed process's jobs are taken over after this lease.
                        {"OPDESK_JOBS_LEASE_SECONDS", "2"}});
    ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
    db_ = opdesk_->OpenDatabase();
    value callback = emu_->Control("POST", "/_emu/portal/install-callback",
                                   R"({"url":")" + opdesk_->url() + R"(/b24/events"})");
    ASSERT_EQ(callback.at("status").as_integer(), 200);
    ASSERT_TRUE(testing::WaitFor([&] { return PortalInstalled(); }, 30s)) << opdesk_->Log();
    std::string out;
    ASSERT_EQ(testing::RunCommand({OPDESK_BINARY, "tenant", "mango", "--tenant", emu_->member_id(),
                                   "--api-key", kApiKey, "--api-salt", kSalt},
                                  opdesk_->env(), opdesk_->dir(), &out),
              0)
        << out;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(out, m, std::regex("/mango/([0-9a-f]+)/")));
    base_ = "/mango/" + m[1].str() + "/";
    emu_->Control("POST", "/_emu/requests/clear");
  }

  bool PortalInstalled() {
    long long n = 0;
    storage::WithSession(*db_, [&](storage::Session& s) {
      s.sql() << "SELECT COUNT(*) FROM b24_portals WHERE state = 'installed'", soci::into(n);
    });
    return n == 1;
  }

  testing::RawResponse Post(const std::string& suffix, const std::string& json,
                            const std::string& key = kApiKey, const std::string& salt = kSalt) {
    return opdesk_->Post(base_ + suffix, mango::BuildEnvelope(key, json, salt),
                         {{"Content-Type", "application/x-www-form-urlencoded"}});
  }

  // Waits until every stored event is applied and the outbox has nothing left for calls.
  bool Settled() {
    return testing::WaitFor(
        [&] {
          long long open = 0;
          storage::WithSession(*db_, [&](storage::Session& s) {
            // Events first: an applied event's jobs are committed with it.
            s.sql() << "SELECT COUNT(*) FROM events WHERE pending = 1", soci::into(open);
            if (open > 0) {
              return;
            }
            s.sql() << "SELECT COUNT(*) FROM jobs WHERE kind LIKE 'call.%' AND state IN"
                       " ('pending', 'running')",
                soci::into(open);
          });
          return open == 0;
        },
        30s);
  }

  // REST method names are case-insensitive; the emulator logs them lower-cased.
  std::vector<value> Requests(std::string method) {
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    std::vector<value> out;
    const value log = emu_->Control("GET", "/_emu/requests");
    for (const auto& r : log.at("requests").as_array()) {
      if (r.at("rest_method").is_string() && r.at("rest_method").as_string() == method &&
          r.at("status").as_integer() == 200) {
        out.push_back(r.at("params"));
      }
    }
    return out;
  }

  static std::string S(const value& params, const char* key) {
    const value& v = params.at(key);
    return v.is_string() ? v.as_string() : v.serialize();
  }

  std::unique_ptr<testing::B24Emulator> emu_;
  std::unique_ptr<testing::MangoEmulator> pbx_;
  std::unique_ptr<testing::Opdesk> opdesk_;
  std::unique_ptr<storage::Database> db_;
  std::string base_;
};

// The inbound call of reference mango.md §2.8 item 1, answered by extension 102 (user 2).
std::vector<std::pair<std::string, std::string>> AnsweredInbound(const std::string& entry) {
  const std::string from = R"("from":{"number":"79001234567"})";
  const std::string line = R"("line_number":"74951234567")";
  auto call = [&](const std::string& leg, int seq, const std::string& state,
                  const std::string& location, const std::string& ext, int reason) {
    return std::make_pair(
        std::string("events/call"),
        R"({"entry_id":")" + entry + R"(","call_id":")" + leg + R"(","timestamp":)" +
            std::to_string(1'700'000'000 + seq + (leg == "A2" ? 10 : 0)) + R"(,"seq":)" +
            std::to_string(seq) + R"(,"call_state":")" + state + R"(","location":")" + location +
            R"(",)" + from + R"(,"to":{)" +
            (ext.empty() ? "" : R"("extension":")" + ext + R"(",)") +
            R"("number":"sip:op@x.mangosip.ru",)" + line + "}" +
            (reason ? R"(,"disconnect_reason":)" + std::to_string(reason) : std::string()) + "}");
  };
  return {
      call("A1", 1, "Appeared", "ivr", "", 0),
      call("A1", 2, "Disconnected", "ivr", "", 1100),
      call("A2", 1, "Appeared", "abonent", "102", 0),
      call("A2", 2, "Connected", "abonent", "102", 0),
      call("A2", 3, "Disconnected", "abonent", "102", 1110),
      {"events/summary",
       R"({"entry_id":")" + entry +
           R"(","call_direction":1,"from":{"number":"79001234567"},)"
           R"("to":{"extension":"102"},"line_number":"74951234567","create_time":1700000000,)"
           R"("forward_time":1700000005,"talk_time":1700000012,"end_time":1700000097,)"
           R"("entry_result":1,"disconnect_reason":1110})"},
  };
}

TEST_P(MangoCallsTest, AnsweredInboundCallIsRegisteredOnceAndFinishedWithItsRealOutcome) {
  for (const auto& [suffix, json] : AnsweredInbound("entry-1")) {
    testing::RawResponse r = Post(suffix, json);
    ASSERT_EQ(r.status, 200) << suffix << " " << r.body;
  }
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  std::vector<value> registers = Requests("telephony.externalCall.register");
  ASSERT_EQ(registers.size(), 1u);
  EXPECT_EQ(S(registers[0], "EXTERNAL_CALL_ID"), "entry-1");
  EXPECT_EQ(S(registers[0], "TYPE"), "2");
  EXPECT_EQ(S(registers[0], "USER_ID"), "2") << "extension 102 is user 2 by UF_PHONE_INNER";
  EXPECT_EQ(S(registers[0], "LINE_NUMBER"), "74951234567");
  EXPECT_EQ(S(registers[0], "PHONE_NUMBER"), "79001234567");
  EXPECT_EQ(S(registers[0], "SHOW"), "1");
  std::vector<value> finishes = Requests("telephony.externalCall.finish");
  ASSERT_EQ(finishes.size(), 1u);
  EXPECT_EQ(S(finishes[0], "USER_ID"), "2");
  EXPECT_EQ(S(finishes[0], "STATUS_CODE"), "200");
  EXPECT_EQ(S(finishes[0], "DURATION"), "85");
  EXPECT_EQ(S(finishes[0], "ADD_TO_CHAT"), "1");
  EXPECT_EQ(Requests("telephony.externalCall.show").size(), 0u);
  // The finish was queued with the outcome it sent, so its job did not read the call again.
  std::string payload;
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "SELECT payload FROM jobs WHERE kind = 'call.finish'", soci::into(payload);
  });
  const value finish_job = value::parse(payload);
  EXPECT_EQ(finish_job.at("status").as_string(), "200");
  EXPECT_EQ(finish_job.at("duration_s").as_integer(), 85);
}

TEST_P(MangoCallsTest, DuplicatedAndShuffledDeliveryEndsInTheSameCrmCalls) {
  auto events = AnsweredInbound("entry-2");
  std::vector<std::pair<std::string, std::string>> delivery = events;
  delivery.insert(delivery.end(), events.begin(), events.end());
  std::mt19937 rng(42);
  std::shuffle(delivery.begin(), delivery.end() - 1, rng);  // the summary stays last
  for (const auto& [suffix, json] : delivery) {
    ASSERT_EQ(Post(suffix, json).status, 200);
  }
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  std::vector<value> registers = Requests("telephony.externalCall.register");
  ASSERT_EQ(registers.size(), 1u);
  EXPECT_EQ(S(registers[0], "USER_ID"), "2");
  std::vector<value> finishes = Requests("telephony.externalCall.finish");
  ASSERT_EQ(finishes.size(), 1u);
  EXPECT_EQ(S(finishes[0], "STATUS_CODE"), "200");
  EXPECT_EQ(S(finishes[0], "DURATION"), "85");
  long long stored = 0;
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "SELECT COUNT(*) FROM events WHERE source = 'mango'", soci::into(stored);
  });
  EXPECT_EQ(stored, 6) << "each distinct event is stored once";
}

TEST_P(MangoCallsTest, CallMissedInIvrIsRegisteredWithoutCardAndFinishedAsMissed) {
  ASSERT_EQ(
      Post("events/call", R"({"entry_id":"entry-3","call_id":"I1","seq":1,"call_state":"Appeared",)"
                          R"("location":"ivr","from":{"number":"79005550000"},)"
                          R"("to":{"number":"74951234567","line_number":"74951234567"}})")
          .status,
      200);
  ASSERT_EQ(Post("events/summary",
                 R"({"entry_id":"entry-3","call_direction":1,"from":{"number":"79005550000"},)"
                 R"("to":{},"line_number":"74951234567","create_time":1700000000,)"
                 R"("forward_time":0,"talk_time":0,"end_time":1700000020,"entry_result":1,)"
                 R"("disconnect_reason":1170})")
                .status,
            200);
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  std::vector<value> registers = Requests("telephony.externalCall.register");
  ASSERT_EQ(registers.size(), 1u);
  EXPECT_EQ(S(registers[0], "SHOW"), "0");
  EXPECT_EQ(S(registers[0], "USER_ID"), "1") << "the tenant's default user (the installer)";
  std::vector<value> finishes = Requests("telephony.externalCall.finish");
  ASSERT_EQ(finishes.size(), 1u);
  EXPECT_EQ(S(finishes[0], "STATUS_CODE"), "304");
  EXPECT_EQ(S(finishes[0], "DURATION"), "0");
}

TEST_P(MangoCallsTest, BadNotificationsAreRefusedAndChangeNothing) {
  const std::string event = AnsweredInbound("entry-4")[0].second;
  EXPECT_EQ(Post("events/call", event, kApiKey, "wrong-salt").status, 403);
  EXPECT_EQ(Post("events/call", event, "other-vpbx", kSalt).status, 403);
  EXPECT_EQ(opdesk_
                ->Post("/mango/0000/events/call", mango::BuildEnvelope(kApiKey, event, kSalt),
                       {{"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            404);
  EXPECT_EQ(Post("events/unknown", event).status, 404);
  testing::RawResponse malformed = Post("events/call", "{not json");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(value::parse(malformed.body).at("error").at("field").as_string(), "json");
  testing::RawResponse missing =
      Post("events/call", R"({"entry_id":"e","seq":1,"call_state":"Appeared"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(value::parse(missing.body).at("error").at("field").as_string(), "call_id");
  EXPECT_EQ(opdesk_
                ->Post(base_ + "events/call", "json=" + std::string(70'000, 'x'),
                       {{"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            413);
  EXPECT_EQ(opdesk_
                ->Post(base_ + "events/call", "sign=x&json={}",
                       {{"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            400);
  long long stored = 0;
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "SELECT COUNT(*) FROM events WHERE source = 'mango'", soci::into(stored);
  });
  EXPECT_EQ(stored, 0);
  EXPECT_EQ(Post("ping", "{}").status, 200);
  EXPECT_EQ(opdesk_->Get("/healthz").status, 200);
}

TEST_P(MangoCallsTest, CrmFaultsExpiringTokensAndARestartNeitherLoseNorDoubleACall) {
  // Two refusals for certain, then 30% of every answer at random.
  emu_->Control("POST", "/_emu/faults",
                R"({"method":"telephony.externalcall.register","status":503,)"
                R"("error":"QUERY_LIMIT_EXCEEDED","count":2})");
  emu_->Control("POST", "/_emu/faults",
                R"({"method":"*","status":503,"error":"QUERY_LIMIT_EXCEEDED",)"
                R"("probability":0.3,"count":0})");
  std::atomic<bool> stop{false};
  std::thread expirer([&] {
    while (!stop) {
      emu_->Control("POST", "/_emu/tokens/expire");
      std::this_thread::sleep_for(150ms);
    }
  });
  std::mt19937 rng(7);
  auto deliver = [&](const std::vector<std::pair<std::string, std::string>>& events) {
    for (const auto& [suffix, json] : events) {
      testing::RawResponse r = Post(suffix, json);
      ASSERT_EQ(r.status, 200) << r.body;
    }
  };
  auto shuffled_twice = [&](const std::string& entry) {
    auto events = AnsweredInbound(entry);
    std::vector<std::pair<std::string, std::string>> d = events;
    d.insert(d.end(), events.begin(), events.end() - 1);
    std::shuffle(d.begin(), d.end() - 1, rng);
    return d;
  };
  for (int i = 1; i <= 3; ++i) {
    deliver(shuffled_twice("fault-" + std::to_string(i)));
  }
  const auto call4 = AnsweredInbound("fault-4");
  deliver({call4.begin(), call4.begin() + 3});
  opdesk_->process().Signal(SIGKILL);  // mid-scenario, with work queued and running
  ASSERT_EQ(opdesk_->process().Wait(5s), 128 + SIGKILL);
  ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
  deliver({call4.begin() + 3, call4.end()});
  deliver(shuffled_twice("fault-5"));
  stop = true;
  expirer.join();
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  emu_->Control("DELETE", "/_emu/faults");

  // The faults really happened.
  int limited = 0;
  const value log = emu_->Control("GET", "/_emu/requests");
  for (const auto& r : log.at("requests").as_array()) {
    limited += r.at("status").as_integer() == 503 ? 1 : 0;
  }
  EXPECT_GT(limited, 0);
  EXPECT_GT(emu_->Control("GET", "/_emu/stats").at("oauth").at("refreshes").as_integer(), 0);

  const value state = emu_->Control("GET", "/_emu/state");
  std::map<std::string, int> per_entry;
  for (const auto& call : state.at("calls").as_array()) {
    const std::string entry = call.at("EXTERNAL_CALL_ID").as_string();
    ++per_entry[entry];
    EXPECT_TRUE(call.at("finished").as_bool()) << entry;
    if (call.at("finished").as_bool()) {
      const value& finish = call.at("finish_params");
      EXPECT_EQ(S(finish, "STATUS_CODE"), "200") << entry;
      EXPECT_EQ(S(finish, "DURATION"), "85") << entry;
      EXPECT_EQ(S(finish, "USER_ID"), "2") << entry;
    }
  }
  for (int i = 1; i <= 5; ++i) {
    EXPECT_EQ(per_entry["fault-" + std::to_string(i)], 1) << "call " << i;
  }
  EXPECT_EQ(per_entry.size(), 5u);
  long long dead = 0;
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "SELECT COUNT(*) FROM jobs WHERE state IN ('dead', 'dropped')", soci::into(dead);
  });
  EXPECT_EQ(dead, 0);
}

TEST_P(MangoCallsTest, UnmappedEmployeesCallGoesToTheCatchAllUserWithoutCard) {
  // Extension 104 belongs to a deactivated portal user: nobody active has it.
  storage::InTransaction(*db_, [&](storage::Session& s) {
    storage::IntegrationSettingsRepository::Save(s, emu_->member_id(),
                                                 R"({"catch_all_user_id":"3"})", 0, 1);
  });
  auto events = AnsweredInbound("entry-104");
  for (auto& [suffix, json] : events) {
    json = std::regex_replace(json, std::regex(R"("extension":"102")"), R"("extension":"104")");
    ASSERT_EQ(Post(suffix, json).status, 200);
  }
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  std::vector<value> registers = Requests("telephony.externalCall.register");
  ASSERT_EQ(registers.size(), 1u);
  EXPECT_EQ(S(registers[0], "USER_ID"), "3");
  EXPECT_EQ(S(registers[0], "SHOW"), "0") << "no card for a stand-in";
  std::vector<value> finishes = Requests("telephony.externalCall.finish");
  ASSERT_EQ(finishes.size(), 1u);
  EXPECT_EQ(S(finishes[0], "USER_ID"), "3");
}

INSTANTIATE_TEST_SUITE_P(Backends, MangoCallsTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
