// /api/settings/... over HTTP against the emulated portal, on both backends: who may read and
// write, buttons checked against the portal's real statuses and pipelines, 400s that name the
// field and change nothing, 404 for another tenant's ids, 409 for stale versions, body limits,
// scripts (publish, versions, export/import/duplicate) and the audit log.
#include <soci/soci.h>

#include "tests/e2e/settings_fixture.h"

namespace opdesk::testing {
namespace {

constexpr const char* kButton =
    R"({"name":"В работу","color":"#2fc6f6","actions":[)"
    R"({"kind":"lead_status","status_id":"IN_PROCESS"},)"
    R"({"kind":"deal_stage","category_id":"1","stage_id":"C1:WON"},)"
    R"({"kind":"callback","deadline":"{now+1d 10:00}","text":"Перезвонить {client.name}"},)"
    R"({"kind":"task","title":"КП для {client.name}","deadline":"{now+2d 18:00}",)"
    R"("responsible":"3"},{"kind":"comment","text":""}]})";

constexpr const char* kScript =
    R"({"name":"Продажи","description":"Входящие","draft":{"start_step":"a","steps":[)"
    R"({"id":"a","title":"Приветствие","hint":"Здравствуйте!","x":0,"y":0,"fields":[],)"
    R"("next":["b"]},{"id":"b","title":"Потребность","hint":"Что нужно?","x":200,"y":0,)"
    R"("fields":[{"entity":"contact","code":"NAME","editable":true},)"
    R"({"entity":"deal","code":"OPPORTUNITY","editable":false}],"next":[]}]}})";

TEST_P(SettingsApiTest, SessionsAndRolesDecideWhoReadsAndWrites) {
  EXPECT_EQ(Call("GET", "/api/settings/buttons", "", "").status, 401);
  const std::string operator_session = SessionOf(*emu_, 2);
  EXPECT_EQ(Call("GET", "/api/settings/buttons", "", operator_session).status, 403)
      << "no role, no seat, no reads";
  EXPECT_EQ(Call("GET", "/api/settings/buttons", "", supervisor_).status, 200);

  RawResponse bad_field =
      Call("POST", "/api/settings/roles",
           R"({"name":"X","client_fields":[{"entity":"lead","code":"NOPE"}]})", supervisor_);
  EXPECT_EQ(bad_field.status, 400);
  EXPECT_EQ(FieldOf(bad_field), "client_fields[0].code") << "checked against crm.lead.fields";
  GiveRole("2", R"({"name":"Оператор","keep_card_open":true,"client_fields":[)"
                R"({"entity":"contact","code":"NAME"},{"entity":"deal","code":"OPPORTUNITY"}]})");
  EXPECT_EQ(Call("GET", "/api/settings/buttons", "", operator_session).status, 200);
  EXPECT_EQ(Call("GET", "/api/settings/roles", "", operator_session).status, 200);
  EXPECT_EQ(Call("POST", "/api/settings/buttons", kButton, operator_session).status, 403);
  EXPECT_EQ(Call("GET", "/api/settings/users", "", operator_session).status, 403);
  EXPECT_EQ(Call("GET", "/api/settings/audit", "", operator_session).status, 403);

  // The portal's users, read with user.get: the deactivated one is marked.
  RawResponse users = Call("GET", "/api/settings/users", "", supervisor_);
  ASSERT_EQ(users.status, 200) << users.body;
  const value list = Json(users);
  EXPECT_EQ(list.at("seats").at("used").as_integer(), 2);
  EXPECT_EQ(list.at("seats").at("limit").as_integer(), 2);
  std::map<std::string, value> by_id;
  for (const value& u : list.at("users").as_array()) {
    by_id[u.at("user_id").as_string()] = u;
  }
  ASSERT_EQ(by_id.size(), 4u) << users.body;
  EXPECT_EQ(by_id["1"].at("status").as_string(), "active");
  EXPECT_EQ(by_id["2"].at("status").as_string(), "active");
  EXPECT_EQ(by_id["3"].at("status").as_string(), "no_role");
  EXPECT_TRUE(by_id["3"].at("role_id").is_null());
  EXPECT_FALSE(by_id["4"].at("portal_active").as_bool());

  // A third seat on the free plan is refused, naming the limit and the way up.
  const std::string role_id = by_id["2"].at("role_id").as_string();
  RawResponse third =
      Call("PUT", "/api/settings/users/3", R"({"role_id":")" + role_id + R"("})", supervisor_);
  EXPECT_EQ(third.status, 429);
  EXPECT_NE(third.body.find("allows 2 users"), std::string::npos) << third.body;
  // The last Supervisor keeps the role.
  EXPECT_EQ(Call("PUT", "/api/settings/users/1", R"({"role_id":null})", supervisor_).status, 409);
  EXPECT_EQ(Call("PUT", "/api/settings/users/1", R"({"role":null})", supervisor_).status, 400);
  EXPECT_EQ(Call("PUT", "/api/settings/users/99", R"({"role_id":null})", supervisor_).status, 404);
  // Taking the operator's role away frees the seat and closes the settings to them.
  EXPECT_EQ(Call("PUT", "/api/settings/users/2", R"({"role_id":null})", supervisor_).status, 200);
  EXPECT_EQ(Call("GET", "/api/settings/buttons", "", operator_session).status, 403);
  EXPECT_EQ(Count("audit_log WHERE action = 'user.role'"), 3) << "installer, grant, removal";
}

// GET /api/settings/me: any signed-in user of the portal learns who they are to the settings
// pages — a user without a seat too, so the page can show "no rights" instead of failing.
TEST_P(SettingsApiTest, MeTellsThePageWhoIsLookingWithOrWithoutASeat) {
  EXPECT_EQ(Call("GET", "/api/settings/me", "", "").status, 401);
  EXPECT_EQ(Call("GET", "/api/settings/me", "", supervisor_ + "x").status, 401);
  // The install page's own session is for the setup only.
  const value install = emu_->Control(
      "POST", "/_emu/portal/frame",
      R"({"url":")" + opdesk_->url() + R"(/b24/install","user_id":1,"placement":"DEFAULT"})");
  EXPECT_EQ(Call("GET", "/api/settings/me", "", SessionIn(install.at("body").as_string())).status,
            403);

  RawResponse me = Call("GET", "/api/settings/me", "", supervisor_);
  ASSERT_EQ(me.status, 200) << me.body;
  value v = Json(me);
  EXPECT_EQ(v.at("user_id").as_string(), "1");
  EXPECT_FALSE(v.at("name").as_string().empty());
  EXPECT_EQ(v.at("role_name").as_string(), "Супервайзер");
  EXPECT_FALSE(v.at("role_id").is_null());
  EXPECT_TRUE(v.at("may_manage_settings").as_bool());
  EXPECT_EQ(v.at("seat").as_string(), "active");
  EXPECT_EQ(v.at("lang").as_string(), "ru");

  const std::string operator_session = SessionOf(*emu_, 2);
  RawResponse none = HttpRequest(
      opdesk_->port(), "GET", "/api/settings/me", "",
      {{"Authorization", "Bearer " + operator_session}, {"Accept-Language", "en-US,en;q=0.9"}});
  ASSERT_EQ(none.status, 200) << none.body;
  v = Json(none);
  EXPECT_EQ(v.at("user_id").as_string(), "2");
  EXPECT_TRUE(v.at("role_id").is_null());
  EXPECT_EQ(v.at("role_name").as_string(), "");
  EXPECT_FALSE(v.at("may_manage_settings").as_bool());
  EXPECT_EQ(v.at("seat").as_string(), "no_role");
  EXPECT_EQ(v.at("lang").as_string(), "en");

  const std::string role = GiveRole("2", R"({"name":"Оператор"})");
  v = Json(Call("GET", "/api/settings/me", "", operator_session));
  EXPECT_EQ(v.at("role_id").as_string(), role);
  EXPECT_EQ(v.at("role_name").as_string(), "Оператор");
  EXPECT_EQ(v.at("seat").as_string(), "active");
  EXPECT_FALSE(v.at("may_manage_settings").as_bool()) << "a role without the flag";
}

TEST_P(SettingsApiTest, ButtonsAreCheckedAgainstThePortalsStatusesAndPipelines) {
  RawResponse created = Call("POST", "/api/settings/buttons", kButton, supervisor_);
  ASSERT_EQ(created.status, 201) << created.body;
  const value button = Json(created);
  const std::string id = button.at("id").as_string();
  EXPECT_EQ(button.at("version").as_integer(), 1);
  EXPECT_EQ(button.at("actions").size(), 5u);

  auto refused = [&](const std::string& body, const std::string& field, int status = 400) {
    RawResponse r = Call("POST", "/api/settings/buttons", body, supervisor_);
    EXPECT_EQ(r.status, status) << body << " → " << r.body;
    EXPECT_EQ(FieldOf(r), field) << r.body;
  };
  refused(R"({"name":"X","color":"#000000","actions":[{"kind":"lead_status","status_id":"HOT"}]})",
          "actions[0].status_id");
  refused(R"({"name":"X","color":"#000000","actions":[{"kind":"deal_stage","category_id":"0",)"
          R"("stage_id":"C1:WON"}]})",
          "actions[0].stage_id");
  refused(R"({"name":"X","color":"#000000","actions":[{"kind":"comment","text":"{client.nmae}"}]})",
          "actions[0].text");
  refused(R"({"name":"X","color":"#000000","actions":[{"kind":"callback","deadline":"завтра"}]})",
          "actions[0].deadline");
  refused(R"({"name":"X","color":"#000000","actions":[{"kind":"comment","status_id":"NEW"}]})",
          "actions[0].status_id");
  refused(R"({"name":"X","colour":"#000000","actions":[]})", "color");
  refused(R"({"name":"X","color":"#000000","actions":[],"colour":1})", "colour");
  refused(R"({"name":"X","color":"#000000","actions":[{"kind":"task","title":"T",)"
          R"("responsible":"77"}]})",
          "actions[0].responsible");
  refused("not json", "body");
  refused(R"(["an array"])", "body");
  RawResponse huge = Call("POST", "/api/settings/buttons",
                          R"({"name":")" + std::string(70 * 1024, 'x') + R"("})", supervisor_);
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(Json(Call("GET", "/api/settings/buttons", "", supervisor_)).at("buttons").size(), 1u)
      << "refused requests changed nothing";

  // A pipeline added in the CRM a moment ago is found after a refresh of the catalog.
  emu_->Control("POST", "/_emu/seed",
                R"({"categories":[{"id":2,"name":"Опт"}],"statuses":[)"
                R"({"ENTITY_ID":"DEAL_STAGE_2","STATUS_ID":"C2:NEW","NAME":"Новая"}]})");
  const std::string wholesale =
      R"({"name":"Опт","color":"#ff5752","actions":[{"kind":"deal_stage","category_id":"2",)"
      R"("stage_id":"C2:NEW"}]})";
  refused(wholesale, "actions[0].category_id");
  RawResponse refreshed = Call("POST", "/api/settings/crm/refresh", "", supervisor_);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_EQ(Json(refreshed).at("deal_categories").size(), 3u);
  EXPECT_EQ(Call("POST", "/api/settings/buttons", wholesale, supervisor_).status, 201);
  const value catalog = Json(Call("GET", "/api/settings/crm", "", supervisor_));
  EXPECT_EQ(catalog.at("lead_statuses").at(1).at("id").as_string(), "IN_PROCESS");
  EXPECT_GT(catalog.at("fields").at("contact").size(), 5u);

  // Versions: a stale write is refused, not applied.
  std::string edit = kButton;
  edit.insert(edit.size() - 1, R"(,"version":1)");
  edit.replace(edit.find("В работу"), std::string("В работу").size(), "Взять в работу");
  EXPECT_EQ(Call("PUT", "/api/settings/buttons/" + id, edit, supervisor_).status, 200);
  RawResponse stale = Call("PUT", "/api/settings/buttons/" + id, edit, supervisor_);
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(Call("DELETE", "/api/settings/buttons/" + id, "", supervisor_).status, 400)
      << "a delete names the version it saw";
  EXPECT_EQ(Call("DELETE", "/api/settings/buttons/" + id + "?version=1", "", supervisor_).status,
            409);
  EXPECT_EQ(Call("DELETE", "/api/settings/buttons/" + id + "?version=2", "", supervisor_).status,
            204);
  EXPECT_EQ(Call("GET", "/api/settings/buttons/" + id, "", supervisor_).status, 404);

  // Every change is in the audit log: who, when, what, before and after.
  RawResponse audit = Call("GET", "/api/settings/audit?limit=50", "", supervisor_);
  ASSERT_EQ(audit.status, 200);
  bool found_update = false;
  const value entries = Json(audit).at("entries");
  for (const value& e : entries.as_array()) {
    if (e.at("action").as_string() == "button.update") {
      found_update = true;
      EXPECT_EQ(e.at("actor").as_string(), "user:1");
      EXPECT_EQ(e.at("object_id").as_string(), id);
      EXPECT_EQ(e.at("before").at("name").as_string(), "В работу");
      EXPECT_EQ(e.at("after").at("name").as_string(), "Взять в работу");
      EXPECT_GT(e.at("at_ms").as_number().to_int64(), 0);
    }
  }
  EXPECT_TRUE(found_update) << audit.body;
  EXPECT_EQ(Call("GET", "/api/settings/audit?limit=0", "", supervisor_).status, 400);
  EXPECT_EQ(Json(Call("GET", "/api/settings/audit?limit=1", "", supervisor_))
                .at("next_before")
                .is_string(),
            true);
}

TEST_P(SettingsApiTest, AnotherTenantsIdsAnswerNotFound) {
  B24Emulator other({"--rate", "50", "--burst", "50"}, "m-test-2");
  other.ShareAuthServer(*emu_);
  Install(other);
  const std::string foreign = SessionOf(other, 1);
  const std::string button =
      Json(Call("POST", "/api/settings/buttons", kButton, supervisor_)).at("id").as_string();
  const std::string script =
      Json(Call("POST", "/api/settings/scripts", kScript, supervisor_)).at("id").as_string();
  const std::string role = GiveRole("2", R"({"name":"Оператор"})");
  for (const std::string& path :
       {"/api/settings/buttons/" + button, "/api/settings/scripts/" + script,
        "/api/settings/roles/" + role, "/api/settings/scripts/" + script + "/versions",
        "/api/settings/scripts/" + script + "/export"}) {
    EXPECT_EQ(Call("GET", path, "", foreign).status, 404) << path;
    EXPECT_EQ(Call("GET", path, "", supervisor_).status, 200) << path;
  }
  EXPECT_EQ(Call("PUT", "/api/settings/buttons/" + button, kButton, foreign).status, 404);
  EXPECT_EQ(Call("DELETE", "/api/settings/roles/" + role + "?version=1", "", foreign).status, 404);
  EXPECT_EQ(
      Call("POST", "/api/settings/scripts/" + script + "/publish", R"({"version":1})", foreign)
          .status,
      404);
  SessionOf(other, 2);  // user 2 of t2 signs in, so t2 knows them
  RawResponse foreign_role =
      Call("PUT", "/api/settings/users/2", R"({"role_id":")" + role + R"("})", foreign);
  EXPECT_EQ(foreign_role.status, 400) << "t1's role is no role of t2";
  EXPECT_EQ(FieldOf(foreign_role), "role_id");
  EXPECT_EQ(Json(Call("GET", "/api/settings/buttons", "", foreign)).at("buttons").size(), 0u);
  EXPECT_EQ(Json(Call("GET", "/api/settings/roles", "", foreign)).at("roles").size(), 1u)
      << "its own Supervisor only";
}

TEST_P(SettingsApiTest, ScriptsArePublishedExportedImportedAndDuplicated) {
  RawResponse created = Call("POST", "/api/settings/scripts", kScript, supervisor_);
  ASSERT_EQ(created.status, 201) << created.body;
  value script = Json(created);
  const std::string id = script.at("id").as_string();
  EXPECT_TRUE(script.at("published_version").is_null());
  EXPECT_EQ(Call("POST", "/api/settings/scripts", kScript, supervisor_).status, 409)
      << "names are unique";

  RawResponse published =
      Call("POST", "/api/settings/scripts/" + id + "/publish", R"({"version":1})", supervisor_);
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(Json(published).at("published_version").as_integer(), 1);

  // A draft may be half-built; publishing it is refused naming the problem.
  value draft = script.at("draft");
  value lonely = value::object();
  lonely["id"] = value::string("c");
  lonely["title"] = value::string("Одинокий");
  draft["steps"][2] = lonely;
  value put = value::object();
  put["name"] = value::string("Продажи");
  put["draft"] = draft;
  put["version"] = value::number(1);
  RawResponse saved = Call("PUT", "/api/settings/scripts/" + id, put.serialize(), supervisor_);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Json(saved).at("version").as_integer(), 2);
  RawResponse unpublishable =
      Call("POST", "/api/settings/scripts/" + id + "/publish", R"({"version":2})", supervisor_);
  EXPECT_EQ(unpublishable.status, 400);
  EXPECT_EQ(FieldOf(unpublishable), "draft.steps[2]") << unpublishable.body;
  put["version"] = value::number(2);
  put["draft"]["steps"][0]["next"][1] = value::string("gone");
  RawResponse dangling = Call("PUT", "/api/settings/scripts/" + id, put.serialize(), supervisor_);
  EXPECT_EQ(dangling.status, 400);
  EXPECT_EQ(FieldOf(dangling), "draft.steps[0].next[1]");
  put["version"] = value::number(1);
  put["draft"] = draft;
  EXPECT_EQ(Call("PUT", "/api/settings/scripts/" + id, put.serialize(), supervisor_).status, 409);

  // What operators run is version 1, frozen.
  const value versions =
      Json(Call("GET", "/api/settings/scripts/" + id + "/versions", "", supervisor_));
  ASSERT_EQ(versions.at("versions").size(), 1u);
  const value v1 =
      Json(Call("GET", "/api/settings/scripts/" + id + "/versions/1", "", supervisor_));
  EXPECT_EQ(v1.at("steps").size(), 2u);
  EXPECT_EQ(v1.at("start_step").as_string(), "a");

  // Export and import: the import never replaces the original.
  RawResponse exported =
      Call("GET", "/api/settings/scripts/" + id + "/export?version=1", "", supervisor_);
  ASSERT_EQ(exported.status, 200);
  EXPECT_EQ(Json(exported).at("format").as_string(), "opdesk.script");
  RawResponse imported = Call("POST", "/api/settings/scripts/import", exported.body, supervisor_);
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(Json(imported).at("name").as_string(), "Продажи (копия 1)");
  EXPECT_EQ(Json(imported).at("draft").at("steps").size(), 2u);
  RawResponse dup = Call("POST", "/api/settings/scripts/" + id + "/duplicate", "", supervisor_);
  ASSERT_EQ(dup.status, 201) << dup.body;
  EXPECT_EQ(Json(dup).at("name").as_string(), "Продажи (копия 2)");
  EXPECT_EQ(Json(dup).at("draft").at("steps").size(), 3u) << "a duplicate copies the draft";
  RawResponse wrong_format =
      Call("POST", "/api/settings/scripts/import",
           R"({"format":"other","format_version":1,"name":"x"})", supervisor_);
  EXPECT_EQ(FieldOf(wrong_format), "format");
  EXPECT_EQ(Json(Call("GET", "/api/settings/scripts", "", supervisor_)).at("scripts").size(), 3u);

  const value vars = Json(Call("GET", "/api/settings/template-variables", "", supervisor_));
  EXPECT_EQ(vars.at("variables").at(0).at("name").as_string(), "client.name");
  EXPECT_EQ(Call("DELETE", "/api/settings/scripts/" + id + "?version=2", "", supervisor_).status,
            204);
  EXPECT_EQ(Count("script_versions WHERE script_id = " + id), 1) << "published versions stay";
}

TEST_P(SettingsApiTest, AuditLogFiltersByActorAndObjectAndNamesTheActor) {
  const std::string b1 =
      Json(Call("POST", "/api/settings/buttons", kButton, supervisor_)).at("id").as_string();
  const std::string b2 = Json(Call("POST", "/api/settings/buttons",
                                   R"({"name":"Второй","color":"#2fc6f6",)"
                                   R"("actions":[{"kind":"comment","text":""}]})",
                                   supervisor_))
                             .at("id")
                             .as_string();
  GiveRole("2", R"({"name":"Оператор"})");

  // By object: only the first button's entry, with the actor's portal name.
  const value only_b1 =
      Json(Call("GET", "/api/settings/audit?object_type=button&object_id=" + b1, "", supervisor_));
  ASSERT_EQ(only_b1.at("entries").size(), 1u) << only_b1.serialize();
  EXPECT_EQ(only_b1.at("entries").at(0).at("object_id").as_string(), b1);
  EXPECT_EQ(only_b1.at("entries").at(0).at("actor_name").as_string(), "Анна Админова");
  const value buttons =
      Json(Call("GET", "/api/settings/audit?object_type=button", "", supervisor_));
  EXPECT_EQ(buttons.at("entries").size(), 2u);
  for (const value& e : buttons.at("entries").as_array()) {
    EXPECT_EQ(e.at("object_type").as_string(), "button");
  }
  EXPECT_EQ(buttons.at("entries").at(0).at("object_id").as_string(), b2) << "newest first";

  // By actor: the installer's own changes, and "system" (the installer's Supervisor at setup
  // is the only one the system made here).
  const value by_user = Json(Call("GET", "/api/settings/audit?actor=user:1", "", supervisor_));
  ASSERT_GE(by_user.at("entries").size(), 4u);
  for (const value& e : by_user.at("entries").as_array()) {
    EXPECT_EQ(e.at("actor").as_string(), "user:1");
  }
  EXPECT_EQ(
      Json(Call("GET", "/api/settings/audit?actor=user:2", "", supervisor_)).at("entries").size(),
      0u);
  EXPECT_TRUE(Json(Call("GET", "/api/settings/audit?actor=system", "", supervisor_))
                  .at("entries")
                  .at(0)
                  .at("actor_name")
                  .is_null());

  // Still paged within the filter.
  const value first =
      Json(Call("GET", "/api/settings/audit?actor=user:1&limit=1", "", supervisor_));
  ASSERT_EQ(first.at("entries").size(), 1u);
  const std::string cursor = first.at("next_before").as_string();
  const value second = Json(
      Call("GET", "/api/settings/audit?actor=user:1&limit=1&before=" + cursor, "", supervisor_));
  ASSERT_EQ(second.at("entries").size(), 1u);
  EXPECT_LT(std::stoll(second.at("entries").at(0).at("id").as_string()), std::stoll(cursor));
  EXPECT_EQ(second.at("entries").at(0).at("actor").as_string(), "user:1");

  // A malformed value is a 400 naming the parameter.
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"actor=5", "actor"},
           {"actor=user:x", "actor"},
           {"actor=admin", "actor"},
           {"object_type=Button", "object_type"},
           {"object_type=button&object_id=a%20b", "object_id"},
           {"object_id=" + b1, "object_id"},
           {"before=abc", "before"},
           {"limit=500", "limit"}}) {
    RawResponse r = Call("GET", "/api/settings/audit?" + query, "", supervisor_);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(FieldOf(r), field) << query << " " << r.body;
  }
  EXPECT_EQ(Call("GET", "/api/settings/audit?actor=user:1", "", "").status, 401);
  const std::string operator_session = SessionOf(*emu_, 2);
  EXPECT_EQ(Call("GET", "/api/settings/audit?actor=user:1", "", operator_session).status, 403);
}

// «Проверить подключение» on a portal without a VPBX: nothing to ask, a 409 that says so.
TEST_P(SettingsApiTest, MangoConnectionCheckWithoutAVpbxIsAConflict) {
  RawResponse r = Call("POST", "/api/settings/mango/check", "", supervisor_);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(Json(r).at("error").at("message").as_string().find("ВАТС Mango не подключена"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(Call("POST", "/api/settings/mango/check", "", SessionOf(*emu_, 2)).status, 403);
}

// The lines ↔ sources editor picks from the portal's SOURCE list, read with the catalog.
TEST_P(SettingsApiTest, TheCatalogListsTheCrmsSources) {
  const value crm = Json(Call("GET", "/api/settings/crm", "", supervisor_));
  ASSERT_EQ(crm.at("sources").size(), 2u) << crm.serialize();
  EXPECT_EQ(crm.at("sources").at(0).at("id").as_string(), "CALL");
  EXPECT_EQ(crm.at("sources").at(1).at("name").as_string(), "Веб-сайт");
}

INSTANTIATE_TEST_SUITE_P(Backends, SettingsApiTest, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk::testing
