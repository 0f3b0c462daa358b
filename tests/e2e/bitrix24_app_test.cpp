// The Bitrix24 app end to end: the real opdesk binary against the portal emulator, on both
// database backends. Install (page and callback), idempotent setup, uninstall with and without
// CLEAN, forged events, and frame sign-in that never trusts the request's DOMAIN.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <thread>

#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/repositories.h"
#include "connector/storage/settings_repositories.h"
#include "tests/support/b24emu.h"
#include "tests/support/opdesk_process.h"
#include "tests/support/scratch_dir.h"

namespace opdesk {
namespace {

using namespace std::chrono_literals;
using web::json::value;

class B24AppTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    emu_ = std::make_unique<testing::B24Emulator>(
        std::vector<std::string>{"--rate", "50", "--burst", "50"});
    opdesk_ = std::make_unique<testing::Opdesk>(
        GetParam(), std::map<std::string, std::string>{
                        {"OPDESK_BITRIX24_CLIENT_ID", "app.test"},
                        {"OPDESK_BITRIX24_CLIENT_SECRET", "secret.test"},
                        {"OPDESK_BITRIX24_OAUTH_URL", emu_->oauth_url()},
                        {"OPDESK_ALLOW_INSECURE_ENDPOINTS", "true"},
                        {"OPDESK_UI_DIST_DIR", FakeUiBuild()},
                        // Connecting a VPBX fetches its directory: keep it
                        // on loopback (nothing listens there; it just fails).
                        {"OPDESK_MANGO_API_URL", "http://127.0.0.1:9/vpbx/"},
                        {"OPDESK_BITRIX24_UNINSTALL_PURGE_AFTER_MS", PurgeAfterMs()}});
    ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
    db_ = opdesk_->OpenDatabase();
  }

  // The default: no purge after a clean uninstall within these tests (B24PurgeTest shortens it).
  virtual std::string PurgeAfterMs() const { return "120000"; }

  // A stand-in for settings-ui/dist: the shells of the call card and the app page are all these
  // tests look at.
  std::string FakeUiBuild() {
    for (const char* page : {"callcard", "settings"}) {
      std::ofstream(ui_ / (std::string(page) + ".html"))
          << "<!doctype html><html lang=\"ru\"><head><!--opdesk-bootstrap--></head>"
             "<body><div id=\"app\" data-page=\""
          << page << "\"></div></body></html>";
    }
    return ui_.path();
  }

  // The bootstrap block of the call card's shell, parsed.
  value BootstrapFrom(const std::string& html) {
    std::smatch m;
    EXPECT_TRUE(std::regex_search(
        html, m,
        std::regex(
            R"re(<script id="opdesk-bootstrap" type="application/json">([^<]*)</script>)re")))
        << html;
    return m.size() > 1 ? value::parse(m[1].str()) : value::object();
  }

  // The emulator plays the portal: it POSTs a frame to opdesk and returns opdesk's answer.
  value Frame(const std::string& path, const std::string& extra_json = "") {
    return emu_->Control(
        "POST", "/_emu/portal/frame",
        R"({"url":")" + opdesk_->url() + path + R"(","user_id":1)" + extra_json + "}");
  }
  value PortalEvent(const std::string& json_fields) {
    return emu_->Control("POST", "/_emu/portal/event",
                         R"({"url":")" + opdesk_->url() + R"(/b24/events",)" + json_fields + "}");
  }

