// Click-to-call and callback requests from CRM forms against the in-memory CRM. No VPBX is
// connected, so every command is refused the way Mango's refusals are handled: the CRM call is
// finished once with the reason and the command is never sent again.
#include "connector/calls/click_to_call.h"

#include <gmock/gmock.h>

#include "connector/calls/call_jobs.h"
#include "tests/unit/calls/calls_fixture.h"

namespace opdesk::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using web::json::value;

class ClickToCallTest : public CallsTest {
 protected:
  void SetUp() override {
    CallsTest::SetUp();
    callbacks_ = std::make_unique<mango::CrmCallbacks>(*db_, crm_, *mango_, *employees_, clock_);
    click_ =
        std::make_unique<mango::ClickToCall>(*db_, crm_, *mango_, *employees_, *callbacks_, clock_);
  }

  // A call the portal registered itself before asking us to dial.
  std::string PortalCall() {
    adapters::CallRegistration r;
    r.user_id = "5";
    r.phone = "79001234567";
    r.type = adapters::CallType::kOutgoing;
    r.external_id = "portal-" + std::to_string(++portal_calls_);
    const std::string id = crm_.RegisterCall(kTenant, r).call_id;
    crm_.ClearCalls();
    return id;
  }

  // As the worker pool runs a queued portal event: the payload through its kind's codec.
  void RunPortalEvent(const jobs::Job& job) {
    click_->HandlePortalEvent(job, mango::kPortalEventJob.decode(job.payload));
  }

  jobs::Job Event(const std::string& event, value data) {
    value payload = value::object();
    payload["event"] = value::string(event);
    payload["data"] = std::move(data);
    return MakeJob(mango::kPortalEventJob.name, payload);
  }

  jobs::Job ClickEvent(const std::string& call_id, const std::string& user,
                       const std::string& phone) {
    value data = value::object();
    data["CALL_ID"] = value::string(call_id);
    data["USER_ID"] = value::string(user);
    data["PHONE_NUMBER"] = value::string(phone);
    return Event("ONEXTERNALCALLSTART", data);
  }

  std::optional<SentCommand> Command(const std::string& command_id) {
    std::optional<SentCommand> c;
    storage::WithSession(*db_, [&](storage::Session& s) {
      c = storage::SentCommandRepository::Find(s, kTenant, command_id);
    });
    return c;
  }

  std::unique_ptr<mango::CrmCallbacks> callbacks_;
  std::unique_ptr<mango::ClickToCall> click_;
  int portal_calls_ = 0;
};

TEST_F(ClickToCallTest, ANumberWithoutDigitsIsFinishedAsNotFound) {
  const std::string call_id = PortalCall();
  RunPortalEvent(ClickEvent(call_id, "5", "anonymous"));
  EXPECT_THAT(crm_.methods(), ElementsAre("FinishCall"));
  const auto finish = crm_.FindCall(call_id)->finish;
  ASSERT_TRUE(finish);
  EXPECT_EQ(finish->status_code, "404");
  EXPECT_EQ(finish->duration_s, 0);
  EXPECT_EQ(finish->user_id, "5");
  EXPECT_EQ(finish->failed_reason, "the number has no digits");
}

TEST_F(ClickToCallTest, AUserWithoutAnExtensionIsToldSoInTheCrm) {
  crm_.SeedUser({"5", "Олег", "", true, ""});
  const std::string call_id = PortalCall();
  RunPortalEvent(ClickEvent(call_id, "5", "+7 900 123-45-67"));
  EXPECT_THAT(crm_.methods(), ElementsAre("UserExtension", "FinishCall"));
  EXPECT_EQ(crm_.FindCall(call_id)->finish->status_code, "403");
}

TEST_F(ClickToCallTest, ACommandThePbxRefusesFinishesTheCallOnceAndIsNeverResent) {
  crm_.SeedUser({"5", "Олег", "", true, "105"});
  const std::string call_id = PortalCall();
  const jobs::Job job = ClickEvent(call_id, "5", "+7 900 123-45-67");
  RunPortalEvent(job);
  RunPortalEvent(job);  // the job's rerun

  EXPECT_THAT(crm_.methods(), ElementsAre("UserExtension", "FinishCall"))
      << "the extension is remembered in the map; the refused command is not sent again";
  const auto finish = crm_.FindCall(call_id)->finish;
  EXPECT_EQ(finish->status_code, "OTHER");
  EXPECT_THAT(finish->failed_reason, HasSubstr("the PBX did not take the call"));
  storage::WithSession(*db_, [&](storage::Session& s) {
    EXPECT_EQ(storage::EmployeeMapRepository::FindByUser(s, kTenant, "5")->extension, "105");
  });
}

