// An in-memory CRM for unit tests of the features that use adapters::Crm. It keeps what a CRM
// would (calls, clients, deals, users, comments, to-dos, tasks), records every call made to it
// in order (method, tenant, the options' user and the arguments that matter), and lets a test
// seed clients, deals and users and make a method fail, before or after its effect (a lost
// answer). Thread-safe, so runners on worker threads may share it.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/crm.h"

namespace opdesk::testing {

class FakeCrm final : public adapters::Crm {
 public:
  // One call as the fake saw it. `args` holds the request's values by name.
  struct Call {
    std::string method;  // "RegisterCall", "FinishCall", …
    std::string tenant_id;
    std::string as_user;  // RequestOptions::as_user of the methods that take options
    std::map<std::string, std::string> args;
    std::string Arg(const std::string& name) const;
  };

  struct CrmCallState {
    adapters::CallRegistration registration;
    std::optional<adapters::CrmRecord> bound;
    std::vector<std::string> shown_to;
    std::vector<std::string> hidden_from;
    std::optional<adapters::CallFinish> finish;
    std::string recording_name;
    std::string recording;  // the file's content
  };

  struct Record {
    std::string entity;  // lead, deal, contact, company
    std::string id;
    std::string name;
    std::string phone;
    std::string origin;  // ClientOrigin::origin of what opdesk created; "" seeded
    std::string source_id;
    std::string responsible;
    std::string pipeline;  // deals
    std::string stage;     // deals
    std::string status;    // leads
    std::string owner;     // deals: "contact:7" / "company:5"
    bool closed = false;   // deals
    std::string creator;   // NewClient::creator_user_id of what opdesk created
    std::string line;      // the B6 user field's value ("" none)
    std::string line_field;
    std::string company;  // deals bound to a company as well ("" none)
    // Seeded responsibles (FindResponsibles); empty: `responsible` as an employee.
    std::vector<adapters::Responsible> responsibles;
  };

  struct Timeline {
    std::string kind;  // comment, activity, task
    std::string id;
    std::optional<adapters::CrmRecord> record;
    std::string as_user;
    std::string title;
    std::string text;
    std::string deadline;
    std::string responsible;
  };

  // ---- seeding ----
  std::string SeedClient(const std::string& entity, const std::string& phone,
                         const std::string& name = "");
  std::string SeedDeal(const adapters::CrmRecord& owner, const std::string& pipeline,
                       const std::string& stage = "NEW", bool closed = false);
  void SeedUser(adapters::CrmUser user);
  // The responsibles FindResponsibles answers for a seeded record, the main one first.
  void SeedResponsibles(const adapters::CrmRecord& record,
                        std::vector<adapters::Responsible> responsibles);
  void SeedChoices(std::vector<std::string> sources,
                   std::map<std::string, std::vector<std::string>> stages_by_pipeline);
  // The client's history, newest first in each list; ReadClientHistory pages through it
  // (kHistoryPageSize per list) and adds the client's seeded deals.
  void SeedHistory(const adapters::CrmRecord& client, adapters::ClientHistory history);
  CrmCatalog catalog;
  adapters::MarketplaceStatus marketplace;

  // The next `times` calls of `method` throw `error`: before doing anything, or after doing it
  // (the CRM did it, the answer was lost).
  void Fail(const std::string& method, const Error& error, int times = 1, bool after = false);
  // CreateClient's next add of `entity` is refused with `error` (the adds before it stand).
  void RefuseAdd(const std::string& entity, const Error& error);

  // ---- what happened ----
  std::vector<Call> calls() const;
  std::vector<std::string> methods() const;  // the methods called, in order
  int Count(const std::string& method) const;
  std::optional<CrmCallState> FindCall(const std::string& call_id) const;
  std::vector<Record> records(const std::string& entity) const;
  std::optional<Record> FindRecord(const std::string& entity, const std::string& id) const;
  std::vector<Timeline> timeline() const;
  std::vector<std::string> lines() const;
  void ClearCalls();

  // ---- adapters::Crm ----
  CrmCatalog FetchCatalog(const std::string& tenant_id) override;
  std::vector<adapters::CrmUser> FetchUsers(const std::string& tenant_id) override;
  adapters::MarketplaceStatus FetchMarketplaceStatus(const std::string& tenant_id) override;
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
  adapters::ClientHistory ReadClientHistory(const std::string& tenant_id,
                                            const adapters::CrmRecord& client, int page,
                                            const adapters::RequestOptions& options) override;
  std::string DealPipeline(const std::string& tenant_id, const std::string& deal_id,
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
  std::string FindUserByExtension(const std::string& tenant_id,
                                  const std::string& extension) override;
  std::string UserExtension(const std::string& tenant_id, const std::string& user_id) override;
  bool IsActiveUser(const std::string& tenant_id, const std::string& user_id,
                    const adapters::RequestOptions& options) override;
  std::vector<adapters::CrmUser> ListActiveUsers(const std::string& tenant_id) override;
  adapters::CrmChoices ListChoices(const std::string& tenant_id,
                                   const adapters::ChoicesQuery& query,
                                   const adapters::RequestOptions& options) override;

 private:
  struct Failure {
    Error error;
    int times = 0;
    bool after = false;
  };
  // Records the call and throws an injected failure that comes before the effect; returns the
  // failure that comes after it, if any. Called with mu_ held.
  std::optional<Error> Enter(Call call);
  std::optional<adapters::CrmRecord> FindByPhoneLocked(const std::string& phone) const;
  std::string NextId();

  mutable std::mutex mu_;  // guards everything below and the public seeds after construction
  std::vector<Call> calls_;
  std::map<std::string, std::vector<Failure>> failures_;
  std::map<std::string, Error> refused_adds_;
  std::map<std::string, CrmCallState> crm_calls_;         // by call id
  std::map<std::string, std::string> calls_by_external_;  // external id → call id
  std::vector<Record> records_;
  std::vector<adapters::CrmUser> users_;
  std::vector<Timeline> timeline_;
  std::vector<std::string> lines_;
  std::vector<std::string> sources_;
  std::map<std::string, std::vector<std::string>> stages_;    // by pipeline
  std::map<std::string, adapters::ClientHistory> histories_;  // by "entity:id"
  long long next_id_ = 100;
};

}  // namespace opdesk::testing
