// Storage on both backends: migrations, repositories, transactions, tenancy, concurrency and
// connection loss. Every TEST_P runs on SQLite and on the throwaway MariaDB server.
#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "connector/domain/error.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/migrations.h"
#include "connector/storage/pending_events.h"
#include "connector/storage/repositories.h"
#include "connector/storage/server_prepared.h"
#include "tests/support/process.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using storage::Session;

class StorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    db_ = test_db_->Open();
  }
  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
  FakeClock clock_;
};

Tenant MakeTenant(const std::string& id) {
  Tenant t;
  t.id = id;
  t.kind = TenantKind::kBitrix24;
  t.domain = id + ".bitrix24.ru";
  t.created_at_ms = 1000;
  t.updated_at_ms = 1000;
  return t;
}

TEST_P(StorageTest, MigrateIsIdempotentAndReportsCurrentSchema) {
  storage::MigrateResult again = storage::Migrate(*db_, clock_);
  EXPECT_TRUE(again.applied.empty());
  EXPECT_EQ(again.from, storage::LatestSchemaVersion());
  storage::SchemaStatus status = storage::ReadSchemaStatus(*db_);
  EXPECT_TRUE(status.up_to_date());
  EXPECT_EQ(status.current, storage::LatestSchemaVersion());
}

TEST_P(StorageTest, EmptyDatabaseReportsSchemaBehind) {
  testing::TestDatabase fresh(GetParam());
  auto db = fresh.Open(/*migrate=*/false);
  storage::SchemaStatus status = storage::ReadSchemaStatus(*db);
  EXPECT_EQ(status.current, 0);
  EXPECT_FALSE(status.up_to_date());
  EXPECT_FALSE(status.too_new());
}

TEST_P(StorageTest, SchemaNewerThanThisBuildIsRefused) {
  storage::InTransaction(*db_, [](Session& s) {
    s.sql() << "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (999, "
               "'future', 0)";
  });
  EXPECT_TRUE(storage::ReadSchemaStatus(*db_).too_new());
  try {
    storage::Migrate(*db_, clock_);
    FAIL() << "Migrate accepted a newer schema";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos);
  }
}

