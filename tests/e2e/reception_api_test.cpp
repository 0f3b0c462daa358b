// The reception wizard end to end (FEATURES G1–G4): the real opdesk between the portal emulator
// (departments, users by department, time tracking) and the Mango emulator (a call talking on
// extension 102, commands/transfer and its result/transfer). Each route's refusals (401 no
// session, 403 no seat or no right to manage settings, 404 another portal's call or transfer,
// 400 naming the field, 409 a stale version or a call the operator is not on), the managers'
// order with presence and line state, transfers that succeed and fail with Mango's codes, and
// inquiries created once per request id.
#include "tests/e2e/mango_fixture.h"

namespace opdesk {
namespace {

using testing::B24Emulator;
using testing::P;
using testing::RawResponse;
using testing::WaitFor;
using web::json::value;
using namespace std::chrono_literals;

constexpr const char* kSettings =
    R"({"version":0,"service_types":[{"id":"sales","name":"Продажи"},{"id":"repair","name":"Ремонт"}],)"
    R"("departments":[{"department_id":"2","service_type_ids":["sales"],"all_users":true},)"
    R"({"department_id":"1","service_type_ids":["sales","repair"],"all_users":false,)"
    R"("manager_ids":["1","2"]}],"inquiry_target":"lead","transfer_method":"blind"})";

class ReceptionApiTest : public testing::MangoFixture {
 protected:
  void SetUp() override {
    MangoFixture::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    supervisor_ = SessionOf(1);
    operator_ = SessionOf(2);
    // User 2 (extension 102, the scenarios' operator) holds a seat without the settings right.
    RawResponse role = Api("POST", "/api/settings/roles", R"({"name":"Оператор"})", supervisor_);
    ASSERT_EQ(role.status, 201) << role.body;
    RawResponse assigned =
        Api("PUT", "/api/settings/users/2",
            R"({"role_id":")" + Json(role).at("id").as_string() + R"("})", supervisor_);
    ASSERT_EQ(assigned.status, 200) << assigned.body;
  }

  RawResponse SaveSettings(const std::string& body) {
    return Api("PUT", "/api/settings/reception", body, supervisor_);
  }
  // A call answered by 102 and talking for a minute of scenario time; its CRM call id once
  // opdesk registered it.
  std::string TalkingCall(std::string* entry_out = nullptr) {
    const value started =
        pbx_->Control("POST", "/_emu/scenario",
                      R"({"name":"inbound_answered_after_ivr","speed":5,"line":"74951234567",)"
                      R"("client":"79005550001"})");
    const std::string entry = started.at("entry_id").as_string();
    if (entry_out != nullptr) {
      *entry_out = entry;
    }
    std::string crm_call_id;
    // Registered in the CRM, and 102's leg talking as opdesk's own call data says (the sales
    // type of kSettings lists user 2, so the managers' line state shows it).
    EXPECT_TRUE(WaitFor(
        [&] {
          storage::WithSession(*db_, [&](storage::Session& s) {
            s.sql() << "SELECT crm_call_id FROM calls WHERE entry_id = :e", soci::into(crm_call_id),
                soci::use(entry);
          });
          if (crm_call_id.empty()) {
            return false;
          }
          const RawResponse r =
              Api("GET", "/api/reception/managers?service_type=sales", "", operator_);
          if (r.status != 200) {
            return false;
          }
          const value body = Json(r);
          for (const auto& m : body.at("managers").as_array()) {
            if (m.at("user_id").as_string() == "2") {
              return m.at("line").as_string() == "talking";
            }
          }
          return false;
        },
        30s))
        << opdesk_->Log();
    return crm_call_id;
  }
  value Transfer(const std::string& call, const std::string& user, int want_status,
                 const std::string& method = "") {
    RawResponse r = Api("POST", "/api/reception/transfer",
                        R"({"call":")" + call + R"(","user_id":")" + user + "\"" +
                            (method.empty() ? "" : R"(,"method":")" + method + "\"") + "}",
                        operator_);
    EXPECT_EQ(r.status, want_status) << r.body;
    return r.body.empty() ? value::null() : Json(r);
  }
  value WaitTransfer(const std::string& id) {
    value state;
    EXPECT_TRUE(WaitFor(
        [&] {
          RawResponse r = Api("GET", "/api/reception/transfer/" + id, "", operator_);
          state = Json(r);
          return r.status == 200 && state.at("state").as_string() != "pending";
        },
        20s))
        << opdesk_->Log();
    return state;
  }

