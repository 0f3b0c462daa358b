// The Bitrix24 app in the wiring: the install page and callback, the portal's events, the frames
// (app page, call card) and the UI session and setup API, registered in one table next to their
// handlers; the install job, and the gauges of connected portals.
#pragma once

namespace opdesk::app {
struct Wiring;
}

namespace opdesk::bitrix24 {

// Needs: Wiring::settings (settings::Install); the events it queues (kPortalEventJob) are run
// by mango::InstallCalls. Leaves: Wiring::b24_sign_in (the UI sessions the guards
// check).
void Install(app::Wiring& wiring);

}  // namespace opdesk::bitrix24
