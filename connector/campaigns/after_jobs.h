// What follows a dialing task's call, sent to the CRM as typed outbox jobs (FEATURES F6, F7):
// an e-mail to the client (`campaign.email`), an uploaded call recording attached to the
// client's timeline (`campaign.recording`) and an invoice with products
// (`campaign.invoice`). Each is queued in the transaction that records the operator's request
// (campaign_after_actions, by its idempotency key) and run with the operator's rights.
//
// Sent once: the runner moves the action from "queued" to "sending" before the CRM is asked. A
// fault the CRM reports without having done anything (a limit, a 5xx answer) moves it back to
// "queued" and the outbox retries; a request whose answer was lost stays "sending" and a rerun
// marks it failed rather than sending it again. An invoice is two steps: the smart invoice is
// added once (its id kept, state "rows"), then its product rows are set, which is safe to
// repeat until it succeeds.
#pragma once

#include <string>
#include <vector>

#include "adapters/crm.h"
#include "connector/domain/after_call.h"
#include "connector/domain/clock.h"
#include "connector/jobs/job.h"
#include "connector/jobs/job_kind.h"
#include "connector/storage/database.h"

namespace opdesk::campaigns {

// Who the action is for: the task's CRM contact when it has one, else the number's client.
struct AfterTarget {
  std::string key;  // campaign_after_actions.action_key
  std::string phone;
  std::string crm_contact_id;
  std::string operator_id;
};

struct EmailJob {
  AfterTarget target;
  std::string to;
  std::string copy_to;
  std::string subject;
  std::string body;
};

struct RecordingJob {
  AfterTarget target;
  long long recording_id = 0;
  std::string text;  // the timeline comment the file is attached to
};

struct InvoiceJob {
  AfterTarget target;
  std::string title;
  std::string cancel_date;
  std::vector<InvoiceLine> lines;
};

std::string EncodeEmailJob(const EmailJob& job);
EmailJob DecodeEmailJob(const std::string& payload);
std::string EncodeRecordingJob(const RecordingJob& job);
RecordingJob DecodeRecordingJob(const std::string& payload);
std::string EncodeInvoiceJob(const InvoiceJob& job);
InvoiceJob DecodeInvoiceJob(const std::string& payload);

inline constexpr jobs::JobKind<EmailJob> kEmailJob{"campaign.email", EncodeEmailJob,
                                                   DecodeEmailJob};
inline constexpr jobs::JobKind<RecordingJob> kRecordingJob{"campaign.recording", EncodeRecordingJob,
                                                           DecodeRecordingJob};
inline constexpr jobs::JobKind<InvoiceJob> kInvoiceJob{"campaign.invoice", EncodeInvoiceJob,
                                                       DecodeInvoiceJob};

class AfterCallRunner {
 public:
  AfterCallRunner(storage::Database& db, adapters::Crm& crm, adapters::CrmAfterCall* after,
                  const Clock& clock)
      : db_(db), crm_(crm), after_(after), clock_(clock) {}

  void RunEmail(const jobs::Job& job, const EmailJob& email);
  void RunRecording(const jobs::Job& job, const RecordingJob& recording);
  void RunInvoice(const jobs::Job& job, const InvoiceJob& invoice);

 private:
  // The action's state, "" when it is gone.
  std::string State(const std::string& tenant, const std::string& key);
  // The client, or none (then the action is failed with `why`). A CRM error fails the action as
  // Failed does (rethrown for a retry while one may succeed); *failed is then true.
  std::optional<adapters::CrmRecord> Client(const jobs::Job& job, const AfterTarget& t,
                                            bool* failed);
  bool Move(const std::string& tenant, const std::string& key, const std::string& from,
            const std::string& to, const std::string& crm_id, const std::string& error);
  // Starts the one CRM request of `key`: false when another run has it or it is done.
  bool Begin(const std::string& tenant, const AfterTarget& t);
  // After a CRM error: back to `from` and rethrow when the CRM surely did nothing and a retry
  // may succeed; else failed, and failed too when this was the job's last attempt (the outbox
  // would give up on it with the action left waiting).
  void Failed(const jobs::Job& job, const std::string& key, const std::string& from,
              const Error& e);

  storage::Database& db_;
  adapters::Crm& crm_;
  adapters::CrmAfterCall* after_;
  const Clock& clock_;
};

}  // namespace opdesk::campaigns
