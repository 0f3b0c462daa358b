#include "oauth/bitrix24/domain_names.h"

#include <algorithm>
#include <cctype>

namespace opdesk::bitrix24 {

bool SameDomain(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

std::string HostOfEndpoint(const std::string& endpoint) {
  auto start = endpoint.find("://");
  if (start == std::string::npos) {
    return "";
  }
  start += 3;
  auto end = endpoint.find('/', start);
  return endpoint.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace opdesk::bitrix24
