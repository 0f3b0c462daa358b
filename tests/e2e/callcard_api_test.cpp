// /api/callcard/... over HTTP against the emulated portal, on both backends: the context of a call
// for seated and unseated users, the Client tab read and written with the operator's rights, script
// runs stored with their version, and button presses whose actions reach the CRM once.
#include <soci/soci.h>

#include <chrono>
#include <thread>

#include "tests/e2e/settings_fixture.h"

namespace opdesk::testing {
namespace {

using namespace std::chrono_literals;

class CallcardApiTest : public SettingsApiTest {
 protected:
  void SetUp() override {
    SettingsApiTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    operator_ = SessionOf(*emu_, 2);  // the operator opened a frame: opdesk holds their tokens
    emu_->Control("POST", "/_emu/seed",
                  R"({"deals":[{"TITLE":"Поставка","CONTACT_ID":"1","OPPORTUNITY":"1500"}],)"
                  R"("leads":[{"TITLE":"Лид <img src=x onerror=alert(1)>",)"
                  R"("PHONE":[{"VALUE":"+79005550101"}]}]})");
  }

  // Publishes a two-step script; returns its id.
  std::string PublishScript() {
    RawResponse created =
        Call("POST", "/api/settings/scripts",
             R"({"name":"Продажи","draft":{"start_step":"a","steps":[)"
             R"({"id":"a","title":"Приветствие","hint":"Здравствуйте!","x":0,"y":0,"fields":[],)"
             R"("next":["b","c"]},)"
             R"({"id":"b","title":"Интересно","hint":"Расскажите","x":0,"y":0,)"
             R"("fields":[{"entity":"contact","code":"NAME","editable":true}],"next":[]},)"
             R"({"id":"c","title":"Не интересно","hint":"Спасибо","x":0,"y":0,"fields":[],)"
             R"("next":[]}]}})",
             supervisor_);
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id = Json(created).at("id").as_string();
    EXPECT_EQ(
        Call("POST", "/api/settings/scripts/" + id + "/publish", R"({"version":1})", supervisor_)
            .status,
        200);
    return id;
  }

  std::string CreateButton(const std::string& json) {
    RawResponse created = Call("POST", "/api/settings/buttons", json, supervisor_);
    EXPECT_EQ(created.status, 201) << created.body;
    return Json(created).at("id").as_string();
  }

  // Gives the operator a role showing `buttons` and `scripts` (JSON arrays of ids).
  void SeatOperator(const std::string& buttons, const std::string& scripts) {
    GiveRole("2",
             R"({"name":"Оператор","keep_card_open":true,"client_fields":[)"
             R"({"entity":"contact","code":"NAME"},{"entity":"contact","code":"EMAIL"},)"
             R"({"entity":"contact","code":"LAST_NAME"},{"entity":"deal","code":"OPPORTUNITY"},)"
             R"({"entity":"lead","code":"TITLE"}],"button_ids":)" +
                 buttons + R"(,"script_ids":)" + scripts + "}");
  }

  value Contact() { return emu_->Control("GET", "/_emu/state").at("contacts").at(0); }

