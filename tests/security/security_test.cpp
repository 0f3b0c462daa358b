// The security suite: the real opdesk binary against two emulated portals (one OAuth server, as
// Bitrix24 has), tried as an outsider, an employee and another tenant would. It walks the route
// table the binary reports, so a route added without a guard fails here; it checks that refused
// requests change nothing (the whole SQLite database is compared before and after), that no URL
// from a request is ever fetched (a canary listener counts connections), and that no secret or
// token shows up in a page, an answer, the log or the database.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <regex>
#include <set>
#include <thread>

#include "tests/support/b24emu.h"
#include "tests/support/canary.h"
#include "tests/support/opdesk_process.h"
#include "webhooks/mango/envelope.h"

namespace opdesk {
namespace {

using namespace std::chrono_literals;
using testing::RawResponse;
using web::json::value;

constexpr const char* kSecret = "secret.test";

class SecuritySuite : public ::testing::Test {
 protected:
  void Start(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> env = {{"OPDESK_BITRIX24_CLIENT_ID", "app.test"},
                                              {"OPDESK_BITRIX24_CLIENT_SECRET", kSecret},
                                              {"OPDESK_BITRIX24_OAUTH_URL", a_.oauth_url()},
                                              {"OPDESK_ALLOW_INSECURE_ENDPOINTS", "true"},
                                              {"OPDESK_MANGO_API_URL", "http://127.0.0.1:9/vpbx/"}};
    env.insert(extra.begin(), extra.end());
    opdesk_ = std::make_unique<testing::Opdesk>("sqlite", env);
    ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
    db_ = opdesk_->OpenDatabase();
  }

  value Frame(testing::B24Emulator& emu, const std::string& path, int user,
              const std::string& extra = "") {
    value v = emu.Control("POST", "/_emu/portal/frame",
                          R"({"url":")" + opdesk_->url() + path + R"(","user_id":)" +
                              std::to_string(user) + extra + "}");
    pages_ += v.at("body").as_string();
    return v;
  }
  static std::string SessionIn(const std::string& html) {
    std::smatch m;
    return std::regex_search(html, m, std::regex(R"re(opdesk-session" content="([^"]+)")re")) ||
                   std::regex_search(html, m, std::regex(R"re("session":"([^"]+)")re"))
               ? m[1].str()
               : "";
  }
  // Installs through the wizard as the portal's administrator (user 1); returns the install
  // session.
  std::string Install(testing::B24Emulator& emu) {
    const value page = Frame(emu, "/b24/install", 1, R"(,"placement":"DEFAULT")");
    EXPECT_EQ(page.at("status").as_integer(), 200) << page.serialize();
    const std::string session = SessionIn(page.at("body").as_string());
    EXPECT_EQ(Post("/api/b24/setup", "", session).status, 200);
    return session;
  }
  std::string FrameSession(testing::B24Emulator& emu, int user) {
    return SessionIn(Frame(emu, "/b24/app", user).at("body").as_string());
  }
  RawResponse Call(const std::string& method, const std::string& target, const std::string& body,
                   std::map<std::string, std::string> headers) {
    headers.emplace("Content-Type", "application/json");
    RawResponse r = testing::HttpRequest(opdesk_->port(), method, target, body, headers);
    answers_ += r.body;
    return r;
  }
  RawResponse Post(const std::string& target, const std::string& body, const std::string& session) {
    return Call("POST", target, body, {{"Authorization", "Bearer " + session}});
  }
  // Every row of the database as text: what a refused request must leave as it was.
  std::string Dump() {
    std::string out;
    const std::string url = opdesk_->env().at("OPDESK_DATABASE_URL");
    testing::RunCommand({"/usr/bin/sqlite3", url.substr(std::string("sqlite://").size()), ".dump"},
                        {}, opdesk_->dir(), &out);
    return out;
  }
  // The lines of `after` that `before` lacks, and the other way round.
  static std::string ChangedLines(const std::string& before, const std::string& after) {
    auto lines = [](const std::string& text) {
      std::multiset<std::string> out;
      std::size_t start = 0;
      for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
        out.insert(text.substr(start, end - start));
      }
      return out;
    };
    const auto a = lines(before);
    const auto b = lines(after);
    std::string diff;
    for (const std::string& l : b) {
      if (a.count(l) < b.count(l)) {
        diff += "+ " + l.substr(0, 300) + "\n";
      }
    }
    for (const std::string& l : a) {
      if (b.count(l) < a.count(l)) {
        diff += "- " + l.substr(0, 300) + "\n";
      }
    }
    return diff;
  }
  // The lines of a dump that mention `tenant`.
  static std::string Of(const std::string& dump, const std::string& tenant) {
    std::string out;
    std::size_t start = 0;
    for (std::size_t end; (end = dump.find('\n', start)) != std::string::npos; start = end + 1) {
      const std::string line = dump.substr(start, end - start);
      if (line.find("'" + tenant + "'") != std::string::npos) {
        out += line + "\n";
      }
    }
    return out;
  }
  // Connects a VPBX to `emu`'s tenant with the CLI; returns its webhook path "/mango/<key>/".
  std::string ConnectMango(testing::B24Emulator& emu, const std::string& key,
                           const std::string& salt) {
    std::string out;
    EXPECT_EQ(testing::RunCommand({OPDESK_BINARY, "tenant", "mango", "--tenant", emu.member_id(),
                                   "--api-key", key, "--api-salt", salt},
                                  opdesk_->env(), opdesk_->dir(), &out),
              0)
        << out;
    std::smatch m;
    EXPECT_TRUE(std::regex_search(out, m, std::regex(R"((/mango/[0-9a-f]{48}/))"))) << out;
    return m.size() > 1 ? m[1].str() : "";
  }
  // A signed `events/call` of a call `n` appearing, as the VPBX posts it.
  RawResponse PostCallEvent(const std::string& base, const std::string& key,
                            const std::string& salt, int n) {
    const std::string json =
        R"({"entry_id":"e)" + std::to_string(n) + R"(","call_id":"c)" + std::to_string(n) +
        R"(","timestamp":1,"seq":1,"call_state":"Appeared","location":"abonent",)"
        R"("from":{"number":"79001234567"},"to":{"extension":"101"}})";
    return testing::HttpRequest(
        opdesk_->port(), "POST", base + "events/call",
        "vpbx_api_key=" + key + "&sign=" + mango::MangoSign(key, json, salt) + "&json=" + json,
        {{"Content-Type", "application/x-www-form-urlencoded"}});
  }
  // Waits until `n` install jobs have finished (verified or refused).
  bool InstallJobsFinish(long long n) {
    return testing::WaitFor(
        [&] {
          return Count("SELECT COUNT(*) FROM jobs WHERE kind = 'b24.install' AND state = 'done'") ==
                 n;
        },
        20s);
  }
  long long Count(const std::string& sql) {
    long long n = 0;
    storage::WithSession(*db_, [&](storage::Session& s) { s.sql() << sql, soci::into(n); });
    return n;
  }

