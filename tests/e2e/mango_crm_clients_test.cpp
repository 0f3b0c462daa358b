// Clients and deals for new numbers, end to end (FEATURES B1, B2, B4, B6–B10, B13): the Mango
// emulator plays real call shapes, opdesk tells the portal emulator, and the portal's request log
// and state must show exactly the adds the settings ask for — the right entity, responsible,
// source, pipeline, stage and name — and never a second client for a number, whatever the
// delivery order, repeats, CRM faults or a SIGKILL in the middle of an add.
#include <signal.h>

#include <atomic>
#include <random>
#include <thread>

#include "tests/e2e/mango_fixture.h"
#include "webhooks/mango/envelope.h"

namespace opdesk {
namespace {

using testing::P;
using web::json::value;
using namespace std::chrono_literals;

// 2018-03-05 13:30:00 UTC = 16:30 in Moscow (the tenant's default time zone).
constexpr const char* kAt = R"(,"start_time":1520256600)";

class MangoCrmClientsTest : public testing::MangoFixture {
 protected:
  // The items opdesk created for a call (marked with its entry_id).
  std::vector<value> Created(const std::string& kind, const std::string& entry) {
    return Portal(kind, "ORIGIN_ID", "mango:" + entry);
  }
  // The call activity the finish made, as "OWNER_TYPE_ID:OWNER_ID".
  std::string ActivityOwner(const std::string& entry) {
    const value call = PortalCall(entry);
    if (call.is_null()) {
      return "<no call>";
    }
    const value state = b24_->Control("GET", "/_emu/state");
    for (const auto& a : state.at("activities").as_array()) {
      if (P(a, "CALL_ID") == call.at("CALL_ID").as_string()) {
        return P(a, "OWNER_TYPE_ID") + ":" + P(a, "OWNER_ID");
      }
    }
    return "<none>";
  }
};

TEST_P(MangoCrmClientsTest, AnsweredCallFromANewNumberCreatesOneContactAndDealForTheOperator) {
  SetIntegration(
      R"("answered_new_number":"client_and_deal","crm_source_by_line":{"74951234567":"WEB"},)"
      R"("deal_category_id":"1","deal_stage_id":"C1:NEW")");
  b24_->Control("POST", "/_emu/requests/clear");
  const std::string entry =
      Play("inbound_answered_after_ivr", std::string(R"(,"client":"79005550001")") + kAt);

  const std::vector<value> contacts = Created("contacts", entry);
  ASSERT_EQ(contacts.size(), 1u);
  const value& contact = contacts[0];
  EXPECT_EQ(P(contact, "NAME"), "Новый (16:30 05.03.2018, входящий вызов)");
  EXPECT_EQ(P(contact.at("PHONE").at(0), "VALUE"), "+79005550001");
  EXPECT_EQ(P(contact, "ASSIGNED_BY_ID"), "2") << "102 answered: user 2 (B1)";
  EXPECT_EQ(P(contact, "SOURCE_ID"), "WEB") << "the line's source (B6)";
  EXPECT_EQ(P(contact, "SOURCE_DESCRIPTION"), "MANGO OFFICE, линия 74951234567");
  const std::vector<value> deals = Created("deals", entry);
  ASSERT_EQ(deals.size(), 1u);
  EXPECT_EQ(P(deals[0], "CONTACT_ID"), P(contact, "ID"));
  EXPECT_EQ(P(deals[0], "CATEGORY_ID"), "1") << "B4";
  EXPECT_EQ(P(deals[0], "STAGE_ID"), "C1:NEW");
  EXPECT_EQ(P(deals[0], "ASSIGNED_BY_ID"), "2");
  EXPECT_EQ(P(deals[0], "TITLE"), "Новый (16:30 05.03.2018, входящий вызов)");

  // Exactly these requests, in this order: the card first, then the client, then the finish.
  EXPECT_EQ(Requests("crm.contact.add").size(), 1u);
  EXPECT_EQ(Requests("crm.deal.add").size(), 1u);
  EXPECT_EQ(Requests("crm.lead.add").size(), 0u);
  EXPECT_EQ(Requests("crm.duplicate.findbycomm").size(), 1u);
  const std::vector<value> registers = Requests("telephony.externalcall.register");
  const std::vector<value> finishes = Requests("telephony.externalcall.finish");
  ASSERT_EQ(registers.size(), 1u);
  ASSERT_EQ(finishes.size(), 1u);
  EXPECT_EQ(P(registers[0].at("params"), "TYPE"), "2");
  EXPECT_EQ(P(registers[0].at("params"), "USER_ID"), "2");
  EXPECT_EQ(P(registers[0].at("params"), "SHOW"), "1");
  EXPECT_EQ(P(registers[0].at("params"), "LINE_NUMBER"), "74951234567");
  EXPECT_EQ(P(finishes[0].at("params"), "USER_ID"), "2");
  const auto seq = [](const value& r) { return r.at("seq").as_integer(); };
  EXPECT_LT(seq(registers[0]), seq(Requests("crm.contact.add")[0]))
      << "the card pops before anything is created";
  EXPECT_LT(seq(Requests("crm.deal.add")[0]), seq(finishes[0]));
  EXPECT_EQ(ActivityOwner(entry), "3:" + P(contact, "ID")) << "the call is on the new contact";
  EXPECT_EQ(Count("call_clients WHERE outcome = 'created' AND state = 'done'"), 1);
}

TEST_P(MangoCrmClientsTest, AKnownNumberCreatesNothingAndCostsNoRequest) {
  SetIntegration(R"("answered_new_number":"client_and_deal","missed_new_number":"lead")");
  b24_->Control("POST", "/_emu/requests/clear");
  const std::string entry = Play("inbound_answered_after_ivr");  // the seeded contact's number
  EXPECT_EQ(Requests("crm.duplicate.findbycomm").size(), 0u) << "register already bound it";
  EXPECT_EQ(Requests("batch").size(), 0u);
  EXPECT_EQ(Requests("crm.contact.add").size(), 0u);
  EXPECT_EQ(ActivityOwner(entry), "3:1");
  EXPECT_EQ(Count("call_clients WHERE outcome = 'known' AND known_entity = 'CONTACT:1'"), 1);
}

TEST_P(MangoCrmClientsTest,
       MissedInIvrCreatesNothingWithB8OffAndALeadForTheChosenEmployeeWithB8On) {
  SetIntegration(R"("missed_new_number":"lead")");
  const std::string off = Play("missed_in_ivr", R"(,"client":"79005550002")");
  EXPECT_TRUE(Created("leads", off).empty());
  EXPECT_EQ(Requests("crm.lead.add").size(), 0u);
  const value recorded = PortalCall(off);
  ASSERT_FALSE(recorded.is_null()) << "still registered (marketplace rule)";
  EXPECT_EQ(P(recorded.at("params"), "USER_ID"), "1") << "for the default user";
  EXPECT_EQ(P(recorded.at("params"), "SHOW"), "0");
  EXPECT_EQ(P(recorded.at("finish_params"), "STATUS_CODE"), "304");

  SetIntegration(R"("missed_new_number":"lead","missed_in_ivr_extension":"103")");
  const std::string on = Play("missed_in_ivr", std::string(R"(,"client":"79005550003")") + kAt);
  const std::vector<value> leads = Created("leads", on);
  ASSERT_EQ(leads.size(), 1u);
  EXPECT_EQ(P(leads[0], "TITLE"), "Новый (16:30 05.03.2018, входящий вызов)");
  EXPECT_EQ(P(leads[0], "ASSIGNED_BY_ID"), "3") << "B8: the chosen employee (103)";
  EXPECT_EQ(P(leads[0], "SOURCE_ID"), "CALL") << "a line without a source of its own";
  EXPECT_EQ(P(PortalCall(on).at("finish_params"), "USER_ID"), "3");
  EXPECT_EQ(ActivityOwner(on), "1:" + P(leads[0], "ID"));
  EXPECT_EQ(Requests("crm.lead.add").size(), 1u);
}

TEST_P(MangoCrmClientsTest, MissedInAGroupGoesToTheFirstOfferedOrTheB9Employee) {
  SetIntegration(R"("missed_new_number":"client")");
  const std::string first = Play("missed_in_group", R"(,"client":"79005550004")");
  ASSERT_EQ(Created("contacts", first).size(), 1u);
  EXPECT_EQ(P(Created("contacts", first)[0], "ASSIGNED_BY_ID"), "2") << "102 was offered first";
  EXPECT_TRUE(Created("deals", first).empty()) << "client only";
  SetIntegration(R"("missed_new_number":"client","missed_in_group_extension":"101")");
  const std::string chosen = Play("missed_in_group", R"(,"client":"79005550005")");
  ASSERT_EQ(Created("contacts", chosen).size(), 1u);
  EXPECT_EQ(P(Created("contacts", chosen)[0], "ASSIGNED_BY_ID"), "1") << "B9: 101 is user 1";
  EXPECT_EQ(P(PortalCall(chosen).at("finish_params"), "USER_ID"), "1");
}

TEST_P(MangoCrmClientsTest, OutgoingCallToANewNumberCreatesAClientForTheCallerOnlyWithB10) {
  SetIntegration(R"("answered_new_number":"client_and_deal")");
  const std::string off = Play("outgoing", R"(,"client":"79005550006")");
  EXPECT_TRUE(Created("contacts", off).empty()) << "B1 is for incoming calls";
  SetIntegration(R"("outgoing_new_number_creates_client":true)");
  const std::string on = Play("outgoing", std::string(R"(,"client":"79005550007")") + kAt);
  const std::vector<value> contacts = Created("contacts", on);
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(P(contacts[0], "NAME"), "Новый (16:30 05.03.2018, исходящий вызов)");
  EXPECT_EQ(P(contacts[0], "ASSIGNED_BY_ID"), "2") << "the caller";
  EXPECT_EQ(P(contacts[0].at("PHONE").at(0), "VALUE"), "+79005550007");
  EXPECT_TRUE(Created("deals", on).empty());
  EXPECT_EQ(P(PortalCall(on).at("params"), "TYPE"), "1");
}

TEST_P(MangoCrmClientsTest, OnTransfersTheClientGoesToTheLastHandlerWithB7) {
  SetIntegration(R"("answered_new_number":"client")");
  const std::string first = Play("blind_transfer", R"(,"client":"79005550008")");
  EXPECT_EQ(P(Created("contacts", first).at(0), "ASSIGNED_BY_ID"), "2");
  SetIntegration(R"("answered_new_number":"client","responsible_is_last_handler":true)");
  const std::string last = Play("consultative_transfer", R"(,"client":"79005550009")");
  EXPECT_EQ(P(Created("contacts", last).at(0), "ASSIGNED_BY_ID"), "3");
  EXPECT_EQ(P(PortalCall(last).at("finish_params"), "USER_ID"), "3");
}

TEST_P(MangoCrmClientsTest, DuplicatedAndShuffledDeliveryCreatesOneClient) {
  SetIntegration(R"("answered_new_number":"client_and_deal")");
  b24_->Control("POST", "/_emu/requests/clear");
  const std::string entry = Play(
      "group_one_answers", R"(,"client":"79005550010","duplicate":true,"shuffle":true,"seed":5)");
  EXPECT_EQ(Created("contacts", entry).size(), 1u);
  EXPECT_EQ(Created("deals", entry).size(), 1u);
  EXPECT_EQ(Requests("crm.contact.add").size(), 1u);
  EXPECT_EQ(Requests("crm.deal.add").size(), 1u);
  EXPECT_EQ(Requests("telephony.externalcall.register").size(), 1u);
  EXPECT_EQ(Requests("telephony.externalcall.finish").size(), 1u);
  EXPECT_EQ(P(Created("contacts", entry).at(0), "ASSIGNED_BY_ID"), "3") << "103 answered";
}

TEST_P(MangoCrmClientsTest, TwoCallsFromTheSameNewNumberAtOnceMakeOneClient) {
  SetIntegration(R"("answered_new_number":"client","missed_new_number":"client")");
  // The first call's question "is this number known?" takes 1.5 s to answer ("no"), long enough
  // for the second call to ask and add a client in between if nothing held it back.
  b24_->Control("POST", "/_emu/faults",
                R"({"method":"crm.duplicate.findbycomm","status":0,"delay_ms":1500,"count":1})");
  const std::string a = Start("inbound_answered_after_ivr", R"(,"client":"79005550011")");
  const std::string b = Start("missed_in_group", R"(,"client":"79005550011")");
  WaitPlayed(a);
  WaitPlayed(b);
  ASSERT_TRUE(Settled()) << opdesk_->Log();
  EXPECT_EQ(Created("contacts", a).size() + Created("contacts", b).size(), 1u);
  EXPECT_EQ(Requests("crm.contact.add").size(), 1u);
  const std::string id = P(
      Created("contacts", a).empty() ? Created("contacts", b)[0] : Created("contacts", a)[0], "ID");
  EXPECT_EQ(ActivityOwner(a), "3:" + id) << "both calls end up on the one client";
  EXPECT_EQ(ActivityOwner(b), "3:" + id);
  EXPECT_EQ(Count("call_clients WHERE outcome = 'known'"), 1);
  EXPECT_EQ(Count("crm_client_locks"), 0) << "every lock released";
}

TEST_P(MangoCrmClientsTest, SigkillWhileTheAddsAreInFlightAddsNothingTwice) {
  SetIntegration(R"("answered_new_number":"client_and_deal")");
  // The portal runs the batch at once but answers 4 s later: opdesk dies waiting for the answer.
  b24_->Control("POST", "/_emu/faults",
                R"({"method":"batch","status":0,"delay_ms":4000,"count":1})");
  const std::string entry = Start("inbound_answered_after_ivr", R"(,"client":"79005550012")");
  WaitPlayed(entry);
  ASSERT_TRUE(testing::WaitFor([&] { return Created("deals", entry).size() == 1; }, 30s))
      << opdesk_->Log();
  opdesk_->process().Signal(SIGKILL);
  ASSERT_EQ(opdesk_->process().Wait(5s), 128 + SIGKILL);
  ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
  ASSERT_TRUE(Settled(60s)) << opdesk_->Log();
  EXPECT_EQ(Created("contacts", entry).size(), 1u);
  EXPECT_EQ(Created("deals", entry).size(), 1u);
  EXPECT_EQ(Requests("crm.contact.add").size(), 1u);
  EXPECT_EQ(Requests("crm.deal.add").size(), 1u);
  EXPECT_GE(Requests("crm.contact.list").size(), 1u) << "the rerun looked for what it had added";
  const value call = PortalCall(entry);
  ASSERT_FALSE(call.is_null());
  EXPECT_TRUE(call.at("finished").as_bool());
  EXPECT_EQ(Requests("telephony.externalcall.finish").size(), 1u);
  EXPECT_EQ(Count("call_clients WHERE outcome = 'created'"), 1);
  EXPECT_EQ(Count("jobs WHERE state IN ('dead', 'dropped')"), 0);
}

// One answered inbound call from `number`, as Mango posts it (reference mango.md §2.8 item 1).
std::vector<std::pair<std::string, std::string>> AnsweredCall(const std::string& entry,
                                                              const std::string& number) {
  auto call = [&](const std::string& leg, int seq, const std::string& state,
                  const std::string& location, bool employee, int reason) {
    return std::make_pair(
        std::string("events/call"),
        R"({"entry_id":")" + entry + R"(","call_id":")" + entry + leg + R"(","timestamp":)" +
            std::to_string(1'700'000'000 + seq + (leg == "-b" ? 10 : 0)) + R"(,"seq":)" +
            std::to_string(seq) + R"(,"call_state":")" + state + R"(","location":")" + location +
            R"(","from":{"number":")" + number + R"("},"to":{)" +
            (employee ? R"("extension":"102",)" : "") +
            R"("number":"sip:op@x.mangosip.ru","line_number":"74951234567"})" +
            (reason ? R"(,"disconnect_reason":)" + std::to_string(reason) : std::string()) + "}");
  };
  return {call("-a", 1, "Appeared", "ivr", false, 0),
          call("-a", 2, "Disconnected", "ivr", false, 1100),
          call("-b", 1, "Appeared", "abonent", true, 0),
          call("-b", 2, "Connected", "abonent", true, 0),
          call("-b", 3, "Disconnected", "abonent", true, 1110),
          {"events/summary",
           R"({"entry_id":")" + entry + R"(","call_direction":1,"from":{"number":")" + number +
               R"("},"to":{"extension":"102"},"line_number":"74951234567",)"
               R"("create_time":1700000000,"forward_time":1700000005,"talk_time":1700000012,)"
               R"("end_time":1700000097,"entry_result":1,"disconnect_reason":1110})"}};
}

