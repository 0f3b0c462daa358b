#include "connector/campaigns/reminder_job.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "adapters/bitrix24/rest_client.h"
#include "adapters/crm_by_tenant.h"
#include "adapters/json_read.h"
#include "connector/domain/campaigns.h"
#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/domain/time_zone.h"
#include "connector/jobs/job_kind.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/campaign_repository.h"
#include "connector/storage/repositories.h"

namespace opdesk::campaigns {

namespace {

constexpr int kSweepBatch = 100;

}  // namespace

std::string ReminderKey(long long contact_id, EpochMs due_at_ms) {
  return "reminder:" + std::to_string(contact_id) + ":" + std::to_string(due_at_ms);
}

std::string EncodeReminderJob(const ReminderJob& job) {
  web::json::value out = web::json::value::object(true);
  out["task_id"] = web::json::value::number(static_cast<int64_t>(job.task_id));
  out["contact_id"] = web::json::value::number(static_cast<int64_t>(job.contact_id));
  out["operator_id"] = web::json::value::string(job.operator_id);
  out["due_at_ms"] = web::json::value::number(static_cast<int64_t>(job.due_at_ms));
  return out.serialize();
}

ReminderJob DecodeReminderJob(const std::string& payload) {
  web::json::value json;
  try {
    json = web::json::value::parse(payload);
  } catch (const std::exception&) {
    throw InvalidArgument("campaign.reminder: the payload is not JSON");
  }
  ReminderJob job;
  auto number = [&](const char* key) -> long long {
    if (!json.is_object() || !json.has_field(key) || !json.at(key).is_integer()) {
      throw InvalidArgument(std::string("campaign.reminder: the payload has no ") + key);
    }
    return json.at(key).as_number().to_int64();
  };
  job.task_id = number("task_id");
  job.contact_id = number("contact_id");
  job.due_at_ms = number("due_at_ms");
  job.operator_id = adapters::JsonText(json, "operator_id");
  if (job.operator_id.empty()) {
    throw InvalidArgument("campaign.reminder: the payload has no operator_id");
  }
  return job;
}

std::string ReminderRunner::AppLink(const std::string& tenant_id) {
  std::optional<B24Portal> portal;
  storage::WithSession(
      db_, [&](storage::Session& s) { portal = storage::B24PortalRepository::Find(s, tenant_id); });
  if (!portal || portal->domain.empty()) {
    return "";
  }
  std::string app_id;
  {
    std::lock_guard lock(mu_);
    app_id = app_ids_[tenant_id];
  }
  if (app_id.empty()) {
    try {
      app_id = crm_.FetchMarketplaceStatus(tenant_id).app_id;
      std::lock_guard lock(mu_);
      app_ids_[tenant_id] = app_id;
    } catch (const Error& e) {
      spdlog::warn("event=campaign_reminder_app_info_failed tenant={} error={}", tenant_id,
                   LogQuoted(e.what()));
    }
  }
  return "https://" + portal->domain +
         (app_id.empty() ? "/marketplace/installed/" : "/marketplace/app/" + app_id + "/");
}

void ReminderRunner::Run(const jobs::Job& job, const ReminderJob& r) {
  const std::string& tenant = job.tenant_id;
  const std::string key = ReminderKey(r.contact_id, r.due_at_ms);
  if (adapters::IsMegaplanTenant(tenant)) {
    return;  // Megaplan has no portal notifications; the work page's strip shows the callback
  }
  std::optional<storage::CampaignContactRow> contact;
  std::optional<Task> task;
  std::string zone_name;
  bool fresh = false;
  storage::InTransaction(db_, [&](storage::Session& s) {
    task = storage::CampaignTaskRepository::Find(s, tenant, r.task_id, false);
    contact = storage::CampaignContactRepository::Find(s, tenant, r.task_id, r.contact_id, false);
    const bool still = task && contact && contact->state.status == ContactStatus::kInWork &&
                       contact->state.operator_id == r.operator_id &&
                       contact->state.due_at_ms == r.due_at_ms && !contact->state.opened;
    if (!still) {
      return;
    }
    fresh = storage::CampaignCommentRepository::Begin(s, tenant, key, clock_.NowMs());
    const auto t = storage::TenantRepository::Find(s, tenant);
    zone_name = t && !t->time_zone.empty() ? t->time_zone : "Europe/Moscow";
  });
  if (!fresh) {
    spdlog::info("event=campaign_reminder_skipped tenant={} contact={} due={}", tenant,
                 r.contact_id, r.due_at_ms);
    return;
  }
  std::shared_ptr<const TimeZone> zone;
  try {
    zone = LoadTimeZone(zone_name);
  } catch (const Error&) {
    zone = std::make_shared<TimeZone>(TimeZone::Utc());
  }
  const std::string text = ReminderText(task->name, contact->phone, contact->name,
                                        contact->state.result, r.due_at_ms, *zone, AppLink(tenant));
  web::json::value params = web::json::value::object(true);
  params["USER_ID"] = web::json::value::string(r.operator_id);
  params["MESSAGE"] = web::json::value::string(text);
  params["TAG"] = web::json::value::string("opdesk|" + key);
  std::string id;
  try {
    bitrix24::CallOptions options;
    options.idempotent = false;
    const web::json::value result = rest_.Call(tenant, "im.notify.personal.add", params, options);
    id = result.is_integer()  ? std::to_string(result.as_number().to_int64())
         : result.is_string() ? result.as_string()
                              : "";
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kResourceExhausted || IsRetryable(e.code())) {
      storage::InTransaction(db_, [&](storage::Session& s) {
        storage::CampaignCommentRepository::Forget(s, tenant, key);
      });
      throw;  // not sent: the outbox retries
    }
    storage::InTransaction(db_, [&](storage::Session& s) {
      storage::CampaignCommentRepository::Finish(s, tenant, key, "failed", "", "", clock_.NowMs());
    });
    spdlog::warn("event=campaign_reminder_failed tenant={} contact={} error={}", tenant,
                 r.contact_id, LogQuoted(e.what()));
    return;
  }
  storage::InTransaction(db_, [&](storage::Session& s) {
    storage::CampaignCommentRepository::Finish(s, tenant, key, "done", "user:" + r.operator_id, id,
                                               clock_.NowMs());
  });
}

int QueueDueReminders(storage::Database& db, const Clock& clock) {
  int queued = 0;
  const EpochMs now = clock.NowMs();
  storage::InTransaction(db, [&](storage::Session& s) {
    queued = 0;
    for (const storage::DueReminderRow& row :
         storage::CampaignReminderRepository::Due(s, now, kSweepBatch)) {
      if (!storage::CampaignReminderRepository::Claim(s, row)) {
        continue;  // another process took it, or it moved
      }
      jobs::NewJob options;
      options.tenant_id = row.tenant_id;
      options.idempotency_key = ReminderKey(row.contact_id, row.due_at_ms);
      jobs::Enqueue(s, kReminderJob,
                    ReminderJob{row.task_id, row.contact_id, row.operator_id, row.due_at_ms},
                    options, now);
      ++queued;
    }
  });
  return queued;
}

ReminderSweep::~ReminderSweep() {
  Stop();
}

void ReminderSweep::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ReminderSweep::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void ReminderSweep::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    try {
      const int queued = QueueDueReminders(db_, clock_);
      if (queued > 0) {
        spdlog::info("event=campaign_reminders_queued count={}", queued);
        if (wake_) {
          wake_();
        }
      }
    } catch (const std::exception& e) {
      spdlog::warn("event=campaign_reminder_sweep_failed error={}", LogQuoted(e.what()));
    }
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace opdesk::campaigns
