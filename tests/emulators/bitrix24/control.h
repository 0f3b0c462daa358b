// The /_emu/ control API for tests, and the portal-side actions that POST to opdesk.
#pragma once

#include <map>
#include <string>

#include <pplx/pplxtasks.h>

#include "tests/emulators/bitrix24/rest.h"

namespace b24emu {

struct ControlRequest {
  std::string http_method;
  std::string path;
  std::string query;
  std::map<std::string, std::string> headers;
  std::string body;
};

// Synchronous control endpoints (takes the state mutex itself). 404 for unknown paths.
HttpOutcome HandleControl(State& st, const ControlRequest& req);

// /_emu/portal/{install-callback,frame,event,uninstall}: the emulator acting as the portal.
// Answers {"status","headers","body","sent"} once opdesk has replied.
pplx::task<HttpOutcome> HandlePortalSide(State& st, const ControlRequest& req);

}  // namespace b24emu
