#include "connector/http/router.h"

#include <set>

#include "connector/domain/error.h"

namespace opdesk::http {
namespace {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) {
      end = path.size();
    }
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (!out.empty() && out.back().empty() && out.size() > 1) {
    out.pop_back();  // a trailing slash does not make a new resource
  }
  return out;
}

bool IsParam(const std::string& seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}
bool IsRest(const std::string& seg) {
  return IsParam(seg) && seg[seg.size() - 2] == '*';
}

// Per path segment: 2 literal, 1 parameter, 0 covered by {rest*}. Compared lexicographically,
// so the earliest difference decides. Empty: no match.
std::vector<int> Rank(const Route& route, const std::vector<std::string>& parts,
                      std::map<std::string, std::string>* params) {
  std::vector<int> rank;
  const auto& segs = route.segments;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const std::string& seg = segs[i];
    if (IsRest(seg)) {
      std::string rest;
      for (std::size_t j = i; j < parts.size(); ++j) {
        rest += (j > i ? "/" : "") + parts[j];
      }
      if (rest.empty()) {
        return {};
      }
      if (params) {
        (*params)[seg.substr(1, seg.size() - 3)] = rest;
      }
      rank.resize(parts.size(), 0);
      return rank;
    }
    if (i >= parts.size()) {
      return {};
    }
    if (IsParam(seg)) {
      if (parts[i].empty()) {
        return {};
      }
      if (params) {
        (*params)[seg.substr(1, seg.size() - 2)] = parts[i];
      }
      rank.push_back(1);
    } else if (seg == parts[i]) {
      rank.push_back(2);
    } else {
      return {};
    }
  }
  return parts.size() == segs.size() ? rank : std::vector<int>{};
}

}  // namespace

std::string_view ToString(Guard guard) {
  switch (guard) {
    case Guard::kNone:
      return "none";
    case Guard::kSession:
      return "session";
    case Guard::kInstallSession:
      return "install_session";
    case Guard::kSeat:
      return "seat";
    case Guard::kSettingsManager:
      return "settings_manager";
    case Guard::kAdmin:
      return "admin";
    case Guard::kMangoSignature:
      return "mango_signature";
  }
  return "unknown";
}

void Router::Add(const std::string& method, const std::string& pattern, Handler handler,
                 RouteOptions options) {
  AddRoute(method, pattern, Guard::kNone, std::move(handler), options);
}

void Router::Add(const std::string& method, const std::string& pattern, Guard guard,
                 GuardedHandler handler, RouteOptions options) {
  if (guard == Guard::kNone) {
    AddRoute(
        method, pattern, guard,
        [handler = std::move(handler)](Request& r) { return handler(r, Caller{}); }, options);
    return;
  }
  AddRoute(
      method, pattern, guard,
      [this, guard, handler = std::move(handler)](Request& r) {
        const Caller caller = RunGuard(guard, r);
        return handler(r, caller);
      },
      options);
}

void Router::SetGuard(Guard guard, GuardCheck check) {
  guards_[guard] = std::move(check);
}

Caller Router::RunGuard(Guard guard, const Request& request) const {
  const auto it = guards_.find(guard);
  if (it == guards_.end() || !it->second) {
    throw Internal("no check is set up for the guard " + std::string(ToString(guard)));
  }
  return it->second(request);
}

void Router::AddRoute(const std::string& method, const std::string& pattern, Guard guard,
                      Handler handler, RouteOptions options) {
  if (pattern.empty() || pattern.front() != '/') {
    throw Internal("route pattern must start with '/': " + pattern);
  }
  auto route = std::make_unique<Route>();
  route->method = method;
  route->pattern = pattern;
  route->guard = guard;
  route->handler = std::move(handler);
  route->options = options;
  route->segments = SplitPath(pattern);
  for (std::size_t i = 0; i < route->segments.size(); ++i) {
    if (IsRest(route->segments[i]) && i + 1 != route->segments.size()) {
      throw Internal("{name*} must be the last segment: " + pattern);
    }
  }
  for (const auto& r : routes_) {
    if (r->method == method && r->pattern == pattern) {
      throw Internal("duplicate route " + method + " " + pattern);
    }
  }
  routes_.push_back(std::move(route));
}

RouteMatch Router::Match(const std::string& method, const std::string& path) const {
  RouteMatch match;
  if (path.empty() || path.front() != '/') {
    return match;
  }
  const std::vector<std::string> parts = SplitPath(path);
  std::vector<int> best;
  std::set<std::string> other_methods;
  for (const auto& r : routes_) {
    std::vector<int> rank = Rank(*r, parts, nullptr);
    if (rank.empty()) {
      continue;
    }
    if (r->method != method) {
      other_methods.insert(r->method);
      continue;
    }
    if (match.route == nullptr || rank > best) {
      best = std::move(rank);
      match.route = r.get();
    }
  }
  if (match.route != nullptr) {
    Rank(*match.route, parts, &match.params);
    return match;
  }
  for (const auto& m : other_methods) {
    match.allowed_methods += (match.allowed_methods.empty() ? "" : ", ") + m;
  }
  return match;
}

}  // namespace opdesk::http
