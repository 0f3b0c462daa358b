#include "connector/calls/call_pipeline.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "adapters/temp_file.h"
#include "connector/calls/call_store.h"
#include "connector/calls/crm_connection.h"
#include "connector/calls/integration_settings.h"
#include "connector/domain/log_escape.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/mango_repositories.h"

namespace opdesk::mango {
namespace {

using web::json::value;

adapters::CallType TypeOf(const calls::Call& call) {
  return call.direction == calls::Direction::kOutgoing ? adapters::CallType::kOutgoing
                                                       : adapters::CallType::kIncoming;
}

struct LoadedCall {
  calls::Call call;
  std::string crm_call_id;
};

LoadedCall Load(storage::Database& db, const std::string& tenant_id, const std::string& entry_id) {
  std::optional<LoadedCallRow> loaded;
  CrmConnection crm;
  storage::WithSession(db, [&](storage::Session& s) {
    loaded = LoadCall(s, tenant_id, entry_id);
    crm = FindCrmConnection(s, tenant_id);
  });
  if (!loaded) {
    throw Internal("call " + entry_id + " was queued but is not stored");
  }
  if (!crm.connected) {
    // No CRM to tell: nothing will change that by retrying.
    throw NotFound("tenant " + tenant_id + " has no CRM connected");
  }
  return {std::move(loaded->call), loaded->row.crm_call_id};
}

}  // namespace

void EnsureCrmLine(storage::Database& db, adapters::Crm& crm, const Clock& clock,
                   const std::string& tenant_id, const std::string& line_number) {
  if (line_number.empty()) {
    return;
  }
  bool known = false;
  storage::WithSession(db, [&](storage::Session& s) {
    known = storage::CrmLineRepository::IsKnown(s, tenant_id, line_number);
  });
  if (known) {
    return;
  }
  crm.AddLine(tenant_id, line_number, "MANGO OFFICE " + line_number);
  storage::InTransaction(db, [&](storage::Session& s) {
    storage::CrmLineRepository::Remember(s, tenant_id, line_number, clock.NowMs());
  });
}

void CallPipeline::Register(const jobs::Job& job, const CallStepJob& p) {
  LoadedCall loaded = Load(db_, job.tenant_id, p.entry_id);
  if (!loaded.crm_call_id.empty()) {
    return;  // a retry after the CALL_ID was stored
  }
  if (!loaded.call.command_id.empty()) {
    // A click-to-call: Bitrix24 registered it before asking us to dial; never register twice.
    std::optional<SentCommand> sent;
    storage::WithSession(db_, [&](storage::Session& s) {
      sent = storage::SentCommandRepository::Find(s, job.tenant_id, loaded.call.command_id);
    });
    if (sent && !sent->crm_call_id.empty()) {
      if (sent->kind != "callback" && p.show_card) {
        // A callback from a CRM form was registered without a card (nobody's phone rang yet):
        // the card goes to the employee whose phone rings now.
        const EmployeeResolver::Resolved user = employees_.Resolve(job.tenant_id, p.extension);
        if (user.show_card) {
          crm_.ShowCall(job.tenant_id, sent->crm_call_id, user.user_id);
        }
      }
      storage::InTransaction(db_, [&](storage::Session& s) {
        storage::CallRepository::SetCrmCallId(s, job.tenant_id, p.entry_id, sent->crm_call_id,
                                              clock_.NowMs());
      });
      return;
    }
  }
  EnsureCrmLine(db_, crm_, clock_, job.tenant_id, loaded.call.line_number);
  const EmployeeResolver::Resolved user = employees_.Resolve(job.tenant_id, p.extension);
  adapters::CallRegistration registration;
  registration.user_id = user.user_id;
  registration.phone = loaded.call.client_number;
  registration.type = TypeOf(loaded.call);
  registration.started_at_s = loaded.call.started_at;
  // An unmapped employee's call is recorded for the catch-all user, with a card only if chosen.
  registration.show_card = p.show_card && user.show_card;
  registration.line_number = loaded.call.line_number;
  // A resend with the same entry_id gets the same CRM call back: safe to retry.
  registration.external_id = p.entry_id;
  const adapters::RegisteredCall registered = crm_.RegisterCall(job.tenant_id, registration);
  const std::string& crm_call_id = registered.call_id;
  // What register bound the call to, as "CONTACT:7"; "" when nothing (a new number).
  const std::string crm_entity =
      registered.bound ? adapters::StoredRecordKey(*registered.bound) : "";
  // One UPDATE of one row: atomic on its own, without a transaction around it (two statements
  // fewer a call).
  storage::WithSession(db_, [&](storage::Session& s) {
    storage::CallRepository::SetCrmCallId(s, job.tenant_id, p.entry_id, crm_call_id, clock_.NowMs(),
                                          crm_entity);
  });
  spdlog::info("event=call_registered tenant={} entry_id={} crm_call_id={} user={}", job.tenant_id,
               LogValue(p.entry_id), LogValue(crm_call_id), user.user_id);
}

void CallPipeline::ShowOrHide(const jobs::Job& job, const CallStepJob& p, bool show) {
  LoadedCall loaded = Load(db_, job.tenant_id, p.entry_id);
  if (loaded.crm_call_id.empty()) {
    throw Unavailable("the call is not registered yet");
  }
  const EmployeeResolver::Resolved user = employees_.Resolve(job.tenant_id, p.extension);
  if (!user.show_card) {
    return;  // nobody to show a card to
  }
  if (show) {
    crm_.ShowCall(job.tenant_id, loaded.crm_call_id, user.user_id);
  } else {
    crm_.HideCall(job.tenant_id, loaded.crm_call_id, user.user_id);
  }
}

void CallPipeline::Show(const jobs::Job& job, const CallStepJob& p) {
  ShowOrHide(job, p, true);
}
void CallPipeline::Hide(const jobs::Job& job, const CallStepJob& p) {
  ShowOrHide(job, p, false);
}

void CallPipeline::Finish(const jobs::Job& job, const CallStepJob& p) {
  LoadedCall loaded = Load(db_, job.tenant_id, p.entry_id);
  if (loaded.crm_call_id.empty()) {
    throw Unavailable("the call is not registered yet");
  }
  if (!loaded.call.outcome) {
    throw Internal("call " + p.entry_id + " has no outcome to finish with");
  }
  const calls::Outcome& o = *loaded.call.outcome;
  const EmployeeResolver::Resolved user = employees_.Resolve(job.tenant_id, p.extension);
  adapters::CallFinish finish;
  finish.call_id = loaded.crm_call_id;
  finish.user_id = user.user_id;
  finish.duration_s = o.duration_s;
  finish.status_code = o.status_code;
  try {
    crm_.FinishCall(job.tenant_id, finish);  // never resent
  } catch (const Error& e) {
    // A finish whose answer was lost leaves the call finished; the repeat says "not found".
    if (e.code() == ErrorCode::kNotFound && job.attempts > 1) {
      spdlog::info("event=call_finish_already_done tenant={} entry_id={}", job.tenant_id,
                   LogValue(p.entry_id));
      return;
    }
    throw;
  }
  spdlog::info("event=call_finished tenant={} entry_id={} status={} duration_s={} user={}",
               job.tenant_id, LogValue(p.entry_id), o.status_code, o.duration_s, user.user_id);
}

void CallPipeline::AttachRecord(const jobs::Job& job, const RecordJob& record) {
  const std::string& entry_id = record.entry_id;
  const std::string& recording_id = record.recording_id;
  LoadedCall loaded = Load(db_, job.tenant_id, entry_id);
  if (loaded.crm_call_id.empty() || !loaded.call.finished) {
    throw Unavailable("the call is not finished in the CRM yet; the recording waits");
  }
  // The recording goes from Mango to a temporary file and from there to the CRM:
  // a long call's recording (tens of MB) is never held in memory, let alone base64-encoded in a
  // JSON body.
  const adapters::TempFile file("record-" + std::to_string(job.id) + "-" +
                                std::to_string(clock_.NowMs()) + ".mp3");
  const long long bytes = mango_.DownloadRecording(job.tenant_id, recording_id, file.path());
  // A repeat replaces the record, so a retry is harmless.
  crm_.AttachRecording(job.tenant_id, loaded.crm_call_id, entry_id + ".mp3", file.path());
  spdlog::info("event=call_record_attached tenant={} entry_id={} bytes={}", job.tenant_id,
               LogValue(entry_id), bytes);
}

}  // namespace opdesk::mango
