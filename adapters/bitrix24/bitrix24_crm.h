// adapters::Crm for a Bitrix24 portal, on top of the REST client (reference bitrix24.md §4–§6):
// telephony.externalCall.* for calls, crm.duplicate.findbycomm and one `batch` for clients, the
// timeline, to-dos and tasks for the call card's buttons, user.get for the employee map, and one
// `batch` for the settings' catalog and checks. Each method sends exactly the requests its doc
// says, with the installing admin's token unless RequestOptions::as_user names the operator.
// The methods live in bitrix24_crm_{calls,clients,actions,directory}.cpp.
#pragma once

#include "adapters/crm.h"

namespace opdesk::bitrix24 {

class RestClient;

class Bitrix24Crm final : public adapters::Crm,
                          public adapters::CrmOrgChart,
                          public adapters::CrmInquiries,
                          public adapters::CrmContacts,
                          public adapters::CrmAfterCall {
 public:
  explicit Bitrix24Crm(RestClient& rest) : rest_(rest) {}

  // Directory (bitrix24_crm_directory.cpp): one batch of crm.status.list, crm.category.list and
  // crm.{lead,deal,contact,company}.fields; user.get page by page; app.info.
  CrmCatalog FetchCatalog(const std::string& tenant_id) override;
  std::vector<adapters::CrmUser> FetchUsers(const std::string& tenant_id) override;
  adapters::MarketplaceStatus FetchMarketplaceStatus(const std::string& tenant_id) override;

  // Calls (bitrix24_crm_calls.cpp).
  void AddLine(const std::string& tenant_id, const std::string& number,
               const std::string& name) override;
  adapters::RegisteredCall RegisterCall(const std::string& tenant_id,
                                        const adapters::CallRegistration& call) override;
  void ShowCall(const std::string& tenant_id, const std::string& call_id,
                const std::string& user_id) override;
  void HideCall(const std::string& tenant_id, const std::string& call_id,
                const std::string& user_id) override;
  void FinishCall(const std::string& tenant_id, const adapters::CallFinish& finish) override;
  void AttachRecording(const std::string& tenant_id, const std::string& call_id,
                       const std::string& filename, const std::string& path) override;

  // Clients and deals (bitrix24_crm_clients.cpp).
  std::optional<adapters::CrmRecord> FindClientByPhone(const std::string& tenant_id,
                                                       const std::string& phone) override;
  adapters::FoundClient FindCreatedClient(const std::string& tenant_id,
                                          const adapters::ClientLookup& lookup) override;
  adapters::CreatedClient CreateClient(const std::string& tenant_id,
                                       const adapters::NewClient& client) override;
  std::vector<adapters::ClientResponsibles> FindResponsibles(
      const std::string& tenant_id, const std::string& phone,
      const adapters::RequestOptions& options) override;
  std::vector<std::string> OpenDeals(const std::string& tenant_id,
                                     const adapters::CrmRecord& client, const std::string& pipeline,
                                     const adapters::RequestOptions& options) override;
  std::string DealPipeline(const std::string& tenant_id, const std::string& deal_id,
                           const adapters::RequestOptions& options) override;

  // The call card's actions (bitrix24_crm_actions.cpp).
  void SetFieldValue(const std::string& tenant_id, const adapters::CrmRecord& record,
                     const std::string& code, const std::string& value,
                     const adapters::RequestOptions& options) override;
  std::string AddComment(const std::string& tenant_id, const adapters::CrmRecord& record,
                         const std::string& text, const adapters::RequestOptions& options) override;
  std::string AddActivity(const std::string& tenant_id, const adapters::CrmRecord& record,
                          const adapters::ActivityRequest& activity,
                          const adapters::RequestOptions& options) override;
  std::string AddTask(const std::string& tenant_id, const adapters::TaskRequest& task,
                      const adapters::RequestOptions& options) override;
  void SetLeadStatus(const std::string& tenant_id, const std::string& lead_id,
                     const std::string& status_id,
                     const adapters::RequestOptions& options) override;
  void SetDealStage(const std::string& tenant_id, const std::string& deal_id,
                    const std::string& stage_id, const adapters::RequestOptions& options) override;

  // Users and the settings' checks (bitrix24_crm_directory.cpp).
  std::string FindUserByExtension(const std::string& tenant_id,
                                  const std::string& extension) override;
  std::string UserExtension(const std::string& tenant_id, const std::string& user_id) override;
  bool IsActiveUser(const std::string& tenant_id, const std::string& user_id,
                    const adapters::RequestOptions& options) override;
  std::vector<adapters::CrmUser> ListActiveUsers(const std::string& tenant_id) override;
  adapters::CrmChoices ListChoices(const std::string& tenant_id,
                                   const adapters::ChoicesQuery& query,
                                   const adapters::RequestOptions& options) override;
  // The call card's client history (bitrix24_crm_history.cpp): one batch per page.
  adapters::ClientHistory ReadClientHistory(const std::string& tenant_id,
                                            const adapters::CrmRecord& client, int page,
                                            const adapters::RequestOptions& options) override;

  // The reception wizard (bitrix24_crm_reception.cpp): department.get page by page, user.get
  // by UF_DEPARTMENT, timeman.status of each user and user.get IS_ONLINE in one batch,
  // crm.lead.add / crm.deal.add for an inquiry.
  std::vector<adapters::CrmDepartment> ListDepartments(const std::string& tenant_id) override;
  std::vector<adapters::CrmUser> DepartmentUsers(const std::string& tenant_id,
                                                 const std::string& department_id) override;
  std::vector<adapters::CrmPresence> Presence(const std::string& tenant_id,
                                              const std::vector<std::string>& user_ids) override;
  adapters::CrmRecord AddInquiry(const std::string& tenant_id,
                                 const adapters::InquiryRecord& inquiry,
                                 const adapters::RequestOptions& options) override;

  // The dialing tasks' CRM contacts (bitrix24_crm_contacts.cpp): crm.contact.list (search and
  // the filter's pages by id), crm.contact.get, crm.contact.fields.
  std::vector<adapters::CrmContact> SearchContacts(
      const std::string& tenant_id, const std::string& query,
      const adapters::RequestOptions& options) override;
  std::optional<adapters::CrmContact> GetContact(const std::string& tenant_id,
                                                 const std::string& contact_id,
                                                 const adapters::RequestOptions& options) override;
  std::vector<adapters::CrmContact> ContactsByIds(const std::string& tenant_id,
                                                  const std::vector<std::string>& ids,
                                                  const adapters::RequestOptions& options) override;
  std::vector<adapters::CrmField> ContactFields(const std::string& tenant_id,
                                                const adapters::RequestOptions& options) override;
  adapters::CrmContactPage ListContacts(const std::string& tenant_id,
                                        const std::vector<adapters::CrmCondition>& conditions,
                                        const std::string& after_id,
                                        const adapters::RequestOptions& options) override;
  // After a dialing task's call (bitrix24_crm_after_call.cpp): crm.product.list,
  // crm.{entity}.get, crm.activity.add (e-mail), crm.timeline.comment.add with FILES,
  // crm.item.add (smart invoice) and crm.item.productrow.set.
  adapters::CrmProductPage ListProducts(const std::string& tenant_id, long long start,
                                        const adapters::RequestOptions& options) override;
  std::string ClientEmail(const std::string& tenant_id, const adapters::CrmRecord& client,
                          const adapters::RequestOptions& options) override;
  std::string SendEmail(const std::string& tenant_id, const adapters::CrmRecord& client,
                        const adapters::EmailMessage& message,
                        const adapters::RequestOptions& options) override;
  std::string AttachFile(const std::string& tenant_id, const adapters::CrmRecord& client,
                         const std::string& text, const std::string& filename,
                         const std::string& content,
                         const adapters::RequestOptions& options) override;
  std::string AddInvoice(const std::string& tenant_id, const adapters::NewInvoice& invoice,
                         const adapters::RequestOptions& options) override;
  void SetInvoiceRows(const std::string& tenant_id, const std::string& invoice_id,
                      const std::vector<adapters::InvoiceRow>& rows,
                      const adapters::RequestOptions& options) override;

 private:
  RestClient& rest_;
};

}  // namespace opdesk::bitrix24
