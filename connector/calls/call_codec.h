// The call model as stored in calls.state_json. Every field is written; reading tolerates missing
// fields (a row written by an older version) by leaving their defaults.
#pragma once

#include <string>

#include "connector/domain/call_tracker.h"

namespace opdesk::mango {

std::string EncodeCall(const calls::Call& call);
// Throws Internal on a row that is not a call (storage corruption).
calls::Call DecodeCall(const std::string& json);

std::string ToString(calls::Direction direction);

}  // namespace opdesk::mango