  value WaitSettled(const std::string& press_id) {
    value state;
    for (int i = 0; i < 200; ++i) {
      state = Json(Call("GET", "/api/callcard/presses/" + press_id, "", operator_));
      bool queued = false;
      for (const value& a : state.at("actions").as_array()) {
        queued = queued || a.at("state").as_string() == "queued";
      }
      if (!queued) {
        return state;
      }
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "actions still queued: " << state.serialize();
    return state;
  }

  std::string operator_;
};

TEST_P(CallcardApiTest, AUserWithoutASeatLearnsWhomToAsk) {
  RawResponse context = Call("GET", "/api/callcard/context?phone=79001234567", "", operator_);
  ASSERT_EQ(context.status, 200) << context.body;
  const value c = Json(context);
  EXPECT_EQ(c.at("access").at("state").as_string(), "no_role");
  ASSERT_EQ(c.at("access").at("supervisors").size(), 1u);
  EXPECT_EQ(c.at("access").at("supervisors").at(0).at("name").as_string(), "Анна Админова");
  // The emulated portal's domain is its loopback address; the app's id comes from app.info.
  const std::string url = c.at("access").at("settings_url").as_string();
  EXPECT_EQ(url.rfind("https://127.0.0.1:", 0), 0u) << url;
  EXPECT_NE(url.find("/marketplace/app/7/"), std::string::npos) << url;
  EXPECT_FALSE(c.has_field("buttons")) << "nothing of the role is shown";
  EXPECT_EQ(Call("GET", "/api/callcard/client?entity=contact&id=1", "", operator_).status, 403);
  EXPECT_EQ(Call("GET", "/api/callcard/context", "", "").status, 401);
  EXPECT_EQ(emu_->CountRequests("crm.duplicate.findbycomm"), 0) << "no CRM lookups for them";
}

TEST_P(CallcardApiTest, TheContextShowsTheRolesButtonsAndScriptsAndTheClientsOfTheNumber) {
  const std::string script = PublishScript();
  const std::string button =
      CreateButton(R"({"name":"<b>Перезвон</b>","color":"#2fc6f6","actions":[{"kind":"callback",)"
                   R"("deadline":"{now+1d 10:00}","text":"Перезвонить"}]})");
  SeatOperator("[\"" + button + "\"]", "[\"" + script + "\"]");
  RawResponse context = Call(
      "GET",
      "/api/callcard/context?call_id=externalCall.1&phone=%2B7%20900%20123-45-67&entity=COMPANY"
      "&entity_id=1&direction=incoming&line=74951234567",
      "", operator_);
  ASSERT_EQ(context.status, 200) << context.body;
  const value c = Json(context);
  EXPECT_EQ(c.at("access").at("state").as_string(), "ok");
  EXPECT_EQ(c.at("user").at("name").as_string(), "Борис Операторов");
  EXPECT_TRUE(c.at("role").at("keep_card_open").as_bool());
  EXPECT_EQ(c.at("call").at("call_id").as_string(), "externalCall.1");
  ASSERT_EQ(c.at("matches").size(), 2u) << context.body;
  EXPECT_EQ(c.at("matches").at(0).at("entity").as_string(), "company") << "the bound one first";
  EXPECT_EQ(c.at("matches").at(1).at("title").as_string(), "Иван Клиентов");
  ASSERT_EQ(c.at("buttons").size(), 1u);
  EXPECT_EQ(c.at("buttons").at(0).at("name").as_string(), "<b>Перезвон</b>");
  ASSERT_EQ(c.at("scripts").size(), 1u);
  EXPECT_EQ(c.at("scripts").at(0).at("version").as_integer(), 1);

  // "undefined" is what the portal puts into options it has no value for.
  RawResponse undefined =
      Call("GET", "/api/callcard/context?phone=79005550101&entity=undefined&entity_id=undefined",
           "", operator_);
  ASSERT_EQ(undefined.status, 200) << undefined.body;
  EXPECT_EQ(Json(undefined).at("matches").at(0).at("entity").as_string(), "lead");
  EXPECT_EQ(
      Call("GET", "/api/callcard/context?phone=1&entity=ORDER&entity_id=5", "", operator_).status,
      400);
}

TEST_P(CallcardApiTest, TheClientTabIsReadAndWrittenWithTheOperatorsRights) {
  SeatOperator("[]", "[]");
  RawResponse client = Call("GET", "/api/callcard/client?entity=contact&id=1", "", operator_);
  ASSERT_EQ(client.status, 200) << client.body;
  const value sections = Json(client).at("sections");
  ASSERT_EQ(sections.size(), 2u) << "the contact and its open deal";
  EXPECT_EQ(sections.at(0).at("fields").size(), 3u);
  EXPECT_EQ(sections.at(1).at("title").as_string(), "Поставка");

  RawResponse saved = Call("PUT", "/api/callcard/client",
                           R"({"entity":"contact","id":"1","values":{"NAME":"Иван Петрович",)"
                           R"("EMAIL":[{"value":"ivan@example.ru"}]}})",
                           operator_);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Json(saved).at("fields").at(0).at("value").as_string(), "Иван Петрович");
  EXPECT_EQ(Contact().at("NAME").as_string(), "Иван Петрович");
  EXPECT_EQ(Contact().at("MODIFY_BY_ID").as_string(), "2") << "written as the operator";

