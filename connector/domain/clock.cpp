#include "connector/domain/clock.h"

#include <chrono>

namespace opdesk {

EpochMs SystemClock::NowMs() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace opdesk
