// What the outbox stores: a unit of outbound work (a CRM or PBX call) with its ordering key,
// lane, lease and retry state. States only move forward, except an operator's explicit retry of
// a dead job.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "connector/domain/clock.h"

namespace opdesk::jobs {

// pending → running → done | pending (retry later) | dead (gave up) | dropped (deadline passed).
inline constexpr const char* kPending = "pending";
inline constexpr const char* kRunning = "running";
inline constexpr const char* kDone = "done";
inline constexpr const char* kDead = "dead";
inline constexpr const char* kDropped = "dropped";

enum class Lane { kNormal = 0, kUrgent = 1 };

struct NewJob {
  std::string tenant_id;
  std::string kind;
  std::string payload;
  // Jobs of one tenant with the same non-empty key run strictly one after another, in id order.
  std::string ordering_key;
  // A second enqueue with the same (tenant, key) adds nothing and returns the first job's id.
  std::optional<std::string> idempotency_key;
  Lane lane = Lane::kNormal;
  EpochMs run_at_ms = 0;    // 0: as soon as possible
  EpochMs deadline_ms = 0;  // 0: none; a job not started by then is dropped
  int max_attempts = 0;     // 0: the worker's configured default
};

struct Job {
  long long id = 0;
  std::string tenant_id;
  std::string kind;
  std::string payload;
  std::string ordering_key;
  Lane lane = Lane::kNormal;
  std::string state;
  int attempts = 0;      // including the one in progress
  int max_attempts = 0;  // handed to a handler: the worker's default if it was queued with 0
  EpochMs run_at_ms = 0;
  EpochMs deadline_ms = 0;
  std::string lease_owner;
  EpochMs lease_until_ms = 0;
  std::string last_error_code;
  std::string last_error;
  EpochMs created_at_ms = 0;
  EpochMs finished_at_ms = 0;

  // The attempt in progress is the last one: a retryable failure now dead-letters the job, so a
  // handler that keeps a visible state of its own settles it instead of leaving it waiting.
  bool LastAttempt() const { return max_attempts > 0 && attempts >= max_attempts; }
};

// Thrown by a handler that cannot go on yet for a reason that is no failure of its own (another
// job holds what it needs): the job runs again after `delay_ms` and the attempt is not counted,
// so waiting never dead-letters it. Whatever it waits for must end by itself (a lock with a stale
// time, a job that finishes).
class NotYet : public std::runtime_error {
 public:
  NotYet(const std::string& why, long long delay_ms)
      : std::runtime_error(why), delay_ms_(delay_ms) {}
  long long delay_ms() const { return delay_ms_; }

 private:
  long long delay_ms_;
};

}  // namespace opdesk::jobs
