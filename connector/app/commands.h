// The `opdesk` subcommands. Each returns the process exit status:
// 0 success, 1 a runtime failure (database unreachable, schema mismatch), 2 bad usage or config.
#pragma once

#include <string>
#include <vector>

namespace opdesk::app {

int RunCommand(const std::vector<std::string>& args);

}  // namespace opdesk::app
