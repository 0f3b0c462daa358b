#include "connector/storage/repositories.h"

#include <mysql.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <algorithm>

#include "connector/storage/read_cache.h"

namespace opdesk::storage {
namespace {

soci::indicator IndicatorOf(const std::optional<std::string>& v) {
  return v ? soci::i_ok : soci::i_null;
}

}  // namespace

long long LastInsertId(Session& s, const std::string& table) {
  long long id = 0;
  if (s.dialect() == Dialect::kMysql) {
    // The client library keeps the id of the last insert on the connection: no round trip
    // (SOCI's own get_last_insert_id asks the server with SELECT LAST_INSERT_ID()).
    auto* backend = static_cast<soci::mysql_session_backend*>(s.sql().get_backend());
    id = static_cast<long long>(mysql_insert_id(backend->conn_));
  } else {
    s.sql().get_last_insert_id(table, id);
  }
  return id;
}

// ---- tenants ----

void TenantRepository::Upsert(Session& s, const Tenant& t) {
  std::string kind = ToString(t.kind);
  std::string sql =
      "INSERT INTO tenants (id, kind, domain, status, plan, paid_until_ms, plan_lapsed_at_ms,"
      " time_zone, version, created_at_ms, updated_at_ms) VALUES (:id, :kind, :domain, :status,"
      " :plan, :paid, :lapsed, :tz, 1, :created, :updated)" +
      UpsertClause(s.dialect(), "id",
                   {"kind", "domain", "status", "plan", "paid_until_ms", "plan_lapsed_at_ms",
                    "time_zone", "updated_at_ms"});
  // Both dialects accept a plain expression for the version bump.
  sql += ", version = tenants.version + 1";
  s.sql() << sql, soci::use(t.id), soci::use(kind), soci::use(t.domain), soci::use(t.status),
      soci::use(t.plan), soci::use(t.paid_until_ms), soci::use(t.plan_lapsed_at_ms),
      soci::use(t.time_zone), soci::use(t.created_at_ms), soci::use(t.updated_at_ms);
}

namespace {

// Reads one tenant by id, or every tenant when `id` is empty; `lock` holds the row (MySQL).
std::vector<Tenant> QueryTenants(Session& s, const std::string& id, bool lock = false) {
  Tenant t;
  std::string kind;
  int all = id.empty() ? 1 : 0;
  const std::string sql =
      "SELECT id, kind, domain, status, plan, paid_until_ms, plan_lapsed_at_ms, time_zone,"
      " version, created_at_ms, updated_at_ms FROM tenants"
      " WHERE id = :id OR :all = 1 ORDER BY id" +
      std::string(lock && s.dialect() == Dialect::kMysql ? " FOR UPDATE" : "");
  soci::statement st =
      (s.sql().prepare << sql, soci::into(t.id), soci::into(kind), soci::into(t.domain),
       soci::into(t.status), soci::into(t.plan), soci::into(t.paid_until_ms),
       soci::into(t.plan_lapsed_at_ms), soci::into(t.time_zone), soci::into(t.version),
       soci::into(t.created_at_ms), soci::into(t.updated_at_ms), soci::use(id), soci::use(all));
  std::vector<Tenant> out;
  if (st.execute(true)) {
    do {
      t.kind = TenantKindFromString(kind);
      out.push_back(t);
    } while (st.fetch());
  }
  return out;
}

}  // namespace

std::optional<Tenant> TenantRepository::Find(Session& s, const std::string& id) {
  if (id.empty()) {
    return std::nullopt;
  }
  auto rows = QueryTenants(s, id);
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front();
}

std::optional<Tenant> TenantRepository::Lock(Session& s, const std::string& id) {
  if (id.empty()) {
    return std::nullopt;
  }
  auto rows = QueryTenants(s, id, /*lock=*/true);
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front();
}

void TenantRepository::SetPlan(Session& s, const std::string& id, const std::string& plan,
                               EpochMs paid_until_ms, EpochMs lapsed_at_ms, EpochMs now) {
  s.sql() << "UPDATE tenants SET plan = :p, paid_until_ms = :u, plan_lapsed_at_ms = :l,"
             " updated_at_ms = :n, version = version + 1 WHERE id = :id",
      soci::use(plan), soci::use(paid_until_ms), soci::use(lapsed_at_ms), soci::use(now),
      soci::use(id);
}

std::vector<Tenant> TenantRepository::List(Session& s) {
  return QueryTenants(s, "");
}

bool TenantRepository::Delete(Session& s, const std::string& id) {
  soci::statement st = (s.sql().prepare << "DELETE FROM tenants WHERE id = :id", soci::use(id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

// ---- users ----

namespace {

constexpr const char* kUserColumns =
    "tenant_id, user_id, name, email, status, created_at_ms, updated_at_ms, role_id,"
    " seat_blocked, seat_seq";

std::vector<User> QueryUsers(Session& s, const std::string& where, const std::string& tenant_id,
                             const std::string& user_id, const std::string& order) {
  User u;
  int blocked = 0;
  soci::statement st =
      (s.sql().prepare << std::string("SELECT ") + kUserColumns +
                              " FROM users WHERE tenant_id = :t"
                              " AND (:u = '' OR user_id = :u2) " +
                              where + " ORDER BY " + order,
       soci::into(u.tenant_id), soci::into(u.user_id), soci::into(u.name), soci::into(u.email),
       soci::into(u.status), soci::into(u.created_at_ms), soci::into(u.updated_at_ms),
       soci::into(u.role_id), soci::into(blocked), soci::into(u.seat_seq), soci::use(tenant_id),
       soci::use(user_id), soci::use(user_id));
  std::vector<User> out;
  if (st.execute(true)) {
    do {
      u.seat_blocked = blocked != 0;
      out.push_back(u);
    } while (st.fetch());
  }
  return out;
}

}  // namespace

void UserRepository::Upsert(Session& s, const User& u) {
  const int blocked = u.seat_blocked ? 1 : 0;
  s.sql() << std::string("INSERT INTO users (") + kUserColumns +
                 ") VALUES (:t, :u, :n, :e, :s, :c, :m, :r, :b, :q)" +
                 UpsertClause(s.dialect(), "tenant_id, user_id",
                              {"name", "email", "status", "updated_at_ms"}),
      soci::use(u.tenant_id), soci::use(u.user_id), soci::use(u.name), soci::use(u.email),
      soci::use(u.status), soci::use(u.created_at_ms), soci::use(u.updated_at_ms),
      soci::use(u.role_id), soci::use(blocked), soci::use(u.seat_seq);
}

std::optional<User> UserRepository::Find(Session& s, const std::string& tenant_id,
                                         const std::string& user_id) {
  if (user_id.empty()) {
    return std::nullopt;
  }
  auto rows = QueryUsers(s, "", tenant_id, user_id, "user_id");
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front();
}

std::vector<User> UserRepository::ListByTenant(Session& s, const std::string& tenant_id) {
  return QueryUsers(s, "", tenant_id, "", "user_id");
}

std::vector<User> UserRepository::ListSeated(Session& s, const std::string& tenant_id) {
  return QueryUsers(s, "AND role_id <> 0", tenant_id, "", "seat_seq, user_id");
}

void UserRepository::SetSeat(Session& s, const std::string& tenant_id, const std::string& user_id,
                             long long role_id, bool blocked, long long seat_seq, EpochMs now) {
  const int b = blocked ? 1 : 0;
  s.sql() << "UPDATE users SET role_id = :r, seat_blocked = :b, seat_seq = :q, updated_at_ms = :n"
             " WHERE tenant_id = :t AND user_id = :u",
      soci::use(role_id), soci::use(b), soci::use(seat_seq), soci::use(now), soci::use(tenant_id),
      soci::use(user_id);
}

long long UserRepository::CountActiveSeats(Session& s, const std::string& tenant_id) {
  long long n = 0;
  s.sql() << "SELECT COUNT(*) FROM users WHERE tenant_id = :t AND role_id <> 0"
             " AND seat_blocked = 0",
      soci::into(n), soci::use(tenant_id);
  return n;
}

long long UserRepository::CountByRole(Session& s, const std::string& tenant_id, long long role_id) {
  long long n = 0;
  s.sql() << "SELECT COUNT(*) FROM users WHERE tenant_id = :t AND role_id = :r", soci::into(n),
      soci::use(tenant_id), soci::use(role_id);
  return n;
}

long long UserRepository::NextSeatSeq(Session& s, const std::string& tenant_id) {
  long long max = 0;
  soci::indicator ind = soci::i_null;
  s.sql() << "SELECT MAX(seat_seq) FROM users WHERE tenant_id = :t", soci::into(max, ind),
      soci::use(tenant_id);
  return (ind == soci::i_ok ? max : 0) + 1;
}

int UserRepository::DeleteByTenant(Session& s, const std::string& tenant_id) {
  soci::statement st =
      (s.sql().prepare << "DELETE FROM users WHERE tenant_id = :t", soci::use(tenant_id));
  st.execute(true);
  return static_cast<int>(st.get_affected_rows());
}

// ---- events ----

std::optional<long long> EventRepository::InsertIfNew(Session& s, const StoredEvent& e) {
  soci::statement st =
      (s.sql().prepare << "INSERT INTO events (tenant_id, source, kind, dedupe_key, payload,"
                          " received_at_ms) VALUES (:t, :s, :k, :d, :p, :r)" +
                              InsertIgnoreClause(s.dialect(), "tenant_id, source, dedupe_key"),
       soci::use(e.tenant_id), soci::use(e.source), soci::use(e.kind), soci::use(e.dedupe_key),
       soci::use(e.payload), soci::use(e.received_at_ms));
  if (!ExecuteInsertUnlessDuplicate(st)) {
    return std::nullopt;
  }
  return LastInsertId(s, "events");
}

long long EventRepository::CountByTenant(Session& s, const std::string& tenant_id) {
  long long n = 0;
  s.sql() << "SELECT COUNT(*) FROM events WHERE tenant_id = :t", soci::into(n),
      soci::use(tenant_id);
  return n;
}

int EventRepository::DeleteByTenant(Session& s, const std::string& tenant_id) {
  soci::statement st =
      (s.sql().prepare << "DELETE FROM events WHERE tenant_id = :t", soci::use(tenant_id));
  st.execute(true);
  return static_cast<int>(st.get_affected_rows());
}

long long EventRepository::PurgeReceivedBefore(Session& s, EpochMs before, int limit) {
  // The index on received_at_ms keeps the search short however large the table is.
  return DeleteSelected(s, "events",
                        "SELECT id FROM events WHERE received_at_ms < :b AND pending = 0 ORDER BY"
                        " received_at_ms"
                        " LIMIT " +
                            std::to_string(limit),
                        before);
}

// ---- audit log ----

long long AuditLogRepository::Append(Session& s, const AuditEntry& a) {
  std::string before = a.before_json.value_or("");
  std::string after = a.after_json.value_or("");
  soci::indicator before_ind = IndicatorOf(a.before_json);
  soci::indicator after_ind = IndicatorOf(a.after_json);
  s.sql() << "INSERT INTO audit_log (tenant_id, actor, action, object_type, object_id,"
             " before_json, after_json, at_ms) VALUES (:t, :a, :ac, :ot, :oi, :b, :af, :at)",
      soci::use(a.tenant_id), soci::use(a.actor), soci::use(a.action), soci::use(a.object_type),
      soci::use(a.object_id), soci::use(before, before_ind), soci::use(after, after_ind),
      soci::use(a.at_ms);
  return LastInsertId(s, "audit_log");
}

std::vector<AuditEntry> AuditLogRepository::List(Session& s, const std::string& tenant_id,
                                                 int limit, long long before_id,
                                                 const AuditFilter& filter) {
  AuditEntry a;
  std::string before;
  std::string after;
  soci::indicator before_ind = soci::i_null;
  soci::indicator after_ind = soci::i_null;
  long long cursor = before_id > 0 ? before_id : (1LL << 62);
  soci::statement st =
      (s.sql().prepare << "SELECT id, tenant_id, actor, action, object_type, object_id,"
                          " before_json, after_json, at_ms FROM audit_log"
                          " WHERE tenant_id = :t AND id < :c"
                          " AND (:a1 = '' OR actor = :a2)"
                          " AND (:ot1 = '' OR object_type = :ot2)"
                          " AND (:oi1 = '' OR object_id = :oi2)"
                          " ORDER BY id DESC LIMIT :l",
       soci::into(a.id), soci::into(a.tenant_id), soci::into(a.actor), soci::into(a.action),
       soci::into(a.object_type), soci::into(a.object_id), soci::into(before, before_ind),
       soci::into(after, after_ind), soci::into(a.at_ms), soci::use(tenant_id), soci::use(cursor),
       soci::use(filter.actor), soci::use(filter.actor), soci::use(filter.object_type),
       soci::use(filter.object_type), soci::use(filter.object_id), soci::use(filter.object_id),
       soci::use(limit));
  std::vector<AuditEntry> out;
  if (st.execute(true)) {
    do {
      AuditEntry copy = a;
      copy.before_json =
          before_ind == soci::i_ok ? std::optional<std::string>(before) : std::nullopt;
      copy.after_json = after_ind == soci::i_ok ? std::optional<std::string>(after) : std::nullopt;
      out.push_back(std::move(copy));
    } while (st.fetch());
  }
  return out;
}

std::vector<std::string> TenantTables(Session& s) {
  std::vector<std::string> tables;
  if (s.dialect() == Dialect::kMysql) {
    soci::rowset<std::string> rows =
        (s.sql().prepare << "SELECT table_name FROM information_schema.columns"
                            " WHERE table_schema = DATABASE() AND column_name = 'tenant_id'"
                            " ORDER BY table_name");
    tables.assign(rows.begin(), rows.end());
    return tables;
  }
  std::vector<std::string> all;
  {
    soci::rowset<std::string> rows =
        (s.sql().prepare << "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    all.assign(rows.begin(), rows.end());
  }
  for (const std::string& table : all) {
    int found = 0;
    s.sql() << "SELECT COUNT(*) FROM pragma_table_info(:t) WHERE name = 'tenant_id'",
        soci::into(found), soci::use(table);
    if (found > 0) {
      tables.push_back(table);
    }
  }
  return tables;
}

long long DeleteTenantData(Session& s, const std::string& tenant_id) {
  s.cache().ClearAll();
  long long rows = 0;
  for (const std::string& table : TenantTables(s)) {
    // The name comes from the schema, not from input.
    soci::statement del =
        (s.sql().prepare << "DELETE FROM " + table + " WHERE tenant_id = :t", soci::use(tenant_id));
    del.execute(true);
    rows += static_cast<long long>(del.get_affected_rows());
  }
  TenantRepository::Delete(s, tenant_id);
  return rows;
}

}  // namespace opdesk::storage
