// Helpers shared by the telephony method files.
#pragma once

#include <string>

#include "tests/emulators/bitrix24/methods.h"

namespace b24emu {

// USER_ID or USER_PHONE_INNER -> an active user's id; 0 and `error` set otherwise.
int ResolveCallUser(CallContext& ctx, const Json& params, std::string* error);

}  // namespace b24emu
