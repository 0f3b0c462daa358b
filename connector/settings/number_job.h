// FEATURES F2: a script may name a CRM field (a string field of the contact or the deal) where
// the number of the call is saved. When a call runs with such a script, QueueNumberSave takes
// the call's row (script_number_saves, migration 20) and queues one typed outbox job in the
// caller's transaction; NumberRunner writes the field with the operator's rights, retried by
// the outbox while the CRM is unavailable, and marks the call done so that it is sent once.
// The call card queues it when a run starts (SettingsService::StartRun); the dialing tasks call
// QueueNumberSave themselves when a task's call is placed.
#pragma once

#include <string>

#include "adapters/crm.h"
#include "connector/domain/clock.h"
#include "connector/domain/scripts.h"
#include "connector/jobs/job.h"
#include "connector/jobs/job_kind.h"
#include "connector/storage/database.h"

namespace opdesk::settings {

struct NumberJob {
  std::string call_key;     // the call, as the caller names it ("card:<CALL_ID>", "campaign:<id>")
  std::string phone;        // the number dialed or called
  std::string entity;       // contact | deal: the script's number field
  std::string code;         // its field code
  std::string record;       // the client when the caller knows it ("CONTACT:7"); "" → by phone
  std::string operator_id;  // whose rights write it
};

std::string EncodeNumberJob(const NumberJob& job);
NumberJob DecodeNumberJob(const std::string& payload);
inline constexpr jobs::JobKind<NumberJob> kNumberJob{"script.save_number", EncodeNumberJob,
                                                     DecodeNumberJob};

// What a caller knows of its call.
struct NumberSave {
  std::string call_key;  // 1 to 191 characters, unique per call in the tenant
  std::string phone;
  std::string record;  // "CONTACT:7" / "DEAL:3" when known, else ""
  std::string operator_id;
};

// Queues the save of `call.phone` into `settings.number_field` once per call key, in the
// caller's transaction. Returns false (and queues nothing) when the script names no field, the
// phone is empty, or the call was queued before.
bool QueueNumberSave(storage::Session& s, const std::string& tenant_id,
                     const ScriptSettings& settings, const NumberSave& call, EpochMs now);

class NumberRunner {
 public:
  NumberRunner(storage::Database& db, adapters::Crm& crm, const Clock& clock)
      : db_(db), crm_(crm), clock_(clock) {}

  // Finds the record (the one given, or the client of the number; a contact's newest open deal
  // for a deal field), writes the field and marks the call done. Unavailable and rate limits
  // are rethrown for the outbox to retry; a refusal on the merits is recorded as failed.
  void Run(const jobs::Job& job, const NumberJob& save);

 private:
  storage::Database& db_;
  adapters::Crm& crm_;
  const Clock& clock_;
};

}  // namespace opdesk::settings
