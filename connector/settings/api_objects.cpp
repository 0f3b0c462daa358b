// /api/settings/buttons and /api/settings/roles.
#include "connector/domain/error.h"

#include <cpprest/json.h>
#include "connector/settings/api.h"
#include "connector/settings/codec.h"

namespace opdesk::settings {
namespace {

template <typename T>
Json ListJson(const char* key, const std::vector<T>& items) {
  Json a = Json::array(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    a[i] = ToJson(items[i]);
  }
  Json body = Json::object(true);
  body[key] = a;
  return body;
}

}  // namespace

void AddButtonAndRoleRoutes(http::Router& router, SettingsService& service) {
  SettingsService* svc = &service;
  const http::RouteOptions small{kSmallBody};
  const http::RouteOptions object{kObjectBody};

  router.Add("GET", "/api/settings/buttons", http::Guard::kSeat,
             [svc](http::Request&, const http::Caller& c) {
               return JsonReply(200, ListJson("buttons", svc->ListButtons(c.tenant_id)));
             });
  router.Add(
      "POST", "/api/settings/buttons", http::Guard::kSettingsManager,
      [svc](http::Request& req, const http::Caller& c) {
        Button b = ButtonFromJson(ParseBody(req.body), false);
        return JsonReply(201, ToJson(svc->CreateButton(c.tenant_id, c.user_id, std::move(b))));
      },
      object);
  router.Add("GET", "/api/settings/buttons/{id}", http::Guard::kSeat,
             [svc](http::Request& req, const http::Caller& c) {
               return JsonReply(200, ToJson(svc->GetButton(c.tenant_id, PathId(req, "id"))));
             });
  router.Add(
      "PUT", "/api/settings/buttons/{id}", http::Guard::kSettingsManager,
      [svc](http::Request& req, const http::Caller& c) {
        const long long id = PathId(req, "id");
        svc->GetButton(c.tenant_id, id);  // another tenant's id: 404 whatever the body
        Button b = ButtonFromJson(ParseBody(req.body), true);
        return JsonReply(200, ToJson(svc->UpdateButton(c.tenant_id, c.user_id, id, std::move(b))));
      },
      object);
  router.Add(
      "DELETE", "/api/settings/buttons/{id}", http::Guard::kSettingsManager,
      [svc](http::Request& req, const http::Caller& c) {
        const long long id = PathId(req, "id");
        svc->DeleteButton(c.tenant_id, c.user_id, id, VersionParam(req));
        return http::Response::Json(204, "");
      },
      small);

  router.Add("GET", "/api/settings/roles", http::Guard::kSeat,
             [svc](http::Request&, const http::Caller& c) {
               return JsonReply(200, ListJson("roles", svc->ListRoles(c.tenant_id)));
             });
  router.Add(
      "POST", "/api/settings/roles", http::Guard::kSettingsManager,
      [svc](http::Request& req, const http::Caller& c) {
        Role r = RoleFromJson(ParseBody(req.body), false);
        return JsonReply(201, ToJson(svc->CreateRole(c.tenant_id, c.user_id, std::move(r))));
      },
      object);
  router.Add("GET", "/api/settings/roles/{id}", http::Guard::kSeat,
             [svc](http::Request& req, const http::Caller& c) {
               return JsonReply(200, ToJson(svc->GetRole(c.tenant_id, PathId(req, "id"))));
             });
  router.Add(
      "PUT", "/api/settings/roles/{id}", http::Guard::kSettingsManager,
      [svc](http::Request& req, const http::Caller& c) {
        const long long id = PathId(req, "id");
        svc->GetRole(c.tenant_id, id);
        Role r = RoleFromJson(ParseBody(req.body), true);
        return JsonReply(200, ToJson(svc->UpdateRole(c.tenant_id, c.user_id, id, std::move(r))));
      },
      object);
  router.Add(
      "DELETE", "/api/settings/roles/{id}", http::Guard::kSettingsManager,
      [svc](http::Request& req, const http::Caller& c) {
        const long long id = PathId(req, "id");
        svc->DeleteRole(c.tenant_id, c.user_id, id, VersionParam(req));
        return http::Response::Json(204, "");
      },
      small);
}

}  // namespace opdesk::settings
