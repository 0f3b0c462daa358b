// Runs the call intents queued by the Mango webhooks against the CRM (adapters/crm.h): one
// register per call (its idempotency key is the entry_id, so a retried register gets the same
// CRM call back), show/hide for group ringing, and finish with the real outcome.
// Employees are found by extension (see EmployeeResolver); an unmapped employee's call goes to
// the catch-all user, with or without the card as the settings say.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "adapters/crm.h"
#include "adapters/mango/command_client.h"
#include "connector/calls/call_jobs.h"
#include "connector/calls/employee_resolver.h"
#include "connector/jobs/job.h"

namespace opdesk::mango {

// Registers a Mango line in the CRM the first time a call uses it (marketplace rule: calls carry
// a known LINE_NUMBER); remembered, so later calls cost nothing.
void EnsureCrmLine(storage::Database& db, adapters::Crm& crm, const Clock& clock,
                   const std::string& tenant_id, const std::string& line_number);

// The CRM call ids this process stored, by tenant and entry. A call's id never changes once it
// is set, so show, hide and finish take it from here instead of reading the call's row; what is
// not here (another process registered the call, or this one restarted) is read from the row.
class KnownCrmCalls {
 public:
  std::optional<std::string> Get(const std::string& tenant_id, const std::string& entry_id) const;
  void Put(const std::string& tenant_id, const std::string& entry_id, const std::string& crm_id);
  void Erase(const std::string& tenant_id, const std::string& entry_id);

 private:
  // Calls whose finish never came (lost summaries) would otherwise stay forever: past this many
  // the memo starts over, and the rest read their rows.
  static constexpr std::size_t kCapacity = 50'000;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::string> ids_;  // guarded by mu_; tenant \n entry → id
};

class CallPipeline {
 public:
  CallPipeline(storage::Database& db, adapters::Crm& crm, CommandClient& mango,
               EmployeeResolver& employees, const Clock& clock)
      : db_(db), crm_(crm), mango_(mango), employees_(employees), clock_(clock) {}

  void Register(const jobs::Job& job, const CallStepJob& step);
  void Show(const jobs::Job& job, const CallStepJob& step);
  void Hide(const jobs::Job& job, const CallStepJob& step);
  void Finish(const jobs::Job& job, const CallStepJob& step);
  // Fetches the recording from Mango (one-time link, never stored) and attaches it to the
  // finished CRM call; retried until the call is finished and the file is ready.
  void AttachRecord(const jobs::Job& job, const RecordJob& record);

 private:
  void ShowOrHide(const jobs::Job& job, const CallStepJob& step, bool show);
  // The call's CRM id ("" while it is not registered), remembered or read from its row.
  std::string CrmCallIdOf(const std::string& tenant_id, const std::string& entry_id);

  storage::Database& db_;
  adapters::Crm& crm_;
  CommandClient& mango_;
  EmployeeResolver& employees_;
  const Clock& clock_;
  KnownCrmCalls known_;
};

}  // namespace opdesk::mango
