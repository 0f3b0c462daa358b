// Megaplan's marketplace application against the real opdesk and the account emulator, on SQLite
// and MariaDB: the emulator opens opdesk's application URL as Megaplan does (accountId,
// uniqueAccountId, applicationToken, expirationTime, applicationUuid, permanentHost, userSign)
// and posts entity events. A launch is stored only when everything verifiable checks out; each
// forged, expired or mismatched launch and each unverifiable event is refused with a clear error
// and stores nothing.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>

#include "connector/storage/database.h"
#include "tests/support/b24emu.h"
#include "tests/support/opdesk_process.h"
#include "tests/support/process.h"

namespace opdesk {
namespace {

using web::json::value;

constexpr const char* kAppUuid = "0b4f6d0e-6a55-4d1c-9a1e-opdesk-test";

class MegaplanAppTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    mp_ = std::make_unique<testing::MegaplanEmulator>();
    opdesk_ = std::make_unique<testing::Opdesk>(
        GetParam(), std::map<std::string, std::string>{
                        {"OPDESK_ALLOW_INSECURE_ENDPOINTS", "true"},
                        {"OPDESK_MEGAPLAN_APPLICATION_UUID", kAppUuid},
                        {"OPDESK_MEGAPLAN_APPLICATION_HOST_DOMAINS", "megaplan.ru,127.0.0.1"}});
    ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
    db_ = opdesk_->OpenDatabase();
    host_ = "127.0.0.1:" + std::to_string(mp_->port());
    tenant_ = "megaplan:" + host_;
  }

  // The emulator opens opdesk's application URL; `fields` forges or drops ("<omit>") fields.
  value Open(const value& fields = value::object(), const std::string& extra = "") {
    std::string body = R"({"url":")" + opdesk_->url() + R"(/megaplan/app","application_uuid":")" +
                       kAppUuid + R"(","fields":)" + fields.serialize() + extra + "}";
    return mp_->Control("POST", "/_emu/app/open", body);
  }

  value Event(const std::string& event, const std::string& id,
              const std::string& model = "ContractorHuman", const std::string& extra = "") {
    return mp_->Control("POST", "/_emu/app/event",
                        R"({"url":")" + opdesk_->url() +
                            R"(/megaplan/events","application_uuid":")" + kAppUuid +
                            R"(","event":")" + event + R"(","model":")" + model + R"(","id":")" +
                            id + "\"" + extra + "}");
  }

  long long Count(const std::string& from_where) {
    long long n = 0;
    storage::WithSession(*db_, [&](storage::Session& s) {
      s.sql() << "SELECT COUNT(*) FROM " + from_where, soci::into(n);
    });
    return n;
  }

  std::string Column(const std::string& column) {
    std::string v;
    storage::WithSession(*db_, [&](storage::Session& s) {
      s.sql() << "SELECT " + column + " FROM megaplan_accounts WHERE tenant_id = :t", soci::into(v),
          soci::use(tenant_);
    });
    return v;
  }

  // A refusal: opdesk's status, its error's code and field, and nothing stored.
  void ExpectRefused(const value& answer, int status, const std::string& field = "") {
    EXPECT_EQ(answer.at("status").as_integer(), status) << answer.serialize();
    ASSERT_TRUE(answer.at("body").has_field("error")) << answer.serialize();
    const value& error = answer.at("body").at("error");
    EXPECT_FALSE(error.at("message").as_string().empty());
    if (!field.empty()) {
      EXPECT_EQ(error.at("field").as_string(), field) << answer.serialize();
    }
    EXPECT_EQ(Count("megaplan_accounts"), 0);
    EXPECT_EQ(Count("tenants WHERE id LIKE 'megaplan:%'"), 0);
  }

  // How many times the emulator was asked for a path (the API log).
  int Requests(const std::string& method, const std::string& path) {
    int n = 0;
    const value log = mp_->Control("GET", "/_emu/requests");  // alive while iterating
    for (const value& r : log.at("requests").as_array()) {
      if (r.at("method").as_string() == method && r.at("path").as_string() == path) {
        ++n;
      }
    }
    return n;
  }

  std::unique_ptr<testing::MegaplanEmulator> mp_;
  std::unique_ptr<testing::Opdesk> opdesk_;
  std::unique_ptr<storage::Database> db_;
  std::string host_;
  std::string tenant_;
};

