// The settings rules with plain values: buttons and their CRM targets, script graphs (draft and
// publish checks, copy names, run paths), roles and the Supervisor, and the tariff (limits, the
// E2 fallback with an injected random source, renewal order).
#include <gtest/gtest.h>

#include "connector/domain/buttons.h"
#include "connector/domain/error.h"
#include "connector/domain/roles.h"
#include "connector/domain/scripts.h"
#include "connector/domain/tariff.h"
#include "connector/domain/text.h"

namespace opdesk {
namespace {

// The field of the InvalidArgument (or the code of another error) `fn` throws.
std::string Refusal(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code() == ErrorCode::kInvalidArgument ? e.field()
                                                   : "code:" + std::string(ToString(e.code()));
  }
  return "accepted";
}

CrmCatalog Catalog() {
  CrmCatalog c;
  c.lead_statuses = {{"NEW", "Новый", 10, ""}, {"IN_PROCESS", "В работе", 20, ""}};
  c.deal_categories = {{"0", "Общая", {{"NEW", "Новая", 10, ""}, {"WON", "Успех", 20, "S"}}},
                       {"1", "Повторные", {{"C1:NEW", "Новая", 10, ""}}}};
  c.fields["contact"] = {{"NAME", "Имя", "string", false, false, false},
                         {"PHONE", "Телефон", "crm_multifield", true, false, false}};
  c.fields["deal"] = {{"OPPORTUNITY", "Сумма", "double", false, false, false}};
  return c;
}

Button GoodButton() {
  Button b;
  b.name = "Перезвонить";
  b.color = "#2fc6f6";
  ButtonAction comment;
  comment.kind = ActionKind::kComment;  // empty text: the operator types it
  ButtonAction callback;
  callback.kind = ActionKind::kCallback;
  callback.deadline = "{now+1d 10:00}";
  callback.text = "Перезвонить {client.name}";
  ButtonAction task;
  task.kind = ActionKind::kTask;
  task.title = "Отправить КП {client.name}";
  task.description = "Звонил {operator.name} с {call.phone}";
  task.deadline = "{now+2d 18:00}";
  task.responsible = "client_responsible";
  ButtonAction meeting;
  meeting.kind = ActionKind::kMeeting;
  meeting.deadline = "{now+3d 12:00}";
  ButtonAction lead;
  lead.kind = ActionKind::kLeadStatus;
  lead.status_id = "IN_PROCESS";
  ButtonAction deal;
  deal.kind = ActionKind::kDealStage;
  deal.category_id = "1";
  deal.stage_id = "C1:NEW";
  b.actions = {comment, callback, task, meeting, lead, deal};
  return b;
}

TEST(ButtonRulesTest, AButtonWithEveryKindOfActionIsValid) {
  EXPECT_EQ(Refusal([] { ValidateButton(GoodButton()); }), "accepted");
  EXPECT_EQ(Refusal([] { CheckCrmTargets(GoodButton(), Catalog()); }), "accepted");
}

TEST(ButtonRulesTest, EachWrongFieldIsNamed) {
  auto with = [](const std::function<void(Button&)>& change) {
    Button b = GoodButton();
    change(b);
    return Refusal([&] { ValidateButton(b); });
  };
  EXPECT_EQ(with([](Button& b) { b.name = "  "; }), "name");
  EXPECT_EQ(with([](Button& b) { b.name = std::string(65, 'x'); }), "name");
  EXPECT_EQ(with([](Button& b) { b.color = "blue"; }), "color");
  EXPECT_EQ(with([](Button& b) { b.actions.clear(); }), "actions");
  EXPECT_EQ(with([](Button& b) { b.actions.resize(11, b.actions[0]); }), "actions");
  EXPECT_EQ(with([](Button& b) { b.actions[0].text = "{unknown.var}"; }), "actions[0].text");
  EXPECT_EQ(with([](Button& b) { b.actions[1].deadline = ""; }), "actions[1].deadline");
  EXPECT_EQ(with([](Button& b) { b.actions[1].deadline = "завтра"; }), "actions[1].deadline");
  EXPECT_EQ(with([](Button& b) { b.actions[2].title = ""; }), "actions[2].title");
  EXPECT_EQ(with([](Button& b) { b.actions[2].responsible = "boss"; }), "actions[2].responsible");
  EXPECT_EQ(with([](Button& b) { b.actions[3].deadline = ""; }), "actions[3].deadline");
  EXPECT_EQ(with([](Button& b) { b.actions[4].status_id = "bad status"; }), "actions[4].status_id");
  EXPECT_EQ(with([](Button& b) { b.actions[5].category_id = "x"; }), "actions[5].category_id");
  EXPECT_EQ(with([](Button& b) { b.actions.push_back(b.actions[4]); }), "actions[6].kind")
      << "one lead status per button";
  // A task without a deadline is fine; one with a user id as responsible too.
  EXPECT_EQ(with([](Button& b) {
              b.actions[2].deadline = "";
              b.actions[2].responsible = "42";
            }),
            "accepted");
}

TEST(ButtonRulesTest, TargetsMustExistInThePortal) {
  Button b = GoodButton();
  b.actions[4].status_id = "CONVERTED";
  EXPECT_EQ(Refusal([&] { CheckCrmTargets(b, Catalog()); }), "actions[4].status_id");
  b = GoodButton();
  b.actions[5].category_id = "7";
  EXPECT_EQ(Refusal([&] { CheckCrmTargets(b, Catalog()); }), "actions[5].category_id");
  b = GoodButton();
  b.actions[5].stage_id = "WON";  // a stage of pipeline 0, not of pipeline 1
  EXPECT_EQ(Refusal([&] { CheckCrmTargets(b, Catalog()); }), "actions[5].stage_id");
  b = GoodButton();
  b.actions[2].responsible = "42";
  EXPECT_EQ(ResponsibleUserIds(b), std::vector<std::string>{"42"});
}

ScriptStep Step(std::string id, std::string title, std::vector<std::string> next = {}) {
  ScriptStep s;
  s.id = std::move(id);
  s.title = std::move(title);
  s.next = std::move(next);
  return s;
}

ScriptGraph Graph() {
  ScriptGraph g;
  g.start_step = "hello";
  g.steps = {Step("hello", "Приветствие", {"need", "busy"}),
             Step("need", "Есть потребность", {"close"}), Step("busy", "Занят", {"hello"}),
             Step("close", "Договорились")};
  g.steps[1].fields = {{"contact", "NAME", true}, {"deal", "OPPORTUNITY", false}};
  return g;
}

TEST(ScriptRulesTest, ADraftMayBeHalfBuiltButNeverDangling) {
  ScriptGraph g = Graph();
  g.steps.push_back(Step("orphan", ""));  // unreachable, untitled: fine in a draft
  EXPECT_EQ(Refusal([&] { ValidateDraft(g); }), "accepted");
  EXPECT_EQ(Refusal([&] { ValidateDraft(ScriptGraph{}); }), "accepted");

  auto with = [](const std::function<void(ScriptGraph&)>& change) {
    ScriptGraph g = Graph();
    change(g);
    return Refusal([&] { ValidateDraft(g); });
  };
  EXPECT_EQ(with([](ScriptGraph& g) { g.steps[0].next.push_back("gone"); }),
            "draft.steps[0].next[2]");
  EXPECT_EQ(with([](ScriptGraph& g) { g.steps[1].next.push_back("need"); }),
            "draft.steps[1].next[1]")
      << "a step linking to itself";
  EXPECT_EQ(with([](ScriptGraph& g) { g.steps[0].next.push_back("need"); }),
            "draft.steps[0].next[2]")
      << "a repeated link";
  EXPECT_EQ(with([](ScriptGraph& g) { g.steps[2].id = "hello"; }), "draft.steps[2].id");
  EXPECT_EQ(with([](ScriptGraph& g) { g.steps[2].id = "has space"; }), "draft.steps[2].id");
  EXPECT_EQ(with([](ScriptGraph& g) { g.start_step = "nowhere"; }), "draft.start_step");
  EXPECT_EQ(with([](ScriptGraph& g) { g.steps[3].title = std::string(101, 'x'); }),
            "draft.steps[3].title");
  EXPECT_EQ(with([](ScriptGraph& g) { g.steps[3].hint = std::string(4001, 'x'); }),
            "draft.steps[3].hint");
  EXPECT_EQ(with([](ScriptGraph& g) { g.steps[3].x = 2e6; }), "draft.steps[3].x");
  EXPECT_EQ(with([](ScriptGraph& g) { g.steps[1].fields[1].entity = "invoice"; }),
            "draft.steps[1].fields[1].entity");
  EXPECT_EQ(with([](ScriptGraph& g) { g.steps[1].fields.push_back(g.steps[1].fields[0]); }),
            "draft.steps[1].fields[2]");
  EXPECT_EQ(with([](ScriptGraph& g) {
              for (int i = 0; i < 301; ++i) {
                g.steps.push_back(Step("s" + std::to_string(i), "x"));
              }
            }),
            "draft.steps");
}

TEST(ScriptRulesTest, PublishingNeedsTitlesOneStartAndEveryStepReachable) {
  EXPECT_EQ(Refusal([] { ValidateForPublish(Graph()); }), "accepted");
  ScriptGraph g = Graph();
  g.steps.push_back(Step("orphan", "Сирота"));
  EXPECT_EQ(Refusal([&] { ValidateForPublish(g); }), "draft.steps[4]");
  g = Graph();
  g.steps[3].title = " ";
  EXPECT_EQ(Refusal([&] { ValidateForPublish(g); }), "draft.steps[3].title");
  EXPECT_EQ(Refusal([] { ValidateForPublish(ScriptGraph{}); }), "draft.steps");
  g = Graph();
  g.steps[2].title = "Есть потребность";  // two next buttons of "hello" would read the same
  EXPECT_EQ(Refusal([&] { ValidateForPublish(g); }), "draft.steps[0].next[1]");
  // Cycles are fine: the busy branch leads back to the greeting.
  EXPECT_EQ(Refusal([] { ValidateForPublish(Graph()); }), "accepted");
}

TEST(ScriptRulesTest, CommonAnswersNeedNoLinkFromTheStartButCannotStartTheCall) {
  // H7: a common answer is opened from any step, so it and the steps it leads to count as
  // reachable without a link from the start.
  ScriptGraph g = Graph();
  g.steps.push_back(Step("price", "Дорого", {"discount"}));
  g.steps.back().common = true;
  g.steps.push_back(Step("discount", "Скидка"));
  EXPECT_EQ(Refusal([&] { ValidateForPublish(g); }), "accepted");
  g.steps[4].common = false;
  EXPECT_EQ(Refusal([&] { ValidateForPublish(g); }), "draft.steps[4]")
      << "the same step, not common, is an orphan";
  g = Graph();
  g.steps[0].common = true;
  EXPECT_EQ(Refusal([&] { ValidateDraft(g); }), "accepted") << "a draft may be half-built";
  EXPECT_EQ(Refusal([&] { ValidateForPublish(g); }), "draft.start_step");
}

TEST(ScriptRulesTest, CopiesNeverTakeAnExistingName) {
  EXPECT_EQ(CopyName("Продажи", {}), "Продажи");
  EXPECT_EQ(CopyName("Продажи", {"Продажи"}), "Продажи (копия 1)");
  EXPECT_EQ(CopyName("Продажи", {"Продажи", "Продажи (копия 1)"}), "Продажи (копия 2)");
  EXPECT_EQ(CopyName("Продажи (копия 1)", {"Продажи", "Продажи (копия 1)"}), "Продажи (копия 2)")
      << "the suffix is replaced, not stacked";
  const std::string long_name(100, 'x');
  const std::string copy = CopyName(long_name, {long_name});
  EXPECT_EQ(Utf8Length(copy), 100u);
  EXPECT_EQ(copy, std::string(90, 'x') + " (копия 1)");
}

TEST(ScriptRulesTest, RunPathsNameStepsOfTheirVersionInTimeOrder) {
  const ScriptGraph g = Graph();
  std::vector<ScriptRunStep> path = {{"hello", 1000, 2000, {}},
                                     {"need", 2000, 0, {{"NAME", "\"Иван\""}}}};
  EXPECT_EQ(Refusal([&] { ValidateRunPath(g, path, "need"); }), "accepted");
  EXPECT_EQ(Refusal([&] { ValidateRunPath(g, path, "gone"); }), "current_step");
  path[1].step_id = "gone";
  EXPECT_EQ(Refusal([&] { ValidateRunPath(g, path, "need"); }), "path[1].step_id");
  path[1] = {"need", 500, 0, {}};
  EXPECT_EQ(Refusal([&] { ValidateRunPath(g, path, "need"); }), "path[1].entered_at_ms");
  path[1] = {"need", 3000, 2500, {}};
  EXPECT_EQ(Refusal([&] { ValidateRunPath(g, path, "need"); }), "path[1].left_at_ms");
}

TEST(RoleRulesTest, TheSupervisorKeepsSettingsAndCannotBeDeleted) {
  const Role supervisor = NewSupervisorRole();
  EXPECT_TRUE(supervisor.system);
  EXPECT_TRUE(supervisor.may_manage_settings);
  EXPECT_EQ(supervisor.name, "Супервайзер");
  Role edited = supervisor;
  edited.name = "Старший смены";  // renaming is fine
  EXPECT_EQ(Refusal([&] { CheckRoleUpdate(supervisor, edited); }), "accepted");
  edited.may_manage_settings = false;
  EXPECT_EQ(Refusal([&] { CheckRoleUpdate(supervisor, edited); }), "code:CONFLICT");
  EXPECT_EQ(Refusal([&] { CheckRoleDeletion(supervisor, 0); }), "code:CONFLICT");
  Role operator_role;
  operator_role.name = "Оператор";
  EXPECT_EQ(Refusal([&] { CheckRoleDeletion(operator_role, 0); }), "accepted");
  EXPECT_EQ(Refusal([&] { CheckRoleDeletion(operator_role, 2); }), "code:CONFLICT")
      << "held (also blocked) roles stay";
}

TEST(RoleRulesTest, RoleListsAreBoundedAndWithoutRepeats) {
  Role r;
  r.name = "Оператор";
  r.client_fields = {{"contact", "NAME", true}, {"deal", "OPPORTUNITY", true}};
  r.button_ids = {1, 2};
  r.script_ids = {3};
  EXPECT_EQ(Refusal([&] { ValidateRole(r); }), "accepted");
  EXPECT_EQ(Refusal([&] { CheckFieldRefs(r.client_fields, Catalog(), "client_fields"); }),
            "accepted");
  Role bad = r;
  bad.client_fields.push_back({"contact", "NAME", true});
  EXPECT_EQ(Refusal([&] { ValidateRole(bad); }), "client_fields[2]");
  bad = r;
  bad.client_fields.push_back({"lead", "NO_SUCH_FIELD", true});
  EXPECT_EQ(Refusal([&] { CheckFieldRefs(bad.client_fields, Catalog(), "client_fields"); }),
            "client_fields[2].code");
  bad = r;
  bad.button_ids.push_back(1);
  EXPECT_EQ(Refusal([&] { ValidateRole(bad); }), "button_ids[2]");
  bad = r;
  bad.name = "";
  EXPECT_EQ(Refusal([&] { ValidateRole(bad); }), "name");
}

TEST(TariffRulesTest, PlansAreDataWithTheDefaultsOfFeaturesE1) {
  const PlanCatalog plans;
  EXPECT_EQ(plans.Find("free")->max_users, 2);
  EXPECT_EQ(plans.Find("standard")->max_users, 7);
  EXPECT_EQ(plans.Find("unlimited")->max_users, 0);
  EXPECT_EQ(PlanCatalog(3, 7).Free().max_users, 3) << "the other price list: 1–3 users free";
  EXPECT_EQ(plans.Find("gold"), nullptr);
}

TEST(TariffRulesTest, TheLimitInForceFollowsThePaidPeriod) {
  const PlanCatalog plans;
  const TenantPlan standard{"standard", 10'000, 0};
  EXPECT_EQ(EvaluatePlan(plans, standard, 9'999).max_users, 7);
  EXPECT_FALSE(LapseDue(plans, standard, 9'999));
  const PlanStatus after = EvaluatePlan(plans, standard, 10'000);
  EXPECT_TRUE(after.lapsed);
  EXPECT_EQ(after.max_users, 2) << "the free plan's limit";
  EXPECT_TRUE(LapseDue(plans, standard, 10'000));
  EXPECT_FALSE(LapseDue(plans, {"standard", 10'000, 10'001}, 20'000)) << "applied once";
  EXPECT_FALSE(LapseDue(plans, {"free", 0, 0}, 20'000));
  EXPECT_TRUE(HasFreeSeat(EvaluatePlan(plans, {"unlimited", 10'000, 0}, 1), 1'000'000));
  EXPECT_FALSE(HasFreeSeat(EvaluatePlan(plans, {"free", 0, 0}, 1), 2));
  const Error refusal = SeatLimitReached(EvaluatePlan(plans, {"free", 0, 0}, 1), 2);
  EXPECT_EQ(refusal.code(), ErrorCode::kResourceExhausted);
  const std::string text = refusal.what();
  EXPECT_NE(text.find("allows 2 users"), std::string::npos) << text;
  EXPECT_NE(text.find("standard"), std::string::npos) << "how to upgrade: " << text;
}

TEST(TariffRulesTest, FallbackKeepsTheInstallingSupervisorAndOneRandomOther) {
  const std::vector<SeatHolder> seats = {{"10", 1, false, false},
                                         {"20", 2, true, false},
                                         {"30", 3, false, false},
                                         {"40", 4, true, true},  // the installer
                                         {"50", 5, false, false}};
  std::vector<std::size_t> asked;
  auto pick_last = [&](std::size_t n) {
    asked.push_back(n);
    return n - 1;
  };
  std::vector<std::string> blocked = ChooseSeatsToBlock(seats, 2, pick_last);
  // Kept: installer 40 (supervisor) and the random pick among the other four: 50.
  EXPECT_EQ(blocked, (std::vector<std::string>{"10", "20", "30"}));
  EXPECT_EQ(asked, std::vector<std::size_t>{4});
  blocked = ChooseSeatsToBlock(seats, 2, [](std::size_t) { return 0; });
  EXPECT_EQ(blocked, (std::vector<std::string>{"20", "30", "50"})) << "kept 40 and 10";
  // Without the installer among supervisors, the earliest supervisor stays.
  std::vector<SeatHolder> no_installer = seats;
  no_installer[3].installer = false;
  blocked = ChooseSeatsToBlock(no_installer, 2, [](std::size_t) { return 0; });
  EXPECT_EQ(blocked, (std::vector<std::string>{"30", "40", "50"})) << "kept 20 and 10";
  EXPECT_TRUE(ChooseSeatsToBlock(seats, 5, pick_last).empty());
  EXPECT_TRUE(ChooseSeatsToBlock(seats, 0, pick_last).empty()) << "unlimited";
  EXPECT_THROW(ChooseSeatsToBlock(seats, 2, [](std::size_t n) { return n; }), Error);
}

TEST(TariffRulesTest, RenewalRestoresBlockedUsersInTheirFormerOrder) {
  const std::vector<SeatHolder> blocked = {
      {"c", 7, false, false}, {"a", 3, false, false}, {"b", 5, false, false}};
  EXPECT_EQ(ChooseSeatsToRestore(blocked, 2, 4), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ChooseSeatsToRestore(blocked, 2, 0), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(ChooseSeatsToRestore(blocked, 7, 7).empty());
}

TEST(TariffRulesTest, PaidUntilIsTheEndOfTheLastPaidDayInTheTenantsZone) {
  const auto moscow = LoadTimeZone("Europe/Moscow");
  const EpochMs until = PaidUntilFromDate("2026-01-31", *moscow);
  EXPECT_EQ(until, 1'769'893'200'000) << "2026-02-01 00:00 MSK = 2026-01-31 21:00 UTC";
  EXPECT_EQ(LastPaidDate(until, *moscow), "2026-01-31");
  EXPECT_EQ(Refusal([&] { PaidUntilFromDate("2026-02-30", *moscow); }), "until");
  EXPECT_EQ(Refusal([&] { PaidUntilFromDate("31.01.2026", *moscow); }), "until");
  EXPECT_EQ(Refusal([&] { PaidUntilFromDate("2026-1-31", *moscow); }), "until");
}

}  // namespace
}  // namespace opdesk
