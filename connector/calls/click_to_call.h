// Click-to-call (FEATURES A4): Bitrix24's ONEXTERNALCALLSTART names a call it registered already
// (CALL_ID). We ask the VPBX to ring the user's extension, then the client (commands/callback with
// our command_id), remember command_id → CALL_ID so the resulting call is finished on that
// CALL_ID rather than registered again, and finish it with the reason when the VPBX refuses.
#pragma once

#include "adapters/crm.h"
#include "adapters/mango/command_client.h"
#include "connector/calls/call_jobs.h"
#include "connector/calls/crm_callback.h"
#include "connector/calls/employee_resolver.h"
#include "connector/jobs/job.h"

namespace opdesk::mango {

class ClickToCall {
 public:
  ClickToCall(storage::Database& db, adapters::Crm& crm, CommandClient& mango,
              EmployeeResolver& employees, CrmCallbacks& callbacks, const Clock& clock)
      : db_(db),
        crm_(crm),
        mango_(mango),
        employees_(employees),
        callbacks_(callbacks),
        clock_(clock) {}

  // The outbox job of a queued Bitrix24 event (b24.event): ONEXTERNALCALLSTART here,
  // ONEXTERNALCALLBACKSTART handed to CrmCallbacks.
  void HandlePortalEvent(const jobs::Job& job, const PortalEventJob& event);
  // result/callback and result/callback_group from the VPBX: a command Mango could not carry out
  // (any result but 1000) finishes the CRM call with the reason. Every result/* of a command we
  // sent is recorded on it (SentCommandRepository::SetResult); a failed transfer (the reception
  // wizard's) leaves the call alone, since the caller is still on the line.
  void HandleCommandResult(const jobs::Job& job, const CommandResultJob& answer);

 private:
  storage::Database& db_;
  adapters::Crm& crm_;
  CommandClient& mango_;
  EmployeeResolver& employees_;
  CrmCallbacks& callbacks_;
  const Clock& clock_;
};

// Finishes a CRM call that never happened (DURATION 0) with a status and a FAILED_REASON the
// operator reads in the CRM, and logs it. Never resent: a lost answer leaves it finished.
void FinishRefusedCall(adapters::Crm& crm, const std::string& tenant_id,
                       const std::string& crm_call_id, const std::string& user_id,
                       const std::string& status_code, const std::string& reason);

// The Bitrix24 STATUS_CODE for a Mango command result that is not success (1000).
std::string StatusForCommandResult(int result);

}  // namespace opdesk::mango
