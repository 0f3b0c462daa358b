// GET/PUT /api/settings/integration: the tenant's integration settings (FEATURES B7–B9 and the
// catch-all user) for the settings pages. Any signed-in user of the portal may read them; only a
// supervisor may change them. A PUT carries the version it was based on: a stale one is refused
// with 409, never overwritten. Every change is in the audit log with before and after.
#pragma once

#include <functional>
#include <string>

#include "connector/domain/integration_settings.h"
#include "connector/http/router.h"
#include "connector/storage/database.h"
#include "oauth/session_token.h"

namespace opdesk::mango {

// The tenant's settings, or the defaults when none were saved.
IntegrationSettings LoadIntegrationSettings(storage::Session& s, const std::string& tenant_id);

void AddIntegrationSettingsRoutes(
    http::Router& router, storage::Database& db, const Clock& clock,
    std::function<crypto::SessionClaims(const http::Request&)> authenticate);

}  // namespace opdesk::mango
