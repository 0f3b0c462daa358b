// Clients for new numbers against the in-memory CRM: a lead or a contact with a deal by the
// integration flags, nothing for a known number, and at most one creation per call under
// retries (a lost answer, a refused add, another call of the same number).
#include "connector/calls/client_creator.h"

#include <gmock/gmock.h>

#include "connector/calls/call_jobs.h"
#include "connector/storage/call_client_repositories.h"
#include "tests/unit/calls/calls_fixture.h"

namespace opdesk::testing {
namespace {

using ::testing::ElementsAre;

class ClientCreatorTest : public CallsTest {
 protected:
  void SetUp() override {
    CallsTest::SetUp();
    creator_ = std::make_unique<mango::ClientCreator>(*db_, crm_, *employees_, clock_);
    Link("101", "5");
  }

  void Run(const std::string& entry_id, const std::string& action) {
    web::json::value payload = web::json::value::object();
    payload["entry_id"] = web::json::value::string(entry_id);
    payload["extension"] = web::json::value::string("101");
    payload["action"] = web::json::value::string(action);
    creator_->Run(MakeJob(mango::kCreateClientJob.name, payload),
                  Decoded(mango::kCreateClientJob, payload));
  }

  CallClient Record(const std::string& entry_id) {
    std::optional<CallClient> c;
    storage::WithSession(*db_, [&](storage::Session& s) {
      c = storage::CallClientRepository::Find(s, kTenant, entry_id);
    });
    EXPECT_TRUE(c) << entry_id;
    return c.value_or(CallClient{});
  }

