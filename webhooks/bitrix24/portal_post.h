// What Bitrix24 POSTs to us, parsed into plain values: the iframe of an app page, install page or
// placement (query DOMAIN/LANG/APP_SID, form AUTH_ID, REFRESH_ID, member_id, PLACEMENT_OPTIONS …),
// and events (form with PHP-style keys: event, data[…], auth[…]). Pure functions: no I/O.
#pragma once

#include <map>
#include <string>

#include "connector/http/message.h"
#include "oauth/bitrix24/domain_names.h"  // SameDomain, HostOfEndpoint (also used by the pages)

namespace opdesk::bitrix24 {

struct FramePost {
  std::string domain;  // as the request claims it; never used to reach the portal
  std::string lang;    // "ru" by default
  bool https = true;   // PROTOCOL: 1 https, 0 http (on-premise portals on plain http)
  std::string member_id;
  std::string auth_id;
  std::string refresh_id;
  long long auth_expires_s = 3600;  // AUTH_EXPIRES: 1 s to 7 days
  std::string server_endpoint;
  std::string application_token;  // may be absent on older portals
  std::string scope;
  std::string status;
  std::string placement;          // DEFAULT for the app page
  std::string placement_options;  // a JSON string, kept as received
};

// Throws InvalidArgument naming the first missing field (member_id, AUTH_ID), or AUTH_EXPIRES when
// it is not a number of seconds from 1 to 7 days.
FramePost ParseFramePost(const http::Request& request);
// Whether a form body is an event (install callback, ONAPPINSTALL …) rather than a frame.
bool IsEventPost(const std::string& form_body);
// The frame's scheme and the portal host: what may embed the page (CSP frame-ancestors).
std::string FrameOrigin(const FramePost& post, const std::string& portal_domain);

struct EventPost {
  std::string event;                        // upper case, e.g. ONAPPUNINSTALL
  std::map<std::string, std::string> data;  // data[KEY] → value (nested keys flattened: "A][B")
  std::map<std::string, std::string> auth;  // auth[key] → value; empty when there is no block
  std::string ts;
};

// Throws InvalidArgument("event") when the form names no event.
EventPost ParseEventPost(const std::string& form_body);

}  // namespace opdesk::bitrix24
