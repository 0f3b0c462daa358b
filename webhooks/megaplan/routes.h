// Megaplan's side of the marketplace application (reference megaplan.md §1.2): the application
// URL Megaplan opens (GET or POST /megaplan/app, oauth/megaplan/application.h verifies and stores
// the launch) and the entity events it posts (POST /megaplan/events: contractors created, updated
// or dropped keep the phone index fresh). Neither has a session: like the Bitrix24 install and
// event routes, each request proves itself (the launch by its token working on the account's
// host, an event by naming opdesk's application and a connected account, and by its entity
// being read again from the account rather than believed).
#pragma once

namespace opdesk::app {
struct Wiring;
}

namespace opdesk::megaplan {

// Needs: Wiring::megaplan_crm (set by Serve).
void InstallApplication(app::Wiring& wiring);

}  // namespace opdesk::megaplan
