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

// What every route of this module reads of its request: the caller as the service sees it, and
// an id in the path (`name`: "id", "contact_id"), refused naming it when it is not one.
Caller CallerOf(const http::Caller& caller);
long long PathId(const http::Request& request, const std::string& name);

// `settings` serves the task's pinned script version in the call card's shape.
void AddCampaignRoutes(http::Router& router, CampaignService& service,
                       settings::SettingsService& settings);

class AfterCallService;
// After the call (after_api.cpp): e-mail templates (managers edit, seats read), a task's
// default template, and the operator's draft, e-mail, recording upload, products and invoice.
void AddAfterCallRoutes(http::Router& router, AfterCallService& service);

}  // namespace opdesk::campaigns
