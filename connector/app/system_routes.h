// Operational endpoints: /healthz (the process answers), /readyz (database reachable, schema
// current, not draining), /metrics (Prometheus), and the vendor's dead-letter view of the outbox
// under /api/admin/jobs, behind the admin guard.
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

}  // namespace opdesk::app
