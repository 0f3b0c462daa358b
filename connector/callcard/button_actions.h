// Runs the actions of a pressed call-card button against the CRM (adapters/crm.h) with the
// operator's own token and rights: a timeline comment, a to-do for a callback or a meeting, a task,
// a lead status or a deal stage. One outbox job per action, ordered by the press, so a CRM outage
// delays the actions and never loses them. A request that may have reached the CRM is never sent
// again (a second comment or to-do would be a duplicate): its action is reported failed with the
// reason instead, for the operator to check.
#pragma once

#include <string>

#include "adapters/crm.h"
#include "connector/jobs/job.h"
#include "connector/jobs/job_kind.h"
#include "connector/storage/callcard_records.h"
#include "connector/storage/callcard_repositories.h"

namespace opdesk::callcard {

// One action of a button press: the press's row holds what to do; the job names which action.
struct ActionJob {
  std::string press_id;
  int index = 0;
};
std::string EncodeActionJob(const ActionJob& job);
ActionJob DecodeActionJob(const std::string& payload);
inline constexpr jobs::JobKind<ActionJob> kActionJob{"callcard.action", EncodeActionJob,
                                                     DecodeActionJob};

// The press ↔ row codec (actions as a JSON document).
storage::PressRow EncodePress(const ButtonPress& press);
ButtonPress DecodePress(const storage::PressRow& row);
// `{"press_id", "actions": [{"index", "kind", "state", "error"?}]}` (docs/API.md).
std::string PressReply(const ButtonPress& press);

// Stores the press and queues its actions in the caller's transaction. Returns false (and
// queues nothing) when the tenant already has a press with this id.
bool StorePress(storage::Session& s, const ButtonPress& press, EpochMs now);

class ButtonActionRunner {
 public:
  ButtonActionRunner(storage::Database& db, adapters::Crm& crm, const Clock& clock)
      : db_(db), crm_(crm), clock_(clock) {}

  void Run(const jobs::Job& job, const ActionJob& action);

 private:
  // Performs the action; returns the id the CRM gave, if any.
  std::string Perform(const ButtonPress& press, const PressedAction& action);
  std::string MoveDeal(const ButtonPress& press, const PressedAction& action,
                       const adapters::RequestOptions& options);
  void Settle(const jobs::Job& job, const std::string& state, const std::string& error,
              const std::string& result_id);

  storage::Database& db_;
  adapters::Crm& crm_;
  const Clock& clock_;
};

}  // namespace opdesk::callcard
