// The call card's button actions against the in-memory CRM, on a fresh SQLite database: each
// action runs with the operator's rights, a deal stage finds the right deal, and an action that
// may have reached the CRM is never sent twice, while an outage only delays it.
#include "connector/callcard/button_actions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cpprest/json.h>

#include "connector/storage/callcard_repositories.h"
#include "tests/support/fake_crm.h"
#include "tests/support/test_database.h"

namespace opdesk::testing {
namespace {

using ::testing::ElementsAre;

constexpr const char* kTenant = "t1";

class ButtonActionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<TestDatabase>("sqlite");
    db_ = test_db_->Open(true, 2);
    runner_ = std::make_unique<callcard::ButtonActionRunner>(*db_, crm_, clock_);
  }

  PressedAction Action(const std::string& kind) {
    PressedAction a;
    a.kind = kind;
    a.text = "Текст " + kind;
    a.title = "Заголовок " + kind;
    a.deadline = "2024-05-01T10:00:00+03:00";
    return a;
  }

  // Stores a press by operator 2 on `entity`/`id` (its actions queued as jobs).
  void Press(const std::string& press_id, std::vector<PressedAction> actions,
             const std::string& entity, const std::string& id, const std::string& lang = "en") {
    ButtonPress p;
    p.tenant_id = kTenant;
    p.press_id = press_id;
    p.user_id = "2";
    p.button_id = "b1";
    p.entity = entity;
    p.entity_id = id;
    p.lang = lang;
    p.actions = std::move(actions);
    for (std::size_t i = 0; i < p.actions.size(); ++i) {
      p.actions[i].index = static_cast<int>(i);
    }
    storage::InTransaction(*db_, [&](storage::Session& s) {
      ASSERT_TRUE(callcard::StorePress(s, p, clock_.NowMs()));
    });
  }

  jobs::Job Job(const std::string& press_id, int index, int attempts = 1) {
    web::json::value payload = web::json::value::object();
    payload["press_id"] = web::json::value::string(press_id);
    payload["index"] = web::json::value::number(index);
    jobs::Job job;
    job.id = ++next_job_id_;
    job.tenant_id = kTenant;
    job.kind = callcard::kActionJob.name;
    job.payload = payload.serialize();
    job.attempts = attempts;
    job.max_attempts = 3;
    return job;
  }

  // Runs every action of the press once, as the workers would; returns the error codes.
  std::vector<std::string> RunAll(const std::string& press_id) {
    std::vector<std::string> codes;
    for (int i = 0; i < static_cast<int>(Stored(press_id).actions.size()); ++i) {
      try {
        const jobs::Job job = Job(press_id, i);
        runner_->Run(job, callcard::kActionJob.decode(job.payload));
        codes.push_back("ok");
      } catch (const Error& e) {
        codes.push_back(std::string(ToString(e.code())));
      }
    }
    return codes;
  }

  ButtonPress Stored(const std::string& press_id) {
    std::optional<storage::PressRow> row;
    storage::WithSession(*db_, [&](storage::Session& s) {
      row = storage::ButtonPressRepository::Find(s, kTenant, press_id);
    });
    return callcard::DecodePress(row.value());
  }

  FakeClock clock_;
  FakeCrm crm_;
  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<callcard::ButtonActionRunner> runner_;
  long long next_job_id_ = 0;
};

