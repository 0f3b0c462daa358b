// What follows a dialing task's call (FEATURES F6, F7; seed 001): the managers' e-mail
// templates (with variables, a default per task), and for the operator of a contact: the
// e-mail draft (the task's template rendered, the client's address from the CRM, the
// operator's own for a copy), sending it, uploading the call's recording, the CRM's products
// and an invoice with chosen products and adjusted prices. E-mail needs a plan that includes it
// (PlanCatalog: the paid plans); invoices and files need a Bitrix24 portal (Megaplan tenants get
// a 400). Each request is one transaction that records the action under the operator's
// idempotency key and queues its typed job (after_jobs.h); a repeat of the key gets the same
// action back and queues nothing.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/crm.h"
#include "connector/campaigns/service.h"
#include "connector/domain/after_call.h"
#include "connector/domain/tariff.h"
#include "connector/jobs/job_kind.h"
#include "connector/storage/campaign_after_repository.h"

namespace opdesk::campaigns {

struct EmailDraft {
  long long template_id = 0;  // 0: no template (empty subject and body)
  std::string subject;
  std::string body;
  std::string to;              // the client's address in the CRM; "" unknown
  std::string copy_to;         // the operator's own address; "" unknown
  bool email_allowed = false;  // the plan includes e-mail from tasks
  bool crm_supported = true;   // false for Megaplan tenants (no e-mail, files or invoices)
  std::vector<EmailTemplate> templates;
  std::vector<storage::AfterActionRow> actions;  // newest first
};

struct EmailRequest {
  std::string request_id;
  std::string to;
  std::string subject;
  std::string body;
  bool copy_to_me = false;
};

struct InvoiceRequest {
  std::string request_id;
  std::vector<InvoiceLine> lines;
  std::string cancel_date;
};

class AfterCallService {
 public:
  AfterCallService(storage::Database& db, const Clock& clock, adapters::Crm& crm,
                   adapters::CrmAfterCall* after, PlanCatalog plans)
      : db_(db), clock_(clock), crm_(crm), after_(after), plans_(std::move(plans)) {}
  void SetWake(std::function<void()> wake) { wake_ = std::move(wake); }

  // ---- templates (managers) ----
  std::vector<EmailTemplate> ListTemplates(const Caller& caller);
  // The plan must include e-mail from tasks (403 field "plan"); at most kMaxTemplates.
  EmailTemplate CreateTemplate(const Caller& caller, EmailTemplate wanted);
  EmailTemplate UpdateTemplate(const Caller& caller, EmailTemplate wanted,
                               long long expected_version);
  void DeleteTemplate(const Caller& caller, long long id, long long expected_version);
  // The task's default template (0: none); NotFound for a template of no one's.
  void SetTaskTemplate(const Caller& caller, long long task_id, long long template_id);
  long long TaskTemplate(const Caller& caller, long long task_id);

  // ---- the operator, for a contact of a task they work ----
  // `template_id` 0: the task's default.
  EmailDraft Draft(const Caller& caller, long long task_id, long long contact_id,
                   long long template_id);
  storage::AfterActionRow SendEmail(const Caller& caller, long long task_id, long long contact_id,
                                    const EmailRequest& request);
  storage::AfterActionRow UploadRecording(const Caller& caller, long long task_id,
                                          long long contact_id, const std::string& request_id,
                                          const std::string& filename, const std::string& content);
  adapters::CrmProductPage Products(const Caller& caller, long long task_id, long long after);
  storage::AfterActionRow CreateInvoice(const Caller& caller, long long task_id,
                                        long long contact_id, const InvoiceRequest& request);

 private:
  struct Context;
  Context LoadContext(storage::Session& s, const Caller& caller, long long task_id,
                      long long contact_id);
  void RequireCrmSupport(const Caller& caller) const;
  PlanStatus PlanOf(storage::Session& s, const std::string& tenant_id);
  // Inserts the action, or returns the one stored under the same key (it must be this
  // contact's and kind's: 409 request_id otherwise). Only a new one queues `job` as `kind`,
  // after the contact's earlier actions and once per action key, and sets *fresh: the caller
  // wakes the workers when the transaction has committed.
  template <class Job>
  storage::AfterActionRow QueueAction(storage::Session& s, const Caller& caller,
                                      storage::AfterActionRow row, const jobs::JobKind<Job>& kind,
                                      const Job& job, bool* fresh);

  storage::Database& db_;
  const Clock& clock_;
  adapters::Crm& crm_;
  adapters::CrmAfterCall* after_;
  PlanCatalog plans_;
  std::function<void()> wake_;
};

}  // namespace opdesk::campaigns
