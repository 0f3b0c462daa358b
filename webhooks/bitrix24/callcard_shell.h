// The call card's page shell: the built front end's callcard.html with a bootstrap block that
// carries what the page needs before its first request — the UI session and its expiry, the
// portal's language, the placement options as parsed JSON, the API base and the signed-in user.
// The block is JSON inside <script type="application/json">, escaped so that no value (a
// "</script>" in PLACEMENT_OPTIONS, say) can end the element early.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "connector/http/message.h"

namespace opdesk::bitrix24 {

struct ShellBootstrap {
  std::string session;
  long long session_expires_at_ms = 0;
  std::string lang;               // "ru" or "en"
  std::string placement;          // CALL_CARD
  std::string placement_options;  // the JSON string as the portal sent it; invalid JSON → {}
  std::string api_base;           // path prefix of the API, "" at the host's root
  std::string member_id;
  std::string user_id;
  std::string user_name;
};

// JSON text with '<', '>', '&', U+2028 and U+2029 written as \u escapes: still the same JSON
// value, but harmless inside an HTML <script> element.
std::string ScriptSafeJson(std::string_view json);
std::string BootstrapJson(const ShellBootstrap& bootstrap);

// The page from `shell_html` (callcard.html of the build) with the bootstrap block in place of
// <!--opdesk-bootstrap--> (or before </head>). No shell (the front end was not built): a clear
// ru/en page with status 503. `frame_ancestor` is the portal's origin, the only page allowed to
// frame this one.
http::Response CallCardShell(const std::optional<std::string>& shell_html,
                             const std::string& frame_ancestor, const ShellBootstrap& bootstrap);

}  // namespace opdesk::bitrix24
