// The one place where the error vocabulary becomes HTTP: a status code and the JSON body
// {"error": {"code": "...", "message": "...", "field": "...", "request_id": "..."}}.
#pragma once

#include <string>

#include "connector/domain/error.h"
#include "connector/http/message.h"

namespace opdesk::http {

int HttpStatusFor(ErrorCode code);
Response ErrorResponse(int status, std::string_view code, std::string_view message,
                       std::string_view field, std::string_view request_id);
Response ErrorResponse(const Error& error, std::string_view request_id);

}  // namespace opdesk::http
