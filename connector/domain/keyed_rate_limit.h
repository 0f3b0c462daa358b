// A token bucket per key (a portal, a client address), for work that an unauthenticated caller
// can trigger: each key may spend `burst` at once and `rate_per_s` after that. The number of keys
// is bounded, so a caller inventing keys cannot grow memory; when full, idle keys are forgotten
// first and, failing that, new keys share one overflow bucket.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <string>

#include "connector/domain/clock.h"

namespace opdesk {

class KeyedRateLimit {
 public:
  KeyedRateLimit(const Clock& clock, double rate_per_s, double burst, std::size_t max_keys = 10'000)
      : clock_(clock), rate_per_s_(rate_per_s), burst_(burst), max_keys_(max_keys) {}

  // Takes one token for `key`; false when its bucket is empty (nothing is taken then).
  bool Allow(const std::string& key) {
    const double now_s = static_cast<double>(clock_.NowMs()) / 1000.0;
    std::lock_guard lock(mu_);
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
      if (buckets_.size() >= max_keys_) {
        Forget(now_s);
      }
      it = buckets_.size() >= max_keys_
               ? buckets_.try_emplace(kOverflow, Bucket{burst_, now_s}).first
               : buckets_.emplace(key, Bucket{burst_, now_s}).first;
    }
    Bucket& b = it->second;
    b.tokens = std::min(burst_, b.tokens + (now_s - b.at_s) * rate_per_s_);
    b.at_s = now_s;
    if (b.tokens < 1.0) {
      return false;
    }
    b.tokens -= 1.0;
    return true;
  }

 private:
  struct Bucket {
    double tokens;
    double at_s;
  };
  static constexpr const char* kOverflow = "\n(overflow)";

  // Drops buckets that have refilled completely: they carry no memory of past spending.
  void Forget(double now_s) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      const bool full = it->second.tokens + (now_s - it->second.at_s) * rate_per_s_ >= burst_;
      it = full && it->first != kOverflow ? buckets_.erase(it) : std::next(it);
    }
  }

  const Clock& clock_;
  const double rate_per_s_;
  const double burst_;
  const std::size_t max_keys_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;  // guarded by mu_
};

}  // namespace opdesk
