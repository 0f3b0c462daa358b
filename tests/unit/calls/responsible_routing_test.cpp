// Routing a known caller to the client's responsible (FEATURES B5, seed 004's notes) against
// the in-memory CRM: the first client of a number, the first active responsible, no route for a
// fired, unmapped or absent responsible, nor for a client whose responsible is another client
// (Megaplan); the phone → responsible cache; the deadline and the lookup's failure.
#include "connector/calls/responsible_routing.h"

#include <gmock/gmock.h>

#include "connector/calls/client_creator.h"
#include "connector/storage/mango_repositories.h"
#include "tests/unit/calls/calls_fixture.h"

namespace opdesk::testing {
namespace {

using adapters::Responsible;
using adapters::ResponsibleKind;
using mango::RouteOutcome;

Responsible Employee(const std::string& id, const std::string& extension = "",
                     std::optional<bool> at_work = std::nullopt) {
  Responsible r;
  r.id = id;
  r.extension = extension;
  r.at_work = at_work;
  return r;
}

Responsible ClientAsResponsible(const std::string& id) {
  Responsible r;
  r.id = id;
  r.kind = ResponsibleKind::kClient;
  return r;
}

class RoutingTest : public CallsTest {
 protected:
  void SetUp() override {
    CallsTest::SetUp();
    router_ = std::make_unique<mango::CallRouter>(*db_, crm_, *mango_, cache_, clock_);
    crm_.SeedUser({"5", "Анна", "anna@example.com", true, "101"});
    crm_.SeedUser({"6", "Борис", "boris@example.com", true, "102"});
    crm_.SeedUser({"7", "Уволенный", "fired@example.com", false, "103"});
    Link("101", "5");
    Link("102", "6");
    Link("103", "7");
  }

  adapters::CrmRecord Client(const std::string& phone, std::vector<Responsible> responsibles,
                             const std::string& entity = "contact") {
    const adapters::CrmRecord record{entity, crm_.SeedClient(entity, phone)};
    crm_.SeedResponsibles(record, std::move(responsibles));
    return record;
  }

