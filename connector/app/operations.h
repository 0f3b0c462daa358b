// The app's own part of the wiring: /healthz, /readyz, /metrics (with the database's gauges), the
// built front end under /ui/, the vendor's admin API (outbox, portals, plans) and the route table
// itself, which the security suite walks.
#pragma once

#include "connector/app/wiring.h"

namespace opdesk::app {

// Needs: Wiring::settings (settings::Install), for the plans' admin API.
void InstallOperations(Wiring& wiring);

}  // namespace opdesk::app
