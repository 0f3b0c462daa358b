// The outbox on both backends, around its edges: a stopping pool keeps the leases of handlers
// still running so that another pool never runs the same job twice, and the periodic maintenance
// purges old dead jobs and old stored events while keeping recent ones (and their dedupe).
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <thread>

#include "connector/jobs/job_store.h"
#include "connector/jobs/worker_pool.h"
#include "connector/storage/repositories.h"
#include "tests/support/process.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using jobs::Job;
using jobs::JobStore;
using jobs::NewJob;
using storage::Session;
using namespace std::chrono_literals;

constexpr long long kDayMs = 86'400'000;

class OutboxMaintenanceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    db_ = test_db_->Open(true, 8);
  }
  long long Enqueue(const std::string& key = "") {
    NewJob j;
    j.tenant_id = "t1";
    j.kind = "k";
    j.ordering_key = key;
    j.payload = "{}";
    long long id = 0;
    storage::InTransaction(*db_, [&](Session& s) { id = JobStore::Enqueue(s, j, clock_.NowMs()); });
    return id;
  }
  std::optional<Job> Find(long long id) {
    std::optional<Job> j;
    storage::WithSession(*db_, [&](Session& s) { j = JobStore::Find(s, id); });
    return j;
  }
  // Pool A runs a handler that outlasts several leases while A is stopping; pool B polls the same
  // database all along and must never get the job.
  void RunWhileStopping(long long id, std::chrono::milliseconds stop_timeout, bool expect_idle);

  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
  SystemClock clock_;
};

// A pool whose leases are short, so a lapse would show within the test.
jobs::WorkerPoolOptions ShortLease(const std::string& owner) {
  jobs::WorkerPoolOptions o;
  o.workers = 1;
  o.lease_ms = 600;
  o.poll_interval_ms = 10;
  o.owner = owner;
  return o;
}

void OutboxMaintenanceTest::RunWhileStopping(long long id, std::chrono::milliseconds stop_timeout,
                                             bool expect_idle) {
  std::atomic<int> runs_a{0};
  std::atomic<int> runs_b{0};
  std::atomic<bool> finished{false};
  {
    jobs::WorkerPool a(*db_, clock_, ShortLease("a"));
    a.Register("k", [&](const Job&) {
      ++runs_a;
      std::this_thread::sleep_for(2500ms);
      finished = true;
    });
    a.Start();
    ASSERT_TRUE(testing::WaitFor([&] { return runs_a.load() == 1; }, 10s));
    jobs::WorkerPool b(*db_, clock_, ShortLease("b"));
    b.Register("k", [&](const Job&) { ++runs_b; });
    b.Start();
    EXPECT_EQ(a.Stop(stop_timeout), expect_idle);
    ASSERT_TRUE(testing::WaitFor([&] { return finished.load(); }, 10s));
    ASSERT_TRUE(testing::WaitFor([&] { return Find(id) && Find(id)->state == jobs::kDone; }, 5s));
    b.Stop(5s);
  }  // A's destructor waits for the threads a timed-out Stop left running
  EXPECT_EQ(runs_a.load(), 1);
  EXPECT_EQ(runs_b.load(), 0) << "another pool ran a job that was still running";
  EXPECT_EQ(Find(id)->attempts, 1);
}

TEST_P(OutboxMaintenanceTest, AStoppingPoolKeepsTheLeaseUntilTheHandlerReturns) {
  const long long id = Enqueue();
  RunWhileStopping(id, 10s, true);
}

TEST_P(OutboxMaintenanceTest, ALeaseOutlivesAStopThatTimedOutWhileTheHandlerRuns) {
  const long long id = Enqueue();
  RunWhileStopping(id, 200ms, false);
}

