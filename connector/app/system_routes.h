// Operational endpoints: /healthz (the process answers), /readyz (database reachable, schema
// current, not draining; it also lists the CRM accounts that need a person to sign in again),
// /metrics (Prometheus), and the vendor's dead-letter view of the outbox under /api/admin/jobs,
// behind the admin guard.
#pragma once

#include <string>

#include "connector/domain/clock.h"
#include "connector/http/metrics.h"
#include "connector/http/router.h"
#include "connector/jobs/worker_pool.h"
#include "connector/storage/database.h"

namespace opdesk::app {

struct SystemRoutesContext {
  storage::Database& db;
  const Clock& clock;
  http::Metrics& metrics;
  std::function<bool()> draining;
};

void AddSystemRoutes(http::Router& router, SystemRoutesContext context);
// Gauges read at scrape time: DB pool, outbox depth by state.
void AddStorageMetrics(http::Metrics& metrics, storage::Database& db);
// Per Megaplan account: whether its token works (opdesk_megaplan_token_ok) and the seconds it
// has left (opdesk_megaplan_token_seconds_left); 0 / negative ask for a sign-in.
void AddCrmAccountMetrics(http::Metrics& metrics, storage::Database& db, const Clock& clock);

}  // namespace opdesk::app
