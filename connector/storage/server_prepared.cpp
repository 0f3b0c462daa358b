#include "connector/storage/server_prepared.h"

#include <mysql.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <vector>

namespace opdesk::storage {

struct ServerPrepared::Impl {
  MYSQL_STMT* stmt = nullptr;
  std::vector<MYSQL_BIND> binds;
  std::vector<long long> numbers;    // the integer values bound, by position
  std::vector<unsigned long> sizes;  // the string lengths bound, by position

  [[noreturn]] void Fail(const char* what) const {
    throw soci::mysql_soci_error(std::string(what) + ": " + mysql_stmt_error(stmt),
                                 mysql_stmt_errno(stmt));
  }
};

ServerPrepared::ServerPrepared(soci::session& sql, const std::string& text)
    : impl_(std::make_unique<Impl>()) {
  auto* backend = static_cast<soci::mysql_session_backend*>(sql.get_backend());
  impl_->stmt = mysql_stmt_init(backend->conn_);
  if (impl_->stmt == nullptr) {
    throw soci::mysql_soci_error(
        "cannot allocate a prepared statement: " + std::string(mysql_error(backend->conn_)),
        mysql_errno(backend->conn_));
  }
  if (mysql_stmt_prepare(impl_->stmt, text.data(), text.size()) != 0) {
    const std::string message =
        std::string("cannot prepare a statement: ") + mysql_stmt_error(impl_->stmt);
    const unsigned int number = mysql_stmt_errno(impl_->stmt);
    mysql_stmt_close(impl_->stmt);
    impl_->stmt = nullptr;
    throw soci::mysql_soci_error(message, number);
  }
  const std::size_t n = mysql_stmt_param_count(impl_->stmt);
  impl_->binds.assign(n, MYSQL_BIND{});
  impl_->numbers.assign(n, 0);
  impl_->sizes.assign(n, 0);
}

ServerPrepared::~ServerPrepared() {
  if (impl_->stmt != nullptr) {
    mysql_stmt_close(impl_->stmt);
  }
}

std::size_t ServerPrepared::parameter_count() const {
  return impl_->binds.size();
}

void ServerPrepared::Bind(std::size_t i, const std::string& value) {
  MYSQL_BIND& b = impl_->binds.at(i);
  b = MYSQL_BIND{};
  impl_->sizes[i] = static_cast<unsigned long>(value.size());
  b.buffer_type = MYSQL_TYPE_STRING;
  b.buffer = const_cast<char*>(value.data());
  b.buffer_length = impl_->sizes[i];
  b.length = &impl_->sizes[i];
}

void ServerPrepared::Bind(std::size_t i, long long value) {
  MYSQL_BIND& b = impl_->binds.at(i);
  b = MYSQL_BIND{};
  impl_->numbers[i] = value;
  b.buffer_type = MYSQL_TYPE_LONGLONG;
  b.buffer = &impl_->numbers[i];
}

long long ServerPrepared::Execute() {
  if (!impl_->binds.empty() && mysql_stmt_bind_param(impl_->stmt, impl_->binds.data()) != 0) {
    impl_->Fail("cannot bind a statement's values");
  }
  if (mysql_stmt_execute(impl_->stmt) != 0) {
    impl_->Fail("cannot run a prepared statement");
  }
  return static_cast<long long>(mysql_stmt_affected_rows(impl_->stmt));
}

std::string ManyRows(const std::string& row, std::size_t rows) {
  std::string out;
  out.reserve(rows * (row.size() + 2));
  for (std::size_t r = 0; r < rows; ++r) {
    out += r == 0 ? row : ", " + row;
  }
  return out;
}

}  // namespace opdesk::storage
