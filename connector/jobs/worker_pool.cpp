#include "connector/jobs/worker_pool.h"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <random>

#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/jobs/backoff.h"
#include "connector/jobs/job_store.h"
#include "connector/storage/repositories.h"

namespace opdesk::jobs {
namespace {

std::string GenerateOwner() {
  std::random_device rd;
  char buf[32];
  std::snprintf(buf, sizeof buf, "w-%08x%08x", rd(), rd());
  return buf;
}

double RandomUnit() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace

WorkerPool::WorkerPool(storage::Database& db, const Clock& clock, WorkerPoolOptions options)
    : db_(db), clock_(clock), options_(std::move(options)) {
  if (options_.owner.empty()) {
    options_.owner = GenerateOwner();
  }
}

WorkerPool::~WorkerPool() {
  Stop(std::chrono::milliseconds(0));
  // Threads left running by a Stop that timed out use this object until their handlers return.
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [&] { return live_threads_ == 0; });
}

void WorkerPool::ThreadExited() {
  std::lock_guard lock(mu_);
  --live_threads_;
  idle_cv_.notify_all();
}

void WorkerPool::Register(const std::string& kind, Handler handler) {
  if (started_) {
    throw Internal("job handlers must be registered before the pool starts");
  }
  handlers_[kind] = std::move(handler);
  kinds_.push_back(kind);
}

namespace {

// Lowers the calling thread's CPU priority by `nice` from what it inherited (Linux keeps a nice
// value per thread; 19 is the lowest).
void LowerThreadPriority(int nice) {
  if (nice <= 0) {
    return;
  }
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  const int inherited = getpriority(PRIO_PROCESS, tid);
  if (setpriority(PRIO_PROCESS, tid, std::min(inherited + nice, 19)) != 0) {
    spdlog::warn("event=outbox_nice_failed nice={}", nice);
  }
}

}  // namespace

void WorkerPool::Start() {
  if (started_.exchange(true) || options_.workers <= 0) {
    return;
  }
  {
    std::lock_guard lock(mu_);
    live_threads_ = options_.workers + 2;
  }
  // Threads named for top -H and perf.
  heartbeat_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "outbox-beat");
    HeartbeatLoop();
    ThreadExited();
  });
  claimer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "outbox-claim");
    LowerThreadPriority(options_.nice);
    ClaimLoop();
    ThreadExited();
  });
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "outbox");
      LowerThreadPriority(options_.nice);
      WorkerLoop();
      ThreadExited();
    });
  }
  spdlog::info("event=outbox_started owner={} workers={} kinds={}", options_.owner,
               options_.workers, kinds_.size());
}

void WorkerPool::Wake() {
  std::lock_guard lock(mu_);
  wake_ = true;
  work_added_ = true;
  claimer_cv_.notify_one();
}

WorkerPoolStats WorkerPool::stats() const {
  std::lock_guard lock(mu_);
  WorkerPoolStats s = stats_;
  s.running = busy_;
  return s;
}

void WorkerPool::RenewLeases(EpochMs now) {
  std::vector<long long> ids;
  {
    std::lock_guard lock(mu_);
    ids.assign(running_ids_.begin(), running_ids_.end());
  }
  JobStore::ExtendLeases(db_, ids, options_.owner, now + options_.lease_ms);
}

void WorkerPool::HeartbeatLoop() {
  // Its own thread, so that a slow claim or a long purge never delays a renewal: a lease that
  // lapsed while its handler still runs would let another process run the job a second time.
  const auto period = std::chrono::milliseconds(std::max<long long>(options_.lease_ms / 3, 10));
  while (true) {
    {
      std::unique_lock lock(mu_);
      // While stopping, leases are renewed until the last handler has returned.
      if (heartbeat_cv_.wait_for(lock, period,
                                 [&] { return stopping_ && busy_ == 0 && queue_.empty(); })) {
        break;
      }
    }
    try {
      RenewLeases(clock_.NowMs());
    } catch (const std::exception& e) {
      spdlog::warn("event=job_heartbeat_failed error={}", LogQuoted(e.what()));
    }
  }
}

