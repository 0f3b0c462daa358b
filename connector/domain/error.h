// The one error vocabulary of opdesk, shared by every layer.
// Adapters translate library and peer errors into it; connector/http maps it to HTTP in one place,
// and the outbox worker decides retry versus dead letter from the code alone.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace opdesk {

enum class ErrorCode {
  kInvalidArgument,    // the caller sent something wrong; retrying the same thing cannot help
  kNotFound,           // the object does not exist (or belongs to another tenant)
  kUnauthenticated,    // no valid credentials
  kPermissionDenied,   // valid credentials, not allowed
  kConflict,           // stale version, duplicate, state that forbids the change
  kResourceExhausted,  // a limit: rate, size, seats
  kUnavailable,        // a peer or the database is down for now; retry later
  kDeadlineExceeded,   // it took too long; the outcome may be unknown
  kInternal,           // a broken invariant on our side
};

std::string_view ToString(ErrorCode code);

// Whether a failed job with this code may succeed if tried again later.
bool IsRetryable(ErrorCode code);

// The exception every layer throws. `field` names the offending input where there is one
// (a JSON field, a config key, a form parameter); `retry_after_ms` is a hint from a peer.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, std::string field = {})
      : std::runtime_error(std::move(message)), code_(code), field_(std::move(field)) {}

  ErrorCode code() const { return code_; }
  const std::string& field() const { return field_; }
  std::optional<long long> retry_after_ms() const { return retry_after_ms_; }
  Error& WithRetryAfterMs(long long ms) {
    retry_after_ms_ = ms;
    return *this;
  }

 private:
  ErrorCode code_;
  std::string field_;
  std::optional<long long> retry_after_ms_;
};

inline Error InvalidArgument(std::string message, std::string field = {}) {
  return Error(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}
inline Error NotFound(std::string message) {
  return Error(ErrorCode::kNotFound, std::move(message));
}
inline Error Unauthenticated(std::string message) {
  return Error(ErrorCode::kUnauthenticated, std::move(message));
}
inline Error PermissionDenied(std::string message) {
  return Error(ErrorCode::kPermissionDenied, std::move(message));
}
// `field`: "version" for a stale version (the pages offer to reload), or the input at fault.
inline Error Conflict(std::string message, std::string field = {}) {
  return Error(ErrorCode::kConflict, std::move(message), std::move(field));
}
inline Error ResourceExhausted(std::string message) {
  return Error(ErrorCode::kResourceExhausted, std::move(message));
}
inline Error Unavailable(std::string message) {
  return Error(ErrorCode::kUnavailable, std::move(message));
}
inline Error DeadlineExceeded(std::string message) {
  return Error(ErrorCode::kDeadlineExceeded, std::move(message));
}
inline Error Internal(std::string message) {
  return Error(ErrorCode::kInternal, std::move(message));
}

}  // namespace opdesk
