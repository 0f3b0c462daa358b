// The scheduled half of FEATURES E2: every plans.check_interval_seconds, tenants whose paid
// period has ended fall back to the free plan's limit (the other half is the check on access).
// A thread of its own; applying a lapse is idempotent and serialised by the tenant's row lock,
// so several instances may run it at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "connector/settings/service.h"

namespace opdesk::settings {

class PlanLapseTimer {
 public:
  PlanLapseTimer(SettingsService& service, std::chrono::milliseconds interval);
  ~PlanLapseTimer();
  PlanLapseTimer(const PlanLapseTimer&) = delete;
  PlanLapseTimer& operator=(const PlanLapseTimer&) = delete;

  void Start();
  void Stop();

 private:
  void Loop();

  SettingsService& service_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace opdesk::settings
