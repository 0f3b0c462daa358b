#include "tests/support/test_database.h"

#include <soci/soci.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "connector/domain/clock.h"
#include "connector/storage/migrations.h"

namespace opdesk::testing {

std::vector<std::string> Backends() {
  return {"sqlite", "mariadb"};
}

std::string MakeTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  return pattern;
}

namespace {
std::string RandomSuffix() {
  std::random_device rd;
  std::mt19937_64 rng(rd());
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// Runs one statement on the server URL's database with a short-lived session.
void Execute(const std::string& url, const std::string& sql) {
  storage::DatabaseOptions options;
  options.url = url;
  options.pool_size = 1;
  storage::Database db(options);
  storage::Session s = db.Lease();
  s.sql() << sql;
}
}  // namespace

TestDatabase::TestDatabase(const std::string& backend) : backend_(backend) {
  if (backend == "sqlite") {
    dir_ = MakeTempDir("opdesk-db");
    url_ = "sqlite://" + dir_ + "/test.db";
    return;
  }
  if (backend != "mariadb") {
    throw std::runtime_error("unknown test backend " + backend);
  }
  const char* server = std::getenv("OPDESK_TEST_MYSQL_URL");
  if (server == nullptr || *server == '\0') {
    throw std::runtime_error(
        "OPDESK_TEST_MYSQL_URL is not set: run the tests through deploy/test.sh, which starts a "
        "throwaway MariaDB server (or start one with deploy/mariadb-throwaway.sh)");
  }
  server_url_ = server;
  db_name_ = "t_" + RandomSuffix();
  Execute(server_url_,
          "CREATE DATABASE " + db_name_ + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
  url_ = server_url_.substr(0, server_url_.rfind('/') + 1) + db_name_;
}

TestDatabase::~TestDatabase() {
  try {
    if (!db_name_.empty()) {
      Execute(server_url_, "DROP DATABASE IF EXISTS " + db_name_);
    }
    if (!dir_.empty()) {
      std::filesystem::remove_all(dir_);
    }
  } catch (const std::exception&) {
    // Cleanup of a throwaway server; nothing to do about a failure here.
  }
}

std::unique_ptr<storage::Database> TestDatabase::Open(bool migrate, int pool_size) const {
  storage::DatabaseOptions options;
  options.url = url_;
  options.pool_size = pool_size;
  auto db = std::make_unique<storage::Database>(options);
  if (migrate) {
    SystemClock clock;
    storage::Migrate(*db, clock);
  }
  return db;
}

}  // namespace opdesk::testing
