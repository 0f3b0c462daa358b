// The outbox on both backends: enqueue joins the caller's transaction, claims honour ordering keys,
// lanes, deadlines and leases, and the worker pool retries, dead-letters and keeps order.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "connector/domain/error.h"
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

class OutboxTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    db_ = test_db_->Open(true, 8);
  }

  long long Enqueue(NewJob job) {
    long long id = 0;
    storage::InTransaction(*db_,
                           [&](Session& s) { id = JobStore::Enqueue(s, job, clock_.NowMs()); });
    return id;
  }
  static NewJob Make(const std::string& kind, const std::string& key = "",
                     const std::string& payload = "{}") {
    NewJob j;
    j.tenant_id = "t1";
    j.kind = kind;
    j.ordering_key = key;
    j.payload = payload;
    return j;
  }
  JobStore::ClaimResult Claim(const std::string& owner, int n, long long lease_ms = 10'000) {
    return JobStore::Claim(*db_, {owner, {"k"}, clock_.NowMs(), lease_ms, n, {}});
  }
  Job Get(long long id) {
    std::optional<Job> j;
    storage::WithSession(*db_, [&](Session& s) { j = JobStore::Find(s, id); });
    EXPECT_TRUE(j) << "job " << id;
    return j.value_or(Job{});
  }
  std::string State(long long id) { return Get(id).state; }

  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
  FakeClock clock_;
};

std::vector<long long> Ids(const std::vector<Job>& jobs) {
  std::vector<long long> out;
  for (const Job& j : jobs) {
    out.push_back(j.id);
  }
  return out;
}

