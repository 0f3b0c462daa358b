// Group commit on both backends: concurrent writers share transactions, each caller returns only
// once its own work is committed, and a piece of work that fails is refused alone while the
// rest of its batch is committed.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "connector/domain/error.h"
#include "connector/storage/group_commit.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using storage::BatchMemo;
using storage::Session;

class GroupCommitTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    db_ = test_db_->Open(true, 4);
    storage::InTransaction(*db_, [](Session& s) {
      s.sql() << "CREATE TABLE gc_rows (id " + storage::AutoIdColumn(s.dialect()) +
                     ", v INTEGER NOT NULL UNIQUE)" + storage::TableOptions(s.dialect());
    });
  }

  long long Count(const std::string& where = "1 = 1") {
    long long n = 0;
    storage::WithSession(*db_, [&](Session& s) {
      s.sql() << "SELECT COUNT(*) FROM gc_rows WHERE " + where, soci::into(n);
    });
    return n;
  }

  // `threads` callers each Run `each` single-row inserts (distinct values); returns how many
  // rows another session could not see at once after their Run returned (0: each was committed).
  int InsertConcurrently(storage::GroupCommit& commits, int threads, int each) {
    std::atomic<int> not_visible{0};
    std::vector<std::thread> callers;
    for (int t = 0; t < threads; ++t) {
      callers.emplace_back([&, t] {
        for (int i = 0; i < each; ++i) {
          const int v = t * each + i;
          commits.Run([&](Session& s, BatchMemo&) {
            s.sql() << "INSERT INTO gc_rows (v) VALUES (:v)", soci::use(v);
          });
          if (Count("v = " + std::to_string(v)) != 1) {
            ++not_visible;
          }
        }
      });
    }
    for (auto& c : callers) {
      c.join();
    }
    return not_visible.load();
  }

  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
};

TEST_P(GroupCommitTest, ConcurrentWritersShareTransactionsAndReturnOnlyWhenCommitted) {
  storage::GroupCommit commits(*db_, {2, 64});
  constexpr int kThreads = 16;
  constexpr int kEach = 40;
  EXPECT_EQ(InsertConcurrently(commits, kThreads, kEach), 0);
  EXPECT_EQ(Count(), kThreads * kEach);
  const storage::GroupCommitStats stats = commits.stats();
  EXPECT_EQ(stats.pieces, kThreads * kEach);
  EXPECT_LT(stats.batches, stats.pieces) << "concurrent writers should have shared transactions";
  EXPECT_EQ(stats.replays, 0);
}

TEST_P(GroupCommitTest, QueuedCallersAreWokenOnlyWhenCommittedOrHandedALane) {
  // Small batches, so that the queue often holds several of them and lanes are handed on.
  storage::GroupCommit commits(*db_, {2, 3});
  constexpr int kThreads = 12;
  constexpr int kEach = 30;
  EXPECT_EQ(InsertConcurrently(commits, kThreads, kEach), 0);
  EXPECT_EQ(Count(), kThreads * kEach);
  const storage::GroupCommitStats stats = commits.stats();
  EXPECT_EQ(stats.pieces, kThreads * kEach);
  EXPECT_GE(stats.batches, stats.pieces / 3) << "no batch is larger than max_batch";
  // Waking every waiter on each commit (most to find their work still queued) would count
  // thousands here; the condition variable's own spurious wake-ups are rare.
  EXPECT_LT(stats.idle_wakeups, stats.pieces / 20);
}

