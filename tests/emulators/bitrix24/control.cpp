#include "tests/emulators/bitrix24/control.h"
#include "tests/emulators/bitrix24/crm_store.h"

#include <algorithm>

#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

namespace {

HttpOutcome OkReply() {
  Json b = Json::object(true);
  b["ok"] = Json::boolean(true);
  return emu::JsonReply(200, b);
}

Json Stats(const State& st) {
  Json bucket = Json::object(true);
  double level = st.bucket.level;
  if (st.bucket.last_drain_s > 0) {
    level = std::max(0.0, level - (NowS() - st.bucket.last_drain_s) * st.bucket.rate);
  }
  bucket["level"] = Json::number(level);
  bucket["max_level"] = Json::number(st.bucket.max_level);
  bucket["limit_rejections"] = Json::number(st.bucket.rejections);
  bucket["rate"] = Json::number(st.bucket.rate);
  bucket["burst"] = Json::number(st.bucket.burst);
  Json oauth = Json::object(true);
  oauth["refreshes"] = Json::number(st.oauth_refreshes);
  oauth["invalid_grant"] = Json::number(st.oauth_invalid_grant);
  Json s = Json::object(true);
  s["bucket"] = bucket;
  s["oauth"] = oauth;
  s["requests"] = Json::number(st.total_requests);
  return s;
}

HttpOutcome AddFault(State& st, const Json& body) {
  Fault f;
  f.method = ToLower(Str(body, "method", "*"));
  f.status = static_cast<int>(Int(body, "status").value_or(0));
  f.error = Str(body, "error");
  f.description = Str(body, "description");
  f.probability = body.has_field("probability") ? body.at("probability").as_double() : 1.0;
  f.remaining = static_cast<int>(Int(body, "count").value_or(1));
  if (f.remaining == 0) {
    f.remaining = -1;  // 0 or negative: until cleared
  }
  f.delay_ms = static_cast<int>(Int(body, "delay_ms").value_or(0));
  f.operating_reset_in_s = static_cast<int>(Int(body, "operating_reset_in_s").value_or(60));
  if (f.status == 0 && f.delay_ms <= 0) {
    return emu::ErrorReply(400, "a fault needs a status or a delay_ms");
  }
  if (f.status != 0 && f.error.empty()) {
    static const std::map<int, std::string> kDefaults = {{503, "QUERY_LIMIT_EXCEEDED"},
                                                         {429, "OPERATION_TIME_LIMIT"},
                                                         {500, "INTERNAL_SERVER_ERROR"},
                                                         {401, "expired_token"}};
    auto it = kDefaults.find(f.status);
    f.error = it == kDefaults.end() ? "ERROR_CORE" : it->second;
  }
  st.faults.push_back(f);
  return OkReply();
}

Json Faults(const State& st) {
  Json a = Json::array(st.faults.size());
  for (size_t i = 0; i < st.faults.size(); ++i) {
    const Fault& f = st.faults[i];
    Json j = Json::object(true);
    j["method"] = Json::string(f.method);
    j["status"] = Json::number(f.status);
    j["error"] = Json::string(f.error);
    j["count"] = Json::number(f.remaining);
    j["probability"] = Json::number(f.probability);
    j["delay_ms"] = Json::number(f.delay_ms);
    a[i] = j;
  }
  Json out = Json::object(true);
  out["faults"] = a;
  return out;
}

HttpOutcome Echo(State& st, const ControlRequest& req) {
  Json e = Json::object(true);
  e["http_method"] = Json::string(req.http_method);
  e["path"] = Json::string(req.path);
  e["query"] = Json::string(req.query);
  Json query_params = Json::object(true);
  ParseFormInto(query_params, req.query);
  e["query_params"] = query_params;
  Json headers = Json::object(true);
  for (const auto& [k, v] : req.headers) {
    headers[ToLower(k)] = Json::string(v);
  }
  e["headers"] = headers;
  e["body"] = Json::string(req.body);
  // Form fields exactly as sent (flat keys), so tests can check names like auth[access_token].
  Json form = Json::object(true);
  size_t pos = 0;
  while (pos < req.body.size()) {
    size_t amp = req.body.find('&', pos);
    std::string pair =
        req.body.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    pos = amp == std::string::npos ? req.body.size() : amp + 1;
    size_t eq = pair.find('=');
    form[UrlDecode(pair.substr(0, eq))] =
        Json::string(eq == std::string::npos ? "" : UrlDecode(pair.substr(eq + 1)));
  }
  e["form"] = form;
  e["at_ms"] = Json::number(NowMs());
  st.echoes.push_back(e);
  return emu::JsonReply(200, e);
}

}  // namespace

