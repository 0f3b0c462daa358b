#include "connector/domain/log_escape.h"

#include <cstdio>

#include "connector/domain/text.h"

namespace opdesk {
namespace {

void AppendHex(std::string& out, unsigned char c) {
  char buf[5];
  std::snprintf(buf, sizeof buf, "\\x%02x", c);
  out += buf;
}

}  // namespace

std::string EscapeLogText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t len = Utf8SequenceLength(text, i);
      if (len == 0) {
        AppendHex(out, c);
        ++i;
      } else {
        out.append(text.substr(i, len));
        i += len;
      }
      continue;
    }
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          AppendHex(out, c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  return out;
}

std::string LogQuoted(std::string_view text) {
  return "\"" + EscapeLogText(text) + "\"";
}

std::string LogValue(std::string_view text) {
  bool plain = !text.empty();
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    plain = plain && c > 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '=';
  }
  return plain ? std::string(text) : LogQuoted(text);
}

std::string EscapeLogControls(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (char ch : line) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      AppendHex(out, c);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

}  // namespace opdesk
