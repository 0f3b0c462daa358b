// Plain value types for the first aggregates: tenants, portal users, received events and audit
// entries. No behaviour lives here; the rules that use them are in their own domain files.
#pragma once

#include <optional>
#include <string>

#include "connector/domain/clock.h"

namespace opdesk {

enum class TenantKind { kBitrix24, kMegaplan };

struct Tenant {
  std::string id;  // Bitrix24 member_id, or "megaplan:<host>"
  TenantKind kind = TenantKind::kBitrix24;
  std::string domain;
  std::string status = "active";
  std::string plan = "free";
  EpochMs paid_until_ms = 0;
  EpochMs plan_lapsed_at_ms = 0;  // when the end of the paid period was applied (FEATURES E2)
  std::string time_zone = "Europe/Moscow";
  long long version = 1;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

std::string ToString(TenantKind kind);
TenantKind TenantKindFromString(const std::string& s);

// A portal user. Holding a role is holding a seat (FEATURES E1); a seat blocked by the tariff
// keeps its role for when the tenant renews (E2). Seat columns change only through
// UserRepository::SetSeat, so a profile refresh never undoes a role assignment.
struct User {
  std::string tenant_id;
  std::string user_id;
  std::string name;
  std::string email;
  std::string status = "active";  // in the portal: "active", or "fired" (deactivated there)
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
  long long role_id = 0;      // 0: no role
  bool seat_blocked = false;  // holds role_id, but blocked by the tariff
  long long seat_seq = 0;     // when the seat was taken, per tenant; restores follow this order
};

// A webhook or portal event as received, kept before it is acknowledged.
struct StoredEvent {
  long long id = 0;
  std::string tenant_id;
  std::string source;      // "mango", "bitrix24"
  std::string kind;        // e.g. "events/call"
  std::string dedupe_key;  // what makes a repeat recognisable, e.g. "<call_id>:<seq>"
  std::string payload;
  EpochMs received_at_ms = 0;
};

struct AuditEntry {
  long long id = 0;
  std::string tenant_id;
  std::string actor;  // user id, "system" or "vendor"
  std::string action;
  std::string object_type;
  std::string object_id;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
  EpochMs at_ms = 0;
};

// An audit entry for `action` on an object; before/after are filled in by the caller if known.
AuditEntry MakeAuditEntry(std::string tenant_id, std::string actor, std::string action,
                          std::string object_type, std::string object_id, EpochMs at_ms);

}  // namespace opdesk
