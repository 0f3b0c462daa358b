// What the REST client needs of a portal user's OAuth tokens: the current access token, and a
// refresh when the portal answered that it expired. The token store (oauth/bitrix24) implements
// it; the REST client knows only this, so the adapters do not depend on the sign-in module.
#pragma once

#include <string>

namespace opdesk::bitrix24 {

struct AccessToken {
  std::string token;
  long long version = 0;  // changes with every refresh
};

class AccessTokens {
 public:
  virtual ~AccessTokens() = default;

  // The user's current access token. Throws Unauthenticated when the user has no tokens.
  virtual AccessToken Get(const std::string& tenant_id, const std::string& user_id) = 0;
  // Refreshes unless someone already did since `seen_version`; returns the current token.
  // Throws Unauthenticated when the portal refuses the refresh.
  virtual AccessToken Refresh(const std::string& tenant_id, const std::string& user_id,
                              long long seen_version) = 0;
};

}  // namespace opdesk::bitrix24
