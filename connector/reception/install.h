// The reception wizard (FEATURES G1–G4): its service and routes. Needs the CRM's org chart and
// inquiry parts when the CRM has them (Wiring::crm_org_chart, crm_inquiries) and the Mango
// command client (mango::InstallCalls runs first).
#pragma once

namespace opdesk::app {
struct Wiring;
}

namespace opdesk::reception {

void Install(app::Wiring& wiring);

}  // namespace opdesk::reception
