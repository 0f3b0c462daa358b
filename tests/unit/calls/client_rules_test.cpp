// Seed 004's client rules in the client creator, against the in-memory CRM: repeated calls from a
// known client (B3: never, always, if_none_open; one deal per call under reruns), the deal
// pipelines of answered and missed calls (B4), the line as source on or off (B6), the phone format
// of created clients, and the answering employee as creator and responsible.
#include <gmock/gmock.h>

#include "connector/calls/call_jobs.h"
#include "connector/calls/client_creator.h"
#include "connector/storage/call_client_repositories.h"
#include "tests/unit/calls/calls_fixture.h"

namespace opdesk::testing {
namespace {

using ::testing::ElementsAre;

class ClientRulesTest : public CallsTest {
 protected:
  void SetUp() override {
    CallsTest::SetUp();
    creator_ = std::make_unique<mango::ClientCreator>(*db_, crm_, *employees_, clock_);
    Link("101", "5");
  }

  void Run(const std::string& entry_id, const std::string& action,
           const std::string& repeated = "") {
    web::json::value payload = web::json::value::object();
    payload["entry_id"] = web::json::value::string(entry_id);
    payload["extension"] = web::json::value::string("101");
    payload["action"] = web::json::value::string(action);
    if (!repeated.empty()) {
      payload["repeated_deal"] = web::json::value::string(repeated);
    }
    creator_->Run(MakeJob(mango::kCreateClientJob.name, payload),
                  Decoded(mango::kCreateClientJob, payload));
  }

  calls::Call StoreMissedCall(const std::string& entry_id) {
    calls::Call call = StoreCall(entry_id);
    calls::Outcome missed;
    missed.status_code = "304";
    call.outcome = missed;
    call.finished = true;
    Save(call);
    return call;
  }

  CallClient Record(const std::string& entry_id) {
    std::optional<CallClient> c;
    storage::WithSession(*db_, [&](storage::Session& s) {
      c = storage::CallClientRepository::Find(s, kTenant, entry_id);
    });
    return c.value_or(CallClient{});
  }

