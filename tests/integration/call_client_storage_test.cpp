// Storage of what was created for calls, the per-number creation lock, the Mango directory and
// employee map maintenance, on SQLite and on the throwaway MariaDB server.
#include <gtest/gtest.h>

#include "connector/storage/call_client_repositories.h"
#include "connector/storage/mango_repositories.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

class CallClientStorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    db_ = test_db_->Open();
  }
  std::optional<std::string> Acquire(const std::string& phone, const std::string& entry,
                                     EpochMs now) {
    std::optional<std::string> holder;
    storage::InTransaction(*db_, [&](storage::Session& s) {
      holder = storage::ClientLockRepository::Acquire(s, "t1", phone, entry, now, 1000);
    });
    return holder;
  }
  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
};

TEST_P(CallClientStorageTest, RecordIsInsertedThenUpdatedInPlace) {
  CallClient c;
  c.tenant_id = "t1";
  c.entry_id = "entry-1";
  c.action = "client_and_deal";
  c.phone = "+79005550001";
  c.state = "sending";
  c.contact_id = "11";
  c.created_at_ms = 5;
  c.updated_at_ms = 5;
  storage::InTransaction(*db_,
                         [&](storage::Session& s) { storage::CallClientRepository::Save(s, c); });
  c.state = "done";
  c.outcome = "created";
  c.deal_id = "21";
  c.updated_at_ms = 6;
  storage::InTransaction(*db_,
                         [&](storage::Session& s) { storage::CallClientRepository::Save(s, c); });
  std::optional<CallClient> found, other_tenant;
  storage::WithSession(*db_, [&](storage::Session& s) {
    found = storage::CallClientRepository::Find(s, "t1", "entry-1");
    other_tenant = storage::CallClientRepository::Find(s, "t2", "entry-1");
  });
  ASSERT_TRUE(found);
  EXPECT_FALSE(other_tenant);
  EXPECT_EQ(found->state, "done");
  EXPECT_EQ(found->outcome, "created");
  EXPECT_EQ(found->contact_id, "11");
  EXPECT_EQ(found->deal_id, "21");
  EXPECT_EQ(found->created_at_ms, 5);
  EXPECT_EQ(found->updated_at_ms, 6);
}

TEST_P(CallClientStorageTest, OneCallAtATimeHoldsANumberUntilItReleasesOrGoesStale) {
  EXPECT_FALSE(Acquire("+7900", "A", 100)) << "free: A takes it";
  EXPECT_FALSE(Acquire("+7900", "A", 200)) << "A again: still A's";
  EXPECT_EQ(Acquire("+7900", "B", 300), "A") << "B waits for A";
  EXPECT_FALSE(Acquire("+7911", "B", 300)) << "another number is free";
  storage::InTransaction(*db_, [](storage::Session& s) {
    storage::ClientLockRepository::Release(s, "t1", "+7900", "B");  // not B's: stays
  });
  EXPECT_EQ(Acquire("+7900", "B", 400), "A");
  storage::InTransaction(*db_, [](storage::Session& s) {
    storage::ClientLockRepository::Release(s, "t1", "+7900", "A");
  });
  EXPECT_FALSE(Acquire("+7900", "B", 500)) << "released: B takes it";
  EXPECT_EQ(Acquire("+7900", "C", 1400), "B");
  EXPECT_FALSE(Acquire("+7900", "C", 1600)) << "B's lock went stale: C takes it over";
  EXPECT_EQ(Acquire("+7900", "B", 1700), "C");
}

TEST_P(CallClientStorageTest, DirectoryIsReplacedWholeAndEmployeeLinksRemovedBySource) {
  storage::InTransaction(*db_, [](storage::Session& s) {
    storage::MangoDirectoryRepository::Replace(
        s, "t1", {{"t1", "101", "Анна", "anna@example.ru", 0}, {"t1", "102", "Борис", "", 0}}, 10);
    storage::MangoDirectoryRepository::Replace(
        s, "t1", {{"t1", "102", "Борис", "b@example.ru", 0}, {"t1", "102", "Дубль", "", 0}}, 20);
    storage::MangoDirectoryRepository::Replace(s, "t2", {{"t2", "101", "Чужой", "", 0}}, 20);
    storage::EmployeeMapRepository::Link(s, {"t1", "102", "2", "crm", 1});
    storage::EmployeeMapRepository::Link(s, {"t1", "105", "5", "manual", 1});
  });
  std::vector<MangoDirectoryEntry> directory;
  bool removed_wrong_source = true, removed = false;
  std::vector<EmployeeLink> links;
  std::vector<std::string> tenants;
  storage::InTransaction(*db_, [&](storage::Session& s) {
    directory = storage::MangoDirectoryRepository::List(s, "t1");
    removed_wrong_source = storage::EmployeeMapRepository::Remove(s, "t1", "105", "crm");
    removed = storage::EmployeeMapRepository::Remove(s, "t1", "102", "crm");
    links = storage::EmployeeMapRepository::List(s, "t1");
    storage::MangoConnectionRepository::Upsert(s, {"t2", "k2", "key", "sealed", 1, 1});
    storage::MangoConnectionRepository::Upsert(s, {"t1", "k1", "key", "sealed", 1, 1});
    tenants = storage::MangoConnectionRepository::ListTenants(s);
  });
  ASSERT_EQ(directory.size(), 1u) << "the old list is gone; a repeated extension kept once";
  EXPECT_EQ(directory[0].extension, "102");
  EXPECT_EQ(directory[0].email, "b@example.ru");
  EXPECT_EQ(directory[0].synced_at_ms, 20);
  EXPECT_FALSE(removed_wrong_source) << "a manual link is not removed as an automatic one";
  EXPECT_TRUE(removed);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].extension, "105");
  EXPECT_EQ(tenants, (std::vector<std::string>{"t1", "t2"}));
}

TEST_P(CallClientStorageTest, ACommandNeverCarriedOutCanBeForgotten) {
  bool first = false, again = false;
  storage::InTransaction(*db_, [&](storage::Session& s) {
    first =
        storage::SentCommandRepository::Insert(s, {"t1", "cmd-1", "crm_callback", "c", "2", 0, 1});
    storage::SentCommandRepository::Delete(s, "t1", "cmd-1");
    again =
        storage::SentCommandRepository::Insert(s, {"t1", "cmd-1", "crm_callback", "c", "2", 0, 2});
  });
  EXPECT_TRUE(first);
  EXPECT_TRUE(again);
}

INSTANTIATE_TEST_SUITE_P(Backends, CallClientStorageTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
