// Roles (FEATURES D4, D5): what an operator with the role sees in the call card (Client-tab fields,
// buttons, scripts), whether the card stays open after the call, and whether the role may change
// the settings. One system role per tenant, the Supervisor, is given to whoever installs the app;
// it cannot be deleted or lose "may manage settings", and some active user always holds it.
#pragma once

#include <string>
#include <vector>

#include "connector/domain/clock.h"
#include "connector/domain/crm_catalog.h"

namespace opdesk {

struct Role {
  long long id = 0;
  std::string name;
  bool system = false;  // the Supervisor
  bool keep_card_open = false;
  bool may_manage_settings = false;
  std::vector<FieldRef> client_fields;
  std::vector<long long> button_ids;  // in the order the card shows them
  std::vector<long long> script_ids;
  long long version = 0;
  EpochMs updated_at_ms = 0;
};

// The key that marks the system role in storage, and its default name (source 002).
inline constexpr const char* kSupervisorKey = "supervisor";
inline constexpr const char* kSupervisorDefaultName = "Супервайзер";

inline constexpr std::size_t kMaxRoleName = 64;
inline constexpr std::size_t kMaxClientFields = 100;
inline constexpr std::size_t kMaxRoleButtons = 50;
inline constexpr std::size_t kMaxRoleScripts = 50;
inline constexpr std::size_t kMaxRolesPerTenant = 100;

// The Supervisor as a tenant first gets it: keeps the card open, manages settings.
Role NewSupervisorRole();

// Name, list sizes, field shapes and no repeated ids. Throws InvalidArgument naming the field.
void ValidateRole(const Role& role);
// What an edit may not do: the system role keeps "may manage settings" (Conflict otherwise), and
// whether a role is the system one never changes.
void CheckRoleUpdate(const Role& before, const Role& after);
// A role can be deleted only when it is not the system role and nobody holds it, blocked users
// included (their role comes back on renewal). Throws Conflict.
void CheckRoleDeletion(const Role& role, long long holders);

}  // namespace opdesk
