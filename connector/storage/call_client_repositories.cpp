#include "connector/storage/call_client_repositories.h"

#include <soci/soci.h>

namespace opdesk::storage {

std::optional<CallClient> CallClientRepository::Find(Session& s, const std::string& tenant_id,
                                                     const std::string& entry_id) {
  CallClient c;
  s.sql() << "SELECT tenant_id, entry_id, action, phone, state, outcome, known_entity, lead_id,"
             " contact_id, deal_id, created_at_ms, updated_at_ms FROM call_clients WHERE"
             " tenant_id = :t AND entry_id = :e",
      soci::into(c.tenant_id), soci::into(c.entry_id), soci::into(c.action), soci::into(c.phone),
      soci::into(c.state), soci::into(c.outcome), soci::into(c.known_entity), soci::into(c.lead_id),
      soci::into(c.contact_id), soci::into(c.deal_id), soci::into(c.created_at_ms),
      soci::into(c.updated_at_ms), soci::use(tenant_id), soci::use(entry_id);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return c;
}

void CallClientRepository::Save(Session& s, const CallClient& c) {
  s.sql() << "INSERT INTO call_clients (tenant_id, entry_id, action, phone, state, outcome,"
             " known_entity, lead_id, contact_id, deal_id, created_at_ms, updated_at_ms) VALUES"
             " (:t, :e, :a, :p, :s, :o, :k, :l, :c, :d, :ca, :u)" +
                 UpsertClause(s.dialect(), "tenant_id, entry_id",
                              {"action", "phone", "state", "outcome", "known_entity", "lead_id",
                               "contact_id", "deal_id", "updated_at_ms"}),
      soci::use(c.tenant_id), soci::use(c.entry_id), soci::use(c.action), soci::use(c.phone),
      soci::use(c.state), soci::use(c.outcome), soci::use(c.known_entity), soci::use(c.lead_id),
      soci::use(c.contact_id), soci::use(c.deal_id), soci::use(c.created_at_ms),
      soci::use(c.updated_at_ms);
}

std::optional<std::string> ClientLockRepository::Acquire(Session& s, const std::string& tenant_id,
                                                         const std::string& phone,
                                                         const std::string& entry_id, EpochMs now,
                                                         EpochMs stale_after_ms) {
  // Two rounds: a holder may release between our insert and our read (MySQL, READ COMMITTED).
  for (int round = 0; round < 2; ++round) {
    soci::statement insert =
        (s.sql().prepare << "INSERT INTO crm_client_locks (tenant_id, phone, entry_id,"
                            " locked_at_ms) VALUES (:t, :p, :e, :n)" +
                                InsertIgnoreClause(s.dialect(), "tenant_id, phone"),
         soci::use(tenant_id), soci::use(phone), soci::use(entry_id), soci::use(now));
    if (ExecuteInsertUnlessDuplicate(insert)) {
      return std::nullopt;
    }
    std::string holder;
    EpochMs locked_at = 0;
    std::string sql =
        "SELECT entry_id, locked_at_ms FROM crm_client_locks WHERE tenant_id = :t AND phone = :p";
    if (s.dialect() == Dialect::kMysql) {
      sql += " FOR UPDATE";
    }
    s.sql() << sql, soci::into(holder), soci::into(locked_at), soci::use(tenant_id),
        soci::use(phone);
    if (!s.sql().got_data()) {
      continue;
    }
    if (holder == entry_id) {
      return std::nullopt;
    }
    if (locked_at + stale_after_ms > now) {
      return holder;
    }
    s.sql() << "UPDATE crm_client_locks SET entry_id = :e, locked_at_ms = :n WHERE tenant_id ="
               " :t AND phone = :p",
        soci::use(entry_id), soci::use(now), soci::use(tenant_id), soci::use(phone);
    return std::nullopt;
  }
  return std::string("(busy)");
}

void ClientLockRepository::Release(Session& s, const std::string& tenant_id,
                                   const std::string& phone, const std::string& entry_id) {
  s.sql() << "DELETE FROM crm_client_locks WHERE tenant_id = :t AND phone = :p AND entry_id = :e",
      soci::use(tenant_id), soci::use(phone), soci::use(entry_id);
}

}  // namespace opdesk::storage
