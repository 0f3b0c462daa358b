// Megaplan as opdesk's CRM (adapters::Crm), over API v3 (reference megaplan.md §2): clients are
// ContractorHuman (contact) and ContractorCompany (company), deals live in a scheme (Program,
// opdesk's "pipeline") and a status (ProgramState, "stage"), users are employees. Megaplan has
// no telephony API and no call card placement: a call is opdesk's own record
// (megaplan_calls) until its finish writes the call into the client's history as a comment
// (direction, number, line, duration, outcome, responsible); the recording follows as a file
// attached to a second comment. Leads do not exist there.
//
// Finding clients by phone: a per-process index of normalised numbers (the last 10 digits),
// built by listing the account's contractors (10 minutes), kept fresh by the v3 search on every
// miss and by the clients opdesk creates. The v3 `q` search is not documented to cover phones,
// so its results are checked against the number here (a `q` the account ignores costs one
// page). The v1 `Phone` search (reference §3) is not used: it needs a v1 key pair obtained with
// the password, which opdesk does not keep.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapters/crm.h"
#include "connector/domain/clock.h"

namespace opdesk::storage {
class Database;
}

namespace opdesk::megaplan {

class ApiClient;

// The last 10 digits of a number as people type it ("+7 (900) 123-45-67", "8 900 …"); ""
// for fewer than 5 digits.
std::string PhoneKey(const std::string& text);
// How opdesk writes a number into Megaplan: "+7XXXXXXXXXX" for Russian numbers, else "+digits".
std::string CanonicalPhone(const std::string& text);

class MegaplanCrm final : public adapters::Crm {
 public:
  MegaplanCrm(ApiClient& api, storage::Database& db, const Clock& clock);
  ~MegaplanCrm() override;

  // ---- CrmDirectory ----
  CrmCatalog FetchCatalog(const std::string& tenant_id) override;
  std::vector<adapters::CrmUser> FetchUsers(const std::string& tenant_id) override;
  adapters::MarketplaceStatus FetchMarketplaceStatus(const std::string& tenant_id) override;

  // ---- calls ----
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

  // ---- clients ----
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

  // ---- the card's actions ----
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

  // ---- users ----
  std::string FindUserByExtension(const std::string& tenant_id,
                                  const std::string& extension) override;
  std::string UserExtension(const std::string& tenant_id, const std::string& user_id) override;
  bool IsActiveUser(const std::string& tenant_id, const std::string& user_id,
                    const adapters::RequestOptions& options) override;
  std::vector<adapters::CrmUser> ListActiveUsers(const std::string& tenant_id) override;

  adapters::ClientHistory ReadClientHistory(const std::string& tenant_id,
                                            const adapters::CrmRecord& client, int page,
                                            const adapters::RequestOptions& options) override;
  adapters::CrmChoices ListChoices(const std::string& tenant_id,
                                   const adapters::ChoicesQuery& query,
                                   const adapters::RequestOptions& options) override;

  // ---- Megaplan's entity events (webhooks/megaplan) ----
  // Reads the contractor again from the API (an event's content is not trusted) and puts what
  // the account says into this process's phone index: its current numbers, or nothing when the
  // account answers 404 (dropped). `generation` is the account's index generation the event's
  // handler stored; this process then counts as up to date with it when it was with the one
  // before. Returns false when the contractor is gone.
  bool RefreshClient(const std::string& tenant_id, const std::string& contractor_id,
                     long long generation);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace opdesk::megaplan
