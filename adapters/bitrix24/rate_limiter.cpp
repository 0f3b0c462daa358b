#include "adapters/bitrix24/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace opdesk::bitrix24 {
namespace {

// Requests leave in the modelled order but may arrive bunched (a sender's thread late to wake, a
// slow connection): slots are kept in hand for what the portal drains in kBunchingMs, and never
// fewer than kMinMargin. At Bitrix24's 2/s that is the two slots; a fast portal needs more.
constexpr int kMinMargin = 2;
constexpr double kBunchingMs = 50;

double IntervalMs(double rate_per_s) {
  return 1000.0 / std::max(rate_per_s, 0.01);
}
int EffectiveBurst(int burst, double rate_per_s) {
  const int margin =
      std::max(kMinMargin, static_cast<int>(std::ceil(rate_per_s * kBunchingMs / 1000.0)));
  return std::max(1, burst - margin);
}

}  // namespace

PortalRateLimiter::Bucket& PortalRateLimiter::BucketFor(const std::string& portal,
                                                        double interval_ms, double now) {
  Bucket& b = buckets_[portal];
  if (b.interval_ms > 0 && b.interval_ms != interval_ms && b.tat_ms > now) {
    const double level = (b.tat_ms - now) / b.interval_ms;  // requests still "in the bucket"
    b.tat_ms = now + level * interval_ms;
  }
  b.interval_ms = interval_ms;
  return b;
}

long long PortalRateLimiter::Reserve(const std::string& portal, double rate_per_s, int burst) {
  return TryReserve(portal, rate_per_s, burst, -1);
}

long long PortalRateLimiter::TryReserve(const std::string& portal, double rate_per_s, int burst,
                                        long long max_wait_ms) {
  const double now = static_cast<double>(clock_.NowMs());
  const double interval = IntervalMs(rate_per_s);
  const double tolerance = (EffectiveBurst(burst, rate_per_s) - 1) * interval;
  std::lock_guard lock(mu_);
  double& tat = BucketFor(portal, interval, now).tat_ms;
  const double start = std::max(tat, now);
  const double send_at = std::max(now, start - tolerance);
  const auto wait = static_cast<long long>(std::ceil(send_at - now));
  if (max_wait_ms >= 0 && wait > max_wait_ms) {
    return -1;
  }
  tat = start + interval;
  return wait;
}

void PortalRateLimiter::MarkFull(const std::string& portal, double rate_per_s, int burst) {
  const double now = static_cast<double>(clock_.NowMs());
  const double interval = IntervalMs(rate_per_s);
  std::lock_guard lock(mu_);
  double& tat = BucketFor(portal, interval, now).tat_ms;
  tat = std::max(tat, now + EffectiveBurst(burst, rate_per_s) * interval);
}

void PortalRateLimiter::PauseMethod(const std::string& portal, const std::string& method,
                                    EpochMs until_ms) {
  std::lock_guard lock(mu_);
  EpochMs& until = paused_[{portal, method}];
  until = std::max(until, until_ms);
}

EpochMs PortalRateLimiter::MethodPausedUntil(const std::string& portal,
                                             const std::string& method) const {
  std::lock_guard lock(mu_);
  auto it = paused_.find({portal, method});
  if (it == paused_.end() || it->second <= clock_.NowMs()) {
    return 0;
  }
  return it->second;
}

}  // namespace opdesk::bitrix24