  std::string SessionFrom(const std::string& html) {
    std::smatch m;
    EXPECT_TRUE(std::regex_search(
        html, m, std::regex(R"re((?:opdesk-session" content="|"session":")([^"]+)")re")))
        << html;
    return m.size() > 1 ? m[1].str() : "";
  }

  std::optional<B24Portal> Portal() {
    std::optional<B24Portal> p;
    storage::WithSession(*db_, [&](storage::Session& s) {
      p = storage::B24PortalRepository::Find(s, emu_->member_id());
    });
    return p;
  }
  long long Count(const std::string& table) {
    long long n = 0;
    storage::WithSession(*db_, [&](storage::Session& s) {
      s.sql() << "SELECT COUNT(*) FROM " + table + " WHERE tenant_id = :t", soci::into(n),
          soci::use(emu_->member_id());
    });
    return n;
  }

  // Installs as the marketplace does: the portal posts ONAPPINSTALL, setup runs in the background.
  void InstallThroughTheCallback() {
    value callback = emu_->Control("POST", "/_emu/portal/install-callback",
                                   R"({"url":")" + opdesk_->url() + R"(/b24/events"})");
    ASSERT_EQ(callback.at("status").as_integer(), 200) << callback.serialize();
    ASSERT_TRUE(testing::WaitFor(
        [&] {
          auto p = Portal();
          return p && p->state == "installed";
        },
        30s))
        << opdesk_->Log();
  }
  // The administrator removes the app; with `clean` its data is to be deleted too.
  value Uninstall(bool clean) {
    return emu_->Control("POST", "/_emu/portal/uninstall",
                         std::string(R"({"clean":)") + (clean ? "1" : "0") + R"(,"url":")" +
                             opdesk_->url() + R"(/b24/events"})");
  }
  // An employee clicks a number in the CRM: ONEXTERNALCALLSTART for user 2.
  value CallStart(const std::string& crm_call_id) {
    return PortalEvent(
        R"("event":"ONEXTERNALCALLSTART","user_id":2,"data":{"PHONE_NUMBER":"+79001234567",)"
        R"("USER_ID":"2","CALL_ID":")" +
        crm_call_id + R"(","LINE_NUMBER":"","IS_MOBILE":"0"})");
  }
  // Installs through the install page and runs setup as the page's script would.
  void InstallThroughThePage() {
    value page = Frame("/b24/install", R"(,"placement":"DEFAULT")");
    ASSERT_EQ(page.at("status").as_integer(), 200) << page.serialize();
    testing::RawResponse setup =
        opdesk_->Post("/api/b24/setup", "",
                      {{"Authorization", "Bearer " + SessionFrom(page.at("body").as_string())}});
    ASSERT_EQ(setup.status, 200) << setup.body;
  }

  testing::ScratchDir ui_{"opdesk-ui"};  // outlives opdesk_, which serves it
  std::unique_ptr<testing::B24Emulator> emu_;
  std::unique_ptr<testing::Opdesk> opdesk_;
  std::unique_ptr<storage::Database> db_;
};

TEST_P(B24AppTest, InstallPageRunsSetupOnceAndUninstallKeepsTheData) {
  // The installer works in Yekaterinburg: the portal's time zone is taken from them.
  emu_->Control("POST", "/_emu/seed",
                R"({"users":[{"ID":1,"NAME":"Анна","LAST_NAME":"Админова",)"
                R"("UF_PHONE_INNER":"101","ADMIN":true,)"
                R"("TIME_ZONE":"Asia/Yekaterinburg"}]})");
  value page = Frame("/b24/install", R"(,"placement":"DEFAULT")");
  ASSERT_EQ(page.at("status").as_integer(), 200) << page.serialize();
  const std::string html = page.at("body").as_string();
  EXPECT_NE(html.find("installFinish"), std::string::npos);
  EXPECT_NE(html.find("Установка opdesk"), std::string::npos) << "Russian by default";
  const value headers = page.at("headers");
  // The portal host confirmed by the auth server (client_endpoint), not what the request says.
  EXPECT_EQ(headers.at("Content-Security-Policy").as_string(),
            "frame-ancestors https://127.0.0.1:" + std::to_string(emu_->port()));
  EXPECT_FALSE(headers.has_field("X-Frame-Options"));

  const std::string session = SessionFrom(html);
  testing::RawResponse setup =
      opdesk_->Post("/api/b24/setup", "", {{"Authorization", "Bearer " + session}});
  ASSERT_EQ(setup.status, 200) << setup.body;
  value result = value::parse(setup.body);
  EXPECT_TRUE(result.at("ok").as_bool());
  for (const auto& step : result.at("steps").as_array()) {
    EXPECT_EQ(step.at("status").as_string(), "done") << step.serialize();
  }
  std::string zone;
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "SELECT time_zone FROM tenants WHERE id = :t", soci::into(zone),
        soci::use(emu_->member_id());
  });
  EXPECT_EQ(zone, "Asia/Yekaterinburg");

  value state = emu_->Control("GET", "/_emu/state");
  std::set<std::string> events;
  for (const auto& b : state.at("event_bindings").as_array()) {
    EXPECT_EQ(b.at("handler").as_string(), opdesk_->url() + "/b24/events");
    events.insert(b.at("event").as_string());
  }
  EXPECT_EQ(events,
            (std::set<std::string>{"ONAPPINSTALL", "ONAPPUNINSTALL", "ONEXTERNALCALLSTART",
                                   "ONEXTERNALCALLBACKSTART", "ONCRMCONTACTUPDATE",
                                   "ONCRMCONTACTDELETE", "ONCRMCOMPANYUPDATE", "ONCRMCOMPANYDELETE",
                                   "ONCRMLEADUPDATE", "ONCRMLEADDELETE"}));
  ASSERT_EQ(state.at("placements").size(), 1u);
  EXPECT_EQ(state.at("placements").at(0).at("placement").as_string(), "CALL_CARD");
  EXPECT_EQ(state.at("placements").at(0).at("handler").as_string(),
            opdesk_->url() + "/b24/callcard");

  // Again: nothing is bound twice.
  setup = opdesk_->Post("/api/b24/setup", "", {{"Authorization", "Bearer " + session}});
  EXPECT_EQ(setup.status, 200) << setup.body;
  EXPECT_EQ(emu_->CountRequests("event.bind"), 10);
  EXPECT_EQ(emu_->CountRequests("placement.bind"), 1);

  ASSERT_TRUE(Portal());
  EXPECT_EQ(Portal()->state, "installed");
  std::optional<User> installer;
  storage::WithSession(*db_, [&](storage::Session& s) {
    installer = storage::UserRepository::Find(s, emu_->member_id(), "1");
  });
  ASSERT_TRUE(installer);
  std::optional<storage::RoleRow> supervisor;
  storage::WithSession(*db_, [&](storage::Session& s) {
    supervisor = storage::RoleRepository::FindSystem(s, emu_->member_id(), "supervisor");
  });
  ASSERT_TRUE(supervisor);
  EXPECT_EQ(installer->role_id, supervisor->id);
  EXPECT_FALSE(installer->seat_blocked);
  EXPECT_EQ(Count("oauth_tokens"), 1);
  EXPECT_NE(opdesk_->Get("/metrics").body.find("opdesk_b24_portals{state=\"installed\"} 1"),
            std::string::npos);

  value uninstall = Uninstall(false);
  EXPECT_EQ(uninstall.at("status").as_integer(), 200) << uninstall.serialize();
  EXPECT_EQ(Portal()->state, "uninstalled");
  EXPECT_EQ(Count("oauth_tokens"), 0) << "tokens are deleted";
  EXPECT_EQ(Count("users"), 1) << "without CLEAN the data stays";
  EXPECT_EQ(Frame("/b24/app").at("status").as_integer(), 404);
}

