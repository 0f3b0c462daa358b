// The Bitrix24 app's HTTP routes, registered in one table next to their handlers.
#pragma once

#include "connector/http/router.h"
#include "webhooks/bitrix24/app_service.h"

namespace opdesk::bitrix24 {

void AddRoutes(http::Router& router, Bitrix24App& app);

}  // namespace opdesk::bitrix24
