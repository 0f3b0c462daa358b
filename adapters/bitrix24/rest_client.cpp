#include "adapters/bitrix24/rest_client.h"

#include "adapters/url_policy.h"

#include <cpprest/json.h>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "adapters/bitrix24/rest_errors.h"
#include "adapters/json_read.h"
#include "adapters/temp_file.h"
#include "connector/domain/log_escape.h"
#include "connector/storage/bitrix24_repositories.h"
#include "oauth/crypto.h"

namespace opdesk::bitrix24 {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr int kMaxRedirects = 3;

using adapters::JsonString;

long long MsLeft(SteadyClock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now())
      .count();
}

// "http://h:1/renamed/rest/profile?x" → "http://h:1/renamed/rest/"
std::string RestBaseFromLocation(const std::string& location) {
  auto pos = location.find("/rest/");
  if (pos == std::string::npos) {
    return "";
  }
  return location.substr(0, pos + 6);
}

std::string HostOf(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) {
    return "";
  }
  start += 3;
  return url.substr(start, url.find('/', start) - start);
}

}  // namespace

RestClient::RestClient(storage::Database& db, AccessTokens& tokens, PortalRateLimiter& limiter,
                       adapters::HttpTransport& http, const Clock& clock)
    : db_(db), tokens_(tokens), limiter_(limiter), http_(http), clock_(clock) {}

web::json::value RestClient::Call(const std::string& tenant_id, const std::string& method,
                                  const web::json::value& params, const CallOptions& options) {
  return CallPaged(tenant_id, method, params, options, nullptr);
}

web::json::value RestClient::CallPage(const std::string& tenant_id, const std::string& method,
                                      const web::json::value& params, Paging& paging,
                                      const CallOptions& options) {
  return CallPaged(tenant_id, method, params, options, &paging);
}

web::json::value RestClient::CallPaged(const std::string& tenant_id, const std::string& method,
                                       const web::json::value& params, const CallOptions& options,
                                       Paging* paging) {
  const auto deadline = SteadyClock::now() + options.deadline;
  bool refreshed = false;
  int redirects = 0;
  int transport_failures = 0;
  while (true) {
    std::optional<B24Portal> portal;
    storage::WithSession(db_, [&](storage::Session& s) {
      portal = storage::B24PortalRepository::FindRecent(s, tenant_id);
    });
    if (!portal || portal->state == "uninstalled") {
      throw NotFound("no Bitrix24 portal " + tenant_id + " is connected");
    }
    const std::string user = options.user_id.empty() ? portal->installer_user_id : options.user_id;

    const EpochMs paused = limiter_.MethodPausedUntil(tenant_id, method);
    if (paused > 0) {
      throw ResourceExhausted(method + " is paused by the portal's OPERATION_TIME_LIMIT")
          .WithRetryAfterMs(paused - clock_.NowMs());
    }
    // A slot past the deadline is not taken: a call that is not sent spends no budget.
    const long long wait = limiter_.TryReserve(tenant_id, portal->rate_per_s, portal->burst,
                                               std::max<long long>(MsLeft(deadline) - 1, 0));
    if (wait < 0) {
      throw ResourceExhausted("the portal's request budget is used up for now")
          .WithRetryAfterMs(1000);
    }
    if (wait > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    }

    AccessToken token = tokens_.Get(tenant_id, user);
    web::json::value body = params.is_object() ? params : web::json::value::object();
    body["auth"] = web::json::value::string(token.token);
    adapters::HttpCall call;
    call.method = "POST";
    call.url = portal->client_endpoint + method;
    call.body = body.serialize();
    call.content_type = "application/json; charset=utf-8";
    call.timeout = std::chrono::milliseconds(std::max<long long>(MsLeft(deadline), 1));

    adapters::HttpReply reply;
    try {
      reply = http_.Send(call);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kInvalidArgument) {
        throw;
      }
      if (!options.idempotent) {
        // The portal may have run it; resending could create a second lead or call.
        throw Error(e.code(), method + ": outcome unknown, not resent: " + e.what());
      }
      const long long backoff = std::min<long long>(250LL << std::min(transport_failures, 5),
                                                    std::max<long long>(MsLeft(deadline), 0));
      ++transport_failures;
      if (MsLeft(deadline) <= backoff) {
        throw;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff));
      continue;
    }

    if (reply.status == 301 || reply.status == 302) {
      const std::string base = RestBaseFromLocation(reply.headers["location"]);
      if (base.empty() || ++redirects > kMaxRedirects) {
        throw Unavailable(method + ": the portal redirected to an unexpected place");
      }
      // A renamed portal moves within its own registrable domain (a.bitrix24.ru → b.bitrix24.ru);
      // anywhere else, or to a private address, would let whoever answers send our tokens on.
      if (!adapters::SameRegistrableDomain(base, portal->client_endpoint)) {
        throw PermissionDenied(method + ": the portal redirected to another domain (" +
                               adapters::UrlForLog(base) + ")");
      }
      storage::InTransaction(db_, [&](storage::Session& s) {
        storage::B24PortalRepository::SetDomain(s, tenant_id, HostOf(base), base, clock_.NowMs());
      });
      spdlog::warn("event=b24_portal_moved portal={} client_endpoint={}", tenant_id,
                   LogValue(adapters::UrlForLog(base)));
      continue;
    }

    web::json::value json;
    try {
      json = web::json::value::parse(reply.body);
    } catch (const std::exception&) {
      if (reply.status >= 500) {
        throw Unavailable(method + ": HTTP " + std::to_string(reply.status) + " from the portal");
      }
      throw Internal(method + ": the portal answered HTTP " + std::to_string(reply.status) +
                     " with a body that is not JSON");
    }
    const std::string error = JsonString(json, "error");
    if (reply.status == 200 && error.empty() && json.is_object() && json.has_field("result")) {
      if (paging != nullptr && json.has_field("next") && json.at("next").is_number()) {
        paging->next = json.at("next").as_number().to_int64();
      }
      if (paging != nullptr && json.has_field("total") && json.at("total").is_number()) {
        paging->total = json.at("total").as_number().to_int64();
      }
      return json.at("result");
    }
    const std::string description = JsonString(json, "error_description");
    switch (ClassifyRestError(reply.status, error)) {
      case RestErrorKind::kTokenExpired:
        if (refreshed) {
          // The token taken after the refresh expired too (the portal revoked it in between, or
          // another refresher rotated it): the portal did not run the call, and a later attempt
          // with the then current token can succeed. A portal that refuses our refreshes fails
          // in Refresh itself, as Unauthenticated.
          throw Unavailable(method + ": the access token expired again right after a refresh (" +
                            error + ")")
              .WithRetryAfterMs(1000);
        }
        tokens_.Refresh(tenant_id, user, token.version);
        refreshed = true;
        continue;
      case RestErrorKind::kRateLimited:
        limiter_.MarkFull(tenant_id, portal->rate_per_s, portal->burst);
        spdlog::warn("event=b24_query_limit portal={} method={}", tenant_id, method);
        continue;
      case RestErrorKind::kMethodPaused: {
        EpochMs until = clock_.NowMs() + 60'000;
        if (json.has_field("time") && json.at("time").has_field("operating_reset_at") &&
            json.at("time").at("operating_reset_at").is_number()) {
          until = static_cast<EpochMs>(
              json.at("time").at("operating_reset_at").as_number().to_double() * 1000);
        }
        limiter_.PauseMethod(tenant_id, method, until);
        spdlog::warn("event=b24_method_paused portal={} method={} until_ms={}", tenant_id, method,
                     until);
        throw ResourceExhausted(method + ": OPERATION_TIME_LIMIT (" + description + ")")
            .WithRetryAfterMs(std::max<long long>(until - clock_.NowMs(), 0));
      }
      case RestErrorKind::kPortalMoved:
      case RestErrorKind::kFinal:
        throw ToError(reply.status, error, description, method);
    }
  }
}

