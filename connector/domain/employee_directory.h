// Who is who (issue 4, item 5): Mango employees (extension, name, e-mail from
// config/users/request) matched to portal users — by the user's internal number (UF_PHONE_INNER)
// first, then by e-mail. Manual links made in the settings are kept by storage and always win;
// this only proposes the automatic ones.
#pragma once

#include <string>
#include <vector>

namespace opdesk {

struct PbxEmployee {
  std::string extension;
  std::string name;
  std::string email;
};

struct PortalUser {
  std::string id;
  std::string email;
  std::string inner_phone;  // UF_PHONE_INNER
};

struct ProposedLink {
  std::string extension;
  std::string crm_user_id;
  std::string source;  // "crm" (UF_PHONE_INNER) or "pbx" (e-mail from the PBX directory)
};

// One link per extension, ordered by extension. An extension is a portal user's internal number
// (linked whether or not the PBX listed it); otherwise its PBX e-mail names exactly one portal
// user (case-insensitive). Ambiguous matches (two users with the number or the e-mail) link
// nobody: a wrong card is worse than none.
std::vector<ProposedLink> MatchEmployees(const std::vector<PbxEmployee>& pbx,
                                         const std::vector<PortalUser>& portal);

}  // namespace opdesk
