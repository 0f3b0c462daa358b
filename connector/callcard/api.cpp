// /api/callcard: the context of a call, the Client tab and the Script tab. Button previews and
// presses are in press_api.cpp.
#include "connector/callcard/api.h"
#include "connector/domain/log_escape.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "connector/settings/codec.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/repositories.h"

namespace opdesk::callcard {
namespace {

using settings::Json;

std::string Param(const http::Request& r, const char* name) {
  return r.QueryParam(name).value_or("");
}

// Bitrix24 writes "undefined" (and sometimes "0") for placement options it has no value for.
bool Absent(const std::string& v) {
  return v.empty() || v == "undefined" || v == "0";
}

std::optional<bitrix24::CrmRef> OptionalRef(const std::string& entity, const std::string& id) {
  if (Absent(entity) || Absent(id)) {
    return std::nullopt;
  }
  return bitrix24::ParseCrmRef(entity, id);
}

Json Str(const std::string& s) {
  return Json::string(s);
}

Json PersonJson(const std::string& id, const std::string& name) {
  Json p = Json::object(true);
  p["id"] = Str(id);
  p["name"] = Str(name);
  return p;
}

}  // namespace

std::string RequestLanguage(const http::Request& request) {
  const std::string lang = request.Header("Accept-Language");
  return lang.rfind("en", 0) == 0 ? "en" : "ru";
}

CallcardApi::Seated CallcardApi::SeatedCaller(const http::Request& request,
                                              const http::Caller& caller) {
  if (!caller.role) {
    throw Internal("a call card route that needs a seat is not guarded by one");
  }
  return Seated{caller.tenant_id, caller.user_id, *caller.role, RequestLanguage(request)};
}

std::string CallcardApi::SettingsUrl(const std::string& tenant_id) {
  std::optional<B24Portal> portal;
  storage::WithSession(
      db_, [&](storage::Session& s) { portal = storage::B24PortalRepository::Find(s, tenant_id); });
  if (!portal) {
    return "";
  }
  std::string app_id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    app_id = app_ids_[tenant_id];
  }
  if (app_id.empty()) {
    try {
      app_id = crm_.FetchMarketplaceStatus(tenant_id).app_id;
      if (!app_id.empty()) {
        std::lock_guard<std::mutex> lock(mu_);
        app_ids_[tenant_id] = app_id;
      }
    } catch (const Error& e) {
      spdlog::warn("event=callcard_app_info_failed tenant={} error={}", tenant_id,
                   LogQuoted(e.what()));
    }
  }
  // The app's page in the portal; without its id, the portal's list of installed apps.
  return "https://" + portal->domain +
         (app_id.empty() ? "/marketplace/installed/" : "/marketplace/app/" + app_id + "/");
}

