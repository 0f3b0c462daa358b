#include "connector/calls/vpbx_connection.h"

#include <cpprest/json.h>

#include "connector/calls/directory_sync.h"
#include "connector/domain/error.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/crypto.h"

namespace opdesk::mango {
namespace {

// Printable ASCII without spaces: what Mango's key and salt are made of.
bool Token(const std::string& s, std::size_t max) {
  if (s.empty() || s.size() > max) {
    return false;
  }
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f) {
      return false;
    }
  }
  return true;
}

std::string ApiKeyJson(const std::string& api_key) {
  web::json::value v = web::json::value::object();
  v["api_key"] = web::json::value::string(api_key);
  return v.serialize();
}

}  // namespace

void ValidateVpbxCredentials(const std::string& api_key, const std::string& api_salt) {
  if (!Token(api_key, 191)) {
    throw InvalidArgument(
        "the VPBX key (vpbx_api_key) is 1 to 191 printable characters without spaces", "api_key");
  }
  if (!Token(api_salt, 255)) {
    throw InvalidArgument(
        "the signing salt (vpbx_api_salt) is 1 to 255 printable characters without spaces",
        "api_salt");
  }
}

VpbxConnectResult ConnectVpbx(storage::Session& s, const crypto::SecretBox& box,
                              const std::string& tenant_id, const std::string& api_key,
                              const std::string& api_salt, const std::string& actor, EpochMs now,
                              EpochMs directory_refresh_ms) {
  ValidateVpbxCredentials(api_key, api_salt);
  if (!storage::TenantRepository::Find(s, tenant_id)) {
    throw NotFound("no tenant '" + tenant_id + "' (see: opdesk tenant list)");
  }
  std::optional<MangoConnection> existing =
      storage::MangoConnectionRepository::FindByTenant(s, tenant_id);
  VpbxConnectResult result;
  result.reconnected = existing.has_value();
  MangoConnection& c = result.connection;
  // Keep the webhook URL stable across reconnects: Mango's account holds it.
  c.tenant_key = existing ? existing->tenant_key : crypto::RandomToken(24);
  c.created_at_ms = existing ? existing->created_at_ms : now;
  c.tenant_id = tenant_id;
  c.api_key = api_key;
  c.api_salt_sealed = box.Seal(api_salt, "mango-salt/" + tenant_id);
  c.updated_at_ms = now;
  storage::MangoConnectionRepository::Upsert(s, c);
  AuditEntry audit =
      MakeAuditEntry(tenant_id, actor, existing ? "mango.reconnect" : "mango.connect",
                     "mango_connection", tenant_id, now);
  if (existing) {
    audit.before_json = ApiKeyJson(existing->api_key);
  }
  audit.after_json = ApiKeyJson(api_key);
  storage::AuditLogRepository::Append(s, audit);
  // Learn the VPBX's employees now, and keep the periodic refresh going.
  EnqueueDirectorySyncNow(s, tenant_id, now);
  EnqueuePeriodicDirectorySync(s, tenant_id, now, directory_refresh_ms);
  return result;
}

std::string WebhookBaseUrl(const std::string& public_url, const std::string& tenant_key) {
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  return base + "/mango/" + tenant_key + "/";
}

}  // namespace opdesk::mango
