// Connecting a Mango VPBX to a tenant (issue 4, item 1), shared by `opdesk tenant mango` and the
// settings API: the salt sealed with the master key (never returned or logged), the webhook key
// kept across reconnects (the Mango account holds the URL built from it) and unguessable when
// new, the change audited without the salt, and a sync of the VPBX's user directory queued.
#pragma once

#include <string>

#include "connector/storage/database.h"
#include "connector/storage/mango_records.h"
#include "oauth/secret_box.h"

namespace opdesk::mango {

struct VpbxConnectResult {
  MangoConnection connection;
  bool reconnected = false;
};

// Throws InvalidArgument naming "api_key" or "api_salt" for values Mango could not have issued.
void ValidateVpbxCredentials(const std::string& api_key, const std::string& api_salt);

// In the caller's transaction. NotFound when the tenant does not exist.
VpbxConnectResult ConnectVpbx(storage::Session& s, const crypto::SecretBox& box,
                              const std::string& tenant_id, const std::string& api_key,
                              const std::string& api_salt, const std::string& actor, EpochMs now,
                              EpochMs directory_refresh_ms);

// The address to enter as «Адрес внешней системы» in the Mango account; Mango appends
// events/call, events/summary, … to it.
std::string WebhookBaseUrl(const std::string& public_url, const std::string& tenant_key);

}  // namespace opdesk::mango
