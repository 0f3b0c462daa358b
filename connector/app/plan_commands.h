// `opdesk plan set --tenant ID --plan NAME --until YYYY-MM-DD` and `opdesk plan show --tenant ID`:
// the vendor sets what a tenant paid for (FEATURES E1, E2). The same is possible through the
// admin API (PUT /api/admin/tenants/{id}/plan).
#pragma once

#include <string>
#include <vector>

#include "connector/app/config.h"
#include "connector/domain/tariff.h"

namespace opdesk::app {

// The plan catalog the configuration describes.
PlanCatalog PlansFromConfig(const Config& config);

// args: everything after "plan". Returns the exit status; prints to stdout/stderr.
int RunPlanCommand(const Config& config, const std::vector<std::string>& args);

}  // namespace opdesk::app
