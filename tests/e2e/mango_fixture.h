// The end-to-end setting shared by the Mango tests that change integration settings: the real
// opdesk between the Bitrix24 portal emulator (app installed, supervisor = user 1) and the Mango
// VPBX emulator (connected with `opdesk tenant mango`, webhooks pointed at opdesk), with helpers
// to play scenarios, act as a portal user in the settings API and read what the portal was told.
#pragma once

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <regex>

#include "tests/support/b24emu.h"
#include "tests/support/opdesk_process.h"

namespace opdesk::testing {

using namespace std::chrono_literals;
using web::json::value;

inline constexpr const char* kVpbxKey = "vpbx-test-key";
inline constexpr const char* kVpbxSalt = "vpbx-test-salt";

// A parameter of a logged request as text ("<absent>" when missing).
inline std::string P(const value& params, const char* key) {
  if (!params.is_object() || !params.has_field(key)) {
    return "<absent>";
  }
  const value& v = params.at(key);
  return v.is_string() ? v.as_string() : v.serialize();
}

class MangoFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    b24_ = std::make_unique<B24Emulator>(std::vector<std::string>{"--rate", "50", "--burst", "50"});
    pbx_ = std::make_unique<MangoEmulator>(kVpbxKey, kVpbxSalt);
    opdesk_ = std::make_unique<Opdesk>(
        GetParam(), std::map<std::string, std::string>{
                        {"OPDESK_BITRIX24_CLIENT_ID", "app.test"},
                        {"OPDESK_BITRIX24_CLIENT_SECRET", "secret.test"},
                        {"OPDESK_BITRIX24_OAUTH_URL", b24_->oauth_url()},
                        {"OPDESK_ALLOW_INSECURE_ENDPOINTS", "true"},
                        {"OPDESK_MANGO_API_URL", pbx_->api_url()},
                        {"OPDESK_JOBS_BACKOFF_BASE_MS", "100"},
                        {"OPDESK_JOBS_BACKOFF_MAX_MS", "1000"},
                        // A killed process's jobs are taken over after this lease.
                        {"OPDESK_JOBS_LEASE_SECONDS", "2"},
                        // The periodic directory refresh runs on wall-clock slots; at the
                        // default 5 min one can fall inside a test that counts Mango's requests.
                        // A day keeps it out; a fixture testing the refresh sets its own.
                        {"OPDESK_MANGO_DIRECTORY_REFRESH_SECONDS", "86400"}});
    for (const auto& [k, v] : extra_env_) {
      opdesk_->env()[k] = v;
    }
    ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
    db_ = opdesk_->OpenDatabase();
    b24_->Control("POST", "/_emu/portal/install-callback",
                  R"({"url":")" + opdesk_->url() + R"(/b24/events"})");
    ASSERT_TRUE(WaitFor([&] { return Count("b24_portals WHERE state = 'installed'") == 1; }, 30s))
        << opdesk_->Log();
    std::string out;
    ASSERT_EQ(RunCommand({OPDESK_BINARY, "tenant", "mango", "--tenant", b24_->member_id(),
                          "--api-key", kVpbxKey, "--api-salt", kVpbxSalt},
                         opdesk_->env(), opdesk_->dir(), &out),
              0)
        << out;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(out, m, std::regex("(http://[^ \\n]+/mango/[0-9a-f]+/)")));
    webhook_base_ = m[1].str();
    pbx_->Control("POST", "/_emu/config",
                  R"({"webhook_base":")" + webhook_base_ + R"(","command_speed":1000})");
    ASSERT_TRUE(Settled()) << opdesk_->Log();
  }

  // Set by a derived fixture before SetUp: more of opdesk's environment.
  std::map<std::string, std::string> extra_env_;

  long long Count(const std::string& from_where) {
    long long n = 0;
    storage::WithSession(*db_, [&](storage::Session& s) {
      s.sql() << "SELECT COUNT(*) FROM " + from_where, soci::into(n);
    });
    return n;
  }

  // Nothing left to do: no stored event still to be applied (first: an applied event's jobs
  // are committed with it), no call or portal-event job pending or running, no directory sync
  // due.
  bool Settled(std::chrono::seconds timeout = 30s) {
    return WaitFor(
        [&] {
          return Count("events WHERE pending = 1") == 0 &&
                 Count(
                     "jobs WHERE (kind LIKE 'call.%' OR kind = 'b24.event') AND state IN"
                     " ('pending', 'running')") == 0 &&
                 Count(
                     "jobs WHERE kind = 'mango.directory' AND (state = 'running' OR (state ="
                     " 'pending' AND run_at_ms <= created_at_ms))") == 0;
        },
        timeout);
  }

  // Starts a scenario, waits until the VPBX sent everything and opdesk did its work.
  std::string Play(const std::string& name, const std::string& extra = "") {
    const std::string entry = Start(name, extra);
    WaitPlayed(entry);
    EXPECT_TRUE(Settled()) << opdesk_->Log();
    return entry;
  }
  std::string Start(const std::string& name, const std::string& extra = "") {
    // The seeded contact's number unless `extra` names another (JSON keys must not repeat).
    const std::string client =
        extra.find("\"client\"") == std::string::npos ? R"(,"client":"79001234567")" : "";
    value started = pbx_->Control(
        "POST", "/_emu/scenario",
        R"({"name":")" + name + R"(","speed":1000,"line":"74951234567")" + client + extra + "}");
    return started.at("entry_id").as_string();
  }
  void WaitPlayed(const std::string& entry) {
    pbx_->Control("POST", "/_emu/wait", R"({"entry_id":")" + entry + R"(","timeout_ms":20000})");
  }

  // Authorization headers of a portal user's UI session (user 1 is the supervisor).
  std::map<std::string, std::string> SessionOf(int user) {
    value frame = b24_->Control(
        "POST", "/_emu/portal/frame",
        R"({"url":")" + opdesk_->url() + R"(/b24/app","user_id":)" + std::to_string(user) + "}");
    std::smatch m;
    const std::string html = frame.at("body").as_string();
    EXPECT_TRUE(std::regex_search(
        html, m, std::regex(R"re((?:opdesk-session" content="|"session":")([^"]+)")re")));
    return {{"Authorization", "Bearer " + m[1].str()}, {"Content-Type", "application/json"}};
  }
  RawResponse Api(const std::string& method, const std::string& path, const std::string& body,
                  const std::map<std::string, std::string>& auth) {
    return HttpRequest(opdesk_->port(), method, path, body, auth);
  }
  // Sets integration settings as the supervisor: `fields` is the inside of the JSON object.
  void SetIntegration(const std::string& fields) {
    const auto supervisor = SessionOf(1);
    RawResponse read = Api("GET", "/api/settings/integration", "", supervisor);
    ASSERT_EQ(read.status, 200) << read.body;
    const long long version = value::parse(read.body).at("version").as_number().to_int64();
    RawResponse saved =
        Api("PUT", "/api/settings/integration",
            "{\"version\":" + std::to_string(version) + (fields.empty() ? "" : "," + fields) + "}",
            supervisor);
    ASSERT_EQ(saved.status, 200) << saved.body;
  }

  value Json(const RawResponse& r) { return value::parse(r.body); }
  std::string Field(const RawResponse& r) { return Json(r).at("error").at("field").as_string(); }
  // Mango commands opdesk sent to `path`.
  std::vector<value> Commands(const std::string& path) {
    std::vector<value> out;
    const value log = pbx_->Control("GET", "/_emu/requests");  // alive while iterating
    for (const auto& r : log.at("requests").as_array()) {
      if (r.has_field("path") && r.at("path").as_string() == path) {
        out.push_back(r);
      }
    }
    return out;
  }
  // Successful REST requests the portal got for `method` (lower case), direct or inside a batch,
  // in order; each is the logged entry (params, seq, at_ms).
  std::vector<value> Requests(const std::string& method) {
    std::vector<value> out;
    const value log = b24_->Control("GET", "/_emu/requests");
    for (const auto& r : log.at("requests").as_array()) {
      if (r.at("rest_method").is_string() && r.at("rest_method").as_string() == method &&
          r.at("status").as_integer() == 200) {
        out.push_back(r);
      }
    }
    return out;
  }
  // The portal's record of the call Mango knows as `entry` (EXTERNAL_CALL_ID).
  value PortalCall(const std::string& external_call_id) {
    const value state = b24_->Control("GET", "/_emu/state");
    for (const auto& call : state.at("calls").as_array()) {
      if (call.at("EXTERNAL_CALL_ID").as_string() == external_call_id) {
        return call;
      }
    }
    return value::null();
  }
  // Portal items of `kind` ("contacts", "leads", "deals") whose fields match.
  std::vector<value> Portal(const std::string& kind, const std::string& field,
                            const std::string& equals) {
    std::vector<value> out;
    const value state = b24_->Control("GET", "/_emu/state");
    for (const auto& item : state.at(kind).as_array()) {
      if (P(item, field.c_str()) == equals) {
        out.push_back(item);
      }
    }
    return out;
  }

  std::unique_ptr<B24Emulator> b24_;
  std::unique_ptr<MangoEmulator> pbx_;
  std::unique_ptr<Opdesk> opdesk_;
  std::unique_ptr<storage::Database> db_;
  std::string webhook_base_;
};

}  // namespace opdesk::testing
