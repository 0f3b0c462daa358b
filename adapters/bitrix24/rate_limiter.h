// Keeps opdesk inside each portal's REST budget. The portal counts requests in a leaky bucket
// (drains `rate` per second, refuses above `burst`); this models the same bucket with the generic
// cell rate algorithm, so each caller gets an exact send time and concurrent callers queue up
// instead of racing. One instance per process is shared by every thread. Also remembers methods
// paused by 429 OPERATION_TIME_LIMIT, which block only that method.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "connector/domain/clock.h"

namespace opdesk::bitrix24 {

class PortalRateLimiter {
 public:
  explicit PortalRateLimiter(const Clock& clock) : clock_(clock) {}

  // Reserves the next send slot for `portal` and returns the wait in ms before sending (0: now).
  // A margin below the portal's burst absorbs requests bunching up on the way: the slots the
  // portal drains in 50 ms, at least two.
  long long Reserve(const std::string& portal, double rate_per_s, int burst);
  // Like Reserve, but takes the slot only when it comes within `max_wait_ms`; otherwise nothing
  // is reserved (a request that is not sent must not spend the portal's budget) and -1 returned.
  long long TryReserve(const std::string& portal, double rate_per_s, int burst,
                       long long max_wait_ms);
  // The portal answered QUERY_LIMIT_EXCEEDED: its bucket is fuller than modelled (another app on
  // this IP, another process). Model it as full: from now on one request per drain interval, no
  // burst, until idle time refills the budget.
  void MarkFull(const std::string& portal, double rate_per_s, int burst);

  void PauseMethod(const std::string& portal, const std::string& method, EpochMs until_ms);
  // 0 when the method is not paused.
  EpochMs MethodPausedUntil(const std::string& portal, const std::string& method) const;

 private:
  const Clock& clock_;
  mutable std::mutex mu_;
  struct Bucket {
    double tat_ms = 0;       // theoretical arrival time of the next request
    double interval_ms = 0;  // the drain interval tat_ms was computed with
  };
  // Re-expresses the bucket in the new interval when the portal's rate changed, so that a raised
  // budget takes effect at once (the modelled level is kept, not the time it would take).
  Bucket& BucketFor(const std::string& portal, double interval_ms, double now);
  std::map<std::string, Bucket> buckets_;                          // guarded by mu_
  std::map<std::pair<std::string, std::string>, EpochMs> paused_;  // guarded by mu_
};

}  // namespace opdesk::bitrix24
