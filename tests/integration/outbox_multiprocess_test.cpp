// Several opdesk processes share one database: no job runs twice, order per key holds across
// processes, and a process killed mid-job leaves the job to the next process.
#include <gtest/gtest.h>
#include <signal.h>
#include <soci/soci.h>

#include <map>

#include "connector/jobs/job_store.h"
#include "tests/support/process.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using storage::Session;
using namespace std::chrono_literals;

class OutboxMultiProcessTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    db_ = test_db_->Open(true, 4);
    storage::InTransaction(*db_, [&](Session& s) {
      s.sql() << "CREATE TABLE job_runs (id " + storage::AutoIdColumn(s.dialect()) +
                     ", job_id BIGINT NOT NULL, owner VARCHAR(64) NOT NULL,"
                     " ordering_key VARCHAR(191) NOT NULL)" +
                     storage::TableOptions(s.dialect());
    });
  }

  std::unique_ptr<testing::ChildProcess> StartHarness(const std::string& owner, int workers,
                                                      long long lease_ms) {
    return std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{OPDESK_OUTBOX_HARNESS, "--db", test_db_->url(), "--owner", owner,
                                 "--workers", std::to_string(workers), "--lease-ms",
                                 std::to_string(lease_ms)},
        std::map<std::string, std::string>{}, dir_.path(), dir_ / (owner + ".log"));
  }

  long long Count(const std::string& sql) {
    long long n = 0;
    storage::WithSession(*db_, [&](Session& s) { s.sql() << sql, soci::into(n); });
    return n;
  }

  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
  testing::ScratchDir dir_{"opdesk-harness"};
};

TEST_P(OutboxMultiProcessTest, TwoProcessesRunEachOfAThousandJobsExactlyOnce) {
  constexpr int kJobs = 1000;
  SystemClock clock;
  // Both processes are polling before the jobs appear, so both get a share of them (a process
  // that starts late on a busy machine could otherwise find the queue already drained).
  auto a = StartHarness("proc-a", 2, 30'000);
  auto b = StartHarness("proc-b", 2, 30'000);
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        return a->Log().find("running") != std::string::npos &&
               b->Log().find("running") != std::string::npos;
      },
      30s))
      << a->Log() << b->Log();
  storage::InTransaction(*db_, [&](Session& s) {
    for (int i = 0; i < kJobs; ++i) {
      jobs::NewJob job;
      // Ordering is per (tenant, key): derive the tenant from the key so a key has one tenant.
      job.tenant_id = "t" + std::to_string((i % 50) % 3);
      // Each job holds its worker for 2 ms outside any transaction, as a real CRM call would:
      // with instant jobs one process on SQLite can win every write lock and drain the queue
      // alone, which says nothing about sharing.
      job.kind = "test.slow";
      // Half the jobs belong to 25 calls (ordered), half are independent.
      job.ordering_key = i % 2 == 0 ? "call-" + std::to_string(i % 50) : "";
      job.payload = "2";
      jobs::JobStore::Enqueue(s, job, clock.NowMs());
    }
  });
  const bool finished = testing::WaitFor(
      [&] { return Count("SELECT COUNT(*) FROM jobs WHERE state = 'done'") == kJobs; }, 120s);
  a->Signal(SIGTERM);
  b->Signal(SIGTERM);
  EXPECT_EQ(a->Wait(15s), 0) << a->Log();
  EXPECT_EQ(b->Wait(15s), 0) << b->Log();
  ASSERT_TRUE(finished) << "done: " << Count("SELECT COUNT(*) FROM jobs WHERE state = 'done'");

  EXPECT_EQ(Count("SELECT COUNT(*) FROM job_runs"), kJobs);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT job_id) FROM job_runs"), kJobs);
  EXPECT_GT(Count("SELECT COUNT(*) FROM job_runs WHERE owner = 'proc-a'"), 0);
  EXPECT_GT(Count("SELECT COUNT(*) FROM job_runs WHERE owner = 'proc-b'"), 0);
  // Per ordering key, runs were recorded in job id order, whichever process ran them.
  std::map<std::string, long long> last_job;
  long long job_id = 0;
  std::string key;
  int out_of_order = 0;
  storage::WithSession(*db_, [&](Session& s) {
    soci::statement st = (s.sql().prepare << "SELECT job_id, ordering_key FROM job_runs WHERE "
                                             "ordering_key <> '' ORDER BY id",
                          soci::into(job_id), soci::into(key));
    st.execute();
    while (st.fetch()) {
      if (last_job.count(key) && last_job[key] > job_id) {
        ++out_of_order;
        ADD_FAILURE() << "key " << key << ": job " << job_id << " ran after job " << last_job[key];
      }
      last_job[key] = job_id;
    }
  });
  EXPECT_EQ(last_job.size(), 25u);
  EXPECT_EQ(out_of_order, 0);
}

TEST_P(OutboxMultiProcessTest, JobOfAKilledProcessIsFinishedByTheNextOne) {
  SystemClock clock;
  long long id = 0;
  storage::InTransaction(*db_, [&](Session& s) {
    jobs::NewJob job;
    job.tenant_id = "t";
    job.kind = "test.slow";
    job.payload = "2000";
    id = jobs::JobStore::Enqueue(s, job, clock.NowMs());
  });
  auto doomed = StartHarness("doomed", 1, 1'500);
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        return Count(
                   "SELECT COUNT(*) FROM jobs WHERE state = 'running' AND lease_owner = "
                   "'doomed'") == 1;
      },
      20s))
      << doomed->Log();
  doomed->Signal(SIGKILL);
  EXPECT_EQ(doomed->Wait(5s), 128 + SIGKILL);

  auto heir = StartHarness("heir", 1, 1'500);
  const bool done = testing::WaitFor(
      [&] { return Count("SELECT COUNT(*) FROM jobs WHERE state = 'done'") == 1; }, 30s);
  heir->Signal(SIGTERM);
  EXPECT_EQ(heir->Wait(15s), 0);
  ASSERT_TRUE(done) << heir->Log();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM job_runs WHERE owner = 'heir'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM job_runs WHERE owner = 'doomed'"), 0);
  std::optional<jobs::Job> job;
  storage::WithSession(*db_, [&](Session& s) { job = jobs::JobStore::Find(s, id); });
  ASSERT_TRUE(job);
  EXPECT_EQ(job->attempts, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxMultiProcessTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
