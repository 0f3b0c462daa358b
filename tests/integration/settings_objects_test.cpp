// Buttons, roles and scripts on both backends: tenant walls, optimistic concurrency, checks
// against the CRM's catalog (cached, re-read on a miss), publishing (also while someone edits),
// import/duplicate that never overwrite, runs recording their version, and the audit log.
#include <cpprest/json.h>
#include <barrier>
#include <thread>

#include "connector/settings/codec.h"
#include "connector/storage/repositories.h"
#include "tests/integration/settings_fixture.h"

namespace opdesk::testing {
namespace {

Button LeadButton(const std::string& status) {
  Button b;
  b.name = "В работу";
  b.color = "#2fc6f6";
  ButtonAction a;
  a.kind = ActionKind::kLeadStatus;
  a.status_id = status;
  ButtonAction c;
  c.kind = ActionKind::kComment;
  c.text = "{operator.name}: {now}";
  b.actions = {a, c};
  return b;
}

ScriptGraph Graph(int extra_steps = 0) {
  ScriptGraph g;
  g.start_step = "a";
  ScriptStep a;
  a.id = "a";
  a.title = "Приветствие";
  a.next = {"b"};
  ScriptStep b;
  b.id = "b";
  b.title = "Потребность";
  b.fields = {{"contact", "NAME", true}, {"deal", "OPPORTUNITY", false}};
  g.steps = {a, b};
  for (int i = 0; i < extra_steps; ++i) {
    ScriptStep s;
    s.id = "x" + std::to_string(i);
    s.title = "Шаг " + std::to_string(i);
    g.steps.back().next.push_back(s.id);
    g.steps.push_back(s);
  }
  return g;
}

Script NewScript(const std::string& name, int extra_steps = 0) {
  Script s;
  s.name = name;
  s.draft = Graph(extra_steps);
  return s;
}

TEST_P(SettingsDbTest, ButtonsAreVersionedScopedByTenantAndAudited) {
  Button created = service_->CreateButton("t1", "1", LeadButton("NEW"));
  EXPECT_EQ(created.version, 1);
  EXPECT_EQ(created.actions.size(), 2u);
  EXPECT_EQ(CodeOf([&] { service_->GetButton("t2", created.id); }), "NOT_FOUND");
  Button stale = created;
  Button edit = created;
  edit.name = "Взять в работу";
  Button saved = service_->UpdateButton("t1", "1", created.id, edit);
  EXPECT_EQ(saved.version, 2);
  EXPECT_EQ(saved.name, "Взять в работу");
  stale.name = "Старое имя";
  EXPECT_EQ(CodeOf([&] { service_->UpdateButton("t1", "1", created.id, stale); }), "CONFLICT");
  EXPECT_EQ(service_->GetButton("t1", created.id).name, "Взять в работу") << "not overwritten";
  EXPECT_EQ(CodeOf([&] { service_->UpdateButton("t2", "1", created.id, saved); }), "NOT_FOUND");
  EXPECT_EQ(CodeOf([&] { service_->DeleteButton("t1", "1", created.id, 1); }), "CONFLICT");

  // A role showing the button loses it when the button goes, and its version moves.
  Role role;
  role.name = "Оператор";
  role.button_ids = {created.id};
  role = service_->CreateRole("t1", "1", role);
  service_->DeleteButton("t1", "1", created.id, 2);
  const Role after = service_->GetRole("t1", role.id);
  EXPECT_TRUE(after.button_ids.empty());
  EXPECT_EQ(after.version, role.version + 1);

  const std::vector<AuditEntry> audit = Audit();
  std::vector<std::string> actions;
  for (const AuditEntry& e : audit) {
    actions.push_back(e.action);
  }
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "button.update"), 1);
  const auto update = std::find_if(audit.begin(), audit.end(),
                                   [](const AuditEntry& e) { return e.action == "button.update"; });
  EXPECT_EQ(update->actor, "user:1");
  EXPECT_NE(update->before_json->find("В работу"), std::string::npos);
  EXPECT_NE(update->after_json->find("Взять в работу"), std::string::npos);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "button.delete"), 1);
}