TEST_P(OutboxTest, JobsEnqueuedManyAtOnceKeepEveryFieldAndByte) {
  // 37 jobs: on MariaDB, prepared statements of 16, 16 and 5 rows.
  std::vector<NewJob> batch;
  for (int i = 0; i < 37; ++i) {
    NewJob j = Make("k", i % 3 == 0 ? "" : "call-" + std::to_string(i % 5),
                    i % 2 == 0 ? std::string("{\"q\":\"it's \\\\ \\\"\xd0\xb7\"}") + '\0'
                               : std::string(30'000 + i, 'p'));
    j.payload += "#" + std::to_string(i);
    j.lane = i % 4 == 0 ? jobs::Lane::kUrgent : jobs::Lane::kNormal;
    j.run_at_ms = i % 7 == 0 ? clock_.NowMs() + 60'000 : 0;
    j.deadline_ms = i % 6 == 0 ? clock_.NowMs() + 90'000 : 0;
    j.max_attempts = i % 5;
    batch.push_back(j);
  }
  storage::InTransaction(*db_,
                         [&](Session& s) { JobStore::EnqueueMany(s, batch, clock_.NowMs()); });
  std::vector<long long> ids;
  storage::WithSession(*db_, [&](Session& s) {
    soci::rowset<long long> rows = (s.sql().prepare << "SELECT id FROM jobs ORDER BY id");
    ids.assign(rows.begin(), rows.end());
  });
  ASSERT_EQ(ids.size(), batch.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const Job job = Get(ids[i]);
    const NewJob& want = batch[i];
    EXPECT_EQ(job.payload, want.payload) << "job " << i;
    EXPECT_EQ(job.ordering_key, want.ordering_key) << "job " << i;
    EXPECT_EQ(job.lane, want.lane) << "job " << i;
    EXPECT_EQ(job.run_at_ms, want.run_at_ms > 0 ? want.run_at_ms : clock_.NowMs()) << "job " << i;
    EXPECT_EQ(job.deadline_ms, want.deadline_ms) << "job " << i;
    EXPECT_EQ(job.max_attempts, want.max_attempts) << "job " << i;
    EXPECT_EQ(job.state, "pending");
    EXPECT_EQ(job.attempts, 0);
  }
}

TEST_P(OutboxTest, EnqueueInRolledBackTransactionLeavesNoJob) {
  EXPECT_THROW(storage::InTransaction(*db_,
                                      [&](Session& s) {
                                        JobStore::Enqueue(s, Make("k"), clock_.NowMs());
                                        throw Unavailable("the state change failed");
                                      }),
               Error);
  EXPECT_TRUE(Claim("w1", 10).claimed.empty());
}

TEST_P(OutboxTest, IdempotencyKeyAddsTheJobOnce) {
  NewJob j = Make("k");
  j.idempotency_key = "register:entry-1";
  long long first = Enqueue(j);
  long long second = Enqueue(j);
  EXPECT_EQ(first, second);
  j.tenant_id = "t2";
  EXPECT_NE(Enqueue(j), first) << "idempotency keys are per tenant";
  EXPECT_EQ(Claim("w1", 10).claimed.size(), 2u);
}

TEST_P(OutboxTest, JobsWithTheSameKeyRunOneAfterAnother) {
  long long a1 = Enqueue(Make("k", "call-a"));
  long long a2 = Enqueue(Make("k", "call-a"));
  long long b1 = Enqueue(Make("k", "call-b"));
  long long free = Enqueue(Make("k"));
  auto first = Claim("w1", 10);
  EXPECT_EQ(Ids(first.claimed), (std::vector<long long>{a1, b1, free}));
  EXPECT_TRUE(Claim("w2", 10).claimed.empty()) << "a2 must wait for a1";
  ASSERT_TRUE(JobStore::MarkDone(*db_, a1, "w1", clock_.NowMs()));
  auto second = Claim("w2", 10);
  EXPECT_EQ(Ids(second.claimed), (std::vector<long long>{a2}));
  EXPECT_EQ(second.claimed[0].attempts, 1);
  EXPECT_EQ(second.claimed[0].lease_owner, "w2");
}

TEST_P(OutboxTest, DeadJobDoesNotBlockItsKeyForever) {
  long long a1 = Enqueue(Make("k", "call-a"));
  long long a2 = Enqueue(Make("k", "call-a"));
  ASSERT_EQ(Ids(Claim("w1", 10).claimed), (std::vector<long long>{a1}));
  ASSERT_TRUE(JobStore::MarkFinalFailure(*db_, a1, "w1", clock_.NowMs(), jobs::kDead,
                                         "INVALID_ARGUMENT", "rejected"));
  EXPECT_EQ(Ids(Claim("w1", 10).claimed), (std::vector<long long>{a2}));
}

TEST_P(OutboxTest, UrgentLaneIsClaimedFirst) {
  long long normal = Enqueue(Make("k"));
  NewJob urgent = Make("k");
  urgent.lane = jobs::Lane::kUrgent;
  long long urgent_id = Enqueue(urgent);
  auto claimed = Claim("w1", 1);
  ASSERT_EQ(claimed.claimed.size(), 1u);
  EXPECT_EQ(claimed.claimed[0].id, urgent_id);
  EXPECT_EQ(claimed.claimed[0].lane, jobs::Lane::kUrgent);
  EXPECT_EQ(Ids(Claim("w1", 1).claimed), (std::vector<long long>{normal}));
}

TEST_P(OutboxTest, JobPastItsDeadlineIsDroppedWithReason) {
  NewJob route = Make("k");
  route.lane = jobs::Lane::kUrgent;
  route.deadline_ms = clock_.NowMs() + 5'000;
  long long id = Enqueue(route);
  clock_.Advance(6'000);
  auto result = Claim("w1", 10);
  EXPECT_TRUE(result.claimed.empty());
  ASSERT_EQ(Ids(result.dropped), (std::vector<long long>{id}));
  Job j = Get(id);
  EXPECT_EQ(j.state, jobs::kDropped);
  EXPECT_EQ(j.last_error_code, "DEADLINE_EXCEEDED");
  EXPECT_FALSE(j.last_error.empty());
}

TEST_P(OutboxTest, FutureJobWaitsForItsTime) {
  NewJob later = Make("k");
  later.run_at_ms = clock_.NowMs() + 60'000;
  long long id = Enqueue(later);
  EXPECT_TRUE(Claim("w1", 10).claimed.empty());
  clock_.Advance(60'000);
  EXPECT_EQ(Ids(Claim("w1", 10).claimed), (std::vector<long long>{id}));
}

TEST_P(OutboxTest, ExpiredLeaseLetsAnotherOwnerTakeOver) {
  long long id = Enqueue(Make("k", "call-a"));
  long long next = Enqueue(Make("k", "call-a"));
  ASSERT_EQ(Claim("dead-process", 10, 1'000).claimed.size(), 1u);
  clock_.Advance(500);
  EXPECT_TRUE(Claim("w2", 10).claimed.empty()) << "lease still valid";
  clock_.Advance(1'000);
  auto taken = Claim("w2", 10);
  ASSERT_EQ(Ids(taken.claimed), (std::vector<long long>{id})) << "order key still blocks next";
  EXPECT_EQ(taken.claimed[0].attempts, 2);
  EXPECT_FALSE(JobStore::MarkDone(*db_, id, "dead-process", clock_.NowMs()))
      << "the old owner lost its lease";
  EXPECT_TRUE(JobStore::MarkDone(*db_, id, "w2", clock_.NowMs()));
  EXPECT_EQ(Ids(Claim("w2", 10).claimed), (std::vector<long long>{next}));
}

TEST_P(OutboxTest, ATenantsRunningJobsAreThoseWithALiveLease) {
  // What a clean uninstall waits for: a job whose holder died (lease expired) runs nowhere.
  const long long id = Enqueue(Make("k"));
  Enqueue(Make("k"));  // pending: not running
  NewJob other = Make("k");
  other.tenant_id = "t2";
  Enqueue(other);
  ASSERT_EQ(Ids(Claim("p1", 1, 10'000).claimed), std::vector<long long>{id});
  long long live = 0;
  long long lapsed = 0;
  storage::WithSession(*db_, [&](Session& s) {
    live = JobStore::CountRunning(s, "t1", clock_.NowMs() + 10'000);
    lapsed = JobStore::CountRunning(s, "t1", clock_.NowMs() + 10'001);
  });
  EXPECT_EQ(live, 1);
  EXPECT_EQ(lapsed, 0);
}

TEST_P(OutboxTest, HeartbeatKeepsTheLease) {
  long long id = Enqueue(Make("k"));
  ASSERT_EQ(Claim("w1", 10, 1'000).claimed.size(), 1u);
  clock_.Advance(900);
  JobStore::ExtendLeases(*db_, {id}, "w1", clock_.NowMs() + 1'000);
  clock_.Advance(900);
  EXPECT_TRUE(Claim("w2", 10).claimed.empty());
}

TEST_P(OutboxTest, ReleasedJobGetsItsAttemptBack) {
  long long id = Enqueue(Make("k"));
  ASSERT_EQ(Claim("w1", 1).claimed.size(), 1u);
  EXPECT_EQ(Get(id).attempts, 1);
  EXPECT_TRUE(JobStore::Release(*db_, id, "w1", clock_.NowMs()));
  Job j = Get(id);
  EXPECT_EQ(j.state, jobs::kPending);
  EXPECT_EQ(j.attempts, 0);
  EXPECT_FALSE(JobStore::Release(*db_, id, "w1", clock_.NowMs())) << "no longer held";
}

TEST_P(OutboxTest, DeadJobsAreListedAndCanBeRequeued) {
  long long id = Enqueue(Make("k"));
  Claim("w1", 1);
  JobStore::MarkFinalFailure(*db_, id, "w1", clock_.NowMs(), jobs::kDead, "NOT_FOUND",
                             "lead 42 does not exist");
  std::vector<Job> dead;
  std::map<std::string, long long> counts;
  storage::WithSession(*db_, [&](Session& s) {
    dead = JobStore::List(s, "t1", jobs::kDead, 10);
    counts = JobStore::CountByState(s);
  });
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].last_error, "lead 42 does not exist");
  EXPECT_EQ(counts[jobs::kDead], 1);
  bool requeued = false;
  storage::InTransaction(*db_,
                         [&](Session& s) { requeued = JobStore::Requeue(s, id, clock_.NowMs()); });
  EXPECT_TRUE(requeued);
  EXPECT_EQ(State(id), jobs::kPending);
  EXPECT_EQ(Get(id).attempts, 0);
}

TEST_P(OutboxTest, FinishedJobsArePurgedAfterRetention) {
  long long id = Enqueue(Make("k"));
  Claim("w1", 1);
  JobStore::MarkDone(*db_, id, "w1", clock_.NowMs());
  long long purged = -1;
  storage::InTransaction(
      *db_, [&](Session& s) { purged = JobStore::PurgeFinished(s, clock_.NowMs() - 1, 100); });
  EXPECT_EQ(purged, 0);
  storage::InTransaction(
      *db_, [&](Session& s) { purged = JobStore::PurgeFinished(s, clock_.NowMs() + 1, 100); });
  EXPECT_EQ(purged, 1);
}

// ---- the worker pool, with real threads and the system clock ----

jobs::WorkerPoolOptions FastOptions(int workers) {
  jobs::WorkerPoolOptions o;
  o.workers = workers;
  o.max_attempts = 3;
  o.lease_ms = 30'000;
  o.poll_interval_ms = 10;
  o.backoff_base_ms = 5;
  o.backoff_max_ms = 20;
  return o;
}

TEST_P(OutboxTest, RetryableFailureIsRetriedThenDeadLettered) {
  SystemClock clock;
  jobs::WorkerPool pool(*db_, clock, FastOptions(2));
  std::atomic<int> calls{0};
  // What each attempt's handler is told (one worker: the attempts run one after another).
  std::vector<std::pair<int, bool>> seen;  // max_attempts, LastAttempt()
  std::mutex seen_mu;
  pool.Register("k", [&](const Job& job) {
    ++calls;
    {
      std::lock_guard lock(seen_mu);
      seen.emplace_back(job.max_attempts, job.LastAttempt());
    }
    throw Unavailable("CRM answered 503");
  });
  long long id = 0;
  NewJob queued = Make("k");
  ASSERT_EQ(queued.max_attempts, 0) << "queued with the workers' default";
  storage::InTransaction(*db_,
                         [&](Session& s) { id = JobStore::Enqueue(s, queued, clock.NowMs()); });
  pool.Start();
  ASSERT_TRUE(testing::WaitFor([&] { return State(id) == jobs::kDead; }, 20s));
  pool.Stop(5s);
  EXPECT_EQ(calls.load(), 3);
  {
    std::lock_guard lock(seen_mu);
    EXPECT_EQ(seen, (std::vector<std::pair<int, bool>>{{3, false}, {3, false}, {3, true}}))
        << "the handler knows the workers' default and which attempt is the last";
  }
  Job j = Get(id);
  EXPECT_EQ(j.attempts, 3);
  EXPECT_EQ(j.last_error_code, "UNAVAILABLE");
  EXPECT_EQ(j.last_error, "CRM answered 503");
  EXPECT_EQ(pool.stats().dead, 1);
  EXPECT_EQ(pool.stats().retried, 2);
}

TEST_P(OutboxTest, WorkersRunBelowTheCallersCpuPriority) {
  SystemClock clock;
  jobs::WorkerPoolOptions options = FastOptions(2);
  options.nice = 7;
  jobs::WorkerPool pool(*db_, clock, options);
  const int caller = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
  std::atomic<int> seen{-100};
  pool.Register("k", [&](const Job&) {
    seen = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
  });
  long long id = Enqueue(Make("k"));
  pool.Start();
  ASSERT_TRUE(testing::WaitFor([&] { return State(id) == jobs::kDone; }, 20s));
  pool.Stop(5s);
  // The worker's own nice value: 7 on top of what the process started with (at most 19).
  EXPECT_EQ(seen.load(), std::min(caller + 7, 19));
  // The test's thread (standing for the webhook threads) kept its priority.
  EXPECT_EQ(getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid))), caller);
}

TEST_P(OutboxTest, AJobThatMustWaitRunsAgainWithoutUsingItsAttempts) {
  SystemClock clock;
  jobs::WorkerPool pool(*db_, clock, FastOptions(1));  // 3 attempts at most
  std::atomic<int> calls{0};
  pool.Register("k", [&](const Job&) {
    if (++calls <= 5) {
      throw jobs::NotYet("another call holds the number", 10);
    }
  });
  long long id = 0;
  storage::InTransaction(*db_,
                         [&](Session& s) { id = JobStore::Enqueue(s, Make("k"), clock.NowMs()); });
  pool.Start();
  ASSERT_TRUE(testing::WaitFor([&] { return State(id) == jobs::kDone; }, 20s)) << State(id);
  pool.Stop(5s);
  EXPECT_EQ(calls.load(), 6) << "five waits and the run, past the 3 attempts a failure gets";
  EXPECT_EQ(Get(id).attempts, 1);
  EXPECT_EQ(pool.stats().dead, 0);
}

TEST_P(OutboxTest, PermanentFailureIsDeadLetteredAtOnce) {
  SystemClock clock;
  jobs::WorkerPool pool(*db_, clock, FastOptions(1));
  std::atomic<int> calls{0};
  pool.Register("k", [&](const Job&) {
    ++calls;
    throw InvalidArgument("PHONE is malformed", "PHONE");
  });
  long long id = 0;
  storage::InTransaction(*db_,
                         [&](Session& s) { id = JobStore::Enqueue(s, Make("k"), clock.NowMs()); });
  pool.Start();
  ASSERT_TRUE(testing::WaitFor([&] { return State(id) == jobs::kDead; }, 20s));
  pool.Stop(5s);
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(Get(id).last_error_code, "INVALID_ARGUMENT");
}

TEST_P(OutboxTest, TransientFailureThenSuccessEndsDone) {
  SystemClock clock;
  jobs::WorkerPool pool(*db_, clock, FastOptions(1));
  std::atomic<int> calls{0};
  pool.Register("k", [&](const Job&) {
    if (++calls == 1) {
      throw ResourceExhausted("QUERY_LIMIT_EXCEEDED");
    }
  });
  long long id = 0;
  storage::InTransaction(*db_,
                         [&](Session& s) { id = JobStore::Enqueue(s, Make("k"), clock.NowMs()); });
  pool.Start();
  ASSERT_TRUE(testing::WaitFor([&] { return State(id) == jobs::kDone; }, 20s));
  pool.Stop(5s);
  EXPECT_EQ(calls.load(), 2);
}

TEST_P(OutboxTest, OrderPerKeyHoldsUnderFourWorkers) {
  SystemClock clock;
  constexpr int kKeys = 12;
  constexpr int kPerKey = 15;
  std::mutex mu;
  std::map<std::string, std::vector<int>> seen;
  std::map<long long, int> runs;
  std::set<std::string> active;  // keys being worked on right now
  std::atomic<int> overlaps{0};
  jobs::WorkerPool pool(*db_, clock, FastOptions(4));
  pool.Register("k", [&](const Job& job) {
    {
      std::lock_guard lock(mu);
      if (!active.insert(job.ordering_key).second) {
        ++overlaps;
      }
    }
    std::this_thread::sleep_for(1ms);
    std::lock_guard lock(mu);
    active.erase(job.ordering_key);
    seen[job.ordering_key].push_back(std::stoi(job.payload));
    ++runs[job.id];
  });
  storage::InTransaction(*db_, [&](Session& s) {
    for (int i = 0; i < kPerKey; ++i) {
      for (int k = 0; k < kKeys; ++k) {
        JobStore::Enqueue(s, Make("k", "call-" + std::to_string(k), std::to_string(i)),
                          clock.NowMs());
      }
    }
  });
  pool.Start();
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        std::lock_guard lock(mu);
        return runs.size() == static_cast<std::size_t>(kKeys * kPerKey);
      },
      60s));
  pool.Stop(5s);
  EXPECT_EQ(overlaps.load(), 0) << "two jobs of one key ran at the same time";
  for (const auto& [key, seq] : seen) {
    std::vector<int> expected(kPerKey);
    std::iota(expected.begin(), expected.end(), 0);
    EXPECT_EQ(seq, expected) << key;
  }
  for (const auto& [id, n] : runs) {
    EXPECT_EQ(n, 1) << "job " << id << " ran " << n << " times";
  }
}

TEST_P(OutboxTest, WorkersFinishingTogetherHaveTheirDoneMarksWrittenInOneClaim) {
  SystemClock clock;
  jobs::WorkerPoolOptions options = FastOptions(4);
  // Generous, so that a slow machine cannot end the wait before the last worker is done; the
  // wait ends as soon as none runs.
  options.gather_ms = 2'000;
  jobs::WorkerPool pool(*db_, clock, options);
  std::mutex mu;
  std::condition_variable cv;
  int started = 0;
  bool release = false;
  pool.Register("k", [&](const Job&) {
    std::unique_lock lock(mu);
    ++started;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
  });
  std::vector<long long> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(Enqueue(Make("k", "call-" + std::to_string(i))));
  }
  pool.Start();
  bool all_started = false;
  {
    std::unique_lock lock(mu);
    all_started = cv.wait_for(lock, 10s, [&] { return started == 4; });
  }
  const long long batches_before = pool.stats().done_batches;
  {
    std::lock_guard lock(mu);
    release = true;  // also when the assertion below fails: the pool's destructor waits for them
  }
  cv.notify_all();
  ASSERT_TRUE(all_started);
  ASSERT_TRUE(testing::WaitFor([&] { return pool.stats().done == 4; }, 10s));
  for (long long id : ids) {
    EXPECT_EQ(State(id), jobs::kDone);
  }
  // The claimer found the first done mark while three jobs still ran; it waited for them, then
  // wrote all four in one claim.
  EXPECT_EQ(pool.stats().done_batches - batches_before, 1);
  pool.Stop(5s);
}

TEST_P(OutboxTest, StopWaitsForTheRunningJob) {
  SystemClock clock;
  jobs::WorkerPool pool(*db_, clock, FastOptions(1));
  std::atomic<bool> started{false};
  pool.Register("k", [&](const Job&) {
    started = true;
    std::this_thread::sleep_for(300ms);
  });
  long long id = 0;
  storage::InTransaction(*db_,
                         [&](Session& s) { id = JobStore::Enqueue(s, Make("k"), clock.NowMs()); });
  pool.Start();
  ASSERT_TRUE(testing::WaitFor([&] { return started.load(); }, 10s));
  EXPECT_TRUE(pool.Stop(5s));
  EXPECT_EQ(State(id), jobs::kDone);
}

TEST_P(OutboxTest, StopGivesUpOnAHandlerThatOverrunsTheTimeout) {
  SystemClock clock;
  jobs::WorkerPool pool(*db_, clock, FastOptions(1));
  std::atomic<bool> started{false};
  std::atomic<bool> finished{false};
  pool.Register("k", [&](const Job&) {
    started = true;
    std::this_thread::sleep_for(1500ms);
    finished = true;
  });
  long long id = 0;
  storage::InTransaction(*db_,
                         [&](Session& s) { id = JobStore::Enqueue(s, Make("k"), clock.NowMs()); });
  pool.Start();
  ASSERT_TRUE(testing::WaitFor([&] { return started.load(); }, 10s));
  const auto before = std::chrono::steady_clock::now();
  EXPECT_FALSE(pool.Stop(200ms));
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1000ms) << "Stop must be bounded";
  EXPECT_EQ(State(id), jobs::kRunning) << "left to lease expiry, not marked done";
  // Let the detached handler finish before the pool goes away.
  ASSERT_TRUE(testing::WaitFor([&] { return finished.load() && pool.stats().running == 0; }, 10s));
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
