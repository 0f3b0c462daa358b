#include "connector/app/service.h"

#include <cpprest/json.h>
#include <utility>  // boost/asio/awaitable.hpp (via pplx) needs std::exchange

#include <pplx/threadpool.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>

#include "adapters/bitrix24/crm_card.h"
#include "adapters/bitrix24/crm_directory.h"
#include "adapters/bitrix24/rest_client.h"
#include "adapters/url_policy.h"
#include "connector/app/admin_auth.h"
#include "connector/app/logging.h"
#include "connector/app/plan_admin_routes.h"
#include "connector/app/plan_commands.h"
#include "connector/app/plan_timer.h"
#include "connector/app/portal_admin_routes.h"
#include "connector/app/system_routes.h"
#include "connector/app/ui_dist.h"
#include "connector/callcard/api.h"
#include "connector/callcard/button_actions.h"
#include "connector/calls/call_pipeline.h"
#include "connector/calls/click_to_call.h"
#include "connector/calls/client_creator.h"
#include "connector/calls/crm_callback.h"
#include "connector/calls/directory_sync.h"
#include "connector/calls/employee_resolver.h"
#include "connector/domain/error.h"
#include "connector/http/server.h"
#include "connector/http/static_files.h"
#include "connector/jobs/worker_pool.h"
#include "connector/settings/api.h"
#include "connector/settings/integration_api.h"
#include "connector/settings/mango_api.h"
#include "connector/settings/service.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/migrations.h"
#include "oauth/master_key.h"
#include "oauth/secret_box.h"
#include "oauth/session_token.h"
#include "webhooks/bitrix24/routes.h"
#include "webhooks/mango/routes.h"