TEST_P(SettingsDbTest, TargetsAreCheckedAgainstTheCachedCatalogAndReReadOnAMiss) {
  service_->CreateButton("t1", "1", LeadButton("IN_PROCESS"));
  EXPECT_EQ(crm_.catalog_reads, 1);
  EXPECT_EQ(CodeOf([&] { service_->CreateButton("t1", "1", LeadButton("HOT")); }),
            "INVALID_ARGUMENT");
  {
    std::lock_guard lock(crm_.mu);
    crm_.catalog.lead_statuses.push_back({"HOT", "Горячий", 30, ""});
  }
  // Within a minute of the last read the cache answers (no request storm on typos)...
  EXPECT_EQ(CodeOf([&] { service_->CreateButton("t1", "1", LeadButton("HOT")); }),
            "INVALID_ARGUMENT");
  EXPECT_EQ(crm_.catalog_reads, 1);
  // ...after it a miss re-reads the CRM once.
  clock_.Advance(61'000);
  EXPECT_EQ(CodeOf([&] { service_->CreateButton("t1", "1", LeadButton("HOT")); }), "ok");
  EXPECT_EQ(crm_.catalog_reads, 2);
  // An explicit refresh always reads.
  service_->RefreshCatalog("t1");
  EXPECT_EQ(crm_.catalog_reads, 3);
  // While the CRM is down, the cached catalog still answers.
  {
    std::lock_guard lock(crm_.mu);
    crm_.down = true;
  }
  clock_.Advance(3'600'000);
  EXPECT_EQ(CodeOf([&] { service_->CreateButton("t1", "1", LeadButton("NEW")); }), "ok");
  EXPECT_EQ(CodeOf([&] { service_->Catalog("t2"); }), "UNAVAILABLE") << "t2 has no cache";

  Button task = LeadButton("NEW");
  task.actions[1].kind = ActionKind::kTask;
  task.actions[1].title = "Задача";
  task.actions[1].responsible = "404";
  EXPECT_EQ(CodeOf([&] { service_->CreateButton("t1", "1", task); }), "UNAVAILABLE")
      << "whether user 404 exists cannot be told while the portal is down";
  {
    std::lock_guard lock(crm_.mu);
    crm_.down = false;
  }
  EXPECT_EQ(CodeOf([&] { service_->CreateButton("t1", "1", task); }), "INVALID_ARGUMENT")
      << "a responsible who is no user of the portal";
}

TEST_P(SettingsDbTest, RolesNameFieldsButtonsAndScriptsOfTheirOwnTenant) {
  const long long button = service_->CreateButton("t1", "1", LeadButton("NEW")).id;
  const long long script = service_->CreateScript("t1", "1", NewScript("Продажи")).id;
  Role r;
  r.name = "Оператор";
  r.keep_card_open = true;
  r.client_fields = {{"contact", "NAME", true}, {"deal", "OPPORTUNITY", true}};
  r.button_ids = {button};
  r.script_ids = {script};
  const Role created = service_->CreateRole("t1", "1", r);
  EXPECT_EQ(created.client_fields.size(), 2u);
  EXPECT_EQ(created.button_ids, std::vector<long long>{button});
  EXPECT_EQ(CodeOf([&] { service_->CreateRole("t1", "1", r); }), "CONFLICT") << "same name";
  Role foreign = r;
  foreign.name = "Чужой";
  EXPECT_EQ(CodeOf([&] { service_->CreateRole("t2", "1", foreign); }), "INVALID_ARGUMENT")
      << "t1's button is not t2's";
  foreign.button_ids.clear();
  foreign.script_ids.clear();
  foreign.client_fields = {{"lead", "NO_SUCH", true}};
  EXPECT_EQ(CodeOf([&] { service_->CreateRole("t1", "1", foreign); }), "INVALID_ARGUMENT");

  // The Supervisor may be renamed but keeps "may manage settings" and cannot be deleted.
  Role supervisor = service_->GetRole("t1", SupervisorRole());
  supervisor.name = "Старший смены";
  supervisor = service_->UpdateRole("t1", "1", supervisor.id, supervisor);
  EXPECT_EQ(supervisor.name, "Старший смены");
  supervisor.may_manage_settings = false;
  EXPECT_EQ(CodeOf([&] { service_->UpdateRole("t1", "1", supervisor.id, supervisor); }),
            "CONFLICT");
  EXPECT_EQ(CodeOf([&] { service_->DeleteRole("t1", "1", supervisor.id, supervisor.version); }),
            "CONFLICT");
  // A role someone holds stays; once free it goes.
  service_->AssignRole("t1", "1", "2", created.id);
  EXPECT_EQ(CodeOf([&] { service_->DeleteRole("t1", "1", created.id, created.version); }),
            "CONFLICT");
  service_->AssignRole("t1", "1", "2", 0);
  Role stale = created;
  stale.name = "Переименован";
  Role renamed = service_->UpdateRole("t1", "1", created.id, stale);
  EXPECT_EQ(CodeOf([&] { service_->UpdateRole("t1", "1", created.id, stale); }), "CONFLICT");
  EXPECT_EQ(CodeOf([&] { service_->DeleteRole("t1", "1", created.id, created.version); }),
            "CONFLICT")
      << "a stale version";
  service_->DeleteRole("t1", "1", created.id, renamed.version);
  EXPECT_EQ(CodeOf([&] { service_->GetRole("t1", created.id); }), "NOT_FOUND");
}

TEST_P(SettingsDbTest, OperatorsRunPublishedVersionsAndEveryRunRecordsWhich) {
  Script s = service_->CreateScript("t1", "1", NewScript("Продажи"));
  EXPECT_EQ(s.published_version, 0);
  EXPECT_EQ(CodeOf([&] { service_->LoadPublishedScript("t1", s.id, 0); }), "NOT_FOUND");
  s = service_->PublishScript("t1", "1", s.id, s.version);
  EXPECT_EQ(s.published_version, 1);
  // Editing the draft does not touch what operators run.
  Script edit = s;
  edit.draft = Graph(1);
  edit = service_->UpdateScript("t1", "1", s.id, edit);
  EXPECT_EQ(service_->LoadPublishedScript("t1", s.id, 0).graph.steps.size(), 2u);
  EXPECT_EQ(CodeOf([&] { service_->PublishScript("t1", "1", s.id, s.version); }), "CONFLICT")
      << "publishing a draft the publisher has not seen";
  edit = service_->PublishScript("t1", "1", s.id, edit.version);
  EXPECT_EQ(edit.published_version, 2);
  const ScriptVersion v2 = service_->LoadPublishedScript("t1", s.id, 0);
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v2.graph.steps.size(), 3u);
  EXPECT_EQ(service_->LoadPublishedScript("t1", s.id, 1).graph.steps.size(), 2u);
  EXPECT_EQ(service_->ListScriptVersions("t1", s.id).size(), 2u);
  EXPECT_EQ(CodeOf([&] { service_->LoadPublishedScript("t2", s.id, 1); }), "NOT_FOUND");

  // An invalid draft saves (structure is fine) but does not publish.
  Script half = edit;
  half.draft.steps.push_back(ScriptStep{"lonely", "", "", 0, 0, {}, {}});
  half = service_->UpdateScript("t1", "1", s.id, half);
  EXPECT_EQ(CodeOf([&] { service_->PublishScript("t1", "1", s.id, half.version); }),
            "INVALID_ARGUMENT");
  half.draft.steps.back().next = {"gone"};
  EXPECT_EQ(CodeOf([&] { service_->UpdateScript("t1", "1", s.id, half); }), "INVALID_ARGUMENT")
      << "dangling link";

  // The role shows published scripts only; runs keep their version.
  Role role;
  role.name = "Оператор";
  role.script_ids = {s.id, service_->CreateScript("t1", "1", NewScript("Черновик")).id};
  role = service_->CreateRole("t1", "1", role);
  service_->AssignRole("t1", "1", "2", role.id);
  const std::optional<settings::RoleView> view = service_->LoadRoleView("t1", "2");
  ASSERT_TRUE(view);
  ASSERT_EQ(view->scripts.size(), 1u);
  EXPECT_EQ(view->scripts[0].published_version, 2);
  EXPECT_FALSE(service_->LoadRoleView("t1", "3")) << "no seat, no role view";

  const long long run = service_->StartRun("t1", "2", "call-1", s.id, 0);
  std::vector<ScriptRunStep> path = {{"a", clock_.NowMs(), clock_.NowMs() + 5'000, {}},
                                     {"b", clock_.NowMs() + 5'000, 0, {{"NAME", "\"Иван\""}}}};
  service_->SaveRun("t1", "2", run, "b", path);
  std::optional<storage::ScriptRunRow> stored;
  storage::WithSession(*db_, [&](storage::Session& ss) {
    stored = storage::ScriptRunRepository::Find(ss, "t1", run);
  });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->version, 2);
  EXPECT_EQ(stored->current_step, "b");
  EXPECT_EQ(settings::RunPathFromJson(settings::ParseStored(stored->path_json), "path").size(), 2u);
  EXPECT_EQ(CodeOf([&] { service_->SaveRun("t1", "1", run, "b", path); }), "NOT_FOUND")
      << "another user's run";
  // "lonely" is in the draft, not in the version this run runs.
  EXPECT_EQ(CodeOf([&] { service_->SaveRun("t1", "2", run, "lonely", path); }), "INVALID_ARGUMENT");
}

TEST_P(SettingsDbTest, PublishingWhileSomeoneEditsNeverPublishesADraftNobodyChecked) {
  Script s = service_->CreateScript("t1", "1", NewScript("Гонка"));
  long long published = 0;
  for (int round = 0; round < 8; ++round) {
    s = service_->GetScript("t1", s.id);
    const Script seen = s;
    Script edit = s;
    edit.draft = Graph(round + 1);
    std::barrier start(2);
    std::string publish_code;
    std::string edit_code;
    std::thread publisher([&] {
      start.arrive_and_wait();
      publish_code = CodeOf([&] { service_->PublishScript("t1", "1", s.id, seen.version); });
    });
    std::thread editor([&] {
      start.arrive_and_wait();
      edit_code = CodeOf([&] { service_->UpdateScript("t1", "1", s.id, edit); });
    });
    publisher.join();
    editor.join();
    EXPECT_EQ(edit_code, "ok") << "round " << round;
    EXPECT_TRUE(publish_code == "ok" || publish_code == "CONFLICT") << publish_code;
    if (publish_code == "ok") {
      ++published;
      const ScriptVersion v = service_->LoadPublishedScript("t1", s.id, published);
      EXPECT_EQ(settings::Encode(settings::GraphToJson(v.graph)),
                settings::Encode(settings::GraphToJson(seen.draft)))
          << "the version is exactly the draft the publisher saw, round " << round;
    }
    EXPECT_EQ(service_->GetScript("t1", s.id).published_version, published);
  }
}

TEST_P(SettingsDbTest, ImportAndDuplicateNeverOverwrite) {
  const Script original = service_->CreateScript("t1", "1", NewScript("Продажи"));
  const settings::Json exported =
      settings::ExportJson(original.name, original.description, original.draft);
  const settings::ImportedScript in = settings::ImportFromJson(exported);
  const Script first = service_->ImportScript("t1", "1", in.name, in.description, in.graph);
  EXPECT_EQ(first.name, "Продажи (копия 1)");
  const Script again = service_->ImportScript("t1", "1", in.name, in.description, in.graph);
  EXPECT_EQ(again.name, "Продажи (копия 2)");
  const Script dup = service_->DuplicateScript("t1", "1", first.id);
  EXPECT_EQ(dup.name, "Продажи (копия 3)");
  EXPECT_EQ(settings::Encode(settings::GraphToJson(dup.draft)),
            settings::Encode(settings::GraphToJson(original.draft)));
  EXPECT_EQ(service_->GetScript("t1", original.id).version, 1) << "the original is untouched";
  EXPECT_EQ(service_->ImportScript("t2", "1", in.name, in.description, in.graph).name, "Продажи")
      << "a free name is kept";
  EXPECT_EQ(service_->ListScripts("t1").size(), 4u);
}

TEST_P(SettingsDbTest, CommonAnswersAreStoredPublishedAndExported) {
  // H7: a step marked as a common answer keeps the mark through the draft, the published
  // version the call card reads, and an export and import.
  Script s = NewScript("Возражения");
  ScriptStep price;
  price.id = "price";
  price.title = "Дорого";
  price.common = true;
  s.draft.steps.push_back(price);
  s = service_->CreateScript("t1", "1", s);
  EXPECT_TRUE(service_->GetScript("t1", s.id).draft.Find("price")->common);
  EXPECT_FALSE(service_->GetScript("t1", s.id).draft.Find("a")->common);
  s = service_->PublishScript("t1", "1", s.id, s.version);
  const ScriptVersion v = service_->LoadPublishedScript("t1", s.id, 0);
  ASSERT_NE(v.graph.Find("price"), nullptr);
  EXPECT_TRUE(v.graph.Find("price")->common) << "unlinked, yet published: a common answer";
  const settings::Json exported = settings::ExportJson(s.name, s.description, v.graph);
  EXPECT_TRUE(exported.at("steps").at(2).at("common").as_bool());
  EXPECT_TRUE(settings::ImportFromJson(exported).graph.Find("price")->common);
}

TEST_P(SettingsDbTest, ACleanUninstallDeletesEverySettingsRow) {
  service_->CreateButton("t1", "1", LeadButton("NEW"));
  service_->CreateScript("t1", "1", NewScript("Продажи"));
  NewRole("Оператор");
  storage::InTransaction(*db_, [](storage::Session& s) { storage::DeleteTenantData(s, "t1"); });
  EXPECT_TRUE(service_->ListButtons("t1").empty());
  EXPECT_TRUE(service_->ListScripts("t1").empty());
  EXPECT_TRUE(service_->ListRoles("t1").empty());
  EXPECT_EQ(service_->ListRoles("t2").size(), 1u) << "t2 keeps its Supervisor";
}

}  // namespace
}  // namespace opdesk::testing
