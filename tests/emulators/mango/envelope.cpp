// Gatekeeping in the order a request meets it: lock-out, form envelope, key, signature, JSON,
// rate limit, injected fault. Every 3xxx answer counts toward the lock-out.
#include <algorithm>

#include "tests/emulators/mango/commands.h"
#include "tests/emulators/mango/webhook.h"

namespace mangoemu {

namespace {

HttpOutcome CodeReply(int status, int code, const std::string& message = "") {
  HttpOutcome out;
  out.status = status;
  out.body = Obj();
  out.body["code"] = Json::number(code);
  if (!message.empty()) {
    out.body["message"] = Json::string(message);
  }
  return out;
}

struct Limit {
  std::string bucket;
  size_t count;
  int64_t window_ms;
};

// Per-VPBX limits from reference §1.4 ("1/2" read as one request per two seconds).
Limit LimitFor(const std::string& path) {
  if (path == "commands/route" || path == "commands/transfer" || path == "config/users/request" ||
      path == "stats/request") {
    return {path, 1, 2000};
  }
  if (path == "commands/callback" || path == "commands/call/hangup" ||
      path == "commands/recording/start") {
    return {path, 4, 1000};
  }
  if (path == "commands/callback_group") {
    return {"commands/callback", 4, 1000};  // counted with commands/callback
  }
  if (path.rfind("queries/recording/", 0) == 0) {
    return {"queries/recording", 10, 1000};
  }
  return {"default", 10, 1000};
}

// Sliding window; only accepted requests occupy it.
bool RateAllows(State& st, const std::string& path, int64_t now) {
  Limit limit = LimitFor(path);
  int64_t window = static_cast<int64_t>(limit.window_ms * st.rate_scale);
  auto& hits = st.rate_hits[limit.bucket];
  while (!hits.empty() && hits.front() <= now - window) {
    hits.pop_front();
  }
  if (hits.size() >= limit.count) {
    return false;
  }
  hits.push_back(now);
  return true;
}

// Returns true when this error starts a lock-out (the second 3xxx within the window).
bool RegisterError(State& st, int64_t now) {
  if (st.first_error_ms == 0 || now - st.first_error_ms >= st.lockout_ms) {
    st.first_error_ms = now;
    return false;
  }
  st.locked_until_ms = st.first_error_ms + st.lockout_ms;
  ++st.stats.lockouts;
  return true;
}

HttpOutcome LockedReply(const State& st) {
  HttpOutcome out = CodeReply(401, 3000, "Access locked after repeated invalid requests");
  out.body["locked_until_ms"] = Json::number(st.locked_until_ms);
  return out;
}

}  // namespace

HttpOutcome HandleVpbx(State& st, const std::string& http_method, const std::string& path,
                       const std::string& body) {
  std::lock_guard<std::mutex> lock(st.mu);
  int64_t now = NowMs();
  Json entry = Obj();
  entry["kind"] = Json::string("command");
  entry["path"] = Json::string(path);
  entry["json"] = Json::null();
  entry["sign_ok"] = Json::boolean(false);
  entry["at_ms"] = Json::number(now);
  HttpOutcome out;
  int code = 0;
  int async_result = 0;
  auto finish = [&](HttpOutcome o) {
    if (code >= 3000 && code <= 3999 && RegisterError(st, now)) {
      o = LockedReply(st);
    }
    entry["http_status"] = Json::number(o.status);
    entry["code"] = Json::number(code);
    if (async_result != 0) {
      entry["async_result"] = Json::number(async_result);
    }
    st.requests.push_back(entry);
    return o;
  };
  if (st.locked_until_ms != 0) {
    if (now < st.locked_until_ms) {
      entry["locked"] = Json::boolean(true);
      return finish(LockedReply(st));
    }
    st.locked_until_ms = 0;
    st.first_error_ms = 0;
  }
  if (http_method != "POST") {
    code = 3101;
    return finish(CodeReply(400, code, "POST required"));
  }
  auto form = ParseForm(body);
  if (form.count("vpbx_api_key") == 0 || form.count("sign") == 0 || form.count("json") == 0) {
    code = 3103;
    return finish(CodeReply(400, code, "vpbx_api_key, sign and json are required"));
  }
  const std::string& raw = form["json"];
  std::error_code ec;
  Json json = Json::parse(raw, ec);
  if (!ec) {
    entry["json"] = json;
  }
  if (form["vpbx_api_key"] != st.opts.api_key) {
    code = 3105;
    return finish(CodeReply(401, code, "Invalid vpbx_api_key"));
  }
  bool sign_ok = SignMatches(form["sign"], Sign(st.opts.api_key, raw, st.opts.api_salt));
  entry["sign_ok"] = Json::boolean(sign_ok);
  if (!sign_ok) {
    code = 3102;
    ++st.stats.rejected_sign;
    return finish(CodeReply(400, code, "Sign mismatch"));
  }
  if (ec) {
    code = 3400;
    return finish(CodeReply(400, code, "Invalid JSON"));
  }
  if (!json.is_object()) {
    code = 3104;
    return finish(CodeReply(400, code, "json must be an object"));
  }
  if (!RateAllows(st, path, now)) {
    ++st.stats.rejected_rate;
    code = 4290;
    HttpOutcome limited;
    limited.status = 429;
    limited.body = Obj();
    limited.body["name"] = Json::string("Service Unavailable");
    limited.body["message"] = Json::string("Rate limit exceeded.");
    limited.body["code"] = Json::number(0);
    limited.body["status"] = Json::number(429);
    return finish(limited);
  }
  for (auto it = st.faults.begin(); it != st.faults.end(); ++it) {
    if (it->path == path || it->path == "*") {
      code = it->code;
      HttpOutcome faulted = CodeReply(it->http_status, it->code);
      if (it->async && path.rfind("commands/", 0) == 0) {
        // Accepted now, failed later through result/<kind>, as Mango does for most refusals.
        code = 1000;
        async_result = it->code;
        DeliverWebhookAsync(st, "result/" + path.substr(9),
                            ResultJson(Str(json, "command_id"), it->code));
        faulted = HttpOutcome{};
        faulted.body = Obj();
        faulted.body["result"] = Json::number(1000);
      }
      if (it->remaining > 0 && --it->remaining == 0) {
        st.faults.erase(it);
      }
      return finish(faulted);
    }
  }
  ++st.stats.commands;
  CommandOutcome result = RunCommand(st, path, json);
  code = result.code;
  async_result = result.async_result;
  return finish(result.out);
}

}  // namespace mangoemu
