// Click-to-call (FEATURES A4): Bitrix24's ONEXTERNALCALLSTART names a call it registered already
// (CALL_ID). We ask the VPBX to ring the user's extension, then the client (commands/callback with
// our command_id), remember command_id → CALL_ID so the resulting call is finished on that
// CALL_ID rather than registered again, and finish it with the reason when the VPBX refuses.
#pragma once

#include "adapters/bitrix24/rest_client.h"
#include "adapters/mango/command_client.h"
#include "connector/jobs/job.h"
#include "webhooks/mango/call_pipeline.h"

namespace opdesk::mango {

inline constexpr const char* kCommandResultJob = "call.command_result";

class ClickToCall {
 public:
  ClickToCall(storage::Database& db, bitrix24::RestClient& rest, CommandClient& mango,
              const Clock& clock)
      : db_(db), rest_(rest), mango_(mango), clock_(clock) {}

  // The outbox job of a queued Bitrix24 event (b24.event).
  void HandlePortalEvent(const jobs::Job& job);
  // result/callback from the VPBX: a refused callback finishes the CRM call with its reason.
  void HandleCommandResult(const jobs::Job& job);

  std::string ExtensionForUser(const std::string& tenant_id, const std::string& user_id);

 private:
  void FinishFailed(const std::string& tenant_id, const std::string& crm_call_id,
                    const std::string& user_id, const std::string& status_code,
                    const std::string& reason);

  storage::Database& db_;
  bitrix24::RestClient& rest_;
  CommandClient& mango_;
  const Clock& clock_;
};

// The Bitrix24 STATUS_CODE for a Mango command result that is not success (1000).
std::string StatusForCommandResult(int result);

}  // namespace opdesk::mango
