// Vendor admin API for tenants' plans (FEATURES E1, E2), guarded by admin.token:
// GET /api/admin/tenants/{tenant_id}/plan and PUT it with {"plan": NAME, "until": "YYYY-MM-DD"}.
#pragma once

#include <string>

#include "connector/http/router.h"
#include "connector/settings/service.h"

namespace opdesk::app {

void AddPlanAdminRoutes(http::Router& router, settings::SettingsService& service);

}  // namespace opdesk::app