HttpOutcome HandleControl(State& st, const ControlRequest& req) {
  std::lock_guard<std::mutex> lock(st.mu);
  const std::string& m = req.http_method;
  const std::string& p = req.path;
  Json body = Json::object(true);
  if (!req.body.empty() && p != "/_emu/echo") {
    try {
      body = Json::parse(req.body);
    } catch (const std::exception& e) {
      return emu::ErrorReply(400, std::string("invalid JSON body: ") + e.what());
    }
  }
  if (p == "/_emu/bx24.js" && m == "GET") {
    // A stand-in for the portal's frame SDK: just enough for the install page, and it records
    // every installFinish call on the page itself so a browser test can read it from the DOM.
    HttpOutcome out;
    out.text =
        "window.BX24={init:function(cb){setTimeout(cb,0);},"
        "installFinish:function(){var b=document.body;"
        "b.setAttribute('data-install-finished',String((+b.getAttribute("
        "'data-install-finished')||0)+1));}};";
    out.text_type = "application/javascript; charset=utf-8";
    return out;
  }
  if (p == "/_emu/echo") {
    if (m == "GET") {
      Json a = Json::array(st.echoes.size());
      for (size_t i = 0; i < st.echoes.size(); ++i) {
        a[i] = st.echoes[i];
      }
      Json out = Json::object(true);
      out["echoes"] = a;
      return emu::JsonReply(200, out);
    }
    return Echo(st, req);
  }
  if (p == "/_emu/requests" && m == "GET") {
    Json a = Json::array(st.requests.size());
    for (size_t i = 0; i < st.requests.size(); ++i) {
      a[i] = st.requests[i];
    }
    Json out = Json::object(true);
    out["requests"] = a;
    return emu::JsonReply(200, out);
  }
  if (p == "/_emu/requests/clear" && m == "POST") {
    st.requests.clear();
    return OkReply();
  }
  if (p == "/_emu/state" && m == "GET") {
    return emu::JsonReply(200, DumpState(st));
  }
  if (p == "/_emu/seed" && m == "POST") {
    std::string error = SeedMore(st, body);
    return error.empty() ? emu::JsonReply(200, DumpState(st)) : emu::ErrorReply(400, error);
  }
  if (p == "/_emu/crm/delete" && m == "POST") {
    // {"kind": "contact", "id": 5}: a record deleted in the portal (as a user would).
    auto* map = EntityMap(st.data, Str(body, "kind"));
    const int id = static_cast<int>(Int(body, "id").value_or(0));
    if (map == nullptr || map->erase(id) == 0) {
      return emu::ErrorReply(404, "no such record");
    }
    return OkReply();
  }
  if (p == "/_emu/presence" && m == "POST") {
    // {"user_id": 3, "status": "PAUSED", "online": false} or {"timeman": false}.
    if (body.has_field("timeman")) {
      st.data.timeman_enabled = Truthy(body.at("timeman"));
    }
    if (body.has_field("user_id")) {
      const int user = static_cast<int>(Int(body, "user_id").value_or(0));
      auto u = st.data.users.find(user);
      if (u == st.data.users.end()) {
        return emu::ErrorReply(404, "no user " + std::to_string(user));
      }
      if (body.has_field("status")) {
        const std::string status = Str(body, "status");
        if (status != "OPENED" && status != "CLOSED" && status != "PAUSED" && status != "EXPIRED") {
          return emu::ErrorReply(400, "status is OPENED, CLOSED, PAUSED or EXPIRED");
        }
        st.data.timeman[user] = status;
      }
      if (body.has_field("online")) {
        u->second["IS_ONLINE"] = Json::string(Truthy(body.at("online")) ? "Y" : "N");
      }
    }
    return OkReply();
  }
  if (p == "/_emu/reset" && m == "POST") {
    Seed(st);
    st.faults.clear();
    st.uninstalled = false;
    st.bucket.level = 0;
    st.bucket.max_level = 0;
    st.bucket.rejections = 0;
    st.operating.clear();
    return OkReply();
  }
  if (p == "/_emu/stats" && m == "GET") {
    return emu::JsonReply(200, Stats(st));
  }
  if (p == "/_emu/limits" && m == "POST") {
    if (body.has_field("rate")) {
      st.bucket.rate = body.at("rate").as_double();
    }
    if (body.has_field("burst")) {
      st.bucket.burst = body.at("burst").as_double();
    }
    if (body.has_field("level")) {
      st.bucket.level = body.at("level").as_double();
    }
    return emu::JsonReply(200, Stats(st));
  }
  if (p == "/_emu/faults") {
    if (m == "POST") {
      return AddFault(st, body);
    }
    if (m == "DELETE") {
      st.faults.clear();
      return OkReply();
    }
    return emu::JsonReply(200, Faults(st));
  }
  if (p == "/_emu/faults/clear" && m == "POST") {
    st.faults.clear();
    return OkReply();
  }
  if (p == "/_emu/tokens/expire" && m == "POST") {
    double now = NowS();
    for (auto& [token, t] : st.access_tokens) {
      t.expires_at = std::min(t.expires_at, now - 1);
    }
    return OkReply();
  }
  if (p == "/_emu/tokens/issue" && m == "POST") {
    int user = static_cast<int>(Int(body, "user_id").value_or(1));
    if (st.data.users.count(user) == 0) {
      return emu::ErrorReply(400, "unknown user");
    }
    IssuedTokens t = IssueTokens(st, user);
    Json out = Json::object(true);
    out["access_token"] = Json::string(t.access_token);
    out["refresh_token"] = Json::string(t.refresh_token);
    out["expires_in"] = Json::number(t.expires_in);
    out["user_id"] = Json::number(user);
    return emu::JsonReply(200, out);
  }
  if (p == "/_emu/oauth/peers" && m == "POST") {
    // One OAuth server serves every portal: refresh tokens this portal does not know are asked
    // of its peers (other emulated portals of the same test).
    const std::string url = Str(body, "url");
    if (url.rfind("http://127.0.0.1:", 0) != 0) {
      return emu::ErrorReply(400, "url must be an emulator on 127.0.0.1");
    }
    st.oauth_peers.push_back(url);
    Json out = Json::object(true);
    out["peers"] = Json::number(static_cast<int64_t>(st.oauth_peers.size()));
    return emu::JsonReply(200, out);
  }
  if (p == "/_emu/domain" && m == "POST") {
    std::string domain = Str(body, "domain");
    if (domain.empty()) {
      return emu::ErrorReply(400, "domain is required");
    }
    st.domain = domain;
    st.renamed = true;
    st.redirect_host = Str(body, "redirect_host");
    st.redirected_clients.clear();
    Json out = Json::object(true);
    out["domain"] = Json::string(domain);
    out["client_endpoint"] = Json::string(st.ClientEndpoint());
    return emu::JsonReply(200, out);
  }
  return emu::ErrorReply(404, "unknown control endpoint " + m + " " + p);
}

}  // namespace b24emu
