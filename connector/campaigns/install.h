// Dialing tasks (FEATURES F3–F5, F8): the service and its routes. Needs the Mango command client
// for click-to-call (mango::InstallCalls runs first; without it calls answer 503).
#pragma once

namespace opdesk::app {
struct Wiring;
}

namespace opdesk::campaigns {

void Install(app::Wiring& wiring);

}  // namespace opdesk::campaigns
