// Whether a tenant has a CRM the calls can go to, and who its default user is, for either kind:
// an installed Bitrix24 portal (the installer) or a connected Megaplan account (the service
// user who signed in).
#pragma once

#include <string>

#include "connector/storage/database.h"

namespace opdesk::mango {

struct CrmConnection {
  bool connected = false;
  std::string kind;             // "bitrix24", "megaplan", "" none
  std::string default_user_id;  // "" none
  bool ready = false;  // set up: an installed portal (not one still installing), any account
};

CrmConnection FindCrmConnection(storage::Session& s, const std::string& tenant_id);

}  // namespace opdesk::mango
