// A settings service on a fresh database (SQLite or the throwaway MariaDB), with a scripted CRM,
// a fake clock and a chosen random source; two tenants, each with an installed Supervisor.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>

#include "connector/domain/error.h"
#include "connector/settings/service.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/repositories.h"
#include "connector/storage/settings_repositories.h"
#include "tests/support/test_database.h"

namespace opdesk::testing {

class ScriptedCrm : public settings::CrmDirectory {
 public:
  CrmCatalog FetchCatalog(const std::string&) override {
    std::lock_guard lock(mu);
    ++catalog_reads;
    if (down) {
      throw Unavailable("the portal is down");
    }
    return catalog;
  }
  std::vector<settings::PortalUser> FetchUsers(const std::string&) override {
    std::lock_guard lock(mu);
    ++user_reads;
    if (down) {
      throw Unavailable("the portal is down");
    }
    return users;
  }
  settings::MarketplaceStatus FetchMarketplaceStatus(const std::string&) override {
    std::lock_guard lock(mu);
    if (down) {
      throw Unavailable("the portal is down");
    }
    return marketplace;
  }

  std::mutex mu;
  CrmCatalog catalog;
  std::vector<settings::PortalUser> users;
  settings::MarketplaceStatus marketplace;
  int catalog_reads = 0;  // guarded by mu
  int user_reads = 0;     // guarded by mu
  bool down = false;      // guarded by mu
};

class SettingsDbTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<TestDatabase>(GetParam());
    db_ = test_db_->Open(true, 6);
    crm_.catalog.lead_statuses = {{"NEW", "Новый", 10, ""}, {"IN_PROCESS", "В работе", 20, ""}};
    crm_.catalog.deal_categories = {{"0", "Общая", {{"NEW", "Новая", 10, ""}}},
                                    {"1", "Повторные", {{"C1:NEW", "Новая", 10, ""}}}};
    crm_.catalog.fields["contact"] = {{"NAME", "Имя", "string", false, false, false}};
    crm_.catalog.fields["deal"] = {{"OPPORTUNITY", "Сумма", "double", false, false, false}};
    for (int i = 1; i <= 9; ++i) {
      crm_.users.push_back({std::to_string(i), "User " + std::to_string(i), "", true});
    }
    crm_.marketplace = {"S", false, 30, "ru_pro100", 0};
    MakeService(PlanCatalog());
    for (const char* tenant : {"t1", "t2"}) {
      storage::InTransaction(*db_, [&](storage::Session& s) {
        Tenant t;
        t.id = tenant;
        t.domain = std::string(tenant) + ".bitrix24.ru";
        t.created_at_ms = t.updated_at_ms = clock_.NowMs();
        storage::TenantRepository::Upsert(s, t);
        B24Portal p;
        p.tenant_id = tenant;
        p.domain = t.domain;
        p.client_endpoint = "https://" + t.domain + "/rest/";
        p.server_endpoint = "https://oauth.bitrix.info/rest/";
        p.installer_user_id = "1";
        p.created_at_ms = p.updated_at_ms = clock_.NowMs();
        storage::B24PortalRepository::Upsert(s, p);
      });
      service_->SyncUsers(tenant);
      storage::InTransaction(
          *db_, [&](storage::Session& s) { service_->GrantInstallerSupervisor(s, tenant, "1"); });
    }
  }

  void MakeService(PlanCatalog plans) {
    settings::SettingsOptions options;
    options.plans = plans;
    service_ = std::make_unique<settings::SettingsService>(
        *db_, clock_, &crm_, options, [this](std::size_t n) { return pick_(n); });
  }

  long long SupervisorRole(const std::string& tenant = "t1") {
    long long id = 0;
    storage::WithSession(*db_, [&](storage::Session& s) {
      id = storage::RoleRepository::FindSystem(s, tenant, "supervisor")->id;
    });
    return id;
  }
  long long NewRole(const std::string& name, bool manage = false,
                    const std::string& tenant = "t1") {
    Role r;
    r.name = name;
    r.may_manage_settings = manage;
    return service_->CreateRole(tenant, "1", r).id;
  }
  User UserOf(const std::string& id, const std::string& tenant = "t1") {
    std::optional<User> u;
    storage::WithSession(
        *db_, [&](storage::Session& s) { u = storage::UserRepository::Find(s, tenant, id); });
    EXPECT_TRUE(u) << id;
    return u.value_or(User{});
  }
  long long ActiveSeats(const std::string& tenant = "t1") {
    long long n = 0;
    storage::WithSession(*db_, [&](storage::Session& s) {
      n = storage::UserRepository::CountActiveSeats(s, tenant);
    });
    return n;
  }
  std::vector<AuditEntry> Audit(const std::string& tenant = "t1") {
    std::vector<AuditEntry> out;
    storage::WithSession(*db_, [&](storage::Session& s) {
      out = storage::AuditLogRepository::List(s, tenant, 200);
    });
    return out;
  }
  // The code of the opdesk::Error `fn` throws, "ok" when it does not.
  static std::string CodeOf(const std::function<void()>& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return std::string(ToString(e.code()));
    }
    return "ok";
  }

  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
  FakeClock clock_;
  ScriptedCrm crm_;
  std::function<std::size_t(std::size_t)> pick_ = [](std::size_t) { return 0; };
  std::unique_ptr<settings::SettingsService> service_;
};

}  // namespace opdesk::testing
