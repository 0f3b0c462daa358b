// Scripts (draft and header), their published versions, and the runs the call card records.
#include <soci/soci.h>

#include "connector/storage/repositories.h"
#include "connector/storage/settings_repositories.h"

namespace opdesk::storage {
namespace {

std::vector<ScriptRow> QueryScripts(Session& s, const std::string& tenant_id, long long id) {
  ScriptRow r;
  soci::statement st =
      (s.sql().prepare << "SELECT id, tenant_id, name, description, draft_json,"
                          " published_version, version, created_at_ms, updated_at_ms"
                          " FROM scripts WHERE tenant_id = :t AND (:i = 0 OR id = :i2)"
                          " ORDER BY id",
       soci::into(r.id), soci::into(r.tenant_id), soci::into(r.name), soci::into(r.description),
       soci::into(r.draft_json), soci::into(r.published_version), soci::into(r.version),
       soci::into(r.created_at_ms), soci::into(r.updated_at_ms), soci::use(tenant_id),
       soci::use(id), soci::use(id));
  std::vector<ScriptRow> out;
  if (st.execute(true)) {
    do {
      out.push_back(r);
    } while (st.fetch());
  }
  return out;
}

std::vector<ScriptRunRow> QueryRuns(Session& s, const std::string& tenant_id, long long id,
                                    const std::string& call_id) {
  ScriptRunRow r;
  soci::statement st =
      (s.sql().prepare << "SELECT id, tenant_id, call_id, user_id, script_id, version,"
                          " current_step, path_json, started_at_ms, updated_at_ms"
                          " FROM script_runs WHERE tenant_id = :t AND (:i = 0 OR id = :i2)"
                          " AND (:c = '' OR call_id = :c2) ORDER BY id",
       soci::into(r.id), soci::into(r.tenant_id), soci::into(r.call_id), soci::into(r.user_id),
       soci::into(r.script_id), soci::into(r.version), soci::into(r.current_step),
       soci::into(r.path_json), soci::into(r.started_at_ms), soci::into(r.updated_at_ms),
       soci::use(tenant_id), soci::use(id), soci::use(id), soci::use(call_id), soci::use(call_id));
  std::vector<ScriptRunRow> out;
  if (st.execute(true)) {
    do {
      out.push_back(r);
    } while (st.fetch());
  }
  return out;
}

}  // namespace

long long ScriptRepository::Insert(Session& s, const ScriptRow& r) {
  s.sql() << "INSERT INTO scripts (tenant_id, name, description, draft_json, published_version,"
             " version, created_at_ms, updated_at_ms) VALUES (:t, :n, :d, :j, 0, 1, :c, :u)",
      soci::use(r.tenant_id), soci::use(r.name), soci::use(r.description), soci::use(r.draft_json),
      soci::use(r.created_at_ms), soci::use(r.updated_at_ms);
  return LastInsertId(s, "scripts");
}

bool ScriptRepository::UpdateDraft(Session& s, const ScriptRow& r, long long expected_version) {
  soci::statement st =
      (s.sql().prepare << "UPDATE scripts SET name = :n, description = :d, draft_json = :j,"
                          " version = version + 1, updated_at_ms = :u"
                          " WHERE tenant_id = :t AND id = :id AND version = :v",
       soci::use(r.name), soci::use(r.description), soci::use(r.draft_json),
       soci::use(r.updated_at_ms), soci::use(r.tenant_id), soci::use(r.id),
       soci::use(expected_version));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool ScriptRepository::MarkPublished(Session& s, const std::string& tenant_id, long long id,
                                     long long expected_version, long long previous,
                                     long long published_version, EpochMs now) {
  // The UPDATE takes the row lock before the draft is read, so a concurrent edit either
  // committed before (the version no longer matches) or waits until this publish commits.
  soci::statement st =
      (s.sql().prepare << "UPDATE scripts SET published_version = :p, updated_at_ms = :u"
                          " WHERE tenant_id = :t AND id = :id AND version = :v"
                          " AND published_version = :prev",
       soci::use(published_version), soci::use(now), soci::use(tenant_id), soci::use(id),
       soci::use(expected_version), soci::use(previous));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::optional<ScriptRow> ScriptRepository::Find(Session& s, const std::string& tenant_id,
                                                long long id) {
  if (id <= 0) {
    return std::nullopt;
  }
  std::vector<ScriptRow> rows = QueryScripts(s, tenant_id, id);
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front();
}

std::vector<ScriptRow> ScriptRepository::List(Session& s, const std::string& tenant_id) {
  return QueryScripts(s, tenant_id, 0);
}

std::set<std::string> ScriptRepository::Names(Session& s, const std::string& tenant_id) {
  std::string name;
  std::set<std::string> names;
  soci::statement st = (s.sql().prepare << "SELECT name FROM scripts WHERE tenant_id = :t",
                        soci::into(name), soci::use(tenant_id));
  if (st.execute(true)) {
    do {
      names.insert(name);
    } while (st.fetch());
  }
  return names;
}

long long ScriptRepository::Count(Session& s, const std::string& tenant_id) {
  long long n = 0;
  s.sql() << "SELECT COUNT(*) FROM scripts WHERE tenant_id = :t", soci::into(n),
      soci::use(tenant_id);
  return n;
}

bool ScriptRepository::Delete(Session& s, const std::string& tenant_id, long long id,
                              long long expected_version) {
  soci::statement st =
      (s.sql().prepare << "DELETE FROM scripts WHERE tenant_id = :t AND id = :id AND version = :v",
       soci::use(tenant_id), soci::use(id), soci::use(expected_version));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

void ScriptRepository::InsertVersion(Session& s, const ScriptVersionRow& v) {
  s.sql() << "INSERT INTO script_versions (tenant_id, script_id, version, name, description,"
             " graph_json, published_at_ms, published_by) VALUES (:t, :s, :v, :n, :d, :g, :p,"
             " :b)",
      soci::use(v.tenant_id), soci::use(v.script_id), soci::use(v.version), soci::use(v.name),
      soci::use(v.description), soci::use(v.graph_json), soci::use(v.published_at_ms),
      soci::use(v.published_by);
}

std::optional<ScriptVersionRow> ScriptRepository::FindVersion(Session& s,
                                                              const std::string& tenant_id,
                                                              long long script_id,
                                                              long long version) {
  ScriptVersionRow v;
  s.sql() << "SELECT tenant_id, script_id, version, name, description, graph_json,"
             " published_at_ms, published_by FROM script_versions WHERE tenant_id = :t"
             " AND script_id = :s AND version = :v",
      soci::into(v.tenant_id), soci::into(v.script_id), soci::into(v.version), soci::into(v.name),
      soci::into(v.description), soci::into(v.graph_json), soci::into(v.published_at_ms),
      soci::into(v.published_by), soci::use(tenant_id), soci::use(script_id), soci::use(version);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return v;
}

std::vector<ScriptVersionRow> ScriptRepository::ListVersions(Session& s,
                                                             const std::string& tenant_id,
                                                             long long script_id) {
  ScriptVersionRow v;
  soci::statement st =
      (s.sql().prepare << "SELECT tenant_id, script_id, version, name, published_at_ms,"
                          " published_by FROM script_versions WHERE tenant_id = :t"
                          " AND script_id = :s ORDER BY version DESC",
       soci::into(v.tenant_id), soci::into(v.script_id), soci::into(v.version), soci::into(v.name),
       soci::into(v.published_at_ms), soci::into(v.published_by), soci::use(tenant_id),
       soci::use(script_id));
  std::vector<ScriptVersionRow> out;
  if (st.execute(true)) {
    do {
      out.push_back(v);
    } while (st.fetch());
  }
  return out;
}

// ---- runs ----

long long ScriptRunRepository::Insert(Session& s, const ScriptRunRow& r) {
  s.sql() << "INSERT INTO script_runs (tenant_id, call_id, user_id, script_id, version,"
             " current_step, path_json, started_at_ms, updated_at_ms) VALUES (:t, :c, :u, :s, :v,"
             " :cs, :p, :st, :up)",
      soci::use(r.tenant_id), soci::use(r.call_id), soci::use(r.user_id), soci::use(r.script_id),
      soci::use(r.version), soci::use(r.current_step), soci::use(r.path_json),
      soci::use(r.started_at_ms), soci::use(r.updated_at_ms);
  return LastInsertId(s, "script_runs");
}

bool ScriptRunRepository::SavePath(Session& s, const std::string& tenant_id, long long run_id,
                                   const std::string& user_id, const std::string& current_step,
                                   const std::string& path_json, EpochMs now) {
  soci::statement st =
      (s.sql().prepare << "UPDATE script_runs SET current_step = :c, path_json = :p,"
                          " updated_at_ms = :u WHERE tenant_id = :t AND id = :id"
                          " AND user_id = :usr",
       soci::use(current_step), soci::use(path_json), soci::use(now), soci::use(tenant_id),
       soci::use(run_id), soci::use(user_id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::optional<ScriptRunRow> ScriptRunRepository::Find(Session& s, const std::string& tenant_id,
                                                      long long id) {
  if (id <= 0) {
    return std::nullopt;
  }
  std::vector<ScriptRunRow> rows = QueryRuns(s, tenant_id, id, "");
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front();
}

std::vector<ScriptRunRow> ScriptRunRepository::ListByCall(Session& s, const std::string& tenant_id,
                                                          const std::string& call_id) {
  if (call_id.empty()) {
    return {};
  }
  return QueryRuns(s, tenant_id, 0, call_id);
}

}  // namespace opdesk::storage
