// Where the built front end lives when `ui.dist_dir` is not set: an installed layout first
// (<prefix>/bin/opdesk with <prefix>/share/opdesk/ui), then the source tree the binary was built
// from (the sandbox and the tests), so `opdesk serve` finds the pages without configuration.
#pragma once

#include <string>

namespace opdesk::app {

// `configured` wins when set. Otherwise the first candidate that holds callcard.html; if none
// does, the installed location (so the error page names a sensible place).
std::string ResolveUiDistDir(const std::string& configured, const std::string& executable_path,
                             const std::string& source_dir);

// This process's executable (/proc/self/exe), or "" when it cannot be read.
std::string ExecutablePath();

}  // namespace opdesk::app
