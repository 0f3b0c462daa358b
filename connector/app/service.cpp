#include "connector/app/service.h"

#include <cpprest/json.h>
#include <utility>  // boost/asio/awaitable.hpp (via pplx) needs std::exchange

#include <pplx/threadpool.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>

#include "adapters/bitrix24/bitrix24_crm.h"
#include "adapters/bitrix24/rest_client.h"
#include "adapters/crm_by_tenant.h"
#include "adapters/megaplan/api_client.h"
#include "adapters/megaplan/megaplan_crm.h"
#include "adapters/url_policy.h"
#include "connector/app/allocator.h"
#include "connector/app/guards.h"
#include "connector/app/logging.h"
#include "connector/app/operations.h"
#include "connector/app/system_routes.h"
#include "connector/app/ui_dist.h"
#include "connector/app/wiring.h"
#include "connector/callcard/install.h"
#include "connector/calls/install.h"
#include "connector/campaigns/install.h"
#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/http/server.h"
#include "connector/http/static_files.h"
#include "connector/jobs/worker_pool.h"
#include "connector/megaplan_page/install.h"
#include "connector/reception/install.h"
#include "connector/settings/install.h"
#include "connector/storage/migrations.h"
#include "oauth/bitrix24/token_store.h"
#include "oauth/master_key.h"
#include "oauth/secret_box.h"
#include "oauth/session_token.h"
#include "webhooks/bitrix24/routes.h"
#include "webhooks/mango/routes.h"
#include "webhooks/megaplan/routes.h"

