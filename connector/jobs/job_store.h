// SQL for the outbox table `jobs`. Enqueue runs inside the caller's transaction so that a state
// change and the work it implies commit together; claiming is safe across processes
// (MySQL: FOR UPDATE SKIP LOCKED; SQLite: the single write lock).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "connector/jobs/job.h"
#include "connector/storage/database.h"

namespace opdesk::jobs {

class JobStore {
 public:
  // Adds a job in the caller's open transaction. Returns its id, or the id of the job that
  // already holds the same idempotency key (then nothing is added).
  static long long Enqueue(storage::Session& s, const NewJob& job, EpochMs now);
  // Adds several jobs in the caller's open transaction: those without an idempotency key in
  // multi-row INSERTs, the others one by one as Enqueue (a repeat is then a no-op).
  static void EnqueueMany(storage::Session& s, const std::vector<NewJob>& jobs, EpochMs now);

  struct ClaimRequest {
    std::string owner;
    std::vector<std::string> kinds;  // only jobs this process can run
    EpochMs now = 0;
    EpochMs lease_ms = 3'000;
    int max_count = 1;  // 0: only record done_ids
    // Jobs of this owner that finished: marked done in the claim's transaction (as MarkDone, of
    // those whose lease the owner still holds) before the claim, so a job that waited for one of
    // them in its ordering key is claimable at once. One transaction for both, instead of one
    // per finished job and one per claim.
    std::vector<long long> done_ids;
  };
  struct ClaimResult {
    std::vector<Job> claimed;  // now running, leased to the owner, attempts incremented
    std::vector<Job> dropped;  // past their deadline; marked dropped
    long long done = 0;        // of done_ids, marked done (the others' leases were lost)
  };
  // Claims runnable jobs: pending and due, or running with an expired lease (its process died),
  // whose ordering key has no earlier unfinished job. Urgent lane first.
  static ClaimResult Claim(storage::Database& db, const ClaimRequest& request);

  // The outcome of a run. Each returns false when the lease was lost (another process took the
  // job over), in which case nothing is written.
  static bool MarkDone(storage::Database& db, long long id, const std::string& owner, EpochMs now);
  static bool MarkRetry(storage::Database& db, long long id, const std::string& owner, EpochMs now,
                        EpochMs run_at, const std::string& code, const std::string& message);
  static bool MarkFinalFailure(storage::Database& db, long long id, const std::string& owner,
                               EpochMs now, const std::string& state, const std::string& code,
                               const std::string& message);
  // A job that must wait (NotYet): pending again at `run_at`, its attempt not counted.
  static bool Postpone(storage::Database& db, long long id, const std::string& owner, EpochMs now,
                       EpochMs run_at, const std::string& message);
  // Gives back a claimed job that never started (shutdown): pending again, the attempt counted at
  // claim returned.
  static bool Release(storage::Database& db, long long id, const std::string& owner, EpochMs now);
  // Pushes the leases of running jobs forward (heartbeat of a live process).
  static void ExtendLeases(storage::Database& db, const std::vector<long long>& ids,
                           const std::string& owner, EpochMs lease_until);

  static std::map<std::string, long long> CountByState(storage::Session& s);
  // Jobs of `kind` in `state`, of every tenant.
  static long long CountInState(storage::Session& s, const std::string& kind,
                                const std::string& state);
  // Pending or running jobs of `kind`; of one tenant, or of every tenant when it is empty.
  static long long CountUnfinished(storage::Session& s, const std::string& kind,
                                   const std::string& tenant_id);
  // Newest first. Empty tenant: every tenant (vendor view).
  static std::vector<Job> List(storage::Session& s, const std::string& tenant_id,
                               const std::string& state, int limit);
  static std::optional<Job> Find(storage::Session& s, long long id);
  // Puts a dead or dropped job back to pending with a fresh attempt budget.
  static bool Requeue(storage::Session& s, long long id, EpochMs now);
  // Stops every pending (and, with `running_too`, running) job of a tenant (the app was
  // removed): they become dropped with `reason`. Returns how many.
  static long long DropTenant(storage::Session& s, const std::string& tenant_id,
                              const std::string& reason, EpochMs now, bool running_too = true);
  // How many of a tenant's jobs some worker is running now: leased, in any process, the lease
  // not expired at `now` (a dead process's job runs nowhere).
  static long long CountRunning(storage::Session& s, const std::string& tenant_id, EpochMs now);
  static long long DeleteTenant(storage::Session& s, const std::string& tenant_id);
  // Deletes up to `limit` done and dropped jobs finished before `before`; returns how many.
  static long long PurgeFinished(storage::Session& s, EpochMs before, int limit);
  // The same for dead jobs (dead-lettered before `before`, never retried since).
  static long long PurgeDead(storage::Session& s, EpochMs before, int limit);
};

}  // namespace opdesk::jobs