http::Response CallcardApi::Context(http::Request& request, const http::Caller& caller) {
  const settings::AccessView access = settings_.ResolveAccess(caller.tenant_id, caller.user_id);
  std::optional<User> user;
  storage::WithSession(db_, [&](storage::Session& s) {
    user = storage::UserRepository::Find(s, caller.tenant_id, caller.user_id);
  });
  Json body = Json::object(true);
  body["user"] = PersonJson(caller.user_id, user ? user->name : "");
  Json a = Json::object(true);
  const bool seated = access.state == settings::SeatState::kActive && access.role;
  a["state"] = Str(seated ? "ok" : std::string(settings::ToString(access.state)));
  if (!seated) {
    Json supervisors = Json::array(access.supervisors.size());
    for (std::size_t i = 0; i < access.supervisors.size(); ++i) {
      supervisors[i] = PersonJson(access.supervisors[i].user_id, access.supervisors[i].name);
    }
    a["supervisors"] = supervisors;
    a["settings_url"] = Str(SettingsUrl(caller.tenant_id));
    body["access"] = a;
    return http::Response::Json(200, body.serialize());
  }
  body["access"] = a;

  const std::optional<settings::RoleView> view = settings_.LoadRoleView(caller.tenant_id, access);
  if (!view) {
    throw PermissionDenied("the user's seat changed; reload the card");
  }
  Json role = Json::object(true);
  role["id"] = Str(std::to_string(view->role.id));
  role["name"] = Str(view->role.name);
  role["keep_card_open"] = Json::boolean(view->role.keep_card_open);
  body["role"] = role;

  Json call = Json::object(true);
  call["call_id"] = Str(Absent(Param(request, "call_id")) ? "" : Param(request, "call_id"));
  call["phone"] = Str(Param(request, "phone"));
  call["direction"] = Str(Param(request, "direction"));
  call["line"] = Str(Param(request, "line"));
  body["call"] = call;

  const auto bound = OptionalRef(Param(request, "entity"), Param(request, "entity_id"));
  try {
    std::vector<adapters::ClientResponsibles> by_phone;
    body["matches"] = card_.FindMatches(caller.tenant_id, caller.user_id, Param(request, "phone"),
                                        bound, &by_phone);
    // What the operator's lookup found by phone serves the next call's route; nothing found
    // is not kept (the operator may not see every record).
    if (warm_routes_ && !by_phone.empty()) {
      warm_routes_(caller.tenant_id, Param(request, "phone"), by_phone);
    }
  } catch (const Error& e) {
    // The card still shows its buttons and scripts; the Client tab says why it is empty.
    if (e.code() == ErrorCode::kInvalidArgument) {
      throw;
    }
    body["matches"] = Json::array();
    body["matches_error"] = Str(e.what());
    spdlog::warn("event=callcard_lookup_failed tenant={} user={} error={}", caller.tenant_id,
                 caller.user_id, LogQuoted(e.what()));
  }

  Json buttons = Json::array(view->buttons.size());
  for (std::size_t i = 0; i < view->buttons.size(); ++i) {
    const Button& b = view->buttons[i];
    Json j = Json::object(true);
    j["id"] = Str(std::to_string(b.id));
    j["name"] = Str(b.name);
    j["color"] = Str(b.color);
    j["actions"] = settings::ActionsToJson(b.actions);
    buttons[i] = j;
  }
  body["buttons"] = buttons;
  // F1: the scripts that fit the call (its direction, the deal's type when the card was told)
  // first, most specific first; `chosen_script_id` is the one to open without asking.
  std::vector<ScriptCandidate> candidates;
  for (const settings::ScriptSummary& sc : view->scripts) {
    candidates.push_back({sc.id, sc.settings});
  }
  const std::string deal_type =
      Absent(Param(request, "deal_type")) ? "" : Param(request, "deal_type");
  const ScriptChoice choice =
      ChooseScripts(candidates, CallDirection(Param(request, "direction")), deal_type);
  std::vector<const settings::ScriptSummary*> ordered;
  for (long long id : choice.fitting) {
    for (const settings::ScriptSummary& sc : view->scripts) {
      if (sc.id == id) {
        ordered.push_back(&sc);
      }
    }
  }
  const std::size_t fitting = ordered.size();
  for (const settings::ScriptSummary& sc : view->scripts) {
    if (std::find(choice.fitting.begin(), choice.fitting.end(), sc.id) == choice.fitting.end()) {
      ordered.push_back(&sc);
    }
  }
  Json scripts = Json::array(ordered.size());
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    Json j = Json::object(true);
    j["id"] = Str(std::to_string(ordered[i]->id));
    j["name"] = Str(ordered[i]->name);
    j["version"] = Json::number(static_cast<int64_t>(ordered[i]->published_version));
    j["call_type"] = Str(ordered[i]->settings.call_type);
    j["deal_type"] = Str(ordered[i]->settings.deal_type);
    j["fits"] = Json::boolean(i < fitting);
    scripts[i] = j;
  }
  body["chosen_script_id"] = Str(choice.chosen > 0 ? std::to_string(choice.chosen) : "");
  body["scripts"] = scripts;
  return http::Response::Json(200, body.serialize());
}

http::Response CallcardApi::Client(http::Request& request, const http::Caller& caller) {
  const Seated c = SeatedCaller(request, caller);
  const bitrix24::CrmRef ref =
      bitrix24::ParseCrmRef(Param(request, "entity"), Param(request, "id"));
  const Json sections = card_.LoadSections(c.tenant_id, c.user_id, ref, c.role.client_fields);
  return http::Response::Json(200, sections.serialize());
}

http::Response CallcardApi::SaveClient(http::Request& request, const http::Caller& caller) {
  const Seated c = SeatedCaller(request, caller);
  const Json body = settings::ParseBody(request.body);
  settings::ObjectReader r(body, "");
  const std::string entity = r.String("entity", true, 16);
  const std::string id = r.String("id", true, 32);
  const Json* values = r.Get("values");
  r.Done();
  if (values == nullptr || !values->is_object()) {
    throw InvalidArgument("values must be an object of field codes", "values");
  }
  const bitrix24::CrmRef ref = bitrix24::ParseCrmRef(entity, id);
  const Json section =
      card_.Save(c.tenant_id, c.user_id, ref, *values, c.role.client_fields, c.lang);
  return http::Response::Json(200, section.serialize());
}

