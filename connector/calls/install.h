// The call feature in the wiring: the Mango command client, the employee map, the call pipeline
// (intents → Bitrix24 telephony), clients for new numbers, click-to-call and CRM callback
// requests, and the periodic sync of each VPBX's employee directory. Every runner of the feature
// is built here, in one place.
#pragma once

namespace opdesk::app {
struct Wiring;
}

namespace opdesk::mango {

// Needs: nothing from other features. Runs the portal events the Bitrix24 webhooks queue
// (kPortalEventJob: click-to-call and callback requests start as portal events).
void InstallCalls(app::Wiring& wiring);

}  // namespace opdesk::mango
