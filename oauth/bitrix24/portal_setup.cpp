// Portal setup: what the app needs bound on the portal. Each step first looks at what exists, so
// running setup again (reinstall, a retried job, the install page reloaded) binds nothing twice.
#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <cctype>

#include "adapters/bitrix24/rest_client.h"
#include "adapters/json_read.h"
#include "connector/domain/log_escape.h"
#include "connector/domain/messages.h"
#include "connector/domain/time_zone.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/bitrix24/portal_setup.h"

namespace opdesk::bitrix24 {
namespace {

// Bitrix24 names a field in lower case in some answers and in upper case in others: the lower-case
// string first, else the upper-case one.
using adapters::JsonString;

// ONAPPINSTALL brings the portal's application_token in a verifiable way (its refresh token is
// checked with the auth server), confirming or replacing the one the install wizard's frame sent.
// The CRM change events keep the routing cache (B5) in step with contacts, companies and leads
// whose phones or responsibles change.
const char* const kEvents[] = {
    "ONAPPINSTALL",       "ONAPPUNINSTALL",     "ONEXTERNALCALLSTART", "ONEXTERNALCALLBACKSTART",
    "ONCRMCONTACTUPDATE", "ONCRMCONTACTDELETE", "ONCRMCOMPANYUPDATE",  "ONCRMCOMPANYDELETE",
    "ONCRMLEADUPDATE",    "ONCRMLEADDELETE"};

std::string Upper(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return s;
}

// Binding calls are not resent blindly after a transport failure; if an earlier attempt did reach
// the portal, the next setup finds the binding, or the portal answers "Handler already binded".
void BindUnlessBound(RestClient& rest, const std::string& tenant_id, const std::string& method,
                     const web::json::value& params) {
  CallOptions options;
  options.idempotent = false;
  try {
    rest.Call(tenant_id, method, params, options);
  } catch (const Error& e) {
    if (std::string(e.what()).find("already") == std::string::npos) {
      throw;
    }
  }
}

}  // namespace

PortalSetup::PortalSetup(storage::Database& db, RestClient& rest, const Clock& clock,
                         GrantInstaller grant_installer, std::string public_url)
    : db_(db),
      rest_(rest),
      clock_(clock),
      grant_installer_(std::move(grant_installer)),
      public_url_(std::move(public_url)) {}

std::vector<SetupStep> PortalSetup::Run(const std::string& tenant_id) {
  std::vector<SetupStep> steps;
  auto step = [&](const std::string& name, const std::function<void()>& body) {
    SetupStep s{name, false, ""};
    try {
      body();
      s.done = true;
    } catch (const Error& e) {
      s.error = e.what();
      spdlog::warn("event=b24_setup_step_failed portal={} step={} error={}", tenant_id, name,
                   LogQuoted(e.what()));
    }
    steps.push_back(s);
  };

  step("app_info", [&] {
    web::json::value info = rest_.Call(tenant_id, "app.info", web::json::value::object());
    const std::string status = JsonString(info, "status", JsonString(info, "STATUS"));
    storage::InTransaction(db_, [&](storage::Session& s) {
      std::optional<B24Portal> p = storage::B24PortalRepository::Find(s, tenant_id);
      if (p && !status.empty()) {
        p->app_status = status;
        p->updated_at_ms = clock_.NowMs();
        storage::B24PortalRepository::Upsert(s, *p);
      }
    });
  });

  // The installer's time zone stands for the portal's (new clients' names, button deadlines).
  // Not a step: a portal that does not say keeps the default, and setup is not held up by it.
  try {
    const web::json::value profile = rest_.Call(tenant_id, "profile", web::json::value::object());
    const std::string zone = JsonString(profile, "time_zone", JsonString(profile, "TIME_ZONE"));
    if (!zone.empty()) {
      LoadTimeZone(zone);  // only a zone the system knows
      storage::InTransaction(db_, [&](storage::Session& s) {
        std::optional<Tenant> t = storage::TenantRepository::Lock(s, tenant_id);
        if (t && t->time_zone != zone) {
          t->time_zone = zone;
          t->updated_at_ms = clock_.NowMs();
          storage::TenantRepository::Upsert(s, *t);
        }
      });
    }
  } catch (const Error& e) {
    spdlog::warn("event=b24_setup_time_zone_skipped portal={} error={}", tenant_id,
                 LogQuoted(e.what()));
  }

  const std::string events_handler = public_url_ + "/b24/events";
  web::json::value bound_events = web::json::value::array();
  try {
    bound_events = rest_.Call(tenant_id, "event.get", web::json::value::object());
  } catch (const Error& e) {
    spdlog::warn("event=b24_setup_event_get_failed portal={} error={}", tenant_id,
                 LogQuoted(e.what()));
  }
  for (const char* event : kEvents) {
    step(std::string("event.") + event, [&] {
      if (bound_events.is_array()) {
        for (const auto& b : bound_events.as_array()) {
          if (Upper(JsonString(b, "event", JsonString(b, "EVENT"))) == event &&
              JsonString(b, "handler", JsonString(b, "HANDLER")) == events_handler) {
            return;
          }
        }
      }
      web::json::value params = web::json::value::object();
      params["event"] = web::json::value::string(event);
      params["handler"] = web::json::value::string(events_handler);
      BindUnlessBound(rest_, tenant_id, "event.bind", params);
    });
  }

  step("placement.CALL_CARD", [&] {
    const std::string handler = public_url_ + "/b24/callcard";
    web::json::value bound = rest_.Call(tenant_id, "placement.get", web::json::value::object());
    if (bound.is_array()) {
      for (const auto& b : bound.as_array()) {
        if (JsonString(b, "placement", JsonString(b, "PLACEMENT")) == "CALL_CARD" &&
            JsonString(b, "handler", JsonString(b, "HANDLER")) == handler) {
          return;
        }
      }
    }
    web::json::value params = web::json::value::object();
    params["PLACEMENT"] = web::json::value::string("CALL_CARD");
    params["HANDLER"] = web::json::value::string(handler);
    params["TITLE"] = web::json::value::string("opdesk");
    web::json::value lang_all = web::json::value::object();
    for (const char* lang : {"ru", "en"}) {
      lang_all[lang]["TITLE"] = web::json::value::string(Message("placement.call_card", lang));
    }
    params["LANG_ALL"] = lang_all;
    BindUnlessBound(rest_, tenant_id, "placement.bind", params);
  });

  step("supervisor", [&] {
    storage::InTransaction(db_, [&](storage::Session& s) {
      std::optional<B24Portal> p = storage::B24PortalRepository::Find(s, tenant_id);
      if (!p || p->installer_user_id.empty()) {
        throw NotFound("the portal has no installing user");
      }
      grant_installer_(s, tenant_id, p->installer_user_id);
    });
  });

  bool all_done = true;
  for (const SetupStep& s : steps) {
    all_done = all_done && s.done;
  }
  if (all_done) {
    storage::InTransaction(db_, [&](storage::Session& s) {
      std::optional<B24Portal> p = storage::B24PortalRepository::Find(s, tenant_id);
      if (p && p->state != "installed") {
        p->state = "installed";
        p->setup_done_at_ms = clock_.NowMs();
        p->updated_at_ms = clock_.NowMs();
        storage::B24PortalRepository::Upsert(s, *p);
        storage::AuditLogRepository::Append(s, MakeAuditEntry(tenant_id, "system", "app.setup",
                                                              "portal", tenant_id, clock_.NowMs()));
      }
    });
  }
  return steps;
}

}  // namespace opdesk::bitrix24
