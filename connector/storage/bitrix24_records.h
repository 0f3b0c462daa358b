// Value types for a Bitrix24 portal connected to a tenant, and the OAuth tokens kept per portal
// user. Secrets travel here only in sealed form (see oauth/secret_box.h).
#pragma once

#include <string>

#include "connector/domain/clock.h"

namespace opdesk {

// installing: tokens known, setup not finished; installed: setup done; uninstalled: the portal
// removed the app (no tokens are kept).
struct B24Portal {
  std::string tenant_id;  // member_id
  std::string domain;
  std::string client_endpoint;  // https://portal/rest/
  std::string server_endpoint;  // https://oauth.bitrix24.tech/rest/
  std::string application_token_sealed;
  std::string scopes;
  std::string app_status;  // F, D, T, P, L, S
  std::string state = "installing";
  bool needs_reauth = false;
  std::string installer_user_id;
  EpochMs setup_done_at_ms = 0;
  int rate_per_s = 2;
  int burst = 50;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

struct SealedTokens {
  std::string tenant_id;
  std::string user_id;
  std::string access_token_sealed;
  std::string refresh_token_sealed;
  EpochMs access_expires_at_ms = 0;
  long long version = 0;  // bumped by every refresh; single-flight compares it
  EpochMs updated_at_ms = 0;
};

}  // namespace opdesk
