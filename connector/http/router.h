// Routes: method + path pattern → handler, with per-route limits. Patterns are literal segments,
// `{name}` (one segment) and a final `{name*}` (the rest of the path). The most specific match
// wins (literal over parameter over rest), so `/mango/{key}/ping` beats `/mango/{key}/{rest*}`.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connector/http/guard.h"
#include "connector/http/message.h"

namespace opdesk::http {

// Handlers run on the blocking executor, never on the HTTP I/O pool; they may use the database.
// They throw opdesk::Error for failures; the server maps it to a JSON error once.
using Handler = std::function<Response(Request&)>;
// The handler of a guarded route: `caller` is what the route's guard proved.
using GuardedHandler = std::function<Response(Request&, const Caller& caller)>;

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
  Guard guard = Guard::kNone;
  Handler handler;  // runs the guard first, then the route's own handler
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
  Router() = default;
  // Guarded routes call back into their router, so it stays where it was built.
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // A public route (Guard::kNone). Throws Internal on a malformed pattern or a duplicate
  // (method, pattern).
  void Add(const std::string& method, const std::string& pattern, Handler handler,
           RouteOptions options = {});
  // A route behind `guard`: each request runs the check registered for it (SetGuard) before
  // `handler`; a refusal is thrown as the check threw it and the handler never runs. A guard with
  // no check registered refuses every request with Internal (fails closed).
  void Add(const std::string& method, const std::string& pattern, Guard guard,
           GuardedHandler handler, RouteOptions options = {});
  // The check behind a guard kind; set by the wiring before the server starts.
  void SetGuard(Guard guard, GuardCheck check);
  RouteMatch Match(const std::string& method, const std::string& path) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  void AddRoute(const std::string& method, const std::string& pattern, Guard guard, Handler handler,
                RouteOptions options);
  Caller RunGuard(Guard guard, const Request& request) const;

  std::vector<std::unique_ptr<Route>> routes_;
  std::map<Guard, GuardCheck> guards_;  // written before the server starts, then only read
};

}  // namespace opdesk::http