TEST_P(B24AppTest, InstallCallbackSetsUpInTheBackgroundAndCleanUninstallDeletesEverything) {
  InstallThroughTheCallback();
  if (HasFatalFailure()) {
    return;
  }
  EXPECT_EQ(emu_->Control("GET", "/_emu/state").at("event_bindings").size(), 10u);

  value call_start = CallStart("externalCall.abc.1");
  EXPECT_EQ(call_start.at("status").as_integer(), 200) << call_start.serialize();
  EXPECT_EQ(Count("events"), 1) << "the call-start event is recorded (installs take a job only)";
  long long queued = 0;
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "SELECT COUNT(*) FROM jobs WHERE tenant_id = :t AND kind = 'b24.event'",
        soci::into(queued), soci::use(emu_->member_id());
  });
  EXPECT_EQ(queued, 1);

  // Data in the tables added after the first ones (Mango, settings …) must go too.
  storage::InTransaction(*db_, [&](storage::Session& s) {
    storage::EmployeeMapRepository::Link(s, {emu_->member_id(), "101", "1", "manual", 1});
  });
  std::vector<std::string> tables;
  storage::WithSession(*db_, [&](storage::Session& s) { tables = storage::TenantTables(s); });
  for (const char* expected : {"oauth_tokens", "users", "events", "jobs", "audit_log",
                               "b24_portals", "employee_map", "roles", "role_items", "buttons",
                               "scripts", "script_versions", "script_runs", "crm_cache"}) {
    EXPECT_NE(std::find(tables.begin(), tables.end(), expected), tables.end()) << expected;
  }

  value uninstall = Uninstall(true);
  EXPECT_EQ(uninstall.at("status").as_integer(), 200) << uninstall.serialize();
  EXPECT_FALSE(Portal());
  for (const std::string& table : tables) {
    EXPECT_EQ(Count(table), 0) << table;
  }
  long long tenants = 0;
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "SELECT COUNT(*) FROM tenants WHERE id = :t", soci::into(tenants),
        soci::use(emu_->member_id());
  });
  EXPECT_EQ(tenants, 0);
}