  testing::B24Emulator a_{{"--rate", "50", "--burst", "50"}, "m-sec-a"};
  testing::B24Emulator b_{{"--rate", "50", "--burst", "50"}, "m-sec-b"};
  std::unique_ptr<testing::Opdesk> opdesk_;
  std::unique_ptr<storage::Database> db_;
  std::string pages_;    // every page opdesk served in the test
  std::string answers_;  // every API answer
};

TEST_F(SecuritySuite, EveryRouteRefusesStrangersOtherTenantsWrongScopesAndOperators) {
  b_.ShareAuthServer(a_);
  Start();
  const std::string install_session = Install(a_);
  Install(b_);
  const std::string supervisor = FrameSession(a_, 1);
  const std::string operator_ = FrameSession(a_, 2);  // no role: may not manage anything
  const std::string other_tenant = FrameSession(b_, 1);
  ASSERT_FALSE(supervisor.empty() || operator_.empty() || other_tenant.empty());
  // Something of tenant A's to aim at.
  RawResponse button = Post("/api/settings/buttons",
                            R"({"name":"Кнопка А","color":"#2fc6f6","actions":[)"
                            R"({"kind":"lead_status","status_id":"IN_PROCESS"}]})",
                            supervisor);
  ASSERT_EQ(button.status, 201) << button.body;
  const std::string button_id = value::parse(button.body).at("id").as_string();

  RawResponse listed = Call("GET", "/api/admin/routes", "",
                            {{"Authorization", std::string("Bearer ") + testing::kAdminToken}});
  ASSERT_EQ(listed.status, 200) << listed.body;
  const value routes = value::parse(listed.body).at("routes");
  ASSERT_GT(routes.size(), 50u);

  std::string forged = supervisor;
  forged[forged.size() / 2] = forged[forged.size() / 2] == 'A' ? 'B' : 'A';
  const std::string before = Dump();
  std::set<std::string> walked;
  for (const value& r : routes.as_array()) {
    const std::string method = r.at("method").as_string();
    const std::string pattern = r.at("pattern").as_string();
    // Every parameter filled with tenant A's object (or a plausible id).
    std::string path = std::regex_replace(pattern, std::regex(R"(\{[a-z_]+\*\})"), "x/y");
    path = std::regex_replace(path, std::regex(R"(\{tenant_key\})"), std::string(48, '0'));
    path = std::regex_replace(path, std::regex(R"(\{member_id\}|\{tenant\})"), a_.member_id());
    path = std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), button_id);
    const std::string body = method == "GET" || method == "DELETE" ? "" : R"({"name":"x"})";
    SCOPED_TRACE(method + " " + pattern);
    walked.insert(method + " " + pattern);

    if (pattern == "/healthz" || pattern == "/readyz" || pattern == "/metrics" ||
        pattern.rfind("/ui/", 0) == 0) {
      EXPECT_EQ(method, "GET") << "public routes only read";
      continue;
    }
    if (pattern.rfind("/b24/", 0) == 0 || pattern.rfind("/mango/", 0) == 0) {
      // Proven by the portal's frame token, its application_token or the VPBX's signature.
      const RawResponse r1 = Call(method, path, "member_id=" + a_.member_id() + "&AUTH_ID=x", {});
      EXPECT_GE(r1.status, 400) << r1.body;
      EXPECT_LT(r1.status, 500) << r1.body;
      continue;
    }
    // Refused: 401/403/404, or 400 where the body was checked first (nothing is done either way).
    auto refused = [&](const RawResponse& res, const char* who) {
      EXPECT_TRUE(res.status == 400 || res.status == 401 || res.status == 403 || res.status == 404)
          << who << ": " << res.status << " " << res.body;
    };
    if (pattern == "/api/session/renew") {
      continue;  // takes a frame token, not a session (SignInsCannotSpendAPortalsBudget)
    }
    refused(Call(method, path, body, {}), "no credentials");
    refused(Call(method, path, body, {{"Authorization", "Bearer " + forged}}), "forged session");
    // CSRF: a session anywhere but the Authorization header does not count.
    refused(
        Call(method, path + "?session=" + supervisor, body, {{"Cookie", "session=" + supervisor}}),
        "session in a cookie or the query");
    if (pattern.rfind("/api/admin/", 0) == 0) {
      refused(Call(method, path, body, {{"Authorization", "Bearer " + supervisor}}),
              "a portal user on the vendor's API");
      continue;
    }
    if (pattern != "/api/b24/setup" && pattern != "/api/b24/status" &&
        pattern != "/api/session/renew") {
      refused(Call(method, path, body, {{"Authorization", "Bearer " + install_session}}),
              "the install page's session");
    }
    if (method != "GET") {
      refused(Call(method, path, body, {{"Authorization", "Bearer " + operator_}}),
              "an operator without a role");
      if (pattern.find('{') != std::string::npos) {
        refused(Call(method, path, body, {{"Authorization", "Bearer " + other_tenant}}),
                "another tenant's supervisor on tenant A's ids");
      }
    } else {
      const RawResponse foreign =
          Call(method, path, body, {{"Authorization", "Bearer " + other_tenant}});
      EXPECT_EQ(foreign.body.find("Кнопка А"), std::string::npos)
          << "another tenant read tenant A's data: " << foreign.body;
      EXPECT_EQ(foreign.body.find(a_.member_id()), std::string::npos) << foreign.body;
    }
  }
  // Tenant B reading its own settings fills its own caches; nothing of tenant A's may change.
  EXPECT_EQ(ChangedLines(Of(before, a_.member_id()), Of(Dump(), a_.member_id())), "")
      << "a refused request changed tenant A's data";
  EXPECT_TRUE(walked.count("PUT /api/settings/buttons/{id}") == 1 ||
              walked.count("PATCH /api/settings/buttons/{id}") == 1)
      << "the walk covers the settings API";
  EXPECT_NE(opdesk_->Log().find("event=started"), std::string::npos);
}

