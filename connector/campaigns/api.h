// The dialing tasks' routes (/api/campaigns/*, docs/API.md «Dialing tasks»), each behind its
// guard: reading and working a task needs an active seat, managing one a role that may manage
// settings.
#pragma once

#include "connector/campaigns/service.h"
#include "connector/http/router.h"

namespace opdesk::settings {
class SettingsService;
}  // namespace opdesk::settings

namespace opdesk::campaigns {

// `settings` serves the task's pinned script version in the call card's shape.
void AddCampaignRoutes(http::Router& router, CampaignService& service,
                       settings::SettingsService& settings);

class AfterCallService;
// After the call (after_api.cpp): e-mail templates (managers edit, seats read), a task's
// default template, and the operator's draft, e-mail, recording upload, products and invoice.
void AddAfterCallRoutes(http::Router& router, AfterCallService& service);

}  // namespace opdesk::campaigns
