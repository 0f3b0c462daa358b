// Users and their seats (FEATURES D5, D6, E1): the portal's users, who holds which role, and the
// two invariants — no more seats than the plan allows, and an active Supervisor always remains.
#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/settings/service.h"
#include "connector/storage/repositories.h"

namespace opdesk::settings {
namespace {

constexpr const char* kUsersCacheKind = "users";

Json SeatJson(const User& u) {
  Json j = Json::object(true);
  j["role_id"] = u.role_id > 0 ? Json::string(std::to_string(u.role_id)) : Json::null();
  j["status"] = Json::string(std::string(ToString(SeatStateOf(u))));
  return j;
}

TenantPlan PlanOf(const Tenant& t) {
  return TenantPlan{t.plan, t.paid_until_ms, t.plan_lapsed_at_ms};
}

}  // namespace

void SettingsService::SyncUsers(const std::string& tenant_id) {
  if (crm_ == nullptr) {
    throw Unavailable("no CRM is connected to read the users from");
  }
  const std::vector<PortalUser> users = crm_->FetchUsers(tenant_id);
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(db_, [&](storage::Session& s) {
    if (!storage::TenantRepository::Find(s, tenant_id)) {
      throw NotFound("no tenant " + tenant_id);
    }
    for (const PortalUser& p : users) {
      User u = storage::UserRepository::Find(s, tenant_id, p.id).value_or(User{});
      if (u.user_id.empty()) {
        u.tenant_id = tenant_id;
        u.user_id = p.id;
        u.created_at_ms = now;
      }
      u.name = p.name;
      u.email = p.email;
      u.status = p.active ? "active" : "fired";
      u.updated_at_ms = now;
      storage::UserRepository::Upsert(s, u);
    }
    storage::CrmCacheRepository::Save(s, tenant_id, kUsersCacheKind,
                                      "{\"count\":" + std::to_string(users.size()) + "}", now);
  });
}

MeView SettingsService::Me(const std::string& tenant_id, const std::string& user_id) {
  ApplyPlanOnAccess(tenant_id);
  MeView me;
  me.user_id = user_id;
  storage::WithSession(db_, [&](storage::Session& s) {
    const std::optional<User> user = storage::UserRepository::Find(s, tenant_id, user_id);
    if (!user) {
      return;
    }
    me.name = user->name;
    me.state = SeatStateOf(*user);
    if (user->role_id > 0) {
      if (const auto row = storage::RoleRepository::Find(s, tenant_id, user->role_id)) {
        me.role = RoleFromRow(*row);
      }
    }
  });
  return me;
}

UsersView SettingsService::ListUsers(const std::string& tenant_id, bool refresh) {
  ApplyPlanOnAccess(tenant_id);
  UsersView view;
  storage::WithSession(db_, [&](storage::Session& s) {
    if (auto e = storage::CrmCacheRepository::Find(s, tenant_id, kUsersCacheKind)) {
      view.synced_at_ms = e->fetched_at_ms;
    }
  });
  const bool stale = clock_.NowMs() - view.synced_at_ms >= options_.users_ttl_ms;
  if (crm_ != nullptr && (refresh || stale)) {
    try {
      SyncUsers(tenant_id);
      view.synced_at_ms = clock_.NowMs();
    } catch (const Error& e) {
      if (refresh) {
        throw;
      }
      spdlog::warn("event=users_sync_failed tenant={} error={}", tenant_id, LogQuoted(e.what()));
    }
  }
  storage::WithSession(db_, [&](storage::Session& s) {
    std::optional<Tenant> t = storage::TenantRepository::Find(s, tenant_id);
    if (!t) {
      throw NotFound("no tenant " + tenant_id);
    }
    view.plan = EvaluatePlan(options_.plans, PlanOf(*t), clock_.NowMs());
    for (User& u : storage::UserRepository::ListByTenant(s, tenant_id)) {
      const SeatState state = SeatStateOf(u);
      view.users.push_back({std::move(u), state});
    }
    view.seats_used = storage::UserRepository::CountActiveSeats(s, tenant_id);
  });
  return view;
}

UserSeat SettingsService::AssignRole(const std::string& tenant_id, const std::string& actor_user_id,
                                     const std::string& user_id, long long role_id) {
  // A portal user opdesk has not met yet (a new employee): read the portal's users once.
  bool known = false;
  storage::WithSession(db_, [&](storage::Session& s) {
    known = storage::UserRepository::Find(s, tenant_id, user_id).has_value();
  });
  if (!known && crm_ != nullptr) {
    try {
      SyncUsers(tenant_id);
    } catch (const Error& e) {
      spdlog::warn("event=users_sync_failed tenant={} error={}", tenant_id, LogQuoted(e.what()));
    }
  }
  UserSeat result;
  storage::InTransaction(db_, [&](storage::Session& s) {
    // The tenant's row lock serialises every change of seats and supervisors of the tenant.
    std::optional<Tenant> tenant = storage::TenantRepository::Lock(s, tenant_id);
    if (!tenant) {
      throw NotFound("no tenant " + tenant_id);
    }
    const EpochMs now = clock_.NowMs();
    if (ApplyLapseLocked(s, *tenant, now)) {
      tenant = storage::TenantRepository::Find(s, tenant_id);
    }
    RequireSettingsManager(s, tenant_id, actor_user_id);
    std::optional<User> user = storage::UserRepository::Find(s, tenant_id, user_id);
    if (!user) {
      throw NotFound("no portal user " + user_id + " (refresh the list of users)");
    }
    const storage::RoleRow supervisor = EnsureSupervisorRole(s, tenant_id, now);
    if (role_id != 0) {
      if (!storage::RoleRepository::Find(s, tenant_id, role_id)) {
        throw InvalidArgument("role_id names no role of this portal", "role_id");
      }
      if (user->status == "fired") {
        throw InvalidArgument("the user is deactivated in Bitrix24 and cannot take a role",
                              "role_id");
      }
    }
    const SeatState state = SeatStateOf(*user);
    const bool active_supervisor = state == SeatState::kActive && user->role_id == supervisor.id;
    if (active_supervisor && role_id != supervisor.id) {
      const std::vector<Supervisor> all = ActiveSupervisors(s, tenant_id);
      const bool another = std::any_of(
          all.begin(), all.end(), [&](const Supervisor& sup) { return sup.user_id != user_id; });
      if (!another) {
        throw Conflict(
            "this is the last active Supervisor; give the Supervisor role to someone else first");
      }
    }
    const Json before = SeatJson(*user);
    if (role_id == 0) {
      storage::UserRepository::SetSeat(s, tenant_id, user_id, 0, false, 0, now);
    } else if (state == SeatState::kActive) {
      storage::UserRepository::SetSeat(s, tenant_id, user_id, role_id, false, user->seat_seq, now);
    } else {
      const PlanStatus plan = EvaluatePlan(options_.plans, PlanOf(*tenant), now);
      const long long used = storage::UserRepository::CountActiveSeats(s, tenant_id);
      if (!HasFreeSeat(plan, used)) {
        throw SeatLimitReached(plan, used);
      }
      storage::UserRepository::SetSeat(s, tenant_id, user_id, role_id, false,
                                       storage::UserRepository::NextSeatSeq(s, tenant_id), now);
    }
    user = storage::UserRepository::Find(s, tenant_id, user_id);
    const Json after = SeatJson(*user);
    AppendAudit(s, tenant_id, "user:" + actor_user_id, "user.role", "user", user_id, &before,
                &after, now);
    result = {*user, SeatStateOf(*user)};
  });
  return result;
}

void SettingsService::GrantInstallerSupervisor(storage::Session& s, const std::string& tenant_id,
                                               const std::string& user_id) {
  std::optional<Tenant> tenant = storage::TenantRepository::Lock(s, tenant_id);
  if (!tenant) {
    throw NotFound("no tenant " + tenant_id);
  }
  const EpochMs now = clock_.NowMs();
  const storage::RoleRow supervisor = EnsureSupervisorRole(s, tenant_id, now);
  User user = storage::UserRepository::Find(s, tenant_id, user_id).value_or(User{});
  if (user.user_id.empty()) {
    user.tenant_id = tenant_id;
    user.user_id = user_id;
    user.created_at_ms = now;
    user.updated_at_ms = now;
    storage::UserRepository::Upsert(s, user);
  }
  const SeatState state = SeatStateOf(user);
  if (state == SeatState::kActive && user.role_id == supervisor.id) {
    return;
  }
  const Json before = SeatJson(user);
  const long long seq = state == SeatState::kActive
                            ? user.seat_seq
                            : storage::UserRepository::NextSeatSeq(s, tenant_id);
  storage::UserRepository::SetSeat(s, tenant_id, user_id, supervisor.id, false, seq, now);
  // The installer always gets the role; if that passes the plan's limit (a reinstall into a
  // full tenant), the excess is blocked the way a lapse blocks it, keeping the installer.
  const PlanStatus plan = EvaluatePlan(options_.plans, PlanOf(*tenant), now);
  if (plan.max_users > 0 &&
      storage::UserRepository::CountActiveSeats(s, tenant_id) > plan.max_users) {
    EnforceLimitLocked(s, tenant_id, plan.max_users);
  }
  user = *storage::UserRepository::Find(s, tenant_id, user_id);
  const Json after = SeatJson(user);
  AppendAudit(s, tenant_id, "system", "user.role", "user", user_id, &before, &after, now);
}

void SettingsService::CheckPortalUsers(
    const std::string& tenant_id, const std::vector<std::pair<std::string, std::string>>& named) {
  auto first_missing = [&] {
    std::optional<std::pair<std::string, std::string>> missing;
    storage::WithSession(db_, [&](storage::Session& s) {
      for (const auto& [field, id] : named) {
        if (!missing && !storage::UserRepository::Find(s, tenant_id, id)) {
          missing = std::make_pair(field, id);
        }
      }
    });
    return missing;
  };
  auto missing = first_missing();
  if (missing && crm_ != nullptr) {
    SyncUsers(tenant_id);
    missing = first_missing();
  }
  if (missing) {
    throw InvalidArgument(
        missing->first + " names user " + missing->second + ", who is not a user of the portal",
        missing->first);
  }
}

}  // namespace opdesk::settings
