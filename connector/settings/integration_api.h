// GET/PUT /api/settings/integration: the tenant's integration settings (FEATURES B1, B2, B4,
// B6–B10, unmapped employees, CRM callback requests) for the settings pages. Users with a seat may
// read them; only a role that may manage settings may change them (webhooks/settings/access.h).
// A PUT replaces the whole object and carries the version it was based on: a stale one is refused
// with 409, never overwritten. Sources, the deal pipeline and its stage are checked against the
// portal when they change. Every change is in the audit log with before and after.
#pragma once

#include <functional>
#include <string>

#include "adapters/crm.h"
#include "connector/domain/integration_settings.h"
#include "connector/http/router.h"
#include "connector/settings/service.h"
#include "connector/storage/database.h"

namespace opdesk::mango {

// Reads are guarded by a seat, the PUT by a role that may manage settings (checked again inside
// its transaction).
void AddIntegrationSettingsRoutes(http::Router& router, storage::Database& db, const Clock& clock,
                                  adapters::Crm& crm);

}  // namespace opdesk::mango
