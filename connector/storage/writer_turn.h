// SQLite's one writer, taken in turns by this process's write transactions, with two ranks of
// writers: those that hold something up while they wait (a webhook's acknowledgement, the events
// still to be applied to their calls, the brief copy that lets the WAL start over) are given the
// turn before those that can wait (the outbox's claims and results, maintenance). Within a rank the
// turn goes to whichever waiter wakes first.
//
// A write that can wait still gets the turn whenever no write of the first rank is waiting when
// it is handed on; under a load the first rank cannot keep the writer busy on its own, that is
// most turns. It waits longer only while the first rank alone keeps the writer busy, which is
// when the work it would add could not be done anyway without slowing down what comes first.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace opdesk::storage {

// Marks the write transactions this thread opens while it lives as first-rank ones (see
// WriterTurn). Scopes nest; the outermost one decides.
class WritesFirst {
 public:
  WritesFirst();
  ~WritesFirst();
  WritesFirst(const WritesFirst&) = delete;
  WritesFirst& operator=(const WritesFirst&) = delete;
  // Whether the calling thread is in such a scope.
  static bool Here();

 private:
  bool outer_;
};

// A timed lockable (std::unique_lock works with it) whose rank is that of the calling thread.
class WriterTurn {
 public:
  void lock() {
    while (!try_lock_for(std::chrono::hours(1))) {
    }
  }
  bool try_lock() { return try_lock_for(std::chrono::seconds(0)); }
  bool try_lock_for(std::chrono::steady_clock::duration wait);
  void unlock();

  struct Waiting {
    int first = 0;
    int rest = 0;
  };
  // For tests: the writers waiting now, by rank.
  Waiting waiting() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable first_cv_;
  std::condition_variable rest_cv_;
  bool held_ = false;      // guarded by mu_
  int first_waiting_ = 0;  // guarded by mu_
  int rest_waiting_ = 0;   // guarded by mu_
};

}  // namespace opdesk::storage
