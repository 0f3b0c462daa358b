// Request data in log lines. A path, query, header, event name or error text that quotes one is
// attacker-controlled: written raw it could end the line and forge a new one ("\r\nevent=...") or
// break the `key=value` and JSON parsing of the line. Every such value goes through these helpers.
#pragma once

#include <string>
#include <string_view>

namespace opdesk {

// Escapes backslash, double quote, CR, LF, tab, every other control character and bytes that are
// not valid UTF-8 (as \\, \", \r, \n, \t, \xHH). The result is one line and safe inside quotes.
std::string EscapeLogText(std::string_view text);

// "<escaped>": for values always written in quotes (path="...", error="...").
std::string LogQuoted(std::string_view text);

// A bare token when the value is plain (non-empty, printable ASCII without spaces, quotes,
// backslashes or '='), otherwise LogQuoted: for `key={}` fields that may hold request data.
std::string LogValue(std::string_view text);

// Replaces control characters (CR, LF and the rest) with escapes and leaves everything else as it
// is: applied by the text log formatter to whole lines as a last defence, so that no message,
// however it was built, can span two lines.
std::string EscapeLogControls(std::string_view line);

}  // namespace opdesk
