// The install page, the frames, the UI session and setup API. Events live in app_events.cpp; the
// checks behind them in oauth/bitrix24 (sign_in.h, portal_setup.h).
#include "webhooks/bitrix24/app_service.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <cpprest/json.h>

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

// The path part of public_url ("https://h/opdesk" → "/opdesk"): the pages call the API on their
// own origin, under the same prefix the service is published at.
std::string ApiBase(const std::string& public_url) {
  const std::size_t scheme = public_url.find("://");
  const std::size_t path = public_url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return path == std::string::npos ? "" : public_url.substr(path);
}

}  // namespace

Bitrix24App::Bitrix24App(storage::Database& db, TokenStore& tokens, SignIn& sign_in,
                         PortalSetup& setup, const crypto::SecretBox& box, const Clock& clock,
                         settings::SettingsService& settings, AppOptions options)
    : db_(db),
      tokens_(tokens),
      sign_in_(sign_in),
      setup_(setup),
      box_(box),
      clock_(clock),
      settings_(settings),
      options_(std::move(options)) {}

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
    sign_in_.CheckSignInBudget(post.member_id, request.ClientAddress());
    installer =
        sign_in_.RecordInstall(post.member_id, post.domain, post.refresh_id, post.application_token,
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
  return bitrix24::InstallPage(
      FrameOrigin(post, portal->domain), lang,
      sign_in_.IssueSession(installer.tenant_id, installer.user_id, "install"),
      options_.frame_sdk_url);
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
      !sign_in_.ApplicationTokenMatches(*portal, post.application_token)) {
    spdlog::warn("event=b24_frame_forged portal={} reason=application_token", portal->tenant_id);
    return ErrorPage(403, lang, "error.forbidden", "APPLICATION_TOKEN");
  }
  ProvenUser user;
  try {
    user = sign_in_.ProveFrameUser(*portal, post.auth_id, request.ClientAddress());
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
  // Both frames get the same page shell and bootstrap: the call card's, or the settings pages'
  // (the app page, PLACEMENT=DEFAULT or whatever placement the portal names).
  const bool callcard = request.path == "/b24/callcard";
  ShellBootstrap bootstrap;
  bootstrap.session = sign_in_.IssueSession(portal->tenant_id, user.user_id, "frame");
  bootstrap.session_expires_at_ms = sign_in_.SessionExpiresAtMs();
  bootstrap.lang = lang;
  bootstrap.placement =
      callcard ? "CALL_CARD" : (post.placement.empty() ? "DEFAULT" : post.placement);
  bootstrap.placement_options = post.placement_options;
  bootstrap.api_base = ApiBase(options_.public_url);
  bootstrap.member_id = portal->tenant_id;
  bootstrap.user_id = user.user_id;
  bootstrap.user_name = user.name;
  bootstrap.frame_sdk_url = options_.frame_sdk_url;
  const char* file = callcard ? "callcard.html" : "settings.html";
  return CallCardShell(http::StaticFiles(options_.ui_dist_dir).Read(file),
                       FrameOrigin(post, portal->domain), bootstrap, file);
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
  ProvenUser user = sign_in_.ProveFrameUser(*portal, auth_id, request.ClientAddress());
  const std::string session = sign_in_.IssueSession(portal->tenant_id, user.user_id, "frame");
  return http::Response::Json(
      200, "{\"session\":" + http::JsonQuote(session) +
               ",\"expires_at_ms\":" + std::to_string(sign_in_.SessionExpiresAtMs()) + "}");
}

http::Response Bitrix24App::Status(const http::Caller& claims) {
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

http::Response Bitrix24App::Setup(http::Request& request, const http::Caller& claims) {
  std::optional<B24Portal> portal;
  storage::WithSession(db_, [&](storage::Session& s) {
    portal = storage::B24PortalRepository::Find(s, claims.tenant_id);
  });
  if (!portal || portal->state == "uninstalled") {
    throw NotFound("the app is not installed on this portal");
  }
  // The install page's own session runs the first setup; afterwards it is a settings change.
  if (claims.scope != "install") {
    settings_.AuthorizeManager(claims.tenant_id, claims.user_id);
  }
  const std::string lang = PageLanguage(request.QueryParam("lang").value_or("ru"));
  const std::vector<SetupStep> steps = setup_.Run(claims.tenant_id);
  bool ok = true;
  std::string body = "{\"steps\":[";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const SetupStep& s = steps[i];
    ok = ok && s.done;
    body += std::string(i ? "," : "") + "{\"name\":" + http::JsonQuote(s.name) +
            ",\"title\":" + http::JsonQuote(Text("step." + s.name, lang)) +
            ",\"status\":" + (s.done ? "\"done\"" : "\"failed\"") +
            ",\"error\":" + http::JsonQuote(s.error) + "}";
  }
  body += std::string("],\"ok\":") + (ok ? "true" : "false") + "}";
  return http::Response::Json(ok ? 200 : 502, body);
}

}  // namespace opdesk::bitrix24
