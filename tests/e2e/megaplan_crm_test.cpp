// MegaplanCrm against the Megaplan account emulator over real HTTP, with a real database: the
// parts of adapters::Crm the call scenarios do not reach (open deals and final statuses, moving a
// deal, tasks and comments, the settings' catalog and choices, employees), the sign-in's refusal
// storing nothing, and the API's errors mapped to opdesk's vocabulary.
#include <gtest/gtest.h>

#include "adapters/http_transport.h"
#include "adapters/megaplan/api_client.h"
#include "adapters/megaplan/megaplan_crm.h"
#include "connector/storage/megaplan_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/megaplan/sign_in.h"
#include "oauth/secret_box.h"
#include "tests/support/b24emu.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using adapters::CrmRecord;
using web::json::value;

class MegaplanCrmTest : public ::testing::TestWithParam<std::string> {
 protected:
  MegaplanCrmTest()
      : database_(GetParam()),
        db_(database_.Open()),
        box_(std::string(32, 'k')),
        http_({true, 4, "opdesk-test"}),
        api_(*db_, box_, clock_, http_),
        crm_(api_, *db_, clock_) {}

  void SetUp() override {
    const megaplan::SignInResult r =
        megaplan::SignIn(*db_, box_, clock_, http_, true, {emu_.url(), "bot", "bot-pass", "test"});
    tenant_ = r.tenant_id;
    EXPECT_EQ(r.employee_id, "1000005");
    EXPECT_FALSE(r.is_admin);
  }

  Error Failure(const std::function<void()>& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no error";
    return Internal("none");
  }

  value State() { return emu_.Control("GET", "/_emu/state"); }

  testing::MegaplanEmulator emu_;
  testing::TestDatabase database_;
  std::unique_ptr<storage::Database> db_;
  FakeClock clock_{SystemClock().NowMs()};
  crypto::SecretBox box_;
  adapters::HttpTransport http_;
  megaplan::ApiClient api_;
  megaplan::MegaplanCrm crm_;
  std::string tenant_;
};

