// Time as the rest of the code sees it: milliseconds since the Unix epoch from a Clock that tests
// can replace. Stored times are integers in milliseconds on every database backend.
#pragma once

#include <atomic>
#include <cstdint>

namespace opdesk {

using EpochMs = long long;  // long long, not int64_t: SOCI binds long long on every platform

class Clock {
 public:
  virtual ~Clock() = default;
  virtual EpochMs NowMs() const = 0;
};

// Wall clock; the only implementation used outside tests.
class SystemClock final : public Clock {
 public:
  EpochMs NowMs() const override;
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(EpochMs start = 1'700'000'000'000) : now_(start) {}
  EpochMs NowMs() const override { return now_.load(); }
  void Advance(EpochMs ms) { now_ += ms; }
  void Set(EpochMs ms) { now_ = ms; }

 private:
  std::atomic<EpochMs> now_;
};

}  // namespace opdesk
