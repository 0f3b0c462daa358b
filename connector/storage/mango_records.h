// Value types for a tenant's Mango VPBX connection, its stored calls and the employee map.
#pragma once

#include <string>

#include "connector/domain/clock.h"

namespace opdesk {

struct MangoConnection {
  std::string tenant_id;
  std::string tenant_key;  // the unguessable segment of the webhook URL
  std::string api_key;     // vpbx_api_key: identifies the VPBX, sent in every request
  std::string api_salt_sealed;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

struct StoredCall {
  std::string tenant_id;
  std::string entry_id;
  std::string state_json;   // the call model, serialised
  std::string crm_call_id;  // Bitrix24 CALL_ID once registered
  std::string crm_entity;   // what register bound the call to ("CONTACT:7"); "" none or unknown
  bool finished = false;
  long long version = 0;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

struct EmployeeLink {
  std::string tenant_id;
  std::string extension;
  std::string crm_user_id;
  std::string source;  // crm, pbx, manual (manual wins)
  EpochMs updated_at_ms = 0;
};

// A Mango employee as the VPBX's user directory (config/users/request) lists them.
struct MangoDirectoryEntry {
  std::string tenant_id;
  std::string extension;
  std::string name;
  std::string email;
  EpochMs synced_at_ms = 0;
};

// What was created in the CRM for one call (FEATURES B1, B2, B8, B10), so that retries, restarts
// and repeated events create it at most once per entry_id.
struct CallClient {
  std::string tenant_id;
  std::string entry_id;
  std::string action;  // client_and_deal, client, lead
  std::string phone;
  // "sending": an add may have reached the CRM, so a retry looks for it before adding again;
  // "done": nothing more to do.
  std::string state;
  std::string outcome;       // "created", "known" (the CRM had the number), "skipped"
  std::string known_entity;  // outcome known: what the CRM had, e.g. "CONTACT:7"
  std::string lead_id;
  std::string contact_id;
  std::string deal_id;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

// A command we sent to the VPBX, remembered by its command_id.
struct SentCommand {
  std::string tenant_id;
  std::string command_id;
  std::string kind;         // "callback" (click-to-call), "crm_callback", "crm_callback_group"
  std::string crm_call_id;  // click-to-call: the CALL_ID Bitrix24 registered already
  std::string crm_user_id;  // who asked for it
  int result = 0;           // Mango's result code once known
  EpochMs created_at_ms = 0;
};

}  // namespace opdesk
