#include "connector/jobs/job_store.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "connector/domain/error.h"
#include "connector/jobs/job_kind.h"
#include "connector/storage/repositories.h"
#include "connector/storage/server_prepared.h"

namespace opdesk::jobs {
namespace {

using storage::Dialect;
using storage::Session;

constexpr const char* kJobColumns =
    "id, tenant_id, kind, payload, ordering_key, priority, state, attempts, max_attempts,"
    " run_at_ms, deadline_ms, lease_owner, lease_until_ms, last_error_code, last_error,"
    " created_at_ms, finished_at_ms";

// Runs a SELECT of kJobColumns; numbers are inlined by the callers (they come from our own
// code), strings are bound in order.
std::vector<Job> QueryJobs(Session& s, const std::string& sql,
                           const std::vector<std::string>& string_params = {}) {
  Job j;
  int priority = 0;
  std::string last_error;
  soci::indicator last_error_ind = soci::i_null;
  soci::statement st(s.sql());
  st.exchange(soci::into(j.id));
  st.exchange(soci::into(j.tenant_id));
  st.exchange(soci::into(j.kind));
  st.exchange(soci::into(j.payload));
  st.exchange(soci::into(j.ordering_key));
  st.exchange(soci::into(priority));
  st.exchange(soci::into(j.state));
  st.exchange(soci::into(j.attempts));
  st.exchange(soci::into(j.max_attempts));
  st.exchange(soci::into(j.run_at_ms));
  st.exchange(soci::into(j.deadline_ms));
  st.exchange(soci::into(j.lease_owner));
  st.exchange(soci::into(j.lease_until_ms));
  st.exchange(soci::into(j.last_error_code));
  st.exchange(soci::into(last_error, last_error_ind));
  st.exchange(soci::into(j.created_at_ms));
  st.exchange(soci::into(j.finished_at_ms));
  for (const std::string& p : string_params) {
    st.exchange(soci::use(p));
  }
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  std::vector<Job> out;
  if (st.execute(true)) {
    do {
      Job copy = j;
      copy.lane = priority > 0 ? Lane::kUrgent : Lane::kNormal;
      copy.last_error = last_error_ind == soci::i_ok ? last_error : std::string();
      out.push_back(std::move(copy));
    } while (st.fetch());
  }
  return out;
}

std::string IdList(const std::vector<long long>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out += (i ? "," : "") + std::to_string(ids[i]);
  }
  return out;
}

// Job kinds are identifiers chosen in our code; they are inlined into the claim query, so they
// are checked here once more.
std::string KindList(const std::vector<std::string>& kinds) {
  std::string out;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    for (char c : kinds[i]) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ||
            c == '/')) {
        throw Internal("job kind '" + kinds[i] + "' has characters outside [A-Za-z0-9_./-]");
      }
    }
    out += (i ? ",'" : "'") + kinds[i] + "'";
  }
  return out;
}

// The claim's candidates, bound to :now (the claim's time) and :w (how many rows each leg reads):
// jobs of `kinds` whose ordering key has no earlier unfinished job.
std::string CandidateSql(bool mysql, const std::string& kinds) {
  const std::string free_key =
      " AND j.kind IN (" + kinds +
      ") AND (j.ordering_key = '' OR NOT EXISTS (SELECT 1 FROM jobs p" +
      // MariaDB otherwise answers this per-candidate check through the idempotency index (a
      // ref on tenant_id alone) and reads the tenant's whole queue for every candidate.
      std::string(mysql ? " FORCE INDEX (jobs_ordering)" : "") +
      " WHERE p.tenant_id = j.tenant_id AND p.ordering_key = j.ordering_key AND p.id < j.id"
      " AND p.state IN ('pending', 'running')))";
  // Three legs, each the head of its own part of the queue read in the order of the
  // jobs_runnable index (state, priority, run_at_ms, then the id the index ends with), so
  // that each stops after :w rows instead of sorting every due job of a long backlog:
  // pending urgent, pending normal, running with an expired lease (few: at most the workers
  // of dead processes). Their union holds the first :w of the whole queue; step 2 takes the
  // first of them in the queue's order.
  const std::string by_index = mysql ? " FORCE INDEX (jobs_runnable)" : "";
  auto pending_leg = [&](int priority) {
    return "SELECT id FROM (SELECT j.id FROM jobs j" + by_index +
           " WHERE j.state = 'pending' AND j.priority = " + std::to_string(priority) +
           " AND j.run_at_ms <= :now" + free_key + " ORDER BY j.run_at_ms, j.id LIMIT :w) u" +
           std::to_string(priority);
  };
  return pending_leg(1) + " UNION ALL " + pending_leg(0) +
         " UNION ALL SELECT id FROM (SELECT j.id FROM jobs j WHERE j.state = 'running' AND"
         " j.lease_until_ms < :now" +
         free_key + " ORDER BY j.priority DESC, j.run_at_ms, j.id LIMIT :w) e";
}

