// Applies stored Mango notifications to their calls and queues the CRM work, after Mango got its
// 200: the ingest stores each event with `pending` set (one multi-row INSERT per shared commit)
// and wakes the applier, which reads the pending events in batches (oldest first) and, in one
// transaction per batch, applies them to their calls (all the batch's calls read and locked in
// one SELECT and written in one multi-row upsert), queues the intents as outbox jobs (multi-row
// INSERTs), and clears `pending`. One applier at a time over all processes on the database (the
// event_applier lock row), so two instances never apply an event twice; a process killed
// mid-batch leaves its events pending, and the next applier (this process restarted, or
// another) applies them. Besides the wakes, the applier looks for pending events every second.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "connector/domain/call_tracker.h"
#include "connector/domain/clock.h"
#include "connector/storage/database.h"

namespace opdesk::mango {

struct ApplierStats {
  long long batches = 0;   // transactions that applied events
  long long events = 0;    // events applied
  long long failures = 0;  // events that could not be applied (logged, then set aside)
};

class EventApplier {
 public:
  EventApplier(storage::Database& db, const Clock& clock);
  ~EventApplier();
  EventApplier(const EventApplier&) = delete;
  EventApplier& operator=(const EventApplier&) = delete;

  // Called after a batch that queued jobs committed (wakes the outbox).
  void SetWake(std::function<void()> wake) { wake_ = std::move(wake); }
  // The background thread: applies what is pending at once, then whenever notified.
  void Start();
  void Stop();
  // Events were stored: apply them now.
  void Notify();
  // Applies pending events in this thread until none is left; returns how many.
  long long ApplyAll();
  ApplierStats stats() const;

  // The state of the calls this process wrote last, with their row version, so that the next
  // events of a call are applied without decoding its row again: used when the row (read and
  // locked with the rest of the batch's calls) is still at that version; when it moved on
  // (another process, a write of ours that rolled back) the row's own state is decoded. Entries
  // are put only after their transaction committed, dropped when the call finishes; bounded.
  class CallCache {
   public:
    struct Entry {
      long long version = 0;
      calls::Call call;
    };
    std::optional<Entry> Get(const std::string& key);
    void Put(const std::string& key, Entry entry);
    void Erase(const std::string& key);

   private:
    static constexpr std::size_t kCapacity = 50'000;
    std::mutex mu_;
    std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  };

 private:
  // One batch in one transaction; returns how many events it took off the pending list.
  long long ApplyBatch();
  // The batch failed: each event on its own, so one that cannot be applied stops no other.
  long long ApplyOneByOne();
  void Run();

  static constexpr int kBatch = 256;

  storage::Database& db_;
  const Clock& clock_;
  CallCache calls_;
  std::function<void()> wake_;
  std::mutex apply_mu_;  // one batch at a time in this process
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool notified_ = false;  // guarded by mu_
  bool stop_ = false;      // guarded by mu_
  ApplierStats stats_;     // guarded by mu_
  std::thread thread_;
};

}  // namespace opdesk::mango
