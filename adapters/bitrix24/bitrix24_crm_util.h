// Helpers shared by the Bitrix24Crm source files only (not a public header).
#pragma once

#include <string>

#include "adapters/bitrix24/rest_client.h"
#include "adapters/crm.h"

namespace opdesk::bitrix24 {

inline CallOptions ToCallOptions(const adapters::RequestOptions& options, bool idempotent) {
  CallOptions out;
  out.user_id = options.as_user;
  out.idempotent = idempotent;
  out.deadline = options.deadline;
  return out;
}

// Bitrix24 writes numbers and booleans as strings in many places ("Y", "10"); read both.
// A number is read as an integer (ids, sort orders, days).
std::string IntText(const web::json::value& v, const char* key);
bool Flag(const web::json::value& v, const char* key, bool fallback);

}  // namespace opdesk::bitrix24