  auto refused = [&](const std::string& body, const std::string& field, int status = 400) {
    RawResponse r = Call("PUT", "/api/callcard/client", body, operator_);
    EXPECT_EQ(r.status, status) << body << " → " << r.body;
    EXPECT_EQ(FieldOf(r), field) << r.body;
  };
  refused(R"({"entity":"contact","id":"1","values":{"EMAIL":[{"value":"ivan@"}]}})", "EMAIL");
  refused(R"({"entity":"contact","id":"1","values":{"COMMENTS":"x"}})", "COMMENTS");
  refused(R"({"entity":"order","id":"1","values":{"NAME":"x"}})", "entity");
  refused(R"({"entity":"contact","id":"-1","values":{"NAME":"x"}})", "id");
  refused(R"({"entity":"contact","id":"1","values":{"NAME":"x"},"extra":1})", "extra");
  refused("[]", "body");
  EXPECT_EQ(Call("PUT", "/api/callcard/client",
                 R"({"entity":"contact","id":"999","values":)"
                 R"({"NAME":"x"}})",
                 operator_)
                .status,
            404);
  RawResponse english =
      HttpRequest(opdesk_->port(), "PUT", "/api/callcard/client",
                  R"({"entity":"contact","id":"1","values":{"EMAIL":[{"value":"a@"}]}})",
                  {{"Content-Type", "application/json"},
                   {"Authorization", "Bearer " + operator_},
                   {"Accept-Language", "en"}});
  EXPECT_NE(english.body.find("Not a valid e-mail address"), std::string::npos) << english.body;
  EXPECT_EQ(Contact().at("NAME").as_string(), "Иван Петрович") << "refusals changed nothing";
}

TEST_P(CallcardApiTest, AScriptRunIsStoredWithItsVersionAndPath) {
  const std::string script = PublishScript();
  SeatOperator("[]", "[\"" + script + "\"]");
  RawResponse got = Call("GET", "/api/callcard/scripts/" + script + "?version=1", "", operator_);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Json(got).at("start_step").as_string(), "a");
  EXPECT_EQ(Json(got).at("steps").at(0).at("next").size(), 2u);

  RawResponse started = Call(
      "POST", "/api/callcard/runs",
      R"({"call_id":"externalCall.7","script_id":")" + script + R"(","version":1})", operator_);
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string run = Json(started).at("run_id").as_string();
  RawResponse saved =
      Call("PUT", "/api/callcard/runs/" + run,
           R"({"current_step":"b","path":[{"step_id":"a","entered_at_ms":1000,"left_at_ms":4000,)"
           R"("answers":{}},{"step_id":"b","entered_at_ms":4000,"left_at_ms":null,)"
           R"("answers":{"NAME":"Иван"}}]})",
           operator_);
  ASSERT_EQ(saved.status, 200) << saved.body;
  long long version = 0;
  std::string step, path;
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "SELECT version, current_step, path_json FROM script_runs WHERE call_id = :c",
        soci::into(version), soci::into(step), soci::into(path),
        soci::use(std::string("externalCall.7"));
  });
  EXPECT_EQ(version, 1);
  EXPECT_EQ(step, "b");
  EXPECT_NE(path.find("Иван"), std::string::npos) << path;

  EXPECT_EQ(Call("PUT", "/api/callcard/runs/" + run,
                 R"({"current_step":"z","path":[{"step_id":"z","entered_at_ms":1}]})", operator_)
                .status,
            400);
  EXPECT_EQ(
      Call("PUT", "/api/callcard/runs/" + run, R"({"current_step":"a","path":[]})", supervisor_)
          .status,
      404)
      << "another user's run";
  EXPECT_EQ(Call("GET", "/api/callcard/scripts/999", "", operator_).status, 404);
}

