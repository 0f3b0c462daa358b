// Portal events: answered at once after storing them; the work they imply goes to the outbox.
#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

#include "connector/calls/call_jobs.h"
#include "connector/domain/log_escape.h"
#include "connector/http/error_response.h"
#include "connector/http/redact.h"
#include "connector/jobs/job_store.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/repositories.h"
#include "connector/storage/settings_repositories.h"
#include "oauth/crypto.h"
#include "webhooks/bitrix24/app_service.h"
#include "webhooks/bitrix24/portal_post.h"

namespace opdesk::bitrix24 {
namespace {

constexpr const char* kInstallPayloadContext = "b24-install-event";
constexpr long long kMaxInstallJobsPerPortal = 3;
constexpr long long kMaxInstallJobs = 100;

http::Response Accepted(const std::string& what) {
  return http::Response::Json(200, "{\"status\":" + http::JsonQuote(what) + "}");
}

// Keeps the event for the record without the secrets it carries.
StoredEvent RecordOf(const std::string& tenant_id, const EventPost& e, const std::string& body,
                     EpochMs now) {
  StoredEvent stored;
  stored.tenant_id = tenant_id;
  stored.source = "bitrix24";
  stored.kind = e.event;
  // Bitrix24 gives events no id; an identical delivery is a repeat.
  stored.dedupe_key = crypto::Sha256Hex(body);
  stored.payload = http::RedactQuery(body);
  stored.received_at_ms = now;
  return stored;
}

}  // namespace

http::Response Bitrix24App::Event(http::Request& request) {
  const EventPost e = ParseEventPost(request.body);
  const EpochMs now = clock_.NowMs();

  if (e.event == "ONAPPINSTALL") {
    // Verified in the job: the auth server must accept its refresh token (no stored secret to
    // compare with exists yet). Its tokens are kept sealed until then.
    for (const char* required :
         {"member_id", "refresh_token", "server_endpoint", "application_token"}) {
      if (e.auth.count(required) == 0 || e.auth.at(required).empty()) {
        throw InvalidArgument(std::string("ONAPPINSTALL without auth[") + required + "]",
                              std::string("auth[") + required + "]");
      }
    }
    const std::string tenant_id = e.auth.at("member_id");
    // Anyone can post this, and it is believed only once the job checked its refresh token with
    // the auth server: until then it takes a bounded place (a few per portal, a cap overall,
    // nothing in the events table) so made-up installs cannot fill the database.
    storage::InTransaction(db_, [&](storage::Session& s) {
      if (jobs::JobStore::CountUnfinished(s, kInstallJob.name, tenant_id) >=
              kMaxInstallJobsPerPortal ||
          jobs::JobStore::CountUnfinished(s, kInstallJob.name, "") >= kMaxInstallJobs) {
        throw ResourceExhausted("too many installations waiting to be verified; try again later");
      }
      jobs::NewJob job;
      job.tenant_id = tenant_id;
      job.ordering_key = "b24-lifecycle";
      job.idempotency_key = "onappinstall:" + crypto::Sha256Hex(request.body);
      job.max_attempts = 5;
      jobs::Enqueue(s, kInstallJob, InstallJob{box_.Seal(request.body, kInstallPayloadContext)},
                    job, now);
    });
    if (wake_) {
      wake_();
    }
    return Accepted("queued");
  }

  if (e.auth.empty()) {
    // Robots and business processes trigger events without an auth block; nothing proves such a
    // request came from the portal.
    throw Unauthenticated("the event has no auth block, so it cannot be verified");
  }
  const std::string tenant_id = e.auth.count("member_id") ? e.auth.at("member_id") : "";
  std::optional<B24Portal> portal;
  storage::WithSession(
      db_, [&](storage::Session& s) { portal = storage::B24PortalRepository::Find(s, tenant_id); });
  if (!portal || portal->state == "uninstalled") {
    throw NotFound("no installed app for member_id '" + tenant_id + "'");
  }
  const std::string token = e.auth.count("application_token") ? e.auth.at("application_token") : "";
  if (!sign_in_.ApplicationTokenMatches(*portal, token)) {
    spdlog::warn("event=b24_event_forged portal={} event={}", LogValue(tenant_id),
                 LogValue(e.event));
    throw PermissionDenied("application_token does not match this portal");
  }

  if (e.event == "ONAPPUNINSTALL") {
    const bool clean = e.data.count("CLEAN") && e.data.at("CLEAN") == "1";
    Uninstall(tenant_id, clean);
    return Accepted(clean ? "uninstalled, data deleted" : "uninstalled");
  }

  storage::InTransaction(db_, [&](storage::Session& s) {
    if (!storage::EventRepository::InsertIfNew(s, RecordOf(tenant_id, e, request.body, now))) {
      return;
    }
    jobs::NewJob job;
    job.tenant_id = tenant_id;
    // Everything the handler needs, without the tokens.
    web::json::value data = web::json::value::object();
    for (const auto& [k, v] : e.data) {
      data[k] = web::json::value::string(v);
    }
    jobs::Enqueue(s, mango::kPortalEventJob, mango::PortalEventJob{e.event, data.serialize(), e.ts},
                  job, now);
  });
  if (wake_) {
    wake_();
  }
  return Accepted("queued");
}

void Bitrix24App::Uninstall(const std::string& tenant_id, bool clean) {
  const EpochMs now = clock_.NowMs();
  constexpr const char* kReason = "the app was removed from the portal";
  // Nothing new may start: the tokens go, the portal is marked uninstalled (its events are
  // refused) and its jobs are stopped. A clean uninstall leaves the running ones to end first:
  // a job already running for the portal (in any process) may still write a row, say the
  // employee it just looked up, so the data goes only once they have ended (a bounded wait).
  storage::InTransaction(db_, [&](storage::Session& s) {
    storage::TokenRepository::DeleteByTenant(s, tenant_id);
    const long long stopped =
        jobs::JobStore::DropTenant(s, tenant_id, kReason, now, /*running_too=*/!clean);
    if (std::optional<B24Portal> portal = storage::B24PortalRepository::Find(s, tenant_id)) {
      portal->state = "uninstalled";
      portal->updated_at_ms = now;
      storage::B24PortalRepository::Upsert(s, *portal);
    }
    if (!clean) {
      AuditEntry audit =
          MakeAuditEntry(tenant_id, "portal", "app.uninstall", "portal", tenant_id, now);
      audit.after_json = "{\"jobs_stopped\":" + std::to_string(stopped) + "}";
      storage::AuditLogRepository::Append(s, audit);
    }
  });
  if (clean) {
    // The administrator asked for the app's data to be deleted with it: every table.
    const long long still_running = WaitForRunningJobs(tenant_id);
    if (still_running > 0) {
      spdlog::warn("event=b24_uninstall_jobs_still_running portal={} jobs={} waited_ms={}",
                   LogValue(tenant_id), still_running, kUninstallJobWaitMs);
    }
    storage::InTransaction(db_, [&](storage::Session& s) {
      const EpochMs deleted_at = clock_.NowMs();
      jobs::JobStore::DropTenant(s, tenant_id, kReason, deleted_at);
      storage::DeleteTenantData(s, tenant_id);
      jobs::NewJob purge;
      purge.tenant_id = kPurgeTenantPrefix + tenant_id;
      purge.run_at_ms = deleted_at + options_.uninstall_purge_after_ms;
      jobs::Enqueue(s, kPurgeJob, PurgeJob{tenant_id}, purge, deleted_at);
    });
  }
  spdlog::info("event=b24_uninstalled portal={} clean={}", tenant_id, clean);
}

PurgeJob DecodePurgeJob(const std::string& payload) {
  if (payload.empty()) {
    throw InvalidArgument("b24.purge: the payload names no portal", "payload");
  }
  return {payload};
}

void Bitrix24App::RunPurgeJob(const jobs::Job&, const PurgeJob& purge) {
  const std::string& tenant_id = purge.tenant_id;
  long long running = 0;
  long long rows = 0;
  bool reinstalled = false;
  storage::InTransaction(db_, [&](storage::Session& s) {
    rows = 0;
    // Installed again since: what is there now belongs to the new installation.
    reinstalled = storage::B24PortalRepository::Find(s, tenant_id).has_value();
    if (reinstalled) {
      return;
    }
    running = jobs::JobStore::CountRunning(s, tenant_id, clock_.NowMs());
    if (running > 0) {
      return;
    }
    rows = storage::DeleteTenantData(s, tenant_id);
  });
  if (reinstalled) {
    spdlog::info("event=b24_purge_skipped portal={} reason=installed_again", LogValue(tenant_id));
    return;
  }
  if (running > 0) {
    // Retried with the outbox's backoff until that work has ended.
    throw Unavailable(std::to_string(running) + " job(s) of the removed portal still running");
  }
  if (rows > 0) {
    spdlog::warn("event=b24_purge_removed_late_rows portal={} rows={}", LogValue(tenant_id), rows);
  } else {
    spdlog::info("event=b24_purge_clean portal={}", LogValue(tenant_id));
  }
}

long long Bitrix24App::WaitForRunningJobs(const std::string& tenant_id) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kUninstallJobWaitMs);
  while (true) {
    long long running = 0;
    storage::WithSession(db_, [&](storage::Session& s) {
      running = jobs::JobStore::CountRunning(s, tenant_id, clock_.NowMs());
    });
    if (running == 0 || std::chrono::steady_clock::now() >= deadline) {
      return running;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void Bitrix24App::RunInstallEventJob(const jobs::Job&, const InstallJob& install) {
  const std::string body = box_.Open(install.sealed_request, kInstallPayloadContext);
  const EventPost e = ParseEventPost(body);
  const std::string& tenant_id = e.auth.at("member_id");
  std::optional<B24Portal> portal;
  storage::WithSession(
      db_, [&](storage::Session& s) { portal = storage::B24PortalRepository::Find(s, tenant_id); });
  // A retry after the install was recorded must not spend the (now rotated) refresh token again.
  const bool recorded = portal && portal->state != "uninstalled" &&
                        sign_in_.ApplicationTokenMatches(*portal, e.auth.at("application_token"));
  if (!recorded) {
    const std::string domain = e.auth.count("domain") ? e.auth.at("domain") : "";
    try {
      sign_in_.RecordInstall(tenant_id, domain, e.auth.at("refresh_token"),
                             e.auth.at("application_token"),
                             /*from_install_event=*/true);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kPermissionDenied || e.code() == ErrorCode::kUnauthenticated ||
          e.code() == ErrorCode::kInvalidArgument) {
        // Not from the portal (or not from an administrator): nothing was stored, and retrying
        // cannot change that. The job ends here instead of waiting as a dead letter.
        spdlog::warn("event=b24_install_event_refused member_id={} error={}", LogValue(tenant_id),
                     LogQuoted(e.what()));
        return;
      }
      throw;
    }
  }
  std::string failed;
  for (const SetupStep& step : setup_.Run(tenant_id)) {
    if (!step.done) {
      failed += (failed.empty() ? "" : "; ") + step.name + ": " + step.error;
    }
  }
  if (!failed.empty()) {
    throw Unavailable("setup is not complete: " + failed);
  }
}

}  // namespace opdesk::bitrix24