TEST_P(MegaplanAppTest, ALaunchIsVerifiedSealedAndUsedAsTheBearerToken) {
  const value answer = Open();
  ASSERT_EQ(answer.at("status").as_integer(), 200) << answer.serialize() << opdesk_->Log();
  EXPECT_EQ(answer.at("body").at("tenant_id").as_string(), tenant_);
  EXPECT_FALSE(answer.at("body").at("reconnected").as_bool());
  const std::string token = answer.at("token").as_string();
  EXPECT_EQ(Column("connected_via"), "application");
  EXPECT_EQ(Column("unique_account_id"), "emu-account-" + std::to_string(mp_->port()));
  EXPECT_EQ(Column("account_host"), host_);
  EXPECT_EQ(Column("token_sealed").find(token), std::string::npos) << "the token is sealed";
  EXPECT_EQ(opdesk_->Log().find(token), std::string::npos) << "the token is not logged";
  // The token was tried on the account before it was stored.
  EXPECT_GE(Requests("GET", "/api/v3/currentUser"), 1);
  // opdesk uses it: an event makes opdesk read the contractor with it.
  const value event = Event("on_after_update", "1000100");
  EXPECT_EQ(event.at("status").as_integer(), 200) << event.serialize() << opdesk_->Log();
  EXPECT_EQ(event.at("body").at("status").as_string(), "refreshed");
  bool used = false;
  const value log = mp_->Control("GET", "/_emu/requests");  // alive while iterating
  for (const value& r : log.at("requests").as_array()) {
    used |= r.at("path").as_string() == "/api/v3/contractor/1000100" && r.has_field("user") &&
            r.at("user").as_string() == "1000001";
  }
  EXPECT_TRUE(used) << "the contractor was read with the application token";
  // The status pages name the account.
  EXPECT_NE(
      opdesk_->Get("/metrics").body.find("opdesk_megaplan_token_ok{tenant=\"" + tenant_ + "\"} 1"),
      std::string::npos);
}

TEST_P(MegaplanAppTest, ALaunchAsAFormPostWithAnIsoExpiryAndARelaunchKeepOneTenant) {
  value first = Open(value::object(), R"(,"method":"POST","expiration":"iso")");
  ASSERT_EQ(first.at("status").as_integer(), 200) << first.serialize() << opdesk_->Log();
  const std::string sealed = Column("token_sealed");
  // Megaplan opens the application again (a new token): the same tenant, the new token.
  value again = Open();
  ASSERT_EQ(again.at("status").as_integer(), 200) << again.serialize();
  EXPECT_TRUE(again.at("body").at("reconnected").as_bool());
  EXPECT_NE(Column("token_sealed"), sealed);
  EXPECT_EQ(Count("megaplan_accounts"), 1);
}

TEST_P(MegaplanAppTest, AnApplicationTokenNearItsEndAsksForTheApplicationToBeOpenedAgain) {
  // opdesk cannot renew an application token itself (the reference names no way): /readyz says
  // so 6 hours ahead, and the next launch renews it.
  ASSERT_EQ(Open(value::object(), R"(,"token_ttl_s":3600)").at("status").as_integer(), 200);
  const std::string ready = opdesk_->Get("/readyz").body;
  EXPECT_NE(ready.find(R"("tenant":")" + tenant_ +
                       R"(","token":"expiring","renew_by":"opening the application in Megaplan")"),
            std::string::npos)
      << ready;
  ASSERT_EQ(Open().at("status").as_integer(), 200);
  EXPECT_EQ(opdesk_->Get("/readyz").body.find(tenant_), std::string::npos);
}

