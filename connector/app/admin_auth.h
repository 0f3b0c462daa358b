// The vendor's admin API (/api/admin/...) is guarded by one bearer token from config; empty
// disables the whole API.
#pragma once

#include <string>

#include "connector/http/message.h"

namespace opdesk::app {

// Throws PermissionDenied (API off), or Unauthenticated (missing or wrong token).
void RequireAdmin(const http::Request& request, const std::string& admin_token);

}  // namespace opdesk::app
