#include "connector/app/operations.h"

#include "connector/app/plan_admin_routes.h"
#include "connector/app/portal_admin_routes.h"
#include "connector/app/system_routes.h"
#include "connector/domain/error.h"
#include "connector/http/static_files.h"

namespace opdesk::app {
namespace {

// The route table, for the vendor and for the security suite that walks every route.
void AddRouteTable(http::Router& router) {
  router.Add("GET", "/api/admin/routes", http::Guard::kAdmin,
             [&router](http::Request&, const http::Caller&) {
               std::string body = "{\"routes\":[";
               for (std::size_t i = 0; i < router.routes().size(); ++i) {
                 const http::Route& route = *router.routes()[i];
                 body += std::string(i ? "," : "") +
                         "{\"method\":" + http::JsonQuote(route.method) +
                         ",\"pattern\":" + http::JsonQuote(route.pattern) +
                         ",\"guard\":" + http::JsonQuote(http::ToString(route.guard)) + "}";
               }
               return http::Response::Json(200, body + "]}");
             });
}

}  // namespace

void InstallOperations(Wiring& w) {
  if (w.settings == nullptr) {
    throw Internal("app::InstallOperations needs the settings service");
  }
  AddSystemRoutes(w.router, {w.db, w.clock, w.metrics, w.draining});
  http::AddStaticRoutes(w.router, w.ui_files);
  AddPortalAdminRoutes(w.router, w.db, w.clock);
  AddPlanAdminRoutes(w.router, *w.settings);
  AddRouteTable(w.router);
}

}  // namespace opdesk::app
