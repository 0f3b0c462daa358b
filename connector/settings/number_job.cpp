#include "connector/settings/number_job.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "adapters/json_read.h"
#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/jobs/job_store.h"
#include "connector/storage/settings_repositories.h"

namespace opdesk::settings {

std::string EncodeNumberJob(const NumberJob& job) {
  web::json::value out = web::json::value::object(true);
  out["call_key"] = web::json::value::string(job.call_key);
  out["phone"] = web::json::value::string(job.phone);
  out["entity"] = web::json::value::string(job.entity);
  out["code"] = web::json::value::string(job.code);
  out["record"] = web::json::value::string(job.record);
  out["operator_id"] = web::json::value::string(job.operator_id);
  return out.serialize();
}

NumberJob DecodeNumberJob(const std::string& payload) {
  web::json::value json;
  try {
    json = web::json::value::parse(payload);
  } catch (const std::exception&) {
    throw InvalidArgument("script.save_number: the payload is not JSON");
  }
  NumberJob job;
  job.call_key = adapters::JsonText(json, "call_key");
  job.phone = adapters::JsonText(json, "phone");
  job.entity = adapters::JsonText(json, "entity");
  job.code = adapters::JsonText(json, "code");
  job.record = adapters::JsonText(json, "record");
  job.operator_id = adapters::JsonText(json, "operator_id");
  if (job.call_key.empty() || job.phone.empty() || job.entity.empty() || job.code.empty()) {
    throw InvalidArgument("script.save_number: the payload lacks call_key, phone or field");
  }
  return job;
}

bool QueueNumberSave(storage::Session& s, const std::string& tenant_id,
                     const ScriptSettings& settings, const NumberSave& call, EpochMs now) {
  if (settings.number_field.entity.empty() || call.phone.empty()) {
    return false;
  }
  if (call.call_key.empty() || call.call_key.size() > 191) {
    throw InvalidArgument("the call key must be 1 to 191 characters", "call_id");
  }
  if (!storage::ScriptNumberRepository::Claim(
          s, tenant_id, call.call_key,
          settings.number_field.entity + "." + settings.number_field.code, call.phone, now)) {
    return false;  // this call's number is queued or saved already
  }
  NumberJob job{
      call.call_key, call.phone,      settings.number_field.entity, settings.number_field.code,
      call.record,   call.operator_id};
  jobs::NewJob options;
  options.tenant_id = tenant_id;
  options.ordering_key = "script-number:" + call.call_key;
  options.idempotency_key = "script.save_number:" + call.call_key;
  jobs::Enqueue(s, kNumberJob, job, options, now);
  return true;
}

namespace {

bool Retryable(const Error& e) {
  return e.code() == ErrorCode::kUnavailable || e.code() == ErrorCode::kResourceExhausted ||
         e.code() == ErrorCode::kDeadlineExceeded;
}

}  // namespace

void NumberRunner::Run(const jobs::Job& job, const NumberJob& n) {
  const std::string& tenant = job.tenant_id;
  std::optional<storage::NumberSaveRow> row;
  storage::WithSession(db_, [&](storage::Session& s) {
    row = storage::ScriptNumberRepository::Find(s, tenant, n.call_key);
  });
  if (row && row->state != "queued") {
    return;  // sent (or settled) already: once per call
  }
  auto finish = [&](const std::string& state, const std::string& record) {
    storage::InTransaction(db_, [&](storage::Session& s) {
      storage::ScriptNumberRepository::Finish(s, tenant, n.call_key, state, record, clock_.NowMs());
    });
  };
  adapters::RequestOptions options;
  options.as_user = n.operator_id;
  try {
    std::optional<adapters::CrmRecord> client = adapters::RecordFromStoredKey(n.record);
    if (!client) {
      client = crm_.FindClientByPhone(tenant, n.phone);
    }
    std::optional<adapters::CrmRecord> target;
    if (client && client->entity == n.entity) {
      target = client;
    } else if (client && n.entity == "deal" &&
               (client->entity == "contact" || client->entity == "company")) {
      const std::vector<std::string> deals = crm_.OpenDeals(tenant, *client, "", options);
      if (!deals.empty()) {
        target = adapters::CrmRecord{"deal", deals.front()};
      }
    }
    if (!target) {
      finish("no_client", client ? adapters::StoredRecordKey(*client) : "");
      spdlog::info("event=script_number_no_record tenant={} call={}", tenant, LogValue(n.call_key));
      return;
    }
    crm_.SetFieldValue(tenant, *target, n.code, n.phone, options);
    finish("done", adapters::StoredRecordKey(*target));
  } catch (const Error& e) {
    if (Retryable(e)) {
      throw;  // the row stays queued: the outbox retries, and the write is idempotent
    }
    finish("failed", "");
    spdlog::warn("event=script_number_failed tenant={} call={} error={}", tenant,
                 LogValue(n.call_key), LogQuoted(e.what()));
  }
}

}  // namespace opdesk::settings
