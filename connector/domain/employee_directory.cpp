#include "connector/domain/employee_directory.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace opdesk {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
    return c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c);
  });
  return s;
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) {
    return "";
  }
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

std::vector<ProposedLink> MatchEmployees(const std::vector<PbxEmployee>& pbx,
                                         const std::vector<PortalUser>& portal) {
  std::map<std::string, std::set<std::string>> by_inner;  // extension → user ids
  std::map<std::string, std::set<std::string>> by_email;  // lower-case e-mail → user ids
  for (const PortalUser& u : portal) {
    const std::string inner = Trim(u.inner_phone);
    if (!inner.empty()) {
      by_inner[inner].insert(u.id);
    }
    const std::string email = Lower(Trim(u.email));
    if (!email.empty()) {
      by_email[email].insert(u.id);
    }
  }
  std::map<std::string, ProposedLink> links;
  for (const auto& [extension, users] : by_inner) {
    if (users.size() == 1) {
      links[extension] = {extension, *users.begin(), "crm"};
    }
  }
  for (const PbxEmployee& e : pbx) {
    const std::string extension = Trim(e.extension);
    if (extension.empty() || by_inner.count(extension) > 0) {
      continue;  // the internal number decides, even when it is ambiguous
    }
    auto match = by_email.find(Lower(Trim(e.email)));
    if (match != by_email.end() && !match->first.empty() && match->second.size() == 1) {
      links[extension] = {extension, *match->second.begin(), "pbx"};
    }
  }
  std::vector<ProposedLink> out;
  for (auto& [extension, link] : links) {
    out.push_back(std::move(link));
  }
  return out;
}

}  // namespace opdesk
