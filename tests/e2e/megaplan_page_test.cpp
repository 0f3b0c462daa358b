// The «Мегаплан» page's server side end to end: the real opdesk between the Megaplan account
// emulator (connected with `opdesk tenant megaplan` as the integration employee) and the Mango
// VPBX emulator, on SQLite and MariaDB. The page for a known account only; the sign-in with a
// Megaplan administrator's password (a wrong one and a non-admin refused, storing nothing); the
// settings API serving a Megaplan tenant through the CRM interface (schemes and statuses of the
// account, versioned and audited saves, fields named in refusals, the employee map with manual
// links); the token's state, its check and signing the integration in again; and each refusal
// (401 without a session, 403 for a user without the right, 404 for an account opdesk does not
// know, 400 naming the field).
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <fstream>
#include <regex>

#include "tests/support/b24emu.h"
#include "tests/support/opdesk_process.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using namespace std::chrono_literals;
using web::json::value;

constexpr const char* kKey = "vpbx-mp-key";
constexpr const char* kSalt = "vpbx-mp-salt";

class MegaplanPageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    mp_ = std::make_unique<testing::MegaplanEmulator>();
    pbx_ = std::make_unique<testing::MangoEmulator>(kKey, kSalt);
    opdesk_ = std::make_unique<testing::Opdesk>(
        GetParam(), std::map<std::string, std::string>{{"OPDESK_ALLOW_INSECURE_ENDPOINTS", "true"},
                                                       {"OPDESK_UI_DIST_DIR", FakeUiBuild()},
                                                       {"OPDESK_MANGO_API_URL", pbx_->api_url()}});
    ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
    db_ = opdesk_->OpenDatabase();
    std::string out;
    ASSERT_EQ(testing::RunCommand({OPDESK_BINARY, "tenant", "megaplan", "--url", mp_->url(),
                                   "--login", "bot", "--password", "bot-pass"},
                                  opdesk_->env(), opdesk_->dir(), &out),
              0)
        << out;
    host_ = "127.0.0.1:" + std::to_string(mp_->port());
    tenant_ = "megaplan:" + host_;
    ASSERT_EQ(testing::RunCommand({OPDESK_BINARY, "tenant", "mango", "--tenant", tenant_,
                                   "--api-key", kKey, "--api-salt", kSalt},
                                  opdesk_->env(), opdesk_->dir(), &out),
              0)
        << out;
  }

  std::string FakeUiBuild() {
    std::ofstream(ui_ / "settings.html")
        << "<!doctype html><html lang=\"ru\"><head><!--opdesk-bootstrap--></head>"
           "<body><div id=\"app\"></div></body></html>";
    return ui_.path();
  }

  long long Count(const std::string& from_where) {
    long long n = 0;
    storage::WithSession(*db_, [&](storage::Session& s) {
      s.sql() << "SELECT COUNT(*) FROM " + from_where, soci::into(n);
    });
    return n;
  }

  testing::RawResponse Call(const std::string& method, const std::string& path,
                            const std::string& body, const std::string& session) {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
    if (!session.empty()) {
      headers["Authorization"] = "Bearer " + session;
    }
    return testing::HttpRequest(opdesk_->port(), method, path, body, headers);
  }

  testing::RawResponse SignIn(const std::string& login, const std::string& password,
                              const std::string& host = "") {
    return Call("POST", "/api/megaplan/sign-in",
                R"({"host":")" + (host.empty() ? host_ : host) + R"(","login":")" + login +
                    R"(","password":")" + password + R"("})",
                "");
  }

  std::string AdminSession() {
    const testing::RawResponse r = SignIn("anna", "anna-pass");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? value::parse(r.body).at("session").as_string() : "";
  }

  static std::string FieldOf(const testing::RawResponse& r) {
    try {
      const value v = value::parse(r.body);
      return v.at("error").has_field("field") ? v.at("error").at("field").as_string() : "";
    } catch (const std::exception&) {
      return "<not json>";
    }
  }

  testing::ScratchDir ui_{"opdesk-ui"};  // outlives opdesk_, which serves it
  std::unique_ptr<testing::MegaplanEmulator> mp_;
  std::unique_ptr<testing::MangoEmulator> pbx_;
  std::unique_ptr<testing::Opdesk> opdesk_;
  std::unique_ptr<storage::Database> db_;
  std::string host_;
  std::string tenant_;
};

