// The Mango VPBX's HTTP routes, registered in one table next to their handlers.
#pragma once

#include "connector/http/router.h"
#include "webhooks/mango/ingest.h"

namespace opdesk::mango {

void AddRoutes(http::Router& router, MangoWebhooks& webhooks);

}  // namespace opdesk::mango
