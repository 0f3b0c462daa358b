// Helpers both emulators use: the clock, random ids, and URL encoding as their peers write it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace emu {

int64_t NowMs();
std::string RandomHex(size_t chars);

// application/x-www-form-urlencoded: '+' means space on the way in; everything but the RFC 3986
// unreserved characters is percent-encoded on the way out.
std::string UrlDecode(const std::string& text);
std::string UrlEncode(const std::string& text);

}  // namespace emu
