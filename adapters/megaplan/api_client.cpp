#include "adapters/megaplan/api_client.h"

#include <cpprest/base_uri.h>
#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <ctime>

#include <filesystem>
#include <fstream>

#include "adapters/http_transport.h"
#include "adapters/json_read.h"
#include "adapters/temp_file.h"
#include "adapters/url_policy.h"
#include "connector/domain/error.h"
#include "connector/storage/megaplan_repositories.h"
#include "oauth/crypto.h"
#include "oauth/secret_box.h"

namespace opdesk::megaplan {
namespace {

using web::json::value;

constexpr const char* kBoundary = "opdeskMegaplanBoundary7MA4YWxkTrZu0gW";

std::string FormPart(const std::string& name, const std::string& text) {
  return std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name +
         "\"\r\n\r\n" + text + "\r\n";
}

// The first of meta.errors: its message and field.
std::pair<std::string, std::string> FirstError(const value& envelope) {
  if (envelope.is_object() && envelope.has_field("meta") && envelope.at("meta").is_object() &&
      envelope.at("meta").has_field("errors") && envelope.at("meta").at("errors").is_array() &&
      envelope.at("meta").at("errors").size() > 0) {
    const value& e = envelope.at("meta").at("errors").at(0);
    if (e.is_object()) {
      return {adapters::JsonText(e, "message"), adapters::JsonText(e, "field")};
    }
    if (e.is_string()) {
      return {e.as_string(), ""};
    }
  }
  return {"", ""};
}

// HTTP status and meta.status both count: the worse one wins.
value CheckEnvelope(const adapters::HttpReply& reply, const std::string& what) {
  value envelope;
  try {
    envelope = reply.body.empty() ? value::null() : value::parse(reply.body);
  } catch (const std::exception&) {
    envelope = value::null();
  }
  int status = reply.status;
  if (envelope.is_object() && envelope.has_field("meta") && envelope.at("meta").is_object()) {
    const long long meta = adapters::JsonInt(envelope.at("meta"), "status", status);
    if (status >= 200 && status < 300 && meta >= 300) {
      status = static_cast<int>(meta);
    }
  }
  if (status >= 200 && status < 300) {
    if (!envelope.is_object()) {
      throw Unavailable("Megaplan answered " + what + " with a body that is not the v3 envelope");
    }
    return envelope;
  }
  const auto [message, field] = FirstError(envelope);
  const std::string text =
      "Megaplan " + what + ": " + std::to_string(status) + (message.empty() ? "" : " " + message);
  switch (status) {
    case 401:
      throw Unauthenticated(text);
    case 403:
      throw PermissionDenied(text);
    case 404:
      throw NotFound(text);
    case 400:
    case 422:
      throw InvalidArgument(text, field);
    case 429: {
      Error e = ResourceExhausted(text);
      auto it = reply.headers.find("retry-after");
      if (it != reply.headers.end()) {
        try {
          e.WithRetryAfterMs(std::stoll(it->second) * 1000);
        } catch (const std::exception&) {
        }
      }
      throw e;
    }
    default:
      throw Unavailable(text);
  }
}

std::string QueryOf(const value& params) {
  if (params.is_null() || (params.is_object() && params.size() == 0)) {
    return "";
  }
  return "?" + adapters::UrlEncode(params.serialize());
}

}  // namespace

std::string TokenAssociatedData(const std::string& tenant_id) {
  return "megaplan-token:" + tenant_id;
}

std::string NormalizeBaseUrl(const std::string& url, bool allow_insecure, std::string* host) {
  const adapters::Endpoint endpoint = adapters::CheckOutboundUrl(url, allow_insecure);
  const bool default_port = (endpoint.scheme == "https" && endpoint.port == 443) ||
                            (endpoint.scheme == "http" && endpoint.port == 80);
  std::string h = endpoint.host;
  if (h.find(':') != std::string::npos) {
    throw InvalidArgument("a Megaplan address must be a host name", "--url");
  }
  if (!default_port) {
    h += ":" + std::to_string(endpoint.port);
  }
  if (host) {
    *host = h;
  }
  return endpoint.scheme + "://" + h;
}

std::string TenantIdOf(const std::string& host) {
  return "megaplan:" + host;
}

GrantedToken PasswordGrant(adapters::HttpTransport& http, const std::string& base_url,
                           const std::string& login, const std::string& password) {
  adapters::HttpCall call;
  call.method = "POST";
  call.url = base_url + "/api/v3/auth/access_token";
  call.content_type = std::string("multipart/form-data; boundary=") + kBoundary;
  call.body = FormPart("username", login) + FormPart("password", password) +
              FormPart("grant_type", "password") + "--" + kBoundary + "--\r\n";
  const adapters::HttpReply reply = http.Send(call);
  if (reply.status == 400 || reply.status == 401 || reply.status == 403) {
    throw PermissionDenied("Megaplan refused the login or password of " + login +
                           " (nothing was saved)");
  }
  if (reply.status != 200) {
    throw Unavailable("Megaplan answered the sign-in with " + std::to_string(reply.status));
  }
  value body;
  try {
    body = value::parse(reply.body);
  } catch (const std::exception&) {
    throw Unavailable("Megaplan's sign-in answer is not JSON");
  }
  // The token may come bare (OAuth2 style, as documented) or inside `data`: read both.
  const value& data = body.is_object() && body.has_field("data") && body.at("data").is_object()
                          ? body.at("data")
                          : body;
  GrantedToken token;
  token.access_token = adapters::JsonText(data, "access_token");
  token.expires_in_s = adapters::JsonInt(data, "expires_in", 172800);
  if (token.access_token.empty()) {
    throw Unavailable("Megaplan's sign-in answer has no access_token");
  }
  return token;
}

namespace {

std::string FormOf(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    out += (out.empty() ? "" : "&") + web::uri::encode_data_string(k) + "=" +
           web::uri::encode_data_string(v);
  }
  return out;
}

// "Mon, 02 Jun 2025 10:00:00 +0000" (RFC 2822, UTC, English names whatever the locale).
std::string Rfc2822Now(EpochMs now_ms) {
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = static_cast<std::time_t>(now_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

}  // namespace

std::string V1AssociatedData(const std::string& tenant_id) {
  return "megaplan-v1:" + tenant_id;
}

std::string V1Signature(const std::string& secret_key, const std::string& method,
                        const std::string& content_md5, const std::string& content_type,
                        const std::string& date, const std::string& host_and_uri) {
  return crypto::Base64Encode(crypto::LegacyHmacSha1Hex(
      secret_key,
      method + "\n" + content_md5 + "\n" + content_type + "\n" + date + "\n" + host_and_uri));
}

std::optional<V1Credentials> V1SignIn(adapters::HttpTransport& http, const std::string& base_url,
                                      const std::string& login, const std::string& password) {
  adapters::HttpCall call;
  call.url = base_url + "/BumsCommonApiV01/User/authorize.api?" +
             FormOf({{"Login", login}, {"Password", crypto::LegacyMd5Hex(password)}});
  adapters::HttpReply reply;
  try {
    reply = http.Send(call);
  } catch (const Error& e) {
    spdlog::warn("event=megaplan_v1_sign_in_failed error={}", e.what());
    return std::nullopt;
  }
  if (reply.status != 200) {
    return std::nullopt;
  }
  try {
    const value body = value::parse(reply.body);
    if (!body.has_field("status") || adapters::JsonText(body.at("status"), "code") != "ok" ||
        !body.has_field("data")) {
      return std::nullopt;
    }
    V1Credentials c{adapters::JsonText(body.at("data"), "AccessId"),
                    adapters::JsonText(body.at("data"), "SecretKey")};
    if (c.access_id.empty() || c.secret_key.empty()) {
      return std::nullopt;
    }
    return c;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

value GetWithToken(adapters::HttpTransport& http, const std::string& base_url,
                   const std::string& token, const std::string& path, const value& params) {
  adapters::HttpCall call;
  call.url = base_url + "/api/v3/" + path + QueryOf(params);
  call.headers = {{"Authorization", "Bearer " + token}, {"Accept", "application/json"}};
  return CheckEnvelope(http.Send(call), "GET " + path);
}

ApiClient::ApiClient(storage::Database& db, const crypto::SecretBox& box, const Clock& clock,
                     adapters::HttpTransport& http)
    : db_(db), box_(box), clock_(clock), http_(http) {}

ApiClient::Access ApiClient::OpenAccess(const std::string& tenant_id) {
  std::optional<MegaplanAccount> account;
  storage::WithSession(db_, [&](storage::Session& s) {
    account = storage::MegaplanAccountRepository::Find(s, tenant_id);
  });
  if (!account) {
    throw NotFound("tenant " + tenant_id + " has no Megaplan account connected");
  }
  // An application token (reference §1.2) is renewed only by Megaplan opening opdesk's
  // application URL again: the sources read show no refresh for it (nor a refresh_token in the
  // launch), so opdesk cannot renew it by itself; /readyz lists it as expiring 6 h ahead.
  const std::string how = account->connected_via == "application"
                              ? "open opdesk's application in Megaplan again"
                              : "sign in again (opdesk tenant megaplan or the «Мегаплан» page)";
  if (account->state == "refused") {
    throw Unauthenticated("Megaplan refused opdesk's token for " + account->host + "; " + how);
  }
  if (account->token_expires_at_ms <= clock_.NowMs()) {
    throw Unauthenticated("opdesk's Megaplan token for " + account->host + " has expired; " + how);
  }
  return {account->base_url,
          box_.Open(account->token_sealed, TokenAssociatedData(account->tenant_id))};
}

std::string ApiClient::IntegrationEmployee(const std::string& tenant_id) {
  std::optional<MegaplanAccount> account;
  storage::WithSession(db_, [&](storage::Session& s) {
    account = storage::MegaplanAccountRepository::Find(s, tenant_id);
  });
  return account ? account->employee_id : "";
}

value ApiClient::Send(const std::string& tenant_id, const std::string& method,
                      const std::string& path, const std::string& query, std::string body,
                      const std::string& content_type, const std::string& body_file,
                      bool idempotent, std::chrono::milliseconds deadline) {
  const Access access = OpenAccess(tenant_id);
  adapters::HttpCall call;
  call.method = method;
  call.url = access.base_url + "/api/v3/" + path + query;
  call.body = std::move(body);
  call.body_file = body_file;
  call.content_type = content_type;
  call.timeout = deadline;
  call.headers = {{"Authorization", "Bearer " + access.token}, {"Accept", "application/json"}};
  adapters::HttpReply reply;
  try {
    reply = http_.Send(call);
  } catch (const Error& e) {
    if (!idempotent && method == "POST" &&
        (e.code() == ErrorCode::kDeadlineExceeded || e.code() == ErrorCode::kUnavailable)) {
      throw Unavailable("Megaplan POST " + path + ": outcome unknown (" + e.what() + ")");
    }
    throw;
  }
  try {
    return CheckEnvelope(reply, method + " " + path);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kUnauthenticated) {
      // Refused: flag the account so /readyz, /metrics and the page say so, and stop sending
      // until someone signs in again (a new sign-in resets the state).
      storage::InTransaction(db_, [&](storage::Session& s) {
        storage::MegaplanAccountRepository::MarkRefused(s, tenant_id, e.what(), clock_.NowMs());
      });
      spdlog::warn("event=megaplan_token_refused tenant={}", tenant_id);
    }
    throw;
  }
}

value ApiClient::GetV1(const std::string& tenant_id, const std::string& path,
                       const std::vector<std::pair<std::string, std::string>>& params,
                       std::chrono::milliseconds deadline) {
  std::optional<MegaplanAccount> account;
  std::pair<std::string, std::string> v1;
  storage::WithSession(db_, [&](storage::Session& s) {
    account = storage::MegaplanAccountRepository::Find(s, tenant_id);
    v1 = storage::MegaplanAccountRepository::V1Credentials(s, tenant_id);
  });
  if (!account || v1.first.empty() || v1.second.empty()) {
    throw NotFound("no Megaplan API v1 credentials for " + tenant_id);
  }
  const std::string secret = box_.Open(v1.second, V1AssociatedData(tenant_id));
  const std::string uri = "/" + path + "?" + FormOf(params);
  const std::string date = Rfc2822Now(clock_.NowMs());
  // The reference's worked example signs a GET with this content type; it is sent as well, so
  // the account computes the same text.
  const std::string content_type = "application/x-www-form-urlencoded";
  adapters::HttpCall call;
  call.url = account->base_url + uri;
  call.timeout = deadline;
  call.headers = {
      {"Date", date},
      {"Content-Type", content_type},
      {"X-Authorization",
       v1.first + ":" + V1Signature(secret, "GET", "", content_type, date, account->host + uri)}};
  const adapters::HttpReply reply = http_.Send(call);
  if (reply.status != 200) {
    throw Unavailable("Megaplan API v1 GET " + path + " answered " + std::to_string(reply.status));
  }
  value body;
  try {
    body = value::parse(reply.body);
  } catch (const std::exception&) {
    throw Unavailable("Megaplan API v1 GET " + path + ": the answer is not JSON");
  }
  if (!body.is_object() || !body.has_field("status") ||
      adapters::JsonText(body.at("status"), "code") != "ok") {
    throw Unavailable("Megaplan API v1 GET " + path + " refused: " +
                      (body.is_object() && body.has_field("status")
                           ? adapters::JsonText(body.at("status"), "message")
                           : std::string("no status")));
  }
  return body;
}

value ApiClient::Get(const std::string& tenant_id, const std::string& path, const value& params,
                     std::chrono::milliseconds deadline) {
  return Send(tenant_id, "GET", path, QueryOf(params), "", "", "", true, deadline);
}

value ApiClient::Post(const std::string& tenant_id, const std::string& path, const value& body,
                      bool idempotent, std::chrono::milliseconds deadline) {
  return Send(tenant_id, "POST", path, "", body.serialize(), "application/json", "", idempotent,
              deadline);
}

value ApiClient::PostFile(const std::string& tenant_id, const std::string& path,
                          const std::string& filename, const std::string& file_path) {
  // The multipart body is written to a temporary file around the recording, streamed from
  // disk in both steps.
  const adapters::TempFile body("megaplan-upload-" + std::to_string(clock_.NowMs()) + "-" +
                                filename);
  {
    std::ofstream out(body.path(), std::ios::binary);
    out << "--" << kBoundary << "\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\""
        << filename << "\"\r\nContent-Type: audio/mpeg\r\n\r\n";
    std::ifstream in(file_path, std::ios::binary);
    out << in.rdbuf();
    out << "\r\n--" << kBoundary << "--\r\n";
    if (!out) {
      throw Internal("cannot write the upload body for " + filename);
    }
  }
  return Send(tenant_id, "POST", path, "", "",
              std::string("multipart/form-data; boundary=") + kBoundary, body.path(), false,
              std::chrono::milliseconds(120'000));
}

}  // namespace opdesk::megaplan
