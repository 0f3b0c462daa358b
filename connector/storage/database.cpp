#include "connector/storage/database.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

#include "connector/domain/error.h"
#include "connector/storage/read_cache.h"
#include "connector/storage/server_prepared.h"

namespace opdesk::storage {
namespace {

constexpr int kTransactionAttempts = 6;

// SQLite gives every page cache, the temporary b-trees of a statement's IN lists, UNIONs and
// sorts included, a bulk allocation of 20 pages (87 KB) on its first page. The outbox's claim
// makes several such trees each time, and each large block taken and given back made the
// allocator trim and fault its heap in again. Without the bulk, pages come one at a time, as a
// cache needs them.
// SQLite also counts every allocation of every connection under one process-wide mutex, for
// statistics (sqlite3_memory_used) that nothing here reads. With a dozen threads on their own
// connections that mutex was contended: a profile of futex calls in the SQLite ingest run put
// sqlite3Malloc among the largest callers. The counting is turned off.
// Both only possible before SQLite's first use in the process.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sqlite_api::sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0) != SQLITE_OK ||
        sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK) {
      spdlog::debug("event=sqlite_config_skipped why=already_initialized");
    }
  });
}

std::string PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// SOCI's connect-string parser accepts single-quoted values; a quote inside cannot be expressed.
std::string Quote(const std::string& value, const char* what) {
  if (value.find('\'') != std::string::npos) {
    throw InvalidArgument(std::string("the database ") + what + " must not contain a single quote",
                          "database.url");
  }
  return "'" + value + "'";
}

bool IsConnectionLost(int mysql_errno) {
  return mysql_errno == 2002 || mysql_errno == 2003 || mysql_errno == 2006 || mysql_errno == 2013 ||
         mysql_errno == 2055 || mysql_errno == 1927;
}

bool IsRetryableTransactionError(const std::exception& e) {
  if (const auto* m = dynamic_cast<const soci::mysql_soci_error*>(&e)) {
    return m->err_num_ == 1213 || m->err_num_ == 1205;
  }
  if (const auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    return s->result() == 5 || s->result() == 6;  // SQLITE_BUSY, SQLITE_LOCKED
  }
  return false;
}

}  // namespace

ConnectionSpec ParseDatabaseUrl(const std::string& url) {
  ConnectionSpec spec;
  constexpr std::string_view kSqlite = "sqlite://";
  constexpr std::string_view kMysql = "mysql://";
  if (url.rfind(kSqlite, 0) == 0) {
    spec.dialect = Dialect::kSqlite;
    spec.backend = "sqlite3";
    spec.sqlite_path = url.substr(kSqlite.size());
    if (spec.sqlite_path.empty()) {
      throw InvalidArgument("sqlite:// URL has no file path", "database.url");
    }
    // SOCI's SQLite backend splits its connect string on spaces and takes values verbatim.
    if (spec.sqlite_path.find_first_of(" \t'\"") != std::string::npos) {
      throw InvalidArgument("the SQLite path must not contain spaces or quotes", "database.url");
    }
    spec.connection_string = "db=" + spec.sqlite_path + " timeout=10";
    return spec;
  }
  if (url.rfind(kMysql, 0) != 0) {
    throw InvalidArgument("database URL must start with sqlite:// or mysql://", "database.url");
  }
  spec.dialect = Dialect::kMysql;
  spec.backend = "mysql";
  std::string rest = url.substr(kMysql.size());
  auto at = rest.rfind('@');
  auto slash = rest.find('/', at == std::string::npos ? 0 : at);
  if (at == std::string::npos || slash == std::string::npos || slash + 1 >= rest.size()) {
    throw InvalidArgument("mysql URL must look like mysql://user:password@host:port/db",
                          "database.url");
  }
  std::string userinfo = rest.substr(0, at);
  std::string hostport = rest.substr(at + 1, slash - at - 1);
  std::string db = rest.substr(slash + 1);
  auto q = db.find('?');
  if (q != std::string::npos) {
    db.resize(q);
  }
  auto colon = userinfo.find(':');
  std::string user = PercentDecode(userinfo.substr(0, colon));
  std::string password =
      colon == std::string::npos ? "" : PercentDecode(userinfo.substr(colon + 1));
  std::string host = hostport;
  std::string port = "3306";
  auto pc = hostport.rfind(':');
  if (pc != std::string::npos) {
    host = hostport.substr(0, pc);
    port = hostport.substr(pc + 1);
  }
  if (user.empty() || host.empty() || db.empty()) {
    throw InvalidArgument("mysql URL needs a user, a host and a database name", "database.url");
  }
  spec.connection_string = "db=" + Quote(db, "name") + " user=" + Quote(user, "user") +
                           " password=" + Quote(password, "password") +
                           " host=" + Quote(host, "host") + " port=" + port +
                           " charset=utf8mb4 connect_timeout=5 read_timeout=30 write_timeout=30";
  return spec;
}

