// Group commit: concurrent writers share one transaction and one commit. A caller hands its work
// to Run() and returns once that work is committed (or has failed on its own). A caller that
// finds a lane free writes at once; callers arriving while every lane is busy queue. A writer
// that finishes hands its lane to the oldest queued caller together with the batch it is to
// write (the queue's head, up to max_batch pieces), so each waiting caller is woken once: when
// its work is committed, or when it is its turn to write. At most `lanes` batches are written at
// once, each on its own pooled session.
//
// A piece of work that throws does not sink the others: the batch is rolled back and each piece
// runs again in a transaction of its own, so the failure reaches only its caller. Work must
// therefore have no effect outside the database other than assigning its own results (as for
// InTransaction, which may also run it again on a deadlock).
#pragma once

#include <any>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "connector/storage/database.h"

namespace opdesk::storage {

// Values read once per shared transaction (a tenant's settings, say), by key. Valid only within
// the transaction: the pieces of one batch see each other's writes, and nothing outlives it.
class BatchMemo {
 public:
  template <class T, class Load>
  const T& Get(const std::string& key, Load&& load) {
    auto it = values_.find(key);
    if (it == values_.end()) {
      it = values_.emplace(key, std::any(T(load()))).first;
    }
    return *std::any_cast<T>(&it->second);
  }
  // Runs `fn` once the transaction is committed (not if it is rolled back): for caches of what
  // it wrote. Hooks must not throw.
  void OnCommit(std::function<void()> fn) { on_commit_.push_back(std::move(fn)); }
  // Runs `fn` in the transaction after every piece of work of the batch, once per `key` (the
  // first registration wins): for writes the pieces share, such as one multi-row INSERT of what
  // each piece collected. It may throw like any piece; the batch is then replayed piece by piece.
  void BeforeCommit(const std::string& key, std::function<void(Session&)> fn) {
    for (const auto& [k, f] : before_commit_) {
      if (k == key) {
        return;
      }
    }
    before_commit_.emplace_back(key, std::move(fn));
  }
  void RunBeforeCommit(Session& s) {
    for (auto& [key, fn] : before_commit_) {
      fn(s);
    }
  }
  void Clear() {
    values_.clear();
    on_commit_.clear();
    before_commit_.clear();
  }
  void Committed() {
    for (auto& fn : on_commit_) {
      fn();
    }
    on_commit_.clear();
  }

 private:
  std::map<std::string, std::any> values_;
  std::vector<std::function<void()>> on_commit_;
  std::vector<std::pair<std::string, std::function<void(Session&)>>> before_commit_;
};

struct GroupCommitOptions {
  int lanes = 2;       // batches written at once
  int max_batch = 64;  // pieces of work per transaction
  // The work of a batch is one statement, atomic on its own (a multi-row INSERT that MySQL
  // refuses whole on a duplicate): written in autocommit, without START TRANSACTION and COMMIT
  // around it. Only where a statement that fails changes nothing (not SQLite's ON CONFLICT DO
  // NOTHING, which stores the other rows).
  bool single_statement = false;
  // The batches are first-rank writes (WritesFirst): on SQLite they get the writer turn before
  // writes that can wait.
  bool writes_first = false;
};

struct GroupCommitStats {
  long long batches = 0;
  long long pieces = 0;
  long long replays = 0;       // batches rolled back and replayed piece by piece
  long long idle_wakeups = 0;  // waiting callers woken with nothing to do (spurious)
};

class GroupCommit {
 public:
  using Work = std::function<void(Session&, BatchMemo&)>;

  GroupCommit(Database& db, GroupCommitOptions options = {});
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Blocking (never on the HTTP I/O pool). Returns when `work` is committed; rethrows what it
  // threw (translated like InTransaction) when it failed, and then none of it was committed.
  void Run(const Work& work);

  GroupCommitStats stats() const;

 private:
  struct Piece {
    const Work* work = nullptr;
    bool done = false;
    std::exception_ptr error;
    // Handed by a finishing writer: its caller writes these next (this piece is the first).
    std::vector<Piece*> batch;
    std::condition_variable woken;  // its caller waits here, with mu_
  };
  // The queue's head, up to max_batch pieces. With mu_ held.
  std::vector<Piece*> TakeBatch();
  void Write(const std::vector<Piece*>& batch);

  Database& db_;
  GroupCommitOptions options_;
  mutable std::mutex mu_;
  std::deque<Piece*> queue_;  // guarded by mu_
  int writing_ = 0;           // guarded by mu_: lanes taken (written or handed over)
  GroupCommitStats stats_;    // guarded by mu_
};

}  // namespace opdesk::storage