TEST_F(ButtonActionsTest, EveryActionReachesTheCrmOnceWithTheOperatorsRights) {
  const std::string lead = crm_.SeedClient("lead", "+79001234567");
  PressedAction status = Action("lead_status");
  status.status_id = "IN_PROCESS";
  PressedAction meeting = Action("meeting");
  meeting.responsible = "7";
  Press("p1", {Action("comment"), Action("callback"), meeting, Action("task"), status}, "lead",
        lead);
  EXPECT_THAT(RunAll("p1"), ElementsAre("ok", "ok", "ok", "ok", "ok"));

  EXPECT_THAT(crm_.methods(),
              ElementsAre("AddComment", "AddActivity", "AddActivity", "AddTask", "SetLeadStatus"));
  for (const FakeCrm::Call& c : crm_.calls()) {
    EXPECT_EQ(c.as_user, "2") << c.method << " runs with the operator's token";
  }
  const std::vector<FakeCrm::Timeline> timeline = crm_.timeline();
  ASSERT_EQ(timeline.size(), 4u);
  EXPECT_EQ(timeline[0].text, "Текст comment");
  EXPECT_EQ(timeline[0].record, (adapters::CrmRecord{"lead", lead}));
  EXPECT_EQ(timeline[1].responsible, "2") << "a callback is the operator's own by default";
  EXPECT_EQ(timeline[1].deadline, "2024-05-01T10:00:00+03:00");
  EXPECT_EQ(timeline[2].responsible, "7");
  EXPECT_EQ(timeline[3].kind, "task");
  EXPECT_EQ(timeline[3].record, (adapters::CrmRecord{"lead", lead}));
  EXPECT_EQ(crm_.FindRecord("lead", lead)->status, "IN_PROCESS");

  const ButtonPress stored = Stored("p1");
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(stored.actions[i].state, "done");
    EXPECT_EQ(stored.actions[i].result_id, timeline[i].id);
  }
  EXPECT_EQ(stored.actions[4].result_id, lead);

  EXPECT_THAT(RunAll("p1"), ElementsAre("ok", "ok", "ok", "ok", "ok"));
  EXPECT_EQ(crm_.calls().size(), 5u) << "a done action is not run again";
}

TEST_F(ButtonActionsTest, ADealStageMovesTheLatestOpenDealOfTheClientInThePipeline) {
  const adapters::CrmRecord contact{"contact", crm_.SeedClient("contact", "+79001234567")};
  const std::string older = crm_.SeedDeal(contact, "1");
  const std::string newest = crm_.SeedDeal(contact, "1");
  crm_.SeedDeal(contact, "1", "WON", /*closed=*/true);
  crm_.SeedDeal(contact, "0");
  PressedAction stage = Action("deal_stage");
  stage.category_id = "1";
  stage.stage_id = "C1:WON";
  Press("p1", {stage}, "contact", contact.id);
  EXPECT_THAT(RunAll("p1"), ElementsAre("ok"));

  EXPECT_THAT(crm_.methods(), ElementsAre("OpenDeals", "SetDealStage"));
  EXPECT_EQ(crm_.calls()[0].Arg("pipeline"), "1");
  EXPECT_EQ(crm_.FindRecord("deal", newest)->stage, "C1:WON");
  EXPECT_EQ(crm_.FindRecord("deal", older)->stage, "NEW");
  EXPECT_EQ(Stored("p1").actions[0].result_id, newest);
}

TEST_F(ButtonActionsTest, TheCardsOwnDealMovesOnlyInItsOwnPipeline) {
  const adapters::CrmRecord contact{"contact", crm_.SeedClient("contact", "+79001234567")};
  const std::string deal = crm_.SeedDeal(contact, "0");
  PressedAction same = Action("deal_stage");
  same.stage_id = "WON";  // category "" is the default pipeline
  PressedAction other = Action("deal_stage");
  other.category_id = "2";
  other.stage_id = "C2:WON";
  Press("p1", {same, other}, "deal", deal);
  EXPECT_THAT(RunAll("p1"), ElementsAre("ok", "ok"));

  EXPECT_THAT(crm_.methods(), ElementsAre("DealPipeline", "SetDealStage", "DealPipeline"));
  EXPECT_EQ(crm_.FindRecord("deal", deal)->stage, "WON");
  const ButtonPress stored = Stored("p1");
  EXPECT_EQ(stored.actions[1].state, "failed");
  EXPECT_EQ(stored.actions[1].error, "The deal is in another pipeline: the stage was not changed");
}

