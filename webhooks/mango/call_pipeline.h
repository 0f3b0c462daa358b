// Runs the call intents queued by the Mango webhooks against Bitrix24 (reference bitrix24.md §4):
// one telephony.externalCall.register per call (EXTERNAL_CALL_ID = entry_id, so a retried register
// gets the same CALL_ID back), show/hide for group ringing, and finish with the real outcome.
// Employees are found by extension: the employee map first, then the portal's UF_PHONE_INNER;
// an unmapped employee's call goes to the catch-all user (the installer) without a card.
#pragma once

#include <string>

#include "adapters/bitrix24/rest_client.h"
#include "adapters/mango/command_client.h"
#include "connector/jobs/job.h"

namespace opdesk::mango {

class CallPipeline {
 public:
  CallPipeline(storage::Database& db, bitrix24::RestClient& rest, CommandClient& mango,
               const Clock& clock)
      : db_(db), rest_(rest), mango_(mango), clock_(clock) {}

  void Register(const jobs::Job& job);
  void Show(const jobs::Job& job);
  void Hide(const jobs::Job& job);
  void Finish(const jobs::Job& job);
  // Fetches the recording from Mango (one-time link, never stored) and attaches it to the
  // finished CRM call; retried until the call is finished and the file is ready.
  void AttachRecord(const jobs::Job& job);

  // The portal user for an employee extension; empty when nobody has it.
  std::string UserForExtension(const std::string& tenant_id, const std::string& extension);

 private:
  struct Resolved {
    std::string user_id;
    bool mapped = false;  // false: the catch-all user stands in
  };
  Resolved Resolve(const std::string& tenant_id, const std::string& extension);
  void ShowOrHide(const jobs::Job& job, const char* method);
  // Registers a Mango line in the CRM the first time a call uses it (marketplace rule: calls carry
  // a known LINE_NUMBER).
  void EnsureLine(const std::string& tenant_id, const std::string& line_number);

  storage::Database& db_;
  bitrix24::RestClient& rest_;
  CommandClient& mango_;
  const Clock& clock_;
};

}  // namespace opdesk::mango
