// A statement prepared on the MariaDB server, kept on one pooled connection (Session::Kept's
// MySQL counterpart). SOCI's MySQL backend sends every statement as text: the server lexes and
// parses each one, and each value is escaped by the client and unescaped by the server. A
// prepared statement is parsed once per connection and takes its values in the binary protocol,
// as they are. Parameters are strings or 64-bit integers, bound by position (`?` in the text).
#pragma once

#include <memory>
#include <string>

#include "connector/storage/database.h"

namespace soci {
class session;
}

namespace opdesk::storage {

class ServerPrepared : public KeptStatement {
 public:
  // Prepares `text` on `sql`'s MySQL connection. Throws soci::mysql_soci_error on failure.
  ServerPrepared(soci::session& sql, const std::string& text);
  ~ServerPrepared() override;
  ServerPrepared(const ServerPrepared&) = delete;
  ServerPrepared& operator=(const ServerPrepared&) = delete;

  std::size_t parameter_count() const;
  // The value of parameter `i` for the next Execute. A string is read in place: it must stay
  // alive and unchanged until then.
  void Bind(std::size_t i, const std::string& value);
  void Bind(std::size_t i, long long value);
  // Runs the statement with the bound values; the rows it changed. Throws soci::mysql_soci_error
  // with the server's error number (1062: a duplicate key; 1213: a deadlock …), as SOCI does.
  long long Execute();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "row, row, …" `rows` times: the VALUES of a many-row INSERT, e.g. ManyRows("(?, ?)", 3).
std::string ManyRows(const std::string& row, std::size_t rows);

}  // namespace opdesk::storage