  mango::RouteChoice Decide(const std::string& phone, bool only_at_work = false) {
    return router_->Decide(kTenant, phone, clock_.NowMs() + 5'000, only_at_work);
  }

  mango::ResponsibleCache cache_;
  std::unique_ptr<mango::CallRouter> router_;
};

TEST_F(RoutingTest, AKnownCallerGoesToTheResponsiblesExtension) {
  Client("+79001234567", {Employee("5")});
  const mango::RouteChoice choice = Decide("79001234567");
  EXPECT_EQ(choice.outcome, RouteOutcome::kSent);
  EXPECT_EQ(choice.user_id, "5");
  EXPECT_EQ(choice.extension, "101") << "from the employee map";
}

TEST_F(RoutingTest, SeveralClientsOnOneNumberTakeTheFirstFound) {
  Client("+79001234567", {Employee("6")});
  Client("+7 900 123-45-67", {Employee("5")});
  EXPECT_EQ(Decide("79001234567").user_id, "6");
}

TEST_F(RoutingTest, SeveralResponsiblesTakeTheFirstActiveOne) {
  Client("+79001234567", {Employee("7"), Employee("6"), Employee("5")});
  const mango::RouteChoice choice = Decide("79001234567");
  EXPECT_EQ(choice.outcome, RouteOutcome::kSent);
  EXPECT_EQ(choice.user_id, "6") << "7 is fired; 6 comes before 5";
  EXPECT_EQ(choice.extension, "102");
}

TEST_F(RoutingTest, AFiredOrUnknownResponsibleLeavesTheCallToTheScheme) {
  Client("+79001234567", {Employee("7")});
  EXPECT_EQ(Decide("79001234567").outcome, RouteOutcome::kNoResponsible);
  Client("+79001112233", {Employee("999")});
  EXPECT_EQ(Decide("79001112233").outcome, RouteOutcome::kNoResponsible) << "not a user at all";
}

TEST_F(RoutingTest, AClientWhoseResponsibleIsAnotherClientIsNotRouted) {
  // Megaplan lets a client be another client's responsible; seed 004 says the app ignores it.
  Client("+79001234567", {ClientAsResponsible("42")});
  const mango::RouteChoice choice = Decide("79001234567");
  EXPECT_EQ(choice.outcome, RouteOutcome::kResponsibleIsClient);
  EXPECT_TRUE(choice.extension.empty());
  // An employee after the client-responsible is still the first *employee* responsible.
  Client("+79005556677", {ClientAsResponsible("42"), Employee("5")});
  EXPECT_EQ(Decide("79005556677").user_id, "5");
}

TEST_F(RoutingTest, AResponsibleWithoutAnExtensionIsNotRouted) {
  crm_.SeedUser({"8", "Без номера", "none@example.com", true, ""});
  Client("+79001234567", {Employee("8")});
  EXPECT_EQ(Decide("79001234567").outcome, RouteOutcome::kUnmapped);
}

TEST_F(RoutingTest, TheCrmsExtensionServesWhenTheMapHasNone) {
  crm_.SeedUser({"9", "Вера", "vera@example.com", true, "109"});
  Client("+79001234567", {Employee("9", "109")});
  EXPECT_EQ(Decide("79001234567").extension, "109");
}

TEST_F(RoutingTest, OutsideWorkingHoursOnlyWhenTheTenantAsksForIt) {
  Client("+79001234567", {Employee("5", "", false)});
  EXPECT_EQ(Decide("79001234567", false).outcome, RouteOutcome::kSent);
  EXPECT_EQ(Decide("79001234567", true).outcome, RouteOutcome::kNotAtWork);
}

TEST_F(RoutingTest, AnUnknownNumberIsNotRouted) {
  EXPECT_EQ(Decide("79009999999").outcome, RouteOutcome::kNoClient);
}

TEST_F(RoutingTest, TheCacheAnswersRepeatedLookupsUntilItExpires) {
  Client("+79001234567", {Employee("5")});
  Decide("79001234567");
  Decide("+7 (900) 123-45-67");
  Decide("89001234567");
  EXPECT_EQ(crm_.Count("FindResponsibles"), 1) << "one number, however written";
  cache_.Forget(kTenant, "79001234567");
  Decide("79001234567");
  EXPECT_EQ(crm_.Count("FindResponsibles"), 2);
  clock_.Advance(11 * 60 * 1000);
  Decide("79001234567");
  EXPECT_EQ(crm_.Count("FindResponsibles"), 3) << "refreshed after its time";
}

TEST_F(RoutingTest, AnUnknownNumberIsRememberedForAShorterTime) {
  Decide("79001234567");
  Decide("79001234567");
  EXPECT_EQ(crm_.Count("FindResponsibles"), 1);
  clock_.Advance(61 * 1000);
  Decide("79001234567");
  EXPECT_EQ(crm_.Count("FindResponsibles"), 2);
}

TEST_F(RoutingTest, APortalFailureDuringTheLookupMeansNoRoute) {
  Client("+79001234567", {Employee("5")});
  crm_.Fail("FindResponsibles", Unavailable("portal answered 503"));
  EXPECT_EQ(Decide("79001234567").outcome, RouteOutcome::kLookupFailed);
  EXPECT_EQ(cache_.size(), 0u) << "a failure is not remembered";
  EXPECT_EQ(Decide("79001234567").outcome, RouteOutcome::kSent);
}

TEST_F(RoutingTest, AJobPastTheGreetingIsDroppedAndCounted) {
  IntegrationSettings settings;
  settings.route_to_responsible = true;
  SaveSettings(settings);
  Client("+79001234567", {Employee("5")});
  jobs::Job job = MakeJob(mango::kRouteJob.name, web::json::value::object());
  job.deadline_ms = clock_.NowMs() - 1;
  EXPECT_EQ(CodeOf([&] { router_->Run(job, {"e1", "c1", "79001234567"}); }), "DEADLINE_EXCEEDED");
  EXPECT_EQ(crm_.Count("FindResponsibles"), 0) << "no lookup after the greeting";
  EXPECT_EQ(router_->Counts()["dropped"], 1);
}

TEST_F(RoutingTest, RoutingSwitchedOffSinceTheCallAppearedDoesNothing) {
  Client("+79001234567", {Employee("5")});
  jobs::Job job = MakeJob(mango::kRouteJob.name, web::json::value::object());
  job.deadline_ms = clock_.NowMs() + 5'000;
  EXPECT_EQ(CodeOf([&] { router_->Run(job, {"e1", "c1", "79001234567"}); }), "ok");
  EXPECT_EQ(crm_.Count("FindResponsibles"), 0);
}

TEST_F(RoutingTest, NoRouteIsCountedByItsReason) {
  IntegrationSettings settings;
  settings.route_to_responsible = true;
  SaveSettings(settings);
  Client("+79001234567", {ClientAsResponsible("42")});
  jobs::Job job = MakeJob(mango::kRouteJob.name, web::json::value::object());
  job.deadline_ms = clock_.NowMs() + 5'000;
  EXPECT_EQ(CodeOf([&] { router_->Run(job, {"e1", "c1", "79001234567"}); }), "ok");
  EXPECT_EQ(router_->Counts()["responsible_is_client"], 1);
  EXPECT_EQ(router_->Counts()["sent"], 0);
}

TEST_F(RoutingTest, ACreatedClientWarmsTheCache) {
  mango::ClientCreator creator(*db_, crm_, *employees_, clock_, &cache_);
  StoreCall("e1");
  web::json::value payload = web::json::value::object();
  payload["entry_id"] = web::json::value::string("e1");
  payload["extension"] = web::json::value::string("101");
  payload["action"] = web::json::value::string("client");
  creator.Run(MakeJob(mango::kCreateClientJob.name, payload),
              Decoded(mango::kCreateClientJob, payload));
  const mango::RouteChoice choice = Decide("79001234567");
  EXPECT_EQ(choice.outcome, RouteOutcome::kSent);
  EXPECT_EQ(choice.user_id, "5");
  EXPECT_EQ(crm_.Count("FindResponsibles"), 0) << "answered from the cache";
}

TEST_F(RoutingTest, AChangedResponsibleIsRoutedAtOnceAfterTheRecordsChangeEvent) {
  const adapters::CrmRecord contact = Client("+79001234567", {Employee("5")});
  Client("+79005550001", {Employee("6")});
  ASSERT_EQ(Decide("79001234567").user_id, "5");
  ASSERT_EQ(Decide("79005550001").user_id, "6");
  crm_.SeedResponsibles(contact, {Employee("6")});
  EXPECT_EQ(Decide("79001234567").user_id, "5") << "cached until told";

  // Another tenant's event and an event about another record leave the entry alone.
  EXPECT_EQ(cache_.ForgetClient("other-portal", contact), 0u);
  EXPECT_EQ(cache_.ForgetClient(kTenant, {"company", contact.id}), 0u);
  EXPECT_EQ(Decide("79001234567").user_id, "5");

  const std::optional<adapters::CrmRecord> changed =
      mango::ChangedCrmRecord("ONCRMCONTACTUPDATE", R"({"FIELDS][ID":")" + contact.id + R"("})");
  ASSERT_TRUE(changed);
  EXPECT_EQ(cache_.ForgetClient(kTenant, *changed), 1u);
  EXPECT_EQ(Decide("79001234567").user_id, "6") << "looked up afresh";
  EXPECT_EQ(crm_.Count("FindResponsibles"), 3) << "the other number stayed cached";
}

TEST_F(RoutingTest, AChangeEventDropsNumbersCachedAsNobodys) {
  Decide("79001234567");
  ASSERT_EQ(cache_.size(), 1u);
  // A contact gained this number: the empty answer may be wrong now.
  EXPECT_EQ(cache_.ForgetClient(kTenant, {"contact", "42"}), 1u);
  EXPECT_EQ(cache_.size(), 0u);
}

TEST_F(RoutingTest, TheCallCardsLookupWarmsTheCacheButNeverReplacesTheRoutersOwn) {
  // The card found the number's contact with user 5 as responsible.
  EXPECT_TRUE(cache_.Warm(kTenant, "+7 900 123-45-67", {{{"contact", "9"}, {Employee("5")}}},
                          clock_.NowMs()));
  const mango::RouteChoice choice = Decide("79001234567");
  EXPECT_EQ(choice.outcome, RouteOutcome::kSent);
  EXPECT_EQ(choice.user_id, "5");
  EXPECT_EQ(crm_.Count("FindResponsibles"), 0) << "answered from the cache";

  // A number the router looked up itself keeps its answer.
  Client("+79005550001", {Employee("6")});
  ASSERT_EQ(Decide("79005550001").user_id, "6");
  EXPECT_FALSE(
      cache_.Warm(kTenant, "79005550001", {{{"contact", "9"}, {Employee("5")}}}, clock_.NowMs()));
  EXPECT_EQ(Decide("79005550001").user_id, "6");
}

TEST(RouteRules, ChangeEventsNameTheirRecord) {
  using mango::ChangedCrmRecord;
  const std::string data = R"({"FIELDS][ID":"17"})";
  EXPECT_EQ(ChangedCrmRecord("ONCRMCONTACTUPDATE", data), (adapters::CrmRecord{"contact", "17"}));
  EXPECT_EQ(ChangedCrmRecord("ONCRMCONTACTDELETE", data), (adapters::CrmRecord{"contact", "17"}));
  EXPECT_EQ(ChangedCrmRecord("ONCRMCOMPANYUPDATE", data), (adapters::CrmRecord{"company", "17"}));
  EXPECT_EQ(ChangedCrmRecord("ONCRMCOMPANYDELETE", data), (adapters::CrmRecord{"company", "17"}));
  EXPECT_EQ(ChangedCrmRecord("ONCRMLEADUPDATE", data), (adapters::CrmRecord{"lead", "17"}));
  EXPECT_EQ(ChangedCrmRecord("ONCRMLEADDELETE", R"({"FIELDS":{"ID":"17"}})"),
            (adapters::CrmRecord{"lead", "17"}));
  EXPECT_FALSE(ChangedCrmRecord("ONCRMDEALUPDATE", data)) << "deals carry no phone";
  EXPECT_FALSE(ChangedCrmRecord("ONEXTERNALCALLSTART", data));
  EXPECT_FALSE(ChangedCrmRecord("ONCRMCONTACTUPDATE", "{}"));
  EXPECT_FALSE(ChangedCrmRecord("ONCRMCONTACTUPDATE", R"({"FIELDS][ID":"7 OR 1"})"));
  EXPECT_FALSE(ChangedCrmRecord("ONCRMCONTACTUPDATE", "not json"));
}

TEST_F(RoutingTest, RouteSlotsAreSpacedForEveryProcessAndNeverReservedLate) {
  const EpochMs now = clock_.NowMs();
  std::optional<EpochMs> first;
  std::optional<EpochMs> second;
  std::optional<EpochMs> late;
  std::optional<EpochMs> third;
  storage::InTransaction(*db_, [&](storage::Session& s) {
    first = storage::CommandSlotRepository::Reserve(s, kTenant, "commands/route", now, 2100,
                                                    now + 5000);
    second = storage::CommandSlotRepository::Reserve(s, kTenant, "commands/route", now, 2100,
                                                     now + 5000);
    late = storage::CommandSlotRepository::Reserve(s, kTenant, "commands/route", now, 2100,
                                                   now + 3000);
    third = storage::CommandSlotRepository::Reserve(s, kTenant, "commands/route", now, 2100,
                                                    now + 5000);
  });
  EXPECT_EQ(first, now);
  EXPECT_EQ(second, now + 2100);
  EXPECT_FALSE(late) << "its slot (+4200) comes after its deadline";
  EXPECT_EQ(third, now + 4200) << "a refused reservation takes no slot";
}

TEST(RouteRules, TheRulesArePure) {
  std::vector<adapters::ClientResponsibles> none;
  auto active = [](const std::string&) { return true; };
  auto ext = [](const Responsible& r) { return r.extension; };
  EXPECT_EQ(mango::ChooseResponsible(none, active, ext, false).outcome, RouteOutcome::kNoClient);
  std::vector<adapters::ClientResponsibles> nobody{{{"contact", "1"}, {}}};
  EXPECT_EQ(mango::ChooseResponsible(nobody, active, ext, false).outcome,
            RouteOutcome::kNoResponsible);
}

}  // namespace
}  // namespace opdesk::testing