  std::map<std::string, std::string> supervisor_;
  std::map<std::string, std::string> operator_;
};

TEST_P(ReceptionApiTest, EveryRouteRefusesWithoutASessionOrASeat) {
  const std::map<std::string, std::string> none = {{"Content-Type", "application/json"}};
  SessionOf(3);  // user 3 signs in but holds no seat
  const auto seatless = SessionOf(3);
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"GET", "/api/reception/options"},
      {"GET", "/api/reception/managers?service_type=sales"},
      {"POST", "/api/reception/transfer"},
      {"GET", "/api/reception/transfer/rcp-x"},
      {"POST", "/api/reception/inquiry"},
      {"GET", "/api/settings/reception"},
      {"PUT", "/api/settings/reception"},
      {"GET", "/api/settings/reception/departments"},
      {"GET", "/api/settings/reception/departments/2/users"}};
  for (const auto& [method, path] : routes) {
    EXPECT_EQ(Api(method, path, "{}", none).status, 401) << method << " " << path;
    EXPECT_EQ(Api(method, path, "{}", seatless).status, 403) << method << " " << path;
  }
  RawResponse operator_write = Api("PUT", "/api/settings/reception", kSettings, operator_);
  EXPECT_EQ(operator_write.status, 403) << "a seat without the settings right reads only";
  EXPECT_EQ(Api("GET", "/api/settings/reception", "", operator_).status, 200);
  EXPECT_EQ(Count("reception_settings"), 0);
}

TEST_P(ReceptionApiTest, SettingsAreVersionedAuditedAndCheckedFieldByField) {
  RawResponse empty = Api("GET", "/api/settings/reception", "", supervisor_);
  ASSERT_EQ(empty.status, 200);
  EXPECT_EQ(Json(empty).at("version").as_integer(), 0);
  EXPECT_EQ(Json(empty).at("inquiry_target").as_string(), "lead");

  RawResponse saved = SaveSettings(kSettings);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Json(saved).at("version").as_integer(), 1);
  EXPECT_EQ(Json(saved).at("departments").size(), 2u);
  EXPECT_EQ(Count("audit_log WHERE action = 'reception.update' AND actor = 'user:1'"), 1);

  RawResponse stale = SaveSettings(kSettings);
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(Field(stale), "version");

  std::string bad = kSettings;
  bad.replace(bad.find(R"("version":0)"), 11, R"("version":1)");
  std::string unknown_type = bad;
  unknown_type.replace(unknown_type.find(R"(["sales","repair"])"), 18, R"(["sales","cooking"])");
  RawResponse refused = SaveSettings(unknown_type);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(Field(refused), "departments[1].service_type_ids[1]");
  std::string bad_target = bad;
  bad_target.replace(bad_target.find(R"("inquiry_target":"lead")"), 23,
                     R"("inquiry_target":"task")");
  EXPECT_EQ(Field(SaveSettings(bad_target)), "inquiry_target");
  EXPECT_EQ(Field(SaveSettings(R"({"version":1,"colour":"red"})")), "colour");
  EXPECT_EQ(Field(SaveSettings(R"({"service_types":[]})")), "version");
  EXPECT_EQ(Count("audit_log WHERE action = 'reception.update'"), 1) << "refusals change nothing";
  EXPECT_EQ(Json(Api("GET", "/api/settings/reception", "", operator_)).at("version").as_integer(),
            1);

  // The portal's structure for the page: departments and a department's users.
  const value deps = Json(Api("GET", "/api/settings/reception/departments", "", supervisor_));
  ASSERT_EQ(deps.at("departments").size(), 3u) << deps.serialize();
  EXPECT_EQ(deps.at("departments").at(0).at("name").as_string(), "Отдел продаж") << "by SORT";
  EXPECT_EQ(deps.at("departments").at(0).at("parent_id").as_string(), "1");
  EXPECT_EQ(deps.at("departments").at(0).at("head_user_id").as_string(), "3");
  const value users =
      Json(Api("GET", "/api/settings/reception/departments/2/users", "", supervisor_));
  ASSERT_EQ(users.at("users").size(), 1u) << users.serialize();
  EXPECT_EQ(users.at("users").at(0).at("id").as_string(), "3");
  EXPECT_EQ(users.at("users").at(0).at("extension").as_string(), "103");
  EXPECT_EQ(Field(Api("GET", "/api/settings/reception/departments/x/users", "", supervisor_)),
            "id");
}

