// The phone index across processes: two MegaplanCrm instances (two opdesk processes, each with
// its own per-process index) on one database and one emulated account. An entity event reaches
// one of them (what webhooks/megaplan does: raise the account's index generation, then read the
// contractor again); the other must not answer from its stale index afterwards.
#include <gtest/gtest.h>

#include "adapters/http_transport.h"
#include "adapters/megaplan/api_client.h"
#include "adapters/megaplan/megaplan_crm.h"
#include "connector/storage/megaplan_repositories.h"
#include "oauth/megaplan/sign_in.h"
#include "oauth/secret_box.h"
#include "tests/support/b24emu.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

class MegaplanIndexTest : public ::testing::TestWithParam<std::string> {
 protected:
  MegaplanIndexTest()
      : database_(GetParam()),
        db_(database_.Open()),
        box_(std::string(32, 'k')),
        http_({true, 4, "opdesk-test"}),
        api_(*db_, box_, clock_, http_),
        receiver_(api_, *db_, clock_),
        other_(api_, *db_, clock_) {}

  void SetUp() override {
    tenant_ =
        megaplan::SignIn(*db_, box_, clock_, http_, true, {emu_.url(), "bot", "bot-pass", "test"})
            .tenant_id;
  }

  // What the events route does with an event about contractor `id`.
  bool Deliver(const std::string& id) {
    long long generation = 0;
    storage::InTransaction(*db_, [&](storage::Session& s) {
      generation = storage::MegaplanAccountRepository::BumpIndexGeneration(s, tenant_);
    });
    return receiver_.RefreshClient(tenant_, id, generation);
  }

  // An unknown number makes a process build its whole index (search, then a rebuild): later
  // lookups of known numbers answer from it.
  void Warm() {
    ASSERT_EQ(Found(receiver_, "+7 000 000-00-01"), "");
    ASSERT_EQ(Found(other_, "+7 000 000-00-01"), "");
  }

  std::string Found(megaplan::MegaplanCrm& crm, const std::string& phone) {
    const std::optional<adapters::CrmRecord> r = crm.FindClientByPhone(tenant_, phone);
    return r ? r->entity + ":" + r->id : "";
  }

  testing::MegaplanEmulator emu_;
  testing::TestDatabase database_;
  std::unique_ptr<storage::Database> db_;
  FakeClock clock_{SystemClock().NowMs()};
  crypto::SecretBox box_;
  adapters::HttpTransport http_;
  megaplan::ApiClient api_;
  megaplan::MegaplanCrm receiver_;  // the process the event reaches
  megaplan::MegaplanCrm other_;     // another process
  std::string tenant_;
};

TEST_P(MegaplanIndexTest, ANewContractorIsFoundByTheNextLookupInEveryProcess) {
  Warm();
  EXPECT_EQ(Found(receiver_, "+7 900 555-00-77"), "");
  EXPECT_EQ(Found(other_, "89005550077"), "");
  const web::json::value created =
      emu_.Control("POST", "/_emu/contractors",
                   R"({"contentType":"ContractorHuman","firstName":"Новый","contactInfo":[)"
                   R"({"contentType":"ContactInfo","type":"phone","value":"+7 900 555-00-77"}]})");
  const std::string id = created.at("id").as_string();
  EXPECT_TRUE(Deliver(id));
  EXPECT_EQ(Found(receiver_, "+79005550077"), "contact:" + id);
  EXPECT_EQ(Found(other_, "8 (900) 555-00-77"), "contact:" + id);
}

TEST_P(MegaplanIndexTest, AChangedOrDroppedNumberIsNotFoundByAnyProcess) {
  // Both processes know the client by its number (their indexes are built).
  Warm();
  ASSERT_EQ(Found(receiver_, "+79001234567"), "contact:1000100");
  ASSERT_EQ(Found(other_, "+79001234567"), "contact:1000100");
  // Its number changes: the event reaches one process.
  emu_.Control("POST", "/_emu/app/phone", R"({"id":"1000100","phone":"+7 900 765-43-21"})");
  EXPECT_TRUE(Deliver("1000100"));
  EXPECT_EQ(Found(receiver_, "+79001234567"), "");
  EXPECT_EQ(Found(other_, "+79001234567"), "") << "the other process dropped its stale index";
  EXPECT_EQ(Found(receiver_, "+79007654321"), "contact:1000100");
  EXPECT_EQ(Found(other_, "+79007654321"), "contact:1000100");
  // It is dropped: neither process finds it any more.
  emu_.Control("POST", "/_emu/app/drop", R"({"id":"1000100"})");
  EXPECT_FALSE(Deliver("1000100"));
  EXPECT_EQ(Found(receiver_, "+79007654321"), "");
  EXPECT_EQ(Found(other_, "+79007654321"), "");
}

TEST_P(MegaplanIndexTest, WithoutEventsAnIndexHitCostsNoRequest) {
  Warm();
  ASSERT_EQ(Found(receiver_, "+79001234567"), "contact:1000100");
  const size_t before = emu_.Control("GET", "/_emu/requests").at("requests").as_array().size();
  EXPECT_EQ(Found(receiver_, "+79001234567"), "contact:1000100");
  EXPECT_EQ(emu_.Control("GET", "/_emu/requests").at("requests").as_array().size(), before);
}

// API v1's Phone search answers when v3's search is unavailable (reference §3); its requests are
// signed with the v1 credentials the password sign-in obtained.
TEST_P(MegaplanIndexTest, WhenTheV3SearchIsUnavailableTheV1PhoneSearchFindsTheClient) {
  emu_.Control("POST", "/_emu/faults",
               R"({"path":"/api/v3/contractor","method":"GET","status":500,"count":20})");
  EXPECT_EQ(Found(receiver_, "8 (900) 123-45-67"), "contact:1000100");
  const std::vector<adapters::ClientResponsibles> responsibles =
      other_.FindResponsibles(tenant_, "+79001234567", {});
  ASSERT_EQ(responsibles.size(), 1u);
  ASSERT_EQ(responsibles[0].responsibles.size(), 1u);
  EXPECT_EQ(responsibles[0].responsibles[0].id, "1000003");
  int signed_lists = 0;
  const web::json::value log = emu_.Control("GET", "/_emu/requests");  // alive while iterating
  for (const web::json::value& r : log.at("requests").as_array()) {
    if (r.at("path").as_string() == "/BumsCrmApiV01/Contractor/list.api") {
      EXPECT_EQ(r.at("status").as_integer(), 200) << r.serialize();
      EXPECT_EQ(r.at("phone").as_string(), "9001234567");
      EXPECT_EQ(r.at("user").as_string(), "1000005");
      ++signed_lists;
    }
  }
  EXPECT_EQ(signed_lists, 2);
  // An unknown number: v1 finds nothing either.
  EXPECT_EQ(Found(receiver_, "+7 911 000-00-00"), "");
}

TEST_P(MegaplanIndexTest, WithoutV1CredentialsTheV3ErrorStands) {
  storage::InTransaction(*db_, [&](storage::Session& s) {
    storage::MegaplanAccountRepository::SaveV1Credentials(s, tenant_, "", "");
  });
  emu_.Control("POST", "/_emu/faults",
               R"({"path":"/api/v3/contractor","method":"GET","status":500,"count":20})");
  try {
    receiver_.FindClientByPhone(tenant_, "+79001234567");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, MegaplanIndexTest, ::testing::ValuesIn(testing::Backends()));

}  // namespace
}  // namespace opdesk
