// Who is who for the Bitrix24 app: install verification and recording, frame sign-in and UI
// sessions. Trust rules (reference bitrix24.md §1.5): an install is trusted only after the
// configured auth server accepted its refresh token with our client secret (which also names the
// portal) and the user proved to be a portal administrator; a frame's AUTH_ID is proven by
// calling `profile` on the portal stored for that member_id, never on a domain taken from the
// request; UI sessions are HMAC tokens bound to tenant, user and scope.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "adapters/http_transport.h"
#include "connector/domain/clock.h"
#include "connector/domain/keyed_rate_limit.h"
#include "connector/http/message.h"
#include "connector/storage/bitrix24_records.h"
#include "connector/storage/database.h"
#include "oauth/bitrix24/token_store.h"
#include "oauth/secret_box.h"
#include "oauth/session_token.h"

namespace opdesk::bitrix24 {

class PortalRateLimiter;

struct SignInOptions {
  long long session_ttl_ms = 15 * 60 * 1000;
  long long profile_cache_ms = 60 * 1000;
  bool allow_insecure = false;  // plain http and loopback portals (tests, sandbox)
  // Sign-ins that must ask the portal (a frame token not seen in the last minute), limited per
  // portal and per client address: a portal's REST budget is 2/s with a burst of 50.
  double signin_rate_per_portal = 2;
  double signin_burst_per_portal = 60;
  double signin_rate_per_client = 1;
  double signin_burst_per_client = 30;
};

// A portal user whose frame token the portal accepted.
struct ProvenUser {
  std::string user_id;
  std::string name;
  bool admin = false;
};

struct Installer {
  std::string tenant_id;
  std::string user_id;
};

// Gives the installing user the Supervisor role, inside the install's own transaction (the
// settings feature owns that rule; the wiring supplies it).
using GrantInstaller = std::function<void(storage::Session& s, const std::string& tenant_id,
                                          const std::string& user_id)>;

class SignIn {
 public:
  SignIn(storage::Database& db, TokenStore& tokens, PortalRateLimiter& limiter,
         adapters::HttpTransport& http, const crypto::SecretBox& box,
         const crypto::SessionTokenSigner& sessions, const Clock& clock,
         GrantInstaller grant_installer, SignInOptions options);

  // Verifies a refresh token with the configured auth server (it must name the claimed portal
  // and, when given, the claimed domain), proves the user is a portal administrator, and records
  // tenant, portal, installer and tokens. Nothing is stored when any check fails.
  Installer RecordInstall(const std::string& claimed_member_id, const std::string& claimed_domain,
                          const std::string& refresh_token, const std::string& application_token,
                          bool from_install_event);
  // ResourceExhausted when the portal or the client asked for too many sign-ins.
  void CheckSignInBudget(const std::string& tenant_id, const std::string& client_address);
  // The user of a frame's AUTH_ID, proven by the stored portal (cached for profile_cache_ms).
  ProvenUser ProveFrameUser(const B24Portal& portal, const std::string& auth_id,
                            const std::string& client_address);
  // Whether `token` is the portal's stored application_token (constant-time compare).
  bool ApplicationTokenMatches(const B24Portal& portal, const std::string& token) const;

  // A UI session for the user; scope "install" (the install page's first setup) or "frame".
  std::string IssueSession(const std::string& tenant_id, const std::string& user_id,
                           const std::string& scope) const;
  // When a session issued now expires.
  EpochMs SessionExpiresAtMs() const { return clock_.NowMs() + options_.session_ttl_ms; }
  // The claims of the request's UI session (Authorization: Bearer …); Unauthenticated otherwise.
  // Only frame sessions pass, unless `install_allowed` (the first setup from the install page).
  crypto::SessionClaims RequireSession(const http::Request& request,
                                       bool install_allowed = false) const;

 private:
  struct CachedProof {
    ProvenUser user;
    EpochMs expires_at_ms = 0;
  };

  storage::Database& db_;
  TokenStore& tokens_;
  PortalRateLimiter& limiter_;
  adapters::HttpTransport& http_;
  const crypto::SecretBox& box_;
  const crypto::SessionTokenSigner& sessions_;
  const Clock& clock_;
  GrantInstaller grant_installer_;
  SignInOptions options_;
  KeyedRateLimit signins_per_portal_;
  KeyedRateLimit signins_per_client_;
  std::mutex cache_mu_;
  std::map<std::string, CachedProof> proofs_;  // guarded by cache_mu_; key: sha256(AUTH_ID)
};

}  // namespace opdesk::bitrix24
