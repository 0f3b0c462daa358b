#include "connector/campaigns/after_service.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "adapters/crm_by_tenant.h"
#include "connector/campaigns/after_jobs.h"
#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/domain/text.h"
#include "connector/domain/time_zone.h"
#include "connector/jobs/job_kind.h"
#include "connector/settings/access.h"
#include "connector/storage/campaign_repository.h"
#include "connector/storage/records.h"
#include "connector/storage/repositories.h"
#include "oauth/crypto.h"

namespace opdesk::campaigns {

using storage::AfterActionRepository;
using storage::AfterActionRow;
using storage::EmailTemplateRepository;
using storage::Session;

struct AfterCallService::Context {
  Task task;
  storage::CampaignContactRow contact;
};

namespace {

using Json = web::json::value;

constexpr std::size_t kRecordingChunk = 768 * 1024;

void CheckRequestId(const std::string& id) {
  const bool ok = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (!ok) {
    throw InvalidArgument("request_id is 1 to 64 letters, digits, '-' or '_', new for each request",
                          "request_id");
  }
}

TimeZone ZoneOf(Session& s, const std::string& tenant_id) {
  const auto tenant = storage::TenantRepository::Find(s, tenant_id);
  try {
    return *LoadTimeZone(tenant && !tenant->time_zone.empty() ? tenant->time_zone
                                                              : "Europe/Moscow");
  } catch (const Error&) {
    return TimeZone::Utc();
  }
}

std::string LocalText(EpochMs ms, const TimeZone& zone) {
  const LocalTime t = zone.ToLocal(ms);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d.%02d.%04d %02d:%02d", t.day, t.month, t.year, t.hour,
                t.minute);
  return buf;
}

Error TemplateNotFound(long long id) {
  return NotFound("no e-mail template " + std::to_string(id));
}

}  // namespace

void AfterCallService::RequireCrmSupport(const Caller& caller) const {
  if (adapters::IsMegaplanTenant(caller.tenant_id) || after_ == nullptr) {
    throw InvalidArgument(
        "e-mail, call recordings and invoices after a call need a Bitrix24 portal; Megaplan "
        "accounts do not support them",
        "crm");
  }
}

PlanStatus AfterCallService::PlanOf(Session& s, const std::string& tenant_id) {
  const auto tenant = storage::TenantRepository::Find(s, tenant_id);
  TenantPlan plan;
  if (tenant) {
    plan = TenantPlan{tenant->plan, tenant->paid_until_ms, tenant->plan_lapsed_at_ms};
  }
  return EvaluatePlan(plans_, plan, clock_.NowMs());
}

AfterCallService::Context AfterCallService::LoadContext(Session& s, const Caller& caller,
                                                        long long task_id, long long contact_id) {
  settings::RequireSeat(s, caller.tenant_id, caller.user_id);
  auto task = storage::CampaignTaskRepository::Find(s, caller.tenant_id, task_id, false);
  if (!task) {
    throw NotFound("no dialing task " + std::to_string(task_id));
  }
  if (!caller.manager && !IsEmployee(*task, caller.user_id)) {
    throw PermissionDenied("you do not work this dialing task; ask a supervisor to add you");
  }
  auto contact =
      storage::CampaignContactRepository::Find(s, caller.tenant_id, task_id, contact_id, false);
  if (!contact) {
    throw NotFound("no contact " + std::to_string(contact_id) + " in this task");
  }
  if (!caller.manager && contact->state.operator_id != caller.user_id) {
    throw PermissionDenied("this contact is another operator's");
  }
  return Context{*task, *contact};
}

// ---- templates ----

std::vector<EmailTemplate> AfterCallService::ListTemplates(const Caller& caller) {
  std::vector<EmailTemplate> out;
  storage::WithSession(db_, [&](Session& s) {
    settings::RequireSeat(s, caller.tenant_id, caller.user_id);
    out = EmailTemplateRepository::List(s, caller.tenant_id);
  });
  return out;
}

