// Callback reminders of dialing tasks (FEATURES F5): when a contact's callback or next call time
// comes, its operator gets one Bitrix24 notification (im.notify.personal.add) with the task, the
// contact and a link to the app. A sweep finds the contacts whose time has come and, in one
// transaction, marks each (campaign_contacts.reminded_due_ms) and queues a typed outbox job; the
// mark is a conditional update, so with several processes on one database each reminder is
// queued once. The job checks again that the contact is still in work with that operator and
// time (released, finished, rescheduled or opened meanwhile: nothing is sent) and marks the
// notification "sending" before asking the portal, so a rerun never sends it twice.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/crm.h"
#include "connector/domain/clock.h"
#include "connector/jobs/job.h"
#include "connector/jobs/job_kind.h"
#include "connector/storage/database.h"

namespace opdesk::bitrix24 {
class RestClient;
}  // namespace opdesk::bitrix24

namespace opdesk::campaigns {

struct ReminderJob {
  long long task_id = 0;
  long long contact_id = 0;
  std::string operator_id;
  EpochMs due_at_ms = 0;
};

std::string EncodeReminderJob(const ReminderJob& job);
ReminderJob DecodeReminderJob(const std::string& payload);
inline constexpr jobs::JobKind<ReminderJob> kReminderJob{"campaign.reminder", EncodeReminderJob,
                                                         DecodeReminderJob};

// The key a reminder is known by (its job's idempotency key and its "sending" mark).
std::string ReminderKey(long long contact_id, EpochMs due_at_ms);

class ReminderRunner {
 public:
  ReminderRunner(storage::Database& db, bitrix24::RestClient& rest, adapters::Crm& crm,
                 const Clock& clock)
      : db_(db), rest_(rest), crm_(crm), clock_(clock) {}

  void Run(const jobs::Job& job, const ReminderJob& reminder);

 private:
  // The app's page in the portal ("" when the portal is unknown).
  std::string AppLink(const std::string& tenant_id);

  storage::Database& db_;
  bitrix24::RestClient& rest_;
  adapters::Crm& crm_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, std::string> app_ids_;  // guarded by mu_
};

// Queues the reminders whose time has come; returns how many. Safe with several processes.
int QueueDueReminders(storage::Database& db, const Clock& clock);

// Runs QueueDueReminders every `interval` on a thread of its own, waking the workers after.
class ReminderSweep {
 public:
  ReminderSweep(storage::Database& db, const Clock& clock, std::chrono::milliseconds interval,
                std::function<void()> wake)
      : db_(db), clock_(clock), interval_(interval), wake_(std::move(wake)) {}
  ~ReminderSweep();
  ReminderSweep(const ReminderSweep&) = delete;
  ReminderSweep& operator=(const ReminderSweep&) = delete;

  void Start();
  void Stop();

 private:
  void Loop();

  storage::Database& db_;
  const Clock& clock_;
  std::chrono::milliseconds interval_;
  std::function<void()> wake_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace opdesk::campaigns
