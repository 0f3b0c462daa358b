// Install, frame sign-in and UI sessions. Events live in app_events.cpp, setup in app_setup.cpp.
#include "webhooks/bitrix24/app_service.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "adapters/url_policy.h"
#include "connector/domain/log_escape.h"
#include "connector/http/error_response.h"
#include "connector/http/static_files.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/crypto.h"
#include "webhooks/bitrix24/callcard_shell.h"
#include "webhooks/bitrix24/pages.h"
#include "webhooks/bitrix24/portal_post.h"

namespace opdesk::bitrix24 {
namespace {

std::string AppTokenContext(const std::string& tenant_id) {
  return "b24-app-token/" + tenant_id;
}

// The path part of public_url ("https://h/opdesk" → "/opdesk"): the pages call the API on their
// own origin, under the same prefix the service is published at.
std::string ApiBase(const std::string& public_url) {
  const std::size_t scheme = public_url.find("://");
  const std::size_t path = public_url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return path == std::string::npos ? "" : public_url.substr(path);
}

}  // namespace

Bitrix24App::Bitrix24App(storage::Database& db, TokenStore& tokens, RestClient& rest,
                         PortalRateLimiter& limiter, adapters::HttpTransport& http,
                         const crypto::SecretBox& box, const crypto::SessionTokenSigner& sessions,
                         const Clock& clock, settings::SettingsService& settings,
                         AppOptions options)
    : db_(db),
      tokens_(tokens),
      rest_(rest),
      limiter_(limiter),
      http_(http),
      box_(box),
      sessions_(sessions),
      clock_(clock),
      settings_(settings),
      options_(std::move(options)),
      signins_per_portal_(clock, options_.signin_rate_per_portal, options_.signin_burst_per_portal),
      signins_per_client_(clock, options_.signin_rate_per_client,
                          options_.signin_burst_per_client) {}

bool Bitrix24App::ApplicationTokenMatches(const B24Portal& portal, const std::string& token) const {
  if (portal.application_token_sealed.empty() || token.empty()) {
    return false;
  }
  return crypto::ConstantTimeEquals(
      box_.Open(portal.application_token_sealed, AppTokenContext(portal.tenant_id)), token);
}

std::string Bitrix24App::IssueSession(const std::string& tenant_id, const std::string& user_id,
                                      const std::string& scope) const {
  crypto::SessionClaims claims;
  claims.tenant_id = tenant_id;
  claims.user_id = user_id;
  claims.scope = scope;
  claims.issued_at_ms = clock_.NowMs();
  claims.expires_at_ms = claims.issued_at_ms + options_.session_ttl_ms;
  return sessions_.Issue(claims);
}

crypto::SessionClaims Bitrix24App::RequireSession(const http::Request& request,
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

void Bitrix24App::CheckSignInBudget(const std::string& tenant_id,
                                    const std::string& client_address) {
  // The client first: one client's refused guesses must not use up the portal's share.
  if (!signins_per_client_.Allow(client_address) || !signins_per_portal_.Allow(tenant_id)) {
    spdlog::warn("event=b24_signin_limited portal={} client={}", LogValue(tenant_id),
                 LogValue(client_address));
    throw ResourceExhausted("too many sign-ins in a short time; try again in a minute");
  }
}

web::json::value Bitrix24App::CallWithToken(const B24Portal& portal, const std::string& method,
                                            const std::string& access_token) {
  const long long wait =
      limiter_.TryReserve(portal.tenant_id, portal.rate_per_s, portal.burst, 2'000);
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
  const adapters::HttpReply reply = http_.Send(call);
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

Bitrix24App::Installer Bitrix24App::RecordInstall(const std::string& claimed_member_id,
                                                  const std::string& claimed_domain,
                                                  const std::string& refresh_token,
                                                  const std::string& application_token,
                                                  bool from_install_event) {
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
  const web::json::value admin = CallWithToken(confirmed, "user.admin", grant.access_token);
  if (!admin.is_boolean() || !admin.as_bool()) {
    // Named by its field, so the install page can tell the user what to do about it.
    throw Error(ErrorCode::kPermissionDenied, "only a portal administrator can install the app",
                "user.admin");
  }
  const web::json::value info = CallWithToken(confirmed, "app.info", grant.access_token);
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
      settings_.GrantInstallerSupervisor(s, tenant_id, grant.user_id);
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

http::Response Bitrix24App::InstallPage(http::Request& request) {
  // The install URL also takes the server-to-server install callback (event=ONAPPINSTALL).
  if (IsEventPost(request.body)) {
    return Event(request);
  }
  const std::string lang = PageLanguage(request.QueryParam("LANG").value_or("ru"));
  FramePost post;
  try {
    post = ParseFramePost(request);
    if (post.refresh_id.empty()) {
      throw InvalidArgument("the install request has no REFRESH_ID");
    }
  } catch (const Error& e) {
    return ErrorPage(400, lang, "error.bad_request", e.what());
  }
  std::optional<B24Portal> known;
  storage::WithSession(db_, [&](storage::Session& s) {
    known = storage::B24PortalRepository::Find(s, post.member_id);
  });
  if (known && known->state != "uninstalled" && !SameDomain(post.domain, known->domain)) {
    spdlog::warn("event=b24_install_refused portal={} reason=domain", known->tenant_id);
    return ErrorPage(403, lang, "error.wrong_domain", "DOMAIN");
  }
  Installer installer;
  try {
    CheckSignInBudget(post.member_id, request.ClientAddress());
    installer = RecordInstall(post.member_id, post.domain, post.refresh_id, post.application_token,
                              /*from_install_event=*/false);
  } catch (const Error& e) {
    spdlog::warn("event=b24_install_refused member_id={} error={}", LogValue(post.member_id),
                 LogQuoted(e.what()));
    switch (e.code()) {
      case ErrorCode::kUnavailable:
      case ErrorCode::kDeadlineExceeded:
        return ErrorPage(503, lang, "error.unavailable", e.what());
      case ErrorCode::kResourceExhausted:
        return ErrorPage(429, lang, "error.too_many", "");
      default:
        break;
    }
    if (e.field() == "user.admin") {
      return ErrorPage(403, lang, "error.not_admin", Text("error.not_admin_hint", lang));
    }
    return ErrorPage(403, lang, "error.forbidden", e.what());
  }
  std::optional<B24Portal> portal;
  storage::WithSession(db_, [&](storage::Session& s) {
    portal = storage::B24PortalRepository::Find(s, installer.tenant_id);
  });
  return bitrix24::InstallPage(FrameOrigin(post, portal->domain), lang,
                               IssueSession(installer.tenant_id, installer.user_id, "install"),
                               options_.frame_sdk_url);
}

Bitrix24App::ProvenUser Bitrix24App::ProveFrameUser(const B24Portal& portal,
                                                    const std::string& auth_id,
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
  const web::json::value r = CallWithToken(portal, "profile", auth_id);
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

http::Response Bitrix24App::Frame(http::Request& request) {
  const std::string lang = PageLanguage(request.QueryParam("LANG").value_or("ru"));
  FramePost post;
  try {
    post = ParseFramePost(request);
  } catch (const Error& e) {
    return ErrorPage(400, lang, "error.bad_request", e.what());
  }
  std::optional<B24Portal> portal;
  storage::WithSession(db_, [&](storage::Session& s) {
    portal = storage::B24PortalRepository::Find(s, post.member_id);
  });
  if (!portal || portal->state == "uninstalled") {
    return ErrorPage(404, lang, "error.not_installed", post.member_id);
  }
  // The frame must come from the installed portal; the request's DOMAIN is never contacted.
  if (!SameDomain(post.domain, portal->domain)) {
    spdlog::warn("event=b24_frame_refused portal={} reason=domain", portal->tenant_id);
    return ErrorPage(403, lang, "error.wrong_domain", "DOMAIN");
  }
  if (!post.application_token.empty() && !portal->application_token_sealed.empty() &&
      !ApplicationTokenMatches(*portal, post.application_token)) {
    spdlog::warn("event=b24_frame_forged portal={} reason=application_token", portal->tenant_id);
    return ErrorPage(403, lang, "error.forbidden", "APPLICATION_TOKEN");
  }
  ProvenUser user;
  try {
    user = ProveFrameUser(*portal, post.auth_id, request.ClientAddress());
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kUnavailable || e.code() == ErrorCode::kDeadlineExceeded) {
      return ErrorPage(503, lang, "error.unavailable", e.what());
    }
    if (e.code() == ErrorCode::kResourceExhausted) {
      return ErrorPage(429, lang, "error.too_many", "");
    }
    spdlog::warn("event=b24_frame_refused portal={} error={}", portal->tenant_id,
                 LogQuoted(e.what()));
    return ErrorPage(403, lang, "error.forbidden", "AUTH_ID");
  }
  if (!post.refresh_id.empty()) {
    // Background work acts with this user's own rights and authorship.
    TokenGrant grant;
    grant.access_token = post.auth_id;
    grant.refresh_token = post.refresh_id;
    grant.expires_in_s = post.auth_expires_s;
    tokens_.Save(portal->tenant_id, user.user_id, grant);
  }
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(db_, [&](storage::Session& s) {
    User u = storage::UserRepository::Find(s, portal->tenant_id, user.user_id).value_or(User{});
    if (u.user_id.empty()) {
      u.tenant_id = portal->tenant_id;
      u.user_id = user.user_id;
      u.created_at_ms = now;
    }
    u.name = user.name;
    u.updated_at_ms = now;
    storage::UserRepository::Upsert(s, u);
  });
  if (request.path == "/b24/callcard") {
    ShellBootstrap bootstrap;
    bootstrap.session = IssueSession(portal->tenant_id, user.user_id, "frame");
    bootstrap.session_expires_at_ms = clock_.NowMs() + options_.session_ttl_ms;
    bootstrap.lang = lang;
    bootstrap.placement = "CALL_CARD";
    bootstrap.placement_options = post.placement_options;
    bootstrap.api_base = ApiBase(options_.public_url);
    bootstrap.member_id = portal->tenant_id;
    bootstrap.user_id = user.user_id;
    bootstrap.user_name = user.name;
    bootstrap.frame_sdk_url = options_.frame_sdk_url;
    return CallCardShell(http::StaticFiles(options_.ui_dist_dir).Read("callcard.html"),
                         FrameOrigin(post, portal->domain), bootstrap);
  }
  const std::string placement = post.placement.empty() ? "DEFAULT" : post.placement;
  return FrameSignedInPage(FrameOrigin(post, portal->domain), lang,
                           IssueSession(portal->tenant_id, user.user_id, "frame"), placement,
                           user.name, portal->needs_reauth);
}

http::Response Bitrix24App::RenewSession(http::Request& request) {
  web::json::value body;
  try {
    body = web::json::value::parse(request.body);
  } catch (const std::exception&) {
    throw InvalidArgument("the body must be JSON", "body");
  }
  auto field = [&](const char* name) {
    if (!body.is_object() || !body.has_field(name) || !body.at(name).is_string() ||
        body.at(name).as_string().empty()) {
      throw InvalidArgument(std::string(name) + " is required", name);
    }
    return body.at(name).as_string();
  };
  const std::string member_id = field("member_id");
  const std::string auth_id = field("auth_id");
  std::optional<B24Portal> portal;
  storage::WithSession(
      db_, [&](storage::Session& s) { portal = storage::B24PortalRepository::Find(s, member_id); });
  if (!portal || portal->state == "uninstalled") {
    throw NotFound("the app is not installed on portal " + member_id);
  }
  ProvenUser user = ProveFrameUser(*portal, auth_id, request.ClientAddress());
  const std::string session = IssueSession(portal->tenant_id, user.user_id, "frame");
  return http::Response::Json(200,
                              "{\"session\":" + http::JsonQuote(session) + ",\"expires_at_ms\":" +
                                  std::to_string(clock_.NowMs() + options_.session_ttl_ms) + "}");
}

http::Response Bitrix24App::Status(http::Request& request) {
  // Read-only and about the portal itself: the install page may ask too.
  const crypto::SessionClaims claims = RequireSession(request, /*install_allowed=*/true);
  std::optional<B24Portal> portal;
  storage::WithSession(db_, [&](storage::Session& s) {
    portal = storage::B24PortalRepository::Find(s, claims.tenant_id);
  });
  if (!portal) {
    throw NotFound("no portal for this session");
  }
  return http::Response::Json(
      200, "{\"tenant_id\":" + http::JsonQuote(portal->tenant_id) + ",\"domain\":" +
               http::JsonQuote(portal->domain) + ",\"state\":" + http::JsonQuote(portal->state) +
               ",\"needs_reauth\":" + (portal->needs_reauth ? "true" : "false") +
               ",\"app_status\":" + http::JsonQuote(portal->app_status) +
               ",\"setup_done_at_ms\":" + std::to_string(portal->setup_done_at_ms) + "}");
}

}  // namespace opdesk::bitrix24
