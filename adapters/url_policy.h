// What opdesk may connect to. Every URL it fetches passes through here, parsed by the same parser
// the HTTP client uses, so a URL cannot mean one host to the check and another to the connection
// (`https://allowed.example:@attacker.example/` is user info plus attacker.example to both).
#pragma once

#include <string>

namespace opdesk::adapters {

struct Endpoint {
  std::string scheme;  // "https" or "http"
  std::string host;    // lower case; IPv6 without brackets
  int port = 0;        // explicit or the scheme's default
};

// Throws InvalidArgument naming what is wrong (never echoing the URL's query, which may carry
// secrets) unless `url` is an absolute http(s) URL without user info, with a host that is a DNS
// name or an IP literal. Without `allow_insecure` it must also be https on the default port
// 443, and its host must not be loopback, private, link-local or otherwise not public (checked
// on IP literals and on names such as `localhost`; a public name that resolves to a private
// address is the deployment's firewall's to stop).
Endpoint CheckOutboundUrl(const std::string& url, bool allow_insecure);

// "scheme://host[:port]/path" of `url` without user info, query or fragment: for error texts and
// logs.
std::string UrlForLog(const std::string& url);

// Whether two absolute URLs' hosts share their registrable domain (a portal's REST endpoint and
// an address it hands out or redirects to).
bool SameRegistrableDomain(const std::string& url, const std::string& other);

// The registrable part of a host name ("a.bitrix24.ru" → "bitrix24.ru"; "x.com.ru" → "x.com.ru"
// under the few two-label public suffixes portals use); an IP literal is itself.
std::string RegistrableDomain(const std::string& host);

// True for IP literals that are not public unicast addresses (loopback, RFC 1918, CGNAT,
// link-local, unique local, multicast, unspecified, IPv4-mapped forms of those).
bool IsNonPublicAddress(const std::string& ip_literal);

}  // namespace opdesk::adapters