TEST_P(StorageTest, TenantUpsertInsertsThenUpdatesAndBumpsVersion) {
  storage::InTransaction(
      *db_, [](Session& s) { storage::TenantRepository::Upsert(s, MakeTenant("member-a")); });
  Tenant changed = MakeTenant("member-a");
  changed.domain = "renamed.bitrix24.ru";
  changed.plan = "standard";
  changed.paid_until_ms = 1'800'000'000'000;
  changed.updated_at_ms = 2000;
  storage::InTransaction(*db_, [&](Session& s) { storage::TenantRepository::Upsert(s, changed); });
  std::optional<Tenant> found;
  storage::WithSession(*db_,
                       [&](Session& s) { found = storage::TenantRepository::Find(s, "member-a"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->domain, "renamed.bitrix24.ru");
  EXPECT_EQ(found->plan, "standard");
  EXPECT_EQ(found->paid_until_ms, 1'800'000'000'000);
  EXPECT_EQ(found->version, 2);
  EXPECT_EQ(found->created_at_ms, 1000);
  EXPECT_EQ(found->updated_at_ms, 2000);
}

TEST_P(StorageTest, UnknownTenantIsNotFound) {
  std::optional<Tenant> found;
  storage::WithSession(*db_,
                       [&](Session& s) { found = storage::TenantRepository::Find(s, "nope"); });
  EXPECT_FALSE(found);
}

TEST_P(StorageTest, UsersAreScopedByTenant) {
  storage::InTransaction(*db_, [](Session& s) {
    storage::TenantRepository::Upsert(s, MakeTenant("a"));
    storage::TenantRepository::Upsert(s, MakeTenant("b"));
    storage::UserRepository::Upsert(s, {"a", "1", "Анна", "anna@a.ru", "active", 1, 1, 7});
    storage::UserRepository::Upsert(s, {"a", "2", "Борис", "", "active", 1, 1, 0});
    storage::UserRepository::Upsert(s, {"b", "1", "Вера", "", "active", 1, 1, 0});
  });
  std::vector<User> a_users;
  std::vector<User> b_users;
  std::optional<User> cross;
  storage::WithSession(*db_, [&](Session& s) {
    a_users = storage::UserRepository::ListByTenant(s, "a");
    b_users = storage::UserRepository::ListByTenant(s, "b");
    cross = storage::UserRepository::Find(s, "b", "2");
  });
  ASSERT_EQ(a_users.size(), 2u);
  EXPECT_EQ(a_users[0].name, "Анна");
  EXPECT_EQ(a_users[0].role_id, 7);
  EXPECT_EQ(a_users[1].role_id, 0);
  ASSERT_EQ(b_users.size(), 1u);
  EXPECT_EQ(b_users[0].name, "Вера");
  EXPECT_FALSE(cross) << "user 2 of tenant a must not be visible under tenant b";
}

TEST_P(StorageTest, FourByteUtf8SurvivesRoundTrip) {
  const std::string name = "Оператор 😀 ✓";
  storage::InTransaction(*db_, [&](Session& s) {
    storage::UserRepository::Upsert(s, {"t", "7", name, "", "active", 1, 1, 0});
  });
  std::optional<User> u;
  storage::WithSession(*db_, [&](Session& s) { u = storage::UserRepository::Find(s, "t", "7"); });
  ASSERT_TRUE(u);
  EXPECT_EQ(u->name, name);
}

TEST_P(StorageTest, DuplicateEventIsIgnored) {
  StoredEvent e{0, "t", "mango", "events/call", "call-1:3", "{\"seq\":3}", 5};
  std::optional<long long> first;
  std::optional<long long> second;
  std::optional<long long> other_tenant;
  storage::InTransaction(*db_, [&](Session& s) {
    first = storage::EventRepository::InsertIfNew(s, e);
    second = storage::EventRepository::InsertIfNew(s, e);
    StoredEvent copy = e;
    copy.tenant_id = "t2";
    other_tenant = storage::EventRepository::InsertIfNew(s, copy);
  });
  ASSERT_TRUE(first);
  EXPECT_GT(*first, 0);
  EXPECT_FALSE(second);
  EXPECT_TRUE(other_tenant) << "dedupe keys are per tenant";
  long long count = 0;
  storage::WithSession(
      *db_, [&](Session& s) { count = storage::EventRepository::CountByTenant(s, "t"); });
  EXPECT_EQ(count, 1);
}

TEST_P(StorageTest, EventsStoredTogetherArePendingUntilMarkedApplied) {
  StoredEvent a{0, "t", "mango", "events/call", "call:c-1:1", "{\"seq\":1}", 5};
  StoredEvent b{0, "t", "mango", "events/call", "call:c-1:2", "{\"seq\":2}", 6};
  StoredEvent quiet{0, "t", "mango", "events/dtmf", "dtmf:c-1:1", "{}", 7};
  bool all = false;
  storage::InTransaction(*db_, [&](Session& s) {
    all = storage::PendingEventRepository::InsertAll(s, {&a, &b, &quiet}, {true, true, false});
  });
  EXPECT_TRUE(all);
  // A list with a repeat (of a stored event) is refused; the caller rolls back.
  StoredEvent c{0, "t", "mango", "events/call", "call:c-1:3", "{\"seq\":3}", 8};
  bool with_repeat = true;
  EXPECT_THROW(
      storage::InTransaction(
          *db_,
          [&](Session& s) {
            with_repeat = storage::PendingEventRepository::InsertAll(s, {&c, &a}, {true, true});
            throw Conflict("rolled back by the caller");
          }),
      Error);
  EXPECT_FALSE(with_repeat);
  // So is a list that repeats itself.
  bool self_repeat = true;
  EXPECT_THROW(
      storage::InTransaction(
          *db_,
          [&](Session& s) {
            self_repeat = storage::PendingEventRepository::InsertAll(s, {&c, &c}, {true, true});
            throw Conflict("rolled back by the caller");
          }),
      Error);
  EXPECT_FALSE(self_repeat);
  std::vector<StoredEvent> pending;
  storage::InTransaction(*db_, [&](Session& s) {
    storage::PendingEventRepository::LockApplier(s, 10);
    pending = storage::PendingEventRepository::ListPending(s, 10);
  });
  ASSERT_EQ(pending.size(), 2u) << "the dtmf event has nothing to apply";
  EXPECT_EQ(pending[0].dedupe_key, "call:c-1:1");
  EXPECT_EQ(pending[0].payload, "{\"seq\":1}");
  EXPECT_EQ(pending[1].dedupe_key, "call:c-1:2");
  long long left = -1;
  long long stored = -1;
  storage::InTransaction(*db_, [&](Session& s) {
    storage::PendingEventRepository::MarkApplied(s, {pending[0].id});
    left = storage::PendingEventRepository::CountPending(s);
    stored = storage::EventRepository::CountByTenant(s, "t");
  });
  EXPECT_EQ(left, 1);
  EXPECT_EQ(stored, 3);
}

TEST_P(StorageTest, AuditLogListsNewestFirstAndPages) {
  storage::InTransaction(*db_, [](Session& s) {
    for (int i = 1; i <= 5; ++i) {
      AuditEntry a;
      a.tenant_id = "t";
      a.actor = "user:1";
      a.action = "role.update";
      a.object_type = "role";
      a.object_id = std::to_string(i);
      a.before_json = i == 1 ? std::nullopt
                             : std::optional<std::string>("{\"v\":" + std::to_string(i - 1) + "}");
      a.after_json = "{\"v\":" + std::to_string(i) + "}";
      a.at_ms = 100 + i;
      storage::AuditLogRepository::Append(s, a);
    }
    AuditEntry other;
    other.tenant_id = "other";
    other.actor = "x";
    other.action = "y";
    other.object_type = "z";
    other.object_id = "1";
    storage::AuditLogRepository::Append(s, other);
  });
  std::vector<AuditEntry> page1;
  std::vector<AuditEntry> page2;
  storage::WithSession(*db_, [&](Session& s) {
    page1 = storage::AuditLogRepository::List(s, "t", 3);
    page2 = storage::AuditLogRepository::List(s, "t", 3, page1.back().id);
  });
  ASSERT_EQ(page1.size(), 3u);
  EXPECT_EQ(page1[0].object_id, "5");
  EXPECT_EQ(page1[2].object_id, "3");
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_EQ(page2[1].object_id, "1");
  EXPECT_FALSE(page2[1].before_json);
  EXPECT_EQ(*page2[0].before_json, "{\"v\":1}");
  EXPECT_FALSE(page2[1].after_json.value_or("").empty());
}

TEST_P(StorageTest, FailedTransactionLeavesNothingBehind) {
  EXPECT_THROW(storage::InTransaction(*db_,
                                      [](Session& s) {
                                        storage::TenantRepository::Upsert(s, MakeTenant("x"));
                                        throw InvalidArgument("caller changed its mind");
                                      }),
               Error);
  std::vector<Tenant> all;
  storage::WithSession(*db_, [&](Session& s) { all = storage::TenantRepository::List(s); });
  EXPECT_TRUE(all.empty());
  // The session went back to the pool clean: the next transaction works.
  storage::InTransaction(*db_,
                         [](Session& s) { storage::TenantRepository::Upsert(s, MakeTenant("y")); });
  storage::WithSession(*db_, [&](Session& s) { all = storage::TenantRepository::List(s); });
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, "y");
}

// A hot statement kept prepared on its connection (SQLite): made once, run again with new
// values, dropped by a failed transaction and made afresh. MySQL keeps nothing.
TEST_P(StorageTest, AKeptStatementIsPreparedOnceAndAFailedTransactionDropsIt) {
  auto db = test_db_->Open(/*migrate=*/false, /*pool_size=*/1);
  struct CountFrom : storage::KeptStatement {
    CountFrom(soci::session& sql, int* made)
        : st((sql.prepare << "SELECT COUNT(*) FROM tenants WHERE created_at_ms >= :from",
              soci::use(from, "from"), soci::into(count))) {
      ++*made;
    }
    long long from = 0;
    long long count = -1;
    soci::statement st;
  };
  int made = 0;
  auto make = [&](soci::session& sql) { return std::make_unique<CountFrom>(sql, &made); };
  const bool sqlite = GetParam() == "sqlite";
  // Counts the tenants created at `from` or later through the kept statement.
  auto count_from = [&](long long from) {
    long long n = -1;
    storage::WithSession(*db, [&](Session& s) {
      auto* kept = static_cast<CountFrom*>(s.Kept("tenants-from", make));
      if (!sqlite) {
        EXPECT_EQ(kept, nullptr);
        s.sql() << "SELECT COUNT(*) FROM tenants WHERE created_at_ms >= :from", soci::use(from),
            soci::into(n);
        return;
      }
      ASSERT_NE(kept, nullptr);
      kept->from = from;
      kept->st.execute(true);
      n = kept->count;
    });
    return n;
  };
  Tenant a = MakeTenant("a");
  Tenant b = MakeTenant("b");
  b.created_at_ms = 5000;
  storage::InTransaction(*db, [&](Session& s) {
    storage::TenantRepository::Upsert(s, a);
    storage::TenantRepository::Upsert(s, b);
  });
  EXPECT_EQ(count_from(0), 2);
  EXPECT_EQ(count_from(2000), 1) << "the new value is bound on the next run";
  EXPECT_EQ(count_from(9000), 0);
  EXPECT_EQ(made, sqlite ? 1 : 0);

  // Write transactions run on SQLite's writer connection: the statement is kept there too, and
  // dropped when a transaction on it fails.
  auto keep_in_transaction = [&](bool fail) {
    storage::InTransaction(*db, [&](Session& s) {
      ASSERT_EQ(s.Kept("tenants-from", make) != nullptr, sqlite);
      if (fail) {
        throw InvalidArgument("caller changed its mind");
      }
    });
  };
  keep_in_transaction(false);
  keep_in_transaction(false);
  EXPECT_EQ(made, sqlite ? 2 : 0) << "made once for the writer connection";
  EXPECT_THROW(keep_in_transaction(true), Error);
  keep_in_transaction(false);
  EXPECT_EQ(made, sqlite ? 3 : 0) << "made afresh after the failed transaction";
  EXPECT_EQ(count_from(0), 2);
  EXPECT_EQ(made, sqlite ? 3 : 0) << "the reader's own is still kept";
}

TEST_P(StorageTest, SqliteWritesTakeTurnsOnOneConnectionThatKeepsItsCache) {
  auto db = test_db_->Open(/*migrate=*/true, /*pool_size=*/2);
  const bool sqlite = GetParam() == "sqlite";
  if (!sqlite) {
    EXPECT_FALSE(db->LeaseWriter().has_value()) << "MariaDB writes use the pool";
  }
  std::set<const void*> writers;
  std::mutex writers_mu;
  const void* reader = nullptr;
  long long writer_cache = 0;
  long long reader_cache = 0;
  storage::InTransaction(*db, [&](Session& s) {
    writers.insert(&s.sql());
    if (sqlite) {
      s.sql() << "PRAGMA cache_size", soci::into(writer_cache);
    }
    // A read inside a write transaction takes a pooled connection: it does not wait for the
    // turn its own thread holds.
    storage::WithSession(*db, [&](Session& r) {
      reader = &r.sql();
      if (sqlite) {
        r.sql() << "PRAGMA cache_size", soci::into(reader_cache);
      }
    });
  });
  // Four threads writing at once, in transactions and in single statements (WriteOnce): every
  // write commits, none is lost, none meets SQLite's busy handler.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto write = [&](Session& s) {
          {
            std::lock_guard lock(writers_mu);
            writers.insert(&s.sql());
          }
          storage::TenantRepository::Upsert(
              s, MakeTenant("w" + std::to_string(t) + "-" + std::to_string(i)));
        };
        if (i % 2 == 0) {
          storage::InTransaction(*db, write);
        } else {
          storage::WriteOnce(*db, write);
        }
      }
    });
  }
  for (std::thread& th : threads) {
    th.join();
  }
  long long tenants = 0;
  storage::WithSession(*db, [&](Session& s) {
    s.sql() << "SELECT COUNT(*) FROM tenants WHERE id LIKE 'w%'", soci::into(tenants);
  });
  EXPECT_EQ(tenants, 100);
  if (sqlite) {
    EXPECT_EQ(writers.size(), 1u) << "every write ran on the writer connection";
    EXPECT_EQ(writers.count(reader), 0u) << "reads use the pool";
    EXPECT_EQ(writer_cache, -32000) << "the writer's cache: 32,000 KiB";
    EXPECT_EQ(reader_cache, -2000) << "a reader's: SQLite's default";
  }
}

