#include "tests/emulators/mango/control.h"

#include "tests/emulators/mango/scenarios.h"

namespace mangoemu {

namespace {

HttpOutcome Ok() {
  Json b = Obj();
  b["ok"] = Json::boolean(true);
  return emu::JsonReply(200, b);
}

Json List(const std::string& key, const std::vector<Json>& items) {
  Json out = Obj();
  out[key] = Json::array(items);
  return out;
}

Json Calls(const State& st) {
  std::vector<Json> calls;
  for (const std::string& id : st.call_order) {
    const Call& c = *st.calls.at(id);
    std::vector<Json> legs;
    for (const Leg& l : c.legs) {
      Json leg = Obj();
      leg["call_id"] = Json::string(l.call_id);
      leg["state"] = Json::string(l.state);
      leg["location"] = Json::string(l.location);
      std::string ext = Str(l.to, "extension");
      leg["extension"] = Json::string(ext.empty() ? Str(l.from, "extension") : ext);
      leg["seq"] = Json::number(l.seq);
      legs.push_back(leg);
    }
    Json j = Obj();
    j["entry_id"] = Json::string(c.entry_id);
    j["scenario"] = Json::string(c.scenario);
    j["done"] = Json::boolean(c.done);
    j["events_planned"] = Json::number(c.events_planned);
    j["events_sent"] = Json::number(c.events_sent);
    j["events_acknowledged"] = Json::number(c.events_acknowledged);
    j["legs"] = Json::array(legs);
    calls.push_back(j);
  }
  return List("calls", calls);
}

Json StatsJson(const State& st) {
  Json s = Obj();
  s["commands"] = Json::number(st.stats.commands);
  s["rejected_rate"] = Json::number(st.stats.rejected_rate);
  s["rejected_sign"] = Json::number(st.stats.rejected_sign);
  s["lockouts"] = Json::number(st.stats.lockouts);
  s["webhooks_sent"] = Json::number(st.stats.webhooks_sent);
  s["webhooks_failed"] = Json::number(st.stats.webhooks_failed);
  return s;
}

Json Config(const State& st) {
  Json c = Obj();
  c["webhook_base"] = Json::string(st.webhook_base);
  c["lockout_ms"] = Json::number(st.lockout_ms);
  c["rate_scale"] = Json::number(st.rate_scale);
  c["command_speed"] = Json::number(st.command_speed);
  c["inbox_status"] = Json::number(st.inbox_status);
  return c;
}

HttpOutcome SetConfig(State& st, const Json& body) {
  if (Find(body, "webhook_base") != nullptr) {
    st.webhook_base = Str(body, "webhook_base");
  }
  st.lockout_ms = Int(body, "lockout_ms", st.lockout_ms);
  st.rate_scale = Num(body, "rate_scale", st.rate_scale);
  st.command_speed = Num(body, "command_speed", st.command_speed);
  st.inbox_status = static_cast<int>(Int(body, "inbox_status", st.inbox_status));
  return emu::JsonReply(200, Config(st));
}

HttpOutcome AddFault(State& st, const Json& body) {
  Fault f;
  f.path = Str(body, "path", "*");
  f.http_status = static_cast<int>(Int(body, "http_status", 503));
  f.code = static_cast<int>(Int(body, "code", 5008));
  f.remaining = static_cast<int>(Int(body, "count", 1));
  f.async = body.has_field("async") && body.at("async").is_boolean() && body.at("async").as_bool();
  if (f.remaining == 0) {
    f.remaining = -1;  // 0 or negative: until cleared
  }
  st.faults.push_back(f);
  return Ok();
}

Json Faults(const State& st) {
  std::vector<Json> faults;
  for (const Fault& f : st.faults) {
    Json j = Obj();
    j["path"] = Json::string(f.path);
    j["http_status"] = Json::number(f.http_status);
    j["code"] = Json::number(f.code);
    j["count"] = Json::number(f.remaining);
    j["async"] = Json::boolean(f.async);
    faults.push_back(j);
  }
  return List("faults", faults);
}

HttpOutcome Scenario(State& st, const Json& body) {
  ScenarioOptions o;
  o.name = Str(body, "name");
  o.entry_id = Str(body, "entry_id");
  o.client = Str(body, "client", o.client);
  o.line = Str(body, "line", o.line);
  o.speed = Num(body, "speed", o.speed);
  o.duplicate = Bool(body, "duplicate", false);
  o.shuffle = Bool(body, "shuffle", false);
  o.seed = static_cast<uint32_t>(Int(body, "seed", 1));
  o.recorded = Bool(body, "recorded", false);
  o.wait_ms = Int(body, "wait_ms", o.wait_ms);
  o.start_time_s = Int(body, "start_time", 0);
  o.extension = Str(body, "extension", "101");
  o.command_id = Str(body, "command_id", "emu-callback");
  o.operator_extension = Str(body, "operator", o.operator_extension);
  if (o.speed <= 0) {
    return emu::ErrorReply(400, "speed must be positive");
  }
  if (o.name == "callback" && st.FindEmployee(o.extension) == nullptr) {
    return emu::ErrorReply(400, "unknown extension " + o.extension);
  }
  if (o.operator_extension.empty() ||
      o.operator_extension.find_first_not_of("0123456789") != std::string::npos) {
    return emu::ErrorReply(400, "operator must be an extension");
  }
  std::string entry_id;
  std::string error;
  int64_t events = StartScenario(st, o, &entry_id, &error);
  if (events < 0) {
    return emu::ErrorReply(400, error);
  }
  Json out = Obj();
  out["entry_id"] = Json::string(entry_id);
  out["events"] = Json::number(events);
  return emu::JsonReply(200, out);
}

// Adds an employee to the VPBX, or changes the one with that extension.
HttpOutcome PutEmployee(State& st, const Json& body) {
  Employee e{Str(body, "extension"), Str(body, "name"), Str(body, "email")};
  if (e.extension.empty() || e.extension.find_first_not_of("0123456789") != std::string::npos) {
    return emu::ErrorReply(400, "extension must be digits");
  }
  for (Employee& existing : st.employees) {
    if (existing.extension == e.extension) {
      existing = e;
      return Ok();
    }
  }
  st.employees.push_back(e);
  return Ok();
}

Json EmployeesJson(const State& st) {
  std::vector<Json> list;
  for (const Employee& e : st.employees) {
    Json j = Obj();
    j["extension"] = Json::string(e.extension);
    j["name"] = Json::string(e.name);
    j["email"] = Json::string(e.email);
    list.push_back(j);
  }
  return List("employees", list);
}

// A webhook receiver for tests: records what arrived and checks it with our own key and salt.
HttpOutcome Inbox(State& st, const std::string& path, const std::string& body) {
  auto form = ParseForm(body);
  Json fields = Obj();
  for (const auto& [k, v] : form) {
    fields[k] = Json::string(v);
  }
  Json e = Obj();
  e["path"] = Json::string(path.substr(std::string("/_emu/inbox/").size()));
  e["form"] = fields;
  std::error_code ec;
  e["json"] = Json::parse(form["json"], ec);
  e["key_ok"] = Json::boolean(form["vpbx_api_key"] == st.opts.api_key);
  e["sign_ok"] = Json::boolean(
      SignMatches(form["sign"], Sign(st.opts.api_key, form["json"], st.opts.api_salt)));
  e["at_ms"] = Json::number(NowMs());
  st.inbox.push_back(e);
  Json reply = Obj();
  reply["success"] = Json::boolean(st.inbox_status >= 200 && st.inbox_status <= 299);
  return emu::JsonReply(st.inbox_status, reply);
}

}  // namespace

HttpOutcome HandleControl(State& st, const std::string& m, const std::string& p,
                          const std::string& body) {
  std::lock_guard<std::mutex> lock(st.mu);
  if (p.rfind("/_emu/inbox/", 0) == 0 && m == "POST") {
    return Inbox(st, p, body);
  }
  Json json = Obj();
  if (!body.empty()) {
    std::error_code ec;
    json = Json::parse(body, ec);
    if (ec) {
      return emu::ErrorReply(400, "invalid JSON body");
    }
  }
  if (p == "/_emu/requests" && m == "GET") {
    return emu::JsonReply(200, List("requests", st.requests));
  }
  if (p == "/_emu/recording_size" && m == "POST") {
    // How large the recordings it serves are (a long call's mp3 runs to tens of megabytes).
    st.recording_bytes = static_cast<std::size_t>(std::max<int64_t>(0, Int(json, "bytes", 0)));
    return Ok();
  }
  if (p == "/_emu/requests/clear" && m == "POST") {
    st.requests.clear();
    return Ok();
  }
  if (p == "/_emu/calls" && m == "GET") {
    return emu::JsonReply(200, Calls(st));
  }
  if (p == "/_emu/stats" && m == "GET") {
    return emu::JsonReply(200, StatsJson(st));
  }
  if (p == "/_emu/config") {
    return m == "POST" ? SetConfig(st, json) : emu::JsonReply(200, Config(st));
  }
  if (p == "/_emu/faults") {
    if (m == "POST") {
      return AddFault(st, json);
    }
    if (m == "DELETE") {
      st.faults.clear();
      return Ok();
    }
    return emu::JsonReply(200, Faults(st));
  }
  if (p == "/_emu/scenario" && m == "POST") {
    return Scenario(st, json);
  }
  if (p == "/_emu/employees") {
    return m == "POST" ? PutEmployee(st, json) : emu::JsonReply(200, EmployeesJson(st));
  }
  if (p == "/_emu/inbox") {
    if (m == "DELETE") {
      st.inbox.clear();
      return Ok();
    }
    return emu::JsonReply(200, List("requests", st.inbox));
  }
  return emu::ErrorReply(404, "unknown control endpoint " + m + " " + p);
}

}  // namespace mangoemu
