// The reception wizard's JSON API (docs/API.md, "Reception"): /api/reception/* for the call
// card (the operator's frame session with an active seat) and /api/settings/reception for the
// settings page (read with a seat, write with a role that may manage settings). Handlers parse,
// call one ReceptionService method and encode.
#pragma once

#include "connector/http/router.h"
#include "connector/reception/service.h"

namespace opdesk::reception {

void AddReceptionRoutes(http::Router& router, ReceptionService& service);

}  // namespace opdesk::reception
