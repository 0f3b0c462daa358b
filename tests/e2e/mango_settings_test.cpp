// The Mango side of the settings, end to end: connecting a VPBX from the settings page, the
// integration flags checked against the portal, the employee map kept in step with the VPBX's
// directory (manual links win), and calls of unmapped employees.
#include <thread>

#include "tests/e2e/mango_fixture.h"
#include "webhooks/mango/envelope.h"

namespace opdesk {
namespace {

using testing::P;
using web::json::value;
using namespace std::chrono_literals;

class MangoSettingsTest : public testing::MangoFixture {
 protected:
  // The employee map row of an extension, or null; read with the supervisor's session.
  value Employee(const std::string& extension) {
    if (supervisor_.empty()) {
      supervisor_ = SessionOf(1);
    }
    testing::RawResponse r = Api("GET", "/api/settings/mango/employees", "", supervisor_);
    EXPECT_EQ(r.status, 200) << r.body;
    const value body = Json(r);  // alive while iterating
    for (const auto& e : body.at("employees").as_array()) {
      if (e.at("extension").as_string() == extension) {
        return e;
      }
    }
    return value::null();
  }
  std::string LinkOf(const std::string& extension) {
    const value e = Employee(extension);
    if (e.is_null() || e.at("crm_user_id").is_null()) {
      return "-";
    }
    return e.at("crm_user_id").as_string() + "/" + e.at("source").as_string();
  }

 private:
  std::map<std::string, std::string> supervisor_;
};

TEST_P(MangoSettingsTest, SupervisorConnectsAVpbxAndGetsTheWebhookBaseUrl) {
  const auto supervisor = SessionOf(1);
  const auto operator_ = SessionOf(2);
  testing::RawResponse read = Api("GET", "/api/settings/mango", "", supervisor);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_TRUE(Json(read).at("connected").as_bool());
  EXPECT_EQ(Json(read).at("api_key").as_string(), testing::kVpbxKey);
  EXPECT_EQ(Json(read).at("webhook_url").as_string(), webhook_base_) << "the same as the CLI's";
  EXPECT_EQ(Json(read).at("directory").at("employees").as_integer(), 4) << "synced on connect";
  EXPECT_EQ(read.body.find(testing::kVpbxSalt), std::string::npos) << "the salt never leaves";
  EXPECT_EQ(Api("GET", "/api/settings/mango", "", operator_).status, 403);
  EXPECT_EQ(Api("GET", "/api/settings/mango", "", {}).status, 401);

  // An event before the change: the webhooks now keep this connection's key and salt.
  const std::string base = webhook_base_.substr(webhook_base_.find("/mango/"));
  const std::string event =
      R"({"entry_id":"e-1","call_id":"c-1","seq":1,"call_state":"Appeared","location":"ivr",)"
      R"("from":{"number":"79005550100"},"to":{"number":"74951234567"}})";
  auto post = [&](const std::string& key, const std::string& salt) {
    return opdesk_
        ->Post(base + "events/call", mango::BuildEnvelope(key, event, salt),
               {{"Content-Type", "application/x-www-form-urlencoded"}})
        .status;
  };
  EXPECT_EQ(post(testing::kVpbxKey, testing::kVpbxSalt), 200);

  const std::string change = R"({"api_key":"vpbx-key-2","api_salt":"salt-2"})";
  EXPECT_EQ(Api("PUT", "/api/settings/mango", change, operator_).status, 403);
  for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"api_key":"vpbx-key-2"})", "api_salt"},
           {R"({"api_key":"has space","api_salt":"s"})", "api_key"},
           {R"({"api_key":"k","api_salt":5})", "api_salt"},
           {R"({"api_key":"k","api_salt":"s","tenant":"x"})", "tenant"},
           {R"(["k"])", "body"}}) {
    testing::RawResponse bad = Api("PUT", "/api/settings/mango", body, supervisor);
    EXPECT_EQ(bad.status, 400) << body;
    EXPECT_EQ(Field(bad), field) << body;
  }
  EXPECT_EQ(Json(Api("GET", "/api/settings/mango", "", supervisor)).at("api_key").as_string(),
            testing::kVpbxKey)
      << "refused changes changed nothing";

  testing::RawResponse saved = Api("PUT", "/api/settings/mango", change, supervisor);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Json(saved).at("api_key").as_string(), "vpbx-key-2");
  EXPECT_EQ(Json(saved).at("webhook_url").as_string(), webhook_base_)
      << "reconnecting keeps the address the Mango account holds";
  EXPECT_EQ(saved.body.find("salt-2"), std::string::npos);
  EXPECT_EQ(Count("audit_log WHERE action = 'mango.reconnect' AND actor = 'user:1' AND"
                  " after_json NOT LIKE '%salt%'"),
            1);
  EXPECT_EQ(Count("audit_log WHERE action = 'mango.connect' AND actor = 'vendor'"), 1);
  EXPECT_EQ(Count("mango_connections WHERE api_salt_sealed LIKE '%salt-2%'"), 0);

  // The webhook address now takes the new VPBX's signature only, at once.
  EXPECT_EQ(post(testing::kVpbxKey, testing::kVpbxSalt), 403);
  EXPECT_EQ(post("vpbx-key-2", "salt-2"), 200);
}