TEST_P(B24AppTest, ACleanUninstallWaitsForAJobInFlightAndLeavesNothingBehind) {
  InstallThroughTheCallback();
  if (HasFatalFailure()) {
    return;
  }
  auto open_jobs = [&](const std::string& where) {
    long long n = 0;
    storage::WithSession(*db_, [&](storage::Session& s) {
      s.sql() << "SELECT COUNT(*) FROM jobs WHERE tenant_id = :t AND " + where, soci::into(n),
          soci::use(emu_->member_id());
    });
    return n;
  };
  // The install's own background work (bindings, the directory) is over first, so the late
  // answer below is the click-to-call's.
  ASSERT_TRUE(
      testing::WaitFor([&] { return open_jobs("state IN ('pending', 'running')") == 0; }, 30s))
      << opdesk_->Log();
  // The portal answers the click-to-call's employee lookup late, so the job is still running
  // (and about to link the employee and record its command) when the administrator removes the
  // app with its data.
  emu_->Control("POST", "/_emu/faults", R"({"method":"user.get","delay_ms":1500,"count":1})");
  value call_start = CallStart("externalCall.abc.2");
  ASSERT_EQ(call_start.at("status").as_integer(), 200) << call_start.serialize();
  ASSERT_TRUE(testing::WaitFor(
      [&] { return open_jobs("state = 'running' AND kind = 'b24.event'") == 1; }, 10s))
      << opdesk_->Log();

  value uninstall = Uninstall(true);
  EXPECT_EQ(uninstall.at("status").as_integer(), 200) << uninstall.serialize();
  EXPECT_FALSE(Portal());
  // Whatever the job would still write once the late answer arrived has had time to land.
  std::this_thread::sleep_for(2s);
  std::vector<std::string> tables;
  storage::WithSession(*db_, [&](storage::Session& s) { tables = storage::TenantTables(s); });
  for (const std::string& table : tables) {
    EXPECT_EQ(Count(table), 0) << table << " keeps a row written by the job in flight";
  }
  EXPECT_EQ(opdesk_->Log().find("event=b24_uninstall_jobs_still_running"), std::string::npos)
      << opdesk_->Log();
}

TEST_P(B24AppTest, ForgedEventsAreRefusedAndChangeNothing) {
  InstallThroughThePage();
  const long long events_before = Count("events");
  const std::string target = "/b24/events";
  const std::map<std::string, std::string> form = {
      {"Content-Type", "application/x-www-form-urlencoded"}};

  testing::RawResponse wrong_token =
      opdesk_->Post(target,
                    "event=ONAPPUNINSTALL&data[CLEAN]=1&auth[member_id]=" + emu_->member_id() +
                        "&auth[application_token]=guessed",
                    form);
  EXPECT_EQ(wrong_token.status, 403) << wrong_token.body;
  testing::RawResponse unknown_portal = opdesk_->Post(
      target, "event=ONEXTERNALCALLSTART&auth[member_id]=nobody&auth[application_token]=x", form);
  EXPECT_EQ(unknown_portal.status, 404);
  value no_auth = PortalEvent(R"("event":"ONEXTERNALCALLSTART","with_auth":false,"data":{})");
  EXPECT_EQ(no_auth.at("status").as_integer(), 401) << no_auth.serialize();
  EXPECT_EQ(opdesk_->Post(target, "nonsense", form).status, 400);

  // An ONAPPINSTALL with a refresh token the auth server does not know is queued, then refused:
  // the job ends without a dead letter, and nothing about the portal changes.
  const std::string token_before = Portal()->application_token_sealed;
  testing::RawResponse fake_install = opdesk_->Post(
      target,
      "event=ONAPPINSTALL&auth[member_id]=" + emu_->member_id() +
          "&auth[refresh_token]=stolen&auth[application_token]=attacker&auth[server_endpoint]=" +
          emu_->rest_endpoint(),
      form);
  EXPECT_EQ(fake_install.status, 200);
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        long long finished = 0;
        storage::WithSession(*db_, [&](storage::Session& s) {
          s.sql() << "SELECT COUNT(*) FROM jobs WHERE kind = 'b24.install' AND state = 'done'",
              soci::into(finished);
        });
        return finished == 1;
      },
      20s));
  EXPECT_EQ(Portal()->application_token_sealed, token_before);
  EXPECT_EQ(Portal()->state, "installed");
  EXPECT_EQ(Count("events"), events_before) << "a forged install takes no row in events";
  // The genuine portal still gets through.
  value real = PortalEvent(R"("event":"ONEXTERNALCALLBACKSTART","data":{"PHONE_NUMBER":"+7900"})");
  EXPECT_EQ(real.at("status").as_integer(), 200) << real.serialize();
}

