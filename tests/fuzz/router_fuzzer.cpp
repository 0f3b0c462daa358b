// The router (connector/http/router.h) with opdesk's own route table: literal segments, {param}
// and a final {rest*}. Input: the method on the first line, then the path. Besides not crashing,
// a match must be for the asked method, fill exactly the pattern's parameters with non-empty
// values, and put them back into the pattern to give the path (less one trailing slash).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "connector/domain/error.h"
#include "connector/http/router.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace opdesk;

// Every route opdesk registers (grep 'router.Add' in connector/ and webhooks/).
const http::Router& Routes() {
  static const http::Router* router = [] {
    static const char* const kRoutes[][2] = {
        {"DELETE", "/api/campaigns/{id}"},
        {"DELETE", "/api/settings/buttons/{id}"},
        {"DELETE", "/api/settings/mango/employees/{extension}"},
        {"DELETE", "/api/settings/roles/{id}"},
        {"DELETE", "/api/settings/scripts/{id}"},
        {"GET", "/api/admin/bitrix24/portals"},
        {"GET", "/api/admin/jobs"},
        {"GET", "/api/admin/tenants/{tenant_id}/plan"},
        {"GET", "/api/b24/status"},
        {"GET", "/api/campaign-calls/{command_id}"},
        {"GET", "/api/campaigns"},
        {"GET", "/api/campaigns/{id}"},
        {"GET", "/api/campaigns/{id}/contacts"},
        {"GET", "/api/campaigns/{id}/export"},
        {"GET", "/api/callcard/client"},
        {"GET", "/api/callcard/context"},
        {"GET", "/api/callcard/presses/{id}"},
        {"GET", "/api/callcard/scripts/{id}"},
        {"GET", "/api/megaplan/account"},
        {"GET", "/api/reception/managers"},
        {"GET", "/api/reception/options"},
        {"GET", "/api/reception/transfer/{id}"},
        {"GET", "/api/settings/audit"},
        {"GET", "/api/settings/buttons"},
        {"GET", "/api/settings/buttons/{id}"},
        {"GET", "/api/settings/crm"},
        {"GET", "/api/settings/integration"},
        {"GET", "/api/settings/reception"},
        {"GET", "/api/settings/reception/departments"},
        {"GET", "/api/settings/reception/departments/{id}/users"},
        {"GET", "/api/settings/mango"},
        {"GET", "/api/settings/mango/employees"},
        {"GET", "/api/settings/roles"},
        {"GET", "/api/settings/roles/{id}"},
        {"GET", "/api/settings/scripts"},
        {"GET", "/api/settings/scripts/{id}"},
        {"GET", "/api/settings/scripts/{id}/export"},
        {"GET", "/api/settings/scripts/{id}/versions"},
        {"GET", "/api/settings/scripts/{id}/versions/{version}"},
        {"GET", "/api/settings/tariff"},
        {"GET", "/api/settings/template-variables"},
        {"GET", "/api/settings/users"},
        {"GET", "/healthz"},
        {"GET", "/megaplan/{host}"},
        {"GET", "/metrics"},
        {"GET", "/readyz"},
        {"GET", "/ui/{path*}"},
        {"POST", "/api/admin/jobs/{id}/retry"},
        {"POST", "/api/b24/setup"},
        {"POST", "/api/callcard/buttons/{id}/press"},
        {"POST", "/api/callcard/buttons/{id}/preview"},
        {"POST", "/api/callcard/runs"},
        {"POST", "/api/campaigns"},
        {"POST", "/api/campaigns/{id}/contacts/delete"},
        {"POST", "/api/campaigns/{id}/contacts/{contact_id}/call"},
        {"POST", "/api/campaigns/{id}/contacts/{contact_id}/open"},
        {"POST", "/api/campaigns/{id}/import"},
        {"POST", "/api/campaigns/{id}/next"},
        {"POST", "/api/campaigns/{id}/state"},
        {"POST", "/api/megaplan/account/sign-in"},
        {"POST", "/api/megaplan/check"},
        {"POST", "/api/megaplan/sign-in"},
        {"POST", "/api/reception/inquiry"},
        {"POST", "/api/reception/transfer"},
        {"POST", "/api/session/renew"},
        {"POST", "/api/settings/buttons"},
        {"POST", "/api/settings/crm/refresh"},
        {"POST", "/api/settings/mango/employees/refresh"},
        {"POST", "/api/settings/roles"},
        {"POST", "/api/settings/scripts"},
        {"POST", "/api/settings/scripts/import"},
        {"POST", "/api/settings/scripts/{id}/duplicate"},
        {"POST", "/api/settings/scripts/{id}/publish"},
        {"POST", "/api/settings/users/refresh"},
        {"POST", "/b24/app"},
        {"POST", "/b24/callcard"},
        {"POST", "/b24/events"},
        {"POST", "/b24/install"},
        {"POST", "/mango/{tenant_key}/{suffix*}"},
        {"PUT", "/api/admin/bitrix24/portals/{member_id}/limits"},
        {"PUT", "/api/admin/tenants/{tenant_id}/plan"},
        {"PUT", "/api/callcard/client"},
        {"PUT", "/api/callcard/runs/{id}"},
        {"PUT", "/api/campaigns/{id}"},
        {"PUT", "/api/campaigns/{id}/contacts/{contact_id}/result"},
        {"PUT", "/api/campaigns/{id}/contacts/{contact_id}/status"},
        {"PUT", "/api/settings/reception"},
        {"PUT", "/api/settings/buttons/{id}"},
        {"PUT", "/api/settings/integration"},
        {"PUT", "/api/settings/mango"},
        {"PUT", "/api/settings/mango/employees/{extension}"},
        {"PUT", "/api/settings/roles/{id}"},
        {"PUT", "/api/settings/scripts/{id}"},
        {"PUT", "/api/settings/users/{user_id}"},
    };
    auto* r = new http::Router();
    for (const auto& [method, pattern] : kRoutes) {
      r->Add(method, pattern, [](http::Request&) { return http::Response(); });
    }
    return r;
  }();
  return *router;
}

