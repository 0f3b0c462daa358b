// The Mango VPBX's webhooks in the wiring: the signed notifications under /mango/{key}/..., on
// the ingest lane, behind the Mango signature guard (MangoWebhooks::Verify).
#pragma once

namespace opdesk::app {
struct Wiring;
}

namespace opdesk::mango {

// Needs: nothing from other features. Leaves: Wiring::mango_reconnected.
void InstallWebhooks(app::Wiring& wiring);

}  // namespace opdesk::mango
