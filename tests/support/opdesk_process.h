// The real `opdesk` binary for end-to-end tests: its own data directory, database (SQLite or a
// fresh MariaDB database) and loopback port, migrated and serving.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "tests/support/process.h"
#include "tests/support/raw_http.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_database.h"

namespace opdesk::testing {

inline constexpr const char* kAdminToken = "e2e-admin-token-0123456789abcdef";

class Opdesk {
 public:
  explicit Opdesk(const std::string& backend, std::map<std::string, std::string> extra_env = {});

  int Migrate();
  // Starts `serve` and waits until /healthz answers; false (with the log) if it did not come up.
  bool Start();

  RawResponse Get(const std::string& target, std::map<std::string, std::string> headers = {});
  RawResponse Post(const std::string& target, const std::string& body,
                   std::map<std::string, std::string> headers = {});

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& dir() const { return dir_.path(); }
  std::string log_path() const { return dir_ / "serve.log"; }
  std::string Log() const { return ReadFile(log_path()); }
  ChildProcess& process() { return *process_; }
  std::map<std::string, std::string>& env() { return env_; }
  std::unique_ptr<storage::Database> OpenDatabase() { return db_.Open(false, 2); }

 private:
  TestDatabase db_;
  ScratchDir dir_;
  int port_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace opdesk::testing