std::string Runnable(const std::string& now) {
  return "((state = 'pending' AND run_at_ms <= " + now +
         ") OR (state = 'running' AND lease_until_ms < " + now + "))";
}

}  // namespace

long long EnqueueJob(Session& s, const NewJob& job, EpochMs now) {
  return JobStore::Enqueue(s, job, now);
}

long long JobStore::Enqueue(Session& s, const NewJob& job, EpochMs now) {
  if (job.tenant_id.empty() || job.kind.empty()) {
    throw Internal("a job needs a tenant and a kind");
  }
  std::string idem = job.idempotency_key.value_or("");
  soci::indicator idem_ind = job.idempotency_key ? soci::i_ok : soci::i_null;
  int priority = job.lane == Lane::kUrgent ? 1 : 0;
  EpochMs run_at = job.run_at_ms > 0 ? job.run_at_ms : now;
  std::string state = kPending;
  soci::statement st =
      (s.sql().prepare
           << "INSERT INTO jobs (tenant_id, kind, ordering_key, idempotency_key, payload,"
              " priority, state, attempts, max_attempts, run_at_ms, deadline_ms, created_at_ms,"
              " updated_at_ms) VALUES (:t, :k, :o, :i, :p, :pr, :s, 0, :m, :r, :d, :c, :u)" +
                  storage::InsertIgnoreClause(s.dialect(), "tenant_id, idempotency_key"),
       soci::use(job.tenant_id), soci::use(job.kind), soci::use(job.ordering_key),
       soci::use(idem, idem_ind), soci::use(job.payload), soci::use(priority), soci::use(state),
       soci::use(job.max_attempts), soci::use(run_at), soci::use(job.deadline_ms), soci::use(now),
       soci::use(now));
  if (storage::ExecuteInsertUnlessDuplicate(st)) {
    return storage::LastInsertId(s, "jobs");
  }
  long long id = 0;
  s.sql() << "SELECT id FROM jobs WHERE tenant_id = :t AND idempotency_key = :i", soci::into(id),
      soci::use(job.tenant_id), soci::use(idem);
  return id;
}

namespace {

// SQLite: one job's INSERT, kept prepared on the connection and run once a job (cheaper in this
// process than parsing a statement of many rows each time).
struct KeptJobInsert : storage::KeptStatement {
  explicit KeptJobInsert(soci::session& sql)
      : st((sql.prepare << "INSERT INTO jobs (tenant_id, kind, ordering_key, payload, priority,"
                           " state, attempts, max_attempts, run_at_ms, deadline_ms, created_at_ms,"
                           " updated_at_ms) VALUES (:t, :k, :o, :p, :pr, 'pending', 0, :m, :r, :d,"
                           " :c, :u)",
            soci::use(tenant_id), soci::use(kind), soci::use(ordering_key), soci::use(payload),
            soci::use(priority), soci::use(max_attempts), soci::use(run_at), soci::use(deadline),
            soci::use(now), soci::use(now))) {}
  std::string tenant_id, kind, ordering_key, payload;
  int priority = 0;
  int max_attempts = 0;
  EpochMs run_at = 0, deadline = 0, now = 0;
  soci::statement st;
};

// MySQL: a many-row INSERT prepared on the server, one statement per row count up to
// kRowsPerPrepared (larger batches are split), so a connection keeps at most that many.
void EnqueuePrepared(Session& s, const std::vector<const NewJob*>& jobs, EpochMs now) {
  constexpr std::size_t kRowsPerPrepared = 16;
  constexpr std::size_t kColumns = 10;
  for (std::size_t begin = 0; begin < jobs.size(); begin += kRowsPerPrepared) {
    const std::size_t rows = std::min(jobs.size() - begin, kRowsPerPrepared);
    storage::ServerPrepared& insert = *s.KeptOnServer(
        "INSERT INTO jobs (tenant_id, kind, ordering_key, payload, priority, state, attempts,"
        " max_attempts, run_at_ms, deadline_ms, created_at_ms, updated_at_ms) VALUES " +
        storage::ManyRows("(?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?)", rows));
    for (std::size_t r = 0; r < rows; ++r) {
      const NewJob& job = *jobs[begin + r];
      const std::size_t p = r * kColumns;
      insert.Bind(p, job.tenant_id);
      insert.Bind(p + 1, job.kind);
      insert.Bind(p + 2, job.ordering_key);
      insert.Bind(p + 3, job.payload);
      insert.Bind(p + 4, job.lane == Lane::kUrgent ? 1LL : 0LL);
      insert.Bind(p + 5, static_cast<long long>(job.max_attempts));
      insert.Bind(p + 6, static_cast<long long>(job.run_at_ms > 0 ? job.run_at_ms : now));
      insert.Bind(p + 7, static_cast<long long>(job.deadline_ms));
      insert.Bind(p + 8, static_cast<long long>(now));
      insert.Bind(p + 9, static_cast<long long>(now));
    }
    insert.Execute();
  }
}

}  // namespace

