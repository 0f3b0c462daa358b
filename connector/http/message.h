// Plain request and response values that handlers see. Nothing here depends on cpprestsdk: the
// server converts at the edge, so handlers and their tests stay free of the HTTP library.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace opdesk::http {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;
using Params = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;
  std::string path;   // decoded path, no query
  std::string query;  // raw query string, without '?'
  Params query_params;
  std::map<std::string, std::string> path_params;
  Headers headers;
  std::string body;
  std::string request_id;
  std::string route;         // the matched pattern, for logs and metrics
  std::string peer_address;  // the TCP peer (nginx in production)

  // Empty string when absent.
  std::string Header(const std::string& name) const;
  std::string PathParam(const std::string& name) const;
  std::optional<std::string> QueryParam(const std::string& name) const;
  // Who sent the request, for per-client limits: the last X-Forwarded-For hop when the peer is a
  // proxy on loopback (nginx appends the address it saw), else the peer itself.
  std::string ClientAddress() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response Json(int status, std::string body);
  static Response Text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
};

// application/x-www-form-urlencoded (and query strings): '+' is a space, %XX decoded, order and
// repeats kept. Malformed escapes are kept literally rather than rejected.
Params ParseForm(std::string_view text);
std::string PercentDecode(std::string_view text, bool plus_is_space);
// The first value of `name`, if any.
std::optional<std::string> FindParam(const Params& params, const std::string& name);

// A JSON string literal (with quotes) for `text`, escaping what RFC 8259 requires.
std::string JsonQuote(std::string_view text);

}  // namespace opdesk::http