TEST_P(B24AppTest, FrameSignInUsesOnlyTheStoredPortal) {
  InstallThroughThePage();
  testing::B24Emulator foreign({}, "m-foreign");
  emu_->Control("POST", "/_emu/requests/clear");

  // A frame that names another portal's DOMAIN is refused before anything is sent anywhere.
  value forged = Frame("/b24/callcard", R"(,"placement":"CALL_CARD","domain":"127.0.0.1:)" +
                                            std::to_string(foreign.port()) +
                                            R"(","placement_options":{"CALL_ID":"x"})");
  EXPECT_EQ(forged.at("status").as_integer(), 403) << forged.serialize();
  EXPECT_EQ(emu_->CountRequests("profile"), 0) << "a refused frame costs the portal nothing";

  value card =
      Frame("/b24/callcard", R"(,"placement":"CALL_CARD","placement_options":{"CALL_ID":"x"})");
  ASSERT_EQ(card.at("status").as_integer(), 200) << card.serialize();
  const value bootstrap = BootstrapFrom(card.at("body").as_string());
  EXPECT_EQ(bootstrap.at("placement").as_string(), "CALL_CARD");
  EXPECT_EQ(bootstrap.at("placement_options").at("CALL_ID").as_string(), "x");
  EXPECT_EQ(bootstrap.at("member_id").as_string(), emu_->member_id());
  EXPECT_EQ(bootstrap.at("lang").as_string(), "ru");
  EXPECT_EQ(
      card.at("headers")
          .at("Content-Security-Policy")
          .as_string()
          .rfind("frame-ancestors https://127.0.0.1:" + std::to_string(emu_->port()) + ";", 0),
      0u)
      << card.at("headers").serialize();
  EXPECT_EQ(foreign.Control("GET", "/_emu/requests").at("requests").size(), 0u)
      << "nothing was sent to the domain named in the request";
  EXPECT_EQ(emu_->CountRequests("profile"), 1) << "the token was proven on the stored portal";

  // The app page (PLACEMENT=DEFAULT) is the settings pages' shell with the same bootstrap.
  value app = Frame("/b24/app", R"(,"placement":"DEFAULT")");
  ASSERT_EQ(app.at("status").as_integer(), 200) << app.serialize();
  EXPECT_NE(app.at("body").as_string().find("data-page=\"settings\""), std::string::npos)
      << app.serialize();
  const value app_boot = BootstrapFrom(app.at("body").as_string());
  EXPECT_EQ(app_boot.at("placement").as_string(), "DEFAULT");
  EXPECT_EQ(app_boot.at("member_id").as_string(), emu_->member_id());
  EXPECT_EQ(app_boot.at("user").at("id").as_string(), "1");
  EXPECT_GT(app_boot.at("session_expires_at_ms").as_number().to_int64(), 0);
  testing::RawResponse me = opdesk_->Get(
      "/api/settings/me", {{"Authorization", "Bearer " + app_boot.at("session").as_string()}});
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(
      app.at("headers")
          .at("Content-Security-Policy")
          .as_string()
          .rfind("frame-ancestors https://127.0.0.1:" + std::to_string(emu_->port()) + ";", 0),
      0u);
  // Another placement of the app gets the same page, naming the placement it was opened in.
  value other = Frame("/b24/app", R"(,"placement":"CRM_DEAL_DETAIL_TAB")");
  ASSERT_EQ(other.at("status").as_integer(), 200) << other.serialize();
  EXPECT_EQ(BootstrapFrom(other.at("body").as_string()).at("placement").as_string(),
            "CRM_DEAL_DETAIL_TAB");

  // An on-premise portal on plain http (PROTOCOL=0) frames the card over http.
  value plain =
      Frame("/b24/callcard", R"(,"placement":"CALL_CARD","protocol":"0","placement_options":{})");
  ASSERT_EQ(plain.at("status").as_integer(), 200) << plain.serialize();
  EXPECT_EQ(plain.at("headers")
                .at("Content-Security-Policy")
                .as_string()
                .rfind("frame-ancestors http://127.0.0.1:" + std::to_string(emu_->port()) + ";", 0),
            0u)
      << plain.at("headers").serialize();

  const std::string session = bootstrap.at("session").as_string();
  testing::RawResponse status =
      opdesk_->Get("/api/b24/status", {{"Authorization", "Bearer " + session}});
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(value::parse(status.body).at("state").as_string(), "installed");
  EXPECT_EQ(opdesk_->Get("/api/b24/status", {{"Authorization", "Bearer " + session + "x"}}).status,
            401);

  EXPECT_EQ(Frame("/b24/callcard", R"(,"auth_id":"forged-token")").at("status").as_integer(), 403);
  EXPECT_EQ(Frame("/b24/app", R"(,"application_token":"guessed")").at("status").as_integer(), 403);
  testing::RawResponse unknown =
      opdesk_->Post("/b24/app", "member_id=nobody&AUTH_ID=x",
                    {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(opdesk_->Post("/b24/app", "", {}).status, 400);

  value issued = emu_->Control("POST", "/_emu/tokens/issue", R"({"user_id":2})");
  testing::RawResponse renewed =
      opdesk_->Post("/api/session/renew",
                    R"({"member_id":")" + emu_->member_id() + R"(","auth_id":")" +
                        issued.at("access_token").as_string() + R"("})",
                    {{"Content-Type", "application/json"}});
  ASSERT_EQ(renewed.status, 200) << renewed.body;
  EXPECT_FALSE(value::parse(renewed.body).at("session").as_string().empty());
  EXPECT_EQ(opdesk_
                ->Post("/api/session/renew",
                       R"({"member_id":")" + emu_->member_id() + R"(","auth_id":"bad"})",
                       {{"Content-Type", "application/json"}})
                .status,
            401);
}

