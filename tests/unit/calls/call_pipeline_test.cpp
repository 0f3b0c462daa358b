// The call pipeline's jobs against the in-memory CRM: register (line first, the employee's card,
// the catch-all user, adopting a call the CRM registered itself), show, hide, finish (a repeat
// after a lost answer), and a recording that waits for the finish.
#include "connector/calls/call_pipeline.h"

#include <gmock/gmock.h>
#include <soci/soci.h>

#include "connector/calls/call_jobs.h"
#include "tests/unit/calls/calls_fixture.h"

namespace opdesk::testing {
namespace {

using ::testing::ElementsAre;

class CallPipelineTest : public CallsTest {
 protected:
  void SetUp() override {
    CallsTest::SetUp();
    pipeline_ = std::make_unique<mango::CallPipeline>(*db_, crm_, *mango_, *employees_, clock_);
  }

  void Register(const std::string& entry_id, const std::string& extension, bool card = true) {
    pipeline_->Register(MakeJob(mango::kRegisterJob.name, Intent(entry_id, extension, card)),
                        Decoded(mango::kRegisterJob, Intent(entry_id, extension, card)));
  }

  std::unique_ptr<mango::CallPipeline> pipeline_;
};

TEST_F(CallPipelineTest, RegisterAddsTheLineOnceAndPopsTheCardOfTheMappedEmployee) {
  Link("101", "5");
  StoreCall("e1");
  StoreCall("e2");
  Register("e1", "101");
  Register("e2", "101");

  EXPECT_THAT(crm_.methods(), ElementsAre("AddLine", "RegisterCall", "RegisterCall"));
  EXPECT_THAT(crm_.lines(), ElementsAre("74950000000"));
  const FakeCrm::Call reg = crm_.calls()[1];
  EXPECT_EQ(reg.Arg("user"), "5");
  EXPECT_EQ(reg.Arg("phone"), "79001234567");
  EXPECT_EQ(reg.Arg("type"), "incoming");
  EXPECT_EQ(reg.Arg("show"), "1");
  EXPECT_EQ(reg.Arg("line"), "74950000000");
  EXPECT_EQ(reg.Arg("external_id"), "e1") << "the entry id makes a retried register safe";
  EXPECT_EQ(reg.Arg("started_at_s"), "1700000000");
  const StoredCall stored = Stored("e1");
  ASSERT_FALSE(stored.crm_call_id.empty());
  EXPECT_EQ(crm_.FindCall(stored.crm_call_id)->shown_to, std::vector<std::string>{"5"});
  EXPECT_EQ(stored.crm_entity, "") << "a new number is bound to nothing";
}

TEST_F(CallPipelineTest, RegisterRemembersTheClientTheCrmBoundTheCallTo) {
  const std::string contact = crm_.SeedClient("contact", "+7 (900) 123-45-67");
  Link("101", "5");
  StoreCall("e1");
  Register("e1", "101");
  EXPECT_EQ(Stored("e1").crm_entity, "CONTACT:" + contact);
}

TEST_F(CallPipelineTest, ARegisterRunAgainAfterTheCallIdIsStoredSendsNothing) {
  Link("101", "5");
  StoreCall("e1");
  Register("e1", "101");
  crm_.ClearCalls();
  Register("e1", "101");
  EXPECT_TRUE(crm_.calls().empty());
}

TEST_F(CallPipelineTest, AnUnmappedEmployeesCallIsTheInstallersWithoutACard) {
  StoreCall("e1", "79001234567", "", calls::Direction::kOutgoing);
  Register("e1", "999");
  EXPECT_THAT(crm_.methods(), ElementsAre("FindUserByExtension", "RegisterCall"))
      << "no line to add for a call without one";
  const FakeCrm::Call reg = crm_.calls()[1];
  EXPECT_EQ(reg.Arg("user"), "1");
  EXPECT_EQ(reg.Arg("show"), "0");
  EXPECT_EQ(reg.Arg("type"), "outgoing");
}

TEST_F(CallPipelineTest, TheCatchAllUserGetsTheCardWhenTheSettingsSaySo) {
  IntegrationSettings settings;
  settings.catch_all_user_id = "7";
  settings.unmapped_calls = UnmappedCalls::kCatchAllCard;
  SaveSettings(settings);
  StoreCall("e1");
  Register("e1", "999");
  const FakeCrm::Call reg = crm_.calls().back();
  EXPECT_EQ(reg.method, "RegisterCall");
  EXPECT_EQ(reg.Arg("user"), "7");
  EXPECT_EQ(reg.Arg("show"), "1");
}

TEST_F(CallPipelineTest, AnEmployeeFoundByTheCrmsInternalNumberIsRemembered) {
  crm_.SeedUser({"8", "Анна", "anna@example.test", true, "108"});
  StoreCall("e1");
  StoreCall("e2");
  Register("e1", "108");
  Register("e2", "108");
  EXPECT_EQ(crm_.Count("FindUserByExtension"), 1) << "the second call uses the employee map";
  EXPECT_EQ(crm_.calls().back().Arg("user"), "8");
}

TEST_F(CallPipelineTest, ShowAndHideGoToTheRingingEmployee) {
  Link("101", "5");
  Link("102", "6");
  StoreCall("e1");
  Register("e1", "101");
  pipeline_->Show(MakeJob(mango::kShowJob.name, Intent("e1", "102")),
                  Decoded(mango::kShowJob, Intent("e1", "102")));
  pipeline_->Hide(MakeJob(mango::kHideJob.name, Intent("e1", "102")),
                  Decoded(mango::kHideJob, Intent("e1", "102")));
  const std::string call_id = Stored("e1").crm_call_id;
  const auto state = crm_.FindCall(call_id);
  EXPECT_THAT(state->shown_to, ElementsAre("5", "6"));
  EXPECT_THAT(state->hidden_from, ElementsAre("6"));
  EXPECT_EQ(crm_.calls().back().Arg("call_id"), call_id);
}

TEST_F(CallPipelineTest, ShowBeforeRegisterWaitsAndSendsNothing) {
  Link("102", "6");
  StoreCall("e1");
  EXPECT_EQ(CodeOf([&] {
              pipeline_->Show(MakeJob(mango::kShowJob.name, Intent("e1", "102")),
                              Decoded(mango::kShowJob, Intent("e1", "102")));
            }),
            "UNAVAILABLE");
  EXPECT_TRUE(crm_.calls().empty());
}

TEST_F(CallPipelineTest, FinishSendsTheOutcomeForTheResponsibleEmployee) {
  Link("101", "5");
  calls::Call call = StoreCall("e1");
  Register("e1", "101");
  call.finished = true;
  call.outcome = calls::Outcome{true, 42, "200", false, false, 0};
  Save(call);
  pipeline_->Finish(MakeJob(mango::kFinishJob.name, Intent("e1", "101")),
                    Decoded(mango::kFinishJob, Intent("e1", "101")));
  const auto state = crm_.FindCall(Stored("e1").crm_call_id);
  ASSERT_TRUE(state->finish);
  EXPECT_EQ(state->finish->user_id, "5");
  EXPECT_EQ(state->finish->duration_s, 42);
  EXPECT_EQ(state->finish->status_code, "200");
  EXPECT_EQ(state->finish->failed_reason, "");
}

TEST_F(CallPipelineTest, StepsAfterThisProcessRegisteredTheCallNeedNoReadOfIt) {
  Link("101", "5");
  Link("102", "6");
  StoreCall("e1");
  Register("e1", "101");
  const std::string call_id = Stored("e1").crm_call_id;
  // With the row gone, only what the pipeline remembers and the job carries can reach the CRM.
  storage::InTransaction(
      *db_, [&](storage::Session& s) { s.sql() << "DELETE FROM calls WHERE entry_id = 'e1'"; });
  pipeline_->Show(MakeJob(mango::kShowJob.name, Intent("e1", "102")),
                  Decoded(mango::kShowJob, Intent("e1", "102")));
  pipeline_->Hide(MakeJob(mango::kHideJob.name, Intent("e1", "102")),
                  Decoded(mango::kHideJob, Intent("e1", "102")));
  web::json::value finish = Intent("e1", "101", false);
  finish["status"] = web::json::value::string("486");
  finish["duration_s"] = web::json::value::number(0);
  pipeline_->Finish(MakeJob(mango::kFinishJob.name, finish), Decoded(mango::kFinishJob, finish));
  const auto state = crm_.FindCall(call_id);
  EXPECT_THAT(state->shown_to, ElementsAre("5", "6"));
  EXPECT_THAT(state->hidden_from, ElementsAre("6"));
  ASSERT_TRUE(state->finish);
  EXPECT_EQ(state->finish->status_code, "486");
  EXPECT_EQ(state->finish->user_id, "5");
  // Finished, the call is forgotten: a late step reads the (missing) row and is refused.
  EXPECT_EQ(CodeOf([&] {
              pipeline_->Show(MakeJob(mango::kShowJob.name, Intent("e1", "102")),
                              Decoded(mango::kShowJob, Intent("e1", "102")));
            }),
            "INTERNAL");
}

TEST_F(CallPipelineTest, AnotherProcessesRegisteredCallIsReadFromItsRow) {
  Link("101", "5");
  Link("102", "6");
  StoreCall("e1");
  Register("e1", "101");
  mango::CallPipeline other(*db_, crm_, *mango_, *employees_, clock_);
  web::json::value finish = Intent("e1", "102", false);
  finish["status"] = web::json::value::string("200");
  finish["duration_s"] = web::json::value::number(31);
  other.Show(MakeJob(mango::kShowJob.name, Intent("e1", "102")),
             Decoded(mango::kShowJob, Intent("e1", "102")));
  other.Finish(MakeJob(mango::kFinishJob.name, finish), Decoded(mango::kFinishJob, finish));
  const auto state = crm_.FindCall(Stored("e1").crm_call_id);
  EXPECT_THAT(state->shown_to, ElementsAre("5", "6"));
  ASSERT_TRUE(state->finish);
  EXPECT_EQ(state->finish->duration_s, 31);
  EXPECT_EQ(state->finish->user_id, "6");
}

TEST_F(CallPipelineTest, ARememberedCallOfATenantWhosePortalIsGoneGetsNothing) {
  Link("101", "5");
  StoreCall("e1");
  Register("e1", "101");
  crm_.ClearCalls();
  storage::InTransaction(*db_, [&](storage::Session& s) {
    B24Portal p = *storage::B24PortalRepository::Find(s, kTenant);
    p.state = "uninstalled";
    storage::B24PortalRepository::Upsert(s, p);
  });
  EXPECT_EQ(CodeOf([&] {
              pipeline_->Show(MakeJob(mango::kShowJob.name, Intent("e1", "101")),
                              Decoded(mango::kShowJob, Intent("e1", "101")));
            }),
            "NOT_FOUND");
  EXPECT_TRUE(crm_.calls().empty());
}

TEST_F(CallPipelineTest, AFinishRepeatedAfterALostAnswerIsDoneButAFirstNotFoundIsNot) {
  Link("101", "5");
  calls::Call call = StoreCall("e1");
  Register("e1", "101");
  call.finished = true;
  call.outcome = calls::Outcome{false, 0, "304", false, false, 0};
  Save(call);
  crm_.Fail("FinishCall", DeadlineExceeded("finish: outcome unknown, not resent"), 1, true);
  EXPECT_EQ(CodeOf([&] {
              pipeline_->Finish(MakeJob(mango::kFinishJob.name, Intent("e1", "101")),
                                Decoded(mango::kFinishJob, Intent("e1", "101")));
            }),
            "DEADLINE_EXCEEDED");
  // The rerun is answered "not found": the first one did it.
  EXPECT_EQ(CodeOf([&] {
              pipeline_->Finish(MakeJob(mango::kFinishJob.name, Intent("e1", "101"), 2),
                                Decoded(mango::kFinishJob, Intent("e1", "101")));
            }),
            "ok");
  EXPECT_EQ(crm_.Count("FinishCall"), 2);
  // A first attempt answered "not found" is a real failure.
  EXPECT_EQ(CodeOf([&] {
              pipeline_->Finish(MakeJob(mango::kFinishJob.name, Intent("e1", "101")),
                                Decoded(mango::kFinishJob, Intent("e1", "101")));
            }),
            "NOT_FOUND");
}

TEST_F(CallPipelineTest, ATenantWhosePortalIsGoneGetsNothingAndDeadLetters) {
  storage::InTransaction(*db_, [&](storage::Session& s) {
    B24Portal p = *storage::B24PortalRepository::Find(s, kTenant);
    p.state = "uninstalled";
    storage::B24PortalRepository::Upsert(s, p);
  });
  StoreCall("e1");
  EXPECT_EQ(CodeOf([&] { Register("e1", "101"); }), "NOT_FOUND");
  EXPECT_TRUE(crm_.calls().empty());
}

TEST_F(CallPipelineTest, ACallbackRegisteredByTheCrmIsAdoptedAndItsCardShownToWhoeverRings) {
  Link("101", "5");
  // The CRM holds both calls already: the form's (registered by the callback request) and the
  // click-to-call's (registered by the portal itself).
  auto crm_call = [&](const std::string& key, adapters::CallType type) {
    adapters::CallRegistration r;
    r.user_id = "1";
    r.phone = "79001234567";
    r.type = type;
    r.external_id = key;
    return crm_.RegisterCall(kTenant, r).call_id;
  };
  const std::string form_call = crm_call("cbr-1", adapters::CallType::kCallback);
  const std::string click_call = crm_call("portal-1", adapters::CallType::kOutgoing);
  crm_.ClearCalls();
  storage::InTransaction(*db_, [&](storage::Session& s) {
    storage::SentCommandRepository::Insert(
        s, {kTenant, "cbr-1", "crm_callback", form_call, "1", 0, clock_.NowMs()});
    storage::SentCommandRepository::Insert(
        s, {kTenant, "c2c-1", "callback", click_call, "5", 0, clock_.NowMs()});
  });
  calls::Call form = StoreCall("e1");
  form.command_id = "cbr-1";
  Save(form);
  calls::Call click = StoreCall("e2");
  click.command_id = "c2c-1";
  Save(click);

  Register("e1", "101");
  Register("e2", "101");

  // Never registered twice; only the form's call needs the card (click-to-call shows it itself).
  ASSERT_EQ(crm_.calls().size(), 1u);
  EXPECT_EQ(crm_.calls()[0].method, "ShowCall");
  EXPECT_EQ(crm_.calls()[0].Arg("call_id"), form_call);
  EXPECT_THAT(crm_.FindCall(form_call)->shown_to, ElementsAre("5"));
  EXPECT_TRUE(crm_.FindCall(click_call)->shown_to.empty());
  EXPECT_EQ(Stored("e1").crm_call_id, form_call);
  EXPECT_EQ(Stored("e2").crm_call_id, click_call);
}

TEST_F(CallPipelineTest, ARecordingWaitsUntilTheCallIsFinishedInTheCrm) {
  Link("101", "5");
  StoreCall("e1");
  Register("e1", "101");
  crm_.ClearCalls();
  web::json::value payload = web::json::value::object();
  payload["entry_id"] = web::json::value::string("e1");
  payload["recording_id"] = web::json::value::string("rec-1");
  EXPECT_EQ(CodeOf([&] {
              pipeline_->AttachRecord(MakeJob(mango::kRecordJob.name, payload),
                                      Decoded(mango::kRecordJob, payload));
            }),
            "UNAVAILABLE");
  EXPECT_TRUE(crm_.calls().empty()) << "nothing is fetched or attached before the finish";
}

}  // namespace
}  // namespace opdesk::testing
