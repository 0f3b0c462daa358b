#include "webhooks/bitrix24/portal_post.h"

#include <algorithm>

#include "connector/domain/error.h"

namespace opdesk::bitrix24 {
namespace {

// Portals send 3600. The bound keeps the expiry time (now + seconds * 1000) far inside 64 bits.
constexpr long long kMaxAuthExpiresS = 7 * 24 * 3600;

std::string Get(const http::Params& params, const char* name) {
  return http::FindParam(params, name).value_or("");
}

// "auth[access_token]" with prefix "auth" → "access_token"; "data[A][B]" → "A][B".
bool StripPrefix(const std::string& key, const std::string& prefix, std::string* inner) {
  if (key.size() < prefix.size() + 2 || key.compare(0, prefix.size(), prefix) != 0 ||
      key[prefix.size()] != '[' || key.back() != ']') {
    return false;
  }
  *inner = key.substr(prefix.size() + 1, key.size() - prefix.size() - 2);
  return true;
}

}  // namespace

FramePost ParseFramePost(const http::Request& request) {
  const http::Params form = http::ParseForm(request.body);
  FramePost f;
  f.domain = request.QueryParam("DOMAIN").value_or(Get(form, "DOMAIN"));
  f.lang = request.QueryParam("LANG").value_or("ru");
  f.https = request.QueryParam("PROTOCOL").value_or(Get(form, "PROTOCOL")) != "0";
  f.member_id = Get(form, "member_id");
  f.auth_id = Get(form, "AUTH_ID");
  f.refresh_id = Get(form, "REFRESH_ID");
  const std::string expires = Get(form, "AUTH_EXPIRES");
  try {
    if (!expires.empty()) {
      f.auth_expires_s = std::stoll(expires);
    }
  } catch (const std::exception&) {
    throw InvalidArgument("AUTH_EXPIRES is not a number", "AUTH_EXPIRES");
  }
  if (f.auth_expires_s <= 0 || f.auth_expires_s > kMaxAuthExpiresS) {
    throw InvalidArgument("AUTH_EXPIRES is out of range", "AUTH_EXPIRES");
  }
  f.server_endpoint = Get(form, "SERVER_ENDPOINT");
  f.application_token = Get(form, "APPLICATION_TOKEN");
  f.scope = Get(form, "APPLICATION_SCOPE");
  f.status = Get(form, "status");
  f.placement = Get(form, "PLACEMENT");
  f.placement_options = Get(form, "PLACEMENT_OPTIONS");
  if (f.member_id.empty()) {
    throw InvalidArgument("the request has no member_id", "member_id");
  }
  if (f.auth_id.empty()) {
    throw InvalidArgument("the request has no AUTH_ID", "AUTH_ID");
  }
  return f;
}

bool IsEventPost(const std::string& form_body) {
  return http::FindParam(http::ParseForm(form_body), "event").has_value();
}

std::string FrameOrigin(const FramePost& post, const std::string& portal_domain) {
  return (post.https ? "https://" : "http://") + portal_domain;
}

EventPost ParseEventPost(const std::string& form_body) {
  EventPost e;
  for (const auto& [key, value] : http::ParseForm(form_body)) {
    std::string inner;
    if (key == "event") {
      e.event = value;
    } else if (key == "ts") {
      e.ts = value;
    } else if (StripPrefix(key, "data", &inner)) {
      e.data[inner] = value;
    } else if (StripPrefix(key, "auth", &inner)) {
      e.auth[inner] = value;
    }
  }
  for (char& c : e.event) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (e.event.empty()) {
    throw InvalidArgument("the event form names no event", "event");
  }
  return e;
}

}  // namespace opdesk::bitrix24