namespace opdesk::app {

int Serve(const Config& config) {
  // cpprestsdk's shared pool defaults to 40 threads, which only hurts tail latency on a small
  // machine. It must be sized before any listener or client exists; handlers never block it.
  crossplat::threadpool::initialize_with_threads(static_cast<std::size_t>(config.http.threads));
  SystemClock clock;
  // Configured endpoints obey the same rules as every URL opdesk fetches; say so at start, not at
  // the first install.
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
      return 2;
    }
  }
  // The key must exist before the first secret is written; creating it at start also fails fast
  // on a read-only data directory.
  const crypto::MasterKeys keys =
      crypto::LoadMasterKeys(config.crypto.master_key_file, config.crypto.old_master_key_files);

  storage::DatabaseOptions db_options;
  db_options.url = config.database.url;
  db_options.pool_size = config.database.pool_size;
  storage::Database db(db_options);

  const storage::SchemaStatus schema = storage::ReadSchemaStatus(db);
  if (schema.too_new()) {
    spdlog::critical("event=schema_too_new current={} known={} hint=\"upgrade opdesk\"",
                     schema.current, schema.latest);
    return 1;
  }
  if (!schema.up_to_date()) {
    spdlog::critical("event=schema_behind current={} latest={} hint=\"run: opdesk migrate\"",
                     schema.current, schema.latest);
    return 1;
  }

  jobs::WorkerPoolOptions job_options;
  job_options.workers = config.jobs.workers;
  job_options.max_attempts = config.jobs.max_attempts;
  job_options.lease_ms = config.jobs.lease_seconds * 1000LL;
  job_options.poll_interval_ms = config.jobs.poll_interval_ms;
  job_options.backoff_base_ms = config.jobs.backoff_base_ms;
  job_options.backoff_max_ms = config.jobs.backoff_max_ms;
  job_options.retention_ms = config.jobs.retention_hours * 3600LL * 1000;
  job_options.dead_retention_ms = config.jobs.dead_retention_days * 86'400'000LL;
  job_options.events_retention_ms = config.retention.events_days * 86'400'000LL;
  jobs::WorkerPool workers(db, clock, job_options);

  const crypto::SecretBox box(keys.current, keys.older);
  const crypto::SessionTokenSigner sessions(keys.current, keys.older);
  adapters::HttpTransport http_out({config.allow_insecure_endpoints, 16, "opdesk/" OPDESK_VERSION});
  bitrix24::PortalRateLimiter b24_limiter(clock);
  bitrix24::TokenStore b24_tokens(db, box, clock, http_out,
                                  {config.bitrix24.client_id, config.bitrix24.client_secret,
                                   config.bitrix24.oauth_url, config.allow_insecure_endpoints});
  bitrix24::RestClient b24_rest(db, b24_tokens, b24_limiter, http_out, clock);
  const std::string ui_dist_dir =
      ResolveUiDistDir(config.ui.dist_dir, ExecutablePath(), OPDESK_SOURCE_DIR);
  const http::StaticFiles ui_files(ui_dist_dir);
  settings::Bitrix24Directory crm_directory(b24_rest);
  settings::SettingsOptions settings_options;
  settings_options.plans = PlansFromConfig(config);
  settings::SettingsService settings(db, clock, &crm_directory, settings_options,
                                     settings::SystemRandomPick());
  PlanLapseTimer plan_timer(settings, std::chrono::seconds(config.plans.check_interval_seconds));
  bitrix24::AppOptions b24_options;
  b24_options.public_url = config.public_url;
  b24_options.frame_sdk_url = config.bitrix24.frame_sdk_url;
  b24_options.ui_dist_dir = ui_dist_dir;
  b24_options.allow_insecure = config.allow_insecure_endpoints;
  bitrix24::Bitrix24App b24(db, b24_tokens, b24_rest, b24_limiter, http_out, box, sessions, clock,
                            settings, b24_options);
  workers.Register(bitrix24::Bitrix24App::kInstallJob,
                   [&b24](const jobs::Job& job) { b24.RunInstallEventJob(job); });
  b24.SetWake([&workers] { workers.Wake(); });

  mango::MangoWebhooks mango_webhooks(db, box, clock);
  mango_webhooks.SetWake([&workers] { workers.Wake(); });
  mango::CommandClient mango_commands(db, box, clock, http_out, config.mango.api_url);
  mango::EmployeeResolver employees(db, b24_rest, clock);
  mango::CallPipeline calls(db, b24_rest, mango_commands, employees, clock);
  workers.Register(mango::kRegisterJob, [&calls](const jobs::Job& j) { calls.Register(j); });
  workers.Register(mango::kShowJob, [&calls](const jobs::Job& j) { calls.Show(j); });
  workers.Register(mango::kHideJob, [&calls](const jobs::Job& j) { calls.Hide(j); });
  workers.Register(mango::kFinishJob, [&calls](const jobs::Job& j) { calls.Finish(j); });
  workers.Register(mango::kRecordJob, [&calls](const jobs::Job& j) { calls.AttachRecord(j); });
  mango::ClientCreator clients(db, b24_rest, employees, clock);
  workers.Register(mango::kCreateClientJob, [&clients](const jobs::Job& j) { clients.Run(j); });
  mango::CrmCallbacks crm_callbacks(db, b24_rest, mango_commands, employees, clock);
  mango::ClickToCall click_to_call(db, b24_rest, mango_commands, employees, crm_callbacks, clock);
  workers.Register(bitrix24::Bitrix24App::kEventJob,
                   [&click_to_call](const jobs::Job& j) { click_to_call.HandlePortalEvent(j); });
  workers.Register(mango::kCommandResultJob,
                   [&click_to_call](const jobs::Job& j) { click_to_call.HandleCommandResult(j); });
  const EpochMs directory_refresh_ms = config.mango.directory_refresh_seconds * 1000LL;
  mango::DirectorySync directory(db, b24_rest, mango_commands, clock, directory_refresh_ms);
  workers.Register(mango::kDirectorySyncJob,
                   [&directory](const jobs::Job& j) { directory.Run(j); });
  bitrix24::CrmCard crm_card(b24_rest, clock);
  callcard::ButtonActionRunner button_actions(db, b24_rest, clock);
  workers.Register(callcard::kActionJob,
                   [&button_actions](const jobs::Job& j) { button_actions.Run(j); });
  callcard::CallcardApi callcard_api(
      db, clock, settings, crm_card, b24_rest,
      [&b24](const http::Request& r) { return b24.RequireSession(r); });
  callcard_api.SetWake([&workers] { workers.Wake(); });

  http::Metrics metrics;
  AddStorageMetrics(metrics, db);
  http::Router router;
  http::BlockingExecutor executor(config.database.pool_size, 10'000, "http");
  // The PBX's webhooks get threads of their own: a page or API handler waiting on a slow portal
  // must never delay another tenant's call events (they only touch the database).
  http::BlockingExecutor ingest_executor(std::max(2, config.database.pool_size / 2), 10'000,
                                         "ingest");
  http::ServerOptions server_options;
  server_options.host = config.listen.host;
  server_options.port = config.listen.port;
  server_options.default_max_body_bytes = static_cast<std::size_t>(config.http.max_body_bytes);
  http::HttpServer server(server_options, router, executor, metrics, &ingest_executor);
  AddSystemRoutes(
      router, {db, clock, metrics, config.admin.token, [&server] { return server.draining(); }});
  bitrix24::AddRoutes(router, b24);
  http::AddStaticRoutes(router, ui_files);
  AddPortalAdminRoutes(router, db, clock, config.admin.token);
  mango::AddRoutes(router, mango_webhooks);
  auto require_session = [&b24](const http::Request& r) { return b24.RequireSession(r); };
  mango::AddIntegrationSettingsRoutes(router, db, clock, b24_rest, settings, require_session);
  mango::AddMangoSettingsRoutes(
      router,
      {db, clock, box, b24_rest, config.public_url, directory_refresh_ms, require_session,
       [&workers] { workers.Wake(); },
       [&mango_webhooks](const std::string& tenant_id) { mango_webhooks.Forget(tenant_id); }});
  settings::AddSettingsRoutes(router, settings, require_session);
  AddPlanAdminRoutes(router, settings, config.admin.token);
  callcard::AddCallcardRoutes(router, callcard_api);
  // The route table itself, for the vendor and for the security suite that walks every route.
  router.Add("GET", "/api/admin/routes", [&router, &config](http::Request& r) {
    RequireAdmin(r, config.admin.token);
    std::string body = "{\"routes\":[";
    for (std::size_t i = 0; i < router.routes().size(); ++i) {
      const http::Route& route = *router.routes()[i];
      body += std::string(i ? "," : "") + "{\"method\":" + http::JsonQuote(route.method) +
              ",\"pattern\":" + http::JsonQuote(route.pattern) + "}";
    }
    return http::Response::Json(200, body + "]}");
  });
  metrics.AddProvider([&db, &b24_tokens](std::string& out) {
    std::map<std::string, long long> states;
    long long reauth = 0;
    try {
      storage::WithSession(db, [&](storage::Session& s) {
        for (const B24Portal& p : storage::B24PortalRepository::List(s)) {
          ++states[p.state];
          reauth += p.needs_reauth ? 1 : 0;
        }
      });
    } catch (const std::exception&) {
      return;  // opdesk_db_up reports the outage
    }
    out += "# HELP opdesk_b24_portals Connected Bitrix24 portals by state.\n";
    out += "# TYPE opdesk_b24_portals gauge\n";
    for (const char* state : {"installing", "installed", "uninstalled"}) {
      out += std::string("opdesk_b24_portals{state=\"") + state + "\"} " +
             std::to_string(states[state]) + "\n";
    }
    out +=
        "# HELP opdesk_b24_portals_needing_reauth Portals whose tokens the auth server refused.\n";
    out += "# TYPE opdesk_b24_portals_needing_reauth gauge\n";
    out += "opdesk_b24_portals_needing_reauth " + std::to_string(reauth) + "\n";
    out += "# HELP opdesk_b24_token_refreshes_total Token refreshes sent to the auth server.\n";
    out += "# TYPE opdesk_b24_token_refreshes_total counter\n";
    out += "opdesk_b24_token_refreshes_total " + std::to_string(b24_tokens.refreshes()) + "\n";
    out += "# HELP opdesk_b24_invalid_grants_total Refreshes the auth server refused.\n";
    out += "# TYPE opdesk_b24_invalid_grants_total counter\n";
    out += "opdesk_b24_invalid_grants_total " + std::to_string(b24_tokens.invalid_grants()) + "\n";
  });

  // Keeps every connected VPBX's employee directory fresh (idempotent across restarts).
  directory.SchedulePeriodic();
  server.Start();
  workers.Start();
  plan_timer.Start();
  spdlog::info("event=started listen={}:{} public_url={} database={} workers={} ui={}{}",
               config.listen.host, config.listen.port, config.public_url,
               MaskDatabaseUrl(config.database.url), config.jobs.workers, ui_dist_dir,
               ui_files.Read("callcard.html") ? "" : " (missing: the call card answers 503)");

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
  plan_timer.Stop();
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