TEST_P(CallcardApiTest, EveryButtonActionReachesTheCrmOnceAsTheOperator) {
  const std::string button = CreateButton(
      R"({"name":"Итог","color":"#ff5752","actions":[)"
      R"({"kind":"comment","text":""},)"
      R"({"kind":"callback","deadline":"{now+1d 10:00}","text":"Перезвонить {client.name}"},)"
      R"({"kind":"meeting","deadline":"{now+2d 15:00}","text":"Встреча"},)"
      R"({"kind":"task","title":"КП для {client.name}","description":"Сделка {deal.title}",)"
      R"("deadline":"{now+3d 18:00}","responsible":"client_responsible"},)"
      R"({"kind":"deal_stage","category_id":"0","stage_id":"PREPARATION"}]})");
  SeatOperator("[\"" + button + "\"]", "[]");
  RawResponse preview =
      Call("POST", "/api/callcard/buttons/" + button + "/preview",
           R"({"call_id":"externalCall.9","entity":"contact","entity_id":"1"})", operator_);
  ASSERT_EQ(preview.status, 200) << preview.body;
  const value actions = Json(preview).at("actions");
  ASSERT_EQ(actions.size(), 5u);
  EXPECT_EQ(actions.at(1).at("text").as_string(), "Перезвонить Иван Клиентов");
  EXPECT_EQ(actions.at(1).at("editable").size(), 2u);
  EXPECT_NE(actions.at(1).at("deadline").as_string().find("T10:00:00+03:00"), std::string::npos);
  EXPECT_NE(actions.at(4).at("summary").as_string().find("Подготовка документов"),
            std::string::npos)
      << actions.at(4).serialize();

  const std::string press =
      R"({"press_id":"p-0123456789","call_id":"externalCall.9","entity":"contact",)"
      R"("entity_id":"1","overrides":[{"index":0,"text":"Клиент думает"},)"
      R"({"index":1,"deadline":"2031-05-06T11:30"}]})";
  RawResponse pressed =
      Call("POST", "/api/callcard/buttons/" + button + "/press", press, operator_);
  ASSERT_EQ(pressed.status, 200) << pressed.body;
  const value settled = WaitSettled("p-0123456789");
  for (const value& a : settled.at("actions").as_array()) {
    EXPECT_EQ(a.at("state").as_string(), "done") << settled.serialize();
  }
  RawResponse again = Call("POST", "/api/callcard/buttons/" + button + "/press", press, operator_);
  ASSERT_EQ(again.status, 200) << again.body;

  const value st = emu_->Control("GET", "/_emu/state");
  ASSERT_EQ(st.at("comments").size(), 1u) << "a double press creates once";
  EXPECT_EQ(st.at("comments").at(0).at("COMMENT").as_string(), "Клиент думает");
  EXPECT_EQ(st.at("comments").at(0).at("AUTHOR_ID").as_string(), "2");
  ASSERT_EQ(st.at("activities").size(), 2u);
  EXPECT_EQ(st.at("activities").at(0).at("DEADLINE").as_string(), "2031-05-06T11:30:00+03:00");
  EXPECT_EQ(st.at("activities").at(0).at("DESCRIPTION").as_string(), "Перезвонить Иван Клиентов");
  ASSERT_EQ(st.at("tasks").size(), 1u);
  EXPECT_EQ(st.at("tasks").at(0).at("title").as_string(), "КП для Иван Клиентов");
  EXPECT_EQ(st.at("tasks").at(0).at("description").as_string(), "Сделка Поставка");
  EXPECT_EQ(st.at("tasks").at(0).at("responsibleId").as_string(), "3") << "the client's owner";
  bool moved = false;
  for (const value& d : st.at("deals").as_array()) {
    moved = moved || d.at("STAGE_ID").as_string() == "PREPARATION";
  }
  EXPECT_TRUE(moved);
  EXPECT_EQ(emu_->CountRequests("crm.timeline.comment.add"), 1);

  // Bad presses change nothing.
  auto refused = [&](const std::string& body, const std::string& field) {
    RawResponse r = Call("POST", "/api/callcard/buttons/" + button + "/press", body, operator_);
    EXPECT_EQ(r.status, 400) << body << " → " << r.body;
    EXPECT_EQ(FieldOf(r), field) << r.body;
  };
  refused(R"({"press_id":"short","entity":"contact","entity_id":"1"})", "press_id");
  refused(R"({"press_id":"p-new-000001","entity":"contact","entity_id":"1"})",
          "overrides[0].text");  // the comment has no text
  refused(R"({"press_id":"p-new-000002","entity":"contact","entity_id":"1","overrides":[)"
          R"({"index":9,"text":"x"}]})",
          "overrides[0].index");
  refused(R"({"press_id":"p-new-000003","entity":"contact","entity_id":"1","overrides":[)"
          R"({"index":0,"text":"x"},{"index":1,"deadline":"завтра"}]})",
          "overrides[1].deadline");
  refused(R"({"press_id":"p-new-000004","entity":"contact","entity_id":"1","overrides":[)"
          R"({"index":3,"text":"x"}]})",
          "overrides[0].text");  // a task's text is fixed
  EXPECT_EQ(Count("button_presses"), 1);
  EXPECT_EQ(Call("GET", "/api/callcard/presses/p-0123456789", "", supervisor_).status, 404)
      << "another user's press";
  EXPECT_EQ(Call("POST", "/api/callcard/buttons/999/press", press, operator_).status, 404);
}

