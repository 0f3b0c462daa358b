#include "connector/calls/employee_resolver.h"

#include <cpprest/json.h>

#include "adapters/json_read.h"
#include "connector/settings/integration_api.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/mango_repositories.h"

namespace opdesk::mango {
namespace {

using web::json::value;

}  // namespace

std::string EmployeeResolver::UserForExtension(const std::string& tenant_id,
                                               const std::string& extension) {
  if (extension.empty()) {
    return "";
  }
  std::optional<EmployeeLink> link;
  storage::WithSession(db_, [&](storage::Session& s) {
    link = storage::EmployeeMapRepository::Find(s, tenant_id, extension);
  });
  if (link) {
    return link->crm_user_id;
  }
  value params = value::object();
  params["FILTER"]["UF_PHONE_INNER"] = value::string(extension);
  params["FILTER"]["ACTIVE"] = value::boolean(true);
  value users = rest_.Call(tenant_id, "user.get", params);
  if (!users.is_array() || users.as_array().size() == 0) {
    return "";
  }
  const std::string user_id = adapters::JsonText(users.as_array().at(0), "ID");
  if (user_id.empty()) {
    return "";
  }
  storage::InTransaction(db_, [&](storage::Session& s) {
    storage::EmployeeMapRepository::Link(s, {tenant_id, extension, user_id, "crm", clock_.NowMs()});
  });
  return user_id;
}

std::string EmployeeResolver::ExtensionForUser(const std::string& tenant_id,
                                               const std::string& user_id) {
  std::optional<EmployeeLink> link;
  storage::WithSession(db_, [&](storage::Session& s) {
    link = storage::EmployeeMapRepository::FindByUser(s, tenant_id, user_id);
  });
  if (link) {
    return link->extension;
  }
  value params = value::object();
  params["FILTER"]["ID"] = value::string(user_id);
  value users = rest_.Call(tenant_id, "user.get", params);
  if (!users.is_array() || users.as_array().size() == 0) {
    return "";
  }
  const std::string extension = adapters::JsonText(users.as_array().at(0), "UF_PHONE_INNER");
  if (!extension.empty()) {
    storage::InTransaction(db_, [&](storage::Session& s) {
      storage::EmployeeMapRepository::Link(s,
                                           {tenant_id, extension, user_id, "crm", clock_.NowMs()});
    });
  }
  return extension;
}

EmployeeResolver::Resolved EmployeeResolver::Resolve(const std::string& tenant_id,
                                                     const std::string& extension) {
  const std::string user = UserForExtension(tenant_id, extension);
  if (!user.empty()) {
    return {user, true, true};
  }
  std::optional<B24Portal> portal;
  IntegrationSettings settings;
  storage::WithSession(db_, [&](storage::Session& s) {
    portal = storage::B24PortalRepository::Find(s, tenant_id);
    settings = LoadIntegrationSettings(s, tenant_id);
  });
  if (!settings.catch_all_user_id.empty()) {
    // An unmapped employee's call: the catch-all user's card only when chosen, and never for
    // a call that has no employee at all (missed in the IVR).
    const bool card = !extension.empty() && settings.unmapped_calls == UnmappedCalls::kCatchAllCard;
    return {settings.catch_all_user_id, false, card};
  }
  return {portal ? portal->installer_user_id : "", false, false};
}

}  // namespace opdesk::mango