void WorkerPool::FlushDone(EpochMs now, std::vector<long long> ids) {
  if (ids.empty()) {
    return;
  }
  try {
    JobStore::ClaimRequest req{options_.owner, kinds_, now, options_.lease_ms, 0, ids};
    const JobStore::ClaimResult result = JobStore::Claim(db_, req);
    if (result.done < static_cast<long long>(ids.size())) {
      spdlog::warn("event=job_lease_lost owner={} done_marks_refused={}", options_.owner,
                   static_cast<long long>(ids.size()) - result.done);
    }
    std::lock_guard lock(mu_);
    stats_.done += result.done;
    ++stats_.done_batches;
    for (long long id : ids) {
      running_ids_.erase(id);
    }
  } catch (const std::exception& e) {
    // The work happened but was not recorded: kept pending (and leased) for the next try.
    spdlog::error("event=job_done_not_recorded count={} error={}", ids.size(), LogQuoted(e.what()));
    std::lock_guard lock(mu_);
    done_pending_.insert(done_pending_.end(), ids.begin(), ids.end());
  }
}

void WorkerPool::ClaimLoop() {
  EpochMs last_maintenance = 0;
  while (true) {
    int free_workers = 0;
    std::vector<long long> done;
    {
      std::unique_lock lock(mu_);
      // Done marks while other jobs still run: a moment for those to finish too (or for new work,
      // or for the last of them), then one claim for all. Decided under the same lock as the swap
      // below, whatever ended the last round (a wake, a poll running out, a full claim): workers
      // finishing just then are gathered too.
      if (!stopping_ && !work_added_ && busy_ > 0 && !done_pending_.empty() &&
          options_.gather_ms > 0) {
        claimer_cv_.wait_for(lock, std::chrono::milliseconds(options_.gather_ms),
                             [&] { return stopping_ || work_added_ || busy_ == 0; });
        wake_ = false;
      }
      work_added_ = false;
      done.swap(done_pending_);
      if (stopping_) {
        // Workers record their own done marks from now on; the heartbeat keeps the leases of
        // handlers still running.
        lock.unlock();
        FlushDone(clock_.NowMs(), std::move(done));
        break;
      }
      free_workers = options_.workers - busy_ - static_cast<int>(queue_.size());
    }
    EpochMs now = clock_.NowMs();
    if (now - last_maintenance >= 60'000) {
      Maintain(now);
      last_maintenance = now;
    }
    std::size_t claimed = 0;
    if (free_workers > 0) {
      // The done marks of the jobs that just finished go in the same transaction.
      JobStore::ClaimRequest req{options_.owner,    kinds_,       now,
                                 options_.lease_ms, free_workers, std::move(done)};
      try {
        JobStore::ClaimResult result = JobStore::Claim(db_, req);
        for (const Job& dropped : result.dropped) {
          spdlog::warn("event=job_dropped job_id={} kind={} tenant={} reason=deadline", dropped.id,
                       LogValue(dropped.kind), LogValue(dropped.tenant_id));
        }
        if (result.done < static_cast<long long>(req.done_ids.size())) {
          spdlog::warn("event=job_lease_lost owner={} done_marks_refused={}", options_.owner,
                       static_cast<long long>(req.done_ids.size()) - result.done);
        }
        std::lock_guard lock(mu_);
        stats_.dropped += static_cast<long long>(result.dropped.size());
        stats_.done += result.done;
        stats_.done_batches += req.done_ids.empty() ? 0 : 1;
        for (long long id : req.done_ids) {
          running_ids_.erase(id);
        }
        claimed = result.claimed.size();
        for (Job& job : result.claimed) {
          running_ids_.insert(job.id);
          if (job.max_attempts <= 0) {
            job.max_attempts = options_.max_attempts;  // what the handler sees (LastAttempt)
          }
          queue_.push_back(std::move(job));
        }
      } catch (const std::exception& e) {
        spdlog::error("event=job_claim_failed error={}", LogQuoted(e.what()));
        std::lock_guard lock(mu_);
        done_pending_.insert(done_pending_.end(), req.done_ids.begin(), req.done_ids.end());
      }
    } else {
      FlushDone(now, std::move(done));
    }
    // One wake per job handed over, after the lock is released: waking every idle worker for
    // each claim cost a futex storm (each woken worker takes the lock, finds the queue empty and
    // sleeps again), and on this kind of virtual machine every system call is dear.
    for (std::size_t i = 0; i < claimed; ++i) {
      worker_cv_.notify_one();
    }
    if (claimed > 0 && claimed == static_cast<std::size_t>(free_workers)) {
      continue;  // there may be more; loop again as soon as a worker is free
    }
    std::unique_lock lock(mu_);
    claimer_cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_interval_ms),
                         [&] { return stopping_ || wake_; });
    wake_ = false;
  }
}

