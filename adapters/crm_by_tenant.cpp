#include "adapters/crm_by_tenant.h"

namespace opdesk::adapters {

bool IsMegaplanTenant(const std::string& tenant_id) {
  return tenant_id.rfind("megaplan:", 0) == 0;
}

CrmCatalog CrmByTenant::FetchCatalog(const std::string& tenant_id) {
  return For(tenant_id).FetchCatalog(tenant_id);
}

std::vector<CrmUser> CrmByTenant::FetchUsers(const std::string& tenant_id) {
  return For(tenant_id).FetchUsers(tenant_id);
}

MarketplaceStatus CrmByTenant::FetchMarketplaceStatus(const std::string& tenant_id) {
  return For(tenant_id).FetchMarketplaceStatus(tenant_id);
}

void CrmByTenant::AddLine(const std::string& tenant_id, const std::string& number,
                          const std::string& name) {
  For(tenant_id).AddLine(tenant_id, number, name);
}

RegisteredCall CrmByTenant::RegisterCall(const std::string& tenant_id,
                                         const CallRegistration& call) {
  return For(tenant_id).RegisterCall(tenant_id, call);
}

void CrmByTenant::ShowCall(const std::string& tenant_id, const std::string& call_id,
                           const std::string& user_id) {
  For(tenant_id).ShowCall(tenant_id, call_id, user_id);
}

void CrmByTenant::HideCall(const std::string& tenant_id, const std::string& call_id,
                           const std::string& user_id) {
  For(tenant_id).HideCall(tenant_id, call_id, user_id);
}

void CrmByTenant::FinishCall(const std::string& tenant_id, const CallFinish& finish) {
  For(tenant_id).FinishCall(tenant_id, finish);
}

void CrmByTenant::AttachRecording(const std::string& tenant_id, const std::string& call_id,
                                  const std::string& filename, const std::string& path) {
  For(tenant_id).AttachRecording(tenant_id, call_id, filename, path);
}

std::optional<CrmRecord> CrmByTenant::FindClientByPhone(const std::string& tenant_id,
                                                        const std::string& phone) {
  return For(tenant_id).FindClientByPhone(tenant_id, phone);
}

FoundClient CrmByTenant::FindCreatedClient(const std::string& tenant_id,
                                           const ClientLookup& lookup) {
  return For(tenant_id).FindCreatedClient(tenant_id, lookup);
}

CreatedClient CrmByTenant::CreateClient(const std::string& tenant_id, const NewClient& client) {
  return For(tenant_id).CreateClient(tenant_id, client);
}

std::vector<ClientResponsibles> CrmByTenant::FindResponsibles(const std::string& tenant_id,
                                                              const std::string& phone,
                                                              const RequestOptions& options) {
  return For(tenant_id).FindResponsibles(tenant_id, phone, options);
}

std::vector<std::string> CrmByTenant::OpenDeals(const std::string& tenant_id,
                                                const CrmRecord& client,
                                                const std::string& pipeline,
                                                const RequestOptions& options) {
  return For(tenant_id).OpenDeals(tenant_id, client, pipeline, options);
}

void CrmByTenant::SetFieldValue(const std::string& tenant_id, const CrmRecord& record,
                                const std::string& code, const std::string& value,
                                const RequestOptions& options) {
  For(tenant_id).SetFieldValue(tenant_id, record, code, value, options);
}

std::string CrmByTenant::DealPipeline(const std::string& tenant_id, const std::string& deal_id,
                                      const RequestOptions& options) {
  return For(tenant_id).DealPipeline(tenant_id, deal_id, options);
}

std::string CrmByTenant::AddComment(const std::string& tenant_id, const CrmRecord& record,
                                    const std::string& text, const RequestOptions& options) {
  return For(tenant_id).AddComment(tenant_id, record, text, options);
}

std::string CrmByTenant::AddActivity(const std::string& tenant_id, const CrmRecord& record,
                                     const ActivityRequest& activity,
                                     const RequestOptions& options) {
  return For(tenant_id).AddActivity(tenant_id, record, activity, options);
}

std::string CrmByTenant::AddTask(const std::string& tenant_id, const TaskRequest& task,
                                 const RequestOptions& options) {
  return For(tenant_id).AddTask(tenant_id, task, options);
}

void CrmByTenant::SetLeadStatus(const std::string& tenant_id, const std::string& lead_id,
                                const std::string& status_id, const RequestOptions& options) {
  For(tenant_id).SetLeadStatus(tenant_id, lead_id, status_id, options);
}

void CrmByTenant::SetDealStage(const std::string& tenant_id, const std::string& deal_id,
                               const std::string& stage_id, const RequestOptions& options) {
  For(tenant_id).SetDealStage(tenant_id, deal_id, stage_id, options);
}

std::string CrmByTenant::FindUserByExtension(const std::string& tenant_id,
                                             const std::string& extension) {
  return For(tenant_id).FindUserByExtension(tenant_id, extension);
}

std::string CrmByTenant::UserExtension(const std::string& tenant_id, const std::string& user_id) {
  return For(tenant_id).UserExtension(tenant_id, user_id);
}

bool CrmByTenant::IsActiveUser(const std::string& tenant_id, const std::string& user_id,
                               const RequestOptions& options) {
  return For(tenant_id).IsActiveUser(tenant_id, user_id, options);
}

std::vector<CrmUser> CrmByTenant::ListActiveUsers(const std::string& tenant_id) {
  return For(tenant_id).ListActiveUsers(tenant_id);
}

ClientHistory CrmByTenant::ReadClientHistory(const std::string& tenant_id, const CrmRecord& client,
                                             int page, const RequestOptions& options) {
  return For(tenant_id).ReadClientHistory(tenant_id, client, page, options);
}

CrmChoices CrmByTenant::ListChoices(const std::string& tenant_id, const ChoicesQuery& query,
                                    const RequestOptions& options) {
  return For(tenant_id).ListChoices(tenant_id, query, options);
}

}  // namespace opdesk::adapters
