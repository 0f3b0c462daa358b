// The settings feature in the wiring: the settings service (which later features use through
// Wiring::settings), the /api/settings routes (also the integration and Mango pages) and the
// timer that applies ended paid periods.
#pragma once

namespace opdesk::app {
struct Wiring;
}

namespace opdesk::settings {

// Needs: nothing from other features. Leaves: Wiring::settings.
void Install(app::Wiring& wiring);

}  // namespace opdesk::settings
