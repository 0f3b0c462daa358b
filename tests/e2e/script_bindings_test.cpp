// Scripts' settings (FEATURES F1, F2) over HTTP against the emulated portal, on both backends:
// the refusals of bad bindings, tags and number fields; the call card's choice of a script by
// the call type and the deal type; the dialed number saved once into the script's CRM field,
// through a CRM answering 503 first.
#include <chrono>
#include <thread>

#include "tests/e2e/settings_fixture.h"

namespace opdesk::testing {
namespace {

using namespace std::chrono_literals;

class ScriptBindingsTest : public SettingsApiTest {
 protected:
  void SetUp() override {
    SettingsApiTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    operator_ = SessionOf(*emu_, 2);
  }

  static std::string Draft(const std::string& settings, const std::string& hint = "Здравствуйте!",
                           bool pinned = false) {
    return R"({"start_step":"a","steps":[{"id":"a","title":"Приветствие","hint":")" + hint +
           R"(","x":0,"y":0,"fields":[],"next":["b"]},{"id":"b","title":"Итог","hint":"",)"
           R"("x":0,"y":0,"fields":[],"next":[],"pinned":)" +
           std::string(pinned ? "true" : "false") + R"(}],"settings":)" + settings + "}";
  }

  // Creates and publishes a script; returns its id.
  std::string Publish(const std::string& name, const std::string& settings) {
    RawResponse created =
        Call("POST", "/api/settings/scripts",
             R"({"name":")" + name + R"(","draft":)" + Draft(settings) + "}", supervisor_);
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id = Json(created).at("id").as_string();
    RawResponse published =
        Call("POST", "/api/settings/scripts/" + id + "/publish", R"({"version":1})", supervisor_);
    EXPECT_EQ(published.status, 200) << published.body;
    return id;
  }

  void Seat(const std::string& scripts, const std::string& role = "Оператор") {
    GiveRole("2", R"({"name":")" + role +
                      R"(","keep_card_open":false,"client_fields":[],)"
                      R"("button_ids":[],"script_ids":)" +
                      scripts + "}");
  }

  value Context(const std::string& query) {
    RawResponse r =
        Call("GET", "/api/callcard/context?phone=%2B79001234567" + query, "", operator_);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  }

  std::string operator_;
};

TEST_P(ScriptBindingsTest, BadSettingsTagsAndNumberFieldsAreRefusedNamingTheField) {
  auto create = [&](const std::string& draft) {
    RawResponse r = Call("POST", "/api/settings/scripts",
                         R"({"name":"Скрипт","draft":)" + draft + "}", supervisor_);
    return std::make_pair(r.status, FieldOf(r) + " " + r.body);
  };
  const auto call_type = create(Draft(R"({"call_type":"inbound"})"));
  EXPECT_EQ(call_type.first, 400);
  EXPECT_EQ(call_type.second.substr(0, call_type.second.find(' ')), "draft.settings.call_type");
  const auto deal_type = create(Draft(R"({"deal_type":"NO_SUCH"})"));
  EXPECT_EQ(deal_type.first, 400);
  EXPECT_EQ(deal_type.second.substr(0, deal_type.second.find(' ')), "draft.settings.deal_type");
  const auto activity = create(Draft(R"({"activity_type":"99"})"));
  EXPECT_EQ(activity.first, 400);
  EXPECT_EQ(activity.second.substr(0, activity.second.find(' ')), "draft.settings.activity_type");
  const auto not_string =
      create(Draft(R"({"number_field":{"entity":"deal","code":"OPPORTUNITY"}})"));
  EXPECT_EQ(not_string.first, 400);
  EXPECT_EQ(not_string.second.substr(0, not_string.second.find(' ')),
            "draft.settings.number_field.code");
  const auto unknown_field =
      create(Draft(R"({"number_field":{"entity":"contact","code":"UF_CRM_NOPE"}})"));
  EXPECT_EQ(unknown_field.first, 400);
  const auto tag = create(Draft("{}", "Бюджет {{DEAL.BUDGET}}"));
  EXPECT_EQ(tag.first, 400);
  EXPECT_EQ(tag.second.substr(0, tag.second.find(' ')), "draft.steps[0].hint");
  EXPECT_NE(tag.second.find("{{DEAL.BUDGET}}"), std::string::npos) << tag.second;
  EXPECT_NE(tag.second.find("step a"), std::string::npos) << tag.second;
  EXPECT_EQ(Count("scripts"), 0) << "nothing was stored";

  // Good settings are stored with the draft and frozen into the published version.
  RawResponse good =
      Call("POST", "/api/settings/scripts",
           R"({"name":"Входящие продажи","draft":)" +
               Draft(R"({"call_type":"incoming","activity_type":"2","deal_type":"SALE",)"
                     R"("number_field":{"entity":"contact","code":"UF_CRM_DIALED"}})",
                     "Здравствуйте, {{CONTACT.NAME}}!", true) +
               "}",
           supervisor_);
  ASSERT_EQ(good.status, 201) << good.body;
  const std::string id = Json(good).at("id").as_string();
  const value settings = Json(good).at("draft").at("settings");
  EXPECT_EQ(settings.at("call_type").as_string(), "incoming");
  EXPECT_EQ(settings.at("deal_type").as_string(), "SALE");
  EXPECT_EQ(settings.at("number_field").at("code").as_string(), "UF_CRM_DIALED");
  ASSERT_EQ(
      Call("POST", "/api/settings/scripts/" + id + "/publish", R"({"version":1})", supervisor_)
          .status,
      200);
  RawResponse version = Call("GET", "/api/settings/scripts/" + id + "/versions/1", "", supervisor_);
  ASSERT_EQ(version.status, 200) << version.body;
  EXPECT_EQ(Json(version).at("settings").at("activity_type").as_string(), "2");
  EXPECT_TRUE(Json(version).at("steps").at(1).at("pinned").as_bool());

  // A later edit of the draft's settings does not change what operators run.
  RawResponse edited = Call("PUT", "/api/settings/scripts/" + id,
                            R"({"name":"Входящие продажи","description":"","version":1,"draft":)" +
                                Draft(R"({"call_type":"outgoing"})") + "}",
                            supervisor_);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(Json(Call("GET", "/api/settings/scripts/" + id + "/versions/1", "", supervisor_))
                .at("settings")
                .at("call_type")
                .as_string(),
            "incoming");
  // The catalog offers the directories the settings choose from.
  const value catalog = Json(Call("GET", "/api/settings/crm", "", supervisor_));
  EXPECT_GE(catalog.at("deal_types").size(), 3u);
  EXPECT_GE(catalog.at("activity_types").size(), 6u);
}

