#include "connector/calls/crm_connection.h"

#include "adapters/crm_by_tenant.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/megaplan_repositories.h"

namespace opdesk::mango {

CrmConnection FindCrmConnection(storage::Session& s, const std::string& tenant_id) {
  CrmConnection out;
  if (adapters::IsMegaplanTenant(tenant_id)) {
    const std::optional<MegaplanAccount> account =
        storage::MegaplanAccountRepository::Find(s, tenant_id);
    if (account) {
      // A refused or expired token still counts as connected: the jobs wait for a new
      // sign-in rather than give the call up.
      out = {true, "megaplan", account->employee_id, true};
    }
    return out;
  }
  const std::optional<B24Portal> portal = storage::B24PortalRepository::FindRecent(s, tenant_id);
  if (portal && portal->state != "uninstalled") {
    out = {true, "bitrix24", portal->installer_user_id, portal->state == "installed"};
  }
  return out;
}

}  // namespace opdesk::mango
