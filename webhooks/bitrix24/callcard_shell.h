// The call card's page shell: the built front end's callcard.html with a bootstrap block that
// carries what the page needs before its first request — the UI session and its expiry, the
// portal's language, the placement options as parsed JSON, the API base, the signed-in user and
// the URL of the portal's frame SDK (BX24.js), whose origin is the one script source the shell's
// CSP allows besides opdesk. The block is JSON inside <script type="application/json">, escaped so
// that no value (a "</script>" in PLACEMENT_OPTIONS, say) can end the element early.
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
  std::string placement;          // CALL_CARD, or DEFAULT (the app page) …
  std::string placement_options;  // the JSON string as the portal sent it; invalid JSON → {}
  std::string api_base;           // path prefix of the API, "" at the host's root
  std::string member_id;
  std::string user_id;
  std::string user_name;
  std::string frame_sdk_url;  // BX24.js (bitrix24.frame_sdk_url); "" in the block when unusable
};

// "scheme://host[:port]" of a plain http(s) URL, for a CSP source. nullopt for anything else: no
// userinfo, a host of letters, digits, '.' and '-', a numeric port, and no space, control
// character, quote, '<', '>', backslash or '`' anywhere in the URL.
// NOTE: the result goes into a response header, so a doubtful URL is refused, never escaped.
std::optional<std::string> ScriptOrigin(std::string_view url);

// JSON text with '<', '>', '&', U+2028 and U+2029 written as \u escapes: still the same JSON
// value, but harmless inside an HTML <script> element.
std::string ScriptSafeJson(std::string_view json);
std::string BootstrapJson(const ShellBootstrap& bootstrap);

// The page from `shell_html` (callcard.html or settings.html of the build, named by `file` in the
// log) with the bootstrap block in place of
// <!--opdesk-bootstrap--> (or before </head>). No shell (the front end was not built): a clear
// ru/en page with status 503. `frame_ancestor` is the portal's origin, the only page allowed to
// frame this one. Scripts may come from opdesk and from the frame SDK's origin only; a frame SDK
// URL that ScriptOrigin refuses leaves the page with opdesk's scripts alone (and no bridge).
http::Response CallCardShell(const std::optional<std::string>& shell_html,
                             const std::string& frame_ancestor, const ShellBootstrap& bootstrap,
                             std::string_view file = "callcard.html");

}  // namespace opdesk::bitrix24