namespace {

// Whether this thread holds its database's SQLite writer turn: a transaction opened inside
// another one (on another session) must not wait for its own thread.
thread_local bool holds_sqlite_writer = false;

}  // namespace

// ---- Session ----

Session::Session(Session&& other) noexcept
    : db_(other.db_),
      slot_(other.slot_),
      broken_(other.broken_),
      writer_turn_(std::move(other.writer_turn_)) {
  other.db_ = nullptr;
}

Session::~Session() {
  if (db_ == nullptr) {
    return;
  }
  if (writer_turn_.owns_lock()) {
    db_->GiveBackWriter(broken_);
    writer_turn_.unlock();
    return;
  }
  db_->GiveBack(slot_, broken_);
}

soci::session& Session::sql() {
  return db_->pool_->at(slot_);
}
Dialect Session::dialect() const {
  return db_->dialect();
}
ReadCache& Session::cache() {
  return db_->cache();
}
KeptStatement* Session::Kept(
    const std::string& key,
    const std::function<std::unique_ptr<KeptStatement>(soci::session&)>& make) {
  if (db_->dialect() != Dialect::kSqlite) {
    return nullptr;
  }
  // The slot is this session's alone while it is leased: no lock.
  std::unique_ptr<KeptStatement>& kept = db_->slots_[slot_].kept[key];
  if (!kept) {
    kept = make(sql());
  }
  return kept.get();
}

ServerPrepared* Session::KeptOnServer(const std::string& text) {
  if (db_->dialect() != Dialect::kMysql) {
    return nullptr;
  }
  std::unique_ptr<KeptStatement>& kept = db_->slots_[slot_].kept["server:" + text];
  if (!kept) {
    kept = std::make_unique<ServerPrepared>(sql(), text);
  }
  return static_cast<ServerPrepared*>(kept.get());
}

// ---- Database ----