web::json::value RestClient::UploadFile(const std::string& tenant_id, const std::string& upload_url,
                                        const std::string& field, const std::string& filename,
                                        const std::string& content_type, const std::string& path) {
  std::optional<B24Portal> portal;
  storage::WithSession(db_, [&](storage::Session& s) {
    portal = storage::B24PortalRepository::FindRecent(s, tenant_id);
  });
  if (!portal || portal->state == "uninstalled") {
    throw NotFound("no Bitrix24 portal " + tenant_id + " is connected");
  }
  // The portal names the URL; it may only point back into the portal's own domain.
  if (!adapters::SameRegistrableDomain(upload_url, portal->client_endpoint)) {
    throw PermissionDenied("the portal's upload URL is on another domain (" +
                           adapters::UrlForLog(upload_url) + ")");
  }
  const auto safe = [](std::string text) {
    std::erase_if(text, [](char c) { return c == '"' || c == '\r' || c == '\n' || c == '\\'; });
    return text;
  };
  // The multipart body is assembled on disk next to the file: header, the file, the closing.
  const std::string boundary = "opdesk" + crypto::Sha256Hex(crypto::RandomBytes(16)).substr(0, 24);
  const adapters::TempFile body(std::filesystem::path(path).filename().string() + ".multipart");
  const std::string& body_path = body.path();
  {
    std::ofstream out(body_path, std::ios::binary | std::ios::trunc);
    std::ifstream in(path, std::ios::binary);
    out << "--" << boundary << "\r\nContent-Disposition: form-data; name=\"" << safe(field)
        << "\"; filename=\"" << safe(filename) << "\"\r\nContent-Type: " << safe(content_type)
        << "\r\n\r\n";
    out << in.rdbuf();
    out << "\r\n--" << boundary << "--\r\n";
    if (!out || !in) {
      throw Internal("cannot prepare the upload of " + filename);
    }
  }
  const long long wait = limiter_.TryReserve(tenant_id, portal->rate_per_s, portal->burst, 30'000);
  if (wait < 0) {
    throw ResourceExhausted("the portal's request budget is used up for now")
        .WithRetryAfterMs(1000);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  adapters::HttpCall call;
  call.method = "POST";
  call.url = upload_url;
  call.body_file = body_path;
  call.content_type = "multipart/form-data; boundary=" + boundary;
  call.timeout = std::chrono::minutes(5);
  const adapters::HttpReply reply = http_.Send(call);
  if (reply.status >= 500) {
    throw Unavailable("the portal's upload answered HTTP " + std::to_string(reply.status));
  }
  if (reply.status != 200) {
    throw Internal("the portal refused the upload (HTTP " + std::to_string(reply.status) + ")");
  }
  try {
    const web::json::value json = web::json::value::parse(reply.body);
    return json.is_object() && json.has_field("result") ? json.at("result")
                                                        : web::json::value::null();
  } catch (const std::exception&) {
    return web::json::value::null();
  }
}

}  // namespace opdesk::bitrix24
