// The Bitrix24 marketplace app's HTTP side: the install page and install callback, portal events,
// the frames of the app page and the CALL_CARD placement, the UI session and setup API. Who is
// who (install verification, frame sign-in, sessions) and the portal setup are in oauth/bitrix24;
// events must carry the portal's application_token.
#pragma once

#include <functional>
#include <string>

#include "connector/http/guard.h"
#include "connector/http/message.h"
#include "connector/jobs/job_kind.h"
#include "connector/jobs/worker_pool.h"
#include "connector/settings/service.h"
#include "connector/storage/bitrix24_records.h"
#include "oauth/bitrix24/portal_setup.h"
#include "oauth/bitrix24/sign_in.h"
#include "oauth/bitrix24/token_store.h"
#include "oauth/secret_box.h"

namespace opdesk::bitrix24 {

struct AppOptions {
  std::string public_url;  // no trailing slash
  std::string frame_sdk_url = "https://api.bitrix24.com/api/v1/";
  // The built front end (settings-ui/dist); the call card's shell is its callcard.html.
  std::string ui_dist_dir;
  // After a clean uninstall, the data is deleted once more this long after the first delete
  // (kPurgeJob): what work already under way wrote meanwhile goes too.
  long long uninstall_purge_after_ms = 120'000;
};

// An ONAPPINSTALL waiting to be verified: the whole request, sealed (it carries the portal's
// tokens), opened only by the job that checks it with the auth server.
struct InstallJob {
  std::string sealed_request;
};
inline std::string EncodeInstallJob(const InstallJob& job) {
  return job.sealed_request;
}
inline InstallJob DecodeInstallJob(const std::string& payload) {
  return {payload};
}
inline constexpr jobs::JobKind<InstallJob> kInstallJob{"b24.install", EncodeInstallJob,
                                                       DecodeInstallJob};

// The second delete after a clean uninstall. A job already running when the administrator
// removed the app, or an event accepted just before (an address is remembered for a few
// seconds), may still write a row for the portal after the first delete; this job deletes the
// portal's data again once that work has ended, unless the app was installed again meanwhile.
// Its own tenant id is kPurgeTenantPrefix + the portal's, so that neither delete takes it away.
struct PurgeJob {
  std::string tenant_id;  // the portal whose data goes
};
inline std::string EncodePurgeJob(const PurgeJob& job) {
  return job.tenant_id;
}
PurgeJob DecodePurgeJob(const std::string& payload);
inline constexpr jobs::JobKind<PurgeJob> kPurgeJob{"b24.purge", EncodePurgeJob, DecodePurgeJob};
inline constexpr const char* kPurgeTenantPrefix = "purge:";

class Bitrix24App {
 public:
  Bitrix24App(storage::Database& db, TokenStore& tokens, SignIn& sign_in, PortalSetup& setup,
              const crypto::SecretBox& box, const Clock& clock, settings::SettingsService& settings,
              AppOptions options);

  http::Response InstallPage(http::Request& request);  // POST /b24/install
  http::Response Frame(http::Request& request);        // POST /b24/app, /b24/callcard
  http::Response Event(http::Request& request);        // POST /b24/events
  // POST /api/b24/setup and GET /api/b24/status: the caller holds a frame session or the install
  // page's own (read-only status, and the first setup, are about the portal itself).
  http::Response Setup(http::Request& request, const http::Caller& caller);
  http::Response Status(const http::Caller& caller);
  http::Response RenewSession(http::Request& request);  // POST /api/session/renew

  // Job handlers (outbox): the install callback's setup, done in the background.
  void RunInstallEventJob(const jobs::Job& job, const InstallJob& install);
  void RunPurgeJob(const jobs::Job& job, const PurgeJob& purge);

  // Set by the wiring so that enqueued jobs start at once in this process.
  void SetWake(std::function<void()> wake) { wake_ = std::move(wake); }

 private:
  void Uninstall(const std::string& tenant_id, bool clean);
  // Waits until no job of the tenant is running, at most kUninstallJobWaitMs; returns how many
  // still run.
  long long WaitForRunningJobs(const std::string& tenant_id);
  static constexpr int kUninstallJobWaitMs = 10'000;

  storage::Database& db_;
  TokenStore& tokens_;
  SignIn& sign_in_;
  PortalSetup& setup_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
  settings::SettingsService& settings_;
  AppOptions options_;
  std::function<void()> wake_;
};

}  // namespace opdesk::bitrix24