TEST_P(CallcardApiTest, WithoutARecordOnlyATaskRunsAndTheOthersSayWhy) {
  const std::string button = CreateButton(
      R"({"name":"Итог","color":"#ff5752","actions":[{"kind":"comment","text":"Звонок"},)"
      R"({"kind":"task","title":"Перезвонить {call.phone}","responsible":"operator"}]})");
  SeatOperator("[\"" + button + "\"]", "[]");
  RawResponse pressed =
      Call("POST", "/api/callcard/buttons/" + button + "/press",
           R"({"press_id":"p-norecord-1","call_id":"","entity":"","entity_id":"",)"
           R"("phone":"+79009998877"})",
           operator_);
  ASSERT_EQ(pressed.status, 200) << pressed.body;
  const value settled = WaitSettled("p-norecord-1");
  EXPECT_EQ(settled.at("actions").at(0).at("state").as_string(), "failed");
  EXPECT_NE(settled.at("actions").at(0).at("error").as_string().find("Не выбрана запись"),
            std::string::npos);
  EXPECT_EQ(settled.at("actions").at(1).at("state").as_string(), "done") << settled.serialize();
  const value st = emu_->Control("GET", "/_emu/state");
  EXPECT_EQ(st.at("comments").size(), 0u);
  ASSERT_EQ(st.at("tasks").size(), 1u);
  EXPECT_EQ(st.at("tasks").at(0).at("title").as_string(), "Перезвонить +79009998877");
}

