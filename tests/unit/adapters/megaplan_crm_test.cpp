// The parts of the Megaplan adapter that need no account: numbers as people type them, the
// path of transitions to a deal status, and which CRM a tenant's calls go to.
#include <cpprest/json.h>
#include <gtest/gtest.h>

#include "adapters/crm_by_tenant.h"
#include "adapters/megaplan/api_client.h"
#include "adapters/megaplan/megaplan_crm.h"
#include "adapters/megaplan/megaplan_crm_impl.h"

namespace opdesk::megaplan {
namespace {

using web::json::value;

TEST(MegaplanPhones, KeysIgnoreFormattingAndTheTrunkPrefix) {
  EXPECT_EQ(PhoneKey("+7 (900) 123-45-67"), "9001234567");
  EXPECT_EQ(PhoneKey("8 900 123 45 67"), "9001234567");
  EXPECT_EQ(PhoneKey("79001234567"), "9001234567");
  EXPECT_EQ(PhoneKey("9001234567"), "9001234567");
  EXPECT_EQ(PhoneKey("102"), "") << "an extension is no client's number";
  EXPECT_EQ(PhoneKey("sip:101@vpbx"), "");
  EXPECT_EQ(CanonicalPhone("8 (900) 123-45-67"), "+79001234567");
  EXPECT_EQ(CanonicalPhone("9001234567"), "+79001234567");
  EXPECT_EQ(CanonicalPhone("+44 20 7946 0958"), "+442079460958");
  EXPECT_EQ(CanonicalPhone(""), "");
}

value Program() {
  return value::parse(R"({"states":[{"id":"11"},{"id":"12"},{"id":"13"},{"id":"14"}],
    "transitions":[{"id":"101","from":{"id":"11"},"to":{"id":"12"}},
                   {"id":"102","from":{"id":"12"},"to":{"id":"13"}},
                   {"id":"103","from":{"id":"11"},"to":{"id":"14"}}]})");
}

TEST(MegaplanDealStatus, TheShortestPathOfTransitionsIsApplied) {
  EXPECT_EQ(MegaplanCrm::Impl::PathTo(Program(), "11", "11"), std::vector<std::string>{});
  EXPECT_EQ(MegaplanCrm::Impl::PathTo(Program(), "11", "12"), std::vector<std::string>{"101"});
  EXPECT_EQ(MegaplanCrm::Impl::PathTo(Program(), "11", "13"),
            (std::vector<std::string>{"101", "102"}));
  try {
    MegaplanCrm::Impl::PathTo(Program(), "14", "12");
    FAIL() << "no way back from a final status";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  }
}

TEST(MegaplanAccounts, AddressesBecomeOneTenantPerHost) {
  std::string host;
  EXPECT_EQ(NormalizeBaseUrl("https://Acme.megaplan.ru/settings/?x=1", false, &host),
            "https://acme.megaplan.ru");
  EXPECT_EQ(host, "acme.megaplan.ru");
  EXPECT_EQ(TenantIdOf(host), "megaplan:acme.megaplan.ru");
  EXPECT_EQ(NormalizeBaseUrl("http://127.0.0.1:8080", true, &host), "http://127.0.0.1:8080");
  EXPECT_EQ(host, "127.0.0.1:8080");
  EXPECT_THROW(NormalizeBaseUrl("http://acme.megaplan.ru", false, &host), Error)
      << "plain http only where insecure endpoints are allowed";
  EXPECT_THROW(NormalizeBaseUrl("https://10.0.0.5", false, &host), Error) << "a private address";
  EXPECT_THROW(NormalizeBaseUrl("https://user:pw@acme.megaplan.ru", false, &host), Error);
}

TEST(CrmByTenant, MegaplanTenantsAreRecognisedByTheirIdAlone) {
  EXPECT_TRUE(adapters::IsMegaplanTenant("megaplan:acme.megaplan.ru"));
  EXPECT_FALSE(adapters::IsMegaplanTenant("a1b2c3d4e5"));
  EXPECT_FALSE(adapters::IsMegaplanTenant("xmegaplan:acme"));
}

}  // namespace
}  // namespace opdesk::megaplan
