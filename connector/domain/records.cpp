#include "connector/domain/records.h"

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

}  // namespace opdesk
