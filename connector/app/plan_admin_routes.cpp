#include "connector/app/plan_admin_routes.h"

#include <cpprest/json.h>

#include "connector/app/admin_auth.h"
#include "connector/domain/error.h"
#include "connector/settings/api.h"

namespace opdesk::app {

void AddPlanAdminRoutes(http::Router& router, settings::SettingsService& service) {
  settings::SettingsService* svc = &service;
  router.Add("GET", "/api/admin/tenants/{tenant_id}/plan", http::Guard::kAdmin,
             [svc](http::Request& req, const http::Caller&) {
               return settings::JsonReply(
                   200, settings::TariffJson(svc->Tariff(req.PathParam("tenant_id"), false),
                                             svc->options()));
             });
  router.Add(
      "PUT", "/api/admin/tenants/{tenant_id}/plan", http::Guard::kAdmin,
      [svc](http::Request& req, const http::Caller&) {
        const settings::Json body = settings::ParseBody(req.body);
        settings::ObjectReader r(body, "");
        const std::string plan = r.String("plan", true, 64);
        const std::string until = r.String("until", false, 64);
        r.Done();
        const settings::TariffView t =
            svc->SetPlan(req.PathParam("tenant_id"), plan, until, "vendor");
        return settings::JsonReply(200, settings::TariffJson(t, svc->options()));
      },
      http::RouteOptions{4096});
}

}  // namespace opdesk::app