  std::unique_ptr<mango::ClientCreator> creator_;
};

TEST_F(ClientCreatorTest, ANewNumberGetsALeadMarkedWithTheCall) {
  StoreCall("e1");
  Run("e1", "lead");

  EXPECT_THAT(crm_.methods(), ElementsAre("FindClientByPhone", "CreateClient"));
  const FakeCrm::Call add = crm_.calls()[1];
  EXPECT_EQ(add.Arg("lead"), "1");
  EXPECT_EQ(add.Arg("contact"), "0");
  EXPECT_EQ(add.Arg("deal"), "0");
  EXPECT_EQ(add.Arg("origin"), "mango:e1") << "the idempotency mark";
  EXPECT_EQ(add.Arg("phone"), "+79001234567");
  EXPECT_EQ(add.Arg("source"), "CALL");
  EXPECT_EQ(add.Arg("responsible"), "5");
  EXPECT_THAT(add.Arg("name"), ::testing::StartsWith("Новый ("));
  const CallClient record = Record("e1");
  EXPECT_EQ(record.state, "done");
  EXPECT_EQ(record.outcome, "created");
  ASSERT_EQ(crm_.records("lead").size(), 1u);
  EXPECT_EQ(record.lead_id, crm_.records("lead")[0].id);
  EXPECT_TRUE(crm_.records("contact").empty());
}

TEST_F(ClientCreatorTest, AContactAndADealGoToThePipelineAndSourceOfTheSettings) {
  IntegrationSettings settings;
  settings.deal_category_id = "3";
  settings.deal_stage_id = "C3:NEW";
  settings.crm_source_by_line = {{"74950000000", "WEB"}};
  SaveSettings(settings);
  StoreCall("e1");
  Run("e1", "client_and_deal");

  const FakeCrm::Call add = crm_.calls().back();
  EXPECT_EQ(add.method, "CreateClient");
  EXPECT_EQ(add.Arg("contact"), "1");
  EXPECT_EQ(add.Arg("deal"), "1");
  EXPECT_EQ(add.Arg("pipeline"), "3");
  EXPECT_EQ(add.Arg("stage"), "C3:NEW");
  EXPECT_EQ(add.Arg("source"), "WEB");
  const CallClient record = Record("e1");
  ASSERT_EQ(crm_.records("deal").size(), 1u);
  EXPECT_EQ(crm_.records("deal")[0].owner, "contact:" + record.contact_id);
  EXPECT_EQ(record.deal_id, crm_.records("deal")[0].id);
}

TEST_F(ClientCreatorTest, AKnownNumberAddsNothing) {
  const std::string company = crm_.SeedClient("company", "+7 (900) 123-45-67", "ООО Ромашка");
  StoreCall("e1");
  Run("e1", "client");
  EXPECT_THAT(crm_.methods(), ElementsAre("FindClientByPhone"));
  EXPECT_EQ(crm_.calls()[0].Arg("phone"), "+79001234567");
  const CallClient record = Record("e1");
  EXPECT_EQ(record.state, "done");
  EXPECT_EQ(record.outcome, "known");
  EXPECT_EQ(record.known_entity, "COMPANY:" + company);
  EXPECT_TRUE(crm_.records("contact").empty());
}

TEST_F(ClientCreatorTest, ANumberRegisterBoundNeedsNoRequestAtAll) {
  StoreCall("e1");
  storage::InTransaction(*db_, [&](storage::Session& s) {
    storage::CallRepository::SetCrmCallId(s, kTenant, "e1", "CALL-1", clock_.NowMs(), "LEAD:4");
  });
  Run("e1", "lead");
  EXPECT_TRUE(crm_.calls().empty());
  EXPECT_EQ(Record("e1").known_entity, "LEAD:4");
}

TEST_F(ClientCreatorTest, ARerunAfterALostAnswerFindsWhatWasAddedAndAddsNothingTwice) {
  StoreCall("e1");
  crm_.Fail("CreateClient", DeadlineExceeded("batch: outcome unknown, not resent"), 1, true);
  EXPECT_EQ(CodeOf([&] { Run("e1", "client_and_deal"); }), "DEADLINE_EXCEEDED");
  EXPECT_EQ(Record("e1").state, "sending");

  Run("e1", "client_and_deal");
  EXPECT_THAT(crm_.methods(),
              ElementsAre("FindClientByPhone", "CreateClient", "FindCreatedClient"));
  EXPECT_EQ(crm_.calls()[2].Arg("origin"), "mango:e1");
  EXPECT_EQ(crm_.records("contact").size(), 1u);
  EXPECT_EQ(crm_.records("deal").size(), 1u);
  const CallClient record = Record("e1");
  EXPECT_EQ(record.outcome, "created");
  EXPECT_EQ(record.contact_id, crm_.records("contact")[0].id);
  EXPECT_EQ(record.deal_id, crm_.records("deal")[0].id);
}

TEST_F(ClientCreatorTest, ARefusedDealKeepsTheContactAndARetryAddsOnlyTheDeal) {
  StoreCall("e1");
  crm_.RefuseAdd("deal", InvalidArgument("crm.deal.add: the pipeline is gone"));
  EXPECT_EQ(CodeOf([&] { Run("e1", "client_and_deal"); }), "INVALID_ARGUMENT");
  CallClient record = Record("e1");
  EXPECT_FALSE(record.contact_id.empty());
  EXPECT_TRUE(record.deal_id.empty());

  Run("e1", "client_and_deal");  // the operator retries the dead job after fixing the settings
  const FakeCrm::Call add = crm_.calls().back();
  EXPECT_EQ(add.method, "CreateClient");
  EXPECT_EQ(add.Arg("contact"), "0");
  EXPECT_EQ(add.Arg("deal"), "1");
  EXPECT_EQ(add.Arg("deal_contact"), record.contact_id);
  EXPECT_EQ(crm_.records("contact").size(), 1u);
  record = Record("e1");
  EXPECT_EQ(record.outcome, "created");
  EXPECT_FALSE(record.deal_id.empty());
}

TEST_F(ClientCreatorTest, ARateLimitedAddIsRetriedNotDeadLettered) {
  StoreCall("e1");
  crm_.RefuseAdd("lead", Unavailable("QUERY_LIMIT_EXCEEDED"));
  EXPECT_EQ(CodeOf([&] { Run("e1", "lead"); }), "UNAVAILABLE");
  EXPECT_TRUE(crm_.records("lead").empty());
}

TEST_F(ClientCreatorTest, AnotherCallCreatingTheNumbersClientMakesThisOneWait) {
  StoreCall("e1");
  storage::InTransaction(*db_, [&](storage::Session& s) {
    storage::ClientLockRepository::Acquire(s, kTenant, "+79001234567", "e0", clock_.NowMs(),
                                           600'000);
  });
  EXPECT_THROW(Run("e1", "lead"), jobs::NotYet);
  EXPECT_TRUE(crm_.calls().empty());
}

TEST_F(ClientCreatorTest, AHiddenNumberIsSkippedAndADoneRecordIsNeverRedone) {
  StoreCall("e1", "sip:anonymous");
  Run("e1", "lead");
  EXPECT_EQ(Record("e1").outcome, "skipped");
  StoreCall("e2");
  Run("e2", "lead");
  Run("e2", "lead");
  EXPECT_EQ(crm_.Count("CreateClient"), 1);
  EXPECT_EQ(crm_.records("lead").size(), 1u);
}

}  // namespace
}  // namespace opdesk::testing
