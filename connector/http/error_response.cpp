#include "connector/http/error_response.h"

namespace opdesk::http {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kInternal:
      return 500;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kDeadlineExceeded:
      return 504;
  }
  return 500;
}

Response ErrorResponse(int status, std::string_view code, std::string_view message,
                       std::string_view field, std::string_view request_id) {
  std::string body =
      "{\"error\":{\"code\":" + JsonQuote(code) + ",\"message\":" + JsonQuote(message);
  if (!field.empty()) {
    body += ",\"field\":" + JsonQuote(field);
  }
  body += ",\"request_id\":" + JsonQuote(request_id) + "}}";
  return Response::Json(status, std::move(body));
}

Response ErrorResponse(const Error& error, std::string_view request_id) {
  // Internal details stay in the log; the client gets a stable message and the request id.
  std::string_view message =
      error.code() == ErrorCode::kInternal ? "internal error" : std::string_view(error.what());
  Response r = ErrorResponse(HttpStatusFor(error.code()), ToString(error.code()), message,
                             error.field(), request_id);
  if (error.retry_after_ms()) {
    r.headers.emplace_back("Retry-After", std::to_string((*error.retry_after_ms() + 999) / 1000));
  }
  return r;
}

}  // namespace opdesk::http