TEST_P(MegaplanPageTest, ThePageIsServedOnlyForAnAccountOpdeskKnows) {
  const testing::RawResponse page = opdesk_->Get("/megaplan/" + host_);
  ASSERT_EQ(page.status, 200) << page.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      page.body, m,
      std::regex(R"re(<script id="opdesk-bootstrap" type="application/json">([^<]*)</script>)re")));
  const value boot = value::parse(m[1].str());
  EXPECT_EQ(boot.at("placement").as_string(), "MEGAPLAN");
  EXPECT_EQ(boot.at("placement_options").at("host").as_string(), host_);
  EXPECT_EQ(boot.at("session").as_string(), "") << "no session before the sign-in";
  EXPECT_EQ(opdesk_->Get("/megaplan/other.megaplan.ru").status, 404);
  EXPECT_EQ(opdesk_->Get("/megaplan/%3Cscript%3E").status, 404);
}

TEST_P(MegaplanPageTest, AWrongPasswordOrANonAdminIsRefusedAndNothingIsStored) {
  const long long audits = Count("audit_log");
  const long long users = Count("users");
  const long long account_version = Count("megaplan_accounts WHERE version = 1");
  testing::RawResponse wrong = SignIn("anna", "not-her-password");
  EXPECT_EQ(wrong.status, 403) << wrong.body;
  EXPECT_EQ(FieldOf(wrong), "password");
  EXPECT_NE(wrong.body.find("не принял логин или пароль"), std::string::npos) << wrong.body;
  EXPECT_EQ(wrong.body.find("session"), std::string::npos);

  testing::RawResponse operator_ = SignIn("boris", "boris-pass");
  EXPECT_EQ(operator_.status, 403) << operator_.body;
  EXPECT_EQ(FieldOf(operator_), "login");
  EXPECT_NE(operator_.body.find("только администратор Мегаплана"), std::string::npos)
      << operator_.body;

  EXPECT_EQ(Count("audit_log"), audits);
  EXPECT_EQ(Count("users"), users);
  EXPECT_EQ(Count("megaplan_accounts WHERE version = 1"), account_version);
  EXPECT_EQ(opdesk_->Log().find("not-her-password"), std::string::npos);

  EXPECT_EQ(SignIn("anna", "anna-pass", "other.megaplan.ru").status, 404);
  EXPECT_EQ(FieldOf(SignIn("anna", "anna-pass", "other.megaplan.ru")), "host");
  EXPECT_EQ(FieldOf(Call("POST", "/api/megaplan/sign-in", R"({"host":")" + host_ + R"("})", "")),
            "login");
  EXPECT_EQ(FieldOf(Call("POST", "/api/megaplan/sign-in",
                         R"({"host":")" + host_ + R"(","login":"anna"})", "")),
            "password");
  EXPECT_EQ(FieldOf(Call("POST", "/api/megaplan/sign-in",
                         R"({"host":")" + host_ +
                             R"(","login":"anna","password":"anna-pass","url":"http://x"})",
                         "")),
            "url")
      << "the address never comes from the request";
}

TEST_P(MegaplanPageTest, AnAdminsSessionServesTheSettingsOfTheAccount) {
  const std::string session = AdminSession();
  ASSERT_FALSE(session.empty());
  EXPECT_EQ(Count("audit_log WHERE action = 'megaplan.page_sign_in'"), 1);

  const testing::RawResponse me = Call("GET", "/api/settings/me", "", session);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_TRUE(value::parse(me.body).at("may_manage_settings").as_bool());
  EXPECT_EQ(value::parse(me.body).at("name").as_string(), "Анна Админова");

  const testing::RawResponse account = Call("GET", "/api/megaplan/account", "", session);
  ASSERT_EQ(account.status, 200) << account.body;
  EXPECT_EQ(value::parse(account.body).at("token").as_string(), "ok");
  EXPECT_EQ(value::parse(account.body).at("login").as_string(), "bot");

  // The account's schemes and statuses, through the CRM interface.
  const testing::RawResponse crm = Call("GET", "/api/settings/crm", "", session);
  ASSERT_EQ(crm.status, 200) << crm.body;
  EXPECT_NE(crm.body.find("Продажи"), std::string::npos) << crm.body;
  EXPECT_NE(crm.body.find("В работе"), std::string::npos) << crm.body;

  testing::RawResponse read = Call("GET", "/api/settings/integration", "", session);
  ASSERT_EQ(read.status, 200) << read.body;
  value settings = value::parse(read.body);
  const long long version = settings.at("version").as_number().to_int64();
  settings["answered_new_number"] = value::string("client_and_deal");
  settings["deal_category_id"] = value::string("1");
  settings["deal_stage_id"] = value::string("12");
  settings["route_to_responsible"] = value::boolean(true);

  value bad = settings;
  bad["deal_stage_id"] = value::string("21");  // a status of the other scheme
  testing::RawResponse refused = Call("PUT", "/api/settings/integration", bad.serialize(), session);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(FieldOf(refused), "deal_stage_id");
  bad = settings;
  bad["deal_category_id"] = value::string("77");
  EXPECT_EQ(FieldOf(Call("PUT", "/api/settings/integration", bad.serialize(), session)),
            "deal_category_id");
  bad = settings;
  bad["missed_new_number"] = value::string("lead");
  EXPECT_EQ(FieldOf(Call("PUT", "/api/settings/integration", bad.serialize(), session)),
            "missed_new_number")
      << "Megaplan has no leads";
  bad = settings;
  bad["no_such_flag"] = value::boolean(true);
  EXPECT_EQ(FieldOf(Call("PUT", "/api/settings/integration", bad.serialize(), session)),
            "no_such_flag");

  testing::RawResponse saved =
      Call("PUT", "/api/settings/integration", settings.serialize(), session);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(value::parse(saved.body).at("version").as_number().to_int64(), version + 1);
  EXPECT_EQ(value::parse(saved.body).at("deal_stage_id").as_string(), "12");
  EXPECT_EQ(Count("audit_log WHERE action = 'integration.update' AND actor = 'user:1000001'"), 1);
  testing::RawResponse stale =
      Call("PUT", "/api/settings/integration", settings.serialize(), session);
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(FieldOf(stale), "version");
}

