// F2: one save of a call's number into a script's CRM field per call (migration 20).
#include <soci/soci.h>

#include "connector/storage/settings_repositories.h"

namespace opdesk::storage {

bool ScriptNumberRepository::Claim(Session& s, const std::string& tenant_id,
                                   const std::string& call_key, const std::string& field_code,
                                   const std::string& phone, EpochMs now) {
  soci::statement st =
      (s.sql().prepare << "INSERT INTO script_number_saves (tenant_id, call_key, state,"
                          " crm_record, field_code, phone, updated_at_ms) VALUES (:t, :k,"
                          " 'queued', '', :f, :p, :u)" +
                              InsertIgnoreClause(s.dialect(), "tenant_id, call_key"),
       soci::use(tenant_id), soci::use(call_key), soci::use(field_code), soci::use(phone),
       soci::use(now));
  return ExecuteInsertUnlessDuplicate(st);
}

void ScriptNumberRepository::Finish(Session& s, const std::string& tenant_id,
                                    const std::string& call_key, const std::string& state,
                                    const std::string& crm_record, EpochMs now) {
  s.sql() << "UPDATE script_number_saves SET state = :s, crm_record = :r, updated_at_ms = :u"
             " WHERE tenant_id = :t AND call_key = :k",
      soci::use(state), soci::use(crm_record), soci::use(now), soci::use(tenant_id),
      soci::use(call_key);
}

std::optional<NumberSaveRow> ScriptNumberRepository::Find(Session& s, const std::string& tenant_id,
                                                          const std::string& call_key) {
  NumberSaveRow r;
  long long updated = 0;
  s.sql() << "SELECT state, crm_record, field_code, phone, updated_at_ms FROM script_number_saves"
             " WHERE tenant_id = :t AND call_key = :k",
      soci::into(r.state), soci::into(r.crm_record), soci::into(r.field_code), soci::into(r.phone),
      soci::into(updated), soci::use(tenant_id), soci::use(call_key);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  r.updated_at_ms = updated;
  return r;
}

}  // namespace opdesk::storage
