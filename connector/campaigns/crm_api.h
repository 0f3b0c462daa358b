// The routes of the dialing tasks' CRM groups (crm_groups.h).
#pragma once

#include "connector/http/router.h"

namespace opdesk::campaigns {

class CrmGroups;

void AddCrmRoutes(http::Router& router, CrmGroups& groups);

}  // namespace opdesk::campaigns
