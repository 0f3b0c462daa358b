#include "connector/settings/plan_timer.h"

#include <spdlog/spdlog.h>

#include "connector/domain/log_escape.h"

namespace opdesk::settings {

PlanLapseTimer::PlanLapseTimer(SettingsService& service, std::chrono::milliseconds interval)
    : service_(service), interval_(interval) {}

PlanLapseTimer::~PlanLapseTimer() {
  Stop();
}

void PlanLapseTimer::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void PlanLapseTimer::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void PlanLapseTimer::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    try {
      const int applied = service_.ApplyDueLapses();
      if (applied > 0) {
        spdlog::info("event=plan_lapses_applied count={}", applied);
      }
    } catch (const std::exception& e) {
      spdlog::warn("event=plan_lapse_check_failed error={}", LogQuoted(e.what()));
    }
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace opdesk::settings