TEST_P(ReceptionApiTest, ManagersComeFreeAndAtWorkFirstWithTheirLineState) {
  ASSERT_EQ(SaveSettings(kSettings).status, 200);
  const value options = Json(Api("GET", "/api/reception/options", "", operator_));
  EXPECT_EQ(options.at("service_types").size(), 2u);
  EXPECT_EQ(options.at("transfer_method").as_string(), "blind");

  b24_->Control("POST", "/_emu/presence", R"({"user_id":1,"status":"PAUSED"})");
  const value before =
      Json(Api("GET", "/api/reception/managers?service_type=sales", "", operator_));
  const auto& list = before.at("managers").as_array();
  ASSERT_EQ(list.size(), 3u) << before.serialize();
  // 3 (sales, open day) and 2 (open day) free; 1 paused comes after them.
  EXPECT_EQ(list.at(2).at("user_id").as_string(), "1");
  EXPECT_EQ(list.at(2).at("work_day").as_string(), "paused");
  EXPECT_EQ(list.at(0).at("line").as_string(), "free");
  EXPECT_EQ(list.at(0).at("online").as_bool(), true);

  // 102 takes a call: user 2 is talking now and goes last.
  TalkingCall();
  const value during =
      Json(Api("GET", "/api/reception/managers?service_type=sales", "", operator_));
  const auto& now = during.at("managers").as_array();
  ASSERT_EQ(now.size(), 3u);
  EXPECT_EQ(now.at(0).at("user_id").as_string(), "3");
  EXPECT_EQ(now.at(2).at("user_id").as_string(), "2");
  EXPECT_EQ(now.at(2).at("line").as_string(), "talking");

  // Time tracking switched off: the day is unknown, not an error.
  b24_->Control("POST", "/_emu/presence", R"({"timeman":false})");
  const value unknown =
      Json(Api("GET", "/api/reception/managers?service_type=repair", "", operator_));
  ASSERT_EQ(unknown.at("managers").size(), 2u) << unknown.serialize();
  EXPECT_EQ(unknown.at("managers").at(0).at("work_day").as_string(), "unknown");

  EXPECT_EQ(Api("GET", "/api/reception/managers?service_type=cooking", "", operator_).status, 404);
  EXPECT_EQ(Field(Api("GET", "/api/reception/managers", "", operator_)), "service_type");
}

TEST_P(ReceptionApiTest, ATransferGoesToTheManagersExtensionAndReportsDone) {
  ASSERT_EQ(SaveSettings(kSettings).status, 200);
  const std::string call = TalkingCall();
  const value sent = Transfer(call, "3", 202, "hold");
  ASSERT_FALSE(sent.is_null());
  EXPECT_EQ(sent.at("state").as_string(), "pending");
  const std::string id = sent.at("command_id").as_string();
  const value done = WaitTransfer(id);
  EXPECT_EQ(done.at("state").as_string(), "done") << done.serialize();
  EXPECT_EQ(done.at("code").as_integer(), 1000);
  EXPECT_EQ(done.at("message").as_string(), "Звонок переведён");
  const std::vector<value> commands = Commands("commands/transfer");
  ASSERT_EQ(commands.size(), 1u);
  const value json = value::parse(P(commands[0], "json"));
  EXPECT_EQ(P(json, "to_number"), "103");
  EXPECT_EQ(P(json, "initiator"), "102");
  EXPECT_EQ(P(json, "method"), "hold");
  EXPECT_EQ(P(json, "command_id"), id);
  EXPECT_FALSE(P(json, "call_id").empty());
  EXPECT_EQ(Count("mango_commands WHERE kind = 'transfer' AND result = 1000"), 1);
}

