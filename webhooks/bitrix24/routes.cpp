#include "webhooks/bitrix24/routes.h"

#include <map>

#include "connector/app/wiring.h"
#include "connector/domain/error.h"
#include "connector/settings/service.h"
#include "connector/storage/bitrix24_repositories.h"
#include "webhooks/bitrix24/app_service.h"

namespace opdesk::bitrix24 {
namespace {

void AddRoutes(http::Router& router, Bitrix24App& app) {
  // Frames and events are small forms; anything large is not from a portal.
  const http::RouteOptions form{64 * 1024};
  const http::RouteOptions small{8 * 1024};
  // The portal's POSTs prove themselves (the install's grant, the application_token, the frame's
  // AUTH_ID), so their routes carry no guard.
  router.Add(
      "POST", "/b24/install", [&app](http::Request& r) { return app.InstallPage(r); }, form);
  router.Add(
      "POST", "/b24/app", [&app](http::Request& r) { return app.Frame(r); }, form);
  router.Add(
      "POST", "/b24/callcard", [&app](http::Request& r) { return app.Frame(r); }, form);
  router.Add(
      "POST", "/b24/events", [&app](http::Request& r) { return app.Event(r); }, form);
  router.Add(
      "POST", "/api/b24/setup", http::Guard::kInstallSession,
      [&app](http::Request& r, const http::Caller& c) { return app.Setup(r, c); }, small);
  router.Add("GET", "/api/b24/status", http::Guard::kInstallSession,
             [&app](http::Request&, const http::Caller& c) { return app.Status(c); });
  router.Add(
      "POST", "/api/session/renew", [&app](http::Request& r) { return app.RenewSession(r); },
      small);
}

void AddPortalMetrics(http::Metrics& metrics, storage::Database& db, TokenStore& tokens) {
  metrics.AddProvider([&db, &tokens](std::string& out) {
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
    out += "opdesk_b24_token_refreshes_total " + std::to_string(tokens.refreshes()) + "\n";
    out += "# HELP opdesk_b24_invalid_grants_total Refreshes the auth server refused.\n";
    out += "# TYPE opdesk_b24_invalid_grants_total counter\n";
    out += "opdesk_b24_invalid_grants_total " + std::to_string(tokens.invalid_grants()) + "\n";
  });
}

}  // namespace

void Install(app::Wiring& w) {
  if (w.settings == nullptr) {
    throw Internal("bitrix24::Install needs the settings service");
  }
  // The installer holds the Supervisor role (the settings feature's rule), at install and setup.
  settings::SettingsService* settings = w.settings;
  const GrantInstaller grant_installer =
      [settings](storage::Session& s, const std::string& tenant_id, const std::string& user_id) {
        settings->GrantInstallerSupervisor(s, tenant_id, user_id);
      };
  SignInOptions sign_in_options;
  sign_in_options.allow_insecure = w.config.allow_insecure_endpoints;
  auto& sign_in = w.Make<SignIn>(w.db, w.b24_tokens, w.b24_limiter, w.http_out, w.box, w.sessions,
                                 w.clock, grant_installer, sign_in_options);
  w.b24_sign_in = &sign_in;
  auto& setup =
      w.Make<PortalSetup>(w.db, w.b24_rest, w.clock, grant_installer, w.config.public_url);

  AppOptions options;
  options.public_url = w.config.public_url;
  options.frame_sdk_url = w.config.bitrix24.frame_sdk_url;
  options.ui_dist_dir = w.ui_dist_dir;
  options.uninstall_purge_after_ms = w.config.bitrix24.uninstall_purge_after_ms;
  auto& app =
      w.Make<Bitrix24App>(w.db, w.b24_tokens, sign_in, setup, w.box, w.clock, *w.settings, options);
  app.SetWake(w.Wake());
  w.workers.Register(kInstallJob, [&app](const jobs::Job& job, const InstallJob& install) {
    app.RunInstallEventJob(job, install);
  });
  w.workers.Register(kPurgeJob, [&app](const jobs::Job& job, const PurgeJob& purge) {
    app.RunPurgeJob(job, purge);
  });
  AddRoutes(w.router, app);
  AddPortalMetrics(w.metrics, w.db, w.b24_tokens);
}

}  // namespace opdesk::bitrix24