void JobStore::EnqueueMany(Session& s, const std::vector<NewJob>& jobs, EpochMs now) {
  // Rows per statement: 13 parameters each stays well under SQLite's 999.
  constexpr std::size_t kRowsPerInsert = 64;
  std::vector<const NewJob*> plain;
  for (const NewJob& job : jobs) {
    if (job.tenant_id.empty() || job.kind.empty()) {
      throw Internal("a job needs a tenant and a kind");
    }
    if (job.idempotency_key) {
      Enqueue(s, job, now);
    } else {
      plain.push_back(&job);
    }
  }
  if (plain.empty()) {
    return;
  }
  if (auto* kept = static_cast<KeptJobInsert*>(s.Kept("jobs.insert", [](soci::session& sql) {
        return std::make_unique<KeptJobInsert>(sql);
      }))) {
    for (const NewJob* job : plain) {
      kept->tenant_id = job->tenant_id;
      kept->kind = job->kind;
      kept->ordering_key = job->ordering_key;
      kept->payload = job->payload;
      kept->priority = job->lane == Lane::kUrgent ? 1 : 0;
      kept->max_attempts = job->max_attempts;
      kept->run_at = job->run_at_ms > 0 ? job->run_at_ms : now;
      kept->deadline = job->deadline_ms;
      kept->now = now;
      kept->st.execute(true);
    }
    return;
  }
  if (s.dialect() == Dialect::kMysql) {
    EnqueuePrepared(s, plain, now);
    return;
  }
  for (std::size_t begin = 0; begin < plain.size(); begin += kRowsPerInsert) {
    const std::size_t end = std::min(plain.size(), begin + kRowsPerInsert);
    std::string sql =
        "INSERT INTO jobs (tenant_id, kind, ordering_key, payload, priority, state, attempts,"
        " max_attempts, run_at_ms, deadline_ms, created_at_ms, updated_at_ms) VALUES ";
    // Bound values must outlive the statement: kept per row.
    std::vector<int> priorities;
    std::vector<EpochMs> run_ats;
    priorities.reserve(end - begin);
    run_ats.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      const std::string n = std::to_string(i - begin);
      sql += (i == begin ? "" : ", ");
      sql += "(:t" + n + ", :k" + n + ", :o" + n + ", :p" + n + ", :pr" + n + ", 'pending', 0, :m" +
             n + ", :r" + n + ", :d" + n + ", :c" + n + ", :u" + n + ")";
      priorities.push_back(plain[i]->lane == Lane::kUrgent ? 1 : 0);
      run_ats.push_back(plain[i]->run_at_ms > 0 ? plain[i]->run_at_ms : now);
    }
    soci::details::prepare_temp_type prep = (s.sql().prepare << sql);
    for (std::size_t i = begin; i < end; ++i) {
      const NewJob& job = *plain[i];
      const std::size_t r = i - begin;
      prep, soci::use(job.tenant_id), soci::use(job.kind), soci::use(job.ordering_key),
          soci::use(job.payload), soci::use(priorities[r]), soci::use(job.max_attempts),
          soci::use(run_ats[r]), soci::use(job.deadline_ms), soci::use(now), soci::use(now);
    }
    soci::statement st(prep);
    st.execute(true);
  }
}

