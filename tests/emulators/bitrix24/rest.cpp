#include "tests/emulators/bitrix24/rest.h"

#include <cmath>
#include <exception>
#include <random>

#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

Json TimeBlock(State& st, const std::string& method, double start, double finish) {
  auto& window = st.operating[method];
  double now = NowS();
  while (!window.empty() && window.front().first < now - 600) {
    window.pop_front();
  }
  double operating = 0;
  for (const auto& [at, seconds] : window) {
    operating += seconds;
  }
  Json t = Json::object(true);
  t["start"] = Json::number(start);
  t["finish"] = Json::number(finish);
  t["duration"] = Json::number(finish - start);
  t["processing"] = Json::number(finish - start);
  t["date_start"] = Json::string(IsoTime(start));
  t["date_finish"] = Json::string(IsoTime(finish));
  t["operating"] = Json::number(operating);
  // The oldest one-minute bucket drops out of the 10-minute window at this time.
  double oldest = window.empty() ? now : window.front().first;
  t["operating_reset_at"] = Json::number(static_cast<int64_t>(oldest) + 600);
  return t;
}

Json NewLogEntry(State& st, const std::string& http_method, const std::string& path,
                 const std::string& rest_method, const Json& params) {
  Json e = Json::object(true);
  e["seq"] = Json::number(st.next_seq++);
  e["http_method"] = Json::string(http_method);
  e["path"] = Json::string(path);
  e["rest_method"] = Json::string(rest_method);
  e["params"] = params;
  e["auth"] = Json::string(Str(params, "auth"));
  e["user_id"] = Json::null();
  e["status"] = Json::number(0);
  e["error"] = Json::string("");
  e["at_ms"] = Json::number(NowMs());
  return e;
}

size_t LogRequest(State& st, Json entry) {
  st.requests.push_back(std::move(entry));
  return st.requests.size() - 1;
}

std::optional<Fault> TakeFault(State& st, const std::string& method, bool exact_only) {
  thread_local std::mt19937_64 rng(std::random_device{}());
  for (size_t i = 0; i < st.faults.size(); ++i) {
    Fault& f = st.faults[i];
    if (f.method != method && (exact_only || f.method != "*")) {
      continue;
    }
    if (f.probability < 1.0) {
      // Probabilistic faults stay until DELETE /_emu/faults.
      if (std::uniform_real_distribution<double>(0, 1)(rng) < f.probability) {
        return f;
      }
      continue;
    }
    Fault hit = f;
    if (f.remaining > 0 && --f.remaining == 0) {
      st.faults.erase(st.faults.begin() + static_cast<long>(i));
    }
    return hit;
  }
  return std::nullopt;
}

MethodResult FaultResult(State& st, const Fault& fault, const std::string& method) {
  std::string description = fault.description;
  if (description.empty()) {
    if (fault.error == "QUERY_LIMIT_EXCEEDED") {
      description = "Too many requests";
    } else if (fault.error == "OPERATION_TIME_LIMIT") {
      description = "Method is blocked due to operation time limit.";
    } else if (fault.error == "expired_token") {
      description = "The access token provided has expired.";
    } else {
      description = "Internal server error";
    }
  }
  MethodResult r = Fail(fault.status, fault.error, description);
  if (fault.status == 429) {
    double now = NowS();
    Json t = TimeBlock(st, method, now, now);
    t["operating_reset_at"] = Json::number(static_cast<int64_t>(now) + fault.operating_reset_in_s);
    r.extra["time"] = t;
  }
  return r;
}

Json ErrorBody(const MethodResult& r) {
  Json body = Json::object(true);
  body["error"] = Json::string(r.error);
  body["error_description"] = Json::string(r.description);
  for (const auto& [k, v] : r.extra.as_object()) {
    body[k] = v;
  }
  return body;
}

