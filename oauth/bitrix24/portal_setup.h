// The portal setup: what the app needs bound on a portal (its events, the CALL_CARD placement),
// the portal's time zone and app status, and the installer's Supervisor role. Each step first
// looks at what exists, so running setup again binds nothing twice.
#pragma once

#include <string>
#include <vector>

#include "connector/domain/clock.h"
#include "connector/storage/database.h"
#include "oauth/bitrix24/sign_in.h"

namespace opdesk::bitrix24 {

class RestClient;

struct SetupStep {
  std::string name;  // e.g. "event.ONAPPUNINSTALL"
  bool done = false;
  std::string error;
};

class PortalSetup {
 public:
  // `public_url` (no trailing slash) is where the portal sends events and opens the call card.
  PortalSetup(storage::Database& db, RestClient& rest, const Clock& clock,
              GrantInstaller grant_installer, std::string public_url);

  // Binds what is missing; idempotent. Marks the portal installed when every step is done.
  // Throws only when the portal cannot be reached at all.
  std::vector<SetupStep> Run(const std::string& tenant_id);

 private:
  storage::Database& db_;
  RestClient& rest_;
  const Clock& clock_;
  GrantInstaller grant_installer_;
  std::string public_url_;
};

}  // namespace opdesk::bitrix24
