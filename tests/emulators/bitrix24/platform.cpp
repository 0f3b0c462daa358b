// Platform methods: profile, users, app.info, app options, event and placement bindings; plus
// the method table itself.
#include <algorithm>

#include "tests/emulators/bitrix24/methods.h"
#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

const Registry& Methods() {
  static const Registry table = [] {
    Registry r;
    RegisterPlatform(r);
    RegisterStructure(r);
    RegisterCrmEntities(r);
    RegisterCrmMisc(r);
    RegisterCrmSales(r);
    RegisterTelephonyLines(r);
    RegisterTelephonyCalls(r);
    return r;
  }();
  return table;
}

namespace {

Json PublicUser(const Json& u) {
  Json out = u;
  out.erase("ADMIN");
  return out;
}

const Json& CurrentUser(CallContext& ctx) {
  static const Json kNone = Json::object();
  auto it = ctx.st.data.users.find(ctx.user_id);
  return it == ctx.st.data.users.end() ? kNone : it->second;
}

MethodResult Profile(CallContext& ctx, const Json&) {
  const Json& u = CurrentUser(ctx);
  Json p = Json::object(true);
  p["ID"] = Json::string(std::to_string(ctx.user_id));
  p["ADMIN"] = Json::boolean(ctx.admin);
  p["NAME"] = Json::string(Str(u, "NAME"));
  p["LAST_NAME"] = Json::string(Str(u, "LAST_NAME"));
  p["PERSONAL_GENDER"] = Json::string(Str(u, "PERSONAL_GENDER"));
  p["TIME_ZONE"] = Json::string(Str(u, "TIME_ZONE"));
  return Ok(p);
}

MethodResult UserGet(CallContext& ctx, const Json& params) {
  Json filter = Json::object(true);
  // user.get takes FILTER (any case) and also plain top-level field params as filter.
  if (const Json* f = FindAnyCase(params, "FILTER"); f != nullptr && f->is_object()) {
    filter = *f;
  }
  for (const auto& [k, v] : params.as_object()) {
    std::string lower = ToLower(k);
    if (lower != "filter" && lower != "auth" && lower != "start" && lower != "sort" &&
        lower != "order" && lower != "admin_mode" && lower != "select" && !v.is_object()) {
      filter[k] = v;
    }
  }
  std::vector<Json> rows;
  for (const auto& [id, u] : ctx.st.data.users) {
    rows.push_back(PublicUser(u));
  }
  Json order = Json::object(true);
  if (NonEmpty(params, "sort")) {
    order[Str(params, "sort")] = Json::string(Str(params, "order", "ASC"));
  }
  return ListRows(rows, filter, order, Json::null(), Find(params, "start"), {});
}

MethodResult AppInfo(CallContext& ctx, const Json&) {
  Json app = ctx.st.data.app;
  app["INSTALLED"] = Json::boolean(!ctx.st.uninstalled && Truthy(app.at("INSTALLED")));
  return Ok(app);
}

MethodResult AppOptionSet(CallContext& ctx, const Json& params) {
  if (!ctx.admin) {
    return Fail(403, "ACCESS_DENIED", "Administrator authorization required");
  }
  const Json* options = Find(params, "options");
  if (options == nullptr || !options->is_object() || options->size() == 0) {
    return Fail(400, "ERROR_ARGUMENT", "Wrong options");
  }
  for (const auto& [k, v] : options->as_object()) {
    ctx.st.data.options[k] = v.is_string() ? v : Json::string(AsString(v));
  }
  return Ok(Json::boolean(true));
}

MethodResult AppOptionGet(CallContext& ctx, const Json& params) {
  if (NonEmpty(params, "option")) {
    const Json* v = Find(ctx.st.data.options, Str(params, "option"));
    return Ok(v == nullptr ? Json::null() : *v);
  }
  return Ok(ctx.st.data.options.size() == 0 ? Json::array() : ctx.st.data.options);
}

const std::vector<std::string> kEvents = {
    "ONAPPINSTALL",        "ONAPPUNINSTALL",          "ONAPPUPDATE",      "ONAPPPAYMENT",
    "ONEXTERNALCALLSTART", "ONEXTERNALCALLBACKSTART", "ONCRMLEADADD",     "ONCRMLEADUPDATE",
    "ONCRMDEALADD",        "ONCRMDEALUPDATE",         "ONCRMCONTACTADD",  "ONCRMCONTACTUPDATE",
    "ONCRMCOMPANYADD",     "ONCRMCOMPANYUPDATE",      "ONCRMACTIVITYADD", "ONUSERADD",
    "ONAPPMETHODCONFIRM",  "ONOFFLINEEVENT",          "ONCRMLEADDELETE",  "ONCRMDEALDELETE",
    "ONCRMCONTACTDELETE",  "ONCRMCOMPANYDELETE"};

MethodResult EventBind(CallContext& ctx, const Json& params) {
  std::string event = Str(params, "event");
  std::string type = ToLower(Str(params, "event_type", "online"));
  std::string handler = Str(params, "handler");
  if (event.empty()) {
    return Fail(400, "ERROR_ARGUMENT", "Argument 'event' is null or empty");
  }
  if (handler.empty() && type != "offline") {
    return Fail(400, "ERROR_ARGUMENT", "Argument 'handler' is null or empty");
  }
  std::string upper = event;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  if (std::find(kEvents.begin(), kEvents.end(), upper) == kEvents.end()) {
    return Fail(400, "ERROR_EVENT_NOT_FOUND", "Event not found");
  }
  if (type == "offline" && !ctx.admin) {
    return Fail(403, "ACCESS_DENIED", "Access denied");
  }
  for (const auto& b : ctx.st.data.events) {
    if (Str(b, "event") == upper && Str(b, "handler") == handler) {
      return Fail(400, "ERROR_CORE", "Handler already binded");
    }
  }
  Json b = Json::object(true);
  b["id"] = Json::number(ctx.st.NextId("event_handler"));
  b["event"] = Json::string(upper);
  b["handler"] = Json::string(handler);
  b["auth_type"] = Json::string(Str(params, "auth_type", "0"));
  b["offline"] = Json::number(type == "offline" ? 1 : 0);
  b["user_id"] = Json::number(ctx.user_id);
  ctx.st.data.events.push_back(b);
  return Ok(Json::boolean(true));
}

MethodResult EventGet(CallContext& ctx, const Json&) {
  Json out = Json::array();
  size_t i = 0;
  for (const auto& b : ctx.st.data.events) {
    Json e = Json::object(true);
    e["event"] = b.at("event");
    e["handler"] = b.at("handler");
    e["auth_type"] = b.at("auth_type");
    e["offline"] = b.at("offline");
    out[i++] = e;
  }
  return Ok(out);
}

MethodResult EventUnbind(CallContext& ctx, const Json& params) {
  std::string event = Str(params, "event");
  if (event.empty()) {
    return Fail(400, "ERROR_ARGUMENT", "Argument 'event' is null or empty");
  }
  std::transform(event.begin(), event.end(), event.begin(), ::toupper);
  std::string handler = Str(params, "handler");
  auto& ev = ctx.st.data.events;
  size_t before = ev.size();
  ev.erase(std::remove_if(ev.begin(), ev.end(),
                          [&](const Json& b) {
                            return Str(b, "event") == event &&
                                   (handler.empty() || Str(b, "handler") == handler);
                          }),
           ev.end());
  Json r = Json::object(true);
  r["count"] = Json::number(static_cast<int64_t>(before - ev.size()));
  return Ok(r);
}

const std::vector<std::string> kPlacements = {"CALL_CARD",
                                              "CRM_LEAD_DETAIL_TAB",
                                              "CRM_DEAL_DETAIL_TAB",
                                              "CRM_CONTACT_DETAIL_TAB",
                                              "CRM_COMPANY_DETAIL_TAB",
                                              "PAGE_BACKGROUND_WORKER",
                                              "LEFT_MENU",
                                              "TELEPHONY_ANALYTICS",
                                              "CRM_LEAD_LIST_MENU",
                                              "CRM_DEAL_LIST_MENU",
                                              "CRM_CONTACT_LIST_MENU",
                                              "USER_PROFILE_MENU"};

MethodResult PlacementBind(CallContext& ctx, const Json& params) {
  if (!ctx.admin) {
    return Fail(403, "ACCESS_DENIED", "Access denied! Admin permissions required");
  }
  std::string placement = Str(params, "PLACEMENT");
  std::string handler = Str(params, "HANDLER");
  if (placement.empty() || handler.empty()) {
    MethodResult r = Fail(400, "ERROR_ARGUMENT",
                          "Argument '" + std::string(placement.empty() ? "PLACEMENT" : "HANDLER") +
                              "' is null or empty");
    r.extra["argument"] = Json::string(placement.empty() ? "PLACEMENT" : "HANDLER");
    return r;
  }
  std::string scope = Str(ctx.st.data.app, "SCOPE", kScope);
  bool known = std::find(kPlacements.begin(), kPlacements.end(), placement) != kPlacements.end();
  if (!known || (placement == "CALL_CARD" && scope.find("telephony") == std::string::npos)) {
    return Fail(400, "ERROR_PLACEMENT_NOT_FOUND", "Placement not found");
  }
  for (const auto& p : ctx.st.data.placements) {
    if (Str(p, "placement") == placement && Str(p, "handler") == handler) {
      return Fail(400, "ERROR_PLACEMENT_HANDLER_ALREADY_BOUND", "Handler already binded");
    }
  }
  Json p = Json::object(true);
  p["placement"] = Json::string(placement);
  p["userId"] = Json::number(Int(params, "USER_ID").value_or(0));
  p["handler"] = Json::string(handler);
  // CALL_CARD ignores OPTIONS.
  p["options"] = placement == "CALL_CARD" || Find(params, "OPTIONS") == nullptr
                     ? Json::array()
                     : params.at("OPTIONS");
  p["title"] = Json::string(Str(params, "TITLE", "opdesk"));
  p["description"] = Json::string(Str(params, "DESCRIPTION"));
  p["langAll"] = Find(params, "LANG_ALL") ? params.at("LANG_ALL") : Json::array();
  ctx.st.data.placements.push_back(p);
  return Ok(Json::boolean(true));
}

MethodResult PlacementGet(CallContext& ctx, const Json&) {
  Json out = Json::array();
  size_t i = 0;
  for (const auto& p : ctx.st.data.placements) {
    out[i++] = p;
  }
  return Ok(out);
}

MethodResult PlacementUnbind(CallContext& ctx, const Json& params) {
  if (!ctx.admin) {
    return Fail(403, "ACCESS_DENIED", "Access denied! Admin permissions required");
  }
  std::string placement = Str(params, "PLACEMENT");
  if (placement.empty()) {
    MethodResult r = Fail(400, "ERROR_ARGUMENT", "Argument 'PLACEMENT' is null or empty");
    r.extra["argument"] = Json::string("PLACEMENT");
    return r;
  }
  std::string handler = Str(params, "HANDLER");
  auto& ps = ctx.st.data.placements;
  size_t before = ps.size();
  ps.erase(std::remove_if(ps.begin(), ps.end(),
                          [&](const Json& p) {
                            return Str(p, "placement") == placement &&
                                   (handler.empty() || Str(p, "handler") == handler);
                          }),
           ps.end());
  Json r = Json::object(true);
  r["count"] = Json::number(static_cast<int64_t>(before - ps.size()));
  return Ok(r);
}

// A personal notification to a user (scope im): USER_ID and MESSAGE required; the answer is the
// notification's id. Kept in the request log like every call.
MethodResult NotifyPersonalAdd(CallContext& ctx, const Json& params) {
  const int user = static_cast<int>(Int(params, "USER_ID").value_or(0));
  if (user <= 0 || ctx.st.data.users.count(user) == 0) {
    return Fail(400, "USER_ID_EMPTY", "Recipient is not specified");
  }
  if (Str(params, "MESSAGE").empty()) {
    return Fail(400, "MESSAGE_EMPTY", "Message can't be empty");
  }
  return Ok(Json::number(ctx.st.NextId("notify")));
}

}  // namespace

void RegisterPlatform(Registry& r) {
  r["profile"] = Profile;
  r["user.current"] = [](CallContext& ctx, const Json&) {
    return Ok(PublicUser(CurrentUser(ctx)));
  };
  r["user.admin"] = [](CallContext& ctx, const Json&) { return Ok(Json::boolean(ctx.admin)); };
  r["user.get"] = UserGet;
  r["app.info"] = AppInfo;
  r["app.option.set"] = AppOptionSet;
  r["app.option.get"] = AppOptionGet;
  r["event.bind"] = EventBind;
  r["event.get"] = EventGet;
  r["event.unbind"] = EventUnbind;
  r["placement.bind"] = PlacementBind;
  r["placement.get"] = PlacementGet;
  r["placement.unbind"] = PlacementUnbind;
  r["im.notify.personal.add"] = NotifyPersonalAdd;
}

}  // namespace b24emu
