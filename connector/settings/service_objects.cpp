// Buttons and roles: create, change (with the version read), delete; every change audited.
#include "connector/domain/error.h"

#include <cpprest/json.h>
#include "connector/settings/codec.h"
#include "connector/settings/service.h"
#include "connector/storage/repositories.h"
#include "connector/storage/settings_repositories.h"

namespace opdesk::settings {
namespace {

Button ButtonFromRow(const storage::ButtonRow& row) {
  Button b;
  b.id = row.id;
  b.name = row.name;
  b.color = row.color;
  try {
    b.actions = ActionsFromJson(ParseStored(row.actions_json), "actions");
  } catch (const Error& e) {
    throw Internal("stored button " + std::to_string(row.id) + " is corrupt: " + e.what());
  }
  b.version = row.version;
  b.updated_at_ms = row.updated_at_ms;
  return b;
}

storage::ButtonRow RowOf(const std::string& tenant_id, const Button& b, EpochMs now) {
  storage::ButtonRow row;
  row.id = b.id;
  row.tenant_id = tenant_id;
  row.name = b.name;
  row.color = b.color;
  row.actions_json = Encode(ActionsToJson(b.actions));
  row.created_at_ms = now;
  row.updated_at_ms = now;
  return row;
}

storage::RoleRow RowOf(const std::string& tenant_id, const Role& r, EpochMs now) {
  storage::RoleRow row;
  row.id = r.id;
  row.tenant_id = tenant_id;
  row.name = r.name;
  row.system_key = r.system ? kSupervisorKey : "";
  row.keep_card_open = r.keep_card_open;
  row.may_manage_settings = r.may_manage_settings;
  row.client_fields_json = Encode(FieldRefsToJson(r.client_fields, false));
  row.button_ids = r.button_ids;
  row.script_ids = r.script_ids;
  row.created_at_ms = now;
  row.updated_at_ms = now;
  return row;
}

[[noreturn]] void Stale(const std::string& what, long long current) {
  throw Conflict(what + " was changed by someone else (now version " + std::to_string(current) +
                     "); reload it and try again",
                 "version");
}

bool HasCrmTargets(const Button& b) {
  for (const ButtonAction& a : b.actions) {
    if (a.kind == ActionKind::kLeadStatus || a.kind == ActionKind::kDealStage) {
      return true;
    }
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> NamedResponsibles(const Button& b) {
  std::vector<std::pair<std::string, std::string>> named;
  const std::vector<std::string> ids = ResponsibleUserIds(b);
  for (std::size_t i = 0, k = 0; i < b.actions.size() && k < ids.size(); ++i) {
    if (b.actions[i].kind == ActionKind::kTask && b.actions[i].responsible == ids[k]) {
      named.emplace_back("actions[" + std::to_string(i) + "].responsible", ids[k++]);
    }
  }
  return named;
}

// The buttons and scripts a role names belong to the tenant.
void CheckRoleItems(storage::Session& s, const std::string& tenant_id, const Role& role) {
  for (std::size_t i = 0; i < role.button_ids.size(); ++i) {
    if (!storage::ButtonRepository::Find(s, tenant_id, role.button_ids[i])) {
      const std::string at = "button_ids[" + std::to_string(i) + "]";
      throw InvalidArgument(at + " names no button of this portal", at);
    }
  }
  for (std::size_t i = 0; i < role.script_ids.size(); ++i) {
    if (!storage::ScriptRepository::Find(s, tenant_id, role.script_ids[i])) {
      const std::string at = "script_ids[" + std::to_string(i) + "]";
      throw InvalidArgument(at + " names no script of this portal", at);
    }
  }
}

}  // namespace

// ---- buttons ----

std::vector<Button> SettingsService::ListButtons(const std::string& tenant_id) {
  std::vector<Button> out;
  storage::WithSession(db_, [&](storage::Session& s) {
    for (const storage::ButtonRow& row : storage::ButtonRepository::List(s, tenant_id)) {
      out.push_back(ButtonFromRow(row));
    }
  });
  return out;
}

Button SettingsService::GetButton(const std::string& tenant_id, long long id) {
  std::optional<storage::ButtonRow> row;
  storage::WithSession(
      db_, [&](storage::Session& s) { row = storage::ButtonRepository::Find(s, tenant_id, id); });
  if (!row) {
    throw NotFound("no button " + std::to_string(id));
  }
  return ButtonFromRow(*row);
}

Button SettingsService::CreateButton(const std::string& tenant_id, const std::string& actor,
                                     Button button) {
  AuthorizeManager(tenant_id, actor);
  ValidateButton(button);
  if (HasCrmTargets(button)) {
    CheckWithCatalog(tenant_id, [&](const CrmCatalog& c) { CheckCrmTargets(button, c); });
  }
  CheckPortalUsers(tenant_id, NamedResponsibles(button));
  long long id = 0;
  storage::InTransaction(db_, [&](storage::Session& s) {
    RequireSettingsManager(s, tenant_id, actor);
    if (storage::ButtonRepository::Count(s, tenant_id) >=
        static_cast<long long>(kMaxButtonsPerTenant)) {
      throw ResourceExhausted("a portal may have at most " + std::to_string(kMaxButtonsPerTenant) +
                              " buttons");
    }
    const EpochMs now = clock_.NowMs();
    id = storage::ButtonRepository::Insert(s, RowOf(tenant_id, button, now));
    button.id = id;
    button.version = 1;
    button.updated_at_ms = now;
    const Json after = ToJson(button);
    AppendAudit(s, tenant_id, "user:" + actor, "button.create", "button", std::to_string(id),
                nullptr, &after, now);
  });
  return GetButton(tenant_id, id);
}

Button SettingsService::UpdateButton(const std::string& tenant_id, const std::string& actor,
                                     long long id, Button button) {
  AuthorizeManager(tenant_id, actor);
  GetButton(tenant_id, id);  // another tenant's id is 404 before any validation
  ValidateButton(button);
  if (HasCrmTargets(button)) {
    CheckWithCatalog(tenant_id, [&](const CrmCatalog& c) { CheckCrmTargets(button, c); });
  }
  CheckPortalUsers(tenant_id, NamedResponsibles(button));
  storage::InTransaction(db_, [&](storage::Session& s) {
    RequireSettingsManager(s, tenant_id, actor);
    std::optional<storage::ButtonRow> stored = storage::ButtonRepository::Find(s, tenant_id, id);
    if (!stored) {
      throw NotFound("no button " + std::to_string(id));
    }
    const EpochMs now = clock_.NowMs();
    button.id = id;
    if (stored->version != button.version ||
        !storage::ButtonRepository::Update(s, RowOf(tenant_id, button, now), button.version)) {
      Stale("the button", stored->version);
    }
    const Json before = ToJson(ButtonFromRow(*stored));
    const Json after = ToJson(ButtonFromRow(*storage::ButtonRepository::Find(s, tenant_id, id)));
    AppendAudit(s, tenant_id, "user:" + actor, "button.update", "button", std::to_string(id),
                &before, &after, now);
  });
  return GetButton(tenant_id, id);
}

void SettingsService::DeleteButton(const std::string& tenant_id, const std::string& actor,
                                   long long id, long long version) {
  AuthorizeManager(tenant_id, actor);
  storage::InTransaction(db_, [&](storage::Session& s) {
    RequireSettingsManager(s, tenant_id, actor);
    std::optional<storage::ButtonRow> stored = storage::ButtonRepository::Find(s, tenant_id, id);
    if (!stored) {
      throw NotFound("no button " + std::to_string(id));
    }
    if (!storage::ButtonRepository::Delete(s, tenant_id, id, version)) {
      Stale("the button", stored->version);
    }
    const EpochMs now = clock_.NowMs();
    storage::RoleRepository::RemoveItem(s, tenant_id, "button", id, now);
    const Json before = ToJson(ButtonFromRow(*stored));
    AppendAudit(s, tenant_id, "user:" + actor, "button.delete", "button", std::to_string(id),
                &before, nullptr, now);
  });
}

// ---- roles ----

std::vector<Role> SettingsService::ListRoles(const std::string& tenant_id) {
  std::vector<Role> out;
  storage::WithSession(db_, [&](storage::Session& s) {
    for (const storage::RoleRow& row : storage::RoleRepository::List(s, tenant_id)) {
      out.push_back(RoleFromRow(row));
    }
  });
  return out;
}

Role SettingsService::GetRole(const std::string& tenant_id, long long id) {
  std::optional<storage::RoleRow> row;
  storage::WithSession(
      db_, [&](storage::Session& s) { row = storage::RoleRepository::Find(s, tenant_id, id); });
  if (!row) {
    throw NotFound("no role " + std::to_string(id));
  }
  return RoleFromRow(*row);
}

Role SettingsService::CreateRole(const std::string& tenant_id, const std::string& actor,
                                 Role role) {
  AuthorizeManager(tenant_id, actor);
  role.system = false;
  ValidateRole(role);
  if (!role.client_fields.empty()) {
    CheckWithCatalog(tenant_id, [&](const CrmCatalog& c) {
      CheckFieldRefs(role.client_fields, c, "client_fields");
    });
  }
  long long id = 0;
  storage::InTransaction(db_, [&](storage::Session& s) {
    RequireSettingsManager(s, tenant_id, actor);
    if (storage::RoleRepository::List(s, tenant_id).size() >= kMaxRolesPerTenant) {
      throw ResourceExhausted("a portal may have at most " + std::to_string(kMaxRolesPerTenant) +
                              " roles");
    }
    if (storage::RoleRepository::FindByName(s, tenant_id, role.name)) {
      throw Conflict("a role named '" + role.name + "' exists", "name");
    }
    CheckRoleItems(s, tenant_id, role);
    const EpochMs now = clock_.NowMs();
    id = storage::RoleRepository::Insert(s, RowOf(tenant_id, role, now));
    const Json after = ToJson(RoleFromRow(*storage::RoleRepository::Find(s, tenant_id, id)));
    AppendAudit(s, tenant_id, "user:" + actor, "role.create", "role", std::to_string(id), nullptr,
                &after, now);
  });
  return GetRole(tenant_id, id);
}

Role SettingsService::UpdateRole(const std::string& tenant_id, const std::string& actor,
                                 long long id, Role role) {
  AuthorizeManager(tenant_id, actor);
  GetRole(tenant_id, id);
  ValidateRole(role);
  if (!role.client_fields.empty()) {
    CheckWithCatalog(tenant_id, [&](const CrmCatalog& c) {
      CheckFieldRefs(role.client_fields, c, "client_fields");
    });
  }
  storage::InTransaction(db_, [&](storage::Session& s) {
    RequireSettingsManager(s, tenant_id, actor);
    std::optional<storage::RoleRow> stored = storage::RoleRepository::Find(s, tenant_id, id);
    if (!stored) {
      throw NotFound("no role " + std::to_string(id));
    }
    const Role before = RoleFromRow(*stored);
    role.id = id;
    role.system = before.system;
    CheckRoleUpdate(before, role);
    if (stored->version != role.version) {
      Stale("the role", stored->version);
    }
    if (auto same_name = storage::RoleRepository::FindByName(s, tenant_id, role.name);
        same_name && same_name->id != id) {
      throw Conflict("a role named '" + role.name + "' exists", "name");
    }
    CheckRoleItems(s, tenant_id, role);
    const EpochMs now = clock_.NowMs();
    if (!storage::RoleRepository::Update(s, RowOf(tenant_id, role, now), role.version)) {
      Stale("the role", stored->version);
    }
    const Json before_json = ToJson(before);
    const Json after = ToJson(RoleFromRow(*storage::RoleRepository::Find(s, tenant_id, id)));
    AppendAudit(s, tenant_id, "user:" + actor, "role.update", "role", std::to_string(id),
                &before_json, &after, now);
  });
  return GetRole(tenant_id, id);
}

void SettingsService::DeleteRole(const std::string& tenant_id, const std::string& actor,
                                 long long id, long long version) {
  AuthorizeManager(tenant_id, actor);
  storage::InTransaction(db_, [&](storage::Session& s) {
    // Holders are counted under the tenant lock, so no one takes the role while it goes.
    storage::TenantRepository::Lock(s, tenant_id);
    RequireSettingsManager(s, tenant_id, actor);
    std::optional<storage::RoleRow> stored = storage::RoleRepository::Find(s, tenant_id, id);
    if (!stored) {
      throw NotFound("no role " + std::to_string(id));
    }
    const Role before = RoleFromRow(*stored);
    CheckRoleDeletion(before, storage::UserRepository::CountByRole(s, tenant_id, id));
    if (!storage::RoleRepository::Delete(s, tenant_id, id, version)) {
      Stale("the role", stored->version);
    }
    const Json before_json = ToJson(before);
    AppendAudit(s, tenant_id, "user:" + actor, "role.delete", "role", std::to_string(id),
                &before_json, nullptr, clock_.NowMs());
  });
}

}  // namespace opdesk::settings