TEST_P(ScriptBindingsTest, TheCardChoosesTheScriptByCallTypeAndDealType) {
  const std::string any = Publish("Общий", R"({"call_type":"any"})");
  const std::string in = Publish("Входящий", R"({"call_type":"incoming"})");
  const std::string out = Publish("Исходящий", R"({"call_type":"outgoing"})");
  const std::string sale = Publish("Продажа", R"({"call_type":"outgoing","deal_type":"SALE"})");
  Seat("[\"" + any + "\",\"" + in + "\",\"" + out + "\",\"" + sale + "\"]");

  value c = Context("&direction=incoming");
  EXPECT_EQ(c.at("chosen_script_id").as_string(), in);
  ASSERT_EQ(c.at("scripts").size(), 4u) << "every script of the role stays on offer";
  EXPECT_EQ(c.at("scripts").at(0).at("id").as_string(), in);
  EXPECT_TRUE(c.at("scripts").at(0).at("fits").as_bool());
  EXPECT_EQ(c.at("scripts").at(1).at("id").as_string(), any);
  EXPECT_FALSE(c.at("scripts").at(2).at("fits").as_bool());

  EXPECT_EQ(Context("&direction=outgoing").at("chosen_script_id").as_string(), out);
  c = Context("&direction=outgoing&deal_type=SALE");
  EXPECT_EQ(c.at("chosen_script_id").as_string(), sale);
  EXPECT_EQ(c.at("scripts").at(0).at("deal_type").as_string(), "SALE");
  EXPECT_EQ(Context("&direction=undefined").at("chosen_script_id").as_string(), any);
}

TEST_P(ScriptBindingsTest, WithoutBindingsTheCardAsksAsBefore) {
  const std::string a = Publish("Первый", "{}");
  const std::string b = Publish("Второй", "{}");
  Seat("[\"" + a + "\",\"" + b + "\"]");
  const value c = Context("&direction=incoming");
  EXPECT_EQ(c.at("chosen_script_id").as_string(), "") << "the operator picks, as before F1";
  EXPECT_EQ(c.at("scripts").at(0).at("id").as_string(), a) << "in the role's order";
}

TEST_P(ScriptBindingsTest, TheDialedNumberIsSavedOnceIntoTheFieldThroughA503) {
  const std::string id =
      Publish("Исходящий", R"({"call_type":"outgoing",)"
                           R"("number_field":{"entity":"contact","code":"UF_CRM_DIALED"}})");
  Seat("[\"" + id + "\"]");
  emu_->Control("POST", "/_emu/faults",
                R"({"method":"crm.contact.update","status":503,"error":"INTERNAL_SERVER_ERROR",)"
                R"("count":1})");
  const std::string run =
      R"({"call_id":"externalCall.77","script_id":")" + id +
      R"(","version":1,"phone":"+79001234567","entity":"contact","entity_id":"1"})";
  RawResponse first = Call("POST", "/api/callcard/runs", run, operator_);
  ASSERT_EQ(first.status, 201) << first.body;
  // The operator picks the script again in the same call: no second save.
  ASSERT_EQ(Call("POST", "/api/callcard/runs", run, operator_).status, 201);

  std::string saved;
  for (int i = 0; i < 600 && saved.empty(); ++i) {
    const value contact = emu_->Control("GET", "/_emu/state").at("contacts").at(0);
    if (contact.has_field("UF_CRM_DIALED") && contact.at("UF_CRM_DIALED").is_string()) {
      saved = contact.at("UF_CRM_DIALED").as_string();
    }
    if (saved.empty()) {
      std::this_thread::sleep_for(50ms);
    }
  }
  EXPECT_EQ(saved, "+79001234567");
  std::this_thread::sleep_for(500ms);  // room for a wrong second send
  EXPECT_EQ(emu_->CountRequests("crm.contact.update"), 2) << "one refused with 503, one taken";
  EXPECT_EQ(Count("script_number_saves WHERE state = 'done' AND crm_record = 'CONTACT:1'"), 1);
  EXPECT_EQ(Count("jobs WHERE kind = 'script.save_number'"), 1) << "queued once per call";

  // A script without a number field saves nothing.
  const std::string plain = Publish("Без номера", "{}");
  Seat("[\"" + plain + "\"]", "Без номера");
  ASSERT_EQ(Call("POST", "/api/callcard/runs",
                 R"({"call_id":"externalCall.78","script_id":")" + plain +
                     R"(","version":1,"phone":"+79001234567"})",
                 operator_)
                .status,
            201);
  EXPECT_EQ(Count("script_number_saves"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ScriptBindingsTest, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk::testing
