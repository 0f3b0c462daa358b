// The CRM each tenant has: Megaplan for tenants "megaplan:<host>", Bitrix24 for the rest. What
// the wiring hands every feature as its adapters::Crm, so the call rules run once for both.
#pragma once

#include "adapters/crm.h"

namespace opdesk::adapters {

// Whether a tenant id names a Megaplan account ("megaplan:<host>").
bool IsMegaplanTenant(const std::string& tenant_id);

class CrmByTenant final : public Crm {
 public:
  CrmByTenant(Crm& bitrix24, Crm& megaplan) : bitrix24_(bitrix24), megaplan_(megaplan) {}

  CrmCatalog FetchCatalog(const std::string& tenant_id) override;
  std::vector<CrmUser> FetchUsers(const std::string& tenant_id) override;
  MarketplaceStatus FetchMarketplaceStatus(const std::string& tenant_id) override;
  void AddLine(const std::string& tenant_id, const std::string& number,
               const std::string& name) override;
  RegisteredCall RegisterCall(const std::string& tenant_id, const CallRegistration& call) override;
  void ShowCall(const std::string& tenant_id, const std::string& call_id,
                const std::string& user_id) override;
  void HideCall(const std::string& tenant_id, const std::string& call_id,
                const std::string& user_id) override;
  void FinishCall(const std::string& tenant_id, const CallFinish& finish) override;
  void AttachRecording(const std::string& tenant_id, const std::string& call_id,
                       const std::string& filename, const std::string& path) override;
  std::optional<CrmRecord> FindClientByPhone(const std::string& tenant_id,
                                             const std::string& phone) override;
  FoundClient FindCreatedClient(const std::string& tenant_id, const ClientLookup& lookup) override;
  CreatedClient CreateClient(const std::string& tenant_id, const NewClient& client) override;
  std::vector<ClientResponsibles> FindResponsibles(const std::string& tenant_id,
                                                   const std::string& phone,
                                                   const RequestOptions& options) override;
  std::vector<std::string> OpenDeals(const std::string& tenant_id, const CrmRecord& client,
                                     const std::string& pipeline,
                                     const RequestOptions& options) override;
  std::string DealPipeline(const std::string& tenant_id, const std::string& deal_id,
                           const RequestOptions& options) override;
  void SetFieldValue(const std::string& tenant_id, const CrmRecord& record, const std::string& code,
                     const std::string& value, const RequestOptions& options) override;
  std::string AddComment(const std::string& tenant_id, const CrmRecord& record,
                         const std::string& text, const RequestOptions& options) override;
  std::string AddActivity(const std::string& tenant_id, const CrmRecord& record,
                          const ActivityRequest& activity, const RequestOptions& options) override;
  std::string AddTask(const std::string& tenant_id, const TaskRequest& task,
                      const RequestOptions& options) override;
  void SetLeadStatus(const std::string& tenant_id, const std::string& lead_id,
                     const std::string& status_id, const RequestOptions& options) override;
  void SetDealStage(const std::string& tenant_id, const std::string& deal_id,
                    const std::string& stage_id, const RequestOptions& options) override;
  std::string FindUserByExtension(const std::string& tenant_id,
                                  const std::string& extension) override;
  std::string UserExtension(const std::string& tenant_id, const std::string& user_id) override;
  bool IsActiveUser(const std::string& tenant_id, const std::string& user_id,
                    const RequestOptions& options) override;
  std::vector<CrmUser> ListActiveUsers(const std::string& tenant_id) override;
  ClientHistory ReadClientHistory(const std::string& tenant_id, const CrmRecord& client, int page,
                                  const RequestOptions& options) override;
  CrmChoices ListChoices(const std::string& tenant_id, const ChoicesQuery& query,
                         const RequestOptions& options) override;

 private:
  Crm& For(const std::string& tenant_id) {
    return IsMegaplanTenant(tenant_id) ? megaplan_ : bitrix24_;
  }
  Crm& bitrix24_;
  Crm& megaplan_;
};

}  // namespace opdesk::adapters
