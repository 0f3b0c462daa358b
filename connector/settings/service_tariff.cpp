// The tariff: the end of a paid period (FEATURES E2), the vendor's plan changes, and the view
// of plan, seats and the marketplace subscription.
#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/settings/service.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/repositories.h"

namespace opdesk::settings {
namespace {

TenantPlan PlanOf(const Tenant& t) {
  return TenantPlan{t.plan, t.paid_until_ms, t.plan_lapsed_at_ms};
}

Json PlanJson(const Tenant& t) {
  Json j = Json::object(true);
  j["plan"] = Json::string(t.plan);
  j["paid_until_ms"] = Json::number(static_cast<int64_t>(t.paid_until_ms));
  j["lapsed_at_ms"] = Json::number(static_cast<int64_t>(t.plan_lapsed_at_ms));
  return j;
}

Json IdList(const std::vector<std::string>& ids) {
  Json a = Json::array(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    a[i] = Json::string(ids[i]);
  }
  return a;
}

std::shared_ptr<const TimeZone> ZoneOf(const Tenant& t) {
  try {
    return LoadTimeZone(t.time_zone);
  } catch (const Error&) {
    return std::make_shared<const TimeZone>(TimeZone::Utc());
  }
}

}  // namespace

SettingsService::SettingsService(storage::Database& db, const Clock& clock, CrmDirectory* crm,
                                 SettingsOptions options, PickIndex pick)
    : db_(db), clock_(clock), crm_(crm), options_(std::move(options)), pick_(std::move(pick)) {}

PickIndex SystemRandomPick() {
  return [](std::size_t n) {
    static thread_local std::mt19937_64 rng(std::random_device{}());
    return static_cast<std::size_t>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng));
  };
}

void AppendAudit(storage::Session& s, const std::string& tenant_id, const std::string& actor,
                 const std::string& action, const std::string& object_type,
                 const std::string& object_id, const Json* before, const Json* after, EpochMs now) {
  AuditEntry entry = MakeAuditEntry(tenant_id, actor, action, object_type, object_id, now);
  if (before != nullptr) {
    entry.before_json = before->serialize();
  }
  if (after != nullptr) {
    entry.after_json = after->serialize();
  }
  storage::AuditLogRepository::Append(s, entry);
}

std::vector<std::string> SettingsService::EnforceLimitLocked(storage::Session& s,
                                                             const std::string& tenant_id,
                                                             int limit) {
  if (limit <= 0) {
    return {};
  }
  const std::optional<storage::RoleRow> supervisor =
      storage::RoleRepository::FindSystem(s, tenant_id, kSupervisorKey);
  const std::optional<B24Portal> portal = storage::B24PortalRepository::Find(s, tenant_id);
  std::vector<SeatHolder> active;
  std::vector<User> seated = storage::UserRepository::ListSeated(s, tenant_id);
  for (const User& u : seated) {
    if (!u.seat_blocked) {
      active.push_back({u.user_id, u.seat_seq, supervisor && u.role_id == supervisor->id,
                        portal && portal->installer_user_id == u.user_id});
    }
  }
  const std::vector<std::string> blocked = ChooseSeatsToBlock(active, limit, pick_);
  for (const User& u : seated) {
    if (std::find(blocked.begin(), blocked.end(), u.user_id) != blocked.end()) {
      storage::UserRepository::SetSeat(s, tenant_id, u.user_id, u.role_id, true, u.seat_seq,
                                       clock_.NowMs());
    }
  }
  return blocked;
}

std::vector<std::string> SettingsService::RestoreLocked(storage::Session& s,
                                                        const std::string& tenant_id, int limit) {
  std::vector<SeatHolder> blocked;
  std::vector<User> seated = storage::UserRepository::ListSeated(s, tenant_id);
  for (const User& u : seated) {
    if (u.seat_blocked) {
      blocked.push_back({u.user_id, u.seat_seq, false, false});
    }
  }
  const std::vector<std::string> restored =
      ChooseSeatsToRestore(blocked, storage::UserRepository::CountActiveSeats(s, tenant_id), limit);
  for (const User& u : seated) {
    if (std::find(restored.begin(), restored.end(), u.user_id) != restored.end()) {
      storage::UserRepository::SetSeat(s, tenant_id, u.user_id, u.role_id, false, u.seat_seq,
                                       clock_.NowMs());
    }
  }
  return restored;
}

bool SettingsService::ApplyLapseLocked(storage::Session& s, const Tenant& tenant, EpochMs now) {
  if (!LapseDue(options_.plans, PlanOf(tenant), now)) {
    return false;
  }
  const int limit = options_.plans.Free().max_users;
  const std::vector<std::string> blocked = EnforceLimitLocked(s, tenant.id, limit);
  storage::TenantRepository::SetPlan(s, tenant.id, tenant.plan, tenant.paid_until_ms, now, now);
  const Json before = PlanJson(tenant);
  Json after = before;
  after["lapsed_at_ms"] = Json::number(static_cast<int64_t>(now));
  after["max_users"] = Json::number(limit);
  after["blocked_users"] = IdList(blocked);
  AppendAudit(s, tenant.id, "system", "plan.lapse", "tenant", tenant.id, &before, &after, now);
  spdlog::info("event=plan_lapsed tenant={} plan={} blocked={}", tenant.id, tenant.plan,
               blocked.size());
  return true;
}

