// Routing to the responsible and seed 004's client rules end to end (FEATURES B3, B4, B5): the
// Mango emulator plays a call that waits in the greeting and follows a route command; the portal
// emulator answers who the number's responsible is (active, fired) and keeps deals with stage
// semantics. Faults: the portal failing the lookup leaves the call to the PBX scheme, still
// recorded. Also the `opdesk tenant integration` command.
#include "tests/e2e/mango_fixture.h"

namespace opdesk {
namespace {

using testing::HttpRequest;
using testing::P;
using testing::RawResponse;
using testing::RunCommand;
using testing::WaitFor;
using web::json::value;
using namespace std::chrono_literals;

class MangoRoutingTest : public testing::MangoFixture {
 protected:
  // A greeting of 4 s of real time (scenarios run 1000 times faster than life); without a route
  // the scheme rings group 500 (102 answers), a route rings its target at once.
  std::string PlayGreeting(const std::string& client) {
    return Play("inbound_waits_in_ivr", R"(,"client":")" + client + R"(","wait_ms":4000000)");
  }
  std::vector<value> Routes() { return Commands("commands/route"); }
  std::string Json(const value& command, const char* key) {
    return P(value::parse(P(command, "json")), key);
  }
  int Cli(const std::vector<std::string>& args, std::string* out) {
    std::vector<std::string> argv = {OPDESK_BINARY, "tenant", "integration", "--tenant",
                                     b24_->member_id()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, opdesk_->env(), opdesk_->dir(), out);
  }
};

TEST_P(MangoRoutingTest, AKnownCallerIsRoutedToTheResponsibleWhileTheGreetingPlays) {
  SetIntegration(R"("route_to_responsible":true)");
  // The seeded contact (+79001234567) belongs to user 3, extension 103.
  const std::string entry = PlayGreeting("79001234567");
  const std::vector<value> routes = Routes();
  ASSERT_EQ(routes.size(), 1u) << opdesk_->Log();
  EXPECT_EQ(Json(routes[0], "to_number"), "103");
  EXPECT_FALSE(Json(routes[0], "call_id").empty());
  // The routed leg rang 103: registered, shown and finished for the responsible.
  const value call = PortalCall(entry);
  ASSERT_FALSE(call.is_null());
  EXPECT_EQ(P(call.at("params"), "USER_ID"), "3");
  EXPECT_EQ(P(call.at("finish_params"), "USER_ID"), "3");
  EXPECT_EQ(Count("jobs WHERE kind = 'call.route' AND state = 'done' AND priority = 1"), 1);
  const RawResponse metrics = HttpRequest(opdesk_->port(), "GET", "/metrics", "", {});
  EXPECT_NE(metrics.body.find("opdesk_routes_total{outcome=\"sent\"} 1"), std::string::npos)
      << metrics.body;
}

TEST_P(MangoRoutingTest, CallsAppearingTogetherAreRoutedOneEveryTwoSecondsOrDropped) {
  SetIntegration(R"("route_to_responsible":true,"route_greeting_seconds":3)");
  b24_->Control("POST", "/_emu/seed",
                R"({"contacts":[{"NAME":"Второй","ASSIGNED_BY_ID":"2",)"
                R"("PHONE":[{"VALUE":"+79005550020","VALUE_TYPE":"WORK"}]},)"
                R"({"NAME":"Третий","ASSIGNED_BY_ID":"1",)"
                R"("PHONE":[{"VALUE":"+79005550021","VALUE_TYPE":"WORK"}]}]})");
  const std::string extra = R"(","wait_ms":4000000)";
  const std::string a = Start("inbound_waits_in_ivr", R"(,"client":"79001234567)" + extra);
  const std::string b = Start("inbound_waits_in_ivr", R"(,"client":"79005550020)" + extra);
  const std::string c = Start("inbound_waits_in_ivr", R"(,"client":"79005550021)" + extra);
  for (const std::string& entry : {a, b, c}) {
    WaitPlayed(entry);
  }
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  const std::vector<value> routes = Routes();
  ASSERT_EQ(routes.size(), 2u) << "a 3 s greeting holds two routes 2.1 s apart, not three";
  const long long gap =
      routes[1].at("at_ms").as_number().to_int64() - routes[0].at("at_ms").as_number().to_int64();
  EXPECT_GE(gap, 2000) << "Mango's 1 route per 2 s per VPBX";
  const std::string metrics = HttpRequest(opdesk_->port(), "GET", "/metrics", "", {}).body;
  EXPECT_NE(metrics.find("opdesk_routes_total{outcome=\"sent\"} 2"), std::string::npos);
  EXPECT_NE(metrics.find("opdesk_routes_total{outcome=\"dropped\"} 1"), std::string::npos)
      << metrics;
  EXPECT_EQ(Count("jobs WHERE kind = 'call.route' AND priority = 1"), 3) << "the urgent lane";
}

TEST_P(MangoRoutingTest, ANewResponsibleIsRoutedToAtOnceAfterTheContactsChangeEvent) {
  SetIntegration(R"("route_to_responsible":true)");
  PlayGreeting("79001234567");
  ASSERT_EQ(Routes().size(), 1u) << opdesk_->Log();
  EXPECT_EQ(Json(Routes()[0], "to_number"), "103");

  // The contact is given to user 2 (extension 102) on the portal.
  const std::vector<value> contacts = Portal("contacts", "LAST_NAME", "Клиентов");
  ASSERT_EQ(contacts.size(), 1u);
  const std::string id = P(contacts[0], "ID");
  const std::string token = b24_->Control("POST", "/_emu/tokens/issue", R"({"user_id":1})")
                                .at("access_token")
                                .as_string();
  const RawResponse updated = b24_->Raw(
      "POST", "/rest/crm.contact.update",
      R"({"auth":")" + token + R"(","id":)" + id + R"(,"fields":{"ASSIGNED_BY_ID":"2"}})");
  ASSERT_EQ(updated.status, 200) << updated.body;

  // Its change event with a wrong token, or from a portal opdesk does not know, changes nothing:
  // the next call still goes where the cache says.
  const std::map<std::string, std::string> form = {
      {"Content-Type", "application/x-www-form-urlencoded"}};
  const std::string event = "event=ONCRMCONTACTUPDATE&data[FIELDS][ID]=" + id;
  EXPECT_EQ(opdesk_
                ->Post("/b24/events",
                       event + "&auth[member_id]=" + b24_->member_id() +
                           "&auth[application_token]=guessed",
                       form)
                .status,
            403);
  EXPECT_EQ(opdesk_
                ->Post("/b24/events",
                       event + "&auth[member_id]=another-portal&auth[application_token]=x", form)
                .status,
            404);
  PlayGreeting("79001234567");
  ASSERT_EQ(Routes().size(), 2u);
  EXPECT_EQ(Json(Routes()[1], "to_number"), "103") << "answered from the cache";
  EXPECT_EQ(Count("jobs WHERE kind = 'b24.event'"), 0) << "nothing queued for a refused event";

  // The portal's own event: the next call goes to the new responsible at once.
  const value sent =
      b24_->Control("POST", "/_emu/portal/event",
                    R"({"event":"ONCRMCONTACTUPDATE","data":{"FIELDS":{"ID":")" + id + R"("}}})");
  ASSERT_EQ(sent.at("status").as_integer(), 200) << sent.serialize();
  ASSERT_TRUE(
      WaitFor([&] { return Count("jobs WHERE kind = 'b24.event' AND state = 'done'") == 1; }, 10s))
      << opdesk_->Log();
  const std::string entry = PlayGreeting("79001234567");
  ASSERT_EQ(Routes().size(), 3u);
  EXPECT_EQ(Json(Routes()[2], "to_number"), "102");
  EXPECT_EQ(P(PortalCall(entry).at("finish_params"), "USER_ID"), "2");
}

TEST_P(MangoRoutingTest, NoRouteWhenOffForUnknownNumbersAndForAFiredResponsible) {
  const std::string off = PlayGreeting("79001234567");
  EXPECT_TRUE(Routes().empty()) << "route_to_responsible is off by default";
  EXPECT_EQ(Count("jobs WHERE kind = 'call.route'"), 0);
  EXPECT_EQ(P(PortalCall(off).at("finish_params"), "USER_ID"), "2") << "the scheme: 102";

  SetIntegration(R"("route_to_responsible":true)");
  PlayGreeting("79005550009");
  EXPECT_TRUE(Routes().empty()) << "nobody's number";

  // A contact whose responsible (user 4) is fired.
  b24_->Control("POST", "/_emu/seed",
                R"({"contacts":[{"NAME":"Ушедший","ASSIGNED_BY_ID":"4",)"
                R"("PHONE":[{"VALUE":"+79005550010","VALUE_TYPE":"WORK"}]}]})");
  const std::string fired = PlayGreeting("79005550010");
  EXPECT_TRUE(Routes().empty()) << "a fired responsible is not routed to";
  EXPECT_EQ(P(PortalCall(fired).at("finish_params"), "USER_ID"), "2");
  const RawResponse metrics = HttpRequest(opdesk_->port(), "GET", "/metrics", "", {});
  EXPECT_NE(metrics.body.find("opdesk_routes_total{outcome=\"no_client\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("opdesk_routes_total{outcome=\"no_responsible\"} 1"),
            std::string::npos)
      << metrics.body;
}

TEST_P(MangoRoutingTest, OutsideWorkingHoursIsNoRouteOnlyWhenTheTenantAsksForIt) {
  // User 3 (extension 103) has closed their working day in time tracking.
  b24_->Control(
      "POST", "/_emu/seed",
      R"({"users":[{"ID":3,"NAME":"Вера","LAST_NAME":"Менеджерова",)"
      R"("UF_PHONE_INNER":"103","EMAIL":"user3@example.test","TIMEMAN_STATUS":"CLOSED"}]})");
  SetIntegration(R"("route_to_responsible":true)");
  PlayGreeting("79001234567");
  ASSERT_EQ(Routes().size(), 1u) << "working hours are not asked about by default";
  SetIntegration(R"("route_to_responsible":true,"route_only_at_work":true)");
  const std::string entry = PlayGreeting("79001234567");
  EXPECT_EQ(Routes().size(), 1u) << "no second route";
  EXPECT_EQ(P(PortalCall(entry).at("finish_params"), "USER_ID"), "2") << "the scheme: 102";
}

TEST_P(MangoRoutingTest, APortalFailureDuringTheLookupMeansNoRouteButTheCallIsRecorded) {
  SetIntegration(R"("route_to_responsible":true)");
  b24_->Control("POST", "/_emu/faults",
                R"({"method":"telephony.externalcall.searchcrmentities","status":503,)"
                R"("error":"INTERNAL_SERVER_ERROR","count":0})");
  const std::string entry = PlayGreeting("79001234567");
  EXPECT_TRUE(Routes().empty());
  const value call = PortalCall(entry);
  ASSERT_FALSE(call.is_null()) << "registered all the same";
  EXPECT_EQ(P(call.at("finish_params"), "USER_ID"), "2") << "the PBX scheme carried on";
  EXPECT_EQ(Count("jobs WHERE kind = 'call.route' AND state = 'dead'"), 0)
      << "a failed lookup is no dead letter";
}

TEST_P(MangoRoutingTest, AGreetingOverBeforeTheRouteCanGoOutIsDroppedAndCounted) {
  // A 1 s greeting and a portal that answers after 1.5 s: the route comes too late.
  SetIntegration(R"("route_to_responsible":true,"route_greeting_seconds":1)");
  b24_->Control("POST", "/_emu/faults",
                R"({"method":"telephony.externalcall.searchcrmentities","delay_ms":1500,)"
                R"("count":0})");
  PlayGreeting("79001234567");
  EXPECT_TRUE(Routes().empty());
  const std::string metrics = HttpRequest(opdesk_->port(), "GET", "/metrics", "", {}).body;
  EXPECT_NE(metrics.find("opdesk_routes_total{outcome=\"sent\"} 0"), std::string::npos);
  EXPECT_NE(metrics.find("opdesk_routes_total{outcome=\"dropped\"} 1"), std::string::npos)
      << metrics;
}

TEST_P(MangoRoutingTest, TheAnsweredCallsClientIsCreatedRightAfterTheAnswer) {
  SetIntegration(R"("answered_new_number":"client","client_phone_format":"international")");
  const std::string entry = Play("inbound_answered_after_ivr", R"(,"client":"79005550011")");
  const std::vector<value> contacts = Portal("contacts", "ORIGIN_ID", "mango:" + entry);
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(P(contacts[0].at("PHONE").at(0), "VALUE"), "+7 900 555-00-11");
  // The job was queued by the Connected event, before the summary arrived.
  long long client_job = 0;
  long long summary = 0;
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "SELECT MIN(id) FROM jobs WHERE kind = 'call.client'", soci::into(client_job);
    s.sql() << "SELECT MIN(id) FROM jobs WHERE kind = 'call.finish'", soci::into(summary);
  });
  EXPECT_LT(client_job, summary);
  long long summary_at = 0;
  long long client_at = 0;
  storage::WithSession(*db_, [&](storage::Session& s) {
    s.sql() << "SELECT MIN(received_at_ms) FROM events WHERE kind = 'events/summary'",
        soci::into(summary_at);
    s.sql() << "SELECT created_at_ms FROM jobs WHERE id = :id", soci::use(client_job),
        soci::into(client_at);
  });
  EXPECT_LT(client_at, summary_at) << "«сразу после приема вызова», not when the call ends";
}

