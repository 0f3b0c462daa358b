// The dialing tasks' routes (/api/campaigns/*, docs/API.md «Dialing tasks»), each behind its
// guard: reading and working a task needs an active seat, managing one a role that may manage
// settings.
#pragma once

#include "connector/campaigns/service.h"
#include "connector/http/router.h"

namespace opdesk::campaigns {

void AddCampaignRoutes(http::Router& router, CampaignService& service);

}  // namespace opdesk::campaigns
