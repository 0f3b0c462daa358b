#include "connector/calls/call_pipeline.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <ctime>

#include "adapters/temp_file.h"
#include "connector/calls/call_codec.h"
#include "connector/domain/log_escape.h"
#include "connector/settings/integration_api.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/mango_repositories.h"

namespace opdesk::mango {
namespace {

using web::json::value;

struct IntentPayload {
  std::string entry_id;
  std::string extension;
  bool show_card = true;
};

IntentPayload ParsePayload(const jobs::Job& job) {
  value v = value::parse(job.payload);
  IntentPayload p;
  p.entry_id = v.at("entry_id").as_string();
  p.extension = v.at("extension").as_string();
  p.show_card = v.has_field("show_card") && v.at("show_card").as_bool();
  return p;
}

std::string Iso8601Utc(long long epoch_s) {
  std::time_t t = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
  return buf;
}

// Bitrix24 wants digits (a leading + allowed); a hidden caller has no number at all.
std::string PhoneForCrm(const std::string& number) {
  std::string digits;
  for (char c : number) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    }
  }
  return digits.empty() ? "0" : digits;
}

int CallType(const calls::Call& call) {
  if (call.direction == calls::Direction::kOutgoing) {
    return 1;
  }
  return 2;
}

struct LoadedCall {
  calls::Call call;
  std::string crm_call_id;
  B24Portal portal;
};

// What register bound the call to, as "CONTACT:7"; "" when nothing (a new number). Bitrix24
// answers null or 0 for "nothing", the emulator "" and 0.
std::string BoundEntity(const value& result) {
  if (!result.has_field("CRM_ENTITY_TYPE") || !result.at("CRM_ENTITY_TYPE").is_string() ||
      result.at("CRM_ENTITY_TYPE").as_string().empty() || !result.has_field("CRM_ENTITY_ID")) {
    return "";
  }
  const value& id = result.at("CRM_ENTITY_ID");
  const std::string text = id.is_string() ? id.as_string() : id.is_number() ? id.serialize() : "";
  if (text.empty() || text == "0") {
    return "";
  }
  return result.at("CRM_ENTITY_TYPE").as_string() + ":" + text;
}

LoadedCall Load(storage::Database& db, const std::string& tenant_id, const std::string& entry_id) {
  std::optional<StoredCall> row;
  std::optional<B24Portal> portal;
  storage::WithSession(db, [&](storage::Session& s) {
    row = storage::CallRepository::Find(s, tenant_id, entry_id);
    portal = storage::B24PortalRepository::Find(s, tenant_id);
  });
  if (!row) {
    throw Internal("call " + entry_id + " was queued but is not stored");
  }
  if (!portal || portal->state == "uninstalled") {
    // No CRM to tell: nothing will change that by retrying.
    throw NotFound("tenant " + tenant_id + " has no installed Bitrix24 portal");
  }
  return {DecodeCall(row->state_json), row->crm_call_id, *portal};
}

}  // namespace

void EnsureCrmLine(storage::Database& db, bitrix24::RestClient& rest, const Clock& clock,
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
  value params = value::object();
  params["NUMBER"] = value::string(line_number);
  params["NAME"] = value::string("MANGO OFFICE " + line_number);
  // Leads for outgoing calls to new numbers follow FEATURES B10, not the line's own switch.
  params["CRM_AUTO_CREATE"] = value::string("N");
  try {
    rest.Call(tenant_id, "telephony.externalLine.add", params);
  } catch (const Error& e) {
    if (std::string(e.what()).find("already exists") == std::string::npos) {
      throw;
    }
  }
  storage::InTransaction(db, [&](storage::Session& s) {
    storage::CrmLineRepository::Remember(s, tenant_id, line_number, clock.NowMs());
  });
}

void CallPipeline::Register(const jobs::Job& job) {
  const IntentPayload p = ParsePayload(job);
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
          value show = value::object();
          show["CALL_ID"] = value::string(sent->crm_call_id);
          show["USER_ID"] = value::string(user.user_id);
          rest_.Call(job.tenant_id, "telephony.externalCall.show", show);
        }
      }
      storage::InTransaction(db_, [&](storage::Session& s) {
        storage::CallRepository::SetCrmCallId(s, job.tenant_id, p.entry_id, sent->crm_call_id,
                                              clock_.NowMs());
      });
      return;
    }
  }
  EnsureCrmLine(db_, rest_, clock_, job.tenant_id, loaded.call.line_number);
  const EmployeeResolver::Resolved user = employees_.Resolve(job.tenant_id, p.extension);
  value params = value::object();
  params["USER_ID"] = value::string(user.user_id);
  params["PHONE_NUMBER"] = value::string(PhoneForCrm(loaded.call.client_number));
  params["TYPE"] = value::number(CallType(loaded.call));
  if (loaded.call.started_at > 0) {
    params["CALL_START_DATE"] = value::string(Iso8601Utc(loaded.call.started_at));
  }
  params["CRM_CREATE"] = value::number(0);
  // An unmapped employee's call is recorded for the catch-all user, with a card only if chosen.
  params["SHOW"] = value::number(p.show_card && user.show_card ? 1 : 0);
  params["LINE_NUMBER"] = value::string(loaded.call.line_number);
  params["EXTERNAL_CALL_ID"] = value::string(p.entry_id);
  // Same EXTERNAL_CALL_ID within 30 minutes returns the same CALL_ID: safe to resend.
  value result = rest_.Call(job.tenant_id, "telephony.externalCall.register", params);
  const std::string crm_call_id = result.at("CALL_ID").as_string();
  const std::string crm_entity = BoundEntity(result);
  storage::InTransaction(db_, [&](storage::Session& s) {
    storage::CallRepository::SetCrmCallId(s, job.tenant_id, p.entry_id, crm_call_id, clock_.NowMs(),
                                          crm_entity);
  });
  spdlog::info("event=call_registered tenant={} entry_id={} crm_call_id={} user={}", job.tenant_id,
               LogValue(p.entry_id), LogValue(crm_call_id), user.user_id);
}

