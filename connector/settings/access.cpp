#include "connector/settings/access.h"

#include <cpprest/json.h>

#include "connector/domain/error.h"
#include "connector/settings/codec.h"
#include "connector/storage/repositories.h"

namespace opdesk::settings {

std::string_view ToString(SeatState state) {
  switch (state) {
    case SeatState::kActive:
      return "active";
    case SeatState::kBlocked:
      return "blocked";
    case SeatState::kNoRole:
      return "no_role";
  }
  return "no_role";
}

SeatState SeatStateOf(const User& user) {
  if (user.role_id == 0) {
    return SeatState::kNoRole;
  }
  return user.seat_blocked ? SeatState::kBlocked : SeatState::kActive;
}

Role RoleFromRow(const storage::RoleRow& row) {
  Role r;
  r.id = row.id;
  r.name = row.name;
  r.system = !row.system_key.empty();
  r.keep_card_open = row.keep_card_open;
  r.may_manage_settings = row.may_manage_settings;
  try {
    r.client_fields =
        FieldRefsFromJson(ParseStored(row.client_fields_json), "client_fields", false, 10'000);
  } catch (const Error& e) {
    throw Internal("stored role " + std::to_string(row.id) + " is corrupt: " + e.what());
  }
  r.button_ids = row.button_ids;
  r.script_ids = row.script_ids;
  r.version = row.version;
  r.updated_at_ms = row.updated_at_ms;
  return r;
}

std::vector<Supervisor> ActiveSupervisors(storage::Session& s, const std::string& tenant_id) {
  std::vector<Supervisor> out;
  const std::optional<storage::RoleRow> role =
      storage::RoleRepository::FindSystem(s, tenant_id, kSupervisorKey);
  if (!role) {
    return out;
  }
  for (const User& u : storage::UserRepository::ListSeated(s, tenant_id)) {
    if (u.role_id == role->id && !u.seat_blocked) {
      out.push_back({u.user_id, u.name});
    }
  }
  return out;
}

AccessView ReadAccess(storage::Session& s, const std::string& tenant_id,
                      const std::string& user_id) {
  AccessView view;
  const std::optional<User> user = storage::UserRepository::Find(s, tenant_id, user_id);
  view.state = user ? SeatStateOf(*user) : SeatState::kNoRole;
  if (view.state == SeatState::kActive) {
    const std::optional<storage::RoleRow> role =
        storage::RoleRepository::Find(s, tenant_id, user->role_id);
    if (!role) {
      throw Internal("user " + user_id + " holds role " + std::to_string(user->role_id) +
                     ", which does not exist");
    }
    view.role = RoleFromRow(*role);
  }
  view.supervisors = ActiveSupervisors(s, tenant_id);
  return view;
}

Role RequireSeat(storage::Session& s, const std::string& tenant_id, const std::string& user_id) {
  AccessView view = ReadAccess(s, tenant_id, user_id);
  if (view.state == SeatState::kActive) {
    return *view.role;
  }
  std::string ask;
  for (const Supervisor& sup : view.supervisors) {
    ask += (ask.empty() ? "" : ", ") + (sup.name.empty() ? "user " + sup.user_id : sup.name);
  }
  ask = ask.empty() ? "" : " (ask " + ask + ")";
  if (view.state == SeatState::kBlocked) {
    throw PermissionDenied("your seat is blocked until the subscription is renewed" + ask);
  }
  throw PermissionDenied("you have no role in opdesk; a supervisor can give you one" + ask);
}

Role RequireSettingsManager(storage::Session& s, const std::string& tenant_id,
                            const std::string& user_id) {
  Role role = RequireSeat(s, tenant_id, user_id);
  if (!role.may_manage_settings) {
    throw PermissionDenied("your role '" + role.name + "' may not change the settings");
  }
  return role;
}

storage::RoleRow EnsureSupervisorRole(storage::Session& s, const std::string& tenant_id,
                                      EpochMs now) {
  if (auto existing = storage::RoleRepository::FindSystem(s, tenant_id, kSupervisorKey)) {
    return *existing;
  }
  const Role fresh = NewSupervisorRole();
  storage::RoleRow row;
  row.tenant_id = tenant_id;
  row.name = fresh.name;
  // A tenant's own role may already carry the default name; the system role then says so.
  if (storage::RoleRepository::FindByName(s, tenant_id, row.name)) {
    row.name = fresh.name + " (system)";
  }
  row.system_key = kSupervisorKey;
  row.keep_card_open = fresh.keep_card_open;
  row.may_manage_settings = fresh.may_manage_settings;
  row.created_at_ms = now;
  row.updated_at_ms = now;
  row.id = storage::RoleRepository::Insert(s, row);
  return row;
}

}  // namespace opdesk::settings