TEST_P(MangoRoutingTest, RepeatedCallsGetDealsAsB3SaysInTheirOwnPipeline) {
  SetIntegration(
      R"("repeated_call_deal":"if_none_open","deal_category_id":"1","deal_stage_id":"C1:NEW",)"
      R"("missed_deal_category_id":"0","missed_deal_stage_id":"PREPARATION")");
  const std::string first = Play("inbound_answered_after_ivr");  // the seeded contact 1
  std::vector<value> deals = Portal("deals", "ORIGIN_ID", "mango:" + first);
  ASSERT_EQ(deals.size(), 1u) << opdesk_->Log();
  EXPECT_EQ(P(deals[0], "CONTACT_ID"), "1");
  EXPECT_EQ(P(deals[0], "CATEGORY_ID"), "1");
  EXPECT_EQ(P(deals[0], "STAGE_ID"), "C1:NEW");
  const std::string second = Play("inbound_answered_after_ivr");
  EXPECT_TRUE(Portal("deals", "ORIGIN_ID", "mango:" + second).empty())
      << "the first call's deal is still open";

  SetIntegration(R"("repeated_call_deal":"always","missed_deal_category_id":"0",)"
                 R"("missed_deal_stage_id":"PREPARATION")");
  const std::string missed = Play("missed_in_group");
  deals = Portal("deals", "ORIGIN_ID", "mango:" + missed);
  ASSERT_EQ(deals.size(), 1u);
  EXPECT_EQ(P(deals[0], "CATEGORY_ID"), "0") << "missed calls have their own pipeline (B4)";
  EXPECT_EQ(P(deals[0], "STAGE_ID"), "PREPARATION");
  EXPECT_EQ(Count("call_clients WHERE outcome = 'deal'"), 2);
}

