// How a Bitrix24 REST error answer becomes the error vocabulary (reference bitrix24.md §2.3). The
// REST client handles expired tokens, QUERY_LIMIT_EXCEEDED and OPERATION_TIME_LIMIT itself; this
// maps what remains for the caller and the outbox (retry or dead letter).
#pragma once

#include <string>

#include "connector/domain/error.h"

namespace opdesk::bitrix24 {

enum class RestErrorKind {
  kTokenExpired,  // expired_token, invalid_token: refresh and retry once
  kRateLimited,   // 503 QUERY_LIMIT_EXCEEDED: not executed; back off and resend
  kMethodPaused,  // 429 OPERATION_TIME_LIMIT: this method only, until operating_reset_at
  kPortalMoved,   // 302: the portal was renamed
  kFinal,         // anything else: map with ToError
};

RestErrorKind ClassifyRestError(int http_status, const std::string& error);

// The error for a failed call. `method` is named in the message; the portal's own description is
// kept because operators and the dead-letter list need it.
Error ToError(int http_status, const std::string& error, const std::string& description,
              const std::string& method);

}  // namespace opdesk::bitrix24
