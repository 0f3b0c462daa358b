// What the fuzz targets share: the input as a string_view, its first line split off, and
// FUZZ_CHECK, which reports a broken promise of the code under test and aborts so that libFuzzer
// keeps the input as a crash. Not assert(): it must hold in every build type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

#define FUZZ_CHECK(condition)                                                                 \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (false)

namespace opdesk::fuzz {

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// "head\nrest" → {"head", "rest"}; without a newline the head is empty and the rest is all.
inline std::pair<std::string_view, std::string_view> SplitFirstLine(std::string_view text) {
  const std::size_t newline = text.find('\n');
  if (newline == std::string_view::npos) {
    return {std::string_view(), text};
  }
  return {text.substr(0, newline), text.substr(newline + 1)};
}

}  // namespace opdesk::fuzz
