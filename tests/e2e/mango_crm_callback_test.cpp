// Callback requests from CRM forms (ONEXTERNALCALLBACKSTART), end to end: the portal asks,
// opdesk registers the call (TYPE 4, the form's line and entity) and has the VPBX ring the
// employee or group from the settings, then the client; the call Mango makes is finished on the
// registered CALL_ID, never registered again. Refusals finish it with the reason and are never
// resent; without a setting the request is refused visibly and can be retried.
#include "tests/e2e/mango_fixture.h"

namespace opdesk {
namespace {

using testing::P;
using web::json::value;
using namespace std::chrono_literals;

class MangoCrmCallbackTest : public testing::MangoFixture {
 protected:
  void CallbackRequest(const std::string& phone, const std::string& extra = "") {
    value sent = b24_->Control(
        "POST", "/_emu/portal/event",
        R"({"url":")" + opdesk_->url() +
            R"(/b24/events","event":"ONEXTERNALCALLBACKSTART","user_id":1,"data":{)"
            R"("PHONE_NUMBER":")" +
            phone + R"(","TEXT":"Перезвоните мне","VOICE":"ruinternalfemale")" + extra + "}}");
    ASSERT_EQ(sent.at("status").as_integer(), 200) << sent.serialize();
  }
  // The portal's record of the callback registered for a number (EXTERNAL_CALL_ID cbr-…).
  value CallbackCall(const std::string& phone) {
    const value state = b24_->Control("GET", "/_emu/state");
    for (const auto& call : state.at("calls").as_array()) {
      if (call.at("EXTERNAL_CALL_ID").as_string().rfind("cbr-", 0) == 0 &&
          P(call, "PHONE_NUMBER") == phone) {
        return call;
      }
    }
    return value::null();
  }
};

TEST_P(MangoCrmCallbackTest, CallbackRequestWithoutASettingIsRefusedVisiblyThenRetried) {
  CallbackRequest("79005550200");
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  EXPECT_EQ(Count("jobs WHERE kind = 'b24.event' AND state = 'dead' AND last_error LIKE"
                  " '%nobody is set to ring first%'"),
            1);
  EXPECT_EQ(Count("audit_log WHERE action = 'crm_callback.not_configured' AND after_json LIKE"
                  " '%79005550200%'"),
            1);
  EXPECT_TRUE(Commands("commands/callback").empty());
  EXPECT_TRUE(CallbackCall("79005550200").is_null()) << "nothing registered";

  SetIntegration(R"("callback_extension":"102")");
  long long job = 0;
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "SELECT id FROM jobs WHERE kind = 'b24.event' AND state = 'dead'", soci::into(job);
  });
  testing::RawResponse retried =
      opdesk_->Post("/api/admin/jobs/" + std::to_string(job) + "/retry", "",
                    {{"Authorization", std::string("Bearer ") + testing::kAdminToken}});
  ASSERT_EQ(retried.status, 200) << retried.body;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        const value call = CallbackCall("79005550200");
        return !call.is_null() && call.at("finished").as_bool();
      },
      30s))
      << opdesk_->Log();
  EXPECT_EQ(Commands("commands/callback").size(), 1u);
}

TEST_P(MangoCrmCallbackTest, CallbackRequestRingsTheEmployeeThenTheClientAndIsRegisteredOnce) {
  SetIntegration(R"("callback_extension":"102")");
  CallbackRequest(
      "79005550201",
      R"(,"CRM_ENTITY_TYPE":"CONTACT","CRM_ENTITY_ID":"1","LINE_NUMBER":"74951234567")");
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        const value call = CallbackCall("79005550201");
        return !call.is_null() && call.at("finished").as_bool();
      },
      30s))
      << opdesk_->Log();
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  const std::vector<value> sent = Commands("commands/callback");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].at("json").at("from").at("extension").as_string(), "102");
  EXPECT_EQ(sent[0].at("json").at("to_number").as_string(), "79005550201");
  EXPECT_EQ(sent[0].at("json").at("line_number").as_string(), "74951234567");
  const value call = CallbackCall("79005550201");
  EXPECT_EQ(P(call.at("params"), "TYPE"), "4");
  EXPECT_EQ(P(call.at("params"), "CRM_ENTITY_TYPE"), "CONTACT");
  EXPECT_EQ(P(call.at("params"), "CRM_ENTITY_ID"), "1");
  EXPECT_EQ(P(call.at("params"), "LINE_NUMBER"), "74951234567");
  EXPECT_EQ(P(call.at("params"), "USER_ID"), "2");
  EXPECT_EQ(P(call.at("params"), "EXTERNAL_CALL_ID"),
            sent[0].at("json").at("command_id").as_string());
  EXPECT_EQ(P(call.at("finish_params"), "STATUS_CODE"), "200");
  EXPECT_EQ(P(call.at("finish_params"), "USER_ID"), "2");
  EXPECT_EQ(Requests("telephony.externalcall.register").size(), 1u)
      << "the call Mango made is finished on the callback's CALL_ID, never registered again";
  EXPECT_EQ(Requests("telephony.externalcall.show").size(), 1u) << "102's phone rang: the card";
}

