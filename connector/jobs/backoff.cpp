#include "connector/jobs/backoff.h"

#include <algorithm>

namespace opdesk::jobs {

long long BackoffMs(int attempt, long long base_ms, long long max_ms, double random_unit) {
  attempt = std::max(attempt, 1);
  long long cap = base_ms;
  for (int i = 1; i < attempt && cap < max_ms; ++i) {
    cap *= 2;
  }
  cap = std::min(cap, max_ms);
  random_unit = std::clamp(random_unit, 0.0, 1.0);
  long long half = cap / 2;
  return half + static_cast<long long>(static_cast<double>(cap - half) * random_unit);
}

}  // namespace opdesk::jobs
