// The config keys' validators and the small string helpers they share with the loader.
#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>

#include "adapters/json_read.h"
#include "connector/app/config_detail.h"

namespace opdesk::app::config_detail {

// ---- small string helpers -------------------------------------------------------------------

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) {
    return {};
  }
  const size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

std::string ToLower(std::string_view text) {
  return adapters::AsciiLower(std::string(text));
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string joined(dir);
  while (joined.size() > 1 && joined.back() == '/') {
    joined.pop_back();
  }
  if (joined != "/") {
    joined += '/';
  }
  joined += name;
  return joined;
}

std::string EnvName(std::string_view path) {
  std::string name(kEnvPrefix);
  for (char c : path) {
    name += c == '.' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return name;
}

std::string& Str(Value& value) {
  return std::get<std::string>(value);
}
int Int(const Value& value) {
  return static_cast<int>(std::get<long long>(value));
}

// ---- validators -----------------------------------------------------------------------------

// A TCP port written as 1-65535 in decimal, nothing else.
std::optional<int> ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) {
    return std::nullopt;
  }
  int port = 0;
  for (char c : text) {
    if (!IsDigit(c)) {
      return std::nullopt;
    }
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

ListenAddress ParseListen(std::string_view text) {
  const std::string shown = "'" + std::string(text) + "'";
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) {
      throw BadValue{"unterminated '[' in " + shown};
    }
    const std::string_view address = text.substr(1, close - 1);
    if (address.empty() ||
        address.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos) {
      throw BadValue{"bad IPv6 address in " + shown};
    }
    host = text.substr(0, close + 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.starts_with(':')) {
      throw BadValue{"expected [address]:port, got " + shown};
    }
    port = rest.substr(1);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      throw BadValue{"expected host:port (for example 127.0.0.1:8080), got " + shown};
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      throw BadValue{"an IPv6 address must be in brackets (for example [::1]:8080), got " + shown};
    }
    if (host.empty()) {
      throw BadValue{"missing host in " + shown};
    }
    for (char c : host) {
      if (!IsAlnum(c) && c != '.' && c != '-') {
        throw BadValue{"bad host name in " + shown};
      }
    }
  }
  const std::optional<int> port_number = ParsePort(port);
  if (!port_number) {
    throw BadValue{"port must be a number from 1 to 65535, got " + shown};
  }
  return ListenAddress{std::string(host), *port_number};
}

void ValidateListen(Value& value) {
  ParseListen(Str(value));
}

// Checks http(s)://something and returns the length of the scheme part.
size_t CheckHttpUrl(std::string_view url) {
  size_t scheme = 0;
  if (url.starts_with("http://")) {
    scheme = 7;
  } else if (url.starts_with("https://")) {
    scheme = 8;
  } else {
    throw BadValue{"must start with http:// or https://, got '" + std::string(url) + "'"};
  }
  if (url.size() == scheme || url[scheme] == '/') {
    throw BadValue{"missing host in '" + std::string(url) + "'"};
  }
  if (url.find_first_of(" \t\r\n") != std::string_view::npos) {
    throw BadValue{"must not contain whitespace, got '" + std::string(url) + "'"};
  }
  return scheme;
}

// Stripped so that callers can append "/path" without producing "//path".
void ValidatePublicUrl(Value& value) {
  std::string& url = Str(value);
  CheckHttpUrl(url);
  while (url.ends_with('/')) {
    url.pop_back();
  }
}

// Its origin goes into the call card's Content-Security-Policy header: characters that have no
// place in a URL are refused here, so a typo stops the start instead of weakening the header.
void ValidateFrameSdkUrl(Value& value) {
  const std::string& url = Str(value);
  const size_t scheme = CheckHttpUrl(url);
  if (url.find_first_of("\"'<>\\`;,") != std::string::npos ||
      std::any_of(url.begin(), url.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == '\x7f'; })) {
    throw BadValue{"must be a plain URL (no quotes, '<', '>', '\\', '`', ';' or ','), got '" + url +
                   "'"};
  }
  const std::string_view authority =
      std::string_view(url).substr(scheme, url.find_first_of("/?#", scheme) - scheme);
  if (authority.find('@') != std::string_view::npos) {
    throw BadValue{"must not carry a user name, got '" + url + "'"};
  }
}

