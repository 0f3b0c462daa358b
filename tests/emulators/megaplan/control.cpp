// /_emu/: what a test or the sandbox asks of the account. GET state, requests, stats; POST seed
// (reset), faults (the next answers of a path: 403/422/429/500…), tokens/expire (every token
// issued so far answers 401 from now on), config (token_ttl_s), contractors (add one).
#include "tests/emulators/common/util.h"
#include "tests/emulators/megaplan/state.h"

namespace mpemu {
namespace {

HttpOutcome Ok() {
  Json b = Obj();
  b["ok"] = Json::boolean(true);
  return emu::JsonReply(200, b);
}

Json Values(const std::map<std::string, Json>& map) {
  std::vector<Json> items;
  for (const auto& [k, v] : map) {
    items.push_back(v);
  }
  return Json::array(items);
}

}  // namespace

HttpOutcome HandleControl(State& st, const std::string& method, const std::string& path,
                          const std::string& body) {
  std::lock_guard<std::mutex> lock(st.mu);
  Json json = Obj();
  if (!body.empty()) {
    try {
      json = Json::parse(body);
    } catch (const std::exception&) {
      return emu::ErrorReply(400, "body is not JSON");
    }
  }
  if (method == "GET" && path == "/_emu/stats") {
    Json s = Obj();
    s["requests"] = Json::number(static_cast<int64_t>(st.log.size()));
    s["tokens"] = Json::number(static_cast<int64_t>(st.tokens.size()));
    return emu::JsonReply(200, s);
  }
  if (method == "GET" && path == "/_emu/state") {
    Json s = Obj();
    s["contractors"] = Values(st.contractors);
    s["deals"] = Values(st.deals);
    s["comments"] = Json::array(st.comments);
    s["tasks"] = Json::array(st.tasks);
    s["files"] = Json::array(st.files);
    s["employees"] = Values(st.employees);
    return emu::JsonReply(200, s);
  }
  if (method == "GET" && path == "/_emu/requests") {
    Json r = Obj();
    r["requests"] = Json::array(st.log);
    return emu::JsonReply(200, r);
  }
  if (method == "POST" && path == "/_emu/seed") {
    Seed(st);
    st.token_ttl_s = st.opts.token_ttl_s;
    return Ok();
  }
  if (method == "POST" && path == "/_emu/faults") {
    Fault f;
    f.path = Str(json, "path", "/api/v3/");
    f.method = Str(json, "method");
    f.status = static_cast<int>(std::stol(Str(json, "status", "500")));
    f.count = static_cast<int>(std::stol(Str(json, "count", "1")));
    f.retry_after_s = static_cast<int>(std::stol(Str(json, "retry_after", "0")));
    f.message = Str(json, "message");
    f.field = Str(json, "field");
    if (f.status < 400 || f.status > 599 || f.count < 1) {
      return emu::ErrorReply(400, "status must be 400-599 and count >= 1");
    }
    st.faults.push_back(f);
    return Ok();
  }
  if (method == "POST" && path == "/_emu/tokens/expire") {
    const int64_t now = emu::NowMs();
    int64_t n = 0;
    for (auto& [token, t] : st.tokens) {
      if (t.expires_at_ms > now) {
        t.expires_at_ms = now;
        ++n;
      }
    }
    Json r = Obj();
    r["expired"] = Json::number(n);
    return emu::JsonReply(200, r);
  }
  if (method == "POST" && path == "/_emu/config") {
    if (json.has_field("token_ttl_s")) {
      st.token_ttl_s = std::stoll(Str(json, "token_ttl_s", "172800"));
    }
    return Ok();
  }
  if (method == "POST" && path == "/_emu/contractors") {
    Json c = json;
    if (Str(c, "contentType") != "ContractorHuman" &&
        Str(c, "contentType") != "ContractorCompany") {
      return emu::ErrorReply(400, "contentType must be ContractorHuman or ContractorCompany");
    }
    c["id"] = Json::string(st.NextId());
    st.contractors[Str(c, "id")] = c;
    return emu::JsonReply(200, c);
  }
  return emu::ErrorReply(404, "unknown control path " + path);
}

}  // namespace mpemu