TEST_P(MegaplanPageTest, TheEmployeeMapMatchesByPhoneThenEmailWithManualLinks) {
  const std::string session = AdminSession();
  ASSERT_FALSE(session.empty());
  ASSERT_EQ(Call("POST", "/api/settings/mango/employees/refresh", "", session).status, 202);
  value employees;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        const testing::RawResponse r = Call("GET", "/api/settings/mango/employees", "", session);
        employees = value::parse(r.body).at("employees");
        for (const value& e : employees.as_array()) {
          if (e.at("extension").as_string() == "101" && e.at("crm_user_id").is_string()) {
            return true;
          }
        }
        return false;
      },
      20s))
      << employees.serialize() << opdesk_->Log();
  std::map<std::string, value> by_ext;
  for (const value& e : employees.as_array()) {
    by_ext[e.at("extension").as_string()] = e;
  }
  EXPECT_EQ(by_ext["101"].at("crm_user_id").as_string(), "1000001");
  EXPECT_EQ(by_ext["101"].at("source").as_string(), "crm") << "her phone field says 101";
  // A manual link wins and says so; unlinking gives the automatic match back.
  testing::RawResponse linked =
      Call("PUT", "/api/settings/mango/employees/101", R"({"crm_user_id":"1000003"})", session);
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_NE(linked.body.find(R"("crm_user_id":"1000003")"), std::string::npos);
  EXPECT_NE(linked.body.find(R"("source":"manual")"), std::string::npos);
  EXPECT_EQ(FieldOf(Call("PUT", "/api/settings/mango/employees/101", R"({"crm_user_id":"1000004"})",
                         session)),
            "crm_user_id")
      << "a fired employee cannot be linked";
  testing::RawResponse unlinked = Call("DELETE", "/api/settings/mango/employees/101", "", session);
  ASSERT_EQ(unlinked.status, 200) << unlinked.body;
  EXPECT_EQ(unlinked.body.find(R"("source":"manual")"), std::string::npos) << unlinked.body;
}

