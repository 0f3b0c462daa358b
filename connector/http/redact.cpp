#include "connector/http/redact.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace opdesk::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) {
      return out;
    }
    start = end + 1;
  }
}

}  // namespace

bool IsSecretName(std::string_view name) {
  const std::string n = Lower(name);
  // Words that mark a credential wherever they stand in the name.
  static constexpr std::array<std::string_view, 7> kContains = {
      "token", "secret", "password", "api_key", "apikey", "salt", "refresh"};
  for (std::string_view word : kContains) {
    if (n.find(word) != std::string::npos) {
      return true;
    }
  }
  // Words that are credentials only as a whole word: "auth[...]", "AUTH_ID" and "sign" are,
  // "author_id" and "ASSIGNED_BY_ID" are not.
  auto has_word = [&](std::string_view word) {
    for (std::size_t pos = n.find(word); pos != std::string::npos; pos = n.find(word, pos + 1)) {
      const bool starts = pos == 0 || !std::isalpha(static_cast<unsigned char>(n[pos - 1]));
      const std::size_t after = pos + word.size();
      const bool ends = after == n.size() || !std::isalpha(static_cast<unsigned char>(n[after]));
      if (starts && ends) {
        return true;
      }
    }
    return false;
  };
  return has_word("auth") || has_word("authorization") || has_word("sign") ||
         has_word("signature") || n == "code" || has_word("key");
}

std::string MaskSecret(std::string_view value) {
  if (value.size() <= 8) {
    return "***";
  }
  return "***" + std::string(value.substr(value.size() - 4));
}

std::string RedactQuery(std::string_view query) {
  std::string out;
  bool first = true;
  for (std::string_view pair : Split(query, '&')) {
    if (!first) {
      out += '&';
    }
    first = false;
    std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && IsSecretName(pair.substr(0, eq))) {
      out += std::string(pair.substr(0, eq + 1)) + MaskSecret(pair.substr(eq + 1));
    } else {
      out += std::string(pair);
    }
  }
  return out;
}

std::string RedactPath(std::string_view path, std::string_view pattern) {
  std::vector<std::string_view> parts = Split(path, '/');
  std::vector<std::string_view> segs = Split(pattern, '/');
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      out += '/';
    }
    bool secret = false;
    if (i < segs.size() && segs[i].size() > 2 && segs[i].front() == '{') {
      secret = IsSecretName(segs[i].substr(1, segs[i].size() - 2));
    }
    out += secret ? MaskSecret(parts[i]) : std::string(parts[i]);
  }
  return out;
}

}  // namespace opdesk::http
