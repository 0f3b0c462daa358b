// `opdesk tenant …`: list and show tenants, and connect a Mango VPBX to one (prints the webhook
// base URL to enter in the Mango account).
#pragma once

#include <string>
#include <vector>

#include "connector/app/config.h"

namespace opdesk::app {

// args: everything after "tenant". Returns the exit status; prints to stdout/stderr.
int RunTenantCommand(const Config& config, const std::vector<std::string>& args);

}  // namespace opdesk::app
