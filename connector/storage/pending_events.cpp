#include "connector/storage/pending_events.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <algorithm>

#include "connector/storage/repositories.h"
#include "connector/storage/server_prepared.h"

namespace opdesk::storage {

namespace {

// One event's INSERT; a repeat (same tenant, source and dedupe key) inserts nothing.
std::string InsertEventSql(Dialect d) {
  return "INSERT INTO events (tenant_id, source, kind, dedupe_key, payload, received_at_ms,"
         " pending) VALUES (:t, :s, :k, :d, :p, :r, :n)" +
         InsertIgnoreClause(d, "tenant_id, source, dedupe_key");
}

// SQLite: one row's INSERT, kept prepared on the connection and run once a row. In this process a
// prepared single-row insert costs less than parsing a statement of many rows each time.
struct KeptEventInsert : KeptStatement {
  explicit KeptEventInsert(soci::session& sql)
      : st((sql.prepare << InsertEventSql(Dialect::kSqlite), soci::use(row.tenant_id),
            soci::use(row.source), soci::use(row.kind), soci::use(row.dedupe_key),
            soci::use(row.payload), soci::use(row.received_at_ms), soci::use(pending))) {}
  StoredEvent row;
  int pending = 0;
  soci::statement st;
};

// MySQL: a many-row INSERT prepared on the server, one statement per row count up to
// kRowsPerPrepared (larger batches are split), so a connection keeps at most that many.
constexpr std::size_t kRowsPerPrepared = 16;

bool InsertAllPrepared(Session& s, const std::vector<const StoredEvent*>& events,
                       const std::vector<bool>& pending_flags) {
  for (std::size_t begin = 0; begin < events.size(); begin += kRowsPerPrepared) {
    const std::size_t rows = std::min(events.size() - begin, kRowsPerPrepared);
    ServerPrepared& insert = *s.KeptOnServer(
        "INSERT INTO events (tenant_id, source, kind, dedupe_key, payload, received_at_ms,"
        " pending) VALUES " +
        ManyRows("(?, ?, ?, ?, ?, ?, ?)", rows));
    for (std::size_t r = 0; r < rows; ++r) {
      const StoredEvent& e = *events[begin + r];
      const std::size_t p = r * 7;
      insert.Bind(p, e.tenant_id);
      insert.Bind(p + 1, e.source);
      insert.Bind(p + 2, e.kind);
      insert.Bind(p + 3, e.dedupe_key);
      insert.Bind(p + 4, e.payload);
      insert.Bind(p + 5, static_cast<long long>(e.received_at_ms));
      insert.Bind(p + 6, pending_flags[begin + r] ? 1LL : 0LL);
    }
    try {
      insert.Execute();
    } catch (const soci::mysql_soci_error& e) {
      if (e.err_num_ == 1062) {
        return false;  // MySQL refused the whole statement
      }
      throw;
    }
  }
  return true;
}

}  // namespace

std::optional<long long> PendingEventRepository::InsertIfNew(Session& s, const StoredEvent& e,
                                                             bool pending) {
  int flag = pending ? 1 : 0;
  soci::statement st = (s.sql().prepare << InsertEventSql(s.dialect()), soci::use(e.tenant_id),
                        soci::use(e.source), soci::use(e.kind), soci::use(e.dedupe_key),
                        soci::use(e.payload), soci::use(e.received_at_ms), soci::use(flag));
  if (!ExecuteInsertUnlessDuplicate(st)) {
    return std::nullopt;
  }
  return LastInsertId(s, "events");
}

bool PendingEventRepository::InsertAll(Session& s, const std::vector<const StoredEvent*>& events,
                                       const std::vector<bool>& pending_flags) {
  if (auto* kept = static_cast<KeptEventInsert*>(s.Kept("events.insert", [](soci::session& sql) {
        return std::make_unique<KeptEventInsert>(sql);
      }))) {
    for (std::size_t i = 0; i < events.size(); ++i) {
      kept->row = *events[i];
      kept->pending = pending_flags[i] ? 1 : 0;
      kept->st.execute(true);
      if (kept->st.get_affected_rows() != 1) {
        return false;  // a repeat
      }
    }
    return true;
  }
  if (s.dialect() == Dialect::kMysql) {
    return InsertAllPrepared(s, events, pending_flags);
  }
  // 7 parameters a row: 128 rows stay under SQLite's 999.
  constexpr std::size_t kRowsPerInsert = 128;
  for (std::size_t begin = 0; begin < events.size(); begin += kRowsPerInsert) {
    const std::size_t end = std::min(events.size(), begin + kRowsPerInsert);
    std::string sql =
        "INSERT INTO events (tenant_id, source, kind, dedupe_key, payload, received_at_ms,"
        " pending) VALUES ";
    std::vector<int> pending;
    pending.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      const std::string n = std::to_string(i - begin);
      sql += (i == begin ? "(:t" : ", (:t") + n + ", :s" + n + ", :k" + n + ", :d" + n + ", :p" +
             n + ", :r" + n + ", :n" + n + ")";
      pending.push_back(pending_flags[i] ? 1 : 0);
    }
    sql += InsertIgnoreClause(s.dialect(), "tenant_id, source, dedupe_key");
    soci::details::prepare_temp_type prep = (s.sql().prepare << sql);
    for (std::size_t i = begin; i < end; ++i) {
      const StoredEvent& e = *events[i];
      prep, soci::use(e.tenant_id), soci::use(e.source), soci::use(e.kind), soci::use(e.dedupe_key),
          soci::use(e.payload), soci::use(e.received_at_ms), soci::use(pending[i - begin]);
    }
    soci::statement st(prep);
    try {
      st.execute(true);
    } catch (const soci::mysql_soci_error& e) {
      if (e.err_num_ == 1062) {
        return false;  // MySQL refused the whole statement
      }
      throw;
    }
    if (st.get_affected_rows() != static_cast<long long>(end - begin)) {
      return false;  // SQLite skipped the repeats
    }
  }
  return true;
}

void PendingEventRepository::LockApplier(Session& s, EpochMs now) {
  // An UPDATE rather than SELECT … FOR UPDATE: it also takes SQLite's write lock at once.
  s.sql() << "UPDATE event_applier SET updated_at_ms = :n WHERE id = 1", soci::use(now);
}

std::vector<StoredEvent> PendingEventRepository::ListPending(Session& s, int limit) {
  StoredEvent e;
  soci::statement st =
      (s.sql().prepare << "SELECT id, tenant_id, source, kind, dedupe_key, payload,"
                          " received_at_ms FROM events WHERE pending = 1 ORDER BY id LIMIT " +
                              std::to_string(limit),
       soci::into(e.id), soci::into(e.tenant_id), soci::into(e.source), soci::into(e.kind),
       soci::into(e.dedupe_key), soci::into(e.payload), soci::into(e.received_at_ms));
  std::vector<StoredEvent> out;
  if (st.execute(true)) {
    do {
      out.push_back(e);
    } while (st.fetch());
  }
  return out;
}

void PendingEventRepository::MarkApplied(Session& s, const std::vector<long long>& ids) {
  if (ids.empty()) {
    return;
  }
  std::string list;
  for (long long id : ids) {
    list += (list.empty() ? "" : ",") + std::to_string(id);
  }
  s.sql() << "UPDATE events SET pending = 0 WHERE id IN (" + list + ")";
}

long long PendingEventRepository::CountPending(Session& s) {
  long long n = 0;
  s.sql() << "SELECT COUNT(*) FROM events WHERE pending = 1", soci::into(n);
  return n;
}

}  // namespace opdesk::storage