http::Response CallcardApi::Script(http::Request& request, const http::Caller& caller) {
  const Seated c = SeatedCaller(request, caller);
  const long long id = settings::ParseIdText(request.PathParam("id"), "id");
  if (std::find(c.role.script_ids.begin(), c.role.script_ids.end(), id) ==
      c.role.script_ids.end()) {
    throw NotFound("the role has no script " + std::to_string(id));
  }
  long long version = 0;
  if (const auto v = request.QueryParam("version"); v && !v->empty()) {
    version = settings::ParseIdText(*v, "version");
  }
  const ScriptVersion script = settings_.LoadPublishedScript(c.tenant_id, id, version);
  return http::Response::Json(200, settings::ToJson(script).serialize());
}

http::Response CallcardApi::StartRun(http::Request& request, const http::Caller& caller) {
  const Seated c = SeatedCaller(request, caller);
  const Json body = settings::ParseBody(request.body);
  settings::ObjectReader r(body, "");
  const std::string call_id = r.String("call_id", false, 191);
  const long long script_id = r.Id("script_id", true);
  const long long version = r.Int("version", true);
  // F2: the number of the call and the client the card shows, for the script's number field.
  const std::string phone = r.String("phone", false, 64);
  const std::string entity = r.String("entity", false, 16);
  const std::string entity_id = r.String("entity_id", false, 32);
  r.Done();
  std::string record;
  if (!entity.empty() || !entity_id.empty()) {
    const bitrix24::CrmRef ref = bitrix24::ParseCrmRef(entity, entity_id);
    record = adapters::StoredRecordKey(adapters::CrmRecord{ref.entity, ref.id});
  }
  if (std::find(c.role.script_ids.begin(), c.role.script_ids.end(), script_id) ==
      c.role.script_ids.end()) {
    throw NotFound("the role has no script " + std::to_string(script_id));
  }
  const long long run_id =
      settings_.StartRun(c.tenant_id, c.user_id, call_id, script_id, version, phone, record);
  Json out = Json::object(true);
  out["run_id"] = Str(std::to_string(run_id));
  return http::Response::Json(201, out.serialize());
}

http::Response CallcardApi::SaveRun(http::Request& request, const http::Caller& caller) {
  const Seated c = SeatedCaller(request, caller);
  const long long run_id = settings::ParseIdText(request.PathParam("id"), "id");
  const Json body = settings::ParseBody(request.body);
  settings::ObjectReader r(body, "");
  const std::string current = r.String("current_step", true, 64);
  const std::vector<ScriptRunStep> path =
      settings::RunPathFromJson(r.Array("path", true, kMaxRunPath), "path");
  r.Done();
  settings_.SaveRun(c.tenant_id, c.user_id, run_id, current, path);
  Json out = Json::object(true);
  out["run_id"] = Str(std::to_string(run_id));
  out["saved_at_ms"] = Json::number(static_cast<int64_t>(clock_.NowMs()));
  return http::Response::Json(200, out.serialize());
}

void AddCallcardRoutes(http::Router& router, CallcardApi& api) {
  const http::RouteOptions small{8 * 1024};
  const http::RouteOptions fields{64 * 1024};
  const http::RouteOptions path{512 * 1024};
  CallcardApi* a = &api;
  using http::Guard;
  // The context answers users without a seat too (whom to ask); a press is its presser's.
  const auto route =
      [&router, a](const char* method, const char* pattern, Guard guard,
                   http::Response (CallcardApi::*handler)(http::Request&, const http::Caller&),
                   http::RouteOptions options = {}) {
        router.Add(
            method, pattern, guard,
            [a, handler](http::Request& r, const http::Caller& c) { return (a->*handler)(r, c); },
            options);
      };
  route("GET", "/api/callcard/context", Guard::kSession, &CallcardApi::Context);
  route("GET", "/api/callcard/client", Guard::kSeat, &CallcardApi::Client);
  route("PUT", "/api/callcard/client", Guard::kSeat, &CallcardApi::SaveClient, fields);
  route("GET", "/api/callcard/history", Guard::kSeat, &CallcardApi::History);
  route("GET", "/api/callcard/scripts/{id}", Guard::kSeat, &CallcardApi::Script);
  route("POST", "/api/callcard/runs", Guard::kSeat, &CallcardApi::StartRun, small);
  route("PUT", "/api/callcard/runs/{id}", Guard::kSeat, &CallcardApi::SaveRun, path);
  route("POST", "/api/callcard/buttons/{id}/preview", Guard::kSeat, &CallcardApi::Preview, small);
  route("POST", "/api/callcard/buttons/{id}/press", Guard::kSeat, &CallcardApi::Press, fields);
  route("GET", "/api/callcard/presses/{id}", Guard::kSession, &CallcardApi::PressState);
}

}  // namespace opdesk::callcard