TEST_P(GroupCommitTest, AFailingPieceIsRefusedAloneAndTheRestOfItsBatchIsCommitted) {
  storage::GroupCommit commits(*db_, {1, 64});
  // Pieces of work pile up behind a slow one, so the next batch holds several, one of which
  // fails after writing.
  std::atomic<bool> slow_started{false};
  std::thread slow([&] {
    commits.Run([&](Session& s, BatchMemo&) {
      s.sql() << "INSERT INTO gc_rows (v) VALUES (1000)";
      slow_started = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    });
  });
  while (!slow_started) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::atomic<int> refused{0};
  std::atomic<int> wrong_error{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      try {
        commits.Run([&](Session& s, BatchMemo&) {
          s.sql() << "INSERT INTO gc_rows (v) VALUES (:v)", soci::use(i);
          if (i == 3) {
            throw InvalidArgument("piece 3 is refused", "v");
          }
        });
      } catch (const Error& e) {
        ++refused;
        if (std::string(e.what()).find("piece 3") == std::string::npos) {
          ++wrong_error;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  slow.join();
  EXPECT_EQ(refused.load(), 1);
  EXPECT_EQ(wrong_error.load(), 0);
  EXPECT_EQ(Count("v = 3"), 0) << "the refused piece's write was rolled back";
  EXPECT_EQ(Count(), 8) << "the slow piece and the seven others";
  EXPECT_GE(commits.stats().replays, 1) << "the failing piece should have shared a batch";
}

TEST_P(GroupCommitTest, TheMemoIsReadOncePerBatch) {
  storage::GroupCommit commits(*db_, {1, 64});
  std::atomic<int> loads{0};
  std::atomic<bool> slow_started{false};
  std::thread slow([&] {
    commits.Run([&](Session&, BatchMemo&) {
      slow_started = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    });
  });
  while (!slow_started) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      commits.Run([&](Session&, BatchMemo& memo) {
        const int& value = memo.Get<int>("k", [&] {
          ++loads;
          return 42;
        });
        EXPECT_EQ(value, 42);
      });
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  slow.join();
  EXPECT_LT(loads.load(), 6) << "the six pieces queued behind the slow one share a batch";
  EXPECT_GE(loads.load(), 1);
}

// Seven pieces sharing one multi-row INSERT, one of them a repeat: only the repeat is refused.
void ExpectRepeatRefusedAlone(storage::Database& db, storage::GroupCommitOptions options,
                              const std::function<long long(const std::string&)>& count) {
  storage::GroupCommit commits(db, options);
  std::atomic<bool> slow_started{false};
  std::thread slow([&] {
    commits.Run([&](Session&, BatchMemo&) {
      slow_started = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    });
  });
  while (!slow_started) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::atomic<std::size_t> widest{0};  // values in the widest write
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  // Values 0..5, and 2 twice: the shared INSERT fails, each piece is then written alone.
  for (int i = 0; i < 7; ++i) {
    threads.emplace_back([&, i] {
      const int v = i == 6 ? 2 : i;
      try {
        commits.Run([&](Session&, BatchMemo& memo) {
          auto& values = memo.Get<std::shared_ptr<std::vector<int>>>(
              "values", [] { return std::make_shared<std::vector<int>>(); });
          values->push_back(v);
          memo.BeforeCommit("values", [values, &widest](Session& s) {
            widest = std::max(widest.load(), values->size());
            std::string sql = "INSERT INTO gc_rows (v) VALUES ";
            for (std::size_t k = 0; k < values->size(); ++k) {
              sql += (k == 0 ? "(" : ", (") + std::to_string((*values)[k]) + ")";
            }
            s.sql() << sql;
          });
        });
      } catch (const Error&) {
        ++refused;
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  slow.join();
  EXPECT_EQ(refused.load(), 1) << "only the repeat";
  EXPECT_EQ(count("1 = 1"), 6);
  EXPECT_EQ(count("v = 2"), 1);
  EXPECT_GE(commits.stats().replays, 1) << "the repeat should have shared a batch";
  EXPECT_GT(widest.load(), 1u) << "the queued pieces should have shared one INSERT";
}

TEST_P(GroupCommitTest, PiecesShareOneWriteAndARepeatAmongThemIsRefusedAlone) {
  ExpectRepeatRefusedAlone(*db_, {1, 64}, [&](const std::string& where) { return Count(where); });
}

// Configured as the Mango ingest is: on MariaDB the one INSERT in autocommit, no transaction
// around it (MySQL refuses the whole statement on the repeat, so nothing of the batch is left
// behind); on SQLite in a transaction, which the replay rolls back.
TEST_P(GroupCommitTest, ConfiguredAsTheIngestARepeatIsRefusedAlone) {
  storage::GroupCommitOptions options{1, 64};
  options.single_statement = GetParam() == "mariadb";
  ExpectRepeatRefusedAlone(*db_, options, [&](const std::string& where) { return Count(where); });
}

// The ingest's batches are first-rank writes (storage::WritesFirst): on SQLite they get the writer
// turn before the outbox's. Only the batches are: the caller's thread is not left marked.
TEST_P(GroupCommitTest, BatchesOfAFirstRankCommitRunAsFirstRankWrites) {
  for (const bool first : {true, false}) {
    storage::GroupCommitOptions options{1, 64};
    options.writes_first = first;
    storage::GroupCommit commits(*db_, options);
    std::atomic<int> marked{0};
    std::atomic<int> unmarked{0};
    std::atomic<int> left_marked{0};
    std::vector<std::thread> callers;
    for (int t = 0; t < 4; ++t) {
      callers.emplace_back([&, t] {
        for (int i = 0; i < 10; ++i) {
          const int v = (first ? 0 : 1000) + t * 10 + i;
          commits.Run([&](Session& s, BatchMemo&) {
            ++(storage::WritesFirst::Here() ? marked : unmarked);
            s.sql() << "INSERT INTO gc_rows (v) VALUES (:v)", soci::use(v);
          });
          left_marked += storage::WritesFirst::Here() ? 1 : 0;
        }
      });
    }
    for (auto& c : callers) {
      c.join();
    }
    EXPECT_EQ(first ? marked.load() : unmarked.load(), 40) << "writes_first " << first;
    EXPECT_EQ(first ? unmarked.load() : marked.load(), 0) << "writes_first " << first;
    EXPECT_EQ(left_marked.load(), 0);
  }
  EXPECT_EQ(Count(), 80);
}

INSTANTIATE_TEST_SUITE_P(Backends, GroupCommitTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
