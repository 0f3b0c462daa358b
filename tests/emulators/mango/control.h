// The /_emu/ control API for tests (JSON in, JSON out):
//   GET  /_emu/requests, POST /_emu/requests/clear   commands received and webhooks sent
//   GET  /_emu/calls                                  scenario state
//   GET  /_emu/stats
//   GET|POST /_emu/config  {webhook_base, lockout_ms, rate_scale, command_speed, inbox_status}
//   GET|POST|DELETE /_emu/faults  {path, http_status, code, count, async: accept, then fail
//                                   through result/<kind>}
//   POST /_emu/scenario    starts one call (see ParseScenario)
//   POST /_emu/inbox/<any> records a received webhook; GET|DELETE /_emu/inbox
//   POST /_emu/wait, POST /_emu/ping   (asynchronous, served by server.cpp)
#pragma once

#include <string>

#include "tests/emulators/mango/commands.h"

namespace mangoemu {

// Synchronous control endpoints (takes the state mutex itself). 404 for unknown paths.
HttpOutcome HandleControl(State& st, const std::string& http_method, const std::string& path,
                          const std::string& body);

}  // namespace mangoemu