void CallPipeline::ShowOrHide(const jobs::Job& job, const char* method) {
  const IntentPayload p = ParsePayload(job);
  LoadedCall loaded = Load(db_, job.tenant_id, p.entry_id);
  if (loaded.crm_call_id.empty()) {
    throw Unavailable("the call is not registered yet");
  }
  const EmployeeResolver::Resolved user = employees_.Resolve(job.tenant_id, p.extension);
  if (!user.show_card) {
    return;  // nobody to show a card to
  }
  value params = value::object();
  params["CALL_ID"] = value::string(loaded.crm_call_id);
  params["USER_ID"] = value::string(user.user_id);
  rest_.Call(job.tenant_id, method, params);
}

void CallPipeline::Show(const jobs::Job& job) {
  ShowOrHide(job, "telephony.externalCall.show");
}
void CallPipeline::Hide(const jobs::Job& job) {
  ShowOrHide(job, "telephony.externalCall.hide");
}

void CallPipeline::Finish(const jobs::Job& job) {
  const IntentPayload p = ParsePayload(job);
  LoadedCall loaded = Load(db_, job.tenant_id, p.entry_id);
  if (loaded.crm_call_id.empty()) {
    throw Unavailable("the call is not registered yet");
  }
  if (!loaded.call.outcome) {
    throw Internal("call " + p.entry_id + " has no outcome to finish with");
  }
  const calls::Outcome& o = *loaded.call.outcome;
  const EmployeeResolver::Resolved user = employees_.Resolve(job.tenant_id, p.extension);
  value params = value::object();
  params["CALL_ID"] = value::string(loaded.crm_call_id);
  params["USER_ID"] = value::string(user.user_id);
  params["DURATION"] = value::number(static_cast<int64_t>(o.duration_s));
  params["STATUS_CODE"] = value::string(o.status_code);
  // The default differs between documentation versions: always say it.
  params["ADD_TO_CHAT"] = value::number(1);
  bitrix24::CallOptions options;
  options.idempotent = false;
  try {
    rest_.Call(job.tenant_id, "telephony.externalCall.finish", params, options);
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

void CallPipeline::AttachRecord(const jobs::Job& job) {
  const value payload = value::parse(job.payload);
  const std::string entry_id = payload.at("entry_id").as_string();
  const std::string recording_id = payload.at("recording_id").as_string();
  LoadedCall loaded = Load(db_, job.tenant_id, entry_id);
  if (loaded.crm_call_id.empty() || !loaded.call.finished) {
    throw Unavailable("the call is not finished in the CRM yet; the recording waits");
  }
  // The recording goes from Mango to a temporary file and from there to the portal's upload URL:
  // a long call's recording (tens of MB) is never held in memory, let alone base64-encoded in a
  // JSON body.
  const adapters::TempFile file("record-" + std::to_string(job.id) + "-" +
                                std::to_string(clock_.NowMs()) + ".mp3");
  const long long bytes = mango_.DownloadRecording(job.tenant_id, recording_id, file.path());
  value params = value::object();
  params["CALL_ID"] = value::string(loaded.crm_call_id);
  params["FILENAME"] = value::string(entry_id + ".mp3");
  value slot;
  try {
    // A repeat replaces the record, so a retry is harmless.
    slot = rest_.Call(job.tenant_id, "telephony.externalCall.attachRecord", params);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kNotFound) {
      throw Unavailable(std::string("the CRM has not finished the call yet: ") + e.what());
    }
    throw;
  }
  if (!slot.is_object() || !slot.has_field("uploadUrl") || !slot.at("uploadUrl").is_string()) {
    throw Unavailable("the portal gave no upload URL for the recording");
  }
  const std::string field = slot.has_field("fieldName") && slot.at("fieldName").is_string()
                                ? slot.at("fieldName").as_string()
                                : "file";
  rest_.UploadFile(job.tenant_id, slot.at("uploadUrl").as_string(), field, entry_id + ".mp3",
                   "audio/mpeg", file.path());
  spdlog::info("event=call_record_attached tenant={} entry_id={} bytes={}", job.tenant_id,
               LogValue(entry_id), bytes);
}

}  // namespace opdesk::mango