Database::Database(const DatabaseOptions& options)
    : options_(options),
      spec_(ParseDatabaseUrl(options.url)),
      cache_(std::make_unique<ReadCache>()) {
  if (options_.pool_size < 1) {
    throw InvalidArgument("pool size must be at least 1", "database.pool_size");
  }
  if (spec_.dialect == Dialect::kSqlite) {
    ConfigureSqliteOnce();
    std::filesystem::path parent = std::filesystem::path(spec_.sqlite_path).parent_path();
    if (!parent.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(parent, ec);
    }
  }
  // SQLite: one connection more, the writer's (LeaseWriter).
  const int connections = options_.pool_size + (spec_.dialect == Dialect::kSqlite ? 1 : 0);
  pool_ = std::make_unique<soci::connection_pool>(connections);
  slots_.resize(connections);
  for (int i = 0; i < connections; ++i) {
    soci::session& sql = pool_->at(i);
    try {
      if (spec_.dialect == Dialect::kMysql) {
        sql.open(soci::mysql, spec_.connection_string);
      } else {
        sql.open(soci::sqlite3, spec_.connection_string);
      }
      InitSession(sql);
    } catch (const std::exception& e) {
      throw Unavailable(std::string("cannot open the database: ") + e.what());
    }
    slots_[i].last_used = std::chrono::steady_clock::now();
  }
  if (spec_.dialect == Dialect::kSqlite) {
    std::size_t pos = 0;
    if (!pool_->try_lease(pos, 0)) {
      throw Internal("the SQLite writer connection could not be set aside");
    }
    writer_slot_ = pos;
    // Its cache outlives its transactions (nothing else writes in this process), so it is made
    // large enough for the pages every write touches again and again: the ends of the events'
    // and the jobs' b-trees and their indexes, the calls being updated. The readers keep
    // SQLite's default, which another connection's write empties anyway.
    pool_->at(pos) << "PRAGMA cache_size=" + std::to_string(-kSqliteWriterCacheKiB);
    if (options_.sqlite_background_checkpoint) {
      try {
        checkpointer_ = std::make_unique<SqliteCheckpointer>(
            spec_.connection_string, sqlite_writer_, options_.sqlite_checkpoint);
      } catch (const std::exception& e) {
        throw Unavailable(std::string("cannot open the database: ") + e.what());
      }
    }
  }
}

Database::~Database() {
  checkpointer_.reset();
}

void Database::InitSession(soci::session& sql) {
  if (spec_.dialect == Dialect::kSqlite) {
    std::string mode;
    sql << "PRAGMA journal_mode=WAL", soci::into(mode);
    sql << "PRAGMA busy_timeout=10000";
    sql << "PRAGMA synchronous=NORMAL";
    sql << "PRAGMA foreign_keys=ON";
    if (options_.sqlite_background_checkpoint) {
      sql << "PRAGMA wal_autocheckpoint=" +
                 std::to_string(5 * std::max(1, options_.sqlite_checkpoint.restart_frames));
    }
  } else {
    sql << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
    sql << "SET SESSION time_zone = '+00:00'";
    sql << "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION'";
  }
}

void Database::ResetSessionBlocking(soci::session& sql) {
  if (spec_.dialect == Dialect::kMysql) {
    sql.reconnect();
    InitSession(sql);
  } else {
    try {
      sql << "ROLLBACK";
    } catch (const std::exception&) {
      // No transaction was open: nothing to undo.
    }
  }
}

Session Database::Lease() {
  std::size_t pos = 0;
  if (!pool_->try_lease(pos, options_.lease_timeout_ms)) {
    throw Unavailable("no free database connection within " +
                      std::to_string(options_.lease_timeout_ms) + " ms");
  }
  bool reset = false;
  bool idle = false;
  {
    std::lock_guard lock(mu_);
    ++in_use_;
    reset = slots_[pos].needs_reset;
    idle = std::chrono::steady_clock::now() - slots_[pos].last_used >
           std::chrono::milliseconds(options_.ping_after_idle_ms);
  }
  Session session(this, pos);
  soci::session& sql = pool_->at(pos);
  try {
    if (reset) {
      slots_[pos].kept.clear();  // statements of the connection being reset
      ResetSessionBlocking(sql);
    } else if (idle && spec_.dialect == Dialect::kMysql && !sql.is_connected()) {
      spdlog::warn("event=db_reconnect slot={} reason=idle_ping_failed", pos);
      slots_[pos].kept.clear();  // statements prepared on the lost connection
      ResetSessionBlocking(sql);
    }
  } catch (const std::exception& e) {
    session.MarkBroken();
    throw Unavailable(std::string("database connection lost and not restored: ") + e.what());
  }
  return session;
}

