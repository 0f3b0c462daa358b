// Buttons of the call card; actions are a JSON document made by the settings codec.
#include <soci/soci.h>

#include "connector/storage/repositories.h"
#include "connector/storage/settings_repositories.h"

namespace opdesk::storage {
namespace {

std::vector<ButtonRow> QueryButtons(Session& s, const std::string& tenant_id, long long id) {
  ButtonRow b;
  soci::statement st =
      (s.sql().prepare << "SELECT id, tenant_id, name, color, actions_json, version,"
                          " created_at_ms, updated_at_ms FROM buttons WHERE tenant_id = :t"
                          " AND (:i = 0 OR id = :i2) ORDER BY id",
       soci::into(b.id), soci::into(b.tenant_id), soci::into(b.name), soci::into(b.color),
       soci::into(b.actions_json), soci::into(b.version), soci::into(b.created_at_ms),
       soci::into(b.updated_at_ms), soci::use(tenant_id), soci::use(id), soci::use(id));
  std::vector<ButtonRow> out;
  if (st.execute(true)) {
    do {
      out.push_back(b);
    } while (st.fetch());
  }
  return out;
}

}  // namespace

long long ButtonRepository::Insert(Session& s, const ButtonRow& b) {
  s.sql() << "INSERT INTO buttons (tenant_id, name, color, actions_json, version, created_at_ms,"
             " updated_at_ms) VALUES (:t, :n, :c, :a, 1, :cr, :up)",
      soci::use(b.tenant_id), soci::use(b.name), soci::use(b.color), soci::use(b.actions_json),
      soci::use(b.created_at_ms), soci::use(b.updated_at_ms);
  return LastInsertId(s, "buttons");
}

bool ButtonRepository::Update(Session& s, const ButtonRow& b, long long expected_version) {
  soci::statement st =
      (s.sql().prepare << "UPDATE buttons SET name = :n, color = :c, actions_json = :a,"
                          " version = version + 1, updated_at_ms = :u"
                          " WHERE tenant_id = :t AND id = :id AND version = :v",
       soci::use(b.name), soci::use(b.color), soci::use(b.actions_json), soci::use(b.updated_at_ms),
       soci::use(b.tenant_id), soci::use(b.id), soci::use(expected_version));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::optional<ButtonRow> ButtonRepository::Find(Session& s, const std::string& tenant_id,
                                                long long id) {
  if (id <= 0) {
    return std::nullopt;
  }
  std::vector<ButtonRow> rows = QueryButtons(s, tenant_id, id);
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front();
}

std::vector<ButtonRow> ButtonRepository::List(Session& s, const std::string& tenant_id) {
  return QueryButtons(s, tenant_id, 0);
}

long long ButtonRepository::Count(Session& s, const std::string& tenant_id) {
  long long n = 0;
  s.sql() << "SELECT COUNT(*) FROM buttons WHERE tenant_id = :t", soci::into(n),
      soci::use(tenant_id);
  return n;
}

bool ButtonRepository::Delete(Session& s, const std::string& tenant_id, long long id,
                              long long expected_version) {
  soci::statement st =
      (s.sql().prepare << "DELETE FROM buttons WHERE tenant_id = :t AND id = :id AND version = :v",
       soci::use(tenant_id), soci::use(id), soci::use(expected_version));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

// ---- CRM cache ----

std::optional<CrmCacheRepository::Entry> CrmCacheRepository::Find(Session& s,
                                                                  const std::string& tenant_id,
                                                                  const std::string& kind) {
  Entry e;
  s.sql() << "SELECT body_json, fetched_at_ms FROM crm_cache WHERE tenant_id = :t AND kind = :k",
      soci::into(e.body_json), soci::into(e.fetched_at_ms), soci::use(tenant_id), soci::use(kind);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return e;
}

void CrmCacheRepository::Save(Session& s, const std::string& tenant_id, const std::string& kind,
                              const std::string& body_json, EpochMs fetched_at_ms) {
  s.sql() << "INSERT INTO crm_cache (tenant_id, kind, body_json, fetched_at_ms)"
             " VALUES (:t, :k, :b, :f)" +
                 UpsertClause(s.dialect(), "tenant_id, kind", {"body_json", "fetched_at_ms"}),
      soci::use(tenant_id), soci::use(kind), soci::use(body_json), soci::use(fetched_at_ms);
}

}  // namespace opdesk::storage