MethodResult RunMethod(CallContext& ctx, const std::string& method, const Json& params) {
  const auto& table = Methods();
  auto it = table.find(method);
  if (it == table.end()) {
    return Fail(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
  }
  double t0 = NowS();
  MethodResult r;
  try {
    r = it->second(ctx, params);
  } catch (const std::exception& e) {
    // A malformed parameter type the handler did not anticipate; the portal answers 400 too.
    r = Fail(400, "ERROR_ARGUMENT", std::string("Invalid argument: ") + e.what());
  }
  ctx.st.operating[method].emplace_back(NowS(), NowS() - t0);
  return r;
}

namespace {

// Drains the bucket and tries to add one request; false means 503.
bool BucketAdmit(State& st) {
  Bucket& b = st.bucket;
  double now = NowS();
  if (b.last_drain_s > 0) {
    b.level = std::max(0.0, b.level - (now - b.last_drain_s) * b.rate);
  }
  b.last_drain_s = now;
  if (b.level + 1 > b.burst) {
    ++b.rejections;
    return false;
  }
  b.level += 1;
  b.max_level = std::max(b.max_level, b.level);
  return true;
}

HttpOutcome Finish(State& st, size_t log_index, const MethodResult& r, const std::string& method,
                   double start) {
  HttpOutcome out;
  out.status = r.status;
  if (r.ok()) {
    Json body = Json::object(true);
    body["result"] = r.result;
    if (r.total) {
      body["total"] = Json::number(*r.total);
    }
    if (r.next) {
      body["next"] = Json::number(*r.next);
    }
    body["time"] = TimeBlock(st, method, start, NowS());
    out.body = body;
  } else {
    out.body = ErrorBody(r);
  }
  st.requests[log_index]["status"] = Json::number(r.status);
  st.requests[log_index]["error"] = Json::string(r.error);
  return out;
}

}  // namespace

HttpOutcome HandleRest(State& st, const RestRequest& req) {
  double start = NowS();
  ++st.total_requests;
  Json entry = NewLogEntry(st, req.http_method, req.path, req.rest_method, req.params);
  int64_t seq = entry.at("seq").as_number().to_int64();
  size_t idx = LogRequest(st, entry);
  std::string token = Str(req.params, "auth");

  // Rename: the first call of each client (keyed by its token) through the old path gets a 302.
  if (st.renamed && req.path.rfind("/rest/", 0) == 0 &&
      st.redirected_clients.insert(token.empty() ? "-" : token).second) {
    HttpOutcome out;
    out.status = 302;
    out.body = Json::null();
    const std::string host =
        st.redirect_host.empty() ? "127.0.0.1:" + std::to_string(st.opts.port) : st.redirect_host;
    std::string target = "http://" + host + "/renamed" + req.path;
    out.headers["Location"] = req.query.empty() ? target : target + "?" + req.query;
    st.requests[idx]["status"] = Json::number(302);
    return out;
  }
  if (!BucketAdmit(st)) {
    return Finish(st, idx, Fail(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"), req.rest_method,
                  start);
  }
  auto tok = st.access_tokens.find(token);
  if (token.empty() || tok == st.access_tokens.end()) {
    return Finish(st, idx, Fail(401, "NO_AUTH_FOUND", "Wrong authorization data"), req.rest_method,
                  start);
  }
  st.requests[idx]["user_id"] = Json::number(tok->second.user_id);
  if (tok->second.revoked) {
    return Finish(st, idx, Fail(401, "invalid_token", "Unable to get application by token"),
                  req.rest_method, start);
  }
  if (tok->second.expires_at <= NowS()) {
    return Finish(st, idx, Fail(401, "expired_token", "The access token provided has expired."),
                  req.rest_method, start);
  }
  HttpOutcome out;
  if (auto fault = TakeFault(st, req.rest_method, false)) {
    if (fault->status != 0) {
      out = Finish(st, idx, FaultResult(st, *fault, req.rest_method), req.rest_method, start);
      out.delay_ms = fault->delay_ms;
      return out;
    }
    out.delay_ms = fault->delay_ms;
  }
  CallContext ctx{st, tok->second.user_id, false};
  auto user = st.data.users.find(ctx.user_id);
  ctx.admin = user != st.data.users.end() &&
              Truthy(Find(user->second, "ADMIN") != nullptr ? user->second.at("ADMIN")
                                                            : Json::boolean(false));
  MethodResult r = req.rest_method == "batch" ? RunBatch(ctx, req.params, seq)
                                              : RunMethod(ctx, req.rest_method, req.params);
  int delay = out.delay_ms;
  out = Finish(st, idx, r, req.rest_method, start);
  out.delay_ms = delay;
  return out;
}

}  // namespace b24emu