TEST_P(MangoSettingsTest, IntegrationFlagsAreCheckedAgainstThePortalAndBadOnesChangeNothing) {
  const auto supervisor = SessionOf(1);
  auto put = [&](const std::string& fields) {
    const long long version =
        Json(Api("GET", "/api/settings/integration", "", supervisor)).at("version").as_integer();
    return Api("PUT", "/api/settings/integration",
               "{\"version\":" + std::to_string(version) + "," + fields + "}", supervisor);
  };
  for (const auto& [fields, field] : std::vector<std::pair<std::string, std::string>>{
           {R"("crm_source_by_line":{"74951234567":"NO_SUCH_SOURCE"})", "crm_source_by_line"},
           {R"("deal_category_id":"7")", "deal_category_id"},
           {R"("deal_category_id":"1","deal_stage_id":"C1:PREPARATION")", "deal_stage_id"},
           {R"("answered_new_number":"contact")", "answered_new_number"},
           {R"("callback_group":"500")", "callback_line_number"}}) {
    testing::RawResponse bad = put(fields);
    EXPECT_EQ(bad.status, 400) << fields << " " << bad.body;
    EXPECT_EQ(Field(bad), field) << fields;
  }
  EXPECT_EQ(
      Json(Api("GET", "/api/settings/integration", "", supervisor)).at("version").as_integer(), 0)
      << "nothing was saved";
  testing::RawResponse ok =
      put(R"("answered_new_number":"client_and_deal","missed_new_number":"lead",)"
          R"("outgoing_new_number_creates_client":true,"crm_source_by_line":{"74951234567":"WEB"},)"
          R"("deal_category_id":"1","deal_stage_id":"C1:NEW","callback_extension":"102")");
  ASSERT_EQ(ok.status, 200) << ok.body;
  const value saved = Json(Api("GET", "/api/settings/integration", "", supervisor));
  EXPECT_EQ(saved.at("answered_new_number").as_string(), "client_and_deal");
  EXPECT_EQ(saved.at("crm_source_by_line").at("74951234567").as_string(), "WEB");
  EXPECT_EQ(saved.at("deal_stage_id").as_string(), "C1:NEW");
  EXPECT_EQ(saved.at("version").as_integer(), 1);
  EXPECT_EQ(Count("audit_log WHERE action = 'integration.update' AND after_json LIKE"
                  " '%client_and_deal%'"),
            1);
}

