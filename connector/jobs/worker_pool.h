// Runs outbox jobs: one claimer thread leases runnable jobs for the idle workers, N worker threads
// run the registered handler for each job's kind and record the outcome, and a heartbeat thread
// renews the leases of running jobs every third of the lease while they run. Leases are short
// (seconds), so the jobs of a process that died are taken over soon by a restart or by another
// instance on the same database. A handler reports failure by throwing opdesk::Error; its code
// decides retry (with backoff) or dead letter.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "connector/domain/clock.h"
#include "connector/jobs/job.h"
#include "connector/jobs/job_kind.h"
#include "connector/storage/database.h"

namespace opdesk::jobs {

struct WorkerPoolOptions {
  int workers = 4;
  int max_attempts = 10;       // for jobs that do not set their own
  long long lease_ms = 3'000;  // renewed every lease_ms / 3 while the job runs
  int poll_interval_ms = 200;
  // A claimer that finds done marks while other jobs still run waits up to this long for more
  // of them, so that one claim (a write transaction) records several done marks and hands out
  // several jobs. New work (Wake) is claimed at once. 0: every finish claims.
  int gather_ms = 2;
  long long backoff_base_ms = 1'000;
  long long backoff_max_ms = 600'000;
  long long retention_ms = 72LL * 3600 * 1000;        // done and dropped jobs
  long long dead_retention_ms = 14LL * 86400 * 1000;  // dead jobs; 0: kept until retried
  long long events_retention_ms = 0;                  // stored inbound events; 0: kept
  std::string owner;                                  // unique per process; generated when empty
  // The workers' and the claimer's CPU priority below the threads that accept webhooks (Linux
  // nice, 0..19): when the cores are saturated, acknowledging events durably comes first and the
  // CRM work catches up behind it. 0 leaves them equal.
  int nice = 0;
};

struct WorkerPoolStats {
  long long done = 0;
  long long done_batches = 0;  // transactions that recorded done marks (most carry several)
  long long retried = 0;
  long long dead = 0;
  long long dropped = 0;
  int running = 0;
};

class WorkerPool {
 public:
  // Runs one job. Blocking is fine here (worker threads are ours). Throw opdesk::Error to fail.
  using Handler = std::function<void(const Job&)>;

  WorkerPool(storage::Database& db, const Clock& clock, WorkerPoolOptions options);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Register every kind before Start().
  void Register(const std::string& kind, Handler handler);
  // A typed kind: the handler gets the payload decoded by the kind's codec.
  template <class Payload>
  void Register(const JobKind<Payload>& kind, std::type_identity_t<TypedHandler<Payload>> handler) {
    Register(kind.name, Decoding(kind, std::move(handler)));
  }
  void Start();
  // Wakes the claimer at once (call after committing an enqueue in this process).
  void Wake();
  // Stops claiming and waits up to `timeout` for running jobs to finish. Their leases are renewed
  // until each handler returns, also past the timeout (until the process exits), so no other
  // process takes over a job that still runs here. Returns false if some were still running.
  // The destructor waits for handlers still running.
  bool Stop(std::chrono::milliseconds timeout);

  const std::string& owner() const { return options_.owner; }
  WorkerPoolStats stats() const;

 private:
  void ClaimLoop();
  void HeartbeatLoop();
  void WorkerLoop();
  // True when the job succeeded and its done mark waits for the claimer (done_pending_).
  bool Run(const Job& job);
  // Records done marks still pending (in one transaction); those that fail stay pending.
  void FlushDone(EpochMs now, std::vector<long long> ids);
  void RecordFailure(const Job& job, const std::string& code, const std::string& message,
                     bool retryable, long long retry_after_ms);
  // A handler that must wait (NotYet): runs again later, the attempt not counted.
  void Postpone(const Job& job, const NotYet& wait);
  void Maintain(EpochMs now);
  void RenewLeases(EpochMs now);
  void ThreadExited();

  storage::Database& db_;
  const Clock& clock_;
  WorkerPoolOptions options_;
  std::map<std::string, Handler> handlers_;  // fixed after Start()
  std::vector<std::string> kinds_;

  mutable std::mutex mu_;
  std::condition_variable claimer_cv_;    // work may be claimable, or a worker became free
  std::condition_variable worker_cv_;     // the queue has a job, or stopping
  std::condition_variable idle_cv_;       // running count dropped
  std::condition_variable heartbeat_cv_;  // stopping with nothing left running
  std::deque<Job> queue_;                 // guarded by mu_
  std::set<long long> running_ids_;       // guarded by mu_ (queued, running, or in done_pending_)
  std::vector<long long> done_pending_;   // guarded by mu_: succeeded, done mark not yet written
  int busy_ = 0;                          // guarded by mu_: workers with a job
  bool stopping_ = false;                 // guarded by mu_
  bool wake_ = false;                     // guarded by mu_
  bool work_added_ = false;               // guarded by mu_: Wake() since the last claim
  int live_threads_ = 0;                  // guarded by mu_: claimer and workers not yet returned
  WorkerPoolStats stats_;                 // guarded by mu_

  std::thread claimer_;
  std::thread heartbeat_;
  std::vector<std::thread> workers_;
  std::atomic<bool> started_{false};
};

}  // namespace opdesk::jobs
