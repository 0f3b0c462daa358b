// The tariff (FEATURES E1, E2). Plans are data: a name and how many users may hold a role (a
// "seat"); the defaults are free 2, standard 7 and unlimited, and config may change the first
// two. Each tenant has a plan and, for a paid one, the date it is paid until. When that date
// passes the tenant falls back to the free plan's limit: one Supervisor and others chosen at
// random keep their seats, the rest are blocked — they keep their role, nothing is deleted — and
// a renewal gives the blocked users their seats back in the order they first took them.
//
// Decision: "2 users keep their roles" (source 002) is read as "the free plan's limit", so with
// `plans.free.max_users = 3` three users keep theirs; blocking a user the free plan would allow
// would make no sense.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "connector/domain/clock.h"
#include "connector/domain/error.h"
#include "connector/domain/time_zone.h"

namespace opdesk {

struct Plan {
  std::string name;
  int max_users = 0;  // 0: unlimited
  bool paid = false;  // has a paid-until date
  // Features a plan includes (seed 001: «Отправка писем в статусе звонка доступна на тарифах
  // «Эксперт» и «Гуру»», the paid ones): e-mail to the client from a dialing task.
  bool email_from_tasks = false;
};

class PlanCatalog {
 public:
  // free, standard and unlimited (FEATURES E1: 2, 7, no limit); e-mail from tasks on the paid
  // ones only.
  explicit PlanCatalog(int free_max_users = 2, int standard_max_users = 7);
  const Plan* Find(std::string_view name) const;
  const Plan& Free() const { return plans_.front(); }
  const std::vector<Plan>& plans() const { return plans_; }

 private:
  std::vector<Plan> plans_;
};

// What a tenant bought, as stored.
struct TenantPlan {
  std::string plan = "free";
  EpochMs paid_until_ms = 0;  // paid plans: the first instant no longer paid for
  EpochMs lapsed_at_ms = 0;   // when the fallback was applied; 0 while paid (or free)
};

// The limit in force at some instant.
struct PlanStatus {
  std::string plan;
  int max_users = 0;  // 0: unlimited
  bool lapsed = false;
  EpochMs paid_until_ms = 0;
  bool email_from_tasks = false;  // the plan's, or the free plan's once lapsed
};

// Throws Internal for a plan name the catalog does not know (stored data is ours).
PlanStatus EvaluatePlan(const PlanCatalog& catalog, const TenantPlan& plan, EpochMs now_ms);
// The paid period has ended and the fallback has not been applied yet.
bool LapseDue(const PlanCatalog& catalog, const TenantPlan& plan, EpochMs now_ms);
bool HasFreeSeat(const PlanStatus& status, long long seats_in_use);
// PermissionDenied (field "plan") with the Russian text the pages show as is, when the plan in
// force lacks e-mail from dialing tasks.
void RequireEmailFromTasks(const PlanStatus& status);
// ResourceExhausted naming the limit and how to upgrade (FEATURES E1 prices).
Error SeatLimitReached(const PlanStatus& status, long long seats_in_use);

// A user holding a seat, for the fallback and restore rules.
struct SeatHolder {
  std::string user_id;
  long long seat_seq = 0;  // when the seat was taken: smaller is earlier
  bool supervisor = false;
  bool installer = false;
};

// Uniform random index in [0, n); injected so tests can choose.
using PickIndex = std::function<std::size_t(std::size_t n)>;

// Which of the `active` seat holders to block so that at most `limit` (> 0) keep their seats:
// one Supervisor is always kept (the installer if they hold it, otherwise the earliest), the
// other places go to holders chosen with `pick`. Empty when nothing is over the limit.
std::vector<std::string> ChooseSeatsToBlock(std::vector<SeatHolder> active, int limit,
                                            const PickIndex& pick);
// Which blocked holders get their seats back, earliest seat first, while `active` + restored
// stays within `limit` (0: unlimited).
std::vector<std::string> ChooseSeatsToRestore(std::vector<SeatHolder> blocked, long long active,
                                              int limit);

// `plan set --until 2026-01-31` pays through that day in the tenant's zone: the result is the
// next midnight there. Throws InvalidArgument (field "until") for a malformed date.
EpochMs PaidUntilFromDate(const std::string& yyyy_mm_dd, const TimeZone& zone);
// The last paid day, as YYYY-MM-DD, for a paid_until_ms made by PaidUntilFromDate.
std::string LastPaidDate(EpochMs paid_until_ms, const TimeZone& zone);

}  // namespace opdesk