// The path the route's pattern gives with `params` put in.
std::string Fill(const http::Route& route, const std::map<std::string, std::string>& params,
                 std::set<std::string>* used) {
  std::string out;
  for (const std::string& seg : route.segments) {
    out += '/';
    const bool param = seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
    if (!param) {
      out += seg;
      continue;
    }
    const bool rest = seg[seg.size() - 2] == '*';
    const std::string name = seg.substr(1, seg.size() - (rest ? 3 : 2));
    const auto it = params.find(name);
    FUZZ_CHECK(it != params.end());
    FUZZ_CHECK(!it->second.empty());
    FUZZ_CHECK(rest || it->second.find('/') == std::string::npos);
    used->insert(name);
    out += it->second;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [method_text, path_text] = fuzz::SplitFirstLine(fuzz::AsText(data, size));
  const std::string method(method_text);
  const std::string path(path_text);
  const http::RouteMatch match = Routes().Match(method, path);
  if (match.route == nullptr) {
    FUZZ_CHECK(match.params.empty());
    // "GET, POST": the path exists under other methods, never under the one asked for.
    std::string_view allowed = match.allowed_methods;
    while (!allowed.empty()) {
      const std::size_t comma = allowed.find(", ");
      FUZZ_CHECK(allowed.substr(0, comma) != method);
      allowed = comma == std::string_view::npos ? std::string_view() : allowed.substr(comma + 2);
    }
    return 0;
  }
  FUZZ_CHECK(match.route->method == method);
  std::set<std::string> used;
  const std::string filled = Fill(*match.route, match.params, &used);
  FUZZ_CHECK(used.size() == match.params.size());
  const bool trailing_slash = path.size() > 1 && path.back() == '/';
  FUZZ_CHECK(filled == (trailing_slash ? path.substr(0, path.size() - 1) : path));
  return 0;
}
