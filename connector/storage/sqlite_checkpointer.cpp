#include "connector/storage/sqlite_checkpointer.h"

#include <pthread.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

#include "connector/storage/writer_turn.h"

namespace opdesk::storage {

SqliteCheckpointer::SqliteCheckpointer(const std::string& connection_string, WriterTurn& turn,
                                       SqliteCheckpointOptions options)
    : sql_(std::make_unique<soci::session>(soci::sqlite3, connection_string)),
      turn_(turn),
      options_(options) {
  // A copy that meets another process's checkpoint gives up at once and tries again later.
  *sql_ << "PRAGMA busy_timeout=0";
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "sqlite-ckpt");
    Run();
  });
}

SqliteCheckpointer::~SqliteCheckpointer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::pair<int, int> SqliteCheckpointer::Checkpoint() {
  int busy = 0;
  int frames = 0;
  int copied = 0;
  *sql_ << "PRAGMA wal_checkpoint(PASSIVE)", soci::into(busy), soci::into(frames),
      soci::into(copied);
  return {frames, copied};
}

void SqliteCheckpointer::Run() {
  std::unique_lock lock(mu_);
  while (
      !cv_.wait_for(lock, std::chrono::milliseconds(options_.interval_ms), [&] { return stop_; })) {
    lock.unlock();
    try {
      auto [frames, copied] = Checkpoint();
      // Long enough to start over: first copy what was committed during that copy, still
      // beside the writes, so that little is left for the turn.
      for (int i = 0; i < 3 && frames >= options_.restart_frames && frames - copied > 64; ++i) {
        std::tie(frames, copied) = Checkpoint();
      }
      if (frames >= options_.restart_frames) {
        // First rank: the copy is brief, and every writer gains from a WAL started over (its
        // pages are written over instead of appended to a growing file).
        WritesFirst first;
        std::unique_lock turn(turn_, std::defer_lock);
        if (turn.try_lock_for(std::chrono::seconds(1))) {
          Checkpoint();
        }
      }
    } catch (const std::exception& e) {
      spdlog::warn("event=sqlite_checkpoint_failed error=\"{}\"", e.what());
    }
    lock.lock();
  }
}

}  // namespace opdesk::storage