TEST_P(MangoRoutingTest, BadValuesOfTheNewKeysAreRefusedNamingTheField) {
  const auto supervisor = SessionOf(1);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"("route_to_responsible":"yes")", "route_to_responsible"},
      {R"("route_greeting_seconds":0)", "route_greeting_seconds"},
      {R"("route_greeting_seconds_by_line":{"74951234567":120})", "route_greeting_seconds_by_line"},
      {R"("route_greeting_seconds_by_line":{"abc":5})", "route_greeting_seconds_by_line"},
      {R"("route_only_at_work":1)", "route_only_at_work"},
      {R"("repeated_call_deal":"sometimes")", "repeated_call_deal"},
      {R"("missed_deal_category_id":"x")", "missed_deal_category_id"},
      {R"("missed_deal_category_id":"1","missed_deal_stage_id":"NEW")", "missed_deal_stage_id"},
      {R"("line_as_source":"on")", "line_as_source"},
      {R"("line_number_field":"LINE")", "line_number_field"},
      {R"("client_phone_format":"+7 900")", "client_phone_format"},
  };
  for (const auto& [fields, field] : bad) {
    const RawResponse r =
        Api("PUT", "/api/settings/integration", "{\"version\":0," + fields + "}", supervisor);
    EXPECT_EQ(r.status, 400) << fields << " " << r.body;
    EXPECT_EQ(Field(r), field) << fields;
  }
  EXPECT_EQ(Count("integration_settings"), 0) << "nothing changed";
}

