// The Bitrix24 REST client against the portal emulator, on both database backends: token refresh
// is single-flight across threads and "processes" (separate pools), rotated tokens survive a
// restart, the portal's bucket is never overrun, 429 pauses one method only, and a non-idempotent
// call is never resent after a timeout.
#include <cpprest/json.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "adapters/bitrix24/rest_client.h"
#include "connector/domain/error.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/bitrix24/token_store.h"
#include "oauth/crypto.h"
#include "tests/support/b24emu.h"
#include "tests/support/canary.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using bitrix24::CallOptions;
using web::json::value;
using namespace std::chrono_literals;

// One opdesk "process": its own pool, token store, limiter and client over the shared database.
struct Client {
  Client(const testing::TestDatabase& db_handle, const crypto::SecretBox& box,
         const std::string& oauth_url)
      : db(db_handle.Open(false, 8)),
        http({true, 64, "opdesk-test"}),
        limiter(clock),
        tokens(*db, box, clock, http, {"app.test", "secret.test", oauth_url, true}),
        rest(*db, tokens, limiter, http, clock) {}
  SystemClock clock;
  std::unique_ptr<storage::Database> db;
  adapters::HttpTransport http;
  bitrix24::PortalRateLimiter limiter;
  bitrix24::TokenStore tokens;
  bitrix24::RestClient rest;
};

class B24RestTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    emu_ = std::make_unique<testing::B24Emulator>(
        std::vector<std::string>{"--rate", "1000", "--burst", "1000"});
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    test_db_->Open(true, 1);  // migrate
    box_ = std::make_unique<crypto::SecretBox>(crypto::RandomBytes(32));
    client_ = std::make_unique<Client>(*test_db_, *box_, emu_->base() + "/");
    SetPortalLimits(1000, 1000);
    value issued = emu_->Control("POST", "/_emu/tokens/issue", R"({"user_id":1})");
    bitrix24::TokenGrant grant;
    grant.access_token = issued.at("access_token").as_string();
    grant.refresh_token = issued.at("refresh_token").as_string();
    client_->tokens.Save(emu_->member_id(), "1", grant);
  }

  void SetPortalLimits(int rate, int burst) {
    B24Portal p;
    p.tenant_id = emu_->member_id();
    p.domain = "test.bitrix24.ru";
    p.client_endpoint = emu_->rest_endpoint();
    p.server_endpoint = emu_->rest_endpoint();
    p.state = "installed";
    p.installer_user_id = "1";
    p.rate_per_s = rate;
    p.burst = burst;
    storage::InTransaction(
        *client_->db, [&](storage::Session& s) { storage::B24PortalRepository::Upsert(s, p); });
  }

  B24Portal Portal() {
    std::optional<B24Portal> p;
    storage::WithSession(*client_->db, [&](storage::Session& s) {
      p = storage::B24PortalRepository::Find(s, emu_->member_id());
    });
    return p.value();
  }

  value Stats() { return emu_->Control("GET", "/_emu/stats"); }
  long long Refreshes() { return Stats().at("oauth").at("refreshes").as_number().to_int64(); }
  long long InvalidGrants() {
    return Stats().at("oauth").at("invalid_grant").as_number().to_int64();
  }

  std::unique_ptr<testing::B24Emulator> emu_;
  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<crypto::SecretBox> box_;
  std::unique_ptr<Client> client_;
};

TEST_P(B24RestTest, CallReturnsTheResultAndMapsPortalErrors) {
  value profile = client_->rest.Call(emu_->member_id(), "profile", value::object());
  EXPECT_TRUE(profile.at("ADMIN").as_bool());
  try {
    client_->rest.Call(emu_->member_id(), "no.such.method", value::object());
    FAIL() << "unknown method accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound) << e.what();
  }
  value todo = value::object();
  todo["ownerTypeId"] = value::number(3);
  todo["ownerId"] = value::number(1);
  try {
    client_->rest.Call(emu_->member_id(), "crm.activity.todo.add", todo);
    FAIL() << "todo without deadline accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    EXPECT_NE(std::string(e.what()).find("deadline"), std::string::npos) << e.what();
  }
}

