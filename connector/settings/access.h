// Who may do what (FEATURES D4–D6, E1): a user with an active seat may read what the call card
// needs; a user whose role may manage settings may change them. These are the checks every
// settings write and seated read uses — also the portal setup and the integration settings — so
// the rule lives in one place. They run inside the caller's transaction, which makes the check
// and the write one step. (The end of a paid period is applied before them by
// SettingsService::ApplyPlanOnAccess.)
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connector/domain/roles.h"
#include "connector/storage/database.h"
#include "connector/storage/records.h"
#include "connector/storage/settings_repositories.h"

namespace opdesk::settings {

enum class SeatState { kActive, kNoRole, kBlocked };
std::string_view ToString(SeatState state);  // "active", "no_role", "blocked"
SeatState SeatStateOf(const User& user);

struct Supervisor {
  std::string user_id;
  std::string name;
};

// What a user may see in the call card, and whom to ask when they may not.
struct AccessView {
  SeatState state = SeatState::kNoRole;
  std::optional<Role> role;             // with an active seat
  std::vector<Supervisor> supervisors;  // active holders of the Supervisor role, by seat order
};

// Reads the user's seat and role (a user opdesk has never seen has no role).
AccessView ReadAccess(storage::Session& s, const std::string& tenant_id,
                      const std::string& user_id);
// The caller's role if they hold an active seat; PermissionDenied otherwise (no role, or
// blocked by the tariff), naming the supervisors to ask.
Role RequireSeat(storage::Session& s, const std::string& tenant_id, const std::string& user_id);
// RequireSeat, and the role may manage settings; PermissionDenied otherwise.
Role RequireSettingsManager(storage::Session& s, const std::string& tenant_id,
                            const std::string& user_id);

// The tenant's Supervisor role, created when missing (install, or a tenant from before roles).
storage::RoleRow EnsureSupervisorRole(storage::Session& s, const std::string& tenant_id,
                                      EpochMs now);
// Active holders of the Supervisor role, earliest seat first.
std::vector<Supervisor> ActiveSupervisors(storage::Session& s, const std::string& tenant_id);

// A stored role as the domain sees it; Internal if its documents are corrupt.
Role RoleFromRow(const storage::RoleRow& row);

}  // namespace opdesk::settings