// SQLite: the WAL is copied into the database file beside the writes and started over once long,
// not by the committing writer. The connections' own automatic checkpoint is set far above what
// this test writes, so a WAL that stays short was copied and started over by the checkpointer.
TEST(SqliteCheckpointTest, WalIsCopiedAndStartedOverBesideTheWrites) {
  testing::TestDatabase test_db("sqlite");
  test_db.Open(/*migrate=*/false, /*pool_size=*/1).reset();
  storage::DatabaseOptions options;
  options.url = test_db.url();
  options.pool_size = 2;
  options.sqlite_checkpoint.interval_ms = 10;
  options.sqlite_checkpoint.restart_frames = 100;  // the backstop: 500 frames, about 2 MB
  storage::Database db(options);
  std::string journal;
  long long autocheckpoint = 0;
  storage::InTransaction(db, [&](Session& s) {
    s.sql() << "PRAGMA journal_mode", soci::into(journal);
    s.sql() << "PRAGMA wal_autocheckpoint", soci::into(autocheckpoint);
    s.sql() << "CREATE TABLE wal_rows (id INTEGER PRIMARY KEY, v TEXT NOT NULL)";
  });
  ASSERT_EQ(journal, "wal");
  EXPECT_EQ(autocheckpoint, 500) << "the committing writer copies only as a backstop";
  const std::string path = test_db.url().substr(std::string("sqlite://").size());
  // 8 MB of rows in 160 transactions of 50 KB, paced so that the checkpointer runs between them.
  const std::string payload(1'000, 'p');
  std::uintmax_t longest_wal = 0;
  for (int t = 0; t < 160; ++t) {
    storage::InTransaction(db, [&](Session& s) {
      for (int i = 0; i < 50; ++i) {
        s.sql() << "INSERT INTO wal_rows (v) VALUES (:v)", soci::use(payload);
      }
    });
    std::error_code ec;
    longest_wal = std::max(longest_wal, std::filesystem::file_size(path + "-wal", ec));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  long long rows = 0;
  storage::WithSession(
      db, [&](Session& s) { s.sql() << "SELECT COUNT(*) FROM wal_rows", soci::into(rows); });
  EXPECT_EQ(rows, 8'000);
  // Without the checkpointer the WAL would reach the backstop, 2 MB; with it, it is started over
  // near 100 frames (400 KB) and a transaction's pages more.
  EXPECT_LT(longest_wal, 1u << 20) << "the WAL should have been started over";
  EXPECT_TRUE(testing::WaitFor(
      [&] {
        std::error_code ec;
        return std::filesystem::file_size(path, ec) >= 8'000'000;  // 8,000 rows of 1,000 bytes
      },
      std::chrono::milliseconds(10'000)))
      << "the rows should have been copied into the database file";
}

// Payloads that text statements must escape, and a large one; each differs from the others.
std::vector<std::string> AwkwardPayloads(std::size_t n) {
  const std::string awkward[] = {"{\"q\":\"it's \\\"quoted\\\"\"}",
                                 std::string("nul\0inside", 10),
                                 "back\\slash\\",
                                 "звонок от клиента, ☎",
                                 "? ?? :name %s %d",
                                 std::string(40'000, 'x')};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(awkward[i % std::size(awkward)] + "#" + std::to_string(i));
  }
  return out;
}

// MariaDB: prepared statements served by the server, as the hot INSERTs use them.
long long ServerPreparesSoFar(Session& s) {
  std::string name;
  long long value = 0;
  s.sql() << "SHOW SESSION STATUS LIKE 'Com_stmt_prepare'", soci::into(name), soci::into(value);
  return value;
}

TEST_P(StorageTest, EventsStoredManyAtOnceKeepEveryByteAndAreParsedOncePerConnection) {
  auto db = test_db_->Open(/*migrate=*/true, /*pool_size=*/1);
  const bool mysql = GetParam() == "mariadb";
  const std::vector<std::string> payloads = AwkwardPayloads(40);
  // 40 events in one list: on MariaDB, statements of 16, 16 and 8 rows.
  auto store = [&](const std::string& prefix) {
    std::vector<StoredEvent> events;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
      events.push_back({0, "t", "mango", "events/call", prefix + std::to_string(i), payloads[i],
                        static_cast<EpochMs>(i)});
    }
    std::vector<const StoredEvent*> list;
    for (const StoredEvent& e : events) {
      list.push_back(&e);
    }
    bool all = false;
    long long prepared = 0;
    storage::InTransaction(*db, [&](Session& s) {
      const long long before = mysql ? ServerPreparesSoFar(s) : 0;
      all =
          storage::PendingEventRepository::InsertAll(s, list, std::vector<bool>(list.size(), true));
      prepared = mysql ? ServerPreparesSoFar(s) - before : 0;
    });
    EXPECT_TRUE(all);
    return prepared;
  };
  EXPECT_EQ(store("a:"), mysql ? 2 : 0) << "one statement of 16 rows and one of 8";
  EXPECT_EQ(store("b:"), 0) << "both kept on the connection";

  std::vector<StoredEvent> pending;
  storage::WithSession(
      *db, [&](Session& s) { pending = storage::PendingEventRepository::ListPending(s, 100); });
  ASSERT_EQ(pending.size(), 2 * payloads.size());
  for (std::size_t i = 0; i < pending.size(); ++i) {
    const std::size_t n = i % payloads.size();
    EXPECT_EQ(pending[i].dedupe_key, (i < payloads.size() ? "a:" : "b:") + std::to_string(n));
    EXPECT_EQ(pending[i].payload, payloads[n]) << "event " << i;
    EXPECT_EQ(pending[i].received_at_ms, static_cast<EpochMs>(n));
  }

  // A repeat in a later chunk refuses the list; the caller's rollback leaves nothing of it, and
  // the statements are prepared afresh after the failed transaction.
  std::vector<StoredEvent> again;
  for (int i = 0; i < 20; ++i) {
    again.push_back({0, "t", "mango", "events/call", "c:" + std::to_string(i), "{}", 1});
  }
  again[18].dedupe_key = "a:3";
  std::vector<const StoredEvent*> list;
  for (const StoredEvent& e : again) {
    list.push_back(&e);
  }
  bool refused_all = true;
  EXPECT_THROW(storage::InTransaction(*db,
                                      [&](Session& s) {
                                        refused_all = storage::PendingEventRepository::InsertAll(
                                            s, list, std::vector<bool>(list.size(), true));
                                        throw Conflict("rolled back by the caller");
                                      }),
               Error);
  EXPECT_FALSE(refused_all);
  long long stored = 0;
  storage::WithSession(
      *db, [&](Session& s) { stored = storage::EventRepository::CountByTenant(s, "t"); });
  EXPECT_EQ(stored, 80);
  EXPECT_EQ(store("d:"), mysql ? 2 : 0);
}

TEST_P(StorageTest, AStatementPreparedOnTheServerReportsTheServersErrors) {
  auto db = test_db_->Open(/*migrate=*/true, /*pool_size=*/1);
  storage::WithSession(*db, [&](Session& s) {
    storage::ServerPrepared* insert = s.KeptOnServer(
        "INSERT INTO events (tenant_id, source, kind, dedupe_key, payload, received_at_ms,"
        " pending) VALUES (?, 'mango', 'events/call', ?, '{}', 1, 0)");
    if (GetParam() == "sqlite") {
      EXPECT_EQ(insert, nullptr) << "SQLite keeps its own statements (Kept)";
      return;
    }
    ASSERT_NE(insert, nullptr);
    EXPECT_EQ(insert->parameter_count(), 2u);
    const std::string tenant = "t";
    const std::string key = "k-1";
    insert->Bind(0, tenant);
    insert->Bind(1, key);
    EXPECT_EQ(insert->Execute(), 1);
    try {
      insert->Execute();
      ADD_FAILURE() << "a repeated key was stored";
    } catch (const soci::mysql_soci_error& e) {
      EXPECT_EQ(e.err_num_, 1062u) << e.what();
    }
    EXPECT_THROW(s.KeptOnServer("INSERT INTO nowhere VALUES (?)"), soci::mysql_soci_error);
  });
}

TEST_P(StorageTest, SqlErrorsBecomeTheErrorVocabulary) {
  try {
    storage::WithSession(*db_, [](Session& s) { s.sql() << "SELECT nonsense FROM nowhere"; });
    FAIL() << "bad SQL did not throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
  }
}

TEST_P(StorageTest, ConcurrentWritersAllCommit) {
  constexpr int kThreads = 8;
  constexpr int kEach = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        try {
          storage::InTransaction(*db_, [&](Session& s) {
            StoredEvent e{
                0,    "t", "mango", "events/call", std::to_string(t) + ":" + std::to_string(i),
                "{}", 1};
            storage::EventRepository::InsertIfNew(s, e);
          });
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(failures.load(), 0);
  long long count = 0;
  storage::WithSession(
      *db_, [&](Session& s) { count = storage::EventRepository::CountByTenant(s, "t"); });
  EXPECT_EQ(count, kThreads * kEach);
}

TEST_P(StorageTest, ExhaustedPoolAnswersUnavailable) {
  storage::DatabaseOptions options;
  options.url = test_db_->url();
  options.pool_size = 1;
  options.lease_timeout_ms = 100;
  storage::Database small(options);
  storage::Session held = small.Lease();
  EXPECT_EQ(small.in_use(), 1);
  try {
    small.Lease();
    FAIL() << "a second lease from a pool of one succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

// MariaDB only: a connection killed by the server (wait_timeout, failover) is restored before the
// session is handed out again.
TEST(MariaDbConnection, KilledConnectionIsReconnectedOnNextLease) {
  testing::TestDatabase test_db("mariadb");
  storage::DatabaseOptions options;
  options.url = test_db.url();
  options.pool_size = 1;
  options.ping_after_idle_ms = 0;
  storage::Database db(options);
  long long victim = 0;
  {
    storage::Session s = db.Lease();
    s.sql() << "SELECT CONNECTION_ID()", soci::into(victim);
  }
  auto killer = test_db.Open(false, 1);
  {
    storage::Session k = killer->Lease();
    k.sql() << "KILL " + std::to_string(victim);
  }
  long long now_id = 0;
  storage::WithSession(
      db, [&](Session& s) { s.sql() << "SELECT CONNECTION_ID()", soci::into(now_id); });
  EXPECT_NE(now_id, victim);
  EXPECT_GT(now_id, 0);
}

TEST(DatabaseUrl, MalformedUrlsAreRejectedNamingTheKey) {
  for (const std::string url : {"postgres://x", "mysql://host/db", "mysql://u@/db", "sqlite://",
                                "sqlite:///tmp/with space.db"}) {
    try {
      storage::ParseDatabaseUrl(url);
      FAIL() << url << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.field(), "database.url") << url;
    }
  }
  storage::ConnectionSpec spec =
      storage::ParseDatabaseUrl("mysql://user:p%40ss@db.internal:3307/opdesk");
  EXPECT_EQ(spec.dialect, storage::Dialect::kMysql);
  EXPECT_NE(spec.connection_string.find("password='p@ss'"), std::string::npos);
  EXPECT_NE(spec.connection_string.find("port=3307"), std::string::npos);
  EXPECT_NE(spec.connection_string.find("charset=utf8mb4"), std::string::npos);
}

}  // namespace
}  // namespace opdesk

namespace opdesk {
namespace {

class MangoStorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    db_ = test_db_->Open();
  }
  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
};

TEST_P(MangoStorageTest, ConnectionIsFoundByItsWebhookKeyOnly) {
  storage::InTransaction(*db_, [](storage::Session& s) {
    storage::MangoConnectionRepository::Upsert(s, {"t1", "k-abc", "vpbx-1", "sealed", 1, 1});
  });
  std::optional<MangoConnection> by_key;
  std::optional<MangoConnection> wrong;
  std::optional<MangoConnection> empty;
  storage::WithSession(*db_, [&](storage::Session& s) {
    by_key = storage::MangoConnectionRepository::FindByKey(s, "k-abc");
    wrong = storage::MangoConnectionRepository::FindByKey(s, "k-abd");
    empty = storage::MangoConnectionRepository::FindByKey(s, "");
  });
  ASSERT_TRUE(by_key);
  EXPECT_EQ(by_key->tenant_id, "t1");
  EXPECT_FALSE(wrong);
  EXPECT_FALSE(empty);
}

TEST_P(MangoStorageTest, CallStateIsSavedAndVersioned) {
  StoredCall call{"t1", "entry-1", "{\"a\":1}", "", "", false, 0, 5, 5};
  storage::InTransaction(*db_,
                         [&](storage::Session& s) { storage::CallRepository::Save(s, call); });
  call.state_json = "{\"a\":2}";
  call.finished = true;
  storage::InTransaction(*db_, [&](storage::Session& s) {
    ASSERT_TRUE(storage::CallRepository::Lock(s, "t1", "entry-1"));
    storage::CallRepository::Save(s, call);
    storage::CallRepository::SetCrmCallId(s, "t1", "entry-1", "externalCall.x", 6, "CONTACT:7");
  });
  std::optional<StoredCall> found;
  storage::WithSession(*db_, [&](storage::Session& s) {
    found = storage::CallRepository::Find(s, "t1", "entry-1");
  });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->state_json, "{\"a\":2}");
  EXPECT_TRUE(found->finished);
  EXPECT_EQ(found->version, 2);
  EXPECT_EQ(found->crm_call_id, "externalCall.x");
  EXPECT_EQ(found->crm_entity, "CONTACT:7");
}

TEST_P(MangoStorageTest, CallsAreLockedAndSavedManyAtOnce) {
  // A stored call with its CRM call id, another tenant's call of the same entry id, and 300 new
  // calls: more than one multi-row statement holds.
  storage::InTransaction(*db_, [](storage::Session& s) {
    storage::CallRepository::Save(s, {"t1", "old", "{\"a\":1}", "", "", false, 0, 5, 5});
    storage::CallRepository::SetCrmCallId(s, "t1", "old", "externalCall.old", 6, "CONTACT:1");
    storage::CallRepository::Save(s, {"t2", "old", "{\"other\":1}", "", "", false, 0, 5, 5});
  });
  std::vector<std::string> entries = {"old", "missing"};
  std::vector<StoredCall> writes;
  StoredCall old{"t1", "old", "{\"a\":2}", "ignored", "", true, 0, 99, 7};
  writes.push_back(old);
  for (int i = 0; i < 300; ++i) {
    const std::string entry = "new-" + std::to_string(i);
    writes.push_back({"t1", entry, "{\"n\":" + std::to_string(i) + "}", "", "", false, 0, 7, 7});
    entries.push_back(entry);
  }
  std::vector<StoredCall> before;
  storage::InTransaction(*db_, [&](storage::Session& s) {
    before = storage::CallRepository::LockMany(s, "t1", entries);
    storage::CallRepository::SaveMany(s, writes);
  });
  ASSERT_EQ(before.size(), 1u);  // only the stored call of that tenant
  EXPECT_EQ(before[0].entry_id, "old");
  EXPECT_EQ(before[0].state_json, "{\"a\":1}");
  EXPECT_EQ(before[0].crm_call_id, "externalCall.old");
  EXPECT_EQ(before[0].version, 1);  // SetCrmCallId leaves the version as it is
  std::vector<StoredCall> after;
  storage::WithSession(*db_, [&](storage::Session& s) {
    after = storage::CallRepository::LockMany(s, "t1", entries);
  });
  ASSERT_EQ(after.size(), 301u);
  std::map<std::string, StoredCall> by_entry;
  for (const StoredCall& c : after) {
    by_entry[c.entry_id] = c;
  }
  // Over the stored row: state, finished and time written, its version one up, its CRM call id
  // and creation time kept.
  EXPECT_EQ(by_entry["old"].state_json, "{\"a\":2}");
  EXPECT_TRUE(by_entry["old"].finished);
  EXPECT_EQ(by_entry["old"].version, before[0].version + 1);
  EXPECT_EQ(by_entry["old"].crm_call_id, "externalCall.old");
  EXPECT_EQ(by_entry["old"].created_at_ms, 5);
  EXPECT_EQ(by_entry["old"].updated_at_ms, 7);
  EXPECT_EQ(by_entry["new-299"].state_json, "{\"n\":299}");
  EXPECT_EQ(by_entry["new-299"].version, 1);
  EXPECT_FALSE(by_entry["new-299"].finished);
  std::optional<StoredCall> other;
  storage::WithSession(
      *db_, [&](storage::Session& s) { other = storage::CallRepository::Find(s, "t2", "old"); });
  ASSERT_TRUE(other);
  EXPECT_EQ(other->state_json, "{\"other\":1}");  // the other tenant's call untouched
  EXPECT_EQ(other->version, 1);
}

TEST_P(MangoStorageTest, ManualEmployeeLinkOutranksAutomaticOnes) {
  storage::InTransaction(*db_, [](storage::Session& s) {
    storage::EmployeeMapRepository::Link(s, {"t1", "102", "7", "crm", 1});
    storage::EmployeeMapRepository::Link(s, {"t1", "102", "9", "manual", 2});
    storage::EmployeeMapRepository::Link(s, {"t1", "102", "7", "crm", 3});
    storage::EmployeeMapRepository::Link(s, {"t2", "102", "1", "pbx", 3});
  });
  std::optional<EmployeeLink> link;
  std::vector<EmployeeLink> t2;
  storage::WithSession(*db_, [&](storage::Session& s) {
    link = storage::EmployeeMapRepository::Find(s, "t1", "102");
    t2 = storage::EmployeeMapRepository::List(s, "t2");
  });
  ASSERT_TRUE(link);
  EXPECT_EQ(link->crm_user_id, "9");
  EXPECT_EQ(link->source, "manual");
  ASSERT_EQ(t2.size(), 1u);
  EXPECT_EQ(t2[0].crm_user_id, "1");
}

INSTANTIATE_TEST_SUITE_P(Backends, MangoStorageTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