TEST_P(B24AppTest, VendorSetsAPortalsRestBudget) {
  InstallThroughThePage();
  const std::map<std::string, std::string> auth = {
      {"Authorization", std::string("Bearer ") + testing::kAdminToken},
      {"Content-Type", "application/json"}};
  const std::string path = "/api/admin/bitrix24/portals/" + emu_->member_id() + "/limits";
  auto put = [&](const std::string& target, const std::string& body,
                 const std::map<std::string, std::string>& headers) {
    return testing::HttpRequest(opdesk_->port(), "PUT", target, body, headers);
  };
  testing::RawResponse ok = put(path, R"({"rate_per_s":5,"burst":250})", auth);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Portal()->rate_per_s, 5);
  EXPECT_EQ(Portal()->burst, 250);
  EXPECT_EQ(value::parse(put(path, R"({"rate_per_s":0,"burst":50})", auth).body)
                .at("error")
                .at("field")
                .as_string(),
            "rate_per_s");
  EXPECT_EQ(put(path, R"({"rate_per_s":2})", auth).status, 400);
  EXPECT_EQ(put(path, "not json", auth).status, 400);
  EXPECT_EQ(put("/api/admin/bitrix24/portals/nobody/limits", R"({"rate_per_s":2,"burst":50})", auth)
                .status,
            404);
  EXPECT_EQ(
      put(path, R"({"rate_per_s":2,"burst":50})", {{"Content-Type", "application/json"}}).status,
      401);
  EXPECT_EQ(Portal()->rate_per_s, 5) << "refused requests changed nothing";
  testing::RawResponse list = opdesk_->Get("/api/admin/bitrix24/portals", auth);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(value::parse(list.body).at("portals").at(0).at("burst").as_integer(), 250);
}

TEST_P(B24AppTest, RefusedTokensShowThePortalNeedsReauthorization) {
  value page = Frame("/b24/install", R"(,"placement":"DEFAULT")");
  const std::string session = SessionFrom(page.at("body").as_string());
  // The portal drops the app without telling opdesk (its uninstall event goes elsewhere).
  emu_->Control("POST", "/_emu/portal/uninstall",
                R"({"clean":0,"url":")" + emu_->base() + R"(/_emu/echo"})");
  testing::RawResponse setup =
      opdesk_->Post("/api/b24/setup", "", {{"Authorization", "Bearer " + session}});
  EXPECT_EQ(setup.status, 502) << setup.body;
  EXPECT_FALSE(value::parse(setup.body).at("ok").as_bool());
  EXPECT_TRUE(Portal()->needs_reauth);
  EXPECT_NE(opdesk_->Get("/metrics").body.find("opdesk_b24_portals_needing_reauth 1"),
            std::string::npos);
  testing::RawResponse status =
      opdesk_->Get("/api/b24/status", {{"Authorization", "Bearer " + session}});
  EXPECT_TRUE(value::parse(status.body).at("needs_reauth").as_bool());
}

