// What the settings read from the tenant's CRM: the catalog (lead statuses, deal pipelines and
// stages, entity fields), the portal's users, and the app's subscription as the marketplace sees
// it. An interface because Megaplan will have its own (H6) and tests script the answers.
// Blocking: called from the HTTP executor and the plan timer, never on the I/O pool.
#pragma once

#include <string>
#include <vector>

#include "connector/domain/crm_catalog.h"

namespace opdesk::bitrix24 {
class RestClient;
}

namespace opdesk::settings {

struct PortalUser {
  std::string id;
  std::string name;
  std::string email;
  bool active = true;  // false: deactivated (fired) in the portal
};

// Bitrix24 app.info (reference bitrix24.md §6.6): STATUS F free, D demo, T trial, P paid,
// L local, S subscription; DAYS is negative during the grace period after expiry.
struct MarketplaceStatus {
  std::string status;
  bool payment_expired = false;
  long long days = 0;
  std::string license;
  EpochMs fetched_at_ms = 0;
};

class CrmDirectory {
 public:
  virtual ~CrmDirectory() = default;
  // Throw opdesk::Error (Unavailable when the CRM cannot be reached).
  virtual CrmCatalog FetchCatalog(const std::string& tenant_id) = 0;
  virtual std::vector<PortalUser> FetchUsers(const std::string& tenant_id) = 0;
  virtual MarketplaceStatus FetchMarketplaceStatus(const std::string& tenant_id) = 0;
};

// The portal through the REST client, with the installing admin's token: one batch for the
// catalog (crm.status.list, crm.category.list, crm.{lead,deal,contact,company}.fields),
// user.get page by page, app.info.
class Bitrix24Directory final : public CrmDirectory {
 public:
  explicit Bitrix24Directory(bitrix24::RestClient& rest) : rest_(rest) {}
  CrmCatalog FetchCatalog(const std::string& tenant_id) override;
  std::vector<PortalUser> FetchUsers(const std::string& tenant_id) override;
  MarketplaceStatus FetchMarketplaceStatus(const std::string& tenant_id) override;

 private:
  bitrix24::RestClient& rest_;
};

}  // namespace opdesk::settings
