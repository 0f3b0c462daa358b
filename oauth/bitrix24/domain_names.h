// Portal names as the trust checks compare them: a REST endpoint's host, and domains compared
// the way hosts are.
#pragma once

#include <string>

namespace opdesk::bitrix24 {

// Host names compare case-insensitively; the rest must match exactly.
bool SameDomain(const std::string& a, const std::string& b);

// The portal's host from a REST endpoint: "https://a.bitrix24.ru/rest/" → "a.bitrix24.ru".
std::string HostOfEndpoint(const std::string& endpoint);

}  // namespace opdesk::bitrix24
