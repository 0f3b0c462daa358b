// Keeps the employee map in step with the VPBX's user directory (issue 4, item 5): fetches
// config/users/request (Mango allows one per 2 s per VPBX; the command client spaces them),
// caches the directory, and links extensions to the CRM's active users — their internal number
// first, then e-mail (Crm::ListActiveUsers). Manual links always win and are never touched;
// automatic links that no longer hold (a dismissed user, a changed number) are removed. Runs as an
// outbox job: when a VPBX is connected, when the settings page asks, and every `refresh_ms` (a
// periodic chain per tenant on a fixed grid of times, deduplicated per grid point so restarts,
// reconnects and several processes never multiply it).
#pragma once

#include <string>

#include "adapters/crm.h"
#include "adapters/mango/command_client.h"
#include "connector/calls/call_jobs.h"
#include "connector/jobs/job.h"
#include "connector/storage/database.h"

namespace opdesk::mango {

// Queues a sync to run now (connect, the settings page's refresh); it does not schedule others.
void EnqueueDirectorySyncNow(storage::Session& s, const std::string& tenant_id, EpochMs now);
// Queues the periodic sync at the next multiple of `refresh_ms`, unless one is queued for that
// time already; each periodic sync queues the next.
void EnqueuePeriodicDirectorySync(storage::Session& s, const std::string& tenant_id, EpochMs now,
                                  EpochMs refresh_ms);

struct DirectorySyncResult {
  int employees = 0;  // in the VPBX directory
  int linked = 0;     // automatic links now in place
  int removed = 0;    // automatic links that no longer hold
};

class DirectorySync {
 public:
  DirectorySync(storage::Database& db, adapters::Crm& crm, CommandClient& mango, const Clock& clock,
                EpochMs refresh_ms)
      : db_(db), crm_(crm), mango_(mango), clock_(clock), refresh_ms_(refresh_ms) {}

  void Run(const jobs::Job& job, const DirectorySyncJob& sync);
  DirectorySyncResult Sync(const std::string& tenant_id);
  // Starts (or keeps) the periodic chain of every connected VPBX; called at start.
  void SchedulePeriodic();
  EpochMs refresh_ms() const { return refresh_ms_; }

 private:
  storage::Database& db_;
  adapters::Crm& crm_;
  CommandClient& mango_;
  const Clock& clock_;
  EpochMs refresh_ms_;
};

}  // namespace opdesk::mango