TEST_P(MangoCrmCallbackTest, GroupCallbackRingsTheGroupAndTheOneWhoAnswersGetsTheCall) {
  SetIntegration(R"("callback_group":"500","callback_line_number":"74951234567")");
  CallbackRequest("79005550202", R"(,"CRM_ENTITY_TYPE":"CONTACT","CRM_ENTITY_ID":"1")");
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        const value call = CallbackCall("79005550202");
        return !call.is_null() && call.at("finished").as_bool();
      },
      30s))
      << opdesk_->Log();
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  const std::vector<value> sent = Commands("commands/callback_group");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].at("json").at("from").as_string(), "500");
  EXPECT_EQ(sent[0].at("json").at("to").as_string(), "79005550202");
  EXPECT_EQ(sent[0].at("json").at("line_number").as_string(), "74951234567");
  const value call = CallbackCall("79005550202");
  EXPECT_EQ(P(call.at("params"), "TYPE"), "4");
  EXPECT_EQ(P(call.at("params"), "USER_ID"), "1") << "nobody in the group has it yet";
  EXPECT_EQ(P(call.at("params"), "SHOW"), "0");
  EXPECT_EQ(P(call.at("finish_params"), "USER_ID"), "3") << "103 answered";
  EXPECT_EQ(P(call.at("finish_params"), "STATUS_CODE"), "200");
  EXPECT_EQ(Requests("telephony.externalcall.register").size(), 1u);
  std::vector<std::string> shown, hidden;
  for (const value& r : Requests("telephony.externalcall.show")) {
    shown.push_back(P(r.at("params"), "USER_ID"));
  }
  for (const value& r : Requests("telephony.externalcall.hide")) {
    hidden.push_back(P(r.at("params"), "USER_ID"));
  }
  EXPECT_EQ(shown, (std::vector<std::string>{"2", "3"})) << "both phones rang";
  EXPECT_EQ(hidden, (std::vector<std::string>{"2"})) << "103 answered";
}

TEST_P(MangoCrmCallbackTest, RefusedCallbacksAreFinishedWithTheReasonAndNeverResent) {
  SetIntegration(R"("callback_extension":"102")");
  pbx_->Control("POST", "/_emu/faults",
                R"({"path":"commands/callback","http_status":400,"code":3104,"count":1})");
  CallbackRequest("79005550203");
  // The one refusal is for that first command: the second request waits until it was sent (the
  // two requests' jobs would otherwise race for the fault).
  ASSERT_TRUE(testing::WaitFor([&] { return Commands("commands/callback").size() == 1; }, 30s))
      << opdesk_->Log();
  // Accepted by Mango, but it cannot call that number: result/callback 3200.
  CallbackRequest("0000");
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        const value a = CallbackCall("79005550203");
        const value b = CallbackCall("0000");
        return !a.is_null() && a.at("finished").as_bool() && !b.is_null() &&
               b.at("finished").as_bool();
      },
      30s))
      << opdesk_->Log();
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  const value refused = CallbackCall("79005550203");
  EXPECT_NE(P(refused.at("finish_params"), "FAILED_REASON").find("did not take the callback"),
            std::string::npos)
      << P(refused.at("finish_params"), "FAILED_REASON");
  EXPECT_NE(P(refused.at("finish_params"), "FAILED_REASON").find("3104"), std::string::npos);
  EXPECT_EQ(P(refused.at("finish_params"), "DURATION"), "0");
  const value failed = CallbackCall("0000");
  EXPECT_NE(P(failed.at("finish_params"), "FAILED_REASON").find("Mango result 3200"),
            std::string::npos);
  EXPECT_EQ(P(failed.at("finish_params"), "STATUS_CODE"), "404");
  EXPECT_EQ(Commands("commands/callback").size(), 2u) << "one each, the refused one not resent";
  EXPECT_EQ(Requests("telephony.externalcall.finish").size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, MangoCrmCallbackTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
