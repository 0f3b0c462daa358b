// Small text rules shared by the settings objects: UTF-8 validity and length in characters (what
// a person counts, not bytes), and trimming. Names and titles are bounded in characters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace opdesk {

// Length of the UTF-8 sequence starting at text[i] (1 for ASCII), or 0 if it is malformed
// (overlong forms, surrogates and values past U+10FFFF are).
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i);
// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool IsValidUtf8(std::string_view text);
// Code points in well-formed UTF-8 text.
std::size_t Utf8Length(std::string_view text);
// The longest prefix of `text` with at most `max_chars` code points.
std::string Utf8Prefix(std::string_view text, std::size_t max_chars);
// Without leading and trailing ASCII white space.
std::string_view TrimSpaces(std::string_view text);

// Throws InvalidArgument(field) unless `text` is UTF-8 of at most `max_chars` characters, and
// (when `required`) not blank. Control characters other than tab and newline are refused.
void CheckText(std::string_view text, std::size_t max_chars, bool required,
               const std::string& field);

}  // namespace opdesk