void WorkerPool::WorkerLoop() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mu_);
      worker_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // stopping, and nothing handed to us
      }
      job = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    const bool succeeded = Run(job);
    bool record_now = false;
    bool stopping = false;
    {
      std::lock_guard lock(mu_);
      --busy_;
      stopping = stopping_;
      if (succeeded && !stopping_) {
        done_pending_.push_back(job.id);  // the claimer writes it with its next claim
      } else {
        record_now = succeeded;
        if (!succeeded) {
          running_ids_.erase(job.id);
        }
      }
      wake_ = true;
    }
    if (record_now) {
      try {
        if (JobStore::MarkDone(db_, job.id, options_.owner, clock_.NowMs())) {
          std::lock_guard lock(mu_);
          ++stats_.done;
        }
      } catch (const std::exception& e) {
        spdlog::error("event=job_done_not_recorded job_id={} error={}", job.id,
                      LogQuoted(e.what()));
      }
      std::lock_guard lock(mu_);
      running_ids_.erase(job.id);
    }
    claimer_cv_.notify_one();
    if (stopping) {
      // Only Stop (busy count) and the heartbeat (stopping with nothing running) wait on these,
      // and only once stopping_ is set, which Stop does under the lock before it waits.
      idle_cv_.notify_all();
      heartbeat_cv_.notify_all();
    }
  }
}

bool WorkerPool::Run(const Job& job) {
  const int max_attempts = job.max_attempts > 0 ? job.max_attempts : options_.max_attempts;
  if (job.attempts > max_attempts) {
    // The previous holder died during the last allowed attempt; do not loop on a job that may be
    // what kills the process.
    RecordFailure(job, std::string(ToString(ErrorCode::kInternal)),
                  "the process running the last attempt stopped", false, 0);
    return false;
  }
  auto handler = handlers_.find(job.kind);
  try {
    handler->second(job);
  } catch (const NotYet& wait) {
    Postpone(job, wait);
    return false;
  } catch (const Error& e) {
    RecordFailure(job, std::string(ToString(e.code())), e.what(), IsRetryable(e.code()),
                  e.retry_after_ms().value_or(0));
    return false;
  } catch (const std::exception& e) {
    RecordFailure(job, std::string(ToString(ErrorCode::kInternal)), e.what(), true, 0);
    return false;
  }
  // Done. The mark is written by the claimer, with its next claim, in one transaction for every
  // job finished meanwhile; the job stays leased (and renewed) here until then. Should the
  // process die before, the lease expires and the job runs again, which is why handlers of
  // non-idempotent calls carry idempotency keys.
  return true;
}

void WorkerPool::Postpone(const Job& job, const NotYet& wait) {
  const EpochMs now = clock_.NowMs();
  const EpochMs run_at = now + std::max<long long>(wait.delay_ms(), 1);
  try {
    if (job.deadline_ms > 0 && run_at > job.deadline_ms) {
      JobStore::MarkFinalFailure(db_, job.id, options_.owner, now, kDropped, "WAITING",
                                 std::string(wait.what()) + " (past the deadline)");
      std::lock_guard lock(mu_);
      ++stats_.dropped;
      return;
    }
    JobStore::Postpone(db_, job.id, options_.owner, now, run_at, wait.what());
    spdlog::info("event=job_waits job_id={} kind={} delay_ms={} why={}", job.id, LogValue(job.kind),
                 run_at - now, LogQuoted(wait.what()));
  } catch (const std::exception& e) {
    // Not recorded: the lease expires and the job runs again (an attempt is then counted).
    spdlog::error("event=job_wait_not_recorded job_id={} error={}", job.id, LogQuoted(e.what()));
  }
}

void WorkerPool::RecordFailure(const Job& job, const std::string& code, const std::string& message,
                               bool retryable, long long retry_after_ms) {
  const int max_attempts = job.max_attempts > 0 ? job.max_attempts : options_.max_attempts;
  const EpochMs now = clock_.NowMs();
  try {
    if (retryable && job.attempts < max_attempts) {
      long long delay =
          BackoffMs(job.attempts, options_.backoff_base_ms, options_.backoff_max_ms, RandomUnit());
      delay = std::max(delay, retry_after_ms);
      EpochMs run_at = now + delay;
      if (job.deadline_ms > 0 && run_at > job.deadline_ms) {
        JobStore::MarkFinalFailure(db_, job.id, options_.owner, now, kDropped, code,
                                   message + " (no retry possible before the deadline)");
        std::lock_guard lock(mu_);
        ++stats_.dropped;
        return;
      }
      JobStore::MarkRetry(db_, job.id, options_.owner, now, run_at, code, message);
      spdlog::warn("event=job_retry job_id={} kind={} attempt={} delay_ms={} code={} error={}",
                   job.id, LogValue(job.kind), job.attempts, delay, code, LogQuoted(message));
      std::lock_guard lock(mu_);
      ++stats_.retried;
      return;
    }
    JobStore::MarkFinalFailure(db_, job.id, options_.owner, now, kDead, code, message);
    spdlog::error("event=job_dead job_id={} kind={} tenant={} attempts={} code={} error={}", job.id,
                  LogValue(job.kind), LogValue(job.tenant_id), job.attempts, code,
                  LogQuoted(message));
    std::lock_guard lock(mu_);
    ++stats_.dead;
  } catch (const std::exception& e) {
    spdlog::error("event=job_failure_not_recorded job_id={} error={}", job.id, LogQuoted(e.what()));
  }
}

