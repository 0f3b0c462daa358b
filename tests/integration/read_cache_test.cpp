// The rows the call path keeps in memory (connector/storage/read_cache.h): a write through the
// repositories is seen at once, another process's write within ReadCache::kTtl, a read that
// raced a write keeps nothing, and two databases in one process never share rows. Every TEST_P
// runs on SQLite and on the throwaway MariaDB server.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <thread>

#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/read_cache.h"
#include "connector/storage/repositories.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using storage::Session;

B24Portal Portal(const std::string& tenant_id, const std::string& state) {
  B24Portal p;
  p.tenant_id = tenant_id;
  p.domain = tenant_id + ".bitrix24.ru";
  p.client_endpoint = "https://" + p.domain + "/rest/";
  p.state = state;
  p.installer_user_id = "1";
  return p;
}

class ReadCacheTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    db_ = test_db_->Open();
  }
  std::optional<B24Portal> RecentPortal(storage::Database& db, const std::string& tenant_id) {
    std::optional<B24Portal> out;
    storage::WithSession(
        db, [&](Session& s) { out = storage::B24PortalRepository::FindRecent(s, tenant_id); });
    return out;
  }
  std::optional<EmployeeLink> RecentLink(const std::string& extension) {
    std::optional<EmployeeLink> out;
    storage::WithSession(*db_, [&](Session& s) {
      out = storage::EmployeeMapRepository::FindRecent(s, "t1", extension);
    });
    return out;
  }
  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
};

TEST_P(ReadCacheTest, APortalWrittenThroughTheRepositoryIsReadAtOnce) {
  EXPECT_FALSE(RecentPortal(*db_, "p1"));  // none yet, and that answer is kept …
  storage::InTransaction(
      *db_, [](Session& s) { storage::B24PortalRepository::Upsert(s, Portal("p1", "installed")); });
  ASSERT_TRUE(RecentPortal(*db_, "p1"));  // … until the write
  EXPECT_EQ(RecentPortal(*db_, "p1")->state, "installed");

  storage::InTransaction(*db_, [](Session& s) {
    storage::B24PortalRepository::SetDomain(s, "p1", "p2.bitrix24.ru",
                                            "https://p2.bitrix24.ru/rest/", 5);
  });
  EXPECT_EQ(RecentPortal(*db_, "p1")->client_endpoint, "https://p2.bitrix24.ru/rest/");
  storage::InTransaction(
      *db_, [](Session& s) { storage::B24PortalRepository::SetNeedsReauth(s, "p1", true, 6); });
  EXPECT_TRUE(RecentPortal(*db_, "p1")->needs_reauth);
  storage::InTransaction(*db_, [](Session& s) {
    storage::B24PortalRepository::Upsert(s, Portal("p1", "uninstalled"));
  });
  EXPECT_EQ(RecentPortal(*db_, "p1")->state, "uninstalled");
  storage::InTransaction(*db_, [](Session& s) { storage::B24PortalRepository::Delete(s, "p1"); });
  EXPECT_FALSE(RecentPortal(*db_, "p1"));
}

TEST_P(ReadCacheTest, AnotherProcessesWriteIsSeenWithinTheTtlAndDatabasesShareNothing) {
  storage::InTransaction(
      *db_, [](Session& s) { storage::B24PortalRepository::Upsert(s, Portal("p1", "installed")); });
  ASSERT_EQ(RecentPortal(*db_, "p1")->state, "installed");
  // A second pool on the same database stands for another process: its write does not reach
  // the first pool's kept row …
  std::unique_ptr<storage::Database> other = test_db_->Open(false);
  storage::InTransaction(*other, [](Session& s) {
    storage::B24PortalRepository::Upsert(s, Portal("p1", "uninstalled"));
  });
  EXPECT_EQ(RecentPortal(*other, "p1")->state, "uninstalled");
  EXPECT_EQ(RecentPortal(*db_, "p1")->state, "installed");  // kept: no query was made
  std::optional<B24Portal> fresh;
  storage::WithSession(*db_,
                       [&](Session& s) { fresh = storage::B24PortalRepository::Find(s, "p1"); });
  EXPECT_EQ(fresh->state, "uninstalled");  // Find itself never reads the kept row
  // … and is read once the kept one is older than the TTL.
  std::this_thread::sleep_for(storage::ReadCache::kTtl + std::chrono::milliseconds(100));
  EXPECT_EQ(RecentPortal(*db_, "p1")->state, "uninstalled");
}

TEST_P(ReadCacheTest, EmployeeLinksAreDroppedByEveryWrite) {
  EXPECT_FALSE(RecentLink("101"));
  storage::InTransaction(*db_, [](Session& s) {
    storage::EmployeeMapRepository::Link(s, {"t1", "101", "7", "crm", 1});
  });
  ASSERT_TRUE(RecentLink("101"));
  EXPECT_EQ(RecentLink("101")->crm_user_id, "7");
  std::optional<EmployeeLink> by_user;
  storage::WithSession(*db_, [&](Session& s) {
    by_user = storage::EmployeeMapRepository::FindByUserRecent(s, "t1", "7");
  });
  ASSERT_TRUE(by_user);
  EXPECT_EQ(by_user->extension, "101");

  storage::InTransaction(*db_, [](Session& s) {
    storage::EmployeeMapRepository::Link(s, {"t1", "101", "9", "manual", 2});
  });
  EXPECT_EQ(RecentLink("101")->crm_user_id, "9");
  storage::WithSession(*db_, [&](Session& s) {
    by_user = storage::EmployeeMapRepository::FindByUserRecent(s, "t1", "7");
  });
  EXPECT_FALSE(by_user);  // user 7 lost the extension with that write
  storage::InTransaction(
      *db_, [](Session& s) { storage::EmployeeMapRepository::Remove(s, "t1", "101", "manual"); });
  EXPECT_FALSE(RecentLink("101"));
}

TEST_P(ReadCacheTest, AKnownCrmLineStaysKnownUntilTheTenantsDataIsDeleted) {
  auto known = [&] {
    bool out = false;
    storage::WithSession(*db_, [&](Session& s) {
      out = storage::CrmLineRepository::IsKnown(s, "t1", "74950000000");
    });
    return out;
  };
  EXPECT_FALSE(known());  // an unknown line is never kept: the next look asks again
  storage::InTransaction(
      *db_, [](Session& s) { storage::CrmLineRepository::Remember(s, "t1", "74950000000", 1); });
  EXPECT_TRUE(known());
  // Another process removes the row: this one still knows the line (lines are only added) …
  std::unique_ptr<storage::Database> other = test_db_->Open(false);
  storage::InTransaction(
      *other, [](Session& s) { s.sql() << "DELETE FROM crm_lines WHERE tenant_id = 't1'"; });
  EXPECT_TRUE(known());
  // … and deleting the tenant's data here forgets every kept row at once.
  storage::InTransaction(*db_, [](Session& s) { storage::DeleteTenantData(s, "t1"); });
  EXPECT_FALSE(known());
}

TEST(KeptRows, AReadThatRacedAWriteKeepsNothingAndRowsExpire) {
  storage::KeptRows<int> kept(std::chrono::hours(1));
  const std::uint64_t before_write = kept.generation();
  kept.Clear();  // a write started after the read began
  kept.Put("a", 1, before_write);
  EXPECT_FALSE(kept.Get("a"));
  kept.Put("a", 2, kept.generation());
  EXPECT_EQ(kept.Get("a"), 2);

  storage::KeptRows<int> brief(std::chrono::milliseconds(1));
  brief.Put("a", 1, brief.generation());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(brief.Get("a"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ReadCacheTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
