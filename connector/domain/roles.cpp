#include "connector/domain/roles.h"

#include <algorithm>
#include <set>

#include "connector/domain/error.h"
#include "connector/domain/text.h"

namespace opdesk {
namespace {

void CheckIds(const std::vector<long long>& ids, std::size_t max, const std::string& field) {
  if (ids.size() > max) {
    throw InvalidArgument(field + " may have at most " + std::to_string(max) + " entries", field);
  }
  std::set<long long> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string at = field + "[" + std::to_string(i) + "]";
    if (ids[i] <= 0) {
      throw InvalidArgument(at + " is not an id", at);
    }
    if (!seen.insert(ids[i]).second) {
      throw InvalidArgument(at + " repeats " + std::to_string(ids[i]), at);
    }
  }
}

}  // namespace

Role NewSupervisorRole() {
  Role r;
  r.name = kSupervisorDefaultName;
  r.system = true;
  r.keep_card_open = true;
  r.may_manage_settings = true;
  return r;
}

void ValidateRole(const Role& role) {
  CheckText(role.name, kMaxRoleName, true, "name");
  if (role.client_fields.size() > kMaxClientFields) {
    throw InvalidArgument(
        "client_fields may have at most " + std::to_string(kMaxClientFields) + " fields",
        "client_fields");
  }
  for (std::size_t i = 0; i < role.client_fields.size(); ++i) {
    const std::string at = "client_fields[" + std::to_string(i) + "]";
    CheckFieldRefShape(role.client_fields[i], at);
    for (std::size_t j = 0; j < i; ++j) {
      if (role.client_fields[j].entity == role.client_fields[i].entity &&
          role.client_fields[j].code == role.client_fields[i].code) {
        throw InvalidArgument(
            at + " repeats " + role.client_fields[i].entity + "." + role.client_fields[i].code, at);
      }
    }
  }
  CheckIds(role.button_ids, kMaxRoleButtons, "button_ids");
  CheckIds(role.script_ids, kMaxRoleScripts, "script_ids");
}

void CheckRoleUpdate(const Role& before, const Role& after) {
  if (before.system != after.system) {
    throw Internal("an edit tried to change whether a role is the system role");
  }
  if (before.system && !after.may_manage_settings) {
    throw Conflict("the Supervisor role always may manage settings", "may_manage_settings");
  }
}

void CheckRoleDeletion(const Role& role, long long holders) {
  if (role.system) {
    throw Conflict("the Supervisor role cannot be deleted");
  }
  if (holders > 0) {
    throw Conflict(std::to_string(holders) +
                   " user(s) hold this role; give them another role before deleting it");
  }
}

}  // namespace opdesk
