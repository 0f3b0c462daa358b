// Scripts' settings, pinned step and field tags (FEATURES F1) and the save of a call's number
// (F2) on both backends: stored with the draft, frozen into the published version, checked
// against the CRM's catalog; the number queued once per call.
#include <soci/soci.h>

#include "connector/settings/number_job.h"
#include "tests/integration/settings_fixture.h"

namespace opdesk::testing {
namespace {

Script Bound(const std::string& name) {
  Script s;
  s.name = name;
  s.draft.start_step = "a";
  ScriptStep a;
  a.id = "a";
  a.title = "Приветствие";
  a.hint = "Здравствуйте, {{CONTACT.NAME}}!";
  a.next = {"p"};
  ScriptStep p;
  p.id = "p";
  p.title = "Памятка";
  p.pinned = true;
  s.draft.steps = {a, p};
  s.draft.settings.call_type = "incoming";
  s.draft.settings.activity_type = "2";
  s.draft.settings.deal_type = "SALE";
  s.draft.settings.number_field = {"contact", "UF_CRM_DIALED", false};
  return s;
}

std::string FieldOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.field();
  }
  return "accepted";
}

class ScriptSettingsDbTest : public SettingsDbTest {
 protected:
  void SetUp() override {
    SettingsDbTest::SetUp();
    std::lock_guard lock(crm_.mu);
    crm_.catalog.deal_types = {{"SALE", "Продажа", 10, ""}, {"SERVICE", "Сервис", 20, ""}};
    crm_.catalog.activity_types = {{"1", "Встреча", 0, ""}, {"2", "Звонок", 0, ""}};
    crm_.catalog.fields["contact"].push_back(
        {"UF_CRM_DIALED", "Набранный номер", "string", false, false, false});
    crm_.catalog.fields["contact"].push_back(
        {"PHONE", "Телефон", "crm_multifield", true, false, false});
  }
};

TEST_P(ScriptSettingsDbTest, SettingsAndThePinnedStepAreStoredAndPublishedWithTheDraft) {
  Script s = service_->CreateScript("t1", "1", Bound("Входящие"));
  EXPECT_EQ(s.draft.settings.call_type, "incoming");
  EXPECT_EQ(s.draft.settings.activity_type, "2");
  EXPECT_EQ(s.draft.settings.deal_type, "SALE");
  EXPECT_EQ(s.draft.settings.number_field.entity, "contact");
  EXPECT_EQ(s.draft.settings.number_field.code, "UF_CRM_DIALED");
  ASSERT_NE(s.draft.Pinned(), nullptr);
  EXPECT_EQ(s.draft.Pinned()->id, "p");
  s = service_->PublishScript("t1", "1", s.id, s.version);

  Script edit = s;
  edit.draft.settings.call_type = "outgoing";
  edit.draft.steps[1].pinned = false;
  edit = service_->UpdateScript("t1", "1", s.id, edit);
  EXPECT_EQ(service_->GetScript("t1", s.id).draft.settings.call_type, "outgoing");
  const ScriptVersion v1 = service_->LoadPublishedScript("t1", s.id, 1);
  EXPECT_EQ(v1.graph.settings.call_type, "incoming") << "the version keeps what was published";
  EXPECT_EQ(v1.graph.settings.number_field.code, "UF_CRM_DIALED");
  ASSERT_NE(v1.graph.Pinned(), nullptr);

  // The card's view carries the published version's settings.
  Role role = service_->GetRole("t1", service_->ListRoles("t1").front().id);
  role.script_ids = {s.id};
  service_->UpdateRole("t1", "1", role.id, role);
  const std::optional<settings::RoleView> view = service_->LoadRoleView("t1", "1");
  ASSERT_TRUE(view.has_value());
  ASSERT_EQ(view->scripts.size(), 1u);
  EXPECT_EQ(view->scripts[0].settings.call_type, "incoming");
}

TEST_P(ScriptSettingsDbTest, IdsAndFieldsAreCheckedAgainstTheCatalogAndNothingIsStored) {
  auto refused = [&](const std::function<void(Script&)>& change) {
    Script s = Bound("Плохой");
    change(s);
    return FieldOf([&] { service_->CreateScript("t1", "1", s); });
  };
  EXPECT_EQ(refused([](Script& s) { s.draft.settings.deal_type = "NOPE"; }),
            "draft.settings.deal_type");
  EXPECT_EQ(refused([](Script& s) { s.draft.settings.activity_type = "9"; }),
            "draft.settings.activity_type");
  EXPECT_EQ(refused([](Script& s) { s.draft.settings.number_field.code = "PHONE"; }),
            "draft.settings.number_field.code")
      << "a multi-value field is not a place for one number";
  EXPECT_EQ(refused([](Script& s) {
              s.draft.settings.number_field = {"deal", "OPPORTUNITY"};
            }),
            "draft.settings.number_field.code");
  EXPECT_EQ(refused([](Script& s) { s.draft.steps[0].hint = "{{CONTACT.NICK}}"; }),
            "draft.steps[0].hint");
  EXPECT_TRUE(service_->ListScripts("t1").empty());
}

TEST_P(ScriptSettingsDbTest, TheNumberIsQueuedOncePerCall) {
  ScriptSettings st;
  st.number_field = {"contact", "UF_CRM_DIALED", false};
  const settings::NumberSave call{"card:externalCall.1", "+79001234567", "CONTACT:7", "2"};
  bool first = false;
  bool second = false;
  storage::InTransaction(*db_, [&](storage::Session& s) {
    first = settings::QueueNumberSave(s, "t1", st, call, clock_.NowMs());
  });
  storage::InTransaction(*db_, [&](storage::Session& s) {
    second = settings::QueueNumberSave(s, "t1", st, call, clock_.NowMs());
  });
  EXPECT_TRUE(first);
  EXPECT_FALSE(second) << "a second run in the same call queues nothing";
  bool other_tenant = false;
  storage::InTransaction(*db_, [&](storage::Session& s) {
    other_tenant = settings::QueueNumberSave(s, "t2", st, call, clock_.NowMs());
  });
  EXPECT_TRUE(other_tenant) << "call keys are per tenant";
  bool no_field = true;
  storage::InTransaction(*db_, [&](storage::Session& s) {
    no_field = settings::QueueNumberSave(s, "t1", ScriptSettings{},
                                         {"card:externalCall.2", "+7900", "", "2"}, clock_.NowMs());
  });
  EXPECT_FALSE(no_field);

  long long jobs = 0;
  std::optional<storage::NumberSaveRow> row;
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "SELECT COUNT(*) FROM jobs WHERE kind = 'script.save_number'", soci::into(jobs);
    row = storage::ScriptNumberRepository::Find(s, "t1", "card:externalCall.1");
  });
  EXPECT_EQ(jobs, 2);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->state, "queued");
  EXPECT_EQ(row->field_code, "contact.UF_CRM_DIALED");
  storage::InTransaction(*db_, [&](storage::Session& s) {
    storage::ScriptNumberRepository::Finish(s, "t1", "card:externalCall.1", "done", "CONTACT:7",
                                            clock_.NowMs());
  });
  storage::WithSession(*db_, [&](storage::Session& s) {
    row = storage::ScriptNumberRepository::Find(s, "t1", "card:externalCall.1");
  });
  EXPECT_EQ(row->state, "done");
  EXPECT_EQ(row->crm_record, "CONTACT:7");
}

INSTANTIATE_TEST_SUITE_P(Backends, ScriptSettingsDbTest, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk::testing
