#include "connector/storage/mango_repositories.h"

#include <soci/soci.h>

#include <algorithm>

#include "connector/storage/read_cache.h"

namespace opdesk::storage {

// ---- connections ----

void MangoConnectionRepository::Upsert(Session& s, const MangoConnection& c) {
  s.sql() << "INSERT INTO mango_connections (tenant_id, tenant_key, api_key, api_salt_sealed,"
             " created_at_ms, updated_at_ms) VALUES (:t, :k, :a, :s, :c, :u)" +
                 UpsertClause(s.dialect(), "tenant_id",
                              {"tenant_key", "api_key", "api_salt_sealed", "updated_at_ms"}),
      soci::use(c.tenant_id), soci::use(c.tenant_key), soci::use(c.api_key),
      soci::use(c.api_salt_sealed), soci::use(c.created_at_ms), soci::use(c.updated_at_ms);
}

namespace {
std::optional<MangoConnection> QueryConnection(Session& s, const std::string& column,
                                               const std::string& value) {
  MangoConnection c;
  s.sql() << "SELECT tenant_id, tenant_key, api_key, api_salt_sealed, created_at_ms,"
             " updated_at_ms FROM mango_connections WHERE " +
                 column + " = :v",
      soci::into(c.tenant_id), soci::into(c.tenant_key), soci::into(c.api_key),
      soci::into(c.api_salt_sealed), soci::into(c.created_at_ms), soci::into(c.updated_at_ms),
      soci::use(value);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return c;
}
}  // namespace

std::optional<MangoConnection> MangoConnectionRepository::FindByTenant(
    Session& s, const std::string& tenant_id) {
  return QueryConnection(s, "tenant_id", tenant_id);
}

std::optional<MangoConnection> MangoConnectionRepository::FindByKey(Session& s,
                                                                    const std::string& key) {
  if (key.empty()) {
    return std::nullopt;
  }
  return QueryConnection(s, "tenant_key", key);
}

std::vector<std::string> MangoConnectionRepository::ListTenants(Session& s) {
  std::string tenant;
  soci::statement st = (s.sql().prepare << "SELECT tenant_id FROM mango_connections ORDER BY"
                                           " tenant_id",
                        soci::into(tenant));
  std::vector<std::string> out;
  if (st.execute(true)) {
    do {
      out.push_back(tenant);
    } while (st.fetch());
  }
  return out;
}

// ---- calls ----

namespace {
std::optional<StoredCall> QueryCall(Session& s, const std::string& tenant_id,
                                    const std::string& entry_id, bool lock) {
  StoredCall c;
  int finished = 0;
  std::string sql =
      "SELECT tenant_id, entry_id, state_json, crm_call_id, crm_entity, finished, version,"
      " created_at_ms, updated_at_ms FROM calls WHERE tenant_id = :t AND entry_id = :e";
  if (lock && s.dialect() == Dialect::kMysql) {
    sql += " FOR UPDATE";
  }
  s.sql() << sql, soci::into(c.tenant_id), soci::into(c.entry_id), soci::into(c.state_json),
      soci::into(c.crm_call_id), soci::into(c.crm_entity), soci::into(finished),
      soci::into(c.version), soci::into(c.created_at_ms), soci::into(c.updated_at_ms),
      soci::use(tenant_id), soci::use(entry_id);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  c.finished = finished != 0;
  return c;
}
}  // namespace

std::optional<StoredCall> CallRepository::Lock(Session& s, const std::string& tenant_id,
                                               const std::string& entry_id) {
  return QueryCall(s, tenant_id, entry_id, true);
}

std::optional<StoredCall> CallRepository::Find(Session& s, const std::string& tenant_id,
                                               const std::string& entry_id) {
  return QueryCall(s, tenant_id, entry_id, false);
}

void CallRepository::Save(Session& s, const StoredCall& c) {
  int finished = c.finished ? 1 : 0;
  s.sql() << "INSERT INTO calls (tenant_id, entry_id, state_json, crm_call_id, finished, version,"
             " created_at_ms, updated_at_ms) VALUES (:t, :e, :j, :c, :f, 1, :ca, :u)" +
                 UpsertClause(s.dialect(), "tenant_id, entry_id",
                              {"state_json", "finished", "updated_at_ms"}) +
                 ", version = calls.version + 1",
      soci::use(c.tenant_id), soci::use(c.entry_id), soci::use(c.state_json),
      soci::use(c.crm_call_id), soci::use(finished), soci::use(c.created_at_ms),
      soci::use(c.updated_at_ms);
}

std::vector<StoredCall> CallRepository::LockMany(Session& s, const std::string& tenant_id,
                                                 const std::vector<std::string>& entry_ids) {
  // One parameter a call and the tenant: well under SQLite's 999.
  constexpr std::size_t kPerSelect = 500;
  std::vector<StoredCall> out;
  for (std::size_t begin = 0; begin < entry_ids.size(); begin += kPerSelect) {
    const std::size_t end = std::min(entry_ids.size(), begin + kPerSelect);
    std::string sql =
        "SELECT tenant_id, entry_id, state_json, crm_call_id, crm_entity, finished, version,"
        " created_at_ms, updated_at_ms FROM calls WHERE tenant_id = :t AND entry_id IN (";
    for (std::size_t i = begin; i < end; ++i) {
      sql += (i == begin ? ":e" : ", :e") + std::to_string(i - begin);
    }
    sql += ")";
    if (s.dialect() == Dialect::kMysql) {
      sql += " FOR UPDATE";
    }
    StoredCall c;
    int finished = 0;
    soci::statement st(s.sql());
    st.exchange(soci::into(c.tenant_id));
    st.exchange(soci::into(c.entry_id));
    st.exchange(soci::into(c.state_json));
    st.exchange(soci::into(c.crm_call_id));
    st.exchange(soci::into(c.crm_entity));
    st.exchange(soci::into(finished));
    st.exchange(soci::into(c.version));
    st.exchange(soci::into(c.created_at_ms));
    st.exchange(soci::into(c.updated_at_ms));
    st.exchange(soci::use(tenant_id));
    for (std::size_t i = begin; i < end; ++i) {
      st.exchange(soci::use(entry_ids[i]));
    }
    st.alloc();
    st.prepare(sql);
    st.define_and_bind();
    if (st.execute(true)) {
      do {
        c.finished = finished != 0;
        out.push_back(c);
      } while (st.fetch());
    }
  }
  return out;
}

void CallRepository::SaveMany(Session& s, const std::vector<StoredCall>& calls) {
  // 7 parameters a row: 128 rows stay under SQLite's 999.
  constexpr std::size_t kRowsPerInsert = 128;
  for (std::size_t begin = 0; begin < calls.size(); begin += kRowsPerInsert) {
    const std::size_t end = std::min(calls.size(), begin + kRowsPerInsert);
    std::string sql =
        "INSERT INTO calls (tenant_id, entry_id, state_json, crm_call_id, finished, version,"
        " created_at_ms, updated_at_ms) VALUES ";
    std::vector<int> finished;
    finished.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      const std::string n = std::to_string(i - begin);
      sql += (i == begin ? "(:t" : ", (:t") + n + ", :e" + n + ", :j" + n + ", :c" + n + ", :f" +
             n + ", 1, :ca" + n + ", :u" + n + ")";
      finished.push_back(calls[i].finished ? 1 : 0);
    }
    sql += UpsertClause(s.dialect(), "tenant_id, entry_id",
                        {"state_json", "finished", "updated_at_ms"}) +
           ", version = calls.version + 1";
    soci::details::prepare_temp_type prep = (s.sql().prepare << sql);
    for (std::size_t i = begin; i < end; ++i) {
      const StoredCall& c = calls[i];
      prep, soci::use(c.tenant_id), soci::use(c.entry_id), soci::use(c.state_json),
          soci::use(c.crm_call_id), soci::use(finished[i - begin]), soci::use(c.created_at_ms),
          soci::use(c.updated_at_ms);
    }
    soci::statement st(prep);
    st.execute(true);
  }
}

