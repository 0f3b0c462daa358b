// The settings API end to end: the real opdesk binary, installed into one or two emulated
// portals, driven over HTTP with the UI sessions their frames hand out.
#pragma once

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <regex>

#include "connector/storage/database.h"
#include "tests/support/b24emu.h"
#include "tests/support/opdesk_process.h"

namespace opdesk::testing {

using web::json::value;

class SettingsApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  // The vendor's way to order the paid plan (config tariff.*), shown on the upgrade prompt.
  static constexpr const char* kOrderUrl = "https://opdesk.example/order?plan=standard";
  static constexpr const char* kContacts = "sales@opdesk.example, +7 495 000-00-00";

  void SetUp() override {
    emu_ = std::make_unique<B24Emulator>(std::vector<std::string>{"--rate", "50", "--burst", "50"});
    opdesk_ = std::make_unique<Opdesk>(
        GetParam(),
        std::map<std::string, std::string>{{"OPDESK_BITRIX24_CLIENT_ID", "app.test"},
                                           {"OPDESK_BITRIX24_CLIENT_SECRET", "secret.test"},
                                           {"OPDESK_BITRIX24_OAUTH_URL", emu_->oauth_url()},
                                           {"OPDESK_ALLOW_INSECURE_ENDPOINTS", "true"},
                                           {"OPDESK_PLANS_CHECK_INTERVAL_SECONDS", "1"},
                                           {"OPDESK_TARIFF_ORDER_URL", kOrderUrl},
                                           {"OPDESK_TARIFF_CONTACTS", kContacts}});
    ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
    db_ = opdesk_->OpenDatabase();
    Install(*emu_);
    supervisor_ = SessionOf(*emu_, 1);  // the installer
  }

  // The install page and its setup, as the portal and the page's script run them.
  void Install(B24Emulator& emu) {
    value page = emu.Control(
        "POST", "/_emu/portal/frame",
        R"({"url":")" + opdesk_->url() + R"(/b24/install","user_id":1,"placement":"DEFAULT"})");
    ASSERT_EQ(page.at("status").as_integer(), 200) << page.serialize();
    RawResponse setup =
        opdesk_->Post("/api/b24/setup", "",
                      {{"Authorization", "Bearer " + SessionIn(page.at("body").as_string())}});
    ASSERT_EQ(setup.status, 200) << setup.body;
  }

  static std::string SessionIn(const std::string& html) {
    std::smatch m;
    EXPECT_TRUE(std::regex_search(
        html, m, std::regex(R"re((?:opdesk-session" content="|"session":")([^"]+)")re")))
        << html;
    return m.size() > 1 ? m[1].str() : "";
  }

  // The UI session a user gets by opening the app page in their portal.
  std::string SessionOf(B24Emulator& emu, int user) {
    value frame = emu.Control(
        "POST", "/_emu/portal/frame",
        R"({"url":")" + opdesk_->url() + R"(/b24/app","user_id":)" + std::to_string(user) + "}");
    return SessionIn(frame.at("body").as_string());
  }

  RawResponse Call(const std::string& method, const std::string& target, const std::string& body,
                   const std::string& session) {
    std::map<std::string, std::string> headers = {{"Content-Type", "application/json"}};
    if (!session.empty()) {
      headers["Authorization"] = "Bearer " + session;
    }
    return HttpRequest(opdesk_->port(), method, target, body, headers);
  }
  static value Json(const RawResponse& r) { return value::parse(r.body); }
  static std::string FieldOf(const RawResponse& r) {
    const value v = value::parse(r.body);
    return v.has_field("error") && v.at("error").has_field("field")
               ? v.at("error").at("field").as_string()
               : "";
  }
  // Creates a role and gives it to `user`; returns the role id.
  std::string GiveRole(const std::string& user, const std::string& role_json) {
    RawResponse role = Call("POST", "/api/settings/roles", role_json, supervisor_);
    EXPECT_EQ(role.status, 201) << role.body;
    const std::string id = Json(role).at("id").as_string();
    RawResponse assigned =
        Call("PUT", "/api/settings/users/" + user, R"({"role_id":")" + id + R"("})", supervisor_);
    EXPECT_EQ(assigned.status, 200) << assigned.body;
    return id;
  }
  long long Count(const std::string& from_where) {
    long long n = 0;
    storage::WithSession(*db_, [&](storage::Session& s) {
      s.sql() << "SELECT COUNT(*) FROM " + from_where, soci::into(n);
    });
    return n;
  }
  int Cli(std::vector<std::string> args, std::string* out) {
    args.insert(args.begin(), OPDESK_BINARY);
    return RunCommand(args, opdesk_->env(), opdesk_->dir(), out);
  }

  std::unique_ptr<B24Emulator> emu_;
  std::unique_ptr<Opdesk> opdesk_;
  std::unique_ptr<storage::Database> db_;
  std::string supervisor_;
};

}  // namespace opdesk::testing
