// The VPBX command API under /vpbx/ (reference §1.2, §1.4, §3): envelope and signature checks,
// the bad-request lock-out, per-operation rate limits, injected faults, then the command.
#pragma once

#include <map>
#include <string>

#include "tests/emulators/common/http_front.h"
#include "tests/emulators/mango/state.h"

namespace mangoemu {

using emu::HttpOutcome;

// `path` is the part after /vpbx/, e.g. commands/route. Takes the state mutex itself.
HttpOutcome HandleVpbx(State& st, const std::string& http_method, const std::string& path,
                       const std::string& body);

// One command whose envelope passed. Expects the state mutex held. `code` is what the answer
// carries (1000 on acceptance, else the error code); `async_result` a failure result already
// scheduled for result/<kind>, 0 if none.
struct CommandOutcome {
  HttpOutcome out;
  int code = 1000;
  int async_result = 0;
};
CommandOutcome RunCommand(State& st, const std::string& path, const Json& json);

// GET /files/<token>.mp3: a one-time recording download.
HttpOutcome HandleFile(State& st, const std::string& path);

}  // namespace mangoemu
