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

void RequireCrm(const CrmConnection& crm, const std::string& tenant_id) {
  if (!crm.connected) {
    // No CRM to tell: nothing will change that by retrying.
    throw NotFound("tenant " + tenant_id + " has no CRM connected");
  }
}

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
  RequireCrm(crm, tenant_id);
  return {std::move(loaded->call), loaded->row.crm_call_id};
}

std::string MemoKey(const std::string& tenant_id, const std::string& entry_id) {
  return tenant_id + "\n" + entry_id;
}

}  // namespace

std::optional<std::string> KnownCrmCalls::Get(const std::string& tenant_id,
                                              const std::string& entry_id) const {
  std::lock_guard lock(mu_);
  const auto it = ids_.find(MemoKey(tenant_id, entry_id));
  if (it == ids_.end()) {
    return std::nullopt;
  }
  return it->second;
}

void KnownCrmCalls::Put(const std::string& tenant_id, const std::string& entry_id,
                        const std::string& crm_id) {
  if (crm_id.empty()) {
    return;
  }
  std::lock_guard lock(mu_);
  if (ids_.size() >= kCapacity) {
    ids_.clear();
  }
  ids_[MemoKey(tenant_id, entry_id)] = crm_id;
}

void KnownCrmCalls::Erase(const std::string& tenant_id, const std::string& entry_id) {
  std::lock_guard lock(mu_);
  ids_.erase(MemoKey(tenant_id, entry_id));
}

std::string CallPipeline::CrmCallIdOf(const std::string& tenant_id, const std::string& entry_id) {
  if (std::optional<std::string> known = known_.Get(tenant_id, entry_id)) {
    CrmConnection crm;
    storage::WithSession(db_, [&](storage::Session& s) { crm = FindCrmConnection(s, tenant_id); });
    RequireCrm(crm, tenant_id);
    return *known;
  }
  const LoadedCall loaded = Load(db_, tenant_id, entry_id);
  known_.Put(tenant_id, entry_id, loaded.crm_call_id);
  return loaded.crm_call_id;
}

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
    known_.Put(job.tenant_id, p.entry_id, loaded.crm_call_id);
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
      known_.Put(job.tenant_id, p.entry_id, sent->crm_call_id);
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
  storage::WriteOnce(db_, [&](storage::Session& s) {
    storage::CallRepository::SetCrmCallId(s, job.tenant_id, p.entry_id, crm_call_id, clock_.NowMs(),
                                          crm_entity);
  });
  known_.Put(job.tenant_id, p.entry_id, crm_call_id);
  spdlog::info("event=call_registered tenant={} entry_id={} crm_call_id={} user={}", job.tenant_id,
               LogValue(p.entry_id), LogValue(crm_call_id), user.user_id);
}

void CallPipeline::ShowOrHide(const jobs::Job& job, const CallStepJob& p, bool show) {
  const std::string crm_call_id = CrmCallIdOf(job.tenant_id, p.entry_id);
  if (crm_call_id.empty()) {
    throw Unavailable("the call is not registered yet");
  }
  const EmployeeResolver::Resolved user = employees_.Resolve(job.tenant_id, p.extension);
  if (!user.show_card) {
    return;  // nobody to show a card to
  }
  if (show) {
    crm_.ShowCall(job.tenant_id, crm_call_id, user.user_id);
  } else {
    crm_.HideCall(job.tenant_id, crm_call_id, user.user_id);
  }
}

void CallPipeline::Show(const jobs::Job& job, const CallStepJob& p) {
  ShowOrHide(job, p, true);
}
void CallPipeline::Hide(const jobs::Job& job, const CallStepJob& p) {
  ShowOrHide(job, p, false);
}

void CallPipeline::Finish(const jobs::Job& job, const CallStepJob& p) {
  adapters::CallFinish finish;
  if (!p.status_code.empty()) {
    // Queued with its outcome: only the CRM id is needed, usually remembered.
    finish.call_id = CrmCallIdOf(job.tenant_id, p.entry_id);
    finish.duration_s = p.duration_s;
    finish.status_code = p.status_code;
  } else {
    const LoadedCall loaded = Load(db_, job.tenant_id, p.entry_id);
    if (!loaded.crm_call_id.empty() && !loaded.call.outcome) {
      throw Internal("call " + p.entry_id + " has no outcome to finish with");
    }
    finish.call_id = loaded.crm_call_id;
    if (loaded.call.outcome) {
      finish.duration_s = loaded.call.outcome->duration_s;
      finish.status_code = loaded.call.outcome->status_code;
    }
  }
  if (finish.call_id.empty()) {
    throw Unavailable("the call is not registered yet");
  }
  const EmployeeResolver::Resolved user = employees_.Resolve(job.tenant_id, p.extension);
  finish.user_id = user.user_id;
  try {
    crm_.FinishCall(job.tenant_id, finish);  // never resent
  } catch (const Error& e) {
    // A finish whose answer was lost leaves the call finished; the repeat says "not found".
    if (e.code() == ErrorCode::kNotFound && job.attempts > 1) {
      spdlog::info("event=call_finish_already_done tenant={} entry_id={}", job.tenant_id,
                   LogValue(p.entry_id));
      known_.Erase(job.tenant_id, p.entry_id);
      return;
    }
    throw;
  }
  known_.Erase(job.tenant_id, p.entry_id);  // the call's last step that needs it
  spdlog::info("event=call_finished tenant={} entry_id={} status={} duration_s={} user={}",
               job.tenant_id, LogValue(p.entry_id), finish.status_code, finish.duration_s,
               user.user_id);
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
