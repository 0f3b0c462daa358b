// Retry delay for failed jobs: exponential in the attempt number, capped, with jitter so that a
// burst of failures (a CRM outage) does not come back as a synchronised burst.
#pragma once

#include <cstdint>

namespace opdesk::jobs {

// attempt >= 1 is the attempt that just failed. `random_unit` in [0, 1) picks the jitter:
// the result lies in [cap/2, cap] where cap = min(max_ms, base_ms * 2^(attempt-1)).
long long BackoffMs(int attempt, long long base_ms, long long max_ms, double random_unit);

}  // namespace opdesk::jobs