EmailTemplate AfterCallService::CreateTemplate(const Caller& caller, EmailTemplate wanted) {
  ValidateEmailTemplate(wanted);
  storage::InTransaction(db_, [&](Session& s) {
    settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
    RequireEmailFromTasks(PlanOf(s, caller.tenant_id));
    if (EmailTemplateRepository::Count(s, caller.tenant_id) >=
        static_cast<long long>(kMaxTemplates)) {
      throw Conflict("a portal keeps at most 200 e-mail templates; delete one first", "name");
    }
    wanted.id = EmailTemplateRepository::Insert(s, caller.tenant_id, wanted, caller.user_id,
                                                clock_.NowMs());
    wanted.version = 1;
  });
  return wanted;
}

EmailTemplate AfterCallService::UpdateTemplate(const Caller& caller, EmailTemplate wanted,
                                               long long expected_version) {
  ValidateEmailTemplate(wanted);
  storage::InTransaction(db_, [&](Session& s) {
    settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
    RequireEmailFromTasks(PlanOf(s, caller.tenant_id));
    auto stored = EmailTemplateRepository::Find(s, caller.tenant_id, wanted.id);
    if (!stored) {
      throw TemplateNotFound(wanted.id);
    }
    if (!EmailTemplateRepository::Update(s, caller.tenant_id, wanted, expected_version,
                                         clock_.NowMs())) {
      throw Conflict("the template was changed by someone else (now version " +
                         std::to_string(stored->version) + "); reload and try again",
                     "version");
    }
    wanted.version = expected_version + 1;
  });
  return wanted;
}

void AfterCallService::DeleteTemplate(const Caller& caller, long long id,
                                      long long expected_version) {
  storage::InTransaction(db_, [&](Session& s) {
    settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
    auto stored = EmailTemplateRepository::Find(s, caller.tenant_id, id);
    if (!stored) {
      throw TemplateNotFound(id);
    }
    if (!EmailTemplateRepository::Delete(s, caller.tenant_id, id, expected_version)) {
      throw Conflict("the template was changed by someone else (now version " +
                         std::to_string(stored->version) + "); reload and try again",
                     "version");
    }
  });
}

void AfterCallService::SetTaskTemplate(const Caller& caller, long long task_id,
                                       long long template_id) {
  storage::InTransaction(db_, [&](Session& s) {
    settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
    if (!storage::CampaignTaskRepository::Find(s, caller.tenant_id, task_id, true)) {
      throw NotFound("no dialing task " + std::to_string(task_id));
    }
    if (template_id != 0 && !EmailTemplateRepository::Find(s, caller.tenant_id, template_id)) {
      throw InvalidArgument("no e-mail template " + std::to_string(template_id), "template_id");
    }
    EmailTemplateRepository::SetTaskDefault(s, caller.tenant_id, task_id, template_id);
  });
}

long long AfterCallService::TaskTemplate(const Caller& caller, long long task_id) {
  long long id = 0;
  storage::WithSession(db_, [&](Session& s) {
    settings::RequireSeat(s, caller.tenant_id, caller.user_id);
    if (!storage::CampaignTaskRepository::Find(s, caller.tenant_id, task_id, false)) {
      throw NotFound("no dialing task " + std::to_string(task_id));
    }
    id = EmailTemplateRepository::TaskDefault(s, caller.tenant_id, task_id);
  });
  return id;
}

// ---- the operator ----

