// The checks behind the router's guard kinds (connector/http/guard.h), set up once by the wiring:
// a UI session (frame, or the install page's own for setup and status), a seat, a role that may
// manage settings, and the vendor's admin token. Each throws the same errors the handlers threw
// when they checked for themselves, so the answers do not depend on where the check runs.
#pragma once

#include <functional>
#include <string>

#include "connector/http/router.h"
#include "connector/settings/service.h"
#include "oauth/session_token.h"

namespace opdesk::app {

// The claims of the request's UI session; only frame sessions pass unless `install_allowed`.
using SessionCheck =
    std::function<crypto::SessionClaims(const http::Request& request, bool install_allowed)>;

void SetUpGuards(http::Router& router, SessionCheck session, settings::SettingsService& settings,
                 const std::string& admin_token);

}  // namespace opdesk::app
