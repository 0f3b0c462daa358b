// Install verification and recording, frame sign-in and UI sessions (sign_in.h).
#include "oauth/bitrix24/sign_in.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "adapters/bitrix24/rate_limiter.h"
#include "adapters/url_policy.h"
#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/bitrix24/domain_names.h"
#include "oauth/crypto.h"

namespace opdesk::bitrix24 {
namespace {

std::string AppTokenContext(const std::string& tenant_id) {
  return "b24-app-token/" + tenant_id;
}

// One REST call to `portal` with a token the caller holds (a frame's AUTH_ID, the install's own
// grant), within the portal's budget. Unauthenticated when the portal refuses the token.
web::json::value CallWithToken(PortalRateLimiter& limiter, adapters::HttpTransport& http,
                               const B24Portal& portal, const std::string& method,
                               const std::string& access_token) {
  const long long wait =
      limiter.TryReserve(portal.tenant_id, portal.rate_per_s, portal.burst, 2'000);
  if (wait < 0) {
    throw ResourceExhausted("the portal's request budget is used up; try again shortly");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  adapters::HttpCall call;
  call.method = "POST";
  // A stored or auth-server-confirmed endpoint, never one a request names.
  call.url = portal.client_endpoint + method;
  call.body = "{\"auth\":" + http::JsonQuote(access_token) + "}";
  call.content_type = "application/json; charset=utf-8";
  call.timeout = std::chrono::seconds(10);
  const adapters::HttpReply reply = http.Send(call);
  web::json::value json;
  try {
    json = web::json::value::parse(reply.body);
  } catch (const std::exception&) {
    throw Unavailable("the portal answered " + method + " with something that is not JSON");
  }
  if (reply.status == 200 && json.is_object() && json.has_field("result")) {
    return json.at("result");
  }
  if (reply.status >= 500) {
    throw Unavailable("the portal could not answer " + method + " (HTTP " +
                      std::to_string(reply.status) + ")");
  }
  throw Unauthenticated("the portal did not accept the token for " + method + " (HTTP " +
                        std::to_string(reply.status) + ")");
}

}  // namespace

SignIn::SignIn(storage::Database& db, TokenStore& tokens, PortalRateLimiter& limiter,
               adapters::HttpTransport& http, const crypto::SecretBox& box,
               const crypto::SessionTokenSigner& sessions, const Clock& clock,
               GrantInstaller grant_installer, SignInOptions options)
    : db_(db),
      tokens_(tokens),
      limiter_(limiter),
      http_(http),
      box_(box),
      sessions_(sessions),
      clock_(clock),
      grant_installer_(std::move(grant_installer)),
      options_(std::move(options)),
      signins_per_portal_(clock, options_.signin_rate_per_portal, options_.signin_burst_per_portal),
      signins_per_client_(clock, options_.signin_rate_per_client,
                          options_.signin_burst_per_client) {}

bool SignIn::ApplicationTokenMatches(const B24Portal& portal, const std::string& token) const {
  if (portal.application_token_sealed.empty() || token.empty()) {
    return false;
  }
  return crypto::ConstantTimeEquals(
      box_.Open(portal.application_token_sealed, AppTokenContext(portal.tenant_id)), token);
}

std::string SignIn::IssueSession(const std::string& tenant_id, const std::string& user_id,
                                 const std::string& scope) const {
  crypto::SessionClaims claims;
  claims.tenant_id = tenant_id;
  claims.user_id = user_id;
  claims.scope = scope;
  claims.issued_at_ms = clock_.NowMs();
  claims.expires_at_ms = claims.issued_at_ms + options_.session_ttl_ms;
  return sessions_.Issue(claims);
}

crypto::SessionClaims SignIn::RequireSession(const http::Request& request,
                                             bool install_allowed) const {
  const std::string header = request.Header("Authorization");
  const std::string prefix = "Bearer ";
  if (header.rfind(prefix, 0) != 0) {
    throw Unauthenticated("send Authorization: Bearer <session token>");
  }
  crypto::SessionClaims claims = sessions_.Verify(header.substr(prefix.size()), clock_.NowMs());
  // The install page's session only runs the first setup; everything else needs a frame's.
  if (claims.scope != "frame" && !(install_allowed && claims.scope == "install")) {
    throw PermissionDenied("this session may not be used here (scope " + claims.scope + ")");
  }
  return claims;
}

void SignIn::CheckSignInBudget(const std::string& tenant_id, const std::string& client_address) {
  // The client first: one client's refused guesses must not use up the portal's share.
  if (!signins_per_client_.Allow(client_address) || !signins_per_portal_.Allow(tenant_id)) {
    spdlog::warn("event=b24_signin_limited portal={} client={}", LogValue(tenant_id),
                 LogValue(client_address));
    throw ResourceExhausted("too many sign-ins in a short time; try again in a minute");
  }
}

Installer SignIn::RecordInstall(const std::string& claimed_member_id,
                                const std::string& claimed_domain, const std::string& refresh_token,
                                const std::string& application_token, bool from_install_event) {
  // The configured auth server answers only for tokens issued to our app, and names the portal
  // and user they belong to; nothing the request says is used before this.
  TokenGrant grant = tokens_.Exchange(refresh_token);
  if (grant.member_id.empty() || grant.member_id != claimed_member_id) {
    throw PermissionDenied("the token belongs to another portal than the request claims");
  }
  if (grant.user_id.empty() || !grant.client_endpoint.ends_with("rest/")) {
    throw Unavailable("the auth server's answer lacks the portal endpoint or the user");
  }
  try {
    adapters::CheckOutboundUrl(grant.client_endpoint, options_.allow_insecure);
  } catch (const Error& e) {
    throw PermissionDenied(std::string("the portal endpoint is refused: ") + e.what());
  }
  const std::string tenant_id = grant.member_id;
  const std::string domain = HostOfEndpoint(grant.client_endpoint);
  if (!claimed_domain.empty() && !SameDomain(claimed_domain, domain)) {
    throw PermissionDenied("the request's DOMAIN is not the portal the token belongs to");
  }
  // Bitrix24 hands every user who opens the app a refresh token: only an administrator's may
  // install (or reinstall) it, or any employee could make themselves its Supervisor.
  // The portal is not stored yet: its endpoint is the auth server's word, its budget the default.
  B24Portal confirmed;
  confirmed.tenant_id = tenant_id;
  confirmed.client_endpoint = grant.client_endpoint;
  const web::json::value admin =
      CallWithToken(limiter_, http_, confirmed, "user.admin", grant.access_token);
  if (!admin.is_boolean() || !admin.as_bool()) {
    // Named by its field, so the install page can tell the user what to do about it.
    throw Error(ErrorCode::kPermissionDenied, "only a portal administrator can install the app",
                "user.admin");
  }
  const web::json::value info =
      CallWithToken(limiter_, http_, confirmed, "app.info", grant.access_token);
  const bool installed_on_portal =
      info.is_object() && info.has_field("INSTALLED") &&
      ((info.at("INSTALLED").is_boolean() && info.at("INSTALLED").as_bool()) ||
       (info.at("INSTALLED").is_string() && info.at("INSTALLED").as_string() == "Y"));
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(db_, [&](storage::Session& s) {
    Tenant tenant = storage::TenantRepository::Find(s, tenant_id).value_or(Tenant{});
    if (tenant.id.empty()) {
      tenant.id = tenant_id;
      tenant.kind = TenantKind::kBitrix24;
      tenant.created_at_ms = now;
    }
    tenant.domain = domain;
    tenant.updated_at_ms = now;
    storage::TenantRepository::Upsert(s, tenant);

    B24Portal portal = storage::B24PortalRepository::Find(s, tenant_id).value_or(B24Portal{});
    const bool fresh = portal.tenant_id.empty() || portal.state == "uninstalled";
    if (portal.tenant_id.empty()) {
      portal.tenant_id = tenant_id;
      portal.created_at_ms = now;
    }
    portal.domain = domain;
    portal.client_endpoint = grant.client_endpoint;
    portal.server_endpoint = grant.server_endpoint;
    portal.scopes = grant.scope;
    portal.app_status = grant.status;
    portal.needs_reauth = false;
    if (fresh) {
      portal.state = "installing";
      portal.installer_user_id = grant.user_id;
      portal.setup_done_at_ms = 0;
    }
    // The application_token proves later events. A verified ONAPPINSTALL always sets it; a frame
    // field only while the wizard runs (the portal says the app is not installed yet) or while
    // none is known; ONAPPINSTALL then confirms or replaces it.
    const bool take_token = from_install_event || fresh || !installed_on_portal ||
                            portal.application_token_sealed.empty();
    if (!application_token.empty() && take_token) {
      portal.application_token_sealed = box_.Seal(application_token, AppTokenContext(tenant_id));
    }
    portal.updated_at_ms = now;
    storage::B24PortalRepository::Upsert(s, portal);

    User installer = storage::UserRepository::Find(s, tenant_id, grant.user_id).value_or(User{});
    if (installer.user_id.empty()) {
      installer.tenant_id = tenant_id;
      installer.user_id = grant.user_id;
      installer.created_at_ms = now;
    }
    installer.updated_at_ms = now;
    storage::UserRepository::Upsert(s, installer);
    if (portal.installer_user_id == grant.user_id) {
      grant_installer_(s, tenant_id, grant.user_id);
    }

    AuditEntry audit =
        MakeAuditEntry(tenant_id, "user:" + grant.user_id, fresh ? "app.install" : "app.reinstall",
                       "portal", tenant_id, now);
    audit.after_json = "{\"domain\":" + http::JsonQuote(domain) + "}";
    storage::AuditLogRepository::Append(s, audit);
  });
  tokens_.Save(tenant_id, grant.user_id, grant);
  spdlog::info("event=b24_install_recorded portal={} domain={} user={} via={}", tenant_id, domain,
               grant.user_id, from_install_event ? "event" : "wizard");
  return {tenant_id, grant.user_id};
}

ProvenUser SignIn::ProveFrameUser(const B24Portal& portal, const std::string& auth_id,
                                  const std::string& client_address) {
  const std::string key = crypto::Sha256Hex(portal.tenant_id + "\n" + auth_id);
  {
    std::lock_guard lock(cache_mu_);
    auto it = proofs_.find(key);
    if (it != proofs_.end() && it->second.expires_at_ms > clock_.NowMs()) {
      return it->second.user;
    }
  }
  // Only a cache miss costs a request to the portal: those are limited per portal and per
  // client, so whoever knows a member_id cannot spend the portal's budget or hold our threads.
  CheckSignInBudget(portal.tenant_id, client_address);
  const web::json::value r = CallWithToken(limiter_, http_, portal, "profile", auth_id);
  if (!r.is_object() || !r.has_field("ID")) {
    throw Unauthenticated("the portal did not accept the frame token");
  }
  ProvenUser user;
  const web::json::value& id = r.at("ID");
  user.user_id = id.is_string() ? id.as_string() : std::to_string(id.as_number().to_int64());
  auto str = [&](const char* k) {
    return r.has_field(k) && r.at(k).is_string() ? r.at(k).as_string() : std::string();
  };
  user.name = str("NAME") + (str("LAST_NAME").empty() ? "" : " " + str("LAST_NAME"));
  user.admin = r.has_field("ADMIN") && r.at("ADMIN").is_boolean() && r.at("ADMIN").as_bool();
  std::lock_guard lock(cache_mu_);
  if (proofs_.size() > 10'000) {
    proofs_.clear();  // crude bound; proofs are cheap to redo
  }
  proofs_[key] = {user, clock_.NowMs() + options_.profile_cache_ms};
  return user;
}

}  // namespace opdesk::bitrix24