EmailDraft AfterCallService::Draft(const Caller& caller, long long task_id, long long contact_id,
                                   long long template_id) {
  EmailDraft draft;
  Context ctx;
  std::optional<EmailTemplate> chosen;
  TimeZone zone = TimeZone::Utc();
  storage::WithSession(db_, [&](Session& s) {
    ctx = LoadContext(s, caller, task_id, contact_id);
    draft.email_allowed = PlanOf(s, caller.tenant_id).email_from_tasks;
    draft.templates = EmailTemplateRepository::List(s, caller.tenant_id);
    const long long id = template_id != 0
                             ? template_id
                             : EmailTemplateRepository::TaskDefault(s, caller.tenant_id, task_id);
    if (id != 0) {
      chosen = EmailTemplateRepository::Find(s, caller.tenant_id, id);
      if (!chosen && template_id != 0) {
        throw TemplateNotFound(template_id);
      }
    }
    draft.actions = AfterActionRepository::ForContact(s, caller.tenant_id, task_id, contact_id);
    zone = ZoneOf(s, caller.tenant_id);
  });
  draft.crm_supported = !adapters::IsMegaplanTenant(caller.tenant_id) && after_ != nullptr;
  // What the CRM knows (the operator's name and address, the client's address): a CRM that
  // cannot answer now leaves them empty rather than failing the draft.
  std::string operator_name;
  try {
    for (const adapters::CrmUser& u : crm_.FetchUsers(caller.tenant_id)) {
      if (u.id == caller.user_id) {
        operator_name = u.name;
        draft.copy_to = IsValidEmail(u.email) ? u.email : "";
      }
    }
  } catch (const Error& e) {
    spdlog::info("event=campaign_draft_users_unread tenant={} error={}", caller.tenant_id,
                 LogQuoted(e.what()));
  }
  if (draft.crm_supported) {
    try {
      adapters::RequestOptions options;
      options.as_user = caller.user_id;
      options.deadline = std::chrono::milliseconds(10'000);
      std::optional<adapters::CrmRecord> client;
      if (!ctx.contact.crm_contact_id.empty()) {
        client = adapters::CrmRecord{"contact", ctx.contact.crm_contact_id};
      } else if (!ctx.contact.phone.empty()) {
        client = crm_.FindClientByPhone(caller.tenant_id, ctx.contact.phone);
      }
      if (client) {
        const std::string email = after_->ClientEmail(caller.tenant_id, *client, options);
        draft.to = IsValidEmail(email) ? email : "";
      }
    } catch (const Error& e) {
      spdlog::info("event=campaign_draft_client_unread tenant={} error={}", caller.tenant_id,
                   LogQuoted(e.what()));
    }
  }
  if (chosen) {
    TemplateValues values = {{"CONTACT.NAME", ctx.contact.name},
                             {"CONTACT.PHONE", ctx.contact.phone},
                             {"TASK.NAME", ctx.task.name},
                             {"OPERATOR.NAME", operator_name},
                             {"CALLBACK.AT", ctx.contact.state.due_at_ms > clock_.NowMs()
                                                 ? LocalText(ctx.contact.state.due_at_ms, zone)
                                                 : ""}};
    draft.template_id = chosen->id;
    draft.subject = RenderTemplate(chosen->subject, values);
    draft.body = RenderTemplate(chosen->body, values);
  }
  return draft;
}

template <class Job>
AfterActionRow AfterCallService::QueueAction(Session& s, const Caller& caller, AfterActionRow row,
                                             const jobs::JobKind<Job>& kind, const Job& job,
                                             bool* fresh) {
  row.operator_id = caller.user_id;
  row.state = "queued";
  row.created_at_ms = clock_.NowMs();
  row.updated_at_ms = row.created_at_ms;
  *fresh = AfterActionRepository::Insert(s, caller.tenant_id, row);
  if (*fresh) {
    jobs::NewJob options;
    options.tenant_id = caller.tenant_id;
    options.ordering_key = "campaign-contact:" + std::to_string(row.contact_id);
    options.idempotency_key = std::string(kind.name) + ":" + row.key;
    jobs::Enqueue(s, kind, job, options, clock_.NowMs());
    return row;
  }
  auto stored = AfterActionRepository::Find(s, caller.tenant_id, row.key);
  if (!stored) {
    throw Internal("the action " + row.key + " is neither new nor stored");
  }
  return *stored;
}

AfterActionRow AfterCallService::SendEmail(const Caller& caller, long long task_id,
                                           long long contact_id, const EmailRequest& r) {
  CheckRequestId(r.request_id);
  RequireCrmSupport(caller);
  EmailJob job;
  job.to = CheckedEmail(r.to, "to");
  job.subject = r.subject;
  job.body = r.body;
  if (TrimSpaces(job.subject).empty() || job.subject.size() > kMaxSubjectLength ||
      job.subject.find_first_of("\r\n") != std::string::npos) {
    throw InvalidArgument("subject is one line of 1 to 255 bytes", "subject");
  }
  if (TrimSpaces(job.body).empty() || job.body.size() > kMaxEmailBodyLength) {
    throw InvalidArgument("body is 1 to 20000 bytes and not blank", "body");
  }
  // The plan first, so a free portal hears why before anything else is asked of the CRM.
  storage::WithSession(db_, [&](Session& s) {
    LoadContext(s, caller, task_id, contact_id);
    RequireEmailFromTasks(PlanOf(s, caller.tenant_id));
  });
  if (r.copy_to_me) {
    for (const adapters::CrmUser& u : crm_.FetchUsers(caller.tenant_id)) {
      if (u.id == caller.user_id) {
        job.copy_to = u.email;
      }
    }
    if (!IsValidEmail(job.copy_to)) {
      throw InvalidArgument(
          "your portal profile has no e-mail address for the copy; add one or uncheck the copy",
          "copy_to_me");
    }
  }
  AfterActionRow out;
  bool fresh = false;
  storage::InTransaction(db_, [&](Session& s) {
    const Context ctx = LoadContext(s, caller, task_id, contact_id);
    RequireEmailFromTasks(PlanOf(s, caller.tenant_id));
    AfterActionRow row;
    row.key =
        "email:" + std::to_string(task_id) + ":" + std::to_string(contact_id) + ":" + r.request_id;
    row.kind = "email";
    row.task_id = task_id;
    row.contact_id = contact_id;
    Json detail = Json::object(true);
    detail["to"] = Json::string(job.to);
    detail["copy_to"] = Json::string(job.copy_to);
    detail["subject"] = Json::string(job.subject);
    row.detail = detail.serialize();
    job.target =
        AfterTarget{row.key, ctx.contact.phone, ctx.contact.crm_contact_id, caller.user_id};
    if (job.target.phone.empty() && job.target.crm_contact_id.empty()) {
      throw InvalidArgument("the contact has neither a number nor a CRM contact", "contact_id");
    }
    out = QueueAction(s, caller, row, kEmailJob, job, &fresh);
  });
  if (fresh && wake_) {
    wake_();
  }
  return out;
}

AfterActionRow AfterCallService::UploadRecording(const Caller& caller, long long task_id,
                                                 long long contact_id,
                                                 const std::string& request_id,
                                                 const std::string& filename,
                                                 const std::string& content) {
  CheckRequestId(request_id);
  RequireCrmSupport(caller);
  const std::string kind = CheckRecording(filename, content);
  std::vector<std::string> chunks;
  for (std::size_t at = 0; at < content.size(); at += kRecordingChunk) {
    chunks.push_back(crypto::Base64Encode(std::string_view(content).substr(at, kRecordingChunk)));
  }
  AfterActionRow out;
  bool fresh = false;
  storage::InTransaction(db_, [&](Session& s) {
    const Context ctx = LoadContext(s, caller, task_id, contact_id);
    const std::string key = "recording:" + std::to_string(task_id) + ":" +
                            std::to_string(contact_id) + ":" + request_id;
    if (auto stored = AfterActionRepository::Find(s, caller.tenant_id, key)) {
      out = *stored;  // a repeat: the file is stored already
      return;
    }
    if (ctx.contact.phone.empty() && ctx.contact.crm_contact_id.empty()) {
      throw InvalidArgument("the contact has neither a number nor a CRM contact", "contact_id");
    }
    storage::RecordingRow rec;
    rec.task_id = task_id;
    rec.contact_id = contact_id;
    rec.filename = filename;
    rec.kind = kind;
    rec.size_bytes = static_cast<long long>(content.size());
    rec.created_at_ms = clock_.NowMs();
    const long long recording_id =
        storage::RecordingRepository::Insert(s, caller.tenant_id, rec, chunks);
    // The call the recording is of: the contact's last call, named in the comment.
    const TimeZone zone = ZoneOf(s, caller.tenant_id);
    RecordingJob job;
    job.recording_id = recording_id;
    job.text =
        "Запись звонка по заданию «" + ctx.task.name + "»" +
        (ctx.contact.last_call_at_ms > 0 ? " от " + LocalText(ctx.contact.last_call_at_ms, zone)
                                         : std::string()) +
        ": " + filename;
    AfterActionRow row;
    row.key = key;
    row.kind = "recording";
    row.task_id = task_id;
    row.contact_id = contact_id;
    Json detail = Json::object(true);
    detail["filename"] = Json::string(filename);
    detail["size_bytes"] = Json::number(static_cast<int64_t>(content.size()));
    detail["kind"] = Json::string(kind);
    row.detail = detail.serialize();
    job.target = AfterTarget{key, ctx.contact.phone, ctx.contact.crm_contact_id, caller.user_id};
    out = QueueAction(s, caller, row, kRecordingJob, job, &fresh);
  });
  if (fresh && wake_) {
    wake_();
  }
  return out;
}

adapters::CrmProductPage AfterCallService::Products(const Caller& caller, long long task_id,
                                                    long long after) {
  RequireCrmSupport(caller);
  storage::WithSession(db_, [&](Session& s) {
    settings::RequireSeat(s, caller.tenant_id, caller.user_id);
    auto task = storage::CampaignTaskRepository::Find(s, caller.tenant_id, task_id, false);
    if (!task) {
      throw NotFound("no dialing task " + std::to_string(task_id));
    }
    if (!caller.manager && !IsEmployee(*task, caller.user_id)) {
      throw PermissionDenied("you do not work this dialing task; ask a supervisor to add you");
    }
  });
  adapters::RequestOptions options;
  options.as_user = caller.user_id;
  options.deadline = std::chrono::milliseconds(15'000);
  return after_->ListProducts(caller.tenant_id, after, options);
}

AfterActionRow AfterCallService::CreateInvoice(const Caller& caller, long long task_id,
                                               long long contact_id, const InvoiceRequest& r) {
  CheckRequestId(r.request_id);
  RequireCrmSupport(caller);
  ValidateInvoice(r.lines, r.cancel_date);
  AfterActionRow out;
  bool fresh = false;
  storage::InTransaction(db_, [&](Session& s) {
    const Context ctx = LoadContext(s, caller, task_id, contact_id);
    if (ctx.contact.phone.empty() && ctx.contact.crm_contact_id.empty()) {
      throw InvalidArgument("the contact has neither a number nor a CRM contact", "contact_id");
    }
    InvoiceJob job;
    job.title = "Счёт по заданию «" + ctx.task.name + "»" +
                (ctx.contact.name.empty() ? std::string() : ": " + ctx.contact.name);
    job.cancel_date = r.cancel_date;
    job.lines = r.lines;
    AfterActionRow row;
    row.key = "invoice:" + std::to_string(task_id) + ":" + std::to_string(contact_id) + ":" +
              r.request_id;
    row.kind = "invoice";
    row.task_id = task_id;
    row.contact_id = contact_id;
    Json detail = Json::object(true);
    long long total = 0;
    Json lines = Json::array(r.lines.size());
    for (std::size_t i = 0; i < r.lines.size(); ++i) {
      Json l = Json::object(true);
      l["product_id"] = Json::string(r.lines[i].product_id);
      l["name"] = Json::string(r.lines[i].name);
      l["quantity"] = Json::number(static_cast<int64_t>(r.lines[i].quantity));
      l["price"] = Json::string(FormatPrice(r.lines[i].price_cents));
      lines[i] = l;
      total += r.lines[i].price_cents * r.lines[i].quantity;
    }
    detail["lines"] = lines;
    detail["total"] = Json::string(FormatPrice(total));
    detail["cancel_date"] = Json::string(r.cancel_date);
    detail["title"] = Json::string(job.title);
    row.detail = detail.serialize();
    job.target =
        AfterTarget{row.key, ctx.contact.phone, ctx.contact.crm_contact_id, caller.user_id};
    out = QueueAction(s, caller, row, kInvoiceJob, job, &fresh);
  });
  if (fresh && wake_) {
    wake_();
  }
  return out;
}

}  // namespace opdesk::campaigns
