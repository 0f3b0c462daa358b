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

// A command we sent to the VPBX, remembered by its command_id.
struct SentCommand {
  std::string tenant_id;
  std::string command_id;
  std::string kind;         // "callback"
  std::string crm_call_id;  // click-to-call: the CALL_ID Bitrix24 registered already
  std::string crm_user_id;  // who asked for it
  int result = 0;           // Mango's result code once known
  EpochMs created_at_ms = 0;
};

}  // namespace opdesk
