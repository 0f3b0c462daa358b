// The Bitrix24 marketplace app: installation (install page and install callback), portal events,
// frame sign-in for the app page and the CALL_CARD placement, UI sessions and the portal setup.
// Trust rules (reference bitrix24.md §1.5): an install is trusted only after the auth server
// accepted its refresh token with our client secret (which also names the portal); events must
// carry the portal's application_token; a frame's AUTH_ID is proven by calling `profile` on the
// portal stored for that member_id, never on a domain taken from the request.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/bitrix24/rest_client.h"
#include "connector/domain/keyed_rate_limit.h"
#include "connector/http/guard.h"
#include "connector/http/message.h"
#include "connector/jobs/worker_pool.h"
#include "connector/settings/service.h"
#include "connector/storage/bitrix24_records.h"
#include "oauth/session_token.h"

namespace opdesk::bitrix24 {

struct AppOptions {
  std::string public_url;  // no trailing slash
  std::string frame_sdk_url = "https://api.bitrix24.com/api/v1/";
  long long session_ttl_ms = 15 * 60 * 1000;
  long long profile_cache_ms = 60 * 1000;
  // The built front end (settings-ui/dist); the call card's shell is its callcard.html.
  std::string ui_dist_dir;
  bool allow_insecure = false;  // plain http and loopback portals (tests, sandbox)
  // Sign-ins that must ask the portal (a frame token not seen in the last minute), limited per
  // portal and per client address: a portal's REST budget is 2/s with a burst of 50.
  double signin_rate_per_portal = 2;
  double signin_burst_per_portal = 60;
  double signin_rate_per_client = 1;
  double signin_burst_per_client = 30;
};

struct SetupStep {
  std::string name;  // e.g. "event.ONAPPUNINSTALL"
  bool done = false;
  std::string error;
};

class Bitrix24App {
 public:
  Bitrix24App(storage::Database& db, TokenStore& tokens, RestClient& rest,
              PortalRateLimiter& limiter, adapters::HttpTransport& http,
              const crypto::SecretBox& box, const crypto::SessionTokenSigner& sessions,
              const Clock& clock, settings::SettingsService& settings, AppOptions options);

  http::Response InstallPage(http::Request& request);  // POST /b24/install
  http::Response Frame(http::Request& request);        // POST /b24/app, /b24/callcard
  http::Response Event(http::Request& request);        // POST /b24/events
  // POST /api/b24/setup and GET /api/b24/status: the caller holds a frame session or the install
  // page's own (read-only status, and the first setup, are about the portal itself).
  http::Response Setup(http::Request& request, const http::Caller& caller);
  http::Response Status(const http::Caller& caller);
  http::Response RenewSession(http::Request& request);  // POST /api/session/renew

  // Job handlers (outbox): the install callback's setup, done in the background.
  void RunInstallEventJob(const jobs::Job& job);
  // Binds what is missing; idempotent. Throws only when the portal cannot be reached at all.
  std::vector<SetupStep> RunSetup(const std::string& tenant_id);

  // The claims of the request's UI session (Authorization: Bearer …); Unauthenticated otherwise.
  // Only frame sessions pass, unless `install_allowed` (the first setup from the install page).
  crypto::SessionClaims RequireSession(const http::Request& request,
                                       bool install_allowed = false) const;

  // Set by the wiring so that enqueued jobs start at once in this process.
  void SetWake(std::function<void()> wake) { wake_ = std::move(wake); }

  static constexpr const char* kInstallJob = "b24.install";
  static constexpr const char* kEventJob = "b24.event";

 private:
  struct ProvenUser {
    std::string user_id;
    std::string name;
    bool admin = false;
  };
  struct CachedProof {
    ProvenUser user;
    EpochMs expires_at_ms = 0;
  };

  struct Installer {
    std::string tenant_id;
    std::string user_id;
  };
  // Verifies a refresh token with the configured auth server (it must name the claimed portal
  // and, when given, the claimed domain), proves the user is a portal administrator, and records
  // tenant, portal, installer and tokens. Nothing is stored when any check fails.
  Installer RecordInstall(const std::string& claimed_member_id, const std::string& claimed_domain,
                          const std::string& refresh_token, const std::string& application_token,
                          bool from_install_event);
  // One REST call to `portal` with a token the caller holds (a frame's AUTH_ID, the install's
  // own grant), within the portal's budget. Unauthenticated when the portal refuses the token.
  web::json::value CallWithToken(const B24Portal& portal, const std::string& method,
                                 const std::string& access_token);
  // ResourceExhausted when the portal or the client asked for too many sign-ins.
  void CheckSignInBudget(const std::string& tenant_id, const std::string& client_address);
  ProvenUser ProveFrameUser(const B24Portal& portal, const std::string& auth_id,
                            const std::string& client_address);
  std::string IssueSession(const std::string& tenant_id, const std::string& user_id,
                           const std::string& scope) const;
  bool ApplicationTokenMatches(const B24Portal& portal, const std::string& token) const;
  void Uninstall(const std::string& tenant_id, bool clean);

  storage::Database& db_;
  TokenStore& tokens_;
  RestClient& rest_;
  PortalRateLimiter& limiter_;
  adapters::HttpTransport& http_;
  const crypto::SecretBox& box_;
  const crypto::SessionTokenSigner& sessions_;
  const Clock& clock_;
  settings::SettingsService& settings_;
  AppOptions options_;
  std::function<void()> wake_;
  KeyedRateLimit signins_per_portal_;
  KeyedRateLimit signins_per_client_;
  std::mutex cache_mu_;
  std::map<std::string, CachedProof> proofs_;  // guarded by cache_mu_; key: sha256(AUTH_ID)
};

}  // namespace opdesk::bitrix24