TEST_P(MegaplanAppTest, AnAccountConnectedBothWaysIsOneTenant) {
  std::string out;
  ASSERT_EQ(testing::RunCommand({OPDESK_BINARY, "tenant", "megaplan", "--url", mp_->url(),
                                 "--login", "bot", "--password", "bot-pass"},
                                opdesk_->env(), opdesk_->dir(), &out),
            0)
      << out;
  EXPECT_EQ(Column("connected_via"), "password");
  const value answer = Open();
  ASSERT_EQ(answer.at("status").as_integer(), 200) << answer.serialize();
  EXPECT_EQ(answer.at("body").at("tenant_id").as_string(), tenant_);
  EXPECT_TRUE(answer.at("body").at("reconnected").as_bool());
  EXPECT_EQ(Count("megaplan_accounts"), 1);
  EXPECT_EQ(Count("tenants WHERE id LIKE 'megaplan:%'"), 1);
  EXPECT_EQ(Column("connected_via"), "application");
  EXPECT_EQ(Column("employee_id"), "1000005") << "the service user stays the default user";
}

TEST_P(MegaplanAppTest, AnotherApplicationsUuidIsRefused) {
  value fields = value::object();
  fields["applicationUuid"] = value::string("someone-elses-app");
  ExpectRefused(Open(fields), 403);
}

TEST_P(MegaplanAppTest, AnExpiredTokenIsRefused) {
  value fields = value::object();
  fields["expirationTime"] = value::string("1600000000");
  ExpectRefused(Open(fields), 401);
}

TEST_P(MegaplanAppTest, AMalformedExpirationTimeIsRefused) {
  value fields = value::object();
  fields["expirationTime"] = value::string("tomorrow");
  ExpectRefused(Open(fields), 400, "expirationTime");
}

TEST_P(MegaplanAppTest, AMissingFieldIsRefused) {
  for (const char* name : {"userSign", "uniqueAccountId", "applicationToken", "permanentHost"}) {
    value fields = value::object();
    fields[name] = value::string("<omit>");
    ExpectRefused(Open(fields), 400, name);
  }
}

TEST_P(MegaplanAppTest, AForgedTokenIsRefused) {
  value fields = value::object();
  fields["applicationToken"] = value::string("forged-token-0123456789");
  ExpectRefused(Open(fields), 403);
}

TEST_P(MegaplanAppTest, AHostOutsideMegaplanIsRefusedBeforeTheTokenIsSent) {
  const int before = Requests("GET", "/api/v3/currentUser");
  for (const char* host : {"evil.example.com", "acme.megaplan.ru.evil.com", "127.0.0.2:80",
                           "user@127.0.0.1", "127.0.0.1/api"}) {
    value fields = value::object();
    fields["permanentHost"] = value::string(host);
    ExpectRefused(Open(fields), 400, "permanentHost");
  }
  value fields = value::object();
  fields["accountId"] = value::string("attacker.example.org");
  ExpectRefused(Open(fields), 400, "accountId");
  EXPECT_EQ(Requests("GET", "/api/v3/currentUser"), before);
}

TEST_P(MegaplanAppTest, AnAccountHostTheTokenDoesNotOpenIsRefused) {
  // The token is this account's; the launch claims another account's address (a second
  // emulator), or the permanent host of another account.
  testing::MegaplanEmulator other;
  const std::string other_host = "127.0.0.1:" + std::to_string(other.port());
  value fields = value::object();
  fields["accountId"] = value::string(other_host);
  ExpectRefused(Open(fields), 403);
  value permanent = value::object();
  permanent["permanentHost"] = value::string(other_host);
  ExpectRefused(Open(permanent), 403);
  EXPECT_EQ(Count("tenants WHERE id = 'megaplan:" + other_host + "'"), 0);
}

TEST_P(MegaplanAppTest, AnotherUniqueAccountIdForAConnectedAccountIsRefused) {
  ASSERT_EQ(Open().at("status").as_integer(), 200);
  const std::string sealed = Column("token_sealed");
  value fields = value::object();
  fields["uniqueAccountId"] = value::string("another-account");
  const value answer = Open(fields);
  EXPECT_EQ(answer.at("status").as_integer(), 403) << answer.serialize();
  EXPECT_EQ(Column("token_sealed"), sealed) << "nothing changed";
}