JobStore::ClaimResult JobStore::Claim(storage::Database& db, const ClaimRequest& req) {
  ClaimResult result;
  const bool claim = !req.kinds.empty() && req.max_count > 0;
  if (!claim && req.done_ids.empty()) {
    return result;
  }
  const std::string now = std::to_string(req.now);
  const std::string kinds = claim ? KindList(req.kinds) : "";
  storage::InTransaction(db, [&](Session& s) {
    result = {};
    if (!req.done_ids.empty()) {
      soci::statement done =
          (s.sql().prepare << "UPDATE jobs SET state = 'done', lease_owner = '', last_error_code ="
                              " '', last_error = NULL, updated_at_ms = :n, finished_at_ms = :f"
                              " WHERE id IN (" +
                                  IdList(req.done_ids) +
                                  ") AND lease_owner = :o AND state = 'running'",
           soci::use(req.now), soci::use(req.now), soci::use(req.owner));
      done.execute(true);
      result.done = static_cast<long long>(done.get_affected_rows());
    }
    if (!claim) {
      return;
    }
    // Step 1, a plain read: candidates whose ordering key has no earlier unfinished job. Under
    // READ COMMITTED (MySQL) and the write lock (SQLite) this sees committed states only.
    std::vector<long long> candidates;
    {
      // Several processes read the same head of the queue; a window wider than the claim lets
      // the loser of a SKIP LOCKED race still find work instead of waiting for its next poll.
      // Not much wider: each row of the window costs the server a row read and the ordering
      // check, on every claim (8x + 32 made the claim the costliest statement of a busy outbox).
      const std::string sql = CandidateSql(s.dialect() == Dialect::kMysql, kinds);
      struct Candidates : storage::KeptStatement {
        Candidates(soci::session& sql, const std::string& text)
            : st((sql.prepare << text, soci::use(now, "now"), soci::use(window, "w"),
                  soci::into(id))) {}
        long long now = 0;
        long long window = 0;
        long long id = 0;
        soci::statement st;
      };
      // SQLite: kept per connection (the kinds are in the text; its prepare was most of a claim's
      // cost). MySQL: prepared for this claim only.
      std::unique_ptr<Candidates> once;
      auto* query = static_cast<Candidates*>(s.Kept(sql, [&](soci::session& sql_session) {
        return std::make_unique<Candidates>(sql_session, sql);
      }));
      if (query == nullptr) {
        once = std::make_unique<Candidates>(s.sql(), sql);
        query = once.get();
      }
      query->now = req.now;
      query->window = req.max_count * 2 + 8;
      if (query->st.execute(true)) {
        do {
          candidates.push_back(query->id);
        } while (query->st.fetch());
      }
    }
    if (candidates.empty()) {
      return;
    }
    // Step 2: lock the candidates still runnable, skipping those another process holds.
    std::string lock_sql = std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id IN (" +
                           IdList(candidates) + ") AND " + Runnable(now) +
                           " ORDER BY priority DESC, run_at_ms, id LIMIT " +
                           std::to_string(req.max_count);
    if (s.dialect() == Dialect::kMysql) {
      lock_sql += " FOR UPDATE SKIP LOCKED";
    }
    std::vector<long long> to_run;
    std::vector<long long> to_drop;
    for (Job& job : QueryJobs(s, lock_sql)) {
      if (job.deadline_ms > 0 && req.now > job.deadline_ms) {
        job.state = kDropped;
        to_drop.push_back(job.id);
        result.dropped.push_back(std::move(job));
        continue;
      }
      job.state = kRunning;
      job.attempts += 1;
      job.lease_owner = req.owner;
      job.lease_until_ms = req.now + req.lease_ms;
      to_run.push_back(job.id);
      result.claimed.push_back(std::move(job));
    }
    if (!to_run.empty()) {
      EpochMs lease_until = req.now + req.lease_ms;
      s.sql() << "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = :o,"
                 " lease_until_ms = :l, updated_at_ms = :n WHERE id IN (" +
                     IdList(to_run) + ")",
          soci::use(req.owner), soci::use(lease_until), soci::use(req.now);
    }
    if (!to_drop.empty()) {
      s.sql() << "UPDATE jobs SET state = 'dropped', lease_owner = '', last_error_code ="
                 " 'DEADLINE_EXCEEDED', last_error = 'the deadline passed before the job could"
                 " start', updated_at_ms = :n, finished_at_ms = :f WHERE id IN (" +
                     IdList(to_drop) + ")",
          soci::use(req.now), soci::use(req.now);
    }
  });
  return result;
}

namespace {
bool UpdateOwned(storage::Database& db, const std::string& set_clause, long long id,
                 const std::string& owner, const std::vector<std::string>& strings,
                 const std::vector<long long>& numbers) {
  bool updated = false;
  storage::InTransaction(db, [&](Session& s) {
    soci::statement st(s.sql());
    for (const std::string& v : strings) {
      st.exchange(soci::use(v));
    }
    for (const long long& v : numbers) {
      st.exchange(soci::use(v));
    }
    st.exchange(soci::use(id));
    st.exchange(soci::use(owner));
    st.alloc();
    st.prepare("UPDATE jobs SET " + set_clause +
               " WHERE id = :id AND lease_owner = :owner AND state = 'running'");
    st.define_and_bind();
    st.execute(true);
    updated = st.get_affected_rows() > 0;
  });
  if (!updated) {
    spdlog::warn("event=job_lease_lost job_id={} owner={}", id, owner);
  }
  return updated;
}
}  // namespace

bool JobStore::MarkDone(storage::Database& db, long long id, const std::string& owner,
                        EpochMs now) {
  return UpdateOwned(db,
                     "state = 'done', lease_owner = '', last_error_code = '', last_error = NULL,"
                     " updated_at_ms = :n, finished_at_ms = :f",
                     id, owner, {}, {now, now});
}

bool JobStore::MarkRetry(storage::Database& db, long long id, const std::string& owner, EpochMs now,
                         EpochMs run_at, const std::string& code, const std::string& message) {
  return UpdateOwned(db,
                     "state = 'pending', lease_owner = '', lease_until_ms = 0,"
                     " last_error_code = :c, last_error = :m, run_at_ms = :r, updated_at_ms = :n",
                     id, owner, {code, message}, {run_at, now});
}

bool JobStore::Postpone(storage::Database& db, long long id, const std::string& owner, EpochMs now,
                        EpochMs run_at, const std::string& message) {
  return UpdateOwned(db,
                     "state = 'pending', attempts = attempts - 1, lease_owner = '',"
                     " lease_until_ms = 0, last_error_code = :c, last_error = :m, run_at_ms = :r,"
                     " updated_at_ms = :n",
                     id, owner, {"WAITING", message}, {run_at, now});
}

bool JobStore::Release(storage::Database& db, long long id, const std::string& owner, EpochMs now) {
  return UpdateOwned(db,
                     "state = 'pending', attempts = attempts - 1, lease_owner = '',"
                     " lease_until_ms = 0, updated_at_ms = :n",
                     id, owner, {}, {now});
}

bool JobStore::MarkFinalFailure(storage::Database& db, long long id, const std::string& owner,
                                EpochMs now, const std::string& state, const std::string& code,
                                const std::string& message) {
  if (state != kDead && state != kDropped) {
    throw Internal("a final failure is dead or dropped");
  }
  return UpdateOwned(db,
                     "state = :s, lease_owner = '', last_error_code = :c, last_error = :m,"
                     " updated_at_ms = :n, finished_at_ms = :f",
                     id, owner, {state, code, message}, {now, now});
}

void JobStore::ExtendLeases(storage::Database& db, const std::vector<long long>& ids,
                            const std::string& owner, EpochMs lease_until) {
  if (ids.empty()) {
    return;
  }
  storage::InTransaction(db, [&](Session& s) {
    s.sql() << "UPDATE jobs SET lease_until_ms = :l WHERE lease_owner = :o AND state ="
               " 'running' AND id IN (" +
                   IdList(ids) + ")",
        soci::use(lease_until), soci::use(owner);
  });
}

std::map<std::string, long long> JobStore::CountByState(Session& s) {
  std::map<std::string, long long> out = {
      {kPending, 0}, {kRunning, 0}, {kDone, 0}, {kDead, 0}, {kDropped, 0}};
  std::string state;
  long long count = 0;
  soci::statement st = (s.sql().prepare << "SELECT state, COUNT(*) FROM jobs GROUP BY state",
                        soci::into(state), soci::into(count));
  if (st.execute(true)) {
    do {
      out[state] = count;
    } while (st.fetch());
  }
  return out;
}

long long JobStore::CountInState(Session& s, const std::string& kind, const std::string& state) {
  long long count = 0;
  s.sql() << "SELECT COUNT(*) FROM jobs WHERE kind = :k AND state = :s", soci::into(count),
      soci::use(kind), soci::use(state);
  return count;
}

long long JobStore::CountUnfinished(Session& s, const std::string& kind,
                                    const std::string& tenant_id) {
  long long count = 0;
  if (tenant_id.empty()) {
    s.sql() << "SELECT COUNT(*) FROM jobs WHERE kind = :k AND state IN ('pending', 'running')",
        soci::into(count), soci::use(kind);
  } else {
    s.sql() << "SELECT COUNT(*) FROM jobs WHERE kind = :k AND tenant_id = :t"
               " AND state IN ('pending', 'running')",
        soci::into(count), soci::use(kind), soci::use(tenant_id);
  }
  return count;
}

std::vector<Job> JobStore::List(Session& s, const std::string& tenant_id, const std::string& state,
                                int limit) {
  std::string sql = std::string("SELECT ") + kJobColumns + " FROM jobs WHERE state = :s";
  std::vector<std::string> params = {state};
  if (!tenant_id.empty()) {
    sql += " AND tenant_id = :t";
    params.push_back(tenant_id);
  }
  sql += " ORDER BY id DESC LIMIT " + std::to_string(limit);
  return QueryJobs(s, sql, params);
}

std::optional<Job> JobStore::Find(Session& s, long long id) {
  auto rows = QueryJobs(
      s, std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = " + std::to_string(id));
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front();
}

bool JobStore::Requeue(Session& s, long long id, EpochMs now) {
  soci::statement st =
      (s.sql().prepare << "UPDATE jobs SET state = 'pending', attempts = 0, run_at_ms = :r,"
                          " deadline_ms = 0, lease_owner = '', lease_until_ms = 0,"
                          " updated_at_ms = :u, finished_at_ms = 0 WHERE id = :id AND state IN"
                          " ('dead', 'dropped')",
       soci::use(now), soci::use(now), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

long long JobStore::DropTenant(Session& s, const std::string& tenant_id, const std::string& reason,
                               EpochMs now, bool running_too) {
  soci::statement st =
      (s.sql().prepare << std::string("UPDATE jobs SET state = 'dropped', lease_owner = '',"
                                      " last_error_code = 'CANCELLED', last_error = :r,"
                                      " updated_at_ms = :u, finished_at_ms = :f WHERE tenant_id ="
                                      " :t AND state IN ('pending'") +
                              (running_too ? ", 'running')" : ")"),
       soci::use(reason), soci::use(now), soci::use(now), soci::use(tenant_id));
  st.execute(true);
  return static_cast<long long>(st.get_affected_rows());
}

long long JobStore::CountRunning(Session& s, const std::string& tenant_id, EpochMs now) {
  long long n = 0;
  s.sql() << "SELECT COUNT(*) FROM jobs WHERE tenant_id = :t AND state = 'running'"
             " AND lease_until_ms >= :n",
      soci::into(n), soci::use(tenant_id), soci::use(now);
  return n;
}

long long JobStore::DeleteTenant(Session& s, const std::string& tenant_id) {
  soci::statement st =
      (s.sql().prepare << "DELETE FROM jobs WHERE tenant_id = :t", soci::use(tenant_id));
  st.execute(true);
  return static_cast<long long>(st.get_affected_rows());
}

namespace {

// Deletes up to `limit` jobs in `states` finished before `before`. Deleting by id list keeps the
// statement portable (MySQL rejects LIMIT in a subquery of the same table, SQLite lacks
// DELETE ... LIMIT by default).
long long PurgeByState(Session& s, const std::string& states, EpochMs before, int limit) {
  return storage::DeleteSelected(s, "jobs",
                                 "SELECT id FROM jobs WHERE state IN (" + states +
                                     ") AND finished_at_ms < :b ORDER BY id LIMIT " +
                                     std::to_string(limit),
                                 before);
}

}  // namespace

long long JobStore::PurgeFinished(Session& s, EpochMs before, int limit) {
  return PurgeByState(s, "'done', 'dropped'", before, limit);
}

long long JobStore::PurgeDead(Session& s, EpochMs before, int limit) {
  return PurgeByState(s, "'dead'", before, limit);
}

}  // namespace opdesk::jobs
