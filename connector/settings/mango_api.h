// The Mango part of the settings pages, for supervisors only (a frame session; the
// role is checked with each read and inside each write's transaction):
//   GET/PUT /api/settings/mango            connect a VPBX (key and salt; the salt is stored sealed
//                                          and never returned) and show the webhook base URL;
//   GET     /api/settings/mango/employees  the employee map: each extension with its Mango name
//                                          and e-mail, the portal user and where the link comes
//                                          from (manual, crm = UF_PHONE_INNER, pbx = e-mail);
//   PUT/DELETE /api/settings/mango/employees/{extension}   a manual link (always wins) or its
//                                          removal (the automatic one comes back);
//   POST    /api/settings/mango/employees/refresh          fetch the Mango directory now;
//   POST    /api/settings/mango/check  «Проверить подключение»: asks the VPBX for its directory
//                                          with the stored key and salt (mango_check.cpp).
// Every change is audited; bad input is a 400 naming the field and changes nothing.
#pragma once

#include <functional>
#include <string>

#include "adapters/crm.h"
#include "connector/http/router.h"
#include "connector/storage/database.h"
#include "oauth/secret_box.h"

namespace opdesk::mango {

class CommandClient;

struct MangoSettingsDeps {
  storage::Database& db;
  const Clock& clock;
  const crypto::SecretBox& box;
  adapters::Crm& crm;
  std::string public_url;
  EpochMs directory_refresh_ms;
  std::function<void()> wake;  // queued work starts at once in this process
  // Told the tenant of a VPBX reconnected here, so the webhooks drop the key and salt they keep.
  std::function<void(const std::string& tenant_id)> reconnected;
  // The VPBX command client (made by mango::InstallCalls, after these routes are added).
  std::function<CommandClient*()> commands = nullptr;
};

void AddMangoSettingsRoutes(http::Router& router, MangoSettingsDeps deps);
// POST /api/settings/mango/check, for roles that may manage settings: {"ok", "code",
// "mango_code", "message" (ru/en by Accept-Language), "employees", "repeated"}; 409 when no VPBX
// is connected. A refused key or salt is remembered for two minutes and not sent again (Mango
// locks its API after a second bad request).
void AddMangoCheckRoute(http::Router& router, MangoSettingsDeps deps);

}  // namespace opdesk::mango
