#include "connector/campaigns/after_jobs.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "adapters/json_read.h"
#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/storage/campaign_after_repository.h"
#include "oauth/crypto.h"

namespace opdesk::campaigns {
namespace {

using Json = web::json::value;

Json Parse(const std::string& payload, const char* kind) {
  try {
    return Json::parse(payload);
  } catch (const std::exception&) {
    throw InvalidArgument(std::string(kind) + ": the payload is not JSON");
  }
}

void PutTarget(Json& out, const AfterTarget& t) {
  out["key"] = Json::string(t.key);
  out["phone"] = Json::string(t.phone);
  out["crm_contact_id"] = Json::string(t.crm_contact_id);
  out["operator_id"] = Json::string(t.operator_id);
}

AfterTarget TargetOf(const Json& json, const char* kind) {
  AfterTarget t;
  t.key = adapters::JsonText(json, "key");
  t.phone = adapters::JsonText(json, "phone");
  t.crm_contact_id = adapters::JsonText(json, "crm_contact_id");
  t.operator_id = adapters::JsonText(json, "operator_id");
  if (t.key.empty() || (t.phone.empty() && t.crm_contact_id.empty())) {
    throw InvalidArgument(std::string(kind) + ": the payload has no key or client");
  }
  return t;
}

bool Retryable(const Error& e) {
  return IsRetryable(e.code()) && e.code() != ErrorCode::kInternal &&
         !adapters::IsOutcomeUnknown(e);
}

// The reason kept on an action whose CRM stayed unavailable through the job's last attempt.
std::string GaveUp(const jobs::Job& job, const Error& e) {
  return "the CRM stayed unavailable; gave up after " + std::to_string(job.attempts) +
         " attempts: " + e.what();
}

}  // namespace

std::string EncodeEmailJob(const EmailJob& job) {
  Json out = Json::object(true);
  PutTarget(out, job.target);
  out["to"] = Json::string(job.to);
  out["copy_to"] = Json::string(job.copy_to);
  out["subject"] = Json::string(job.subject);
  out["body"] = Json::string(job.body);
  return out.serialize();
}

EmailJob DecodeEmailJob(const std::string& payload) {
  const Json json = Parse(payload, "campaign.email");
  EmailJob job;
  job.target = TargetOf(json, "campaign.email");
  job.to = adapters::JsonText(json, "to");
  job.copy_to = adapters::JsonText(json, "copy_to");
  job.subject = adapters::JsonText(json, "subject");
  job.body = adapters::JsonText(json, "body");
  return job;
}

std::string EncodeRecordingJob(const RecordingJob& job) {
  Json out = Json::object(true);
  PutTarget(out, job.target);
  out["recording_id"] = Json::number(static_cast<int64_t>(job.recording_id));
  out["text"] = Json::string(job.text);
  return out.serialize();
}

RecordingJob DecodeRecordingJob(const std::string& payload) {
  const Json json = Parse(payload, "campaign.recording");
  RecordingJob job;
  job.target = TargetOf(json, "campaign.recording");
  job.recording_id = adapters::JsonInt(json, "recording_id");
  job.text = adapters::JsonText(json, "text");
  return job;
}

std::string EncodeInvoiceJob(const InvoiceJob& job) {
  Json out = Json::object(true);
  PutTarget(out, job.target);
  out["title"] = Json::string(job.title);
  out["cancel_date"] = Json::string(job.cancel_date);
  Json lines = Json::array(job.lines.size());
  for (std::size_t i = 0; i < job.lines.size(); ++i) {
    Json l = Json::object(true);
    l["product_id"] = Json::string(job.lines[i].product_id);
    l["name"] = Json::string(job.lines[i].name);
    l["quantity"] = Json::number(static_cast<int64_t>(job.lines[i].quantity));
    l["price_cents"] = Json::number(static_cast<int64_t>(job.lines[i].price_cents));
    lines[i] = l;
  }
  out["lines"] = lines;
  return out.serialize();
}

InvoiceJob DecodeInvoiceJob(const std::string& payload) {
  const Json json = Parse(payload, "campaign.invoice");
  InvoiceJob job;
  job.target = TargetOf(json, "campaign.invoice");
  job.title = adapters::JsonText(json, "title");
  job.cancel_date = adapters::JsonText(json, "cancel_date");
  if (json.has_field("lines") && json.at("lines").is_array()) {
    for (const Json& l : json.at("lines").as_array()) {
      InvoiceLine line;
      line.product_id = adapters::JsonText(l, "product_id");
      line.name = adapters::JsonText(l, "name");
      line.quantity = adapters::JsonInt(l, "quantity", 1);
      line.price_cents = adapters::JsonInt(l, "price_cents");
      job.lines.push_back(line);
    }
  }
  if (job.lines.empty()) {
    throw InvalidArgument("campaign.invoice: the payload has no lines");
  }
  return job;
}

std::string AfterCallRunner::State(const std::string& tenant, const std::string& key) {
  std::string state;
  storage::WithSession(db_, [&](storage::Session& s) {
    if (auto row = storage::AfterActionRepository::Find(s, tenant, key)) {
      state = row->state;
    }
  });
  return state;
}

bool AfterCallRunner::Move(const std::string& tenant, const std::string& key,
                           const std::string& from, const std::string& to,
                           const std::string& crm_id, const std::string& error) {
  bool moved = false;
  storage::InTransaction(db_, [&](storage::Session& s) {
    moved = storage::AfterActionRepository::Move(s, tenant, key, from, to, crm_id, error,
                                                 clock_.NowMs());
  });
  return moved;
}

std::optional<adapters::CrmRecord> AfterCallRunner::Client(const jobs::Job& job,
                                                           const AfterTarget& t, bool* failed) {
  *failed = false;
  if (!t.crm_contact_id.empty()) {
    return adapters::CrmRecord{"contact", t.crm_contact_id};
  }
  try {
    return crm_.FindClientByPhone(job.tenant_id, t.phone);
  } catch (const Error& e) {
    *failed = true;
    Failed(job, t.key, "queued", e);
    return std::nullopt;
  }
}

bool AfterCallRunner::Begin(const std::string& tenant, const AfterTarget& t) {
  const std::string state = State(tenant, t.key);
  if (state == "sending") {
    // A run asked the CRM and its answer was lost (a killed process): never asked again.
    Move(tenant, t.key, "sending", "failed", "",
         "the CRM's answer was lost; look in the client's timeline whether it arrived");
    spdlog::warn("event=campaign_after_not_resent tenant={} key={}", tenant, LogValue(t.key));
    return false;
  }
  if (state != "queued") {
    return false;
  }
  return Move(tenant, t.key, "queued", "sending", "", "");
}

void AfterCallRunner::Failed(const jobs::Job& job, const std::string& key, const std::string& from,
                             const Error& e) {
  const std::string& tenant = job.tenant_id;
  if (Retryable(e) && !job.LastAttempt()) {
    if (from == "sending") {
      Move(tenant, key, from, "queued", "", "");
    }
    throw e;  // the CRM did nothing: the outbox tries again later
  }
  const std::string why = Retryable(e) ? GaveUp(job, e) : e.what();
  Move(tenant, key, from, "failed", "", why);
  spdlog::warn("event=campaign_after_failed tenant={} key={} attempts={} error={}", tenant,
               LogValue(key), job.attempts, LogQuoted(e.what()));
}

void AfterCallRunner::RunEmail(const jobs::Job& job, const EmailJob& m) {
  const std::string& tenant = job.tenant_id;
  if (State(tenant, m.target.key) != "queued" && State(tenant, m.target.key) != "sending") {
    return;
  }
  if (after_ == nullptr) {
    Move(tenant, m.target.key, "queued", "failed", "", "the CRM cannot send e-mail");
    return;
  }
  bool failed = false;
  const std::optional<adapters::CrmRecord> client = Client(job, m.target, &failed);
  if (failed) {
    return;
  }
  if (!client) {
    Move(tenant, m.target.key, "queued", "failed", "", "the CRM knows no client with this number");
    return;
  }
  if (!Begin(tenant, m.target)) {
    return;
  }
  adapters::RequestOptions options;
  options.as_user = m.target.operator_id;
  adapters::EmailMessage message{m.to, m.copy_to, m.subject, m.body, m.target.operator_id};
  std::string id;
  try {
    id = after_->SendEmail(tenant, *client, message, options);
  } catch (const Error& e) {
    Failed(job, m.target.key, "sending", e);
    return;
  }
  Move(tenant, m.target.key, "sending", "done", id, "");
}

void AfterCallRunner::RunRecording(const jobs::Job& job, const RecordingJob& r) {
  const std::string& tenant = job.tenant_id;
  if (State(tenant, r.target.key) != "queued" && State(tenant, r.target.key) != "sending") {
    return;
  }
  if (after_ == nullptr) {
    Move(tenant, r.target.key, "queued", "failed", "", "the CRM cannot take files");
    return;
  }
  bool failed = false;
  const std::optional<adapters::CrmRecord> client = Client(job, r.target, &failed);
  if (failed) {
    return;
  }
  if (!client) {
    Move(tenant, r.target.key, "queued", "failed", "", "the CRM knows no client with this number");
    return;
  }
  std::optional<storage::RecordingRow> rec;
  std::string content;
  storage::WithSession(db_, [&](storage::Session& s) {
    rec = storage::RecordingRepository::Find(s, tenant, r.recording_id);
    for (const std::string& chunk :
         storage::RecordingRepository::Chunks(s, tenant, r.recording_id)) {
      content += crypto::Base64Decode(chunk);
    }
  });
  if (!rec || content.empty()) {
    Move(tenant, r.target.key, "queued", "failed", "", "the uploaded file is gone");
    return;
  }
  if (!Begin(tenant, r.target)) {
    return;
  }
  adapters::RequestOptions options;
  options.as_user = r.target.operator_id;
  options.deadline = std::chrono::milliseconds(120'000);
  std::string id;
  try {
    id = after_->AttachFile(tenant, *client, r.text, rec->filename, content, options);
  } catch (const Error& e) {
    Failed(job, r.target.key, "sending", e);
    return;
  }
  storage::InTransaction(db_, [&](storage::Session& s) {
    storage::AfterActionRepository::Move(s, tenant, r.target.key, "sending", "done", id, "",
                                         clock_.NowMs());
    storage::RecordingRepository::DropContent(s, tenant, r.recording_id);
  });
}

void AfterCallRunner::RunInvoice(const jobs::Job& job, const InvoiceJob& inv) {
  const std::string& tenant = job.tenant_id;
  std::optional<storage::AfterActionRow> row;
  storage::WithSession(db_, [&](storage::Session& s) {
    row = storage::AfterActionRepository::Find(s, tenant, inv.target.key);
  });
  if (!row || (row->state != "queued" && row->state != "sending" && row->state != "rows")) {
    return;
  }
  if (after_ == nullptr) {
    Move(tenant, inv.target.key, row->state, "failed", "", "the CRM cannot make invoices");
    return;
  }
  adapters::RequestOptions options;
  options.as_user = inv.target.operator_id;
  std::string invoice_id = row->crm_id;
  if (row->state != "rows") {
    bool failed = false;
    const std::optional<adapters::CrmRecord> client = Client(job, inv.target, &failed);
    if (failed) {
      return;
    }
    if (!client || (client->entity != "contact" && client->entity != "company")) {
      Move(tenant, inv.target.key, "queued", "failed", "",
           client ? "the number's client is a " + client->entity +
                        "; invoices are made for contacts and companies"
                  : "the CRM knows no client with this number");
      return;
    }
    if (!Begin(tenant, inv.target)) {
      return;
    }
    adapters::NewInvoice add{*client, inv.title, inv.cancel_date, inv.target.operator_id};
    try {
      invoice_id = after_->AddInvoice(tenant, add, options);
    } catch (const Error& e) {
      Failed(job, inv.target.key, "sending", e);
      return;
    }
    Move(tenant, inv.target.key, "sending", "rows", invoice_id, "");
  }
  std::vector<adapters::InvoiceRow> rows;
  for (const InvoiceLine& l : inv.lines) {
    rows.push_back({l.product_id, l.name, FormatPrice(l.price_cents), l.quantity});
  }
  try {
    after_->SetInvoiceRows(tenant, invoice_id, rows, options);
  } catch (const Error& e) {
    if (IsRetryable(e.code()) && !job.LastAttempt()) {
      throw;  // setting the rows is safe to repeat, whatever happened
    }
    Move(tenant, inv.target.key, "rows", "failed", invoice_id,
         std::string("the invoice was made but its products were refused: ") +
             (IsRetryable(e.code()) ? GaveUp(job, e) : e.what()));
    return;
  }
  Move(tenant, inv.target.key, "rows", "done", invoice_id, "");
}

}  // namespace opdesk::campaigns