TEST_P(ReceptionApiTest, TransferFailuresComeBackInWordsAndLeaveTheCallAlone) {
  ASSERT_EQ(SaveSettings(kSettings).status, 200);
  std::string entry;
  const std::string call = TalkingCall(&entry);
  // The PBX accepts the command and fails it later with a chosen code.
  pbx_->Control("POST", "/_emu/faults",
                R"({"path":"commands/transfer","code":2240,"async":true,"count":1})");
  const value billing = WaitTransfer(Transfer(call, "3", 202).at("command_id").as_string());
  EXPECT_EQ(billing.at("state").as_string(), "failed");
  EXPECT_EQ(billing.at("code").as_integer(), 2240);
  EXPECT_NE(billing.at("message").as_string().find("биллинга"), std::string::npos);
  // A bad request answered at once (3xxx) fails without waiting; English on request.
  pbx_->Control("POST", "/_emu/faults",
                R"({"path":"commands/transfer","http_status":400,"code":3200,"count":1})");
  RawResponse sync =
      Api("POST", "/api/reception/transfer", R"({"call":")" + call + R"(","user_id":"3"})", [&] {
        auto h = operator_;
        h["Accept-Language"] = "en";
        return h;
      }());
  ASSERT_EQ(sync.status, 200) << sync.body;
  EXPECT_EQ(Json(sync).at("state").as_string(), "failed");
  EXPECT_EQ(Json(sync).at("code").as_integer(), 3200);
  EXPECT_NE(Json(sync).at("message").as_string().find("Wrong number"), std::string::npos);
  // The call was not finished because a transfer failed.
  const value portal_call = PortalCall(entry);
  EXPECT_TRUE(portal_call.is_null() || !portal_call.has_field("finish_params") ||
              portal_call.at("finish_params").is_null())
      << portal_call.serialize();
}