TEST_P(MegaplanCrmTest, TheTokenIsSealedAndAWrongPasswordStoresNothing) {
  std::optional<MegaplanAccount> account;
  storage::WithSession(*db_, [&](storage::Session& s) {
    account = storage::MegaplanAccountRepository::Find(s, tenant_);
  });
  ASSERT_TRUE(account);
  EXPECT_EQ(account->login, "bot");
  EXPECT_EQ(account->token_sealed.find("bot-pass"), std::string::npos);
  EXPECT_GT(account->token_expires_at_ms, clock_.NowMs() + 47LL * 3600 * 1000);
  const long long version = account->version;
  const Error e = Failure([&] {
    megaplan::SignIn(*db_, box_, clock_, http_, true, {emu_.url(), "bot", "nope", "test"});
  });
  EXPECT_EQ(e.code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(std::string(e.what()).find("nothing was saved"), std::string::npos);
  storage::WithSession(*db_, [&](storage::Session& s) {
    EXPECT_EQ(storage::MegaplanAccountRepository::Find(s, tenant_)->version, version);
  });
  EXPECT_EQ(
      Failure([&] {
        megaplan::SignIn(*db_, box_, clock_, http_, false, {emu_.url(), "bot", "bot-pass", "test"});
      }).field(),
      "url")
      << "plain http to loopback is refused outside tests";
}

TEST_P(MegaplanCrmTest, ErrorsOfTheAccountMapToOpdesksVocabulary) {
  for (auto [status, code] : {std::pair{403, ErrorCode::kPermissionDenied},
                              {422, ErrorCode::kInvalidArgument},
                              {429, ErrorCode::kResourceExhausted},
                              {500, ErrorCode::kUnavailable}}) {
    emu_.Control("POST", "/_emu/faults",
                 R"({"path":"/api/v3/employee","status":)" + std::to_string(status) +
                     R"(,"retry_after":3,"field":"limit"})");
    const Error e = Failure([&] { crm_.FetchUsers(tenant_); });
    EXPECT_EQ(e.code(), code) << status;
    if (status == 429) {
      EXPECT_EQ(e.retry_after_ms().value_or(0), 3000);
    }
    if (status == 422) {
      EXPECT_EQ(e.field(), "limit");
    }
  }
  // A token that ends is not sent and the account is asked to sign in again.
  clock_.Advance(49LL * 3600 * 1000);
  EXPECT_EQ(Failure([&] { crm_.FindClientByPhone(tenant_, "+79001234567"); }).code(),
            ErrorCode::kUnauthenticated);
}

TEST_P(MegaplanCrmTest, EmployeesMapToExtensionsByTheirShortNumber) {
  EXPECT_EQ(crm_.FindUserByExtension(tenant_, "101"), "1000001");
  EXPECT_EQ(crm_.FindUserByExtension(tenant_, "102"), "1000002");
  EXPECT_EQ(crm_.FindUserByExtension(tenant_, "104"), "") << "fired";
  EXPECT_EQ(crm_.UserExtension(tenant_, "1000002"), "102");
  EXPECT_FALSE(crm_.IsActiveUser(tenant_, "1000004", {}));
  bool vera = false;
  for (const adapters::CrmUser& u : crm_.ListActiveUsers(tenant_)) {
    EXPECT_NE(u.id, "1000004");
    vera = vera || (u.id == "1000003" && u.email == "vera@example.ru" && u.extension.empty());
  }
  EXPECT_TRUE(vera) << "matched by e-mail only";
}

TEST_P(MegaplanCrmTest, DealsOpenAndClosedAndMovedByTransitions) {
  const CrmRecord ivan{"contact", "1000100"};
  EXPECT_TRUE(crm_.OpenDeals(tenant_, ivan, "", {}).empty());
  adapters::NewClient wanted;
  wanted.origin = {"opdesk", "mango:e1"};
  wanted.deal = true;
  wanted.name = "Повторный звонок (10:00 06.12.2026, входящий вызов)";
  wanted.phone = "79001234567";
  wanted.deal_contact_id = "1000100";
  wanted.deal_category_id = "1";
  wanted.deal_stage_id = "13";
  wanted.responsible_user_id = "1000003";
  const adapters::CreatedClient created = crm_.CreateClient(tenant_, wanted);
  ASSERT_FALSE(created.error) << created.error->what();
  EXPECT_EQ(crm_.FindCreatedClient(
                    tenant_, {{"opdesk", "mango:e1"}, false, false, false, true, "79001234567"})
                .deal_id,
            created.deal_id);
  // 11 → 12 → 13: «Успешно» is final, so the client has no open deal.
  EXPECT_TRUE(crm_.OpenDeals(tenant_, ivan, "1", {}).empty());
  wanted.origin = {"opdesk", "mango:e2"};
  wanted.deal_stage_id = "";
  const adapters::CreatedClient second = crm_.CreateClient(tenant_, wanted);
  ASSERT_FALSE(second.error);
  EXPECT_EQ(crm_.OpenDeals(tenant_, ivan, "1", {}), std::vector<std::string>{second.deal_id});
  EXPECT_TRUE(crm_.OpenDeals(tenant_, ivan, "2", {}).empty()) << "another scheme";
  EXPECT_EQ(crm_.DealPipeline(tenant_, second.deal_id, {}), "1");
  crm_.SetDealStage(tenant_, second.deal_id, "14", {});
  EXPECT_TRUE(crm_.OpenDeals(tenant_, ivan, "", {}).empty());
  EXPECT_EQ(Failure([&] { crm_.SetDealStage(tenant_, second.deal_id, "12", {}); }).code(),
            ErrorCode::kInvalidArgument)
      << "no way back from a final status";
  // Leads do not exist in Megaplan.
  adapters::NewClient lead;
  lead.lead = true;
  EXPECT_EQ(crm_.CreateClient(tenant_, lead).error->code(), ErrorCode::kInvalidArgument);
}

TEST_P(MegaplanCrmTest, CardActionsCatalogAndChoices) {
  const CrmRecord company{"company", "1000101"};
  EXPECT_FALSE(crm_.AddComment(tenant_, company, "Перезвонить", {}).empty());
  EXPECT_FALSE(
      crm_.AddTask(tenant_, {"Позвонить", "Уточнить", "", "1000002", company}, {}).empty());
  const value state = State();
  EXPECT_EQ(state.at("comments").at(0).at("subject").at("contentType").as_string(),
            "ContractorCompany");
  EXPECT_EQ(state.at("tasks").at(0).at("subject").at("id").as_string(), "1000101");
  const CrmCatalog catalog = crm_.FetchCatalog(tenant_);
  ASSERT_EQ(catalog.deal_categories.size(), 2u);
  EXPECT_EQ(catalog.deal_categories[0].name, "Продажи");
  ASSERT_EQ(catalog.deal_categories[0].stages.size(), 4u);
  EXPECT_EQ(catalog.deal_categories[0].stages[2].semantics, "S");
  EXPECT_EQ(catalog.deal_categories[0].stages[3].semantics, "F");
  EXPECT_EQ(catalog.fields.at("contact").at(0).label, "Линия");
  const adapters::CrmChoices choices = crm_.ListChoices(tenant_, {false, "2"}, {});
  EXPECT_EQ(choices.pipelines, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(choices.stages, (std::set<std::string>{"21", "22"}));
  // The company's number, typed as "8 495 000-00-00", is found whichever way it is written.
  EXPECT_EQ(crm_.FindClientByPhone(tenant_, "+7 (495) 000-00-00"), company);
  const auto responsibles = crm_.FindResponsibles(tenant_, "74950000000", {});
  ASSERT_EQ(responsibles.size(), 1u);
  EXPECT_EQ(responsibles[0].responsibles.at(0).id, "1000002");
}

INSTANTIATE_TEST_SUITE_P(Backends, MegaplanCrmTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
