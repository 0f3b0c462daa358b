// Vendor admin API for connected Bitrix24 portals: list them with their state, and set a portal's
// REST budget (Enterprise portals drain 5/s with a burst of 250; others 2/s and 50).
#pragma once

#include <string>

#include "connector/domain/clock.h"
#include "connector/http/router.h"
#include "connector/storage/database.h"

namespace opdesk::app {

void AddPortalAdminRoutes(http::Router& router, storage::Database& db, const Clock& clock);

}  // namespace opdesk::app