void SettingsService::ApplyPlanOnAccess(const std::string& tenant_id) {
  std::optional<Tenant> tenant;
  storage::WithSession(
      db_, [&](storage::Session& s) { tenant = storage::TenantRepository::Find(s, tenant_id); });
  if (!tenant || !LapseDue(options_.plans, PlanOf(*tenant), clock_.NowMs())) {
    return;
  }
  storage::InTransaction(db_, [&](storage::Session& s) {
    if (std::optional<Tenant> locked = storage::TenantRepository::Lock(s, tenant_id)) {
      ApplyLapseLocked(s, *locked, clock_.NowMs());
    }
  });
}

AccessView SettingsService::ResolveAccess(const std::string& tenant_id,
                                          const std::string& user_id) {
  ApplyPlanOnAccess(tenant_id);
  AccessView view;
  storage::WithSession(db_, [&](storage::Session& s) { view = ReadAccess(s, tenant_id, user_id); });
  return view;
}

Role SettingsService::AuthorizeRead(const std::string& tenant_id, const std::string& user_id) {
  ApplyPlanOnAccess(tenant_id);
  Role role;
  storage::WithSession(db_,
                       [&](storage::Session& s) { role = RequireSeat(s, tenant_id, user_id); });
  return role;
}

Role SettingsService::AuthorizeManager(const std::string& tenant_id, const std::string& user_id) {
  ApplyPlanOnAccess(tenant_id);
  Role role;
  storage::WithSession(
      db_, [&](storage::Session& s) { role = RequireSettingsManager(s, tenant_id, user_id); });
  return role;
}

int SettingsService::ApplyDueLapses() {
  std::vector<Tenant> tenants;
  storage::WithSession(db_,
                       [&](storage::Session& s) { tenants = storage::TenantRepository::List(s); });
  int applied = 0;
  for (const Tenant& t : tenants) {
    if (!LapseDue(options_.plans, PlanOf(t), clock_.NowMs())) {
      continue;
    }
    try {
      storage::InTransaction(db_, [&](storage::Session& s) {
        if (std::optional<Tenant> locked = storage::TenantRepository::Lock(s, t.id)) {
          applied += ApplyLapseLocked(s, *locked, clock_.NowMs()) ? 1 : 0;
        }
      });
    } catch (const Error& e) {
      spdlog::warn("event=plan_lapse_failed tenant={} error={}", t.id, LogQuoted(e.what()));
    }
  }
  return applied;
}

TariffView SettingsService::Tariff(const std::string& tenant_id, bool refresh_marketplace) {
  ApplyPlanOnAccess(tenant_id);
  TariffView view;
  storage::WithSession(db_, [&](storage::Session& s) {
    std::optional<Tenant> t = storage::TenantRepository::Find(s, tenant_id);
    if (!t) {
      throw NotFound("no tenant " + tenant_id);
    }
    view.status = EvaluatePlan(options_.plans, PlanOf(*t), clock_.NowMs());
    view.seats_used = storage::UserRepository::CountActiveSeats(s, tenant_id);
    view.time_zone = t->time_zone;
  });
  view.marketplace = Marketplace(tenant_id, refresh_marketplace);
  return view;
}

TariffView SettingsService::SetPlan(const std::string& tenant_id, const std::string& plan_name,
                                    const std::string& until, const std::string& actor) {
  const Plan* plan = options_.plans.Find(plan_name);
  if (plan == nullptr) {
    throw InvalidArgument("plan must be free, standard or unlimited, got '" + plan_name + "'",
                          "plan");
  }
  if (plan->paid && until.empty()) {
    throw InvalidArgument("a paid plan needs the date it is paid until (YYYY-MM-DD)", "until");
  }
  if (!plan->paid && !until.empty()) {
    throw InvalidArgument("the free plan has no paid-until date", "until");
  }
  storage::InTransaction(db_, [&](storage::Session& s) {
    std::optional<Tenant> t = storage::TenantRepository::Lock(s, tenant_id);
    if (!t) {
      throw NotFound("no tenant " + tenant_id);
    }
    const EpochMs now = clock_.NowMs();
    const EpochMs paid_until = plan->paid ? PaidUntilFromDate(until, *ZoneOf(*t)) : 0;
    const Json before = PlanJson(*t);
    storage::TenantRepository::SetPlan(s, tenant_id, plan->name, paid_until, 0, now);
    Tenant changed = *t;
    changed.plan = plan->name;
    changed.paid_until_ms = paid_until;
    changed.plan_lapsed_at_ms = 0;
    const PlanStatus status = EvaluatePlan(options_.plans, PlanOf(changed), now);
    std::vector<std::string> restored;
    std::vector<std::string> blocked;
    if (!status.lapsed) {
      restored = RestoreLocked(s, tenant_id, status.max_users);
      blocked = EnforceLimitLocked(s, tenant_id, status.max_users);
    }
    Json after = PlanJson(changed);
    after["until"] = Json::string(until);
    after["restored_users"] = IdList(restored);
    after["blocked_users"] = IdList(blocked);
    AppendAudit(s, tenant_id, actor, "plan.set", "tenant", tenant_id, &before, &after, now);
    if (status.lapsed) {
      ApplyLapseLocked(s, changed, now);  // a date already past: the fallback applies at once
    }
  });
  return Tariff(tenant_id, false);
}

}  // namespace opdesk::settings
