#include "connector/app/system_routes.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/http/error_response.h"
#include "connector/jobs/job_store.h"
#include "connector/storage/megaplan_repositories.h"
#include "connector/storage/migrations.h"
#include "connector/storage/repositories.h"

namespace opdesk::app {
namespace {

using http::JsonQuote;
using http::Request;
using http::Response;

int ParseLimit(const Request& req) {
  auto raw = req.QueryParam("limit");
  if (!raw) {
    return 100;
  }
  try {
    std::size_t used = 0;
    int limit = std::stoi(*raw, &used);
    if (used == raw->size() && limit >= 1 && limit <= 1000) {
      return limit;
    }
  } catch (const std::exception&) {
  }
  throw InvalidArgument("limit must be an integer from 1 to 1000", "limit");
}

std::string JobJson(const jobs::Job& j) {
  return "{\"id\":" + std::to_string(j.id) + ",\"tenant_id\":" + JsonQuote(j.tenant_id) +
         ",\"kind\":" + JsonQuote(j.kind) + ",\"state\":" + JsonQuote(j.state) +
         ",\"ordering_key\":" + JsonQuote(j.ordering_key) +
         ",\"lane\":" + (j.lane == jobs::Lane::kUrgent ? "\"urgent\"" : "\"normal\"") +
         ",\"attempts\":" + std::to_string(j.attempts) +
         ",\"last_error_code\":" + JsonQuote(j.last_error_code) +
         ",\"last_error\":" + JsonQuote(j.last_error) +
         ",\"created_at_ms\":" + std::to_string(j.created_at_ms) +
         ",\"finished_at_ms\":" + std::to_string(j.finished_at_ms) + "}";
}

std::string TokenState(const MegaplanAccount& a, EpochMs now) {
  return MegaplanTokenState(a, now);
}

}  // namespace

void AddCrmAccountMetrics(http::Metrics& metrics, storage::Database& db, const Clock& clock) {
  metrics.AddProvider([&db, &clock](std::string& out) {
    std::vector<MegaplanAccount> accounts;
    try {
      storage::WithSession(
          db, [&](storage::Session& s) { accounts = storage::MegaplanAccountRepository::List(s); });
    } catch (const std::exception&) {
      return;  // opdesk_db_up says so
    }
    const EpochMs now = clock.NowMs();
    out +=
        "# HELP opdesk_megaplan_token_ok Whether opdesk's token for a Megaplan account works "
        "(0: refused or expired, a person must sign in again).\n";
    out += "# TYPE opdesk_megaplan_token_ok gauge\n";
    for (const MegaplanAccount& a : accounts) {
      const std::string state = TokenState(a, now);
      out += "opdesk_megaplan_token_ok{tenant=" + JsonQuote(a.tenant_id) + "} " +
             (state == "ok" || state == "expiring" ? "1" : "0") + "\n";
    }
    out += "# HELP opdesk_megaplan_token_seconds_left Seconds until a Megaplan token ends.\n";
    out += "# TYPE opdesk_megaplan_token_seconds_left gauge\n";
    for (const MegaplanAccount& a : accounts) {
      out += "opdesk_megaplan_token_seconds_left{tenant=" + JsonQuote(a.tenant_id) + "} " +
             std::to_string((a.token_expires_at_ms - now) / 1000) + "\n";
    }
  });
}

void AddStorageMetrics(http::Metrics& metrics, storage::Database& db) {
  metrics.AddProvider([&db](std::string& out) {
    out += "# HELP opdesk_db_pool_connections Database connections in the pool.\n";
    out += "# TYPE opdesk_db_pool_connections gauge\n";
    out += "opdesk_db_pool_connections " + std::to_string(db.pool_size()) + "\n";
    out += "# HELP opdesk_db_pool_in_use Database connections leased right now.\n";
    out += "# TYPE opdesk_db_pool_in_use gauge\n";
    out += "opdesk_db_pool_in_use " + std::to_string(db.in_use()) + "\n";
    std::map<std::string, long long> counts;
    bool ok = true;
    try {
      storage::WithSession(db,
                           [&](storage::Session& s) { counts = jobs::JobStore::CountByState(s); });
    } catch (const std::exception&) {
      ok = false;
    }
    out += "# HELP opdesk_outbox_jobs Outbox jobs by state (dead: gave up, see /api/admin/jobs).\n";
    out += "# TYPE opdesk_outbox_jobs gauge\n";
    for (const auto& [state, count] : counts) {
      out += "opdesk_outbox_jobs{state=\"" + state + "\"} " + std::to_string(count) + "\n";
    }
    out += "# HELP opdesk_db_up Whether the last database query for metrics succeeded.\n";
    out += "# TYPE opdesk_db_up gauge\n";
    out += std::string("opdesk_db_up ") + (ok ? "1" : "0") + "\n";
  });
}

void AddSystemRoutes(http::Router& router, SystemRoutesContext ctx) {
  router.Add("GET", "/healthz",
             [](Request&) { return Response::Json(200, "{\"status\":\"ok\"}"); });

  router.Add("GET", "/readyz", [ctx](Request&) {
    if (ctx.draining()) {
      return Response::Json(503, "{\"status\":\"draining\"}");
    }
    storage::SchemaStatus schema;
    try {
      schema = storage::ReadSchemaStatus(ctx.db);
    } catch (const std::exception& e) {
      // The driver's message names hosts, users, paths or SQL: it goes to the log only, and the
      // probe (often reachable from outside) learns no more than that the database is down.
      spdlog::warn("event=readiness_database_failed error={}", LogQuoted(e.what()));
      return Response::Json(
          503, "{\"status\":\"database_unavailable\",\"error\":\"database unavailable\"}");
    }
    std::string schema_json = "{\"current\":" + std::to_string(schema.current) +
                              ",\"latest\":" + std::to_string(schema.latest) + "}";
    if (!schema.up_to_date()) {
      return Response::Json(503,
                            "{\"status\":\"schema_not_current\",\"schema\":" + schema_json + "}");
    }
    // Accounts whose token was refused, has ended or ends within 6 h: the instance is still
    // ready (other tenants' calls flow), and the list says who must sign in again.
    std::string sign_in = "[";
    try {
      std::vector<MegaplanAccount> accounts;
      storage::WithSession(ctx.db, [&](storage::Session& s) {
        accounts = storage::MegaplanAccountRepository::List(s);
      });
      const EpochMs now = ctx.clock.NowMs();
      for (const MegaplanAccount& a : accounts) {
        const std::string state = TokenState(a, now);
        if (state != "ok") {
          sign_in +=
              std::string(sign_in.size() > 1 ? "," : "") + "{\"tenant\":" + JsonQuote(a.tenant_id) +
              ",\"token\":" + JsonQuote(state) +
              // An application token is renewed only by Megaplan opening the application
              // again; a password token by a sign-in.
              ",\"renew_by\":" +
              JsonQuote(a.connected_via == "application" ? "opening the application in Megaplan"
                                                         : "signing in again") +
              "}";
        }
      }
    } catch (const std::exception& e) {
      spdlog::warn("event=readiness_accounts_failed error={}", LogQuoted(e.what()));
    }
    sign_in += "]";
    return Response::Json(200, "{\"status\":\"ready\",\"schema\":" + schema_json +
                                   ",\"sign_in_needed\":" + sign_in + "}");
  });

  router.Add("GET", "/metrics", [ctx](Request&) {
    return Response::Text(200, ctx.metrics.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });

  router.Add("GET", "/api/admin/jobs", http::Guard::kAdmin,
             [ctx](http::Request& req, const http::Caller&) {
               const std::string state = req.QueryParam("state").value_or(jobs::kDead);
               if (state != jobs::kDead && state != jobs::kDropped && state != jobs::kPending &&
                   state != jobs::kRunning && state != jobs::kDone) {
                 throw InvalidArgument("state must be one of pending, running, done, dead, dropped",
                                       "state");
               }
               const std::string tenant = req.QueryParam("tenant").value_or("");
               const int limit = ParseLimit(req);
               std::vector<jobs::Job> list;
               storage::WithSession(ctx.db, [&](storage::Session& s) {
                 list = jobs::JobStore::List(s, tenant, state, limit);
               });
               std::string body = "{\"jobs\":[";
               for (std::size_t i = 0; i < list.size(); ++i) {
                 body += (i ? "," : "") + JobJson(list[i]);
               }
               body += "]}";
               return Response::Json(200, std::move(body));
             });

  router.Add("POST", "/api/admin/jobs/{id}/retry", http::Guard::kAdmin,
             [ctx](http::Request& req, const http::Caller&) {
               long long id = 0;
               try {
                 std::size_t used = 0;
                 id = std::stoll(req.PathParam("id"), &used);
                 if (used != req.PathParam("id").size() || id <= 0) {
                   throw std::invalid_argument("id");
                 }
               } catch (const std::exception&) {
                 throw InvalidArgument("job id must be a positive integer", "id");
               }
               bool requeued = false;
               bool exists = false;
               storage::InTransaction(ctx.db, [&](storage::Session& s) {
                 std::optional<jobs::Job> job = jobs::JobStore::Find(s, id);
                 exists = job.has_value();
                 requeued = exists && jobs::JobStore::Requeue(s, id, ctx.clock.NowMs());
                 if (requeued) {
                   AuditEntry entry = MakeAuditEntry(job->tenant_id, "vendor", "job.retry", "job",
                                                     std::to_string(id), ctx.clock.NowMs());
                   entry.before_json = "{\"state\":" + JsonQuote(job->state) +
                                       ",\"last_error\":" + JsonQuote(job->last_error) + "}";
                   entry.after_json = "{\"state\":\"pending\"}";
                   storage::AuditLogRepository::Append(s, entry);
                 }
               });
               if (!exists) {
                 throw NotFound("no job " + std::to_string(id));
               }
               if (!requeued) {
                 throw Conflict("only dead or dropped jobs can be retried");
               }
               return Response::Json(200,
                                     "{\"id\":" + std::to_string(id) + ",\"state\":\"pending\"}");
             });
}

}  // namespace opdesk::app