TEST_P(MangoSettingsTest, EmployeeMapFollowsTheVpbxDirectoryAndManualLinksWin) {
  const auto supervisor = SessionOf(1);
  EXPECT_EQ(LinkOf("101"), "1/crm");
  EXPECT_EQ(LinkOf("102"), "2/crm");
  EXPECT_EQ(LinkOf("103"), "3/crm");
  EXPECT_EQ(LinkOf("104"), "-") << "its portal user is dismissed";
  EXPECT_EQ(Employee("102").at("mango_name").as_string(), "Борис Операторов");
  EXPECT_EQ(Api("GET", "/api/settings/mango/employees", "", SessionOf(2)).status, 403);

  // A new employee with no internal number in the portal, found by e-mail.
  b24_->Control("POST", "/_emu/seed",
                R"({"users":[{"ID":5,"NAME":"Дмитрий","LAST_NAME":"Новиков",)"
                R"("EMAIL":"dmitry@example.ru","UF_PHONE_INNER":""}]})");
  pbx_->Control("POST", "/_emu/employees",
                R"({"extension":"105","name":"Дмитрий Новиков","email":"Dmitry@Example.ru"})");
  EXPECT_EQ(Api("POST", "/api/settings/mango/employees/refresh", "", supervisor).status, 202);
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  EXPECT_EQ(LinkOf("105"), "5/pbx");

  // Manual links: checked against the portal, audited, kept by later syncs.
  for (const auto& [path, body, field] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"104", R"({"crm_user_id":"4"})", "crm_user_id"},   // dismissed
           {"104", R"({"crm_user_id":"99"})", "crm_user_id"},  // nobody
           {"104", R"({"crm_user_id":"x"})", "crm_user_id"},
           {"104", R"({"user":"3"})", "user"},
           {"10x", R"({"crm_user_id":"3"})", "extension"}}) {
    testing::RawResponse bad =
        Api("PUT", "/api/settings/mango/employees/" + path, body, supervisor);
    EXPECT_EQ(bad.status, 400) << path << " " << body << " " << bad.body;
    EXPECT_EQ(Field(bad), field) << body;
  }
  EXPECT_EQ(LinkOf("104"), "-");
  EXPECT_EQ(Api("PUT", "/api/settings/mango/employees/104", R"({"crm_user_id":"3"})", SessionOf(2))
                .status,
            403);
  ASSERT_EQ(
      Api("PUT", "/api/settings/mango/employees/104", R"({"crm_user_id":"3"})", supervisor).status,
      200);
  ASSERT_EQ(
      Api("PUT", "/api/settings/mango/employees/102", R"({"crm_user_id":3})", supervisor).status,
      200);
  EXPECT_EQ(Api("POST", "/api/settings/mango/employees/refresh", "", supervisor).status, 202);
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  EXPECT_EQ(LinkOf("104"), "3/manual");
  EXPECT_EQ(LinkOf("102"), "3/manual") << "a manual link outranks UF_PHONE_INNER";
  EXPECT_EQ(Count("audit_log WHERE action = 'employee_map.link'"), 2);

  const std::string entry = Play("inbound_answered_after_ivr", R"(,"operator":"104")");
  const value call = PortalCall(entry);
  ASSERT_FALSE(call.is_null());
  EXPECT_EQ(P(call.at("params"), "USER_ID"), "3");
  EXPECT_EQ(P(call.at("params"), "SHOW"), "1") << "a linked employee gets the card";

  EXPECT_EQ(Api("DELETE", "/api/settings/mango/employees/101", "", supervisor).status, 404)
      << "101's link is automatic";
  ASSERT_EQ(Api("DELETE", "/api/settings/mango/employees/102", "", supervisor).status, 200);
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  EXPECT_EQ(LinkOf("102"), "2/crm") << "the automatic link is back";

  // Mango allows one directory request per 2 s: opdesk never got a 429 for it.
  const std::vector<value> requests = Commands("config/users/request");
  ASSERT_GE(requests.size(), 4u);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].at("http_status").as_integer(), 200) << i;
    if (i > 0) {
      EXPECT_GE(requests[i].at("at_ms").as_integer() - requests[i - 1].at("at_ms").as_integer(),
                2000)
          << i;
    }
  }
}

TEST_P(MangoSettingsTest, UnmappedEmployeesCallGoesToTheCatchAllUserWithTheCardWhenChosen) {
  SetIntegration(R"("catch_all_user_id":"3","unmapped_employee_calls":"catch_all_card")");
  const std::string card = Play("inbound_answered_after_ivr", R"(,"operator":"106")");
  EXPECT_EQ(P(PortalCall(card).at("params"), "USER_ID"), "3");
  EXPECT_EQ(P(PortalCall(card).at("params"), "SHOW"), "1");
  EXPECT_EQ(P(PortalCall(card).at("finish_params"), "USER_ID"), "3");
  SetIntegration(R"("catch_all_user_id":"3")");
  const std::string record = Play("inbound_answered_after_ivr", R"(,"operator":"106")");
  EXPECT_EQ(P(PortalCall(record).at("params"), "USER_ID"), "3");
  EXPECT_EQ(P(PortalCall(record).at("params"), "SHOW"), "0") << "recorded without a card";
}

// The directory is fetched again every period without anyone asking: a new employee is linked,
// and the chain of periodic syncs goes on after each run.
class MangoDirectoryRefreshTest : public MangoSettingsTest {
 protected:
  void SetUp() override {
    extra_env_["OPDESK_MANGO_DIRECTORY_REFRESH_SECONDS"] = "10";  // the smallest allowed
    MangoSettingsTest::SetUp();
  }
};

TEST_P(MangoDirectoryRefreshTest, ANewEmployeeIsLinkedByTheNextPeriodicSync) {
  b24_->Control("POST", "/_emu/seed",
                R"({"users":[{"ID":5,"NAME":"Дмитрий","LAST_NAME":"Новиков",)"
                R"("EMAIL":"dmitry@example.ru","UF_PHONE_INNER":""}]})");
  pbx_->Control("POST", "/_emu/employees",
                R"({"extension":"105","name":"Дмитрий Новиков","email":"dmitry@example.ru"})");
  const std::size_t before = Commands("config/users/request").size();
  ASSERT_TRUE(testing::WaitFor([&] { return LinkOf("105") == "5/pbx"; }, 30s))
      << "linked within a period, nobody pressed refresh\n"
      << opdesk_->Log();
  const std::size_t linked = Commands("config/users/request").size();
  EXPECT_GT(linked, before);
  // The next slot follows; never more than one sync waits for it.
  ASSERT_TRUE(
      testing::WaitFor([&] { return Commands("config/users/request").size() > linked; }, 30s))
      << "the periodic chain goes on";
  EXPECT_LE(Count("jobs WHERE kind = 'mango.directory' AND state = 'pending'"), 1);
  for (const value& r : Commands("config/users/request")) {
    EXPECT_EQ(r.at("http_status").as_integer(), 200);
  }
}

