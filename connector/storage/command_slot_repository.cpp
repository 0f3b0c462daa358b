#include <soci/soci.h>

#include <algorithm>

#include "connector/storage/mango_repositories.h"

namespace opdesk::storage {

std::optional<EpochMs> CommandSlotRepository::Reserve(Session& s, const std::string& tenant_id,
                                                      const std::string& kind, EpochMs now,
                                                      EpochMs interval_ms, EpochMs latest) {
  EpochMs zero = 0;
  soci::statement insert =
      (s.sql().prepare << "INSERT INTO mango_command_slots (tenant_id, kind, next_at_ms) VALUES"
                          " (:t, :k, :n)" +
                              InsertIgnoreClause(s.dialect(), "tenant_id, kind"),
       soci::use(tenant_id), soci::use(kind), soci::use(zero));
  ExecuteInsertUnlessDuplicate(insert);
  std::string sql = "SELECT next_at_ms FROM mango_command_slots WHERE tenant_id = :t AND kind = :k";
  if (s.dialect() == Dialect::kMysql) {
    sql += " FOR UPDATE";  // SQLite: the transaction's write lock serialises reservations
  }
  EpochMs next = 0;
  s.sql() << sql, soci::into(next), soci::use(tenant_id), soci::use(kind);
  const EpochMs slot = std::max(now, next);
  if (slot > latest) {
    return std::nullopt;
  }
  const EpochMs after = slot + interval_ms;
  s.sql() << "UPDATE mango_command_slots SET next_at_ms = :n WHERE tenant_id = :t AND kind = :k",
      soci::use(after), soci::use(tenant_id), soci::use(kind);
  return slot;
}

}  // namespace opdesk::storage
