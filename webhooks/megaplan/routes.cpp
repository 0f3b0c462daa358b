#include "webhooks/megaplan/routes.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <optional>

#include "adapters/json_read.h"
#include "adapters/megaplan/megaplan_crm.h"
#include "connector/app/wiring.h"
#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/http/message.h"
#include "connector/storage/megaplan_repositories.h"
#include "oauth/crypto.h"
#include "oauth/megaplan/application.h"

namespace opdesk::megaplan {
namespace {

using web::json::value;

std::string Field(const http::Params& params, const char* name) {
  return http::FindParam(params, name).value_or("");
}

// The launch's fields from the query (Megaplan opens the URL) or a form or JSON body.
ApplicationLaunch LaunchOf(const http::Request& r) {
  http::Params params = r.query_params;
  if (r.method == "POST" && !r.body.empty()) {
    if (r.Header("Content-Type").find("application/json") != std::string::npos) {
      value body;
      try {
        body = value::parse(r.body);
      } catch (const std::exception&) {
        throw InvalidArgument("the body is not JSON");
      }
      if (!body.is_object()) {
        throw InvalidArgument("the body must be a JSON object");
      }
      for (const auto& [k, v] : body.as_object()) {
        params.emplace_back(k, v.is_string() ? v.as_string() : v.serialize());
      }
    } else {
      for (auto& p : http::ParseForm(r.body)) {
        params.push_back(std::move(p));
      }
    }
  }
  ApplicationLaunch l;
  l.account_id = Field(params, "accountId");
  l.unique_account_id = Field(params, "uniqueAccountId");
  l.application_token = Field(params, "applicationToken");
  l.expiration_time = Field(params, "expirationTime");
  l.application_uuid = Field(params, "applicationUuid");
  l.permanent_host = Field(params, "permanentHost");
  l.user_sign = Field(params, "userSign");
  return l;
}

class Application {
 public:
  Application(app::Wiring& w, MegaplanCrm& crm)
      : db_(w.db), box_(w.box), clock_(w.clock), http_(w.http_out), crm_(crm) {
    options_.application_uuid = w.config.megaplan.application_uuid;
    options_.host_domains = w.config.megaplan.application_host_domains;
    options_.allow_insecure = w.config.allow_insecure_endpoints;
  }

  http::Response Launch(http::Request& r) {
    const ApplicationResult result =
        ConnectApplication(db_, box_, clock_, http_, options_, LaunchOf(r));
    value out = value::object(true);
    out["tenant_id"] = value::string(result.tenant_id);
    out["host"] = value::string(result.host);
    out["token_expires_at_ms"] = value::number(static_cast<int64_t>(result.token_expires_at_ms));
    out["reconnected"] = value::boolean(result.reconnected);
    return http::Response::Json(200, out.serialize());
  }

  // {event, data:{…model…}, accountInfo:{integrationUuid, uuid, model}} (reference §1.2).
  http::Response Event(http::Request& r) {
    if (options_.application_uuid.empty()) {
      throw NotFound("opdesk is not set up as a Megaplan application");
    }
    value body;
    try {
      body = value::parse(r.body);
    } catch (const std::exception&) {
      throw InvalidArgument("the event is not JSON");
    }
    if (!body.is_object() || !body.has_field("accountInfo") ||
        !body.at("accountInfo").is_object()) {
      throw InvalidArgument("the event has no accountInfo", "accountInfo");
    }
    const value& info = body.at("accountInfo");
    const std::string event = adapters::JsonText(body, "event");
    if (event != "on_after_create" && event != "on_after_update" && event != "on_after_drop") {
      throw InvalidArgument("unknown event '" + event + "'", "event");
    }
    if (!crypto::ConstantTimeEquals(adapters::JsonText(info, "integrationUuid"),
                                    options_.application_uuid)) {
      throw PermissionDenied("accountInfo.integrationUuid names another application");
    }
    // Which account: the reference's event carries only the application's and the event's uuid
    // and the model, which cannot tell accounts apart. The account is therefore taken from
    // accountInfo's accountId / permanentHost / uniqueAccountId when Megaplan sends them (not
    // confirmed by the sources read: to be checked on a live account); an event naming none of
    // a connected account is refused, never guessed.
    std::string host = adapters::JsonText(info, "accountId");
    if (host.empty()) {
      host = adapters::JsonText(info, "permanentHost");
    }
    const std::string unique_id = adapters::JsonText(info, "uniqueAccountId");
    if (host.empty() && unique_id.empty()) {
      throw InvalidArgument("the event names no account (accountInfo.accountId)",
                            "accountInfo.accountId");
    }
    std::optional<MegaplanAccount> account;
    storage::WithSession(db_, [&](storage::Session& s) {
      account = storage::MegaplanAccountRepository::FindByApplication(s, host, unique_id);
    });
    // An account launched as the application at least once (a later password sign-in may have
    // replaced the token; the application, and its events, stay).
    if (!account || account->unique_account_id.empty()) {
      throw NotFound("no Megaplan account is connected as this application for '" +
                     (host.empty() ? unique_id : host) + "'");
    }
    if (!unique_id.empty() && unique_id != account->unique_account_id) {
      throw PermissionDenied("accountInfo.uniqueAccountId does not match the connected account");
    }
    const std::string model = adapters::JsonText(info, "model");
    if (model != "ContractorHuman" && model != "ContractorCompany") {
      // Deals and the rest: opdesk keeps no copy of them (open deals are read at each call).
      return Answer("ignored");
    }
    const std::string id =
        body.has_field("data") ? adapters::JsonIdText(body.at("data"), "id") : "";
    if (id.empty() || id.size() > 64 || id.find_first_not_of("0123456789") != std::string::npos) {
      throw InvalidArgument("the event's data has no contractor id", "data.id");
    }
    // Every process's index is told first, then this one reads the contractor again.
    long long generation = 0;
    storage::InTransaction(db_, [&](storage::Session& s) {
      generation = storage::MegaplanAccountRepository::BumpIndexGeneration(s, account->tenant_id);
    });
    const bool exists = crm_.RefreshClient(account->tenant_id, id, generation);
    spdlog::info("event=megaplan_entity_event tenant={} event={} model={} id={} exists={}",
                 LogValue(account->tenant_id), LogValue(event), LogValue(model), LogValue(id),
                 exists);
    return Answer(exists ? "refreshed" : "dropped");
  }

 private:
  static http::Response Answer(const std::string& status) {
    return http::Response::Json(200, "{\"status\":" + http::JsonQuote(status) + "}");
  }

  storage::Database& db_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
  adapters::HttpTransport& http_;
  MegaplanCrm& crm_;
  ApplicationOptions options_;
};

}  // namespace

void InstallApplication(app::Wiring& w) {
  if (w.megaplan_crm == nullptr) {
    throw Internal("megaplan::InstallApplication needs the Megaplan CRM");
  }
  auto& app = w.Make<Application>(w, *w.megaplan_crm);
  const http::RouteOptions small{16 * 1024};
  const http::RouteOptions event{64 * 1024};
  // No session exists for these: the launch proves itself by its token working on the
  // account's host, an event by naming this application and a connected account (and its
  // entity is read again from the account, never believed).
  w.router.Add(
      "GET", "/megaplan/app", [&app](http::Request& r) { return app.Launch(r); }, small);
  w.router.Add(
      "POST", "/megaplan/app", [&app](http::Request& r) { return app.Launch(r); }, small);
  w.router.Add(
      "POST", "/megaplan/events", [&app](http::Request& r) { return app.Event(r); }, event);
}

}  // namespace opdesk::megaplan
