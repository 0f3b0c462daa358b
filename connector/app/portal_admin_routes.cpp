#include "connector/app/portal_admin_routes.h"

#include <cpprest/json.h>

#include "adapters/json_read.h"
#include "connector/domain/error.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/repositories.h"

namespace opdesk::app {
namespace {

using http::JsonQuote;

std::string PortalJson(const B24Portal& p) {
  return "{\"tenant_id\":" + JsonQuote(p.tenant_id) + ",\"domain\":" + JsonQuote(p.domain) +
         ",\"state\":" + JsonQuote(p.state) +
         ",\"needs_reauth\":" + (p.needs_reauth ? "true" : "false") +
         ",\"app_status\":" + JsonQuote(p.app_status) +
         ",\"rate_per_s\":" + std::to_string(p.rate_per_s) +
         ",\"burst\":" + std::to_string(p.burst) + "}";
}

}  // namespace

void AddPortalAdminRoutes(http::Router& router, storage::Database& db, const Clock& clock) {
  router.Add("GET", "/api/admin/bitrix24/portals", http::Guard::kAdmin,
             [&db](http::Request&, const http::Caller&) {
               std::vector<B24Portal> portals;
               storage::WithSession(db, [&](storage::Session& s) {
                 portals = storage::B24PortalRepository::List(s);
               });
               std::string body = "{\"portals\":[";
               for (std::size_t i = 0; i < portals.size(); ++i) {
                 body += (i ? "," : "") + PortalJson(portals[i]);
               }
               return http::Response::Json(200, body + "]}");
             });

  router.Add(
      "PUT", "/api/admin/bitrix24/portals/{member_id}/limits", http::Guard::kAdmin,
      [&db, &clock](http::Request& req, const http::Caller&) {
        // Any JSON parses here: a body that is not an object is refused by the field reads.
        const web::json::value body = adapters::ParseJson(
            req.body, "the body must be JSON: {\"rate_per_s\": N, \"burst\": N}", "body");
        const int rate = adapters::JsonIntIn(body, "rate_per_s", 1, 100);
        const int burst = adapters::JsonIntIn(body, "burst", 1, 1000);
        const std::string id = req.PathParam("member_id");
        B24Portal updated;
        storage::InTransaction(db, [&](storage::Session& s) {
          std::optional<B24Portal> p = storage::B24PortalRepository::Find(s, id);
          if (!p) {
            throw NotFound("no Bitrix24 portal " + id);
          }
          AuditEntry audit =
              MakeAuditEntry(id, "vendor", "portal.limits", "portal", id, clock.NowMs());
          audit.before_json = "{\"rate_per_s\":" + std::to_string(p->rate_per_s) +
                              ",\"burst\":" + std::to_string(p->burst) + "}";
          p->rate_per_s = rate;
          p->burst = burst;
          p->updated_at_ms = clock.NowMs();
          storage::B24PortalRepository::Upsert(s, *p);
          audit.after_json = "{\"rate_per_s\":" + std::to_string(rate) +
                             ",\"burst\":" + std::to_string(burst) + "}";
          storage::AuditLogRepository::Append(s, audit);
          updated = *p;
        });
        return http::Response::Json(200, PortalJson(updated));
      },
      http::RouteOptions{4096});
}

}  // namespace opdesk::app
