#include "adapters/url_policy.h"

#include <arpa/inet.h>
#include <cpprest/base_uri.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "connector/domain/error.h"

namespace opdesk::adapters {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool IsV4NonPublic(const unsigned char a[4]) {
  return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 100 && (a[1] & 0xC0) == 64) ||
         (a[0] == 169 && a[1] == 254) || (a[0] == 172 && (a[1] & 0xF0) == 16) ||
         (a[0] == 192 && a[1] == 168) || (a[0] == 192 && a[1] == 0 && a[2] == 0) ||
         (a[0] == 198 && (a[1] & 0xFE) == 18) || a[0] >= 224;
}

// A DNS name as resolvers take it, with a last label that is not all digits: "2130706433" or
// "0x7f.1" would otherwise reach 127.0.0.1 through inet_aton's forms.
bool IsPlainHostName(const std::string& host) {
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.front() == '-') {
    return false;
  }
  for (char c : host) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.')) {
      return false;
    }
  }
  std::string last = host;
  if (last.back() == '.') {
    last.pop_back();
  }
  last = last.substr(last.rfind('.') == std::string::npos ? 0 : last.rfind('.') + 1);
  const bool all_digits =
      std::all_of(last.begin(), last.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  const bool hex_number = last.size() > 1 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X');
  return !last.empty() && !all_digits && !hex_number;
}

bool IsLocalName(const std::string& host) {
  std::string h = host;
  if (!h.empty() && h.back() == '.') {
    h.pop_back();
  }
  auto ends_with = [&](const std::string& suffix) {
    return h.size() >= suffix.size() &&
           h.compare(h.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return h == "localhost" || ends_with(".localhost") || ends_with(".local") ||
         ends_with(".internal") || ends_with(".localdomain") || h.find('.') == std::string::npos;
}

}  // namespace

bool IsNonPublicAddress(const std::string& ip_literal) {
  unsigned char v4[4];
  if (inet_pton(AF_INET, ip_literal.c_str(), v4) == 1) {
    return IsV4NonPublic(v4);
  }
  unsigned char v6[16];
  if (inet_pton(AF_INET6, ip_literal.c_str(), v6) != 1) {
    return false;
  }
  static const std::array<unsigned char, 16> kZero{};
  if (std::memcmp(v6, kZero.data(), 15) == 0 && (v6[15] == 0 || v6[15] == 1)) {
    return true;  // :: and ::1
  }
  const bool mapped = std::memcmp(v6, kZero.data(), 10) == 0 && v6[10] == 0xFF && v6[11] == 0xFF;
  const bool compatible = std::memcmp(v6, kZero.data(), 12) == 0;
  if (mapped || compatible) {
    return IsV4NonPublic(v6 + 12);
  }
  return (v6[0] & 0xFE) == 0xFC ||                     // fc00::/7 unique local
         (v6[0] == 0xFE && (v6[1] & 0xC0) == 0x80) ||  // fe80::/10 link-local
         (v6[0] == 0xFE && (v6[1] & 0xC0) == 0xC0) ||  // fec0::/10 site-local
         v6[0] == 0xFF ||                              // multicast
         (v6[0] == 0x20 && v6[1] == 0x02) ||           // 6to4 may wrap any IPv4
         (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xFF && v6[3] == 0x9B);  // NAT64
}

Endpoint CheckOutboundUrl(const std::string& url, bool allow_insecure) {
  web::uri uri;
  try {
    uri = web::uri(url);
  } catch (const std::exception&) {
    throw InvalidArgument("malformed URL " + UrlForLog(url));
  }
  Endpoint e;
  e.scheme = Lower(uri.scheme());
  if (e.scheme != "https" && !(e.scheme == "http" && allow_insecure)) {
    throw InvalidArgument("only https:// endpoints are allowed (got " +
                          (e.scheme.empty() ? std::string("no scheme") : e.scheme + "://") + ")");
  }
  // Bare '@' anywhere before the path would be user info to some parser.
  const std::size_t authority_start = url.find("://");
  const std::size_t authority_end = url.find_first_of("/?#", authority_start + 3);
  const std::string authority = url.substr(
      authority_start + 3,
      authority_end == std::string::npos ? std::string::npos : authority_end - authority_start - 3);
  if (!uri.user_info().empty() || authority.find('@') != std::string::npos ||
      authority.find('\\') != std::string::npos) {
    throw InvalidArgument("a URL with user info is not allowed (" + Lower(uri.host()) + ")");
  }
  e.host = Lower(uri.host());
  if (e.host.size() > 2 && e.host.front() == '[' && e.host.back() == ']') {
    e.host = e.host.substr(1, e.host.size() - 2);
  }
  unsigned char buf[16];
  const bool ip_literal =
      inet_pton(AF_INET, e.host.c_str(), buf) == 1 || inet_pton(AF_INET6, e.host.c_str(), buf) == 1;
  if (e.host.empty() || (!ip_literal && !IsPlainHostName(e.host))) {
    throw InvalidArgument("the URL's host is not a DNS name or an IP address");
  }
  e.port = uri.port() > 0 ? uri.port() : (e.scheme == "https" ? 443 : 80);
  if (allow_insecure) {
    return e;
  }
  if (e.port != 443) {
    throw InvalidArgument("port " + std::to_string(e.port) + " of " + e.host +
                          " is not allowed: https endpoints use 443");
  }
  if ((ip_literal && IsNonPublicAddress(e.host)) || (!ip_literal && IsLocalName(e.host))) {
    throw InvalidArgument("the host " + e.host + " is not a public address");
  }
  return e;
}

std::string UrlForLog(const std::string& url) {
  std::string out = url.substr(0, url.find_first_of("?#"));
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t path = out.find('/', scheme + 3);
    const std::size_t at = out.rfind('@', path == std::string::npos ? std::string::npos : path);
    if (at != std::string::npos && at > scheme) {
      out.erase(scheme + 3, at - scheme - 2);
    }
  }
  if (out.size() > 200) {
    out = out.substr(0, 200) + "…";
  }
  return out;
}

std::string RegistrableDomain(const std::string& host) {
  std::string h = Lower(host);
  if (!h.empty() && h.back() == '.') {
    h.pop_back();
  }
  unsigned char buf[16];
  if (inet_pton(AF_INET, h.c_str(), buf) == 1 || inet_pton(AF_INET6, h.c_str(), buf) == 1) {
    return h;
  }
  static const char* const kTwoLabelSuffixes[] = {"com.ru", "net.ru", "org.ru", "pp.ru",  "msk.ru",
                                                  "spb.ru", "co.uk",  "com.ua", "com.kz", "com.by",
                                                  "org.uk", "com.br", "com.tr"};
  std::size_t last = h.rfind('.');
  if (last == std::string::npos) {
    return h;
  }
  std::size_t second = h.rfind('.', last - 1);
  if (second == std::string::npos) {
    return h;
  }
  const std::string two = h.substr(second + 1);
  for (const char* suffix : kTwoLabelSuffixes) {
    if (two == suffix) {
      const std::size_t third = second == 0 ? std::string::npos : h.rfind('.', second - 1);
      return third == std::string::npos ? h : h.substr(third + 1);
    }
  }
  return two;
}

bool SameRegistrableDomain(const std::string& url, const std::string& other) {
  const auto host = [](const std::string& u) {
    try {
      return Lower(web::uri(u).host());
    } catch (const std::exception&) {
      return std::string();
    }
  };
  const std::string a = host(url);
  return !a.empty() && RegistrableDomain(a) == RegistrableDomain(host(other));
}

}  // namespace opdesk::adapters
