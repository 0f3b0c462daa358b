// The database: a fixed pool of SOCI sessions on SQLite or MySQL/MariaDB, chosen by URL.
// Everything that touches SQL leases a Session from here and wraps writes in a Transaction, which
// starts SQLite writes with BEGIN IMMEDIATE (so concurrent writers queue instead of failing).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connector/storage/sqlite_checkpointer.h"
#include "connector/storage/writer_turn.h"

namespace soci {
class session;
class connection_pool;
class statement;
}  // namespace soci

namespace opdesk::storage {

enum class Dialect { kSqlite, kMysql };

struct DatabaseOptions {
  std::string url;  // sqlite://PATH or mysql://user:password@host:port/db
  int pool_size = 8;
  int lease_timeout_ms = 10'000;
  // A MySQL session idle longer than this is pinged (and reconnected) before it is handed out.
  int ping_after_idle_ms = 30'000;
  // SQLite: the WAL is copied into the database file by a thread of its own
  // (sqlite_checkpointer.h), not inside the commits; the connections' automatic checkpoint then
  // stays as a backstop, at five times the restart length.
  bool sqlite_background_checkpoint = true;
  SqliteCheckpointOptions sqlite_checkpoint;
};

// What SOCI needs to open a backend, parsed from our URL form.
struct ConnectionSpec {
  Dialect dialect;
  std::string backend;            // "sqlite3" or "mysql"
  std::string connection_string;  // SOCI's key=value form
  std::string sqlite_path;        // for SQLite: the file
};

// Throws InvalidArgument(field "database.url") on a malformed URL.
ConnectionSpec ParseDatabaseUrl(const std::string& url);

class Database;
struct ReadCache;

// A statement kept prepared on one pooled connection, with the variables it is bound to (a
// derived type holds both). SQLite parses and plans every statement in this process: for a long
// statement run many times a second, the prepare was most of its cost. SOCI sends MySQL statements
// as text; the hottest ones are prepared on the server instead (ServerPrepared).
struct KeptStatement {
  virtual ~KeptStatement() = default;
};
class ServerPrepared;

// A leased pooled session; goes back to the pool when destroyed. Or, on SQLite, the process's
// writer connection with the writer turn (Database::LeaseWriter), released when destroyed.
class Session {
 public:
  Session(Session&& other) noexcept;
  Session& operator=(Session&&) = delete;
  Session(const Session&) = delete;
  ~Session();

  soci::session& sql();
  Dialect dialect() const;
  // The rows kept in memory for the call path (read_cache.h).
  ReadCache& cache();
  // Marks the connection as suspect (lost, or left mid-statement); it is reset before reuse.
  void MarkBroken() { broken_ = true; }
  // SQLite: the statement kept under `key` on this connection, made by `make` on first use and
  // dropped when a transaction on the connection fails or the connection is reset. MySQL:
  // nullptr (the caller prepares per use).
  KeptStatement* Kept(const std::string& key,
                      const std::function<std::unique_ptr<KeptStatement>(soci::session&)>& make);
  // MySQL: `text` prepared on the server for this connection, kept like Kept's statements.
  // SQLite: nullptr.
  ServerPrepared* KeptOnServer(const std::string& text);

