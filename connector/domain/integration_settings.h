// Per-tenant settings that decide who a call belongs to (FEATURES B7–B9) and what happens to calls
// of employees the CRM does not know. Defaults are what a tenant gets before anyone sets them.
#pragma once

#include <string>

#include "connector/domain/call_tracker.h"

namespace opdesk {

struct IntegrationSettings {
  bool responsible_is_last_handler = false;  // B7: off → first employee who talked
  std::string missed_in_ivr_extension;       // B8: "" off (the default user, no client)
  std::string missed_in_group_extension;     // B9: "" off (the first employee offered)
  std::string catch_all_user_id;             // calls of unmapped employees; "" → the installer
  long long version = 0;                     // optimistic concurrency; 0 = never saved
};

// Throws InvalidArgument naming the field (extensions are 1–16 digits, the user id digits).
void Validate(const IntegrationSettings& settings);
calls::FinishPolicy ToFinishPolicy(const IntegrationSettings& settings);

}  // namespace opdesk
