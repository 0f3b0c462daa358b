// POST /api/settings/mango/check: «Проверить подключение». Asks the tenant's VPBX for its user
// directory (config/users/request, what the directory sync reads) with the stored key and salt,
// within a deadline, and says in words whether that worked.
#include <cpprest/json.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "adapters/mango/command_client.h"
#include "adapters/mango/user_directory.h"
#include "connector/domain/error.h"
#include "connector/domain/messages.h"
#include "connector/settings/mango_api.h"
#include "connector/storage/mango_repositories.h"

namespace opdesk::mango {
namespace {

using web::json::value;

// The HTTP exchange's bound; the rate-limit wait before it (config/users/request: one per 2 s
// per VPBX, shared with the directory sync) adds at most ~2 s.
constexpr std::chrono::milliseconds kCheckTimeout{5'000};
// Mango tolerates one 3xxx answer per two minutes and then locks its API for everyone of the
// VPBX: a refused key or salt is therefore remembered and not sent again for that long.
constexpr EpochMs kRememberRefusalMs = 120'000;

std::string Lang(const http::Request& request) {
  return request.Header("Accept-Language").rfind("en", 0) == 0 ? "en" : "ru";
}

struct CheckResult {
  bool ok = false;
  std::string code;  // ok, auth_key, auth_sign, auth_failed, restricted, locked_out, ...
  int mango_code = 0;
  std::string message_id;
  std::string message_arg;
  int employees = -1;
};

CheckResult Classify(const CommandReply& reply) {
  CheckResult r;
  r.mango_code = reply.code;
  if (reply.http_status == 200) {
    try {
      r.employees = static_cast<int>(ParseUsersReply(reply.body).size());
      r.ok = true;
      r.code = "ok";
      r.message_id = "mango_check.ok";
      r.message_arg = std::to_string(r.employees);
    } catch (const Error&) {
      r.code = "bad_answer";
      r.message_id = "mango_check.bad_answer";
    }
    return r;
  }
  if (reply.code == 3105) {
    r.code = "auth_key";
    r.message_id = "mango_check.auth_key";
  } else if (reply.code == 3102) {
    r.code = "auth_sign";
    r.message_id = "mango_check.auth_sign";
  } else if (reply.http_status == 401) {
    // Mango's lock after a second bad request within two minutes (whatever code it carries).
    r.code = "locked_out";
    r.message_id = "mango_check.locked_out";
  } else if (reply.code >= 3000 && reply.code < 4000) {
    r.code = "auth_failed";
    r.message_id = "mango_check.auth_failed";
    r.message_arg = std::to_string(reply.code);
  } else if (reply.code >= 2000 && reply.code < 3000) {
    r.code = "restricted";
    r.message_id = "mango_check.restricted";
    r.message_arg = std::to_string(reply.code);
  } else if (reply.http_status == 429 || reply.code == 4290) {
    r.code = "rate_limited";
    r.message_id = "mango_check.rate_limited";
  } else {
    r.code = "unavailable";
    r.message_id = "mango_check.unavailable";
    r.message_arg = "HTTP " + std::to_string(reply.http_status) +
                    (reply.code ? ", " + std::to_string(reply.code) : "");
  }
  return r;
}

bool IsRefusal(const CheckResult& r) {
  return r.code == "auth_key" || r.code == "auth_sign" || r.code == "auth_failed";
}

// A refusal remembered per tenant, for the connection (its updated_at_ms) it was made with.
struct Refusals {
  std::mutex mu;
  struct Entry {
    EpochMs connection_updated_at_ms = 0;
    EpochMs at_ms = 0;
    CheckResult result;
  };
  std::map<std::string, Entry> by_tenant;  // guarded by mu
};

}  // namespace

void AddMangoCheckRoute(http::Router& router, MangoSettingsDeps deps) {
  auto d = std::make_shared<MangoSettingsDeps>(std::move(deps));
  auto refusals = std::make_shared<Refusals>();
  router.Add(
      "POST", "/api/settings/mango/check", http::Guard::kSettingsManager,
      [d, refusals](http::Request& req, const http::Caller& caller) {
        const std::string lang = Lang(req);
        std::optional<MangoConnection> connection;
        storage::WithSession(d->db, [&](storage::Session& s) {
          connection = storage::MangoConnectionRepository::FindByTenant(s, caller.tenant_id);
        });
        if (!connection) {
          throw Conflict(Message("mango_check.not_connected", lang));
        }
        CommandClient* commands = d->commands ? d->commands() : nullptr;
        if (commands == nullptr) {
          throw Internal("the Mango command client is not wired");
        }
        const EpochMs now = d->clock.NowMs();
        CheckResult result;
        bool remembered = false;
        {
          std::lock_guard lock(refusals->mu);
          const auto it = refusals->by_tenant.find(caller.tenant_id);
          if (it != refusals->by_tenant.end() &&
              it->second.connection_updated_at_ms == connection->updated_at_ms &&
              now - it->second.at_ms < kRememberRefusalMs) {
            result = it->second.result;
            remembered = true;
          }
        }
        if (!remembered) {
          try {
            result = Classify(
                commands->Probe(caller.tenant_id, "config/users/request", "{}", kCheckTimeout));
          } catch (const Error& e) {
            if (e.code() == ErrorCode::kNotFound) {
              throw Conflict(Message("mango_check.not_connected", lang));
            }
            result.code = e.code() == ErrorCode::kResourceExhausted  ? "rate_limited"
                          : e.code() == ErrorCode::kDeadlineExceeded ? "timeout"
                                                                     : "unavailable";
            result.message_id = "mango_check." + result.code;
            result.message_arg = e.code() == ErrorCode::kDeadlineExceeded ? "" : e.what();
          }
          if (IsRefusal(result)) {
            std::lock_guard lock(refusals->mu);
            refusals->by_tenant[caller.tenant_id] = {connection->updated_at_ms, now, result};
          }
        }
        value body = value::object();
        body["ok"] = value::boolean(result.ok);
        body["code"] = value::string(result.code);
        body["mango_code"] = result.mango_code ? value::number(result.mango_code) : value::null();
        std::string message = Message(result.message_id, lang, result.message_arg);
        if (remembered) {
          message += " " + Message("mango_check.not_repeated", lang);
        }
        body["message"] = value::string(message);
        body["employees"] = result.employees >= 0 ? value::number(result.employees) : value::null();
        body["repeated"] = value::boolean(remembered);
        return http::Response::Json(200, body.serialize());
      },
      http::RouteOptions{4096});
}

}  // namespace opdesk::mango