TEST_F(ClickToCallTest, AFailedCommandResultFinishesTheCallOnce) {
  const std::string call_id = PortalCall();
  storage::InTransaction(*db_, [&](storage::Session& s) {
    storage::SentCommandRepository::Insert(
        s, {kTenant, "c2c-1", "callback", call_id, "5", 0, clock_.NowMs()});
    storage::SentCommandRepository::Insert(
        s, {kTenant, "c2c-2", "callback", "CALL-OK", "5", 0, clock_.NowMs()});
  });
  auto result = [&](const std::string& command_id, int code) {
    value payload = value::object();
    payload["command_id"] = value::string(command_id);
    payload["result"] = value::number(code);
    click_->HandleCommandResult(MakeJob(mango::kCommandResultJob.name, payload),
                                Decoded(mango::kCommandResultJob, payload));
  };
  result("c2c-1", 3200);
  result("c2c-1", 3200);  // a redelivery
  result("c2c-2", 1000);  // a success needs nothing
  result("unknown", 3200);

  EXPECT_THAT(crm_.methods(), ElementsAre("FinishCall"));
  const auto finish = crm_.FindCall(call_id)->finish;
  EXPECT_EQ(finish->status_code, "404");
  EXPECT_THAT(finish->failed_reason, HasSubstr("Mango result 3200"));
  EXPECT_EQ(Command("c2c-1")->result, 3200);
}

TEST_F(ClickToCallTest, ACallbackRequestWithoutTheSettingIsADeadLetterThatTouchesNoCrm) {
  value data = value::object();
  data["PHONE_NUMBER"] = value::string("+7 900 123-45-67");
  const jobs::Job job = Event("ONEXTERNALCALLBACKSTART", data);
  EXPECT_EQ(CodeOf([&] { RunPortalEvent(job); }), "INVALID_ARGUMENT");
  EXPECT_TRUE(crm_.calls().empty());
  std::vector<AuditEntry> audit;
  storage::WithSession(*db_, [&](storage::Session& s) {
    audit = storage::AuditLogRepository::List(s, kTenant, 10);
  });
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "crm_callback.not_configured");
}

TEST_F(ClickToCallTest, ACallbackRequestIsRegisteredOnTheFormsRecordForTheEmployee) {
  IntegrationSettings settings;
  settings.callback_extension = "101";
  SaveSettings(settings);
  Link("101", "5");
  value data = value::object();
  data["PHONE_NUMBER"] = value::string("+7 900 123-45-67");
  data["CRM_ENTITY_TYPE"] = value::string("CONTACT");
  data["CRM_ENTITY_ID"] = value::string("77");
  data["LINE_NUMBER"] = value::string("+7 495 000-00-00");
  const jobs::Job job = Event("ONEXTERNALCALLBACKSTART", data);
  RunPortalEvent(job);

  EXPECT_THAT(crm_.methods(), ElementsAre("AddLine", "RegisterCall", "FinishCall"));
  EXPECT_THAT(crm_.lines(), ElementsAre("74950000000"));
  const FakeCrm::Call reg = crm_.calls()[1];
  EXPECT_EQ(reg.Arg("type"), "callback");
  EXPECT_EQ(reg.Arg("user"), "5");
  EXPECT_EQ(reg.Arg("show"), "0") << "nobody's phone rings yet";
  EXPECT_EQ(reg.Arg("phone"), "79001234567");
  EXPECT_EQ(reg.Arg("record"), "contact:77");
  EXPECT_THAT(reg.Arg("external_id"), ::testing::StartsWith("cbr-"));
  // No VPBX took the command: the call is finished with the reason, the command marked.
  const std::string command_id = reg.Arg("external_id");
  const std::optional<SentCommand> sent = Command(command_id);
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->kind, "crm_callback");
  EXPECT_EQ(sent->result, -1);
  const auto finish = crm_.FindCall(sent->crm_call_id)->finish;
  EXPECT_THAT(finish->failed_reason, HasSubstr("the PBX did not take the callback"));

  RunPortalEvent(job);  // a rerun sends nothing
  EXPECT_EQ(crm_.calls().size(), 3u);
}

TEST_F(ClickToCallTest, AGroupCallbackBelongsToTheDefaultUserUntilSomeoneAnswers) {
  IntegrationSettings settings;
  settings.callback_group = "200";
  settings.callback_line_number = "74951111111";
  SaveSettings(settings);
  value data = value::object();
  data["PHONE_NUMBER"] = value::string("79001234567");
  data["CRM_ENTITY_TYPE"] = value::string("DEAL");  // not a client: the number decides
  data["CRM_ENTITY_ID"] = value::string("9");
  RunPortalEvent(Event("ONEXTERNALCALLBACKSTART", data));

  const FakeCrm::Call reg = crm_.calls()[1];
  EXPECT_EQ(reg.method, "RegisterCall");
  EXPECT_EQ(reg.Arg("user"), "1") << "the installer, as no catch-all user is set";
  EXPECT_EQ(reg.Arg("line"), "74951111111");
  EXPECT_EQ(reg.Arg("record"), "");
  EXPECT_EQ(Command(reg.Arg("external_id"))->kind, "crm_callback_group");
}

}  // namespace
}  // namespace opdesk::testing
