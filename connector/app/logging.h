// Process-wide logging: spdlog to stdout, as text lines or one JSON object per line.
// Log lines are written as `event=name key=value …`; values that may hold secrets are masked by
// their producers (see connector/http/redact.h), and values taken from requests are escaped by them
// (connector/domain/log_escape.h). Both formats also escape control characters in the whole
// message, so no line can be split in two.
#pragma once

#include <string>

namespace opdesk::app {

// level: trace|debug|info|warn|error|critical|off; format: text|json (validated by config).
void SetupLogging(const std::string& level, const std::string& format);
// Flushes and stops the logger (queued lines are written).
void ShutdownLogging();

}  // namespace opdesk::app