bool CallRepository::UpdateIfVersion(Session& s, const std::string& tenant_id,
                                     const std::string& entry_id, const std::string& state_json,
                                     bool finished, EpochMs now, long long expected_version) {
  int finished_int = finished ? 1 : 0;
  soci::statement st =
      (s.sql().prepare << "UPDATE calls SET state_json = :j, finished = :f, updated_at_ms = :u,"
                          " version = version + 1 WHERE tenant_id = :t AND entry_id = :e AND"
                          " version = :v",
       soci::use(state_json), soci::use(finished_int), soci::use(now), soci::use(tenant_id),
       soci::use(entry_id), soci::use(expected_version));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

void CallRepository::SetCrmCallId(Session& s, const std::string& tenant_id,
                                  const std::string& entry_id, const std::string& crm_call_id,
                                  EpochMs now, const std::string& crm_entity) {
  s.sql() << "UPDATE calls SET crm_call_id = :c, crm_entity = :ce, updated_at_ms = :u WHERE"
             " tenant_id = :t AND entry_id = :e",
      soci::use(crm_call_id), soci::use(crm_entity), soci::use(now), soci::use(tenant_id),
      soci::use(entry_id);
}

long long CallRepository::CountByTenant(Session& s, const std::string& tenant_id) {
  long long n = 0;
  s.sql() << "SELECT COUNT(*) FROM calls WHERE tenant_id = :t", soci::into(n), soci::use(tenant_id);
  return n;
}

// ---- commands ----

bool SentCommandRepository::Insert(Session& s, const SentCommand& c) {
  soci::statement st =
      (s.sql().prepare << "INSERT INTO mango_commands (tenant_id, command_id, kind, crm_call_id,"
                          " crm_user_id, result, created_at_ms) VALUES (:t, :c, :k, :cc, :u, :r,"
                          " :at)" +
                              InsertIgnoreClause(s.dialect(), "tenant_id, command_id"),
       soci::use(c.tenant_id), soci::use(c.command_id), soci::use(c.kind), soci::use(c.crm_call_id),
       soci::use(c.crm_user_id), soci::use(c.result), soci::use(c.created_at_ms));
  return ExecuteInsertUnlessDuplicate(st);
}

std::optional<SentCommand> SentCommandRepository::Find(Session& s, const std::string& tenant_id,
                                                       const std::string& command_id) {
  SentCommand c;
  s.sql() << "SELECT tenant_id, command_id, kind, crm_call_id, crm_user_id, result,"
             " created_at_ms FROM mango_commands WHERE tenant_id = :t AND command_id = :c",
      soci::into(c.tenant_id), soci::into(c.command_id), soci::into(c.kind),
      soci::into(c.crm_call_id), soci::into(c.crm_user_id), soci::into(c.result),
      soci::into(c.created_at_ms), soci::use(tenant_id), soci::use(command_id);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return c;
}

void SentCommandRepository::SetResult(Session& s, const std::string& tenant_id,
                                      const std::string& command_id, int result) {
  s.sql() << "UPDATE mango_commands SET result = :r WHERE tenant_id = :t AND command_id = :c",
      soci::use(result), soci::use(tenant_id), soci::use(command_id);
}

void SentCommandRepository::Delete(Session& s, const std::string& tenant_id,
                                   const std::string& command_id) {
  s.sql() << "DELETE FROM mango_commands WHERE tenant_id = :t AND command_id = :c",
      soci::use(tenant_id), soci::use(command_id);
}

// ---- lines ----

bool CrmLineRepository::IsKnown(Session& s, const std::string& tenant_id,
                                const std::string& line_number) {
  auto& kept = s.cache().crm_lines;
  const std::string key = tenant_id + "\n" + line_number;
  const std::uint64_t generation = kept.generation();
  if (kept.Get(key)) {
    return true;
  }
  long long n = 0;
  s.sql() << "SELECT COUNT(*) FROM crm_lines WHERE tenant_id = :t AND line_number = :l",
      soci::into(n), soci::use(tenant_id), soci::use(line_number);
  if (n > 0) {
    kept.Put(key, true, generation);
  }
  return n > 0;
}

void CrmLineRepository::Remember(Session& s, const std::string& tenant_id,
                                 const std::string& line_number, EpochMs now) {
  soci::statement st =
      (s.sql().prepare << "INSERT INTO crm_lines (tenant_id, line_number, registered_at_ms)"
                          " VALUES (:t, :l, :n)" +
                              InsertIgnoreClause(s.dialect(), "tenant_id, line_number"),
       soci::use(tenant_id), soci::use(line_number), soci::use(now));
  ExecuteInsertUnlessDuplicate(st);
}

// ---- integration settings ----

std::optional<IntegrationSettingsRepository::Row> IntegrationSettingsRepository::Find(
    Session& s, const std::string& tenant_id) {
  Row row;
  s.sql() << "SELECT settings_json, version FROM integration_settings WHERE tenant_id = :t",
      soci::into(row.json), soci::into(row.version), soci::use(tenant_id);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return row;
}

long long IntegrationSettingsRepository::Save(Session& s, const std::string& tenant_id,
                                              const std::string& json, long long expected,
                                              EpochMs now) {
  if (expected == 0) {
    soci::statement st =
        (s.sql().prepare << "INSERT INTO integration_settings (tenant_id, settings_json, version,"
                            " updated_at_ms) VALUES (:t, :j, 1, :u)" +
                                InsertIgnoreClause(s.dialect(), "tenant_id"),
         soci::use(tenant_id), soci::use(json), soci::use(now));
    return ExecuteInsertUnlessDuplicate(st) ? 1 : 0;
  }
  soci::statement st =
      (s.sql().prepare << "UPDATE integration_settings SET settings_json = :j, version = version"
                          " + 1, updated_at_ms = :u WHERE tenant_id = :t AND version = :v",
       soci::use(json), soci::use(now), soci::use(tenant_id), soci::use(expected));
  st.execute(true);
  return st.get_affected_rows() > 0 ? expected + 1 : 0;
}

// ---- employee map ----

namespace {

void ForgetEmployeeLinks(Session& s) {
  s.cache().employees_by_extension.Clear();
  s.cache().employees_by_user.Clear();
}

// `find` through `kept`, by tenant "\n" key.
template <typename Find>
std::optional<EmployeeLink> FindKept(KeptRows<std::optional<EmployeeLink>>& kept,
                                     const std::string& tenant_id, const std::string& key,
                                     Find find) {
  const std::string cache_key = tenant_id + "\n" + key;
  const std::uint64_t generation = kept.generation();
  if (std::optional<std::optional<EmployeeLink>> row = kept.Get(cache_key)) {
    return *row;
  }
  std::optional<EmployeeLink> row = find();
  kept.Put(cache_key, row, generation);
  return row;
}

}  // namespace

void EmployeeMapRepository::Link(Session& s, const EmployeeLink& l) {
  ForgetEmployeeLinks(s);
  // An administrator's choice outranks what the systems suggest. Decided in the statement, on
  // the row as it is when written: a read first, then a write, let a directory sync that read
  // before an administrator's manual link was committed overwrite it (MariaDB, READ COMMITTED).
  const std::string keep_manual = "source = 'manual' AND VALUES(source) <> 'manual'";
  const std::string on_conflict =
      s.dialect() == Dialect::kSqlite
          ? " ON CONFLICT(tenant_id, extension) DO UPDATE SET crm_user_id = excluded.crm_user_id,"
            " source = excluded.source, updated_at_ms = excluded.updated_at_ms"
            " WHERE employee_map.source <> 'manual' OR excluded.source = 'manual'"
          // MySQL assigns left to right, each seeing the ones before: `source` goes last.
          : " ON DUPLICATE KEY UPDATE crm_user_id = IF(" + keep_manual +
                ", crm_user_id, VALUES(crm_user_id)), updated_at_ms = IF(" + keep_manual +
                ", updated_at_ms, VALUES(updated_at_ms)), source = IF(" + keep_manual +
                ", source, VALUES(source))";
  s.sql() << "INSERT INTO employee_map (tenant_id, extension, crm_user_id, source, updated_at_ms)"
             " VALUES (:t, :e, :c, :s, :u)" +
                 on_conflict,
      soci::use(l.tenant_id), soci::use(l.extension), soci::use(l.crm_user_id), soci::use(l.source),
      soci::use(l.updated_at_ms);
}

std::optional<EmployeeLink> EmployeeMapRepository::Find(Session& s, const std::string& tenant_id,
                                                        const std::string& extension) {
  EmployeeLink l;
  s.sql() << "SELECT tenant_id, extension, crm_user_id, source, updated_at_ms FROM employee_map"
             " WHERE tenant_id = :t AND extension = :e",
      soci::into(l.tenant_id), soci::into(l.extension), soci::into(l.crm_user_id),
      soci::into(l.source), soci::into(l.updated_at_ms), soci::use(tenant_id), soci::use(extension);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return l;
}

std::optional<EmployeeLink> EmployeeMapRepository::FindByUser(Session& s,
                                                              const std::string& tenant_id,
                                                              const std::string& crm_user_id) {
  EmployeeLink l;
  s.sql() << "SELECT tenant_id, extension, crm_user_id, source, updated_at_ms FROM employee_map"
             " WHERE tenant_id = :t AND crm_user_id = :u ORDER BY extension LIMIT 1",
      soci::into(l.tenant_id), soci::into(l.extension), soci::into(l.crm_user_id),
      soci::into(l.source), soci::into(l.updated_at_ms), soci::use(tenant_id),
      soci::use(crm_user_id);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return l;
}

std::optional<EmployeeLink> EmployeeMapRepository::FindRecent(Session& s,
                                                              const std::string& tenant_id,
                                                              const std::string& extension) {
  return FindKept(s.cache().employees_by_extension, tenant_id, extension,
                  [&] { return Find(s, tenant_id, extension); });
}

std::optional<EmployeeLink> EmployeeMapRepository::FindByUserRecent(
    Session& s, const std::string& tenant_id, const std::string& crm_user_id) {
  return FindKept(s.cache().employees_by_user, tenant_id, crm_user_id,
                  [&] { return FindByUser(s, tenant_id, crm_user_id); });
}

bool EmployeeMapRepository::Remove(Session& s, const std::string& tenant_id,
                                   const std::string& extension, const std::string& source) {
  ForgetEmployeeLinks(s);
  soci::statement st =
      (s.sql().prepare << "DELETE FROM employee_map WHERE tenant_id = :t AND extension = :e AND"
                          " source = :s",
       soci::use(tenant_id), soci::use(extension), soci::use(source));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::vector<EmployeeLink> EmployeeMapRepository::List(Session& s, const std::string& tenant_id) {
  EmployeeLink l;
  soci::statement st =
      (s.sql().prepare << "SELECT tenant_id, extension, crm_user_id, source, updated_at_ms FROM"
                          " employee_map WHERE tenant_id = :t ORDER BY extension",
       soci::into(l.tenant_id), soci::into(l.extension), soci::into(l.crm_user_id),
       soci::into(l.source), soci::into(l.updated_at_ms), soci::use(tenant_id));
  std::vector<EmployeeLink> out;
  if (st.execute(true)) {
    do {
      out.push_back(l);
    } while (st.fetch());
  }
  return out;
}

// ---- Mango user directory ----

void MangoDirectoryRepository::Replace(Session& s, const std::string& tenant_id,
                                       const std::vector<MangoDirectoryEntry>& entries,
                                       EpochMs now) {
  s.sql() << "DELETE FROM mango_directory WHERE tenant_id = :t", soci::use(tenant_id);
  for (const MangoDirectoryEntry& e : entries) {
    soci::statement st =
        (s.sql().prepare << "INSERT INTO mango_directory (tenant_id, extension, name, email,"
                            " synced_at_ms) VALUES (:t, :e, :n, :m, :at)" +
                                InsertIgnoreClause(s.dialect(), "tenant_id, extension"),
         soci::use(tenant_id), soci::use(e.extension), soci::use(e.name), soci::use(e.email),
         soci::use(now));
    ExecuteInsertUnlessDuplicate(st);  // the PBX listing an extension twice keeps the first
  }
}

std::vector<MangoDirectoryEntry> MangoDirectoryRepository::List(Session& s,
                                                                const std::string& tenant_id) {
  MangoDirectoryEntry e;
  soci::statement st =
      (s.sql().prepare << "SELECT tenant_id, extension, name, email, synced_at_ms FROM"
                          " mango_directory WHERE tenant_id = :t ORDER BY extension",
       soci::into(e.tenant_id), soci::into(e.extension), soci::into(e.name), soci::into(e.email),
       soci::into(e.synced_at_ms), soci::use(tenant_id));
  std::vector<MangoDirectoryEntry> out;
  if (st.execute(true)) {
    do {
      out.push_back(e);
    } while (st.fetch());
  }
  return out;
}

}  // namespace opdesk::storage
