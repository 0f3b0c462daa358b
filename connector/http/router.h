// Routes: method + path pattern → handler, with per-route limits. Patterns are literal segments,
// `{name}` (one segment) and a final `{name*}` (the rest of the path). The most specific match
// wins (literal over parameter over rest), so `/mango/{key}/ping` beats `/mango/{key}/{rest*}`.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connector/http/message.h"

namespace opdesk::http {

// Handlers run on the blocking executor, never on the HTTP I/O pool; they may use the database.
// They throw opdesk::Error for failures; the server maps it to a JSON error once.
using Handler = std::function<Response(Request&)>;

// Which executor runs a route's handler.
enum class Lane {
  kDefault,  // pages and the UI's API: may wait on a portal's REST answers
  // The PBX's webhooks: answered from the database alone, on threads of their own, so that
  // handlers waiting on a slow portal can never hold up another tenant's call events.
  kIngest,
};

struct RouteOptions {
  // Largest body accepted; 0 means the server default (http.max_body_bytes).
  std::size_t max_body_bytes = 0;
  Lane lane = Lane::kDefault;
};

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  RouteOptions options;
  std::vector<std::string> segments;
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this method and path
  std::map<std::string, std::string> params;
  std::string allowed_methods;  // when the path exists under other methods: "GET, POST"
};

class Router {
 public:
  // Throws Internal on a malformed pattern or a duplicate (method, pattern).
  void Add(const std::string& method, const std::string& pattern, Handler handler,
           RouteOptions options = {});
  RouteMatch Match(const std::string& method, const std::string& path) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace opdesk::http
