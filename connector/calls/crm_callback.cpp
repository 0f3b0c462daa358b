#include "connector/calls/crm_callback.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "adapters/json_read.h"
#include "connector/calls/call_pipeline.h"
#include "connector/calls/click_to_call.h"
#include "connector/calls/integration_settings.h"
#include "connector/domain/log_escape.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/crypto.h"

namespace opdesk::mango {
namespace {

using web::json::value;

// The record a callback form names: the portal sends LEAD, CONTACT or COMPANY.
std::optional<adapters::CrmRecord> FormRecord(const std::string& type, const std::string& id) {
  if (id.empty() || id == "0") {
    return std::nullopt;
  }
  if (type == "LEAD") {
    return adapters::CrmRecord{"lead", id};
  }
  if (type == "CONTACT") {
    return adapters::CrmRecord{"contact", id};
  }
  if (type == "COMPANY") {
    return adapters::CrmRecord{"company", id};
  }
  return std::nullopt;
}

}  // namespace

void CrmCallbacks::Handle(const jobs::Job& job, const value& data) {
  const std::string& tenant_id = job.tenant_id;
  const std::string phone = adapters::DigitsOf(adapters::JsonText(data, "PHONE_NUMBER"));
  if (phone.empty()) {
    throw InvalidArgument("a callback request from a CRM form without a phone number",
                          "PHONE_NUMBER");
  }
  IntegrationSettings settings;
  storage::WithSession(
      db_, [&](storage::Session& s) { settings = LoadIntegrationSettings(s, tenant_id); });
  const bool group = !settings.callback_group.empty();
  if (!group && settings.callback_extension.empty()) {
    const std::string text =
        "a callback request from a CRM form for +" + phone +
        " was not made: nobody is set to ring first (integration settings: callback_extension, "
        "or callback_group with callback_line_number); set it, then retry this job";
    storage::InTransaction(db_, [&](storage::Session& s) {
      AuditEntry audit = MakeAuditEntry(tenant_id, "system", "crm_callback.not_configured", "job",
                                        std::to_string(job.id), clock_.NowMs());
      value after = value::object();
      after["phone"] = value::string("+" + phone);
      after["crm_entity_type"] = value::string(adapters::JsonText(data, "CRM_ENTITY_TYPE"));
      after["crm_entity_id"] = value::string(adapters::JsonText(data, "CRM_ENTITY_ID"));
      audit.after_json = after.serialize();
      storage::AuditLogRepository::Append(s, audit);
    });
    spdlog::error("event=crm_callback_not_configured tenant={} job={} phone=+{}", tenant_id, job.id,
                  LogValue(phone));
    throw InvalidArgument(text);  // a dead letter with this text, retryable by an operator
  }

  // Stable per request (the event's job), so a rerun never sends a second, different command.
  const std::string command_id =
      "cbr-" + crypto::Sha256Hex(tenant_id + "\n" + std::to_string(job.id)).substr(0, 32);
  std::optional<SentCommand> sent;
  storage::WithSession(db_, [&](storage::Session& s) {
    sent = storage::SentCommandRepository::Find(s, tenant_id, command_id);
  });
  if (sent) {
    // An earlier attempt recorded the command and may have sent it; ringing the visitor twice is
    // worse than waiting for Mango's result.
    spdlog::warn("event=crm_callback_not_resent tenant={} command_id={}", tenant_id,
                 LogValue(command_id));
    return;
  }

  const std::string form_line = adapters::DigitsOf(adapters::JsonText(data, "LINE_NUMBER"));
  const std::string pbx_line =
      settings.callback_line_number.empty() ? form_line : settings.callback_line_number;
  const std::string crm_line = form_line.empty() ? pbx_line : form_line;
  EnsureCrmLine(db_, crm_, clock_, tenant_id, crm_line);
  // An employee's callback is theirs from the start; a group's belongs to the default user until
  // someone in the group picks up (the pipeline then shows them the card).
  const EmployeeResolver::Resolved user =
      employees_.Resolve(tenant_id, group ? "" : settings.callback_extension);
  adapters::CallRegistration registration;
  registration.user_id = user.user_id;
  registration.phone = phone;
  registration.type = adapters::CallType::kCallback;
  registration.show_card = false;  // nobody's phone rings yet
  registration.line_number = crm_line;
  registration.external_id = command_id;
  registration.record = FormRecord(adapters::JsonText(data, "CRM_ENTITY_TYPE"),
                                   adapters::DigitsOf(adapters::JsonText(data, "CRM_ENTITY_ID")));
  // Same key and parameters within 30 minutes: the same CRM call, so a rerun after a lost answer
  // registers nothing new.
  const std::string crm_call_id = crm_.RegisterCall(tenant_id, registration).call_id;

  const std::string kind = group ? "crm_callback_group" : "crm_callback";
  bool fresh = false;
  storage::InTransaction(db_, [&](storage::Session& s) {
    fresh = storage::SentCommandRepository::Insert(
        s, {tenant_id, command_id, kind, crm_call_id, user.user_id, 0, clock_.NowMs()});
  });
  if (!fresh) {
    spdlog::warn("event=crm_callback_not_resent tenant={} command_id={}", tenant_id,
                 LogValue(command_id));
    return;
  }
  value command = value::object();
  command["command_id"] = value::string(command_id);
  std::string path;
  if (group) {
    // Mango dials the group first, then the visitor (reference mango.md §3.2).
    path = "commands/callback_group";
    command["from"] = value::string(settings.callback_group);
    command["to"] = value::string(phone);
    command["line_number"] = value::string(pbx_line);
  } else {
    path = "commands/callback";
    command["from"]["extension"] = value::string(settings.callback_extension);
    command["to_number"] = value::string(phone);
    if (!pbx_line.empty()) {
      command["line_number"] = value::string(pbx_line);
    }
  }
  try {
    mango_.Send(tenant_id, path, command.serialize());
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kResourceExhausted) {
      // Mango's rate limit (ours or its 429): the command was not carried out, so it may go
      // again on the rerun.
      storage::InTransaction(db_, [&](storage::Session& s) {
        storage::SentCommandRepository::Delete(s, tenant_id, command_id);
      });
      throw;
    }
    // Never resent: a 3xxx would lock the API, and a callback that may have gone out must not
    // ring twice. The operator sees why in the CRM.
    storage::InTransaction(db_, [&](storage::Session& s) {
      storage::SentCommandRepository::SetResult(s, tenant_id, command_id, -1);
    });
    FinishRefusedCall(crm_, tenant_id, crm_call_id, user.user_id, "OTHER",
                      std::string("the PBX did not take the callback: ") + e.what());
    return;
  }
  spdlog::info("event=crm_callback_sent tenant={} command_id={} crm_call_id={} via={}", tenant_id,
               LogValue(command_id), LogValue(crm_call_id), LogValue(path));
}

}  // namespace opdesk::mango
