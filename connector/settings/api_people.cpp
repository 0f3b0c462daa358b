// /api/settings/users, /tariff, /crm, /template-variables and /audit.
#include "connector/domain/error.h"

#include <cpprest/json.h>

#include <map>
#include "connector/domain/templates.h"
#include "connector/settings/api.h"
#include "connector/settings/codec.h"
#include "connector/storage/repositories.h"

namespace opdesk::settings {
namespace {

Json Int(long long v) {
  return Json::number(static_cast<int64_t>(v));
}

Json LimitJson(int max_users) {
  return max_users > 0 ? Json::number(max_users) : Json::null();
}

Json UserJson(const UserSeat& seat) {
  Json j = Json::object(true);
  j["user_id"] = Json::string(seat.user.user_id);
  j["name"] = Json::string(seat.user.name);
  j["email"] = Json::string(seat.user.email);
  j["portal_active"] = Json::boolean(seat.user.status != "fired");
  j["role_id"] =
      seat.user.role_id > 0 ? Json::string(std::to_string(seat.user.role_id)) : Json::null();
  j["status"] = Json::string(std::string(ToString(seat.state)));
  return j;
}

Json SeatsJson(long long used, const PlanStatus& plan) {
  Json j = Json::object(true);
  j["used"] = Int(used);
  j["limit"] = LimitJson(plan.max_users);
  return j;
}

Json AuditJson(const AuditEntry& e, const std::map<std::string, std::string>& actor_names) {
  auto doc = [](const std::optional<std::string>& text) {
    if (!text) {
      return Json::null();
    }
    try {
      return Json::parse(*text);
    } catch (const std::exception&) {
      return Json::string(*text);
    }
  };
  Json j = Json::object(true);
  j["id"] = Json::string(std::to_string(e.id));
  j["at_ms"] = Int(e.at_ms);
  j["actor"] = Json::string(e.actor);
  const auto name = actor_names.find(e.actor);
  j["actor_name"] = name != actor_names.end() ? Json::string(name->second) : Json::null();
  j["action"] = Json::string(e.action);
  j["object_type"] = Json::string(e.object_type);
  j["object_id"] = Json::string(e.object_id);
  j["before"] = doc(e.before_json);
  j["after"] = doc(e.after_json);
  return j;
}

int LimitParam(const http::Request& req) {
  const std::optional<std::string> v = req.QueryParam("limit");
  if (!v) {
    return 50;
  }
  if (v->empty() || v->size() > 3 || v->find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(*v) < 1 || std::stoi(*v) > 200) {
    throw InvalidArgument("limit must be from 1 to 200", "limit");
  }
  return std::stoi(*v);
}

bool AllOf(const std::string& text, const char* allowed) {
  return text.find_first_not_of(allowed) == std::string::npos;
}

constexpr const char* kDigits = "0123456789";

// The audit page's narrowing: `actor` (user:<id>, system, vendor), `object_type` and
// `object_id` (only with a type). An empty parameter does not narrow; a malformed one is a 400
// naming it.
storage::AuditFilter AuditFilterParams(const http::Request& req) {
  storage::AuditFilter f;
  f.actor = req.QueryParam("actor").value_or("");
  f.object_type = req.QueryParam("object_type").value_or("");
  f.object_id = req.QueryParam("object_id").value_or("");
  if (!f.actor.empty() && f.actor != "system" && f.actor != "vendor") {
    const std::string id = f.actor.rfind("user:", 0) == 0 ? f.actor.substr(5) : "";
    if (id.empty() || id.size() > 20 || !AllOf(id, kDigits)) {
      throw InvalidArgument("actor must be user:<id>, system or vendor", "actor");
    }
  }
  if (f.object_type.size() > 40 || !AllOf(f.object_type, "abcdefghijklmnopqrstuvwxyz_")) {
    throw InvalidArgument("object_type must be up to 40 of a-z and _", "object_type");
  }
  if (f.object_id.size() > 64 ||
      !AllOf(f.object_id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.:@")) {
    throw InvalidArgument("object_id must be up to 64 of A-Z a-z 0-9 _ - . : @", "object_id");
  }
  if (!f.object_id.empty() && f.object_type.empty()) {
    throw InvalidArgument("object_id needs object_type", "object_id");
  }
  return f;
}

// Names of the portal users among the entries' actors, so the page can say who did it.
std::map<std::string, std::string> ActorNames(storage::Session& s, const std::string& tenant_id,
                                              const std::vector<AuditEntry>& entries) {
  std::map<std::string, std::string> names;
  for (const AuditEntry& e : entries) {
    if (e.actor.rfind("user:", 0) != 0 || names.count(e.actor) > 0) {
      continue;
    }
    if (const auto user = storage::UserRepository::Find(s, tenant_id, e.actor.substr(5))) {
      names[e.actor] = user->name;
    }
  }
  return names;
}

}  // namespace

Json TariffJson(const TariffView& t, const SettingsOptions& options) {
  const PlanCatalog& plans = options.plans;
  Json j = Json::object(true);
  j["plan"] = Json::string(t.status.plan);
  j["max_users"] = LimitJson(t.status.max_users);
  j["seats_used"] = Int(t.seats_used);
  j["lapsed"] = Json::boolean(t.status.lapsed);
  j["paid_until_ms"] = t.status.paid_until_ms > 0 ? Int(t.status.paid_until_ms) : Json::null();
  try {
    j["paid_until"] =
        t.status.paid_until_ms > 0
            ? Json::string(LastPaidDate(t.status.paid_until_ms, *LoadTimeZone(t.time_zone)))
            : Json::null();
  } catch (const Error&) {
    j["paid_until"] = Json::null();
  }
  Json list = Json::array(plans.plans().size());
  for (std::size_t i = 0; i < plans.plans().size(); ++i) {
    Json p = Json::object(true);
    p["name"] = Json::string(plans.plans()[i].name);
    p["max_users"] = LimitJson(plans.plans()[i].max_users);
    list[i] = p;
  }
  j["plans"] = list;
  // FEATURES E1: the prices shown on the upgrade prompt.
  Json prices = Json::array(2);
  prices[0] = Json::object(true);
  prices[0]["months"] = Int(3);
  prices[0]["rub"] = Int(5970);
  prices[1] = Json::object(true);
  prices[1]["months"] = Int(12);
  prices[1]["rub"] = Int(21492);
  j["prices_for_4_plus_users"] = prices;
  j["order_url"] = options.order_url.empty() ? Json::null() : Json::string(options.order_url);
  j["contacts"] = options.contacts.empty() ? Json::null() : Json::string(options.contacts);
  if (t.marketplace) {
    Json m = Json::object(true);
    m["status"] = Json::string(t.marketplace->status);
    m["payment_expired"] = Json::boolean(t.marketplace->payment_expired);
    m["days"] = Int(t.marketplace->days);
    m["license"] = Json::string(t.marketplace->license);
    m["fetched_at_ms"] = Int(t.marketplace->fetched_at_ms);
    j["bitrix24"] = m;
  } else {
    j["bitrix24"] = Json::null();
  }
  return j;
}

void AddPeopleRoutes(http::Router& router, SettingsService& service) {
  SettingsService* svc = &service;
  const http::RouteOptions small{kSmallBody};

  auto users_reply = [svc](const std::string& tenant_id, bool refresh) {
    const UsersView view = svc->ListUsers(tenant_id, refresh);
    Json users = Json::array(view.users.size());
    for (std::size_t i = 0; i < view.users.size(); ++i) {
      users[i] = UserJson(view.users[i]);
    }
    Json body = Json::object(true);
    body["users"] = users;
    body["seats"] = SeatsJson(view.seats_used, view.plan);
    body["synced_at_ms"] = view.synced_at_ms > 0 ? Int(view.synced_at_ms) : Json::null();
    return JsonReply(200, body);
  };
  // Who the settings pages are showing themselves to; any signed-in user gets an answer, so a
  // page can say "no rights" instead of failing on its first read.
  router.Add("GET", "/api/settings/me", http::Guard::kSession,
             [svc](http::Request& req, const http::Caller& c) {
               const MeView me = svc->Me(c.tenant_id, c.user_id);
               const bool active = me.state == SeatState::kActive;
               Json body = Json::object(true);
               body["user_id"] = Json::string(me.user_id);
               body["name"] = Json::string(me.name);
               body["role_id"] = me.role ? Json::string(std::to_string(me.role->id)) : Json::null();
               body["role_name"] = Json::string(me.role ? me.role->name : "");
               body["may_manage_settings"] =
                   Json::boolean(active && me.role && me.role->may_manage_settings);
               body["seat"] = Json::string(std::string(ToString(me.state)));
               body["lang"] =
                   Json::string(req.Header("Accept-Language").rfind("en", 0) == 0 ? "en" : "ru");
               return JsonReply(200, body);
             });
  router.Add("GET", "/api/settings/users", http::Guard::kSettingsManager,
             [svc, users_reply](http::Request&, const http::Caller& c) {
               return users_reply(c.tenant_id, false);
             });
  router.Add(
      "POST", "/api/settings/users/refresh", http::Guard::kSettingsManager,
      [svc, users_reply](http::Request&, const http::Caller& c) {
        return users_reply(c.tenant_id, true);
      },
      small);
  router.Add(
      "PUT", "/api/settings/users/{user_id}", http::Guard::kSettingsManager,
      [svc](http::Request& req, const http::Caller& c) {
        const Json body = ParseBody(req.body);
        ObjectReader r(body, "");
        const Json* role = r.Get("role_id");
        if (role == nullptr) {
          throw InvalidArgument("role_id is required (null takes the role away)", "role_id");
        }
        const long long role_id = role->is_null() ? 0 : ParseId(*role, "role_id");
        r.Get("user_id");
        r.Get("name");
        r.Get("email");
        r.Get("status");
        r.Get("portal_active");
        r.Done();
        const std::string user_id = req.PathParam("user_id");
        if (user_id.empty() || user_id.size() > 20 ||
            user_id.find_first_not_of("0123456789") != std::string::npos) {
          throw NotFound("no portal user " + user_id);
        }
        const UserSeat seat = svc->AssignRole(c.tenant_id, c.user_id, user_id, role_id);
        return JsonReply(200, UserJson(seat));
      },
      small);

  router.Add("GET", "/api/settings/tariff", http::Guard::kSeat,
             [svc](http::Request& req, const http::Caller& c) {
               const bool refresh = req.QueryParam("refresh").value_or("") == "1";
               return JsonReply(200, TariffJson(svc->Tariff(c.tenant_id, refresh), svc->options()));
             });

  router.Add("GET", "/api/settings/crm", http::Guard::kSeat,
             [svc](http::Request&, const http::Caller& c) {
               return JsonReply(200, ToJson(svc->Catalog(c.tenant_id)));
             });
  router.Add(
      "POST", "/api/settings/crm/refresh", http::Guard::kSettingsManager,
      [svc](http::Request&, const http::Caller& c) {
        return JsonReply(200, ToJson(svc->RefreshCatalog(c.tenant_id)));
      },
      small);

  router.Add("GET", "/api/settings/template-variables", http::Guard::kSeat,
             [svc](http::Request&, const http::Caller&) {
               const auto& vars = templates::Variables();
               Json a = Json::array(vars.size());
               for (std::size_t i = 0; i < vars.size(); ++i) {
                 Json v = Json::object(true);
                 v["name"] = Json::string(std::string(vars[i].name));
                 v["help_ru"] = Json::string(std::string(vars[i].help_ru));
                 v["help_en"] = Json::string(std::string(vars[i].help_en));
                 a[i] = v;
               }
               Json body = Json::object(true);
               body["variables"] = a;
               Json examples = Json::array(4);
               examples[0] = Json::string("{now}");
               examples[1] = Json::string("{now+2h}");
               examples[2] = Json::string("{now+1d 10:00}");
               examples[3] = Json::string("{now+1w+2d 18:30}");
               body["time_examples"] = examples;
               return JsonReply(200, body);
             });

  router.Add("GET", "/api/settings/audit", http::Guard::kSettingsManager,
             [svc](http::Request& req, const http::Caller& c) {
               const int limit = LimitParam(req);
               long long before = 0;
               if (const auto b = req.QueryParam("before")) {
                 before = ParseIdText(*b, "before");
               }
               const storage::AuditFilter filter = AuditFilterParams(req);
               std::vector<AuditEntry> entries;
               std::map<std::string, std::string> names;
               storage::WithSession(svc->db(), [&](storage::Session& s) {
                 entries = storage::AuditLogRepository::List(s, c.tenant_id, limit, before, filter);
                 names = ActorNames(s, c.tenant_id, entries);
               });
               Json a = Json::array(entries.size());
               for (std::size_t i = 0; i < entries.size(); ++i) {
                 a[i] = AuditJson(entries[i], names);
               }
               Json body = Json::object(true);
               body["entries"] = a;
               body["next_before"] = entries.size() == static_cast<std::size_t>(limit)
                                         ? Json::string(std::to_string(entries.back().id))
                                         : Json::null();
               return JsonReply(200, body);
             });
}

}  // namespace opdesk::settings