TEST_P(MegaplanPageTest, TheTokenIsCheckedAndTheIntegrationSignsInAgainFromThePage) {
  const std::string session = AdminSession();
  ASSERT_FALSE(session.empty());
  testing::RawResponse check = Call("POST", "/api/megaplan/check", "", session);
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_TRUE(value::parse(check.body).at("ok").as_bool()) << check.body;
  EXPECT_NE(check.body.find("Интеграция Опдеск"), std::string::npos) << check.body;

  mp_->Control("POST", "/_emu/tokens/expire", "{}");
  check = Call("POST", "/api/megaplan/check", "", session);
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_FALSE(value::parse(check.body).at("ok").as_bool());
  EXPECT_EQ(value::parse(check.body).at("code").as_string(), "token_refused");
  EXPECT_EQ(value::parse(check.body).at("account").at("token").as_string(), "refused");
  const testing::RawResponse ready = opdesk_->Get("/readyz");
  EXPECT_NE(ready.body.find(R"("token":"refused")"), std::string::npos) << ready.body;

  // A wrong password changes nothing; the right one seals a new token.
  testing::RawResponse wrong =
      Call("POST", "/api/megaplan/account/sign-in", R"({"login":"bot","password":"x"})", session);
  EXPECT_EQ(wrong.status, 403) << wrong.body;
  EXPECT_EQ(FieldOf(wrong), "password");
  EXPECT_EQ(Count("megaplan_accounts WHERE state = 'refused'"), 1);
  testing::RawResponse again = Call("POST", "/api/megaplan/account/sign-in",
                                    R"({"login":"bot","password":"bot-pass"})", session);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(value::parse(again.body).at("token").as_string(), "ok");
  EXPECT_EQ(Count("audit_log WHERE action = 'megaplan.sign_in' AND actor = 'user:1000001'"), 1);
  EXPECT_TRUE(
      value::parse(Call("POST", "/api/megaplan/check", "", session).body).at("ok").as_bool());
}

TEST_P(MegaplanPageTest, EveryRouteRefusesWhoMayNotUseIt) {
  const std::string session = AdminSession();
  ASSERT_FALSE(session.empty());
  const std::vector<std::pair<std::string, std::string>> guarded = {
      {"GET", "/api/megaplan/account"},
      {"POST", "/api/megaplan/account/sign-in"},
      {"POST", "/api/megaplan/check"},
      {"PUT", "/api/settings/integration"}};
  for (const auto& [method, path] : guarded) {
    EXPECT_EQ(Call(method, path, "{}", "").status, 401) << method << " " << path;
    EXPECT_EQ(Call(method, path, "{}", session + "x").status, 401) << method << " " << path;
  }
  EXPECT_EQ(FieldOf(Call("POST", "/api/megaplan/account/sign-in", R"({"login":"bot"})", session)),
            "password");
  // The role taken away (someone changed it): the session still proves who it is, but the
  // writes and the token's state are refused.
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "UPDATE users SET role_id = 0 WHERE tenant_id = :t", soci::use(tenant_);
  });
  EXPECT_EQ(Call("POST", "/api/megaplan/check", "", session).status, 403);
  EXPECT_EQ(Call("POST", "/api/megaplan/account/sign-in",
                 R"({"login":"bot","password":"bot-pass"})", session)
                .status,
            403);
  EXPECT_EQ(Call("GET", "/api/megaplan/account", "", session).status, 403);
  EXPECT_EQ(Call("PUT", "/api/settings/integration", "{}", session).status, 403);
  // Signing in again as an administrator gives the role back.
  const std::string again = AdminSession();
  EXPECT_EQ(Call("GET", "/api/megaplan/account", "", again).status, 200);
}

TEST_P(MegaplanPageTest, AnotherAccountsAdministratorReachesNothingOfThisOne) {
  const std::string session = AdminSession();
  ASSERT_FALSE(session.empty());
  ASSERT_EQ(
      Call("PUT", "/api/settings/mango/employees/101", R"({"crm_user_id":"1000003"})", session)
          .status,
      200);
  // A second account with an administrator of its own (the same login on another Megaplan).
  testing::MegaplanEmulator other;
  std::string out;
  ASSERT_EQ(testing::RunCommand({OPDESK_BINARY, "tenant", "megaplan", "--url", other.url(),
                                 "--login", "bot", "--password", "bot-pass"},
                                opdesk_->env(), opdesk_->dir(), &out),
            0)
      << out;
  const std::string other_host = "127.0.0.1:" + std::to_string(other.port());
  const testing::RawResponse signed_in = SignIn("anna", "anna-pass", other_host);
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const std::string foreign = value::parse(signed_in.body).at("session").as_string();
  const testing::RawResponse account = Call("GET", "/api/megaplan/account", "", foreign);
  EXPECT_EQ(value::parse(account.body).at("host").as_string(), other_host);
  // This account's manual link is not the other's to remove: 404, and it stays.
  EXPECT_EQ(Call("DELETE", "/api/settings/mango/employees/101", "", foreign).status, 404);
  EXPECT_EQ(Count("employee_map WHERE source = 'manual' AND tenant_id = '" + tenant_ + "'"), 1);
  const testing::RawResponse theirs = Call("GET", "/api/settings/integration", "", foreign);
  ASSERT_EQ(theirs.status, 200);
  EXPECT_EQ(value::parse(theirs.body).at("version").as_number().to_int64(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, MegaplanPageTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
