// The checks behind the router's guard kinds (connector/http/guard.h), set up once by the wiring:
// a UI session (frame, or the install page's own for setup and status), a seat, a role that may
// manage settings, and the vendor's admin token. Each throws the same errors the handlers threw
// when they checked for themselves, so the answers do not depend on where the check runs.
#pragma once

#include <functional>
#include <string>

#include "connector/app/wiring.h"
#include "connector/http/router.h"
#include "oauth/session_token.h"

namespace opdesk::app {

// The claims of the request's UI session; only frame sessions pass unless `install_allowed`.
using SessionCheck =
    std::function<crypto::SessionClaims(const http::Request& request, bool install_allowed)>;

void SetUpGuards(http::Router& router, SessionCheck session, settings::SettingsService& settings,
                 const std::string& admin_token);

// SetUpGuards with this process's parts: UI sessions from the Bitrix24 sign-in, seats and roles
// from the settings service, the admin token from config. Needs: Wiring::b24_sign_in
// (bitrix24::Install) and
// Wiring::settings (settings::Install).
void InstallGuards(Wiring& wiring);

}  // namespace opdesk::app
