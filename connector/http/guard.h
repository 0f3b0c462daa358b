// Route guards: who may call a route. A route declares its guard kind; the router runs the check
// registered for that kind before the handler and hands the handler the `Caller` it proved. The
// checks themselves (sessions, seats, the admin token, the PBX's signature) are supplied by the
// wiring, so this module knows the kinds and nothing of databases or CRMs.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "connector/domain/roles.h"

namespace opdesk::http {

struct Request;

enum class Guard {
  kNone,             // public: health, pages, portal POSTs that check their own signature
  kSession,          // a UI session of the Bitrix24 frame
  kInstallSession,   // a frame session, or the install page's own (setup and status only)
  kSeat,             // a frame session whose user holds an active seat
  kSettingsManager,  // kSeat, and the user's role may manage settings
  kAdmin,            // the vendor's admin token
  kMangoSignature,   // the Mango VPBX's signed envelope
};

// "none", "session", "install_session", "seat", "settings_manager", "admin", "mango_signature".
std::string_view ToString(Guard guard);

// Who is calling, as far as the route's guard proved it. Empty fields were not asked for.
struct Caller {
  std::string tenant_id;
  std::string user_id;
  std::string scope;         // the UI session's scope: "frame" or "install"
  std::optional<Role> role;  // kSeat and kSettingsManager: the caller's role
};

// Proves the caller of `request` or throws opdesk::Error (Unauthenticated, PermissionDenied, ...),
// which the server maps to the answer; the handler then never runs.
using GuardCheck = std::function<Caller(const Request& request)>;

}  // namespace opdesk::http
