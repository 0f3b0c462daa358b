// The Mango VPBX's webhooks in the wiring: the signed notifications under /mango/{key}/..., on
// the ingest lane. The handler checks the envelope's key and signature itself (the route's guard
// is none): a ping without a body is answered before any signature exists to check.
#pragma once

namespace opdesk::app {
struct Wiring;
}

namespace opdesk::mango {

// Needs: nothing from other features. Leaves: Wiring::mango_reconnected.
void InstallWebhooks(app::Wiring& wiring);

}  // namespace opdesk::mango