// The Client tab's history: calls with their outcome and recording, to-dos, comments and deals
// with the stage's name, merged newest first, paged, each page one batch request to the portal.
TEST_P(CallcardApiTest, TheClientsHistoryIsReadInOneBatchPerPage) {
  std::string comments;
  for (int i = 1; i <= 55; ++i) {
    char at[64];
    std::snprintf(at, sizeof at, "2026-11-%02dT09:%02d:00+03:00", 1 + i / 60, i % 60);
    comments += std::string(i > 1 ? "," : "") + R"({"ENTITY_TYPE":"contact","ENTITY_ID":1,)" +
                R"("AUTHOR_ID":"2","COMMENT":"Комментарий )" + std::to_string(i) +
                R"(","CREATED":")" + at + R"("})";
  }
  const value seeded = emu_->Control(
      "POST", "/_emu/seed",
      R"({"activities":[)"
      R"({"ID":501,"OWNER_TYPE_ID":"3","OWNER_ID":"1","TYPE_ID":"2","PROVIDER_ID":"VOXIMPLANT_CALL",)"
      R"("DIRECTION":"1","SUBJECT":"Входящий звонок","START_TIME":"2026-12-02T10:00:00+03:00",)"
      R"("CREATED":"2026-12-02T10:00:00+03:00","RESPONSIBLE_ID":"2","COMPLETED":"Y"},)"
      R"({"ID":502,"OWNER_TYPE_ID":"3","OWNER_ID":"1","TYPE_ID":"2","PROVIDER_ID":"VOXIMPLANT_CALL",)"
      R"("DIRECTION":"2","SUBJECT":"Исходящий звонок","START_TIME":"2026-12-03T11:00:00+03:00",)"
      R"("CREATED":"2026-12-03T11:00:00+03:00","RESPONSIBLE_ID":"2","COMPLETED":"Y"},)"
      R"({"ID":503,"OWNER_TYPE_ID":"3","OWNER_ID":"1","TYPE_ID":"6","PROVIDER_ID":"CRM_TODO",)"
      R"("SUBJECT":"Перезвонить","CREATED":"2026-12-03T12:00:00+03:00",)"
      R"("DEADLINE":"2026-12-04T10:00:00+03:00","RESPONSIBLE_ID":"3","COMPLETED":"N"},)"
      R"({"ID":504,"OWNER_TYPE_ID":"3","OWNER_ID":"2","TYPE_ID":"2","SUBJECT":"Чужой звонок",)"
      R"("CREATED":"2026-12-03T12:00:00+03:00"}],)"
      R"("comments":[)" +
          comments +
          R"(],)"
          R"("call_statistics":[)"
          R"({"CRM_ACTIVITY_ID":"501","CRM_ENTITY_TYPE":"CONTACT","CRM_ENTITY_ID":"1",)"
          R"("CALL_FAILED_CODE":"200","CALL_DURATION":95,"CALL_START_DATE":"2026-12-02T10:00:00+03:00",)"
          R"("CALL_RECORD_URL":"https://portal.example/records/501.mp3"},)"
          R"({"CRM_ACTIVITY_ID":"502","CRM_ENTITY_TYPE":"CONTACT","CRM_ENTITY_ID":"1",)"
          R"("CALL_FAILED_CODE":"304","CALL_DURATION":0,"CALL_START_DATE":"2026-12-03T11:00:00+03:00"}]})");
  ASSERT_FALSE(seeded.has_field("error")) << seeded.serialize();

  // No seat, no history; no session, no answer; a bad entity or page is a 400 naming it.
  EXPECT_EQ(Call("GET", "/api/callcard/history?entity=contact&id=1", "", operator_).status, 403);
  EXPECT_EQ(Call("GET", "/api/callcard/history?entity=contact&id=1", "", "").status, 401);
  SeatOperator("[]", "[]");
  RawResponse bad_entity = Call("GET", "/api/callcard/history?entity=invoice&id=1", "", operator_);
  EXPECT_EQ(bad_entity.status, 400);
  EXPECT_EQ(FieldOf(bad_entity), "entity");
  RawResponse bad_page =
      Call("GET", "/api/callcard/history?entity=contact&id=1&page=0", "", operator_);
  EXPECT_EQ(bad_page.status, 400);
  EXPECT_EQ(FieldOf(bad_page), "page");

  auto top_level_requests = [this] {
    std::vector<std::string> methods;
    const value log = emu_->Control("GET", "/_emu/requests");
    for (const value& r : log.at("requests").as_array()) {
      if (r.has_field("rest_method") && r.at("rest_method").is_string() &&
          !r.has_field("batch_parent")) {
        methods.push_back(r.at("rest_method").as_string());
      }
    }
    return methods;
  };
  // People are named from the portal users opdesk stored (the Users page reads them).
  ASSERT_EQ(Call("GET", "/api/settings/users", "", supervisor_).status, 200);
  const std::size_t before = top_level_requests().size();
  RawResponse first = Call("GET", "/api/callcard/history?entity=contact&id=1", "", operator_);
  ASSERT_EQ(first.status, 200) << first.body;
  const std::vector<std::string> after_first = top_level_requests();
  ASSERT_EQ(after_first.size(), before + 1) << "one request per page";
  EXPECT_EQ(after_first.back(), "batch");

  const value page1 = Json(first);
  SCOPED_TRACE(first.body);
  EXPECT_TRUE(page1.at("more").as_bool()) << "55 comments: a second page";
  const value& items = page1.at("items");
  ASSERT_GE(items.size(), 4u);
  // Newest first: the to-do, the outgoing missed call, the incoming answered one, comments.
  EXPECT_EQ(items.at(0).at("kind").as_string(), "activity");
  EXPECT_EQ(items.at(0).at("activity_kind").as_string(), "todo");
  EXPECT_EQ(items.at(0).at("subject").as_string(), "Перезвонить");
  EXPECT_EQ(items.at(0).at("user").at("name").as_string(), "Вера Менеджерова");
  EXPECT_FALSE(items.at(0).at("completed").as_bool());
  EXPECT_EQ(items.at(1).at("kind").as_string(), "call");
  EXPECT_EQ(items.at(1).at("direction").as_string(), "outgoing");
  EXPECT_EQ(items.at(1).at("outcome").as_string(), "missed");
  EXPECT_TRUE(items.at(1).at("recording_url").is_null());
  EXPECT_EQ(items.at(2).at("outcome").as_string(), "answered");
  EXPECT_EQ(items.at(2).at("duration_s").as_integer(), 95);
  EXPECT_EQ(items.at(2).at("recording_url").as_string(), "https://portal.example/records/501.mp3");
  EXPECT_EQ(items.at(2).at("user").at("name").as_string(), "Борис Операторов");
  EXPECT_EQ(items.at(3).at("kind").as_string(), "comment");
  EXPECT_EQ(items.at(3).at("text").as_string(), "Комментарий 55");
  std::size_t comment_count = 0;
  for (const value& i : items.as_array()) {
    EXPECT_FALSE(i.has_field("subject") && i.at("subject").as_string() == "Чужой звонок")
        << "another contact's call";
    comment_count += i.at("kind").as_string() == "comment" ? 1 : 0;
  }
  EXPECT_EQ(comment_count, 50u);
  ASSERT_EQ(page1.at("deals").size(), 1u);
  EXPECT_EQ(page1.at("deals").at(0).at("title").as_string(), "Поставка");
  EXPECT_EQ(page1.at("deals").at(0).at("stage_name").as_string(), "Новая")
      << "the stage's name from the cached catalog";

  RawResponse second =
      Call("GET", "/api/callcard/history?entity=contact&id=1&page=2", "", operator_);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(top_level_requests().size(), before + 2);
  const value page2 = Json(second);
  EXPECT_FALSE(page2.at("more").as_bool());
  ASSERT_EQ(page2.at("items").size(), 5u);
  EXPECT_EQ(page2.at("items").at(4).at("text").as_string(), "Комментарий 1");
  EXPECT_EQ(page2.at("page").as_integer(), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, CallcardApiTest, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk::testing