TEST_F(ButtonActionsTest, WithoutALeadOrAnOpenDealNothingIsChangedAndTheOperatorLearnsWhy) {
  const std::string contact = crm_.SeedClient("contact", "+79001234567");
  PressedAction status = Action("lead_status");
  status.status_id = "IN_PROCESS";
  PressedAction stage = Action("deal_stage");
  stage.stage_id = "WON";
  Press("p1", {status, stage}, "contact", contact, "ru");
  EXPECT_THAT(RunAll("p1"), ElementsAre("ok", "ok"));

  EXPECT_THAT(crm_.methods(), ElementsAre("OpenDeals"));
  const ButtonPress stored = Stored("p1");
  EXPECT_EQ(stored.actions[0].state, "failed");
  EXPECT_EQ(stored.actions[0].error, "У звонка нет лида: статус лида не изменён");
  EXPECT_EQ(stored.actions[1].state, "failed");
  EXPECT_EQ(stored.actions[1].error, "Нет открытой сделки в нужной воронке: стадия не изменена");
}

TEST_F(ButtonActionsTest, ACommentWhoseAnswerWasLostIsReportedNotSentAgain) {
  const std::string lead = crm_.SeedClient("lead", "+79001234567");
  crm_.Fail("AddComment", DeadlineExceeded("comment: outcome unknown, not resent: timeout"), 1,
            /*after=*/true);
  Press("p1", {Action("comment")}, "lead", lead);
  EXPECT_THAT(RunAll("p1"), ElementsAre("ok"));
  EXPECT_THAT(RunAll("p1"), ElementsAre("ok"));

  EXPECT_EQ(crm_.Count("AddComment"), 1);
  EXPECT_EQ(crm_.timeline().size(), 1u);
  const PressedAction a = Stored("p1").actions[0];
  EXPECT_EQ(a.state, "failed");
  EXPECT_THAT(a.error, ::testing::HasSubstr("check in the CRM"));
}

TEST_F(ButtonActionsTest, AnOutageLeavesTheActionQueuedAndTheRetryDoesIt) {
  const std::string lead = crm_.SeedClient("lead", "+79001234567");
  crm_.Fail("AddTask", Unavailable("the portal is down"));
  Press("p1", {Action("task")}, "lead", lead);
  EXPECT_THAT(RunAll("p1"), ElementsAre("UNAVAILABLE"));
  EXPECT_EQ(Stored("p1").actions[0].state, "queued");
  EXPECT_TRUE(crm_.timeline().empty());

  EXPECT_THAT(RunAll("p1"), ElementsAre("ok"));
  EXPECT_EQ(Stored("p1").actions[0].state, "done");
  EXPECT_EQ(crm_.timeline().size(), 1u);
}

TEST_F(ButtonActionsTest, AnActionLeftSendingByACrashIsResentOnlyIfItIsSafe) {
  const adapters::CrmRecord contact{"contact", crm_.SeedClient("contact", "+79001234567")};
  const std::string deal = crm_.SeedDeal(contact, "0");
  PressedAction comment = Action("comment");
  comment.state = "sending";
  PressedAction stage = Action("deal_stage");
  stage.stage_id = "WON";
  stage.state = "sending";
  Press("p1", {comment, stage}, "deal", deal);
  EXPECT_THAT(RunAll("p1"), ElementsAre("ok", "ok"));

  EXPECT_THAT(crm_.methods(), ElementsAre("DealPipeline", "SetDealStage"));
  const ButtonPress stored = Stored("p1");
  EXPECT_EQ(stored.actions[0].state, "failed");
  EXPECT_EQ(stored.actions[1].state, "done");
}

TEST_F(ButtonActionsTest, ACrmRefusalShowsTheCrmsOwnReason) {
  const std::string lead = crm_.SeedClient("lead", "+79001234567");
  crm_.Fail("SetLeadStatus",
            InvalidArgument("crm.lead.update: ERROR_CORE (Поле «Источник» обязательно)"));
  PressedAction status = Action("lead_status");
  status.status_id = "CONVERTED";
  Press("p1", {status}, "lead", lead);
  EXPECT_THAT(RunAll("p1"), ElementsAre("ok"));
  const PressedAction a = Stored("p1").actions[0];
  EXPECT_EQ(a.state, "failed");
  EXPECT_EQ(a.error, "Поле «Источник» обязательно");
  EXPECT_EQ(crm_.FindRecord("lead", lead)->status, "");
}

}  // namespace
}  // namespace opdesk::testing