namespace {

// Deletes in batches (each its own short transaction) until a batch comes back short, at most
// kMaxBatches per pass, so a large backlog drains over a few passes without long locks.
long long PurgeInBatches(storage::Database& db,
                         const std::function<long long(storage::Session&, int)>& batch) {
  constexpr int kBatch = 1000;
  constexpr int kMaxBatches = 50;
  long long total = 0;
  for (int i = 0; i < kMaxBatches; ++i) {
    long long n = 0;
    storage::InTransaction(db, [&](storage::Session& s) { n = batch(s, kBatch); });
    total += n;
    if (n < kBatch) {
      break;
    }
  }
  return total;
}

}  // namespace

void WorkerPool::Maintain(EpochMs now) {
  try {
    const long long purged = PurgeInBatches(db_, [&](storage::Session& s, int limit) {
      return JobStore::PurgeFinished(s, now - options_.retention_ms, limit);
    });
    const long long dead =
        options_.dead_retention_ms <= 0
            ? 0
            : PurgeInBatches(db_, [&](storage::Session& s, int limit) {
                return JobStore::PurgeDead(s, now - options_.dead_retention_ms, limit);
              });
    if (purged > 0 || dead > 0) {
      spdlog::info("event=jobs_purged count={} dead={}", purged, dead);
    }
  } catch (const std::exception& e) {
    spdlog::warn("event=job_purge_failed error={}", LogQuoted(e.what()));
  }
  if (options_.events_retention_ms <= 0) {
    return;
  }
  try {
    const long long events = PurgeInBatches(db_, [&](storage::Session& s, int limit) {
      return storage::EventRepository::PurgeReceivedBefore(s, now - options_.events_retention_ms,
                                                           limit);
    });
    if (events > 0) {
      spdlog::info("event=events_purged count={}", events);
    }
  } catch (const std::exception& e) {
    spdlog::warn("event=event_purge_failed error={}", LogQuoted(e.what()));
  }
}

bool WorkerPool::Stop(std::chrono::milliseconds timeout) {
  if (!started_) {
    return true;
  }
  std::vector<Job> unstarted;
  {
    std::lock_guard lock(mu_);
    if (stopping_ && workers_.empty()) {
      return true;
    }
    stopping_ = true;
    // Jobs claimed but not yet started go back at once rather than waiting for lease expiry.
    unstarted.assign(queue_.begin(), queue_.end());
    queue_.clear();
    for (const Job& job : unstarted) {
      running_ids_.erase(job.id);
    }
  }
  claimer_cv_.notify_all();
  worker_cv_.notify_all();
  heartbeat_cv_.notify_all();
  for (const Job& job : unstarted) {
    try {
      JobStore::Release(db_, job.id, options_.owner, clock_.NowMs());
    } catch (const std::exception& e) {
      spdlog::warn("event=job_release_failed job_id={} error={}", job.id, LogQuoted(e.what()));
    }
  }
  bool idle = false;
  {
    std::unique_lock lock(mu_);
    idle = idle_cv_.wait_for(lock, timeout, [&] { return busy_ == 0; });
  }
  if (idle) {
    if (claimer_.joinable()) {
      claimer_.join();
    }
    if (heartbeat_.joinable()) {
      heartbeat_.join();
    }
    for (std::thread& t : workers_) {
      t.join();
    }
  } else {
    // Workers still inside a handler cannot be interrupted; leave them to the process exit. The
    // heartbeat stays with them and keeps their leases until they return: a lease that lapsed
    // while a handler still runs would let another process run the same job a second time.
    if (claimer_.joinable()) {
      claimer_.join();  // it stops at once when stopping
    }
    if (heartbeat_.joinable()) {
      heartbeat_.detach();
    }
    for (std::thread& t : workers_) {
      t.detach();
    }
    spdlog::warn("event=outbox_stop_timeout still_running={}", stats().running);
  }
  workers_.clear();
  return idle;
}

}  // namespace opdesk::jobs
