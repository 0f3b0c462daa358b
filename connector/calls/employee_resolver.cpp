#include "connector/calls/employee_resolver.h"

#include <cpprest/json.h>

#include "adapters/json_read.h"
#include "connector/calls/crm_connection.h"
#include "connector/calls/integration_settings.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/mango_repositories.h"

namespace opdesk::mango {

std::string EmployeeResolver::UserForExtension(const std::string& tenant_id,
                                               const std::string& extension) {
  if (extension.empty()) {
    return "";
  }
  std::optional<EmployeeLink> link;
  storage::WithSession(db_, [&](storage::Session& s) {
    link = storage::EmployeeMapRepository::FindRecent(s, tenant_id, extension);
  });
  if (link) {
    return link->crm_user_id;
  }
  const std::string user_id = crm_.FindUserByExtension(tenant_id, extension);
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
    link = storage::EmployeeMapRepository::FindByUserRecent(s, tenant_id, user_id);
  });
  if (link) {
    return link->extension;
  }
  const std::string extension = crm_.UserExtension(tenant_id, user_id);
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
  CrmConnection crm;
  IntegrationSettings settings;
  storage::WithSession(db_, [&](storage::Session& s) {
    crm = FindCrmConnection(s, tenant_id);
    settings = LoadIntegrationSettings(s, tenant_id);
  });
  if (!settings.catch_all_user_id.empty()) {
    // An unmapped employee's call: the catch-all user's card only when chosen, and never for
    // a call that has no employee at all (missed in the IVR).
    const bool card = !extension.empty() && settings.unmapped_calls == UnmappedCalls::kCatchAllCard;
    return {settings.catch_all_user_id, false, card};
  }
  return {crm.default_user_id, false, false};
}

}  // namespace opdesk::mango
