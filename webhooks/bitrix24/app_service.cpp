// Install, frame sign-in and UI sessions. Events live in app_events.cpp, setup in app_setup.cpp.
#include "webhooks/bitrix24/app_service.h"

#include <spdlog/spdlog.h>

#include <thread>

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
      options_(std::move(options)) {}

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

crypto::SessionClaims Bitrix24App::RequireSession(const http::Request& request) const {
  const std::string header = request.Header("Authorization");
  const std::string prefix = "Bearer ";
  if (header.rfind(prefix, 0) != 0) {
    throw Unauthenticated("send Authorization: Bearer <session token>");
  }
  return sessions_.Verify(header.substr(prefix.size()), clock_.NowMs());
}

void Bitrix24App::RecordInstall(const TokenGrant& claimed, const std::string& application_token,
                                const std::string& refresh_token,
                                const std::string& server_endpoint) {
  // The auth server answers only for tokens issued to our app, and names the portal they belong
  // to; nothing the request says about the portal is trusted before this.
  TokenGrant grant = tokens_.Exchange(server_endpoint, refresh_token);
  if (grant.member_id.empty() || grant.member_id != claimed.member_id) {
    throw PermissionDenied("the token belongs to another portal than the request claims");
  }
  if (grant.client_endpoint.rfind("http", 0) != 0 || grant.user_id.empty()) {
    throw Unavailable("the auth server's answer lacks the portal endpoint or the user");
  }
  const std::string tenant_id = grant.member_id;
  const std::string domain = HostOfEndpoint(grant.client_endpoint);
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
    portal.server_endpoint =
        grant.server_endpoint.empty() ? server_endpoint : grant.server_endpoint;
    portal.scopes = grant.scope;
    portal.app_status = grant.status;
    portal.needs_reauth = false;
    if (fresh) {
      portal.state = "installing";
      portal.installer_user_id = grant.user_id;
      portal.setup_done_at_ms = 0;
    }
    if (!application_token.empty()) {
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
  spdlog::info("event=b24_install_recorded portal={} domain={} user={}", tenant_id, domain,
               grant.user_id);
}

http::Response Bitrix24App::InstallPage(http::Request& request) {
  const std::string lang = PageLanguage(request.QueryParam("LANG").value_or("ru"));
  FramePost post;
  try {
    post = ParseFramePost(request);
    if (post.refresh_id.empty() || post.server_endpoint.empty()) {
      throw InvalidArgument("the install request has no REFRESH_ID or SERVER_ENDPOINT");
    }
  } catch (const Error& e) {
    return ErrorPage(400, lang, "error.bad_request", e.what());
  }
  try {
    TokenGrant claimed;
    claimed.member_id = post.member_id;
    RecordInstall(claimed, post.application_token, post.refresh_id, post.server_endpoint);
  } catch (const Error& e) {
    spdlog::warn("event=b24_install_refused member_id={} error=\"{}\"", post.member_id, e.what());
    if (e.code() == ErrorCode::kUnavailable || e.code() == ErrorCode::kDeadlineExceeded) {
      return ErrorPage(503, lang, "error.unavailable", e.what());
    }
    return ErrorPage(403, lang, "error.forbidden", e.what());
  }
  std::optional<B24Portal> portal;
  storage::WithSession(db_, [&](storage::Session& s) {
    portal = storage::B24PortalRepository::Find(s, post.member_id);
  });
  return bitrix24::InstallPage(
      portal->domain, lang, IssueSession(portal->tenant_id, portal->installer_user_id, "install"),
      options_.frame_sdk_url);
}

Bitrix24App::ProvenUser Bitrix24App::ProveFrameUser(const B24Portal& portal,
                                                    const std::string& auth_id) {
  const std::string key = crypto::Sha256Hex(portal.tenant_id + "\n" + auth_id);
  {
    std::lock_guard lock(cache_mu_);
    auto it = proofs_.find(key);
    if (it != proofs_.end() && it->second.expires_at_ms > clock_.NowMs()) {
      return it->second.user;
    }
  }
  const long long wait = limiter_.Reserve(portal.tenant_id, portal.rate_per_s, portal.burst);
  if (wait > 5'000) {
    throw Unavailable("the portal's request budget is used up; try again shortly");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  adapters::HttpCall call;
  call.method = "POST";
  // The stored endpoint of this member_id, never the DOMAIN of the request.
  call.url = portal.client_endpoint + "profile";
  call.body = "{\"auth\":" + http::JsonQuote(auth_id) + "}";
  call.content_type = "application/json; charset=utf-8";
  call.timeout = std::chrono::seconds(10);
  adapters::HttpReply reply = http_.Send(call);
  web::json::value json;
  try {
    json = web::json::value::parse(reply.body);
  } catch (const std::exception&) {
    throw Unavailable("the portal answered profile with something that is not JSON");
  }
  if (reply.status != 200 || !json.has_field("result") || !json.at("result").is_object()) {
    if (reply.status >= 500) {
      throw Unavailable("the portal could not check the frame token (HTTP " +
                        std::to_string(reply.status) + ")");
    }
    throw Unauthenticated("the portal did not accept the frame token");
  }
  const web::json::value& r = json.at("result");
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
  if (!post.application_token.empty() && !portal->application_token_sealed.empty() &&
      !ApplicationTokenMatches(*portal, post.application_token)) {
    spdlog::warn("event=b24_frame_forged portal={} reason=application_token", portal->tenant_id);
    return ErrorPage(403, lang, "error.forbidden", "APPLICATION_TOKEN");
  }
  ProvenUser user;
  try {
    user = ProveFrameUser(*portal, post.auth_id);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kUnavailable || e.code() == ErrorCode::kDeadlineExceeded) {
      return ErrorPage(503, lang, "error.unavailable", e.what());
    }
    spdlog::warn("event=b24_frame_refused portal={} error=\"{}\"", portal->tenant_id, e.what());
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
                         "https://" + portal->domain, bootstrap);
  }
  const std::string placement = post.placement.empty() ? "DEFAULT" : post.placement;
  return FrameSignedInPage(portal->domain, lang,
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
  ProvenUser user = ProveFrameUser(*portal, auth_id);
  const std::string session = IssueSession(portal->tenant_id, user.user_id, "frame");
  return http::Response::Json(200,
                              "{\"session\":" + http::JsonQuote(session) + ",\"expires_at_ms\":" +
                                  std::to_string(clock_.NowMs() + options_.session_ttl_ms) + "}");
}

http::Response Bitrix24App::Status(http::Request& request) {
  const crypto::SessionClaims claims = RequireSession(request);
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
