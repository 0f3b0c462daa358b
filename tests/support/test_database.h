// Fresh, empty databases for tests: a temp SQLite file, or a new database on the throwaway MariaDB
// server whose URL deploy/test.sh exports as OPDESK_TEST_MYSQL_URL. Dropped when destroyed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "connector/storage/database.h"

namespace opdesk::testing {

// The backends every storage test runs on.
std::vector<std::string> Backends();  // {"sqlite", "mariadb"}

class TestDatabase {
 public:
  // Throws with a clear message when the MariaDB server is not configured: storage tests never
  // pass silently without it.
  explicit TestDatabase(const std::string& backend);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& backend() const { return backend_; }
  // A pool on this database; `migrate` applies the schema first.
  std::unique_ptr<storage::Database> Open(bool migrate = true, int pool_size = 4) const;

 private:
  std::string backend_;
  std::string url_;
  std::string dir_;      // SQLite: temp directory
  std::string db_name_;  // MariaDB: the database created for this test
  std::string server_url_;
};

// A fresh temp directory (removed by the caller or left for inspection on failure).
std::string MakeTempDir(const std::string& prefix);

}  // namespace opdesk::testing