TEST_P(MangoCrmClientsTest, CrmFaultsExpiringTokensAndARestartStillMakeOneClientPerNewNumber) {
  SetIntegration(R"("answered_new_number":"client_and_deal")");
  const std::string base = webhook_base_.substr(webhook_base_.find("/mango/"));
  auto post = [&](const std::pair<std::string, std::string>& event) {
    testing::RawResponse r =
        opdesk_->Post(base + event.first,
                      mango::BuildEnvelope(testing::kVpbxKey, event.second, testing::kVpbxSalt),
                      {{"Content-Type", "application/x-www-form-urlencoded"}});
    ASSERT_EQ(r.status, 200) << r.body;
  };
  b24_->Control("POST", "/_emu/faults",
                R"({"method":"*","status":503,"error":"QUERY_LIMIT_EXCEEDED",)"
                R"("probability":0.3,"count":0})");
  std::atomic<bool> stop{false};
  std::thread expirer([&] {
    while (!stop) {
      b24_->Control("POST", "/_emu/tokens/expire");
      std::this_thread::sleep_for(150ms);
    }
  });
  std::mt19937 rng(11);
  auto shuffled_twice = [&](const std::string& entry, const std::string& number) {
    auto events = AnsweredCall(entry, number);
    std::vector<std::pair<std::string, std::string>> d = events;
    d.insert(d.end(), events.begin(), events.end() - 1);
    std::shuffle(d.begin(), d.end() - 1, rng);  // the summary stays last
    return d;
  };
  for (int i = 1; i <= 3; ++i) {
    for (const auto& e :
         shuffled_twice("cf-" + std::to_string(i), "7900777000" + std::to_string(i))) {
      post(e);
    }
  }
  const auto call4 = AnsweredCall("cf-4", "79007770004");
  for (auto it = call4.begin(); it != call4.end(); ++it) {
    post(*it);
  }
  // Killed while the clients of the first calls are being created (or just after).
  opdesk_->process().Signal(SIGKILL);
  ASSERT_EQ(opdesk_->process().Wait(5s), 128 + SIGKILL);
  ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
  for (const auto& e : shuffled_twice("cf-5", "79007770005")) {
    post(e);
  }
  for (const auto& e : AnsweredCall("cf-6", "79007770001")) {  // call 1's number again
    post(e);
  }
  stop = true;
  expirer.join();
  ASSERT_TRUE(Settled(90s)) << opdesk_->Log();
  b24_->Control("DELETE", "/_emu/faults");

  int limited = 0;
  const value log = b24_->Control("GET", "/_emu/requests");  // alive while iterating
  for (const auto& r : log.at("requests").as_array()) {
    limited += r.at("status").as_integer() == 503 ? 1 : 0;
  }
  EXPECT_GT(limited, 0) << "the faults really happened";
  for (int i = 1; i <= 6; ++i) {
    const std::string entry = "cf-" + std::to_string(i);
    if (i >= 2 && i <= 5) {
      EXPECT_EQ(Created("contacts", entry).size(), 1u) << entry;
      EXPECT_EQ(Created("deals", entry).size(), 1u) << entry;
    }
    const value call = PortalCall(entry);
    ASSERT_FALSE(call.is_null()) << entry;
    EXPECT_TRUE(call.at("finished").as_bool()) << entry;
    EXPECT_EQ(P(call.at("finish_params"), "USER_ID"), "2") << entry;
  }
  EXPECT_EQ(Created("contacts", "cf-1").size() + Created("contacts", "cf-6").size(), 1u)
      << "calls 1 and 6 share a number: whichever came first made its client";
  EXPECT_EQ(Portal("contacts", "ORIGINATOR_ID", "opdesk").size(), 5u);
  EXPECT_EQ(Portal("deals", "ORIGINATOR_ID", "opdesk").size(), 5u);
  EXPECT_EQ(Count("jobs WHERE state IN ('dead', 'dropped')"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, MangoCrmClientsTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