TEST_P(B24RestTest, HundredConcurrentCallsOnAnExpiredTokenRefreshOnce) {
  emu_->Control("POST", "/_emu/tokens/expire");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 100; ++i) {
    threads.emplace_back([&] {
      try {
        client_->rest.Call(emu_->member_id(), "profile", value::object());
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Refreshes(), 1);
  EXPECT_EQ(InvalidGrants(), 0);
}

TEST_P(B24RestTest, TwoProcessesShareOneRefreshThroughTheRowLock) {
  Client other(*test_db_, *box_, emu_->base() + "/");
  emu_->Control("POST", "/_emu/tokens/expire");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&, i] {
      Client& c = i % 2 == 0 ? *client_ : other;
      try {
        c.rest.Call(emu_->member_id(), "profile", value::object());
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  if (GetParam() == "sqlite") {
    // SQLite's one write lock is not held across the auth server's answer (it would stop every
    // other write meanwhile), so each process may ask once; the loser takes the winner's token.
    EXPECT_LE(Refreshes(), 2);
    EXPECT_EQ(InvalidGrants(), Refreshes() - 1);
    EXPECT_FALSE(Portal().needs_reauth);
    return;
  }
  EXPECT_EQ(Refreshes(), 1);
  EXPECT_EQ(InvalidGrants(), 0);
}

TEST_P(B24RestTest, ASlowRefreshDoesNotStopOtherWrites) {
  // On SQLite one write lock covers the whole file; a refresh that held it while the auth server
  // took its time stopped every webhook and job of every tenant meanwhile.
  emu_->Control("POST", "/_emu/faults", R"({"method":"oauth.token","delay_ms":2000})");
  emu_->Control("POST", "/_emu/tokens/expire");
  std::atomic<bool> refreshed{false};
  std::thread call([&] {
    client_->rest.Call(emu_->member_id(), "profile", value::object());
    refreshed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the refresh is on its way
  AuditEntry entry = MakeAuditEntry(emu_->member_id(), "test", "write.during.refresh", "portal",
                                    emu_->member_id(), 1);
  const auto started = std::chrono::steady_clock::now();
  storage::InTransaction(
      *client_->db, [&](storage::Session& s) { storage::AuditLogRepository::Append(s, entry); });
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_FALSE(refreshed.load()) << "the write had to wait for the auth server";
  // The auth server answers 1.6 s later still: a write held behind the refresh waits that long.
  EXPECT_LT(waited, std::chrono::milliseconds(1000)) << "the write waited for the refresh";
  call.join();
  EXPECT_TRUE(refreshed.load());
  EXPECT_EQ(Refreshes(), 1);
}

TEST_P(B24RestTest, RotatedRefreshTokenSurvivesARestart) {
  emu_->Control("POST", "/_emu/tokens/expire");
  client_->rest.Call(emu_->member_id(), "profile", value::object());
  ASSERT_EQ(Refreshes(), 1);
  client_.reset();  // the process stops
  client_ = std::make_unique<Client>(*test_db_, *box_, emu_->base() + "/");
  emu_->Control("POST", "/_emu/tokens/expire");
  client_->rest.Call(emu_->member_id(), "profile", value::object());
  EXPECT_EQ(Refreshes(), 2);
  EXPECT_EQ(InvalidGrants(), 0) << "the second refresh used the rotated token from the database";
}

TEST_P(B24RestTest, RefusedRefreshMarksThePortalForReauthorization) {
  // A real access token about to expire, with a refresh token the auth server no longer knows
  // (revoked, or lost to a race in some other system).
  value issued = emu_->Control("POST", "/_emu/tokens/issue", R"({"user_id":1})");
  bitrix24::TokenGrant dead_refresh;
  dead_refresh.access_token = issued.at("access_token").as_string();
  dead_refresh.refresh_token = "not-a-refresh-token";
  client_->tokens.Save(emu_->member_id(), "1", dead_refresh);
  emu_->Control("POST", "/_emu/tokens/expire");
  try {
    client_->rest.Call(emu_->member_id(), "profile", value::object());
    FAIL() << "a dead token worked";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnauthenticated);
    EXPECT_NE(std::string(e.what()).find("re-authorization"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(Portal().needs_reauth);
  EXPECT_EQ(InvalidGrants(), 1);
}

TEST_P(B24RestTest, BurstOfFiveHundredCallsNeverOverrunsThePortalBucket) {
  emu_->Control("POST", "/_emu/limits", R"({"rate":100,"burst":50})");
  SetPortalLimits(100, 50);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 500; i += 8) {
        try {
          client_->rest.Call(emu_->member_id(), "profile", value::object());
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  value bucket = Stats().at("bucket");
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(bucket.at("limit_rejections").as_number().to_int64(), 0);
  EXPECT_LE(bucket.at("max_level").as_number().to_double(), 50.0);
  EXPECT_EQ(emu_->CountRequests("profile"), 500);
}

TEST_P(B24RestTest, QueryLimitAnswersAreBackedOffAndResent) {
  emu_->Control("POST", "/_emu/faults",
                R"({"method":"profile","status":503,"error":"QUERY_LIMIT_EXCEEDED","count":2})");
  value profile = client_->rest.Call(emu_->member_id(), "profile", value::object());
  EXPECT_TRUE(profile.has_field("ID"));
  EXPECT_EQ(emu_->CountRequests("profile"), 3);
}

TEST_P(B24RestTest, OperationLimitPausesOnlyThatMethod) {
  emu_->Control("POST", "/_emu/faults",
                R"({"method":"crm.lead.list","status":429,"error":"OPERATION_TIME_LIMIT",)"
                R"("count":1,"operating_reset_in_s":120})");
  for (int i = 0; i < 2; ++i) {
    try {
      client_->rest.Call(emu_->member_id(), "crm.lead.list", value::object());
      FAIL() << "paused method ran";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kResourceExhausted);
      ASSERT_TRUE(e.retry_after_ms());
      EXPECT_GT(*e.retry_after_ms(), 60'000);
    }
  }
  EXPECT_EQ(emu_->CountRequests("crm.lead.list"), 1) << "the paused method is not sent again";
  value contacts = client_->rest.Call(emu_->member_id(), "crm.contact.list", value::object());
  EXPECT_TRUE(contacts.is_array());
}

TEST_P(B24RestTest, NonIdempotentCallIsNotResentAfterATimeout) {
  emu_->Control("POST", "/_emu/faults", R"({"method":"crm.lead.add","delay_ms":2500,"count":1})");
  value params = value::object();
  params["fields"]["TITLE"] = value::string("Звонок");
  CallOptions options;
  options.idempotent = false;
  options.deadline = 800ms;
  try {
    client_->rest.Call(emu_->member_id(), "crm.lead.add", params, options);
    FAIL() << "a call slower than its deadline returned";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kDeadlineExceeded) << e.what();
    EXPECT_NE(std::string(e.what()).find("not resent"), std::string::npos) << e.what();
  }
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(emu_->CountRequests("crm.lead.add"), 1);
  EXPECT_EQ(emu_->Control("GET", "/_emu/state").at("leads").size(), 1u);
}

TEST_P(B24RestTest, RenamedPortalIsFollowedAndRemembered) {
  emu_->Control("POST", "/_emu/domain", R"({"domain":"new.bitrix24.ru"})");
  value profile = client_->rest.Call(emu_->member_id(), "profile", value::object());
  EXPECT_TRUE(profile.has_field("ID"));
  B24Portal p = Portal();
  EXPECT_NE(p.client_endpoint.find("/renamed/rest/"), std::string::npos) << p.client_endpoint;
  client_->rest.Call(emu_->member_id(), "profile", value::object());
}

TEST_P(B24RestTest, ARedirectOutOfThePortalsDomainIsNotFollowed) {
  // Someone answering for the portal sends its calls (with the token) elsewhere: 127.0.0.2 is
  // another host than the portal's 127.0.0.1, and nothing may connect there.
  testing::Canary elsewhere_canary("127.0.0.2");
  const std::string elsewhere = "127.0.0.2:" + std::to_string(elsewhere_canary.port());
  emu_->Control("POST", "/_emu/domain",
                R"({"domain":"new.bitrix24.ru","redirect_host":")" + elsewhere + R"("})");
  const std::string before = Portal().client_endpoint;
  try {
    client_->rest.Call(emu_->member_id(), "profile", value::object());
    ADD_FAILURE() << "the redirect was followed";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kPermissionDenied) << e.what();
  }
  EXPECT_EQ(Portal().client_endpoint, before);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(elsewhere_canary.connections(), 0);
}

TEST_P(B24RestTest, BatchResolvesResultReferencesAndListsPage) {
  std::vector<std::pair<std::string, std::string>> commands;
  value lead = value::object();
  lead["fields"]["TITLE"] = value::string("Из пакета");
  // "new_lead" sorts after "get": the commands must still run in the order given.
  commands.emplace_back("new_lead", bitrix24::RestClient::BatchCommand("crm.lead.add", lead));
  value get = value::object();
  get["id"] = value::string("$result[new_lead]");
  commands.emplace_back("get", bitrix24::RestClient::BatchCommand("crm.lead.get", get));
  bitrix24::BatchResult batch = client_->rest.Batch(emu_->member_id(), commands, true);
  EXPECT_TRUE(batch.errors.empty());
  ASSERT_TRUE(batch.results().count("get"));
  EXPECT_EQ(batch.results()["get"].at("TITLE").as_string(), "Из пакета");

  std::vector<std::pair<std::string, std::string>> adds;
  for (int i = 0; i < 50; ++i) {
    value l = value::object();
    l["fields"]["TITLE"] = value::string("Лид " + std::to_string(i));
    adds.emplace_back("a" + std::to_string(i),
                      bitrix24::RestClient::BatchCommand("crm.lead.add", l));
  }
  client_->rest.Batch(emu_->member_id(), adds, false);
  client_->rest.Batch(emu_->member_id(), {adds.begin(), adds.begin() + 20}, false);
  EXPECT_EQ(client_->rest.ListAll(emu_->member_id(), "crm.lead.list", value::object()).size(), 71u);
  EXPECT_EQ(client_->rest.ScanById(emu_->member_id(), "crm.lead.list", value::object()).size(),
            71u);
  EXPECT_THROW(client_->rest.Batch(
                   emu_->member_id(),
                   std::vector<std::pair<std::string, std::string>>(51, {"k", "profile"}), false),
               Error);
}

INSTANTIATE_TEST_SUITE_P(Backends, B24RestTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