TEST_P(OutboxMaintenanceTest, OldDeadJobsAndOldEventsArePurgedRecentOnesKept) {
  const EpochMs now = clock_.NowMs();
  const long long old_dead = Enqueue("a");
  const long long new_dead = Enqueue("b");
  const long long old_done = Enqueue("c");
  storage::InTransaction(*db_, [&](Session& s) {
    const EpochMs long_ago = now - 15 * kDayMs;
    const EpochMs lately = now - 13 * kDayMs;
    const EpochMs long_ago_done = now - 4 * kDayMs;
    s.sql() << "UPDATE jobs SET state = 'dead', finished_at_ms = :f WHERE id = :i",
        soci::use(long_ago), soci::use(old_dead);
    s.sql() << "UPDATE jobs SET state = 'dead', finished_at_ms = :f WHERE id = :i",
        soci::use(lately), soci::use(new_dead);
    s.sql() << "UPDATE jobs SET state = 'done', finished_at_ms = :f WHERE id = :i",
        soci::use(long_ago_done), soci::use(old_done);
  });
  auto event = [&](const std::string& key, EpochMs at) {
    StoredEvent e;
    e.tenant_id = "t1";
    e.source = "mango";
    e.kind = "events/call";
    e.dedupe_key = key;
    e.payload = "{}";
    e.received_at_ms = at;
    return e;
  };
  const StoredEvent old_event = event("call:old:1", now - 31 * kDayMs);
  const StoredEvent recent_event = event("call:new:1", now - 29 * kDayMs);
  storage::InTransaction(*db_, [&](Session& s) {
    ASSERT_TRUE(storage::EventRepository::InsertIfNew(s, old_event));
    ASSERT_TRUE(storage::EventRepository::InsertIfNew(s, recent_event));
  });

  jobs::WorkerPoolOptions o;
  o.workers = 1;
  o.poll_interval_ms = 10;
  o.dead_retention_ms = 14 * kDayMs;
  o.events_retention_ms = 30 * kDayMs;
  jobs::WorkerPool pool(*db_, clock_, o);
  pool.Register("k", [](const Job&) {});
  pool.Start();  // maintenance runs on the claimer's first pass, then every minute
  ASSERT_TRUE(testing::WaitFor([&] { return !Find(old_dead); }, 10s));
  long long events = 0;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        storage::WithSession(
            *db_, [&](Session& s) { events = storage::EventRepository::CountByTenant(s, "t1"); });
        return events == 1;
      },
      10s));
  pool.Stop(5s);
  EXPECT_FALSE(Find(old_done)) << "finished jobs are still purged after jobs.retention_hours";
  ASSERT_TRUE(Find(new_dead));
  EXPECT_EQ(Find(new_dead)->state, jobs::kDead);
  storage::InTransaction(*db_, [&](Session& s) {
    // A redelivery of a kept event is still recognised; a purged one is stored as new.
    EXPECT_FALSE(storage::EventRepository::InsertIfNew(s, recent_event));
    EXPECT_TRUE(storage::EventRepository::InsertIfNew(s, old_event));
  });
}

TEST_P(OutboxMaintenanceTest, EventPurgeWorksInBatchesOldestFirst) {
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(*db_, [&](Session& s) {
    for (int i = 0; i < 5; ++i) {
      StoredEvent e;
      e.tenant_id = "t1";
      e.source = "bitrix24";
      e.kind = "ONCRMDEALUPDATE";
      e.dedupe_key = "ev:" + std::to_string(i);
      e.payload = "{}";
      e.received_at_ms = now - (10 - i) * kDayMs;  // 10, 9, 8, 7, 6 days ago
      storage::EventRepository::InsertIfNew(s, e);
    }
  });
  long long purged = 0;
  storage::InTransaction(*db_, [&](Session& s) {
    purged = storage::EventRepository::PurgeReceivedBefore(s, now - 7 * kDayMs + 1, 2);
  });
  EXPECT_EQ(purged, 2);
  storage::InTransaction(*db_, [&](Session& s) {
    purged = storage::EventRepository::PurgeReceivedBefore(s, now - 7 * kDayMs + 1, 2);
  });
  EXPECT_EQ(purged, 2) << "the fourth event is exactly 7 days old, so still before the cut";
  storage::InTransaction(*db_, [&](Session& s) {
    purged = storage::EventRepository::PurgeReceivedBefore(s, now - 7 * kDayMs + 1, 2);
  });
  EXPECT_EQ(purged, 0);
  long long left = 0;
  storage::WithSession(
      *db_, [&](Session& s) { left = storage::EventRepository::CountByTenant(s, "t1"); });
  EXPECT_EQ(left, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxMaintenanceTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