// A link a page opens: https only (it leaves the portal's frame), and plain, so it can be put
// in an href as it is.
void ValidateOrderUrl(Value& value) {
  const std::string& url = Str(value);
  if (url.empty()) {
    return;
  }
  if (!url.starts_with("https://")) {
    throw BadValue{"must be empty or start with https://, got '" + url + "'"};
  }
  ValidateFrameSdkUrl(value);
}

// Free text shown as text; control characters other than line breaks would only garble it.
void ValidateContacts(Value& value) {
  const std::string& text = Str(value);
  if (text.size() > 300) {
    throw BadValue{"must be at most 300 bytes"};
  }
  if (std::any_of(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == '\x7f';
      })) {
    throw BadValue{"must not contain control characters other than line breaks"};
  }
}

void ValidateMangoUrl(Value& value) {
  std::string& url = Str(value);
  CheckHttpUrl(url);
  if (!url.ends_with('/')) {
    url += '/';
  }
}

void ValidateNonEmpty(Value& value) {
  if (Str(value).empty()) {
    throw BadValue{"must not be empty"};
  }
}

// A guessable admin token would open every tenant's outbox to anyone; demand some length.
void ValidateAdminToken(Value& value) {
  if (!Str(value).empty() && Str(value).size() < 24) {
    throw BadValue{"must be empty (admin API off) or at least 24 characters"};
  }
}

// Returns what is wrong with the part after "mysql://", if anything. Deliberately shallow: the
// driver does the real parsing; this only catches the mistakes that would otherwise surface as
// an obscure connection error.
std::optional<std::string> MysqlUrlProblem(std::string_view rest) {
  const size_t at = rest.find('@');
  if (at == std::string_view::npos) {
    return "missing user@ before the host";
  }
  const std::string_view user_info = rest.substr(0, at);
  const std::string_view after = rest.substr(at + 1);
  if (user_info.find('/') != std::string_view::npos || after.find('@') != std::string_view::npos) {
    return "the user and password must not contain '@' or '/'";
  }
  if (user_info.substr(0, user_info.find(':')).empty()) {
    return "missing user";
  }
  const size_t slash = after.find('/');
  if (slash == std::string_view::npos || slash + 1 == after.size()) {
    return "missing database name";
  }
  const std::string_view host_port = after.substr(0, slash);
  std::string_view host;
  std::optional<std::string_view> port;
  if (host_port.starts_with('[')) {
    const size_t close = host_port.find(']');
    if (close == std::string_view::npos) {
      return "unterminated '[' in the host";
    }
    host = host_port.substr(1, close - 1);
    const std::string_view rest_of_host = host_port.substr(close + 1);
    if (!rest_of_host.empty()) {
      if (!rest_of_host.starts_with(':')) {
        return "unexpected text after the host";
      }
      port = rest_of_host.substr(1);
    }
  } else {
    const size_t colon = host_port.find(':');
    host = host_port.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = host_port.substr(colon + 1);
    }
  }
  if (host.empty()) {
    return "missing host";
  }
  if (port && !ParsePort(*port)) {
    return "port must be a number from 1 to 65535";
  }
  return std::nullopt;
}

// Never echoes the URL: it may carry a password, and a malformed one cannot be masked reliably.
void ValidateDatabaseUrl(Value& value) {
  const std::string_view url = Str(value);
  if (url.starts_with("sqlite://")) {
    if (url.size() == std::string_view("sqlite://").size()) {
      throw BadValue{"missing file path after sqlite://"};
    }
    return;
  }
  if (url.starts_with("mysql://")) {
    if (std::optional<std::string> problem = MysqlUrlProblem(url.substr(8))) {
      throw BadValue{"must look like mysql://user[:password]@host[:port]/db: " + *problem};
    }
    return;
  }
  std::string got;
  const size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos && scheme_end > 0 &&
      url.substr(0, scheme_end)
              .find_first_not_of(
                  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") ==
          std::string_view::npos) {
    got = " (got a " + std::string(url.substr(0, scheme_end)) + ":// URL)";
  }
  throw BadValue{"must start with sqlite:// or mysql://" + got};
}

void ValidateKeyFileList(Value& value) {
  const std::vector<std::string>& files = std::get<std::vector<std::string>>(value);
  for (size_t i = 0; i < files.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (files[i] == files[j]) {
        throw BadValue{"'" + files[i] + "' is listed twice"};
      }
    }
  }
}

}  // namespace opdesk::app::config_detail
