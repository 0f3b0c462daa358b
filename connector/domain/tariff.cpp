#include "connector/domain/tariff.h"

#include <algorithm>
#include <cstdio>

namespace opdesk {

PlanCatalog::PlanCatalog(int free_max_users, int standard_max_users) {
  plans_ = {{"free", free_max_users, false, false},
            {"standard", standard_max_users, true, true},
            {"unlimited", 0, true, true}};
}

const Plan* PlanCatalog::Find(std::string_view name) const {
  for (const Plan& p : plans_) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

PlanStatus EvaluatePlan(const PlanCatalog& catalog, const TenantPlan& plan, EpochMs now_ms) {
  const Plan* p = catalog.Find(plan.plan);
  if (p == nullptr) {
    throw Internal("the tenant's plan '" + plan.plan + "' is not in the plan catalog");
  }
  PlanStatus status;
  status.plan = p->name;
  status.paid_until_ms = p->paid ? plan.paid_until_ms : 0;
  status.lapsed = p->paid && plan.paid_until_ms > 0 && now_ms >= plan.paid_until_ms;
  status.max_users = status.lapsed ? catalog.Free().max_users : p->max_users;
  status.email_from_tasks = status.lapsed ? catalog.Free().email_from_tasks : p->email_from_tasks;
  return status;
}

bool LapseDue(const PlanCatalog& catalog, const TenantPlan& plan, EpochMs now_ms) {
  return EvaluatePlan(catalog, plan, now_ms).lapsed && plan.lapsed_at_ms == 0;
}

bool HasFreeSeat(const PlanStatus& status, long long seats_in_use) {
  return status.max_users == 0 || seats_in_use < status.max_users;
}

void RequireEmailFromTasks(const PlanStatus& status) {
  if (status.email_from_tasks) {
    return;
  }
  throw Error(ErrorCode::kPermissionDenied,
              status.lapsed
                  ? "Оплаченный период тарифа закончился: отправка писем из заданий обзвона "
                    "доступна только на платных тарифах. Продлите тариф, чтобы отправлять письма."
                  : "Отправка писем из заданий обзвона доступна только на платных тарифах "
                    "(«standard» и «unlimited»). Смените тариф, чтобы отправлять письма клиентам.",
              "plan");
}

Error SeatLimitReached(const PlanStatus& status, long long seats_in_use) {
  std::string why =
      status.lapsed
          ? "the paid period of plan '" + status.plan + "' has ended, so the free limit of " +
                std::to_string(status.max_users) + " users applies"
          : "plan '" + status.plan + "' allows " + std::to_string(status.max_users) + " users";
  return ResourceExhausted(
      "no free seat: " + why + " and " + std::to_string(seats_in_use) +
      " hold a role. To add users, renew or upgrade: plan 'standard' (up to 7 users) or "
      "'unlimited'; 4+ users cost 5 970 RUB for 3 months or 21 492 RUB for 12 months. Order on "
      "our site or in the app's chat, or take the role from someone else.");
}

std::vector<std::string> ChooseSeatsToBlock(std::vector<SeatHolder> active, int limit,
                                            const PickIndex& pick) {
  if (limit <= 0 || active.size() <= static_cast<std::size_t>(limit)) {
    return {};
  }
  std::sort(active.begin(), active.end(),
            [](const SeatHolder& a, const SeatHolder& b) { return a.seat_seq < b.seat_seq; });
  std::vector<SeatHolder> keep;
  // The Supervisor who stays: the installer if they hold it, else the earliest supervisor.
  auto kept = std::find_if(active.begin(), active.end(),
                           [](const SeatHolder& h) { return h.supervisor && h.installer; });
  if (kept == active.end()) {
    kept = std::find_if(active.begin(), active.end(),
                        [](const SeatHolder& h) { return h.supervisor; });
  }
  if (kept != active.end()) {
    keep.push_back(*kept);
    active.erase(kept);
  }
  while (keep.size() < static_cast<std::size_t>(limit) && !active.empty()) {
    const std::size_t i = pick(active.size());
    if (i >= active.size()) {
      throw Internal("the random source picked outside its range");
    }
    keep.push_back(active[i]);
    active.erase(active.begin() + static_cast<long>(i));
  }
  std::vector<std::string> blocked;
  for (const SeatHolder& h : active) {
    blocked.push_back(h.user_id);
  }
  return blocked;
}

std::vector<std::string> ChooseSeatsToRestore(std::vector<SeatHolder> blocked, long long active,
                                              int limit) {
  std::sort(blocked.begin(), blocked.end(),
            [](const SeatHolder& a, const SeatHolder& b) { return a.seat_seq < b.seat_seq; });
  std::vector<std::string> restored;
  for (const SeatHolder& h : blocked) {
    if (limit > 0 && active >= limit) {
      break;
    }
    restored.push_back(h.user_id);
    ++active;
  }
  return restored;
}

EpochMs PaidUntilFromDate(const std::string& date, const TimeZone& zone) {
  int y = 0;
  int m = 0;
  int d = 0;
  char tail = 0;
  const bool shaped = date.size() == 10 && date[4] == '-' && date[7] == '-' &&
                      std::sscanf(date.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3;
  if (!shaped || !IsValidDate(y, m, d)) {
    throw InvalidArgument("until must be a date YYYY-MM-DD, got '" + date + "'", "until");
  }
  const LocalTime next = CivilFromDays(DaysFromCivil(y, m, d) + 1);
  return zone.FromLocal(next);
}

std::string LastPaidDate(EpochMs paid_until_ms, const TimeZone& zone) {
  const LocalTime t = zone.ToLocal(paid_until_ms - 1);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year, t.month, t.day);
  return buf;
}

}  // namespace opdesk
