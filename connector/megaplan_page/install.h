// The «Мегаплан» page (FEATURES A2, D7, H6 for Megaplan accounts). Megaplan has no iframe
// placement for an app's settings, so the page is opdesk's own: GET /megaplan/{host} answers the
// settings pages' shell for an account opdesk already knows (the host names a stored
// `megaplan_accounts` row; an address from the request is never fetched), and the page signs in
// with a Megaplan login and password (API v3 password grant against the stored host). Only an
// administrator of the account gets a UI session — the same HMAC session as the Bitrix24 frame's,
// checked by the same guards — and with it the Supervisor role, so the settings API
// (/api/settings/integration, /mango, …) serves the page as it serves Bitrix24's. The password and
// the token of this sign-in are used once and never stored.
//
// Routes (docs/API.md "Megaplan tenants"):
//   GET  /megaplan/{host}                 none (the page; 404 for an account opdesk does not know)
//   POST /api/megaplan/sign-in            none (the credentials are the proof; rate-limited)
//   GET  /api/megaplan/account            seat: the integration's token state, as /readyz says it
//   POST /api/megaplan/account/sign-in    settings manager: the integration signs in again
//   POST /api/megaplan/check              settings manager: does Megaplan take opdesk's token
// Needs settings::Install (the settings service) before it.
#pragma once

namespace opdesk::app {
struct Wiring;
}

namespace opdesk::megaplan_page {

void Install(app::Wiring& w);

}  // namespace opdesk::megaplan_page