std::optional<Session> Database::LeaseWriter() {
  if (!writer_slot_ || holds_sqlite_writer) {
    return std::nullopt;
  }
  std::unique_lock turn(sqlite_writer_, std::defer_lock);
  // Past this wait, SQLite's own lock decides, as for another process.
  if (!turn.try_lock_for(std::chrono::seconds(10))) {
    return std::nullopt;
  }
  const std::size_t pos = *writer_slot_;
  bool reset = false;
  {
    std::lock_guard lock(mu_);
    reset = slots_[pos].needs_reset;
    slots_[pos].needs_reset = false;
  }
  if (reset) {
    slots_[pos].kept.clear();  // the turn is held: nobody else uses the slot
    ResetSessionBlocking(pool_->at(pos));
  }
  holds_sqlite_writer = true;
  Session session(this, pos);
  session.writer_turn_ = std::move(turn);
  return session;
}

void Database::GiveBackWriter(bool broken) {
  holds_sqlite_writer = false;
  if (broken) {
    std::lock_guard lock(mu_);
    slots_[*writer_slot_].needs_reset = true;
  }
}

void Database::GiveBack(std::size_t slot, bool broken) {
  {
    std::lock_guard lock(mu_);
    --in_use_;
    slots_[slot].last_used = std::chrono::steady_clock::now();
    slots_[slot].needs_reset = broken;
  }
  pool_->give_back(slot);
}

int Database::in_use() const {
  std::lock_guard lock(mu_);
  return in_use_;
}

// ---- Transaction ----

Transaction::Transaction(Session& session) : session_(session) {
  if (session_.dialect() == Dialect::kSqlite) {
    if (!holds_sqlite_writer) {
      writer_ = std::unique_lock(session_.db_->sqlite_writer_, std::defer_lock);
      // Past the busy timeout, SQLite's own lock decides, as for another process.
      if (writer_.try_lock_for(std::chrono::seconds(10))) {
        holds_sqlite_writer = true;
      }
    }
    try {
      session_.sql() << "BEGIN IMMEDIATE";
    } catch (...) {
      if (writer_.owns_lock()) {
        writer_.unlock();
        holds_sqlite_writer = false;
      }
      throw;
    }
    return;
  }
  session_.sql() << "START TRANSACTION";
}

Transaction::~Transaction() {
  if (open_) {
    // A statement kept on this connection may have failed mid-way: prepare afresh next time.
    session_.db_->slots_[session_.slot_].kept.clear();
    try {
      session_.sql() << "ROLLBACK";
    } catch (const std::exception&) {
      session_.MarkBroken();
    }
  }
  if (writer_.owns_lock()) {
    writer_.unlock();
    holds_sqlite_writer = false;
  }
}

void Transaction::Commit() {
  session_.sql() << "COMMIT";
  open_ = false;
  if (writer_.owns_lock()) {
    writer_.unlock();
    holds_sqlite_writer = false;
  }
}

// ---- helpers ----

void RethrowAsOpdeskError(Session* session) {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const soci::mysql_soci_error& e) {
    if (e.err_num_ == 1062) {
      throw Conflict("duplicate key");
    }
    if (IsConnectionLost(static_cast<int>(e.err_num_))) {
      if (session != nullptr) {
        session->MarkBroken();
      }
      throw Unavailable(std::string("database connection lost: ") + e.what());
    }
    if (e.err_num_ == 1213 || e.err_num_ == 1205) {
      throw Unavailable(std::string("database busy: ") + e.what());
    }
    throw Internal(std::string("database error: ") + e.what());
  } catch (const soci::sqlite3_soci_error& e) {
    if (e.result() == 5 || e.result() == 6) {
      throw Unavailable(std::string("database busy: ") + e.what());
    }
    if (e.result() == 19) {
      throw Conflict(std::string("constraint violated: ") + e.what());
    }
    throw Internal(std::string("database error: ") + e.what());
  } catch (const soci::soci_error& e) {
    throw Internal(std::string("database error: ") + e.what());
  } catch (const std::exception& e) {
    throw Internal(std::string("unexpected error: ") + e.what());
  }
}