 private:
  friend class Database;
  friend class Transaction;
  Session(Database* db, std::size_t slot) : db_(db), slot_(slot) {}
  Database* db_;
  std::size_t slot_;
  bool broken_ = false;
  std::unique_lock<WriterTurn> writer_turn_;  // held by the SQLite writer session
};

class Database {
 public:
  // Opens every pooled connection. Throws Unavailable if the server cannot be reached.
  explicit Database(const DatabaseOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Dialect dialect() const { return spec_.dialect; }
  // Blocks until a session is free (at most lease_timeout_ms, then Unavailable).
  // NOTE: blocking; never call it on the HTTP I/O pool.
  Session Lease();
  // SQLite: the connection that every write transaction of this process uses, leased with the
  // process's turn to write (waited for up to 10 s). One connection writing keeps its page cache
  // and kept statements: SQLite drops a connection's whole cache whenever another connection has
  // written since its last transaction, so writers taking turns on pooled connections each read
  // the pages they touch afresh. nullopt on MySQL, when this thread already holds the turn (a
  // transaction inside another), or when the wait ran out; the caller then leases from the pool.
  std::optional<Session> LeaseWriter();
  int pool_size() const { return options_.pool_size; }
  int in_use() const;
  ReadCache& cache() { return *cache_; }

 private:
  friend class Session;
  friend class Transaction;
  struct Slot {
    std::chrono::steady_clock::time_point last_used;
    bool needs_reset = false;
    // Used only by the session holding the slot; destroyed before the pool's connections.
    std::map<std::string, std::unique_ptr<KeptStatement>> kept;
  };
  void GiveBack(std::size_t slot, bool broken);
  void GiveBackWriter(bool broken);  // with the writer turn still held
  void ResetSessionBlocking(soci::session& sql);
  void InitSession(soci::session& sql);

  DatabaseOptions options_;
  ConnectionSpec spec_;
  std::unique_ptr<soci::connection_pool> pool_;
  mutable std::mutex mu_;
  std::vector<Slot> slots_;  // guarded by mu_
  int in_use_ = 0;           // guarded by mu_
  std::unique_ptr<ReadCache> cache_;
  // SQLite has one writer at a time. This process's write transactions queue here, and the next
  // one starts the moment the last one ends, instead of in SQLite's busy handler, which sleeps
  // 1, 2, 5, 10 … ms between tries. Other processes still meet the busy handler. Writes marked
  // WritesFirst are given the turn before the others.
  WriterTurn sqlite_writer_;
  // SQLite: the pool's extra connection, leased for good, that the writer turn goes with.
  std::optional<std::size_t> writer_slot_;
  // SQLite: copies the WAL beside the writes; stopped first when the database closes.
  std::unique_ptr<SqliteCheckpointer> checkpointer_;
  static constexpr int kSqliteWriterCacheKiB = 32'000;
};

// A write transaction on a leased session. Rolls back on destruction unless committed.
// SQLite: BEGIN IMMEDIATE; MySQL: START TRANSACTION (READ COMMITTED, set per session).
class Transaction {
 public:
  explicit Transaction(Session& session);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();

 private:
  Session& session_;
  bool open_ = true;
  std::unique_lock<WriterTurn> writer_;  // SQLite: this process's turn to write
};

// Runs `fn(session)` inside a transaction and commits; translates database errors into the error
// vocabulary. Retries the whole transaction a few times on deadlock or SQLite busy, so `fn` must
// not have effects outside the database.
void InTransaction(Database& db, const std::function<void(Session&)>& fn);

// Runs `fn(session)` without an explicit transaction (reads), translating errors.
void WithSession(Database& db, const std::function<void(Session&)>& fn);

// Runs `fn(session)` without an explicit transaction, for one statement that writes and is atomic
// on its own, translating errors. On SQLite it runs on the writer connection, in the process's
// turn: a write from a pooled connection would empty the writer connection's page cache and meet
// it in SQLite's busy handler, which sleeps a millisecond or more while every writer of the
// process waits. On MySQL, a pooled session, as WithSession.
void WriteOnce(Database& db, const std::function<void(Session&)>& fn);

// Translates a SOCI/driver exception into opdesk::Error; marks the session broken when the
// connection is lost. Rethrows opdesk::Error unchanged. Call only from a catch block.
[[noreturn]] void RethrowAsOpdeskError(Session* session);

// Dialect helpers for SQL that differs between the backends.
std::string AutoIdColumn(Dialect d);  // primary key column type
std::string LargeTextType(Dialect d);
std::string TableOptions(Dialect d);
// "ON CONFLICT(cols) DO UPDATE SET c=excluded.c" / "ON DUPLICATE KEY UPDATE c=VALUES(c)".
std::string UpsertClause(Dialect d, const std::string& conflict_columns,
                         const std::vector<std::string>& update_columns);
// An INSERT suffix that turns a duplicate key into a no-op on SQLite; empty on MySQL, where
// ExecuteInsertUnlessDuplicate recognises the duplicate-key error instead (SOCI connects with
// CLIENT_FOUND_ROWS, so an ON DUPLICATE KEY no-op still reports one affected row).
std::string InsertIgnoreClause(Dialect d, const std::string& conflict_columns);
// Executes a prepared INSERT carrying InsertIgnoreClause; true if a row was inserted.
bool ExecuteInsertUnlessDuplicate(soci::statement& insert);
// Deletes, from `table`, the rows whose ids `select_ids` (one `:b` parameter, bound to `bound`;
// with its own ORDER BY and LIMIT) returns, and returns how many. Ids first, then a delete by
// list: portable (MySQL rejects LIMIT in a subquery of the same table, SQLite lacks
// DELETE ... LIMIT by default), and batches keep each transaction short.
long long DeleteSelected(Session& s, const std::string& table, const std::string& select_ids,
                         long long bound);

}  // namespace opdesk::storage