// «Проверить подключение»: the stored key and salt are tried on the VPBX's directory request;
// Mango's refusal is said in words, and not repeated while it would lock Mango's API.
TEST_P(MangoSettingsTest, ConnectionCheckAsksTheVpbxAndExplainsARefusedKey) {
  const auto supervisor = SessionOf(1);
  auto english = supervisor;
  english["Accept-Language"] = "en-US,en;q=0.9";
  EXPECT_EQ(Api("POST", "/api/settings/mango/check", "", {}).status, 401);
  EXPECT_EQ(Api("POST", "/api/settings/mango/check", "", SessionOf(2)).status, 403);

  const std::size_t before = Commands("config/users/request").size();
  testing::RawResponse good = Api("POST", "/api/settings/mango/check", "", supervisor);
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_TRUE(Json(good).at("ok").as_bool()) << good.body;
  EXPECT_EQ(Json(good).at("code").as_string(), "ok");
  EXPECT_EQ(Json(good).at("employees").as_integer(), 4);
  EXPECT_NE(Json(good).at("message").as_string().find("Подключение работает"), std::string::npos);
  EXPECT_EQ(Commands("config/users/request").size(), before + 1) << "one directory request";

  // A wrong key: Mango answers 3105, the page gets why and what to do, in the session's language.
  // Saving the key also starts a directory sync, which meets the same refusal first; the
  // emulator's lock-out after a second bad request is turned off so that the check's own answer
  // is Mango's key check, whichever request comes first.
  pbx_->Control("POST", "/_emu/config", R"({"lockout_ms":0})");
  ASSERT_EQ(
      Api("PUT", "/api/settings/mango", R"({"api_key":"wrong-key","api_salt":"s"})", supervisor)
          .status,
      200);
  const std::size_t sent = Commands("config/users/request").size();
  // The sync the connect queued meets the refusal first; wait for it so the counts below are
  // the check's alone.
  for (int i = 0; i < 200 && Commands("config/users/request").size() <= sent; ++i) {
    std::this_thread::sleep_for(50ms);
  }
  const std::size_t synced = Commands("config/users/request").size();
  ASSERT_GT(synced, sent) << "connecting queues a directory sync";
  testing::RawResponse bad = Api("POST", "/api/settings/mango/check", "", english);
  ASSERT_EQ(bad.status, 200) << bad.body;
  EXPECT_FALSE(Json(bad).at("ok").as_bool());
  EXPECT_EQ(Json(bad).at("code").as_string(), "auth_key");
  EXPECT_EQ(Json(bad).at("mango_code").as_integer(), 3105);
  EXPECT_NE(Json(bad).at("message").as_string().find("Mango refused the VPBX key"),
            std::string::npos)
      << bad.body;
  EXPECT_FALSE(Json(bad).at("repeated").as_bool());
  const std::size_t after_bad = Commands("config/users/request").size();
  EXPECT_EQ(after_bad, synced + 1) << "the check asked Mango once";

  // Asked again at once: the refusal is remembered, Mango is not asked a second time.
  testing::RawResponse again = Api("POST", "/api/settings/mango/check", "", supervisor);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json(again).at("code").as_string(), "auth_key");
  EXPECT_TRUE(Json(again).at("repeated").as_bool());
  EXPECT_NE(Json(again).at("message").as_string().find("Запрос не повторён"), std::string::npos);
  EXPECT_EQ(Commands("config/users/request").size(), after_bad);

  // New credentials are checked at once.
  ASSERT_EQ(Api("PUT", "/api/settings/mango",
                std::string(R"({"api_key":")") + testing::kVpbxKey + R"(","api_salt":"wrong"})",
                supervisor)
                .status,
            200);
  testing::RawResponse bad_salt = Api("POST", "/api/settings/mango/check", "", supervisor);
  EXPECT_EQ(Json(bad_salt).at("code").as_string(), "auth_sign") << bad_salt.body;
  EXPECT_EQ(Json(bad_salt).at("mango_code").as_integer(), 3102);
}

INSTANTIATE_TEST_SUITE_P(Backends, MangoSettingsTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Backends, MangoDirectoryRefreshTest,
                         ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