namespace {

// The session a write runs on: on SQLite the writer connection with the process's turn when this
// thread may take it, else (MySQL, a write inside another) a pooled one.
Session LeaseForWrite(Database& db) {
  std::optional<Session> writer = db.LeaseWriter();
  return writer ? std::move(*writer) : db.Lease();
}

}  // namespace

void InTransaction(Database& db, const std::function<void(Session&)>& fn) {
  static thread_local std::minstd_rand rng(std::random_device{}());
  for (int attempt = 1;; ++attempt) {
    {
      Session session = LeaseForWrite(db);
      try {
        Transaction tx(session);
        fn(session);
        tx.Commit();
        return;
      } catch (const Error&) {
        throw;
      } catch (const std::exception& e) {
        if (attempt >= kTransactionAttempts || !IsRetryableTransactionError(e)) {
          RethrowAsOpdeskError(&session);
        }
      }
    }
    // The session, and with it SQLite's writer turn, is given back before the pause.
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt + rng() % 20));
  }
}

void WithSession(Database& db, const std::function<void(Session&)>& fn) {
  Session session = db.Lease();
  try {
    fn(session);
  } catch (...) {
    RethrowAsOpdeskError(&session);
  }
}

void WriteOnce(Database& db, const std::function<void(Session&)>& fn) {
  Session session = LeaseForWrite(db);
  try {
    fn(session);
  } catch (...) {
    RethrowAsOpdeskError(&session);
  }
}

std::string AutoIdColumn(Dialect d) {
  return d == Dialect::kSqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                               : "BIGINT AUTO_INCREMENT PRIMARY KEY";
}

std::string LargeTextType(Dialect d) {
  return d == Dialect::kSqlite ? "TEXT" : "MEDIUMTEXT";
}

std::string TableOptions(Dialect d) {
  return d == Dialect::kSqlite ? "" : " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
}

std::string UpsertClause(Dialect d, const std::string& conflict_columns,
                         const std::vector<std::string>& update_columns) {
  std::string out = d == Dialect::kSqlite ? " ON CONFLICT(" + conflict_columns + ") DO UPDATE SET "
                                          : " ON DUPLICATE KEY UPDATE ";
  for (std::size_t i = 0; i < update_columns.size(); ++i) {
    const std::string& c = update_columns[i];
    out +=
        (i ? ", " : "") + c + (d == Dialect::kSqlite ? " = excluded." + c : " = VALUES(" + c + ")");
  }
  return out;
}

std::string InsertIgnoreClause(Dialect d, const std::string& conflict_columns) {
  return d == Dialect::kSqlite ? " ON CONFLICT(" + conflict_columns + ") DO NOTHING" : "";
}

bool ExecuteInsertUnlessDuplicate(soci::statement& insert) {
  try {
    insert.execute(true);
  } catch (const soci::mysql_soci_error& e) {
    // A failed statement does not end a MySQL transaction; only this INSERT is undone.
    if (e.err_num_ == 1062) {
      return false;
    }
    throw;
  }
  return insert.get_affected_rows() > 0;
}

long long DeleteSelected(Session& s, const std::string& table, const std::string& select_ids,
                         long long bound) {
  std::vector<long long> ids;
  long long id = 0;
  soci::statement st = (s.sql().prepare << select_ids, soci::into(id), soci::use(bound));
  if (st.execute(true)) {
    do {
      ids.push_back(id);
    } while (st.fetch());
  }
  if (ids.empty()) {
    return 0;
  }
  std::string list;
  for (long long each : ids) {
    list += (list.empty() ? "" : ",") + std::to_string(each);
  }
  s.sql() << "DELETE FROM " + table + " WHERE id IN (" + list + ")";
  return static_cast<long long>(ids.size());
}

}  // namespace opdesk::storage
