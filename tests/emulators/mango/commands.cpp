// Commands and queries. Asynchronous commands answer {"result":1000} at once (acceptance); the
// real outcome goes to result/<kind>, either from the playing call (success) or right away
// (failure), as on the real VPBX (reference §3).
#include <algorithm>
#include <vector>

#include "tests/emulators/mango/commands.h"
#include "tests/emulators/mango/scenarios.h"
#include "tests/emulators/mango/webhook.h"

namespace mangoemu {

namespace {

HttpOutcome Accepted() {
  HttpOutcome out;
  out.body = Obj();
  out.body["result"] = Json::number(1000);
  return out;
}

CommandOutcome Error(int code, int status = 400) {
  CommandOutcome c;
  c.code = code;
  c.out.status = status;
  c.out.body = Obj();
  c.out.body["code"] = Json::number(code);
  return c;
}

bool HasAll(const Json& json, const std::vector<const char*>& keys) {
  for (const char* k : keys) {
    if (Str(json, k).empty()) {
      return false;
    }
  }
  return true;
}

// Posts a failure result and still accepts the command, as Mango does.
CommandOutcome FailLater(State& st, const std::string& kind, const std::string& command_id,
                         int result) {
  DeliverWebhookAsync(st, "result/" + kind, ResultJson(command_id, result));
  CommandOutcome c;
  c.out = Accepted();
  c.async_result = result;
  return c;
}

// The live leg and its call, or nullptrs when unknown or already ended.
std::pair<std::shared_ptr<Call>, Leg*> LiveLeg(State& st, const std::string& call_id) {
  auto entry = st.leg_entry.find(call_id);
  if (entry == st.leg_entry.end()) {
    return {nullptr, nullptr};
  }
  auto call = st.calls.find(entry->second);
  if (call == st.calls.end() || call->second->done) {
    return {nullptr, nullptr};
  }
  Leg* leg = call->second->FindLeg(call_id);
  if (leg == nullptr || leg->state == "Disconnected") {
    return {nullptr, nullptr};
  }
  return {call->second, leg};
}

CommandOutcome Callback(State& st, const Json& json) {
  const Json* from = Find(json, "from");
  if (!HasAll(json, {"command_id", "to_number"}) || from == nullptr ||
      Str(*from, "extension").empty()) {
    return Error(3103);
  }
  std::string command_id = Str(json, "command_id");
  std::string ext = Str(*from, "extension");
  std::string to_number = Str(json, "to_number");
  if (st.FindEmployee(ext) == nullptr) {
    return FailLater(st, "callback", command_id, 3330);
  }
  if (to_number == "0000") {
    return FailLater(st, "callback", command_id, 3200);
  }
  ScenarioOptions o;
  o.name = "callback";
  o.extension = ext;
  o.client = to_number;
  o.command_id = command_id;
  o.line = Str(json, "line_number", kLine);
  o.speed = st.command_speed;
  std::string entry_id;
  std::string error;
  if (StartScenario(st, o, &entry_id, &error) < 0) {
    return FailLater(st, "callback", command_id, 5003);
  }
  CommandOutcome c;
  c.out = Accepted();
  return c;
}

// commands/callback_group (reference §3.2): `from` and `to` are plain strings, one of them a group
// short number; line_number is required. The group rings first, then the client.
CommandOutcome CallbackGroup(State& st, const Json& json) {
  const Json* from = Find(json, "from");
  const Json* to = Find(json, "to");
  if (!HasAll(json, {"command_id", "line_number"}) || from == nullptr || to == nullptr ||
      !from->is_string() || !to->is_string() || from->as_string().empty() ||
      to->as_string().empty()) {
    return Error(3103);
  }
  std::string line = Str(json, "line_number");
  for (char c : line) {
    if (c < '0' || c > '9') {
      return Error(3104);
    }
  }
  std::string command_id = Str(json, "command_id");
  bool from_group = from->as_string() == kGroup;
  bool to_group = to->as_string() == kGroup;
  if (!from_group && !to_group) {
    return FailLater(st, "callback_group", command_id, 3330);  // no such group
  }
  std::string client = from_group ? to->as_string() : from->as_string();
  if (client == "0000") {
    return FailLater(st, "callback_group", command_id, 3200);
  }
  ScenarioOptions o;
  o.name = "callback_group";
  o.client = client;
  o.command_id = command_id;
  o.line = line;
  o.speed = st.command_speed;
  std::string entry_id;
  std::string error;
  if (StartScenario(st, o, &entry_id, &error) < 0) {
    return FailLater(st, "callback_group", command_id, 5003);
  }
  CommandOutcome c;
  c.out = Accepted();
  return c;
}

CommandOutcome Route(State& st, const Json& json) {
  if (!HasAll(json, {"command_id", "call_id", "to_number"})) {
    return Error(3103);
  }
  std::string command_id = Str(json, "command_id");
  auto [call, leg] = LiveLeg(st, Str(json, "call_id"));
  if (leg == nullptr) {
    return FailLater(st, "route", command_id, 4101);
  }
  std::string target = Str(json, "to_number");
  if (st.FindEmployee(target) == nullptr) {
    return FailLater(st, "route", command_id, 3200);
  }
  bool routable = leg->state == "Appeared" && (leg->location == "ivr" || leg->location == "queue");
  if (!routable || call->interrupt.has_value()) {
    return FailLater(st, "route", command_id, 4100);
  }
  call->interrupt = Interrupt{"route", leg->call_id, command_id, target, "", ""};
  call->cv.notify_all();
  CommandOutcome c;
  c.out = Accepted();
  return c;
}

CommandOutcome Transfer(State& st, const Json& json) {
  if (!HasAll(json, {"call_id", "method", "to_number", "initiator"})) {
    return Error(3103);
  }
  std::string method = Str(json, "method");
  if (method != "blind" && method != "hold") {
    return Error(3104);
  }
  std::string command_id = Str(json, "command_id");
  auto [call, leg] = LiveLeg(st, Str(json, "call_id"));
  if (leg == nullptr) {
    return FailLater(st, "transfer", command_id, 4101);
  }
  std::string target = Str(json, "to_number");
  if (st.FindEmployee(target) == nullptr) {
    return FailLater(st, "transfer", command_id, 3200);
  }
  std::string initiator = Str(json, "initiator");
  bool party = false;
  for (const Json* side : {&leg->from, &leg->to}) {
    party = party || Str(*side, "extension") == initiator || Str(*side, "number") == initiator;
  }
  if (leg->state != "Connected" || !party || call->interrupt.has_value()) {
    return FailLater(st, "transfer", command_id, 4100);
  }
  call->interrupt = Interrupt{"transfer", leg->call_id, command_id, target, method, initiator};
  call->cv.notify_all();
  CommandOutcome c;
  c.out = Accepted();
  return c;
}

CommandOutcome Hangup(State& st, const Json& json) {
  if (!HasAll(json, {"call_id"})) {
    return Error(3103);
  }
  std::string command_id = Str(json, "command_id");
  auto [call, leg] = LiveLeg(st, Str(json, "call_id"));
  if (leg == nullptr) {
    return FailLater(st, "call/hangup", command_id, 4101);
  }
  if (call->interrupt.has_value()) {
    return FailLater(st, "call/hangup", command_id, 4100);
  }
  call->interrupt = Interrupt{"hangup", leg->call_id, command_id, "", "", ""};
  call->cv.notify_all();
  CommandOutcome c;
  c.out = Accepted();
  return c;
}

// A 302 to a one-time file URL (reference §3.7).
CommandOutcome RecordingPost(State& st, const Json& json) {
  if (!HasAll(json, {"recording_id", "action"})) {
    return Error(3103);
  }
  std::string action = Str(json, "action");
  if (action != "download" && action != "play") {
    return Error(3104);
  }
  std::string id = Str(json, "recording_id");
  if (st.recordings.count(id) == 0) {
    return Error(3320, 404);
  }
  std::string token = RandomHex(32);
  st.file_tokens[token] = id;
  CommandOutcome c;
  c.out.status = 302;
  c.out.headers["Location"] = st.BaseUrl() + "/files/" + token + ".mp3";
  return c;
}

// One user as config/users/request lists them (reference §3.9). Like the real VPBX, numbers come
// as strings or as numbers: the extensions of odd-numbered employees are sent as JSON numbers.
Json UserJson(const Employee& e, const std::vector<std::string>& ext_fields) {
  auto wants = [&](const char* f) {
    return std::find(ext_fields.begin(), ext_fields.end(), f) != ext_fields.end();
  };
  Json general = Obj();
  general["name"] = Json::string(e.name);
  general["email"] = Json::string(e.email);
  general["department"] = Json::string("Продажи");
  general["position"] = Json::string("Менеджер");
  if (wants("general.user_id")) {
    general["user_id"] = Json::number(static_cast<int64_t>(400000 + std::stoll(e.extension)));
  }
  if (wants("general.login")) {
    general["login"] = Json::string(e.extension + "@vpbx400000");
  }
  Json number = Obj();
  number["number"] = Json::string(SipOf(e.extension));
  number["number_normalized"] = Json::string(SipOf(e.extension));
  number["protocol"] = Json::string("sip");
  number["order"] = Json::number(1);
  number["wait_sec"] = Json::string("20");
  number["status"] = Json::string("on");
  Json telephony = Obj();
  const bool odd = !e.extension.empty() && (e.extension.back() - '0') % 2 == 1;
  telephony["extension"] =
      odd ? Json::number(static_cast<int64_t>(std::stoll(e.extension))) : Json::string(e.extension);
  telephony["outgoingline"] = Json::string(kLine);
  telephony["numbers"] = Json::array({number});
  Json user = Obj();
  user["general"] = general;
  user["telephony"] = telephony;
  bool in_group = e.extension == "102" || e.extension == "103";
  user["groups"] = in_group ? Json::array({Json::number(500)}) : Json::array();
  return user;
}

CommandOutcome Users(State& st, const Json& json) {
  std::string filter = Str(json, "extension");
  std::vector<std::string> ext_fields;
  if (const Json* f = Find(json, "ext_fields"); f != nullptr && f->is_array()) {
    for (const Json& x : f->as_array()) {
      if (x.is_string()) {
        ext_fields.push_back(x.as_string());
      }
    }
  }
  std::vector<Json> users;
  for (const Employee& e : st.employees) {
    if (filter.empty() || filter == e.extension) {
      users.push_back(UserJson(e, ext_fields));
    }
  }
  CommandOutcome c;
  c.out.body = Obj();
  c.out.body["users"] = Json::array(users);
  return c;
}

}  // namespace

CommandOutcome RunCommand(State& st, const std::string& path, const Json& json) {
  if (path == "commands/callback") {
    return Callback(st, json);
  }
  if (path == "commands/callback_group") {
    return CallbackGroup(st, json);
  }
  if (path == "commands/route") {
    return Route(st, json);
  }
  if (path == "commands/transfer") {
    return Transfer(st, json);
  }
  if (path == "commands/call/hangup") {
    return Hangup(st, json);
  }
  if (path == "queries/recording/post") {
    return RecordingPost(st, json);
  }
  if (path == "config/users/request") {
    return Users(st, json);
  }
  return Error(4001, 404);
}

HttpOutcome HandleFile(State& st, const std::string& path) {
  std::lock_guard<std::mutex> lock(st.mu);
  HttpOutcome out;
  std::string name = path.substr(path.rfind('/') + 1);
  std::string token = name.size() > 4 ? name.substr(0, name.size() - 4) : "";
  auto it = st.file_tokens.find(token);
  if (it == st.file_tokens.end() || !name.ends_with(".mp3")) {
    out.status = 404;
    out.text = "Not Found";
    out.text_type = "text/plain";
    return out;
  }
  st.file_tokens.erase(it);  // one-time link
  // An ID3v2 header and a few MPEG frame headers: enough to look like an mp3.
  std::string mp3("ID3\x04\x00\x00\x00\x00\x00\x00", 10);
  const std::size_t frames = std::max<std::size_t>(64, st.recording_bytes / 32);
  mp3.reserve(10 + frames * 32);
  for (std::size_t i = 0; i < frames; ++i) {
    mp3 += std::string("\xFF\xFB\x90\x64", 4) + std::string(28, static_cast<char>(i & 0x7F));
  }
  out.text = mp3;
  out.text_type = "audio/mpeg";
  return out;
}

}  // namespace mangoemu
