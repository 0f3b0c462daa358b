// SQLite: the WAL copied into the database file by a thread and a connection of its own.
//
// SQLite's default copies it inside a commit: the connection whose commit takes the WAL past 1,000
// pages copies every page into the database file and syncs both files, while it holds the write
// lock, so every writer of the process waits for that copy and the two fsyncs. Here the copying
// happens beside the writes (a PASSIVE checkpoint takes no write lock), a few times a second; the
// WAL is then started over once it is long: the last few pages are copied in the process's
// writer turn (first rank, it is brief), so that no commit lands meanwhile and the next writer
// finds the WAL fully copied and writes from its start again, over the pages it wrote before
// instead of appending to a growing file. The connections' own automatic checkpoint stays, far
// higher, in case this thread cannot keep up.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace soci {
class session;
}  // namespace soci

namespace opdesk::storage {

class WriterTurn;

struct SqliteCheckpointOptions {
  int interval_ms = 100;       // between copies
  int restart_frames = 4'000;  // a WAL this long (about 16 MB) is started over
};

class SqliteCheckpointer {
 public:
  // Opens its connection (SOCI's sqlite3 connection string) and starts. Throws what SOCI throws
  // when the database cannot be opened.
  SqliteCheckpointer(const std::string& connection_string, WriterTurn& turn,
                     SqliteCheckpointOptions options);
  ~SqliteCheckpointer();  // stops; a copy under way ends first
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

 private:
  void Run();
  // One PASSIVE checkpoint: the WAL's length in frames and how many of them are copied.
  std::pair<int, int> Checkpoint();

  std::unique_ptr<soci::session> sql_;
  WriterTurn& turn_;
  SqliteCheckpointOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace opdesk::storage
