// The outbox on both backends, around its edges: a stopping pool keeps the leases of handlers
// still running so that another pool never runs the same job twice.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <thread>

#include "connector/jobs/job_store.h"
#include "connector/jobs/worker_pool.h"
#include "tests/support/process.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using jobs::Job;
using jobs::JobStore;
using jobs::NewJob;
using storage::Session;
using namespace std::chrono_literals;

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

INSTANTIATE_TEST_SUITE_P(Backends, OutboxMaintenanceTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
