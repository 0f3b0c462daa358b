// The settings JSON API, /api/settings/... (docs/API.md): buttons, scripts, roles, users,
// tariff, the CRM catalog, template variables and the audit log. Every route is guarded: reads
// need an active seat, writes a role that may manage settings (the router's guards, access.h).
// Bodies are bounded per route; bad input is a 400 naming the field, and changes nothing.
#pragma once

#include <functional>

#include "connector/http/router.h"
#include "connector/settings/service.h"

namespace opdesk::settings {

void AddSettingsRoutes(http::Router& router, SettingsService& service);

// Per feature, called by AddSettingsRoutes.
void AddButtonAndRoleRoutes(http::Router& router, SettingsService& service);
void AddScriptRoutes(http::Router& router, SettingsService& service);
void AddPeopleRoutes(http::Router& router, SettingsService& service);

// The tariff as GET /api/settings/tariff and the admin API show it.
Json TariffJson(const TariffView& tariff, const SettingsOptions& options);

// Shared by the route files.
http::Response JsonReply(int status, const Json& body);
long long PathId(const http::Request& request, const char* name);
// The `version` query parameter of a DELETE; InvalidArgument when missing or malformed.
long long VersionParam(const http::Request& request);

// Body limits per route.
inline constexpr std::size_t kSmallBody = 4 * 1024;
inline constexpr std::size_t kObjectBody = 64 * 1024;
inline constexpr std::size_t kScriptBody = 1024 * 1024;

}  // namespace opdesk::settings
