// Delivery of signed POSTs to opdesk (events, results, ping). Mango does not retry (reference
// §2.3), so a failure is only recorded.
#pragma once

#include <string>

#include "tests/emulators/mango/state.h"

namespace mangoemu {

// Signs `json` with the VPBX key and salt and POSTs it to <webhook base><path>. Blocks until
// opdesk answers (5 s inactivity limit): call it from a worker thread only, never from the
// listener pool or with the state mutex held. Logs the delivery and returns the HTTP status,
// 0 when opdesk was unreachable or no webhook base is configured.
int DeliverWebhook(State& st, const std::string& path, const std::string& json,
                   const std::string& entry_id = "");

// Same, on a background worker; for command results that belong to no playing call.
void DeliverWebhookAsync(State& st, const std::string& path, const std::string& json);

// {"command_id":…,"result":…} for result/<kind>.
std::string ResultJson(const std::string& command_id, int result);

}  // namespace mangoemu