TEST_P(MangoRoutingTest, TheCommandLinePrintsAndSetsTheSettingsWithTheApisChecks) {
  std::string out;
  ASSERT_EQ(Cli({}, &out), 0) << out;
  value printed = value::parse(out);
  EXPECT_FALSE(printed.at("route_to_responsible").as_bool());
  EXPECT_EQ(printed.at("repeated_call_deal").as_string(), "never");
  EXPECT_EQ(out.find('\n'), out.size() - 1) << "one line";

  ASSERT_EQ(Cli({"--set", "route_to_responsible=true", "--set", "route_greeting_seconds=7", "--set",
                 "repeated_call_deal=always", "--set",
                 R"(route_greeting_seconds_by_line={"74951234567":9})"},
                &out),
            0)
      << out;
  printed = value::parse(out);
  EXPECT_TRUE(printed.at("route_to_responsible").as_bool());
  EXPECT_EQ(printed.at("route_greeting_seconds").as_integer(), 7);
  EXPECT_EQ(printed.at("route_greeting_seconds_by_line").at("74951234567").as_integer(), 9);
  EXPECT_EQ(Count("audit_log WHERE action = 'integration.update' AND actor = 'cli'"), 1);
  const auto supervisor = SessionOf(1);
  const value api = value::parse(Api("GET", "/api/settings/integration", "", supervisor).body);
  EXPECT_EQ(api.at("repeated_call_deal").as_string(), "always") << "the API sees it";

  EXPECT_EQ(Cli({"--set", "route_to_responsibel=true"}, &out), 2);
  EXPECT_NE(out.find("route_to_responsibel"), std::string::npos) << out;
  EXPECT_EQ(Cli({"--set", "repeated_call_deal=sometimes"}, &out), 2);
  EXPECT_NE(out.find("repeated_call_deal"), std::string::npos) << out;
  EXPECT_EQ(Cli({"--set", "route_greeting_seconds"}, &out), 2);
  EXPECT_EQ(Count("audit_log WHERE action = 'integration.update' AND actor = 'cli'"), 1)
      << "refusals change nothing";
}

INSTANTIATE_TEST_SUITE_P(Backends, MangoRoutingTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
