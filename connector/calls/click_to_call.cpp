#include "connector/calls/click_to_call.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "adapters/json_read.h"
#include "connector/domain/log_escape.h"
#include "connector/storage/mango_repositories.h"
#include "oauth/crypto.h"

namespace opdesk::mango {
namespace {

using web::json::value;

}  // namespace

std::string StatusForCommandResult(int result) {
  if (result >= 2000 && result < 3000) {
    return "402";  // billing restriction
  }
  if (result == 3200 || result == 3330) {
    return "404";  // no such number / employee
  }
  if (result >= 4200 && result < 4300) {
    return "480";
  }
  return "OTHER";
}

void FinishRefusedCall(adapters::Crm& crm, const std::string& tenant_id,
                       const std::string& crm_call_id, const std::string& user_id,
                       const std::string& status_code, const std::string& reason) {
  adapters::CallFinish finish;
  finish.call_id = crm_call_id;
  finish.user_id = user_id;
  finish.duration_s = 0;
  finish.status_code = status_code;
  finish.failed_reason = reason;
  try {
    crm.FinishCall(tenant_id, finish);
  } catch (const Error& e) {
    // Finished already by an earlier attempt whose answer was lost: the portal says "not found".
    if (e.code() != ErrorCode::kNotFound) {
      throw;
    }
  }
  spdlog::warn("event=pbx_call_refused tenant={} crm_call_id={} status={} reason={}", tenant_id,
               LogValue(crm_call_id), status_code, LogQuoted(reason));
}

void ClickToCall::HandlePortalEvent(const jobs::Job& job, const PortalEventJob& portal_event) {
  const std::string& event = portal_event.event;
  const value data = value::parse(portal_event.data_json);
  if (event == "ONEXTERNALCALLBACKSTART") {
    callbacks_.Handle(job, data);
    return;
  }
  if (event != "ONEXTERNALCALLSTART") {
    return;
  }
  const std::string crm_call_id = adapters::JsonText(data, "CALL_ID");
  const std::string user_id = adapters::JsonText(data, "USER_ID");
  const std::string phone = adapters::DigitsOf(adapters::JsonText(data, "PHONE_NUMBER"));
  if (crm_call_id.empty() || user_id.empty()) {
    throw InvalidArgument("ONEXTERNALCALLSTART without CALL_ID or USER_ID");
  }
  if (phone.empty()) {
    FinishRefusedCall(crm_, job.tenant_id, crm_call_id, user_id, "404", "the number has no digits");
    return;
  }
  const std::string extension = employees_.ExtensionForUser(job.tenant_id, user_id);
  if (extension.empty()) {
    FinishRefusedCall(crm_, job.tenant_id, crm_call_id, user_id, "403",
                      "the user has no Mango extension (internal number)");
    return;
  }
  // Stable per CRM call, so a retried job never sends a second, different command.
  const std::string command_id =
      "c2c-" + crypto::Sha256Hex(job.tenant_id + "\n" + crm_call_id).substr(0, 32);
  bool fresh = false;
  storage::InTransaction(db_, [&](storage::Session& s) {
    fresh = storage::SentCommandRepository::Insert(
        s, {job.tenant_id, command_id, "callback", crm_call_id, user_id, 0, clock_.NowMs()});
  });
  if (!fresh) {
    // A previous attempt got as far as recording the command; sending it again could ring the
    // employee twice, so only an answer-less first attempt is worth repeating, and that is
    // exactly what the stored row cannot tell. Leave it to the VPBX's result.
    spdlog::warn("event=click_to_call_not_resent tenant={} command_id={}", job.tenant_id,
                 LogValue(command_id));
    return;
  }
  value command = value::object();
  command["command_id"] = value::string(command_id);
  command["from"]["extension"] = value::string(extension);
  command["to_number"] = value::string(phone);
  const std::string line = adapters::DigitsOf(adapters::JsonText(data, "LINE_NUMBER"));
  if (!line.empty()) {
    command["line_number"] = value::string(line);
  }
  try {
    mango_.Send(job.tenant_id, "commands/callback", command.serialize());
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kResourceExhausted) {
      // Mango's rate limit (ours or its 429): not carried out, so the rerun may send it.
      storage::InTransaction(db_, [&](storage::Session& s) {
        storage::SentCommandRepository::Delete(s, job.tenant_id, command_id);
      });
      throw;
    }
    // Never resent: a 3xxx would lock the API, and a callback that may have gone through must
    // not ring twice. The operator sees why in the CRM.
    FinishRefusedCall(crm_, job.tenant_id, crm_call_id, user_id, "OTHER",
                      std::string("the PBX did not take the call: ") + e.what());
    storage::InTransaction(db_, [&](storage::Session& s) {
      storage::SentCommandRepository::SetResult(s, job.tenant_id, command_id, -1);
    });
  }
}

void ClickToCall::HandleCommandResult(const jobs::Job& job, const CommandResultJob& answer) {
  const std::string& command_id = answer.command_id;
  const int result = answer.result;
  std::optional<SentCommand> sent;
  storage::InTransaction(db_, [&](storage::Session& s) {
    sent = storage::SentCommandRepository::Find(s, job.tenant_id, command_id);
    if (sent) {
      storage::SentCommandRepository::SetResult(s, job.tenant_id, command_id, result);
    }
  });
  if (!sent || result == 1000 || sent->crm_call_id.empty() || sent->result != 0) {
    return;  // not ours, a success, or already handled
  }
  if (sent->kind == "transfer") {
    return;  // the reception wizard's transfer: the call goes on; the card reads the result
  }
  FinishRefusedCall(
      crm_, job.tenant_id, sent->crm_call_id, sent->crm_user_id, StatusForCommandResult(result),
      "the PBX could not connect the call (Mango result " + std::to_string(result) + ")");
}

}  // namespace opdesk::mango
