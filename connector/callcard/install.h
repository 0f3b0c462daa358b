// The call card in the wiring: its /api/callcard routes and the outbox runner of button actions.
#pragma once

namespace opdesk::app {
struct Wiring;
}

namespace opdesk::callcard {

// Needs: Wiring::settings (settings::Install).
void Install(app::Wiring& wiring);

}  // namespace opdesk::callcard