TEST_P(MegaplanAppTest, EventsThatCannotBeVerifiedAreRefused) {
  // Before any launch: no account is connected as the application.
  value unknown = Event("on_after_create", "1000100");
  EXPECT_EQ(unknown.at("status").as_integer(), 404) << unknown.serialize();
  ASSERT_EQ(Open().at("status").as_integer(), 200);
  const int reads = Requests("GET", "/api/v3/contractor/1000100");
  // Another application.
  value other = Event("on_after_create", "1000100", "ContractorHuman",
                      R"(,"account_info":{"integrationUuid":"not-ours"})");
  EXPECT_EQ(other.at("status").as_integer(), 403) << other.serialize();
  // No account named.
  value anonymous = Event("on_after_create", "1000100", "ContractorHuman",
                          R"(,"account_info":{"accountId":"","uniqueAccountId":""})");
  EXPECT_EQ(anonymous.at("status").as_integer(), 400) << anonymous.serialize();
  // Another account's unique id.
  value mismatched = Event("on_after_create", "1000100", "ContractorHuman",
                           R"(,"account_info":{"uniqueAccountId":"another-account"})");
  EXPECT_EQ(mismatched.at("status").as_integer(), 403) << mismatched.serialize();
  // An unknown event and a missing id.
  EXPECT_EQ(Event("on_after_nothing", "1000100").at("status").as_integer(), 400);
  EXPECT_EQ(Event("on_after_create", "../1").at("status").as_integer(), 400);
  // Not JSON at all.
  EXPECT_EQ(
      opdesk_->Post("/megaplan/events", "{nope", {{"Content-Type", "application/json"}}).status,
      400);
  EXPECT_EQ(Requests("GET", "/api/v3/contractor/1000100"), reads)
      << "nothing refused made opdesk call the account";
  // A deal's event is accepted and ignored (opdesk keeps no copy of deals).
  value deal = Event("on_after_update", "1000300", "Deal");
  EXPECT_EQ(deal.at("status").as_integer(), 200);
  EXPECT_EQ(deal.at("body").at("status").as_string(), "ignored");
}

TEST_P(MegaplanAppTest, ADropEventIsBelievedOnlyWhenTheAccountSaysSo) {
  ASSERT_EQ(Open().at("status").as_integer(), 200);
  // A forged drop: the account still has the contractor, so opdesk keeps it.
  value forged = Event("on_after_drop", "1000100");
  EXPECT_EQ(forged.at("body").at("status").as_string(), "refreshed") << forged.serialize();
  mp_->Control("POST", "/_emu/app/drop", R"({"id":"1000100"})");
  value real = Event("on_after_drop", "1000100");
  EXPECT_EQ(real.at("body").at("status").as_string(), "dropped") << real.serialize();
  EXPECT_EQ(Requests("GET", "/api/v3/contractor/1000100"), 2);
}

TEST_P(MegaplanAppTest, WithoutAnApplicationUuidConfiguredBothRoutesAnswerNotFound) {
  testing::Opdesk plain(GetParam(), {{"OPDESK_ALLOW_INSECURE_ENDPOINTS", "true"}});
  ASSERT_TRUE(plain.Start()) << plain.Log();
  const value launch =
      mp_->Control("POST", "/_emu/app/open", R"({"url":")" + plain.url() + R"(/megaplan/app"})");
  EXPECT_EQ(launch.at("status").as_integer(), 404) << launch.serialize();
  EXPECT_NE(launch.at("body").at("error").at("message").as_string().find("application_uuid"),
            std::string::npos);
  const value event = mp_->Control("POST", "/_emu/app/event",
                                   R"({"url":")" + plain.url() + R"(/megaplan/events","id":"1"})");
  EXPECT_EQ(event.at("status").as_integer(), 404) << event.serialize();
}

INSTANTIATE_TEST_SUITE_P(Backends, MegaplanAppTest, ::testing::ValuesIn(testing::Backends()));

}  // namespace
}  // namespace opdesk
