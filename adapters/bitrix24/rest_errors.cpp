#include "adapters/bitrix24/rest_errors.h"

namespace opdesk::bitrix24 {

RestErrorKind ClassifyRestError(int http_status, const std::string& error) {
  if (http_status == 302 || http_status == 301) {
    return RestErrorKind::kPortalMoved;
  }
  if (error == "expired_token" || error == "invalid_token") {
    return RestErrorKind::kTokenExpired;
  }
  if (error == "QUERY_LIMIT_EXCEEDED") {
    return RestErrorKind::kRateLimited;
  }
  if (error == "OPERATION_TIME_LIMIT" || http_status == 429) {
    return RestErrorKind::kMethodPaused;
  }
  return RestErrorKind::kFinal;
}

Error ToError(int http_status, const std::string& error, const std::string& description,
              const std::string& method) {
  const std::string text = method + ": " + (error.empty() ? "error" : error) +
                           (description.empty() ? "" : " (" + description + ")");
  if (error == "NO_AUTH_FOUND" || error == "authorization_error" || error == "expired_token" ||
      error == "invalid_token" || error == "METHOD_CONFIRM_WAITING") {
    return Unauthenticated(text);
  }
  if (error == "ACCESS_DENIED" || error == "INVALID_CREDENTIALS" || error == "user_access_error" ||
      error == "insufficient_scope" || error == "WRONG_AUTH_TYPE" || error == "PAYMENT_REQUIRED") {
    return PermissionDenied(text);
  }
  if (error == "ERROR_METHOD_NOT_FOUND" || error == "NOT_FOUND" || error == "OWNER_NOT_FOUND" ||
      description.find("not found") != std::string::npos ||
      description.find("Not found") != std::string::npos) {
    return NotFound(text);
  }
  if (error == "QUERY_LIMIT_EXCEEDED" || error == "OPERATION_TIME_LIMIT") {
    return ResourceExhausted(text);
  }
  if (error == "OVERLOAD_LIMIT" || http_status == 503 || http_status == 502 || http_status == 504) {
    return Unavailable(text);
  }
  if (http_status >= 500) {
    // INTERNAL_SERVER_ERROR and friends: the portal's trouble; the outbox may retry later.
    return Unavailable(text);
  }
  if (http_status >= 400 || !error.empty()) {
    return InvalidArgument(text);
  }
  return Internal(text);
}

}  // namespace opdesk::bitrix24
