#include "connector/storage/records.h"

#include "connector/domain/error.h"

namespace opdesk {

std::string ToString(TenantKind kind) {
  return kind == TenantKind::kMegaplan ? "megaplan" : "bitrix24";
}

TenantKind TenantKindFromString(const std::string& s) {
  if (s == "bitrix24") {
    return TenantKind::kBitrix24;
  }
  if (s == "megaplan") {
    return TenantKind::kMegaplan;
  }
  throw Internal("unknown tenant kind '" + s + "' in storage");
}

AuditEntry MakeAuditEntry(std::string tenant_id, std::string actor, std::string action,
                          std::string object_type, std::string object_id, EpochMs at_ms) {
  AuditEntry entry;
  entry.tenant_id = std::move(tenant_id);
  entry.actor = std::move(actor);
  entry.action = std::move(action);
  entry.object_type = std::move(object_type);
  entry.object_id = std::move(object_id);
  entry.at_ms = at_ms;
  return entry;
}

}  // namespace opdesk