TEST_F(SecuritySuite, OnlyAPortalAdministratorCanInstall) {
  Start();
  // Bitrix24 posts a REFRESH_ID to every user who opens the app: an employee replays theirs.
  const value page = Frame(a_, "/b24/install", 2, R"(,"placement":"DEFAULT")");
  EXPECT_EQ(page.at("status").as_integer(), 403) << page.serialize();
  EXPECT_NE(page.at("body").as_string().find("администратор"), std::string::npos);
  EXPECT_EQ(SessionIn(page.at("body").as_string()), "");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM b24_portals"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tenants"), 0);

  // After the administrator installed, the employee's replay still changes nothing.
  Install(a_);
  const std::string before = Dump();
  const value again = Frame(a_, "/b24/install", 2,
                            R"(,"placement":"DEFAULT","application_token":"attacker-token")");
  EXPECT_EQ(again.at("status").as_integer(), 403) << again.serialize();
  EXPECT_EQ(ChangedLines(before, Dump()), "");
  // A forged ONAPPINSTALL carrying the employee's own (genuine) refresh token is refused by the
  // job: the application_token stays the portal's, so forged uninstalls are still refused.
  const value tokens = a_.Control("POST", "/_emu/tokens/issue", R"({"user_id":2})");
  RawResponse fake = Call("POST", "/b24/install",
                          "event=ONAPPINSTALL&auth[member_id]=" + a_.member_id() +
                              "&auth[refresh_token]=" + tokens.at("refresh_token").as_string() +
                              "&auth[application_token]=attacker-token"
                              "&auth[server_endpoint]=https://oauth.bitrix.info/rest/",
                          {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(fake.status, 200) << fake.body;
  ASSERT_TRUE(InstallJobsFinish(1)) << opdesk_->Log();
  RawResponse wipe = Call("POST", "/b24/events",
                          "event=ONAPPUNINSTALL&data[CLEAN]=1&auth[member_id]=" + a_.member_id() +
                              "&auth[application_token]=attacker-token",
                          {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(wipe.status, 403) << wipe.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM b24_portals WHERE state = 'installed'"), 1);
}

TEST_F(SecuritySuite, AGrantForAnotherPortalChangesNothing) {
  b_.ShareAuthServer(a_);
  Start();
  Install(b_);  // the victim
  const std::string before = Dump();
  // Portal A's administrator posts an install that claims to be portal B: the auth server says
  // the token is A's, so nothing of B's (endpoints, application_token, installer) changes.
  // With B's DOMAIN too, only the auth server's answer tells: the token is A's.
  const std::string b_domain = "127.0.0.1:" + std::to_string(b_.port());
  for (const std::string& domain : {b_domain, "127.0.0.1:" + std::to_string(a_.port())}) {
    const value page = Frame(a_, "/b24/install", 1,
                             R"(,"placement":"DEFAULT","member_id":"m-sec-b","domain":")" + domain +
                                 R"(","application_token":"taken-over")");
    EXPECT_EQ(page.at("status").as_integer(), 403) << page.serialize();
    EXPECT_EQ(SessionIn(page.at("body").as_string()), "");
  }
  EXPECT_EQ(ChangedLines(before, Dump()), "");
  // The same through the install callback.
  const value tokens = a_.Control("POST", "/_emu/tokens/issue", R"({"user_id":1})");
  Call("POST", "/b24/install",
       "event=ONAPPINSTALL&auth[member_id]=m-sec-b&auth[refresh_token]=" +
           tokens.at("refresh_token").as_string() +
           "&auth[application_token]=taken-over&auth[server_endpoint]=x",
       {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_TRUE(InstallJobsFinish(1));
  // Only the refused job itself was written for portal B.
  const std::string changed = Of(ChangedLines(before, Dump()), "m-sec-b");
  std::size_t start = 0;
  for (std::size_t end; (end = changed.find('\n', start)) != std::string::npos; start = end + 1) {
    EXPECT_EQ(changed.compare(start, 20, "+ INSERT INTO jobs V"), 0) << changed.substr(start, end);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM b24_portals"), 1);
}

TEST_F(SecuritySuite, NoUrlFromARequestIsFetchedAndNoSecretLeaks) {
  testing::Canary canary;
  Start();
  const std::string canary_url = "http://127.0.0.1:" + std::to_string(canary.port()) + "/rest/";
  // The auth server named in the request is ignored (user info, a plain address, a file), and
  // the configured one answers: the install works and the canary hears nothing.
  for (const std::string& endpoint :
       {"https://oauth.bitrix.info:@127.0.0.1:" + std::to_string(canary.port()) + "/rest/",
        canary_url, std::string("file:///etc/passwd")}) {
    const value page = Frame(a_, "/b24/install", 1,
                             R"(,"placement":"DEFAULT","server_endpoint":")" + endpoint + R"(")");
    EXPECT_EQ(page.at("status").as_integer(), 200) << page.serialize();
  }
  // A frame naming the canary as its DOMAIN, and events naming it as endpoints.
  Frame(a_, "/b24/app", 1, R"(,"domain":"127.0.0.1:)" + std::to_string(canary.port()) + R"(")");
  Call("POST", "/b24/events",
       "event=ONAPPINSTALL&auth[member_id]=m-sec-a&auth[refresh_token]=nope"
       "&auth[application_token]=t&auth[server_endpoint]=" +
           canary_url + "&auth[client_endpoint]=" + canary_url,
       {{"Content-Type", "application/x-www-form-urlencoded"}});
  // Failure paths whose errors carry URLs: a refused refresh token, an unknown portal.
  Frame(a_, "/b24/install", 1, R"(,"placement":"DEFAULT","refresh_id":"refused-token")");
  Call("POST", "/api/session/renew", R"({"member_id":"m-sec-a","auth_id":"bad"})", {});
  ASSERT_TRUE(testing::WaitFor(
      [&] { return Count("SELECT COUNT(*) FROM jobs WHERE state IN ('pending', 'running')") == 0; },
      20s));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(canary.connections(), 0);

  Call("GET", "/api/admin/jobs?state=dead", "",
       {{"Authorization", std::string("Bearer ") + testing::kAdminToken}});
  Call("GET", "/api/admin/jobs?state=done", "",
       {{"Authorization", std::string("Bearer ") + testing::kAdminToken}});
  // Every refresh token and access token the portal issued in this test, and the app's secrets.
  std::set<std::string> secrets = {kSecret, "refused-token"};
  const value requests = a_.Control("GET", "/_emu/requests");
  for (const value& req : requests.at("requests").as_array()) {
    if (req.has_field("auth") && req.at("auth").is_string() &&
        req.at("auth").as_string().size() > 8) {
      secrets.insert(req.at("auth").as_string());
    }
  }
  const std::string everywhere = pages_ + answers_ + opdesk_->Log() + Dump();
  for (const std::string& secret : secrets) {
    EXPECT_EQ(everywhere.find(secret), std::string::npos) << "leaked: " << secret;
  }
  EXPECT_EQ(everywhere.find("client_secret="), std::string::npos);
}

TEST_F(SecuritySuite, SignInsCannotSpendAPortalsBudget) {
  Start();
  Install(a_);
  a_.Control("POST", "/_emu/requests/clear");
  int limited = 0;
  for (int i = 0; i < 60; ++i) {
    const RawResponse r =
        Call("POST", "/api/session/renew",
             R"({"member_id":"m-sec-a","auth_id":"guess-)" + std::to_string(i) + R"("})",
             {{"X-Forwarded-For", "203.0.113.9"}});
    limited += r.status == 429 ? 1 : 0;
    EXPECT_NE(r.status, 200);
  }
  EXPECT_GE(limited, 25) << "one client's guesses are cut off";
  EXPECT_LE(a_.CountRequests("profile"), 35) << "and cost the portal a bounded number of calls";
  // Another client still signs in.
  const value tokens = a_.Control("POST", "/_emu/tokens/issue", R"({"user_id":1})");
  const RawResponse ok = Call(
      "POST", "/api/session/renew",
      R"({"member_id":"m-sec-a","auth_id":")" + tokens.at("access_token").as_string() + R"("})",
      {{"X-Forwarded-For", "198.51.100.7"}});
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_F(SecuritySuite, ForgedInstallsTakeABoundedPlace) {
  Start({{"OPDESK_JOBS_WORKERS", "0"}});  // nothing verifies them meanwhile
  int accepted = 0;
  for (int i = 0; i < 20; ++i) {
    const RawResponse r =
        Call("POST", "/b24/events",
             "event=ONAPPINSTALL&auth[member_id]=m-unknown&auth[refresh_token]=r" +
                 std::to_string(i) + "&auth[application_token]=t&auth[server_endpoint]=x",
             {{"Content-Type", "application/x-www-form-urlencoded"}});
    accepted += r.status == 200 ? 1 : 0;
    EXPECT_TRUE(r.status == 200 || r.status == 429) << r.status << " " << r.body;
  }
  EXPECT_EQ(accepted, 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events"), 0);
}

TEST_F(SecuritySuite, TheInstallUrlTakesTheInstallCallbackToo) {
  Start();
  const value callback = a_.Control("POST", "/_emu/portal/install-callback",
                                    R"({"url":")" + opdesk_->url() + R"(/b24/install"})");
  ASSERT_EQ(callback.at("status").as_integer(), 200) << callback.serialize();
  ASSERT_TRUE(testing::WaitFor(
      [&] { return Count("SELECT COUNT(*) FROM b24_portals WHERE state = 'installed'") == 1; },
      30s))
      << opdesk_->Log();
}

TEST_F(SecuritySuite, MangoEventsOfARemovedAppQueueNothing) {
  Start();
  Install(a_);
  const std::string base = ConnectMango(a_, "vpbx-key", "vpbx-salt");
  ASSERT_FALSE(base.empty());
  a_.Control("POST", "/_emu/portal/uninstall", R"({"clean":0})");
  ASSERT_TRUE(testing::WaitFor(
      [&] { return Count("SELECT COUNT(*) FROM b24_portals WHERE state = 'uninstalled'") == 1; },
      10s));
  std::this_thread::sleep_for(5100ms);  // past the kept connection's lifetime
  const long long jobs_before = Count("SELECT COUNT(*) FROM jobs");
  const RawResponse r = PostCallEvent(base, "vpbx-key", "vpbx-salt", 1);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("ignored"), std::string::npos) << r.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM jobs"), jobs_before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM calls"), 0);
}

TEST_F(SecuritySuite, ASlowPortalNeverDelaysAnotherTenantsCallEvents) {
  b_.ShareAuthServer(a_);
  Start({{"OPDESK_DATABASE_POOL_SIZE", "4"}});
  Install(a_);
  Install(b_);
  const std::string base = ConnectMango(b_, "vpbx-b", "salt-b");
  ASSERT_FALSE(base.empty());

  // Portal A answers `profile` after 3 s; twelve sign-ins with new frame tokens wait on it, more
  // than the page and API threads (4).
  a_.Control("POST", "/_emu/faults", R"({"method":"profile","delay_ms":3000,"count":0})");
  std::atomic<int> slow_done{0};
  std::vector<std::thread> slow;
  for (int i = 0; i < 12; ++i) {
    slow.emplace_back([&, i] {
      const value t = a_.Control("POST", "/_emu/tokens/issue", R"({"user_id":1})");
      testing::HttpRequest(
          opdesk_->port(), "POST", "/api/session/renew",
          R"({"member_id":"m-sec-a","auth_id":")" + t.at("access_token").as_string() + R"("})",
          {{"Content-Type", "application/json"},
           {"X-Forwarded-For", "198.51.100." + std::to_string(i)}});
      ++slow_done;
    });
  }
  std::this_thread::sleep_for(500ms);  // they are all waiting on portal A now

  // Tenant B's VPBX reports calls meanwhile: each is acknowledged at once.
  std::vector<long long> ack_ms;
  for (int i = 0; i < 20; ++i) {
    const auto started = std::chrono::steady_clock::now();
    const RawResponse r = PostCallEvent(base, "vpbx-b", "salt-b", i);
    ack_ms.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count());
    EXPECT_EQ(r.status, 200) << r.body;
  }
  const int done_while_acking = slow_done.load();
  for (auto& t : slow) {
    t.join();
  }
  std::sort(ack_ms.begin(), ack_ms.end());
  std::printf(
      "call events acknowledged while 12 sign-ins waited 3 s on another portal: "
      "p50 %lld ms, max %lld ms\n",
      ack_ms[ack_ms.size() / 2], ack_ms.back());
  EXPECT_EQ(done_while_acking, 0) << "the slow sign-ins were still waiting";
  EXPECT_LT(ack_ms.back(), 2'000) << "no call event waited for portal A";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM calls WHERE tenant_id = 'm-sec-b'"), 20);
}

}  // namespace
}  // namespace opdesk