TEST_P(ReceptionApiTest, TransfersThatCannotBeSentAreRefusedClearly) {
  ASSERT_EQ(SaveSettings(kSettings).status, 200);
  const std::string call = TalkingCall();
  // A manager without an extension.
  b24_->Control("POST", "/_emu/seed", R"({"users":[{"ID":9,"NAME":"Без","LAST_NAME":"Номера"}]})");
  const value no_ext = Transfer(call, "9", 400);
  EXPECT_EQ(no_ext.at("error").at("field").as_string(), "user_id");
  // Bad input names the field.
  EXPECT_EQ(Transfer(call, "x", 400).at("error").at("field").as_string(), "user_id");
  EXPECT_EQ(Transfer(call, "3", 400, "cold").at("error").at("field").as_string(), "method");
  EXPECT_EQ(Transfer("", "3", 400).at("error").at("field").as_string(), "call");
  EXPECT_EQ(Transfer(call, "2", 400).at("error").at("field").as_string(), "user_id")
      << "to oneself";
  // A call nobody knows here.
  EXPECT_EQ(Transfer("externalCall.nope", "3", 404).at("error").at("code").as_string(),
            "NOT_FOUND");
  // The supervisor (101) is not on the call: the PBX could not transfer on their behalf.
  RawResponse not_on_call = Api("POST", "/api/reception/transfer",
                                R"({"call":")" + call + R"(","user_id":"3"})", supervisor_);
  EXPECT_EQ(not_on_call.status, 409) << not_on_call.body;
  EXPECT_EQ(Field(not_on_call), "call");
  EXPECT_EQ(Commands("commands/transfer").size(), 0u) << "nothing was sent";

  // Another portal's operator: the call and a transfer of ours are not found.
  const value sent = Transfer(call, "3", 202);
  B24Emulator other({"--rate", "50", "--burst", "50"}, "m-test-2");
  other.ShareAuthServer(*b24_);
  other.Control("POST", "/_emu/portal/install-callback",
                R"({"url":")" + opdesk_->url() + R"(/b24/events"})");
  ASSERT_TRUE(WaitFor([&] { return Count("b24_portals WHERE state = 'installed'") == 2; }, 30s));
  value frame = other.Control("POST", "/_emu/portal/frame",
                              R"({"url":")" + opdesk_->url() + R"(/b24/app","user_id":1})");
  std::smatch m;
  const std::string html = frame.at("body").as_string();
  ASSERT_TRUE(std::regex_search(
      html, m, std::regex(R"re((?:opdesk-session" content="|"session":")([^"]+)")re")));
  const std::map<std::string, std::string> foreign = {{"Authorization", "Bearer " + m[1].str()},
                                                      {"Content-Type", "application/json"}};
  EXPECT_EQ(
      Api("POST", "/api/reception/transfer", R"({"call":")" + call + R"(","user_id":"3"})", foreign)
          .status,
      404);
  EXPECT_EQ(Api("GET", "/api/reception/transfer/" + sent.at("command_id").as_string(), "", foreign)
                .status,
            404);
  EXPECT_EQ(
      Api("GET", "/api/reception/transfer/" + sent.at("command_id").as_string(), "", operator_)
          .status,
      200);
}

TEST_P(ReceptionApiTest, AnInquiryBecomesOneLeadWithATaskForTheManager) {
  ASSERT_EQ(SaveSettings(kSettings).status, 200);
  const std::string body =
      R"({"request_id":"inq-1","topic":"Ремонт котла","todo":"Перезвонить до обеда",)"
      R"("name":"Пётр","company":"ООО Тепло","email":"petr@teplo.ru","phone":"79005550002",)"
      R"("user_id":"3","service_type":"repair"})";
  RawResponse first = Api("POST", "/api/reception/inquiry", body, operator_);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(Json(first).at("record").at("entity").as_string(), "lead");
  const std::string lead_id = Json(first).at("record").at("id").as_string();
  EXPECT_FALSE(Json(first).at("task_id").as_string().empty()) << first.body;
  RawResponse again = Api("POST", "/api/reception/inquiry", body, operator_);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json(again).at("record").at("id").as_string(), lead_id);
  const std::vector<value> leads = Portal("leads", "TITLE", "Ремонт котла");
  ASSERT_EQ(leads.size(), 1u) << "a double accept creates one lead";
  EXPECT_EQ(P(leads[0], "ASSIGNED_BY_ID"), "3");
  EXPECT_EQ(P(leads[0], "NAME"), "Пётр");
  EXPECT_EQ(P(leads[0], "COMPANY_TITLE"), "ООО Тепло");
  EXPECT_NE(P(leads[0], "COMMENTS").find("Перезвонить до обеда"), std::string::npos);
  const std::vector<value> tasks = Portal("tasks", "responsibleId", "3");
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_NE(P(tasks[0], "title").find("Ремонт котла"), std::string::npos);

  // Bad input names the field and creates nothing.
  auto field_of = [&](const std::string& b) {
    return Field(Api("POST", "/api/reception/inquiry", b, operator_));
  };
  EXPECT_EQ(field_of(R"({"request_id":"inq-2","topic":" ","user_id":"3"})"), "topic");
  EXPECT_EQ(field_of(R"({"request_id":"inq-2","topic":"x","user_id":"3","email":"no"})"), "email");
  EXPECT_EQ(field_of(R"({"request_id":"inq-2","topic":"x"})"), "user_id");
  EXPECT_EQ(field_of(R"({"request_id":"inq 2","topic":"x","user_id":"3"})"), "request_id");
  EXPECT_EQ(field_of(R"({"request_id":"inq-2","topic":"x","user_id":"3","service_type":"z"})"),
            "service_type");
  EXPECT_EQ(Count("reception_inquiries"), 1);

  // Per the settings, a deal instead.
  std::string deal = kSettings;
  deal.replace(deal.find(R"("version":0)"), 11, R"("version":1)");
  deal.replace(deal.find(R"("inquiry_target":"lead")"), 23, R"("inquiry_target":"deal")");
  ASSERT_EQ(SaveSettings(deal).status, 200);
  RawResponse as_deal =
      Api("POST", "/api/reception/inquiry",
          R"({"request_id":"inq-3","topic":"Поставка","user_id":"2","name":"Анна"})", operator_);
  ASSERT_EQ(as_deal.status, 201) << as_deal.body;
  EXPECT_EQ(Json(as_deal).at("record").at("entity").as_string(), "deal");
  const std::vector<value> deals = Portal("deals", "TITLE", "Поставка");
  ASSERT_EQ(deals.size(), 1u);
  EXPECT_EQ(P(deals[0], "ASSIGNED_BY_ID"), "2");
  EXPECT_NE(P(deals[0], "COMMENTS").find("Анна"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReceptionApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