  std::unique_ptr<mango::ClientCreator> creator_;
};

TEST_F(ClientRulesTest, NeverRecordsTheCallOnTheKnownClientOnly) {
  crm_.SeedClient("contact", "+79001234567");
  StoreCall("e1");
  Run("e1", "client", "never");
  EXPECT_THAT(crm_.methods(), ElementsAre("FindClientByPhone"));
  EXPECT_EQ(Record("e1").outcome, "known");
  EXPECT_TRUE(crm_.records("deal").empty());
}

TEST_F(ClientRulesTest, AlwaysAddsADealForEachCallBoundToTheClient) {
  IntegrationSettings settings;
  settings.deal_category_id = "3";
  settings.deal_stage_id = "C3:NEW";
  SaveSettings(settings);
  const std::string contact = crm_.SeedClient("contact", "+79001234567");
  crm_.SeedDeal({"contact", contact}, "3", "C3:NEW");  // open: "always" does not care
  StoreCall("e1");
  StoreCall("e2");
  Run("e1", "none", "always");
  Run("e2", "none", "always");
  const auto deals = crm_.records("deal");
  ASSERT_EQ(deals.size(), 3u);
  EXPECT_EQ(deals[1].owner, "contact:" + contact);
  EXPECT_EQ(deals[1].pipeline, "3") << "B4: the answered calls' pipeline";
  EXPECT_EQ(deals[1].stage, "C3:NEW");
  EXPECT_EQ(deals[1].responsible, "5");
  EXPECT_EQ(deals[1].creator, "5");
  EXPECT_EQ(deals[1].origin, "mango:e1");
  EXPECT_THAT(deals[1].name, ::testing::StartsWith("Повторный звонок ("));
  EXPECT_EQ(Record("e1").outcome, "deal");
  EXPECT_EQ(Record("e1").deal_id, deals[1].id);
  EXPECT_EQ(Record("e1").known_entity, "CONTACT:" + contact);
}

TEST_F(ClientRulesTest, IfNoneOpenAddsADealOnlyWhenEveryDealIsInAFinalStage) {
  const std::string contact = crm_.SeedClient("contact", "+79001234567");
  crm_.SeedDeal({"contact", contact}, "7", "C7:WON", /*closed=*/true);
  StoreCall("e1");
  Run("e1", "none", "if_none_open");
  EXPECT_EQ(Record("e1").outcome, "deal") << "a won deal is closed";
  ASSERT_EQ(crm_.records("deal").size(), 2u);
  const FakeCrm::Call open_check = crm_.calls()[1];
  EXPECT_EQ(open_check.method, "OpenDeals");
  EXPECT_EQ(open_check.Arg("pipeline"), "") << "open in any pipeline";

  StoreCall("e2");
  Run("e2", "none", "if_none_open");
  EXPECT_EQ(Record("e2").outcome, "open_deal") << "the deal of e1 is open now";
  EXPECT_EQ(crm_.records("deal").size(), 2u);
}

TEST_F(ClientRulesTest, ACompanyGetsItsDealAndALeadNone) {
  const std::string company = crm_.SeedClient("company", "+79001234567");
  StoreCall("e1");
  Run("e1", "none", "always");
  ASSERT_EQ(crm_.records("deal").size(), 1u);
  EXPECT_EQ(crm_.records("deal")[0].owner, "company:" + company);
  crm_.SeedClient("lead", "+79005556677");
  StoreCall("e2", "79005556677");
  Run("e2", "none", "always");
  EXPECT_EQ(Record("e2").outcome, "known") << "a lead carries no deals";
  EXPECT_EQ(crm_.records("deal").size(), 1u);
}

TEST_F(ClientRulesTest, ARepeatedDealIsAddedOnceUnderRerunsAndLostAnswers) {
  crm_.SeedClient("contact", "+79001234567");
  StoreCall("e1");
  crm_.Fail("CreateClient", Unavailable("outcome unknown: timeout"), 1, /*after=*/true);
  EXPECT_EQ(CodeOf([&] { Run("e1", "none", "always"); }), "UNAVAILABLE");
  EXPECT_EQ(crm_.records("deal").size(), 1u) << "the CRM added it, the answer was lost";
  EXPECT_EQ(Record("e1").state, "sending");
  Run("e1", "none", "always");  // the rerun finds it by its mark
  EXPECT_EQ(crm_.records("deal").size(), 1u);
  EXPECT_EQ(Record("e1").outcome, "deal");
  Run("e1", "none", "always");  // a repeated event
  EXPECT_EQ(crm_.records("deal").size(), 1u);
  EXPECT_EQ(crm_.Count("CreateClient"), 1);
}

TEST_F(ClientRulesTest, ANewNumberWithOnlyB3GetsNothing) {
  StoreCall("e1");
  Run("e1", "none", "always");
  EXPECT_EQ(Record("e1").outcome, "new_number");
  EXPECT_EQ(crm_.Count("CreateClient"), 0);
}

TEST_F(ClientRulesTest, AnsweredAndMissedCallsHaveTheirOwnPipelines) {
  IntegrationSettings settings;
  settings.deal_category_id = "3";
  settings.deal_stage_id = "C3:NEW";
  settings.missed_deal_category_id = "4";
  settings.missed_deal_stage_id = "C4:MISSED";
  SaveSettings(settings);
  StoreCall("answered", "79001111111");
  StoreMissedCall("missed");
  Run("answered", "client_and_deal");
  Run("missed", "client_and_deal");
  const auto deals = crm_.records("deal");
  ASSERT_EQ(deals.size(), 2u);
  EXPECT_EQ(deals[0].pipeline, "3");
  EXPECT_EQ(deals[0].stage, "C3:NEW");
  EXPECT_EQ(deals[1].pipeline, "4");
  EXPECT_EQ(deals[1].stage, "C4:MISSED");
}

TEST_F(ClientRulesTest, ThePhoneOfACreatedClientFollowsTheTenantsFormat) {
  IntegrationSettings settings;
  settings.client_phone_format = PhoneFormat::kInternational;
  SaveSettings(settings);
  StoreCall("e1");
  Run("e1", "client");
  EXPECT_EQ(crm_.records("contact")[0].phone, "+7 900 123-45-67");
  settings.client_phone_format = PhoneFormat::kNational8;
  SaveSettings(settings);
  StoreCall("e2", "79005556677");
  Run("e2", "client");
  EXPECT_EQ(crm_.records("contact")[1].phone, "89005556677");
  StoreCall("e3", "441234567890");
  Run("e3", "client");
  EXPECT_EQ(crm_.records("contact")[2].phone, "+441234567890") << "not a Russian number";
  EXPECT_EQ(Record("e2").phone, "+79005556677") << "the key stays normalised";
}

TEST_F(ClientRulesTest, LineAsSourceOffWritesNoLineAtAll) {
  IntegrationSettings settings;
  settings.crm_source_by_line = {{"74950000000", "WEB"}};
  settings.line_number_field = "UF_CRM_MANGO_LINE";
  settings.line_as_source = false;
  SaveSettings(settings);
  StoreCall("e1");
  Run("e1", "client");
  const FakeCrm::Call add = crm_.calls().back();
  EXPECT_EQ(add.Arg("source"), "CALL");
  EXPECT_EQ(add.Arg("line_field"), "");
  EXPECT_EQ(add.Arg("line"), "");
  EXPECT_EQ(crm_.records("contact")[0].line, "");
}

TEST_F(ClientRulesTest, LineAsSourceOnWritesTheSourceAndTheFilterableField) {
  IntegrationSettings settings;
  settings.crm_source_by_line = {{"74950000000", "WEB"}};
  settings.line_number_field = "UF_CRM_MANGO_LINE";
  SaveSettings(settings);
  StoreCall("e1");
  Run("e1", "lead");
  const auto lead = crm_.records("lead")[0];
  EXPECT_EQ(lead.source_id, "WEB");
  EXPECT_EQ(lead.line_field, "UF_CRM_MANGO_LINE");
  EXPECT_EQ(lead.line, "74950000000");
}

TEST_F(ClientRulesTest, TheAnsweringEmployeeIsCreatorAndResponsible) {
  StoreCall("e1");
  Run("e1", "client");
  EXPECT_EQ(crm_.records("contact")[0].creator, "5");
  EXPECT_EQ(crm_.records("contact")[0].responsible, "5");
  // An unmapped employee: the default user is responsible and the integration creates.
  StoreCall("e2", "79005556677");
  web::json::value payload = web::json::value::object();
  payload["entry_id"] = web::json::value::string("e2");
  payload["extension"] = web::json::value::string("199");
  payload["action"] = web::json::value::string("client");
  creator_->Run(MakeJob(mango::kCreateClientJob.name, payload),
                Decoded(mango::kCreateClientJob, payload));
  EXPECT_EQ(crm_.records("contact")[1].creator, "");
  EXPECT_EQ(crm_.records("contact")[1].responsible, "1") << "the installer";
}

}  // namespace
}  // namespace opdesk::testing