TEST_P(B24AppTest, VendorConnectsAMangoVpbxAndGetsAStableUnguessableWebhookAddress) {
  InstallThroughThePage();
  auto run = [&](std::vector<std::string> args, std::string* out) {
    args.insert(args.begin(), OPDESK_BINARY);
    return testing::RunCommand(args, opdesk_->env(), opdesk_->dir(), out);
  };
  std::string out;
  ASSERT_EQ(run({"tenant", "mango", "--tenant", emu_->member_id(), "--api-key", "vpbx-1",
                 "--api-salt", "salt-1"},
                &out),
            0)
      << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(opdesk_->url() + "/mango/([0-9a-f]{48})/")))
      << out;
  const std::string key = m[1].str();

  ASSERT_EQ(run({"tenant", "mango", "--tenant", emu_->member_id(), "--api-key", "vpbx-2",
                 "--api-salt", "salt-2"},
                &out),
            0);
  EXPECT_NE(out.find("/mango/" + key + "/"), std::string::npos) << "reconnecting keeps the URL";

  ASSERT_EQ(run({"tenant", "show", emu_->member_id()}, &out), 0);
  EXPECT_NE(out.find("vpbx-2"), std::string::npos) << out;
  EXPECT_EQ(out.find("salt-2"), std::string::npos) << "the salt is a secret";
  EXPECT_NE(out.find("/mango/" + key + "/"), std::string::npos);
  ASSERT_EQ(run({"tenant", "list"}, &out), 0);
  EXPECT_NE(out.find(emu_->member_id()), std::string::npos);

  EXPECT_EQ(
      run({"tenant", "mango", "--tenant", "nobody", "--api-key", "k", "--api-salt", "s"}, &out), 1);
  EXPECT_EQ(run({"tenant", "mango", "--tenant", emu_->member_id()}, &out), 2);
  long long stored_salts_in_clear = 0;
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "SELECT COUNT(*) FROM mango_connections WHERE api_salt_sealed LIKE '%salt-2%'",
        soci::into(stored_salts_in_clear);
  });
  EXPECT_EQ(stored_salts_in_clear, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, B24AppTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

// The second delete after a clean uninstall, due 1.5 s after the first here.
class B24PurgeTest : public B24AppTest {
 protected:
  std::string PurgeAfterMs() const override { return "1500"; }

  // The purge job of this portal: its state, attempts and last error ("" if there is none).
  struct PurgeRow {
    std::string state;
    int attempts = -1;
    long long run_at_ms = 0;
    std::string last_error;
  };
  PurgeRow Purge() {
    PurgeRow row;
    soci::indicator error_ind = soci::i_null;
    storage::WithSession(*db_, [&](storage::Session& s) {
      s.sql() << "SELECT state, attempts, run_at_ms, last_error FROM jobs WHERE tenant_id = :t"
                 " AND kind = 'b24.purge'",
          soci::into(row.state), soci::into(row.attempts), soci::into(row.run_at_ms),
          soci::into(row.last_error, error_ind), soci::use("purge:" + emu_->member_id());
    });
    return row;
  }
  // What a job still running at the uninstall writes once its late answer arrives: an employee
  // linked, a call stored.
  void WriteLikeALateJob() {
    storage::InTransaction(*db_, [&](storage::Session& s) {
      storage::EmployeeMapRepository::Link(s, {emu_->member_id(), "101", "1", "manual", 1});
      s.sql() << "INSERT INTO calls (tenant_id, entry_id, state_json, crm_call_id, finished,"
                 " version, created_at_ms, updated_at_ms) VALUES (:t, 'entry-late', '{}', '', 0,"
                 " 1, 1, 1)",
          soci::use(emu_->member_id());
    });
  }
  static long long NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  // The app installed, then removed with its data (removed_at_ms_: just before the removal).
  void InstallThenRemoveWithItsData() {
    InstallThroughTheCallback();
    if (HasFatalFailure()) {
      return;
    }
    removed_at_ms_ = NowMs();
    value uninstall = Uninstall(true);
    ASSERT_EQ(uninstall.at("status").as_integer(), 200) << uninstall.serialize();
  }
  // Keeps the purge from starting (due in an hour), then lets it start now: the steps of a test
  // happen before it whatever the machine's pace.
  void HoldPurge(bool hold) {
    const long long now_ms = NowMs();
    const long long run_at = hold ? now_ms + 3'600'000 : now_ms;
    storage::InTransaction(*db_, [&](storage::Session& s) {
      s.sql() << "UPDATE jobs SET run_at_ms = :r WHERE tenant_id = :t AND kind = 'b24.purge'",
          soci::use(run_at), soci::use("purge:" + emu_->member_id());
    });
  }
  long long RowsLeft() {
    std::vector<std::string> tables;
    storage::WithSession(*db_, [&](storage::Session& s) { tables = storage::TenantTables(s); });
    long long rows = 0;
    for (const std::string& table : tables) {
      rows += Count(table);
    }
    return rows;
  }

  long long removed_at_ms_ = 0;
};

TEST_P(B24PurgeTest, ACleanUninstallDeletesAgainWhatWorkUnderWayWroteAfterTheDelete) {
  InstallThenRemoveWithItsData();
  if (HasFatalFailure()) {
    return;
  }
  ASSERT_EQ(RowsLeft(), 0);
  const PurgeRow queued = Purge();
  ASSERT_FALSE(queued.state.empty()) << "no purge job was queued";
  EXPECT_GE(queued.run_at_ms, removed_at_ms_ + 1500)
      << "the purge is due after the configured delay";
  HoldPurge(true);

  WriteLikeALateJob();
  ASSERT_EQ(RowsLeft(), 2);
  HoldPurge(false);
  ASSERT_TRUE(testing::WaitFor([&] { return Purge().state == "done"; }, 20s)) << opdesk_->Log();
  EXPECT_EQ(RowsLeft(), 0) << "the rows written after the first delete are gone";
  EXPECT_NE(opdesk_->Log().find("event=b24_purge_removed_late_rows"), std::string::npos)
      << opdesk_->Log();
  EXPECT_NE(opdesk_->Log().find("rows=2"), std::string::npos) << opdesk_->Log();
}

TEST_P(B24PurgeTest, ThePurgeWaitsUntilNoJobOfTheRemovedPortalRuns) {
  InstallThenRemoveWithItsData();
  if (HasFatalFailure()) {
    return;
  }
  HoldPurge(true);
  // A job of the portal still running in another process (a live lease) when the purge is due:
  // it may write yet, so the purge waits for it.
  const long long now_ms = NowMs();
  storage::InTransaction(*db_, [&](storage::Session& s) {
    s.sql() << "INSERT INTO jobs (tenant_id, kind, ordering_key, payload, priority, state,"
               " attempts, max_attempts, run_at_ms, lease_owner, lease_until_ms, created_at_ms,"
               " updated_at_ms) VALUES (:t, 'b24.event', '', '{}', 0, 'running', 1, 5, :n,"
               " 'another-process', :l, :n2, :n3)",
        soci::use(emu_->member_id()), soci::use(now_ms), soci::use(now_ms + 600'000),
        soci::use(now_ms), soci::use(now_ms);
  });
  WriteLikeALateJob();
  HoldPurge(false);
  ASSERT_TRUE(
      testing::WaitFor([&] { return Purge().attempts >= 1 && Purge().state == "pending"; }, 20s))
      << opdesk_->Log();
  EXPECT_NE(Purge().last_error.find("still running"), std::string::npos) << Purge().last_error;
  EXPECT_EQ(RowsLeft(), 3) << "nothing is deleted while the portal's job runs";

  // That job ends (and its process records it): the next try deletes everything.
  storage::InTransaction(*db_, [&](storage::Session& s) {
    s.sql() << "UPDATE jobs SET state = 'done', lease_owner = '' WHERE tenant_id = :t AND"
               " lease_owner = 'another-process'",
        soci::use(emu_->member_id());
  });
  ASSERT_TRUE(testing::WaitFor([&] { return Purge().state == "done"; }, 30s)) << opdesk_->Log();
  EXPECT_EQ(RowsLeft(), 0);
}

TEST_P(B24PurgeTest, AnInstallBeforeThePurgeKeepsTheNewInstallationsData) {
  InstallThenRemoveWithItsData();
  if (HasFatalFailure()) {
    return;
  }
  HoldPurge(true);
  InstallThroughTheCallback();
  if (HasFatalFailure()) {
    return;
  }
  const long long rows = RowsLeft();
  ASSERT_GT(rows, 0) << "the new installation has data of its own";
  HoldPurge(false);
  ASSERT_TRUE(testing::WaitFor([&] { return Purge().state == "done"; }, 20s)) << opdesk_->Log();
  EXPECT_TRUE(Portal().has_value());
  EXPECT_EQ(Portal()->state, "installed");
  EXPECT_GE(RowsLeft(), rows) << "the purge deleted the new installation's data";
  EXPECT_NE(opdesk_->Log().find("event=b24_purge_skipped"), std::string::npos) << opdesk_->Log();
}

INSTANTIATE_TEST_SUITE_P(Backends, B24PurgeTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
