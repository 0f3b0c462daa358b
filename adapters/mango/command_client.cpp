#include "adapters/mango/command_client.h"

#include <filesystem>

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/storage/mango_repositories.h"
#include "oauth/crypto.h"

namespace opdesk::mango {
namespace {

std::string FormEncode(std::string_view value) {
  return adapters::UrlEncode(value);
}

int CodeOf(const std::string& body) {
  try {
    web::json::value v = web::json::value::parse(body);
    for (const char* key : {"code", "result"}) {
      if (v.is_object() && v.has_field(key) && v.at(key).is_number()) {
        return static_cast<int>(v.at(key).as_number().to_int64());
      }
    }
  } catch (const std::exception&) {
  }
  return 0;
}

}  // namespace

CommandClient::CommandClient(storage::Database& db, const crypto::SecretBox& box,
                             const Clock& clock, adapters::HttpTransport& http, std::string api_url)
    : db_(db), box_(box), clock_(clock), http_(http), api_url_(std::move(api_url)) {}

long long CommandClient::MinIntervalMs(const std::string& path) {
  if (path == "commands/route" || path == "commands/transfer" || path == "config/users/request" ||
      path == "stats/request") {
    // 1 per 2 s per VPBX, plus a margin so that network jitter never lets Mango's window see two.
    return 2100;
  }
  if (path == "commands/callback" || path == "commands/callback_group" ||
      path == "commands/call/hangup" || path == "commands/recording/start") {
    return 250;  // 4 per second
  }
  return 100;  // 10 per second, Mango's default
}

CommandReply CommandClient::Exchange(const std::string& tenant_id, const std::string& path,
                                     const std::string& json, std::chrono::milliseconds timeout,
                                     EpochMs send_by_ms) {
  std::optional<MangoConnection> connection;
  storage::WithSession(db_, [&](storage::Session& s) {
    connection = storage::MangoConnectionRepository::FindByTenant(s, tenant_id);
  });
  if (!connection) {
    throw NotFound("tenant " + tenant_id + " has no Mango VPBX connected");
  }
  // Reserve this command kind's next slot for the VPBX.
  long long wait = 0;
  {
    std::lock_guard lock(mu_);
    // callback and callback_group share Mango's callback limit.
    const std::string& kind = path == "commands/callback_group" ? "commands/callback" : path;
    EpochMs& next = next_allowed_[tenant_id + "\n" + kind];
    const EpochMs now = clock_.NowMs();
    wait = std::max<long long>(next - now, 0);
    if (send_by_ms > 0 && now + wait > send_by_ms) {
      // Not reserved: the slot stays for a command that can still use it.
      throw DeadlineExceeded("Mango's limit for " + path + " has no slot before the deadline");
    }
    if (wait > 5'000) {
      throw ResourceExhausted("Mango's limit for " + path + " is used up").WithRetryAfterMs(wait);
    }
    next = std::max(next, now) + MinIntervalMs(path);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(wait));

  const std::string salt =
      box_.Open(connection->api_salt_sealed, "mango-salt/" + connection->tenant_id);
  std::string text = connection->api_key + json + salt;
  adapters::HttpCall call;
  call.method = "POST";
  call.url = api_url_ + path;
  call.content_type = "application/x-www-form-urlencoded";
  call.body = "vpbx_api_key=" + FormEncode(connection->api_key) +
              "&sign=" + crypto::Sha256Hex(text) + "&json=" + FormEncode(json);
  call.timeout = timeout;
  adapters::HttpReply reply = http_.Send(call);

  CommandReply out;
  out.http_status = reply.status;
  out.body = reply.body;
  out.location = reply.headers.count("location") ? reply.headers["location"] : "";
  out.code = CodeOf(reply.body);
  return out;
}

CommandReply CommandClient::Probe(const std::string& tenant_id, const std::string& path,
                                  const std::string& json, std::chrono::milliseconds timeout) {
  return Exchange(tenant_id, path, json, timeout, 0);
}

CommandReply CommandClient::Send(const std::string& tenant_id, const std::string& path,
                                 const std::string& json, EpochMs send_by_ms) {
  CommandReply out = Exchange(tenant_id, path, json, std::chrono::seconds(10), send_by_ms);
  const int status = out.http_status;
  const std::string what = "Mango " + path + ": HTTP " + std::to_string(status) +
                           (out.code ? " code " + std::to_string(out.code) : "");
  if (status == 200 || status == 302) {
    return out;
  }
  if (out.code >= 3000 && out.code < 4000) {
    spdlog::error("event=mango_bad_request tenant={} path={} code={}", tenant_id, LogValue(path),
                  out.code);
    throw InvalidArgument(what + " (bad request: not resent, Mango locks the API after two)");
  }
  if (out.code >= 2000 && out.code < 3000) {
    throw PermissionDenied(what + " (the VPBX account is restricted)");
  }
  if (status == 429) {
    throw ResourceExhausted(what).WithRetryAfterMs(MinIntervalMs(path));
  }
  if (status == 401) {
    // After repeated bad requests Mango answers 401 to everything for two minutes.
    throw Unavailable(what + " (locked out)").WithRetryAfterMs(120'000);
  }
  throw Unavailable(what);
}

long long CommandClient::DownloadRecording(const std::string& tenant_id,
                                           const std::string& recording_id,
                                           const std::string& path) {
  web::json::value body = web::json::value::object();
  body["recording_id"] = web::json::value::string(recording_id);
  body["action"] = web::json::value::string("download");
  CommandReply reply = Send(tenant_id, "queries/recording/post", body.serialize());
  if (reply.http_status != 302 || reply.location.empty()) {
    throw Unavailable("Mango gave no link for recording " + recording_id +
                      " (it may not be saved yet)");
  }
  adapters::HttpCall get;
  get.method = "GET";
  get.url = reply.location;
  get.timeout = std::chrono::minutes(5);
  get.response_file = path;
  const adapters::HttpReply file = http_.Send(get);
  std::error_code ec;
  const auto size = static_cast<long long>(std::filesystem::file_size(path, ec));
  if (file.status != 200 || ec || size == 0) {
    throw Unavailable("the recording link answered HTTP " + std::to_string(file.status));
  }
  return size;
}

}  // namespace opdesk::mango
