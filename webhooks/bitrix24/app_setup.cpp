// Portal setup: what the app needs bound on the portal. Each step first looks at what exists, so
// running setup again (reinstall, a retried job, the install page reloaded) binds nothing twice.
#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "connector/domain/log_escape.h"
#include "connector/domain/time_zone.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/repositories.h"
#include "webhooks/bitrix24/app_service.h"
#include "webhooks/bitrix24/pages.h"

namespace opdesk::bitrix24 {
namespace {

// ONAPPINSTALL brings the portal's application_token in a verifiable way (its refresh token is
// checked with the auth server), confirming or replacing the one the install wizard's frame sent.
const char* const kEvents[] = {"ONAPPINSTALL", "ONAPPUNINSTALL", "ONEXTERNALCALLSTART",
                               "ONEXTERNALCALLBACKSTART"};

std::string Field(const web::json::value& v, const char* lower, const char* upper) {
  for (const char* k : {lower, upper}) {
    if (v.is_object() && v.has_field(k) && v.at(k).is_string()) {
      return v.at(k).as_string();
    }
  }
  return "";
}

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

std::vector<SetupStep> Bitrix24App::RunSetup(const std::string& tenant_id) {
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
    const std::string status = Field(info, "status", "STATUS");
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
    const std::string zone = Field(profile, "time_zone", "TIME_ZONE");
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

  const std::string events_handler = options_.public_url + "/b24/events";
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
          if (Upper(Field(b, "event", "EVENT")) == event &&
              Field(b, "handler", "HANDLER") == events_handler) {
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
    const std::string handler = options_.public_url + "/b24/callcard";
    web::json::value bound = rest_.Call(tenant_id, "placement.get", web::json::value::object());
    if (bound.is_array()) {
      for (const auto& b : bound.as_array()) {
        if (Field(b, "placement", "PLACEMENT") == "CALL_CARD" &&
            Field(b, "handler", "HANDLER") == handler) {
          return;
        }
      }
    }
    web::json::value params = web::json::value::object();
    params["PLACEMENT"] = web::json::value::string("CALL_CARD");
    params["HANDLER"] = web::json::value::string(handler);
    params["TITLE"] = web::json::value::string("opdesk");
    web::json::value lang_all = web::json::value::object();
    lang_all["ru"]["TITLE"] = web::json::value::string("opdesk: скрипт и кнопки");
    lang_all["en"]["TITLE"] = web::json::value::string("opdesk: script and buttons");
    params["LANG_ALL"] = lang_all;
    BindUnlessBound(rest_, tenant_id, "placement.bind", params);
  });

  step("supervisor", [&] {
    storage::InTransaction(db_, [&](storage::Session& s) {
      std::optional<B24Portal> p = storage::B24PortalRepository::Find(s, tenant_id);
      if (!p || p->installer_user_id.empty()) {
        throw NotFound("the portal has no installing user");
      }
      settings_.GrantInstallerSupervisor(s, tenant_id, p->installer_user_id);
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

http::Response Bitrix24App::Setup(http::Request& request) {
  const crypto::SessionClaims claims = RequireSession(request, /*install_allowed=*/true);
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
  const std::vector<SetupStep> steps = RunSetup(claims.tenant_id);
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