namespace opdesk::app {
namespace {

// Configured endpoints obey the same rules as every URL opdesk fetches; say so at start, not at
// the first install.
bool OutboundUrlsAllowed(const Config& config) {
  for (const auto& [key, url] :
       {std::pair<const char*, const std::string&>{"bitrix24.oauth_url", config.bitrix24.oauth_url},
        {"mango.api_url", config.mango.api_url}}) {
    try {
      adapters::CheckOutboundUrl(url, config.allow_insecure_endpoints);
    } catch (const Error& e) {
      spdlog::critical(
          "event=bad_config key={} error=\"{}\" hint=\"https on port 443, or set "
          "allow_insecure_endpoints for a sandbox\"",
          key, e.what());
      return false;
    }
  }
  return true;
}

bool SchemaIsCurrent(storage::Database& db) {
  const storage::SchemaStatus schema = storage::ReadSchemaStatus(db);
  if (schema.too_new()) {
    spdlog::critical("event=schema_too_new current={} known={} hint=\"upgrade opdesk\"",
                     schema.current, schema.latest);
    return false;
  }
  if (!schema.up_to_date()) {
    spdlog::critical("event=schema_behind current={} latest={} hint=\"run: opdesk migrate\"",
                     schema.current, schema.latest);
    return false;
  }
  return true;
}

jobs::WorkerPoolOptions JobOptions(const Config& config) {
  jobs::WorkerPoolOptions o;
  o.workers = config.jobs.workers;
  o.max_attempts = config.jobs.max_attempts;
  o.lease_ms = config.jobs.lease_seconds * 1000LL;
  o.poll_interval_ms = config.jobs.poll_interval_ms;
  o.nice = config.jobs.nice;
  o.backoff_base_ms = config.jobs.backoff_base_ms;
  o.backoff_max_ms = config.jobs.backoff_max_ms;
  o.retention_ms = config.jobs.retention_hours * 3600LL * 1000;
  o.dead_retention_ms = config.jobs.dead_retention_days * 86'400'000LL;
  o.events_retention_ms = config.retention.events_days * 86'400'000LL;
  return o;
}

}  // namespace

int Serve(const Config& config) {
  // cpprestsdk's shared pool defaults to 40 threads, which only hurts tail latency on a small
  // machine. It must be sized before any listener or client exists; handlers never block it.
  crossplat::threadpool::initialize_with_threads(static_cast<std::size_t>(config.http.threads));
  SystemClock clock;
  if (!OutboundUrlsAllowed(config)) {
    return 2;
  }
  // The key must exist before the first secret is written; creating it at start also fails fast
  // on a read-only data directory.
  const crypto::MasterKeys keys =
      crypto::LoadMasterKeys(config.crypto.master_key_file, config.crypto.old_master_key_files);
  storage::DatabaseOptions db_options;
  db_options.url = config.database.url;
  db_options.pool_size = config.database.pool_size;
  storage::Database db(db_options);
  if (!SchemaIsCurrent(db)) {
    return 1;
  }

  // ---- the shared parts ----
  jobs::WorkerPool workers(db, clock, JobOptions(config));
  const crypto::SecretBox box(keys.current, keys.older);
  const crypto::SessionTokenSigner sessions(keys.current, keys.older);
  adapters::HttpTransport http_out({config.allow_insecure_endpoints, 16, "opdesk/" OPDESK_VERSION});
  bitrix24::PortalRateLimiter b24_limiter(clock);
  bitrix24::TokenStore b24_tokens(db, box, clock, http_out,
                                  {config.bitrix24.client_id, config.bitrix24.client_secret,
                                   config.bitrix24.oauth_url, config.allow_insecure_endpoints});
  bitrix24::RestClient b24_rest(db, b24_tokens, b24_limiter, http_out, clock);
  bitrix24::Bitrix24Crm b24_crm(b24_rest);
  megaplan::ApiClient megaplan_api(db, box, clock, http_out);
  megaplan::MegaplanCrm megaplan_crm(megaplan_api, db, clock);
  // Every feature talks to the tenant's own CRM through this one interface.
  adapters::CrmByTenant crm(b24_crm, megaplan_crm);
  const std::string ui_dist_dir =
      ResolveUiDistDir(config.ui.dist_dir, ExecutablePath(), OPDESK_SOURCE_DIR);
  const http::StaticFiles ui_files(ui_dist_dir);
  http::Metrics metrics;
  AddStorageMetrics(metrics, db);
  AddCrmAccountMetrics(metrics, db, clock);
  http::Router router;
  http::BlockingExecutor executor(config.database.pool_size, 10'000, "http");
  // The PBX's webhooks get threads of their own: a page or API handler waiting on a slow portal
  // must never delay another tenant's call events (they only touch the database). Most of these
  // threads wait for a shared commit (mango::MangoWebhooks, storage::GroupCommit) without holding
  // a session, so there are more of them than sessions: the more events wait together, the more
  // share one transaction.
  http::BlockingExecutor ingest_executor(std::max(16, config.database.pool_size / 2), 10'000,
                                         "ingest");
  http::ServerOptions server_options;
  server_options.host = config.listen.host;
  server_options.port = config.listen.port;
  server_options.default_max_body_bytes = static_cast<std::size_t>(config.http.max_body_bytes);
  http::HttpServer server(server_options, router, executor, metrics, &ingest_executor);

  Wiring wiring{.config = config,
                .db = db,
                .clock = clock,
                .router = router,
                .metrics = metrics,
                .workers = workers,
                .box = box,
                .sessions = sessions,
                .http_out = http_out,
                .b24_limiter = b24_limiter,
                .b24_tokens = b24_tokens,
                .b24_rest = b24_rest,
                .crm = crm,
                // The reception wizard lives in the Bitrix24 call card; Megaplan has no card.
                .crm_org_chart = &b24_crm,
                .crm_inquiries = &b24_crm,
                .crm_contacts = &b24_crm,
                .crm_after_call = &b24_crm,
                .megaplan_api = &megaplan_api,
                .ui_dist_dir = ui_dist_dir,
                .draining = [&server] { return server.draining(); },
                .ui_files = ui_files,
                .megaplan_crm = &megaplan_crm};

  // ---- the features, each registering its routes, job kinds and timers ----
  mango::InstallWebhooks(wiring);        // the PBX's notifications
  settings::Install(wiring);             // the settings service and pages; plan lapses
  mango::InstallCalls(wiring);           // calls, clients, click-to-call, employee directories
  callcard::Install(wiring);             // the call card and its button actions
  reception::Install(wiring);            // the reception wizard for unknown callers
  campaigns::Install(wiring);            // dialing tasks
  bitrix24::Install(wiring);             // install, events, frames, UI sessions, setup
  megaplan::InstallApplication(wiring);  // Megaplan's application launch and entity events
  megaplan_page::Install(wiring);  // the «Мегаплан» page: its sign-in, the account's token
  InstallGuards(wiring);           // who may call which route
  InstallOperations(wiring);       // health, metrics, the UI's files, the admin API

  // ---- run ----
  for (const Timer& timer : wiring.timers) {
    if (timer.start) {
      timer.start();
    }
  }
  server.Start();
  workers.Start();
  spdlog::info(
      "event=started listen={}:{} public_url={} database={} workers={} allocator={} ui={}{}",
      config.listen.host, config.listen.port, config.public_url,
      MaskDatabaseUrl(config.database.url), config.jobs.workers, LogQuoted(AllocatorName()),
      ui_dist_dir,
      ui_files.Read("callcard.html") && ui_files.Read("settings.html")
          ? ""
          : " (missing: the call card and the app page answer 503)");

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int signal_number = 0;
  sigwait(&signals, &signal_number);

  const auto budget = std::chrono::seconds(config.shutdown_timeout_seconds);
  const auto deadline = std::chrono::steady_clock::now() + budget;
  spdlog::info("event=stopping signal={} in_flight={}", signal_number, server.in_flight());
  server.BeginDrain();
  const bool requests_done = server.WaitIdle(budget);
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  for (auto timer = wiring.timers.rbegin(); timer != wiring.timers.rend(); ++timer) {
    if (timer->stop) {
      timer->stop();
    }
  }
  const bool jobs_done = workers.Stop(std::max(left, std::chrono::milliseconds(0)));
  server.Stop();
  executor.Shutdown();
  ingest_executor.Shutdown();
  spdlog::info("event=stopped requests_drained={} jobs_drained={}", requests_done, jobs_done);
  if (!jobs_done) {
    // Handlers still running cannot be interrupted and must not outlive the objects they use;
    // leave now. Their jobs' leases expire and another process (or the next start) runs them.
    ShutdownLogging();
    std::_Exit(0);
  }
  return 0;
}

}  // namespace opdesk::app
