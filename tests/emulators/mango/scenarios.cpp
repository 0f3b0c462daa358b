// Realistic delays are in milliseconds of real life; the engine divides them by the speed.
#include "tests/emulators/mango/scenarios.h"

#include <map>

namespace mangoemu {

namespace {

// Caller waits in the IVR greeting, then the scheme sends the call on.
std::string Ivr(CallScript& s) {
  return s.Appear(0, "ivr", s.ClientParty(), s.LineTo());
}

// The answered leg talks and the caller hangs up.
void TalkAndEnd(CallScript& s, const std::string& leg, int64_t ring_ms) {
  s.Connect(ring_ms, leg);
  s.Disconnect(60000, leg, 1110);
  s.Summary(400);
}

void InboundAnsweredAfterIvr(CallScript& s) {
  std::string ivr = Ivr(s);
  s.Disconnect(5000, ivr, 1100);
  std::string leg =
      s.Appear(150, "abonent", s.ClientParty(), s.EmployeeTo(s.opts().operator_extension, false));
  TalkAndEnd(s, leg, 8000);
}

void MissedInIvr(CallScript& s) {
  std::string ivr = Ivr(s);
  s.Disconnect(7000, ivr, 1110);
  s.Summary(400);
}

// Group 500 rings 102 and 103 together; `answering` picks up ("" = nobody).
void GroupRing(CallScript& s, const std::string& answering, int end_reason) {
  std::string a = s.Appear(150, "abonent", s.ClientParty(), s.EmployeeTo("102", true));
  std::string b = s.Appear(0, "abonent", s.ClientParty(), s.EmployeeTo("103", true));
  if (answering.empty()) {
    s.Disconnect(20000, a, 1111);
    s.Disconnect(0, b, 1111);
    s.Summary(400);
    return;
  }
  std::string winner = answering == "102" ? a : b;
  std::string loser = answering == "102" ? b : a;
  s.Connect(9000, winner);
  s.Disconnect(0, loser, 1182);
  s.Disconnect(50000, winner, end_reason);
  s.Summary(400);
}

void GroupOneAnswers(CallScript& s) {
  std::string ivr = Ivr(s);
  s.Disconnect(5000, ivr, 1100);
  GroupRing(s, "103", 1120);
}

void MissedInGroup(CallScript& s) {
  std::string ivr = Ivr(s);
  s.Disconnect(5000, ivr, 1100);
  GroupRing(s, "", 0);
}

void Transferred(CallScript& s, const std::string& method) {
  std::string ivr = Ivr(s);
  s.Disconnect(5000, ivr, 1100);
  std::string leg = s.Appear(150, "abonent", s.ClientParty(), s.EmployeeTo("102", false));
  s.Connect(8000, leg);
  PlayTransfer(s, leg, method, "102", "103", "");
}

void Outgoing(CallScript& s) {
  s.set_direction(2);
  Json to = Obj();
  to["number"] = Json::string(s.opts().client);
  std::string leg = s.Appear(0, "abonent", s.EmployeeParty(s.opts().operator_extension), to);
  s.Connect(12000, leg);
  s.Disconnect(90000, leg, 1120);
  s.Summary(400);
}

// The greeting waits for commands/route; without one the scheme goes to group 500.
void InboundWaitsInIvr(CallScript& s) {
  std::string ivr = Ivr(s);
  s.Wait(s.opts().wait_ms);
  s.Disconnect(0, ivr, 1100);
  GroupRing(s, "102", 1110);
}

// commands/callback (reference §2.8 item 2): ring the employee, then dial the customer.
void Callback(CallScript& s) {
  s.set_direction(2);
  const ScenarioOptions& o = s.opts();
  Json extra = Obj();
  extra["command_id"] = Json::string(o.command_id);
  extra["callback_initiator"] = Json::string("API");
  Json line = Obj();
  line["number"] = Json::string(o.line);
  Json employee = s.EmployeeParty(o.extension);
  std::string first = s.Appear(0, "abonent", line, employee, extra);
  s.Result(100, "callback", o.command_id, 1000);
  s.Connect(4000, first);
  s.Disconnect(300, first, 1000);
  Json to = Obj();
  to["number"] = Json::string(o.client);
  std::string second =
      s.Appear(100, "abonent",
               CallScript::With(employee, "taken_from_call_id", Json::string(first)), to, extra);
  s.Connect(10000, second);
  s.Disconnect(60000, second, 1110);
  s.Summary(400);
}

// commands/callback_group (reference §3.2), group first: 102 and 103 ring together, 103 picks up
// and is connected to the client.
void CallbackGroup(CallScript& s) {
  s.set_direction(2);
  const ScenarioOptions& o = s.opts();
  Json extra = Obj();
  extra["command_id"] = Json::string(o.command_id);
  extra["callback_initiator"] = Json::string("API");
  Json line = Obj();
  line["number"] = Json::string(o.line);
  std::string a = s.Appear(0, "abonent", line, s.EmployeeTo("102", true), extra);
  std::string b = s.Appear(0, "abonent", line, s.EmployeeTo("103", true), extra);
  s.Result(100, "callback_group", o.command_id, 1000);
  s.Connect(4000, b);
  s.Disconnect(0, a, 1182);
  s.Disconnect(300, b, 1000);
  Json to = Obj();
  to["number"] = Json::string(o.client);
  std::string second = s.Appear(
      100, "abonent",
      CallScript::With(s.EmployeeParty("103"), "taken_from_call_id", Json::string(b)), to, extra);
  s.Connect(10000, second);
  s.Disconnect(60000, second, 1110);
  s.Summary(400);
}

}  // namespace

void PlayTransfer(CallScript& s, const std::string& call_id, const std::string& method,
                  const std::string& initiator, const std::string& target,
                  const std::string& command_id) {
  Leg l1 = s.LegCopy(call_id);
  bool initiator_is_to = Str(l1.to, "extension") == initiator || Str(l1.to, "number") == initiator;
  // The party that stays on the line and is handed over to the target.
  Json other = initiator_is_to ? l1.from : l1.to;
  if (other.has_field("taken_from_call_id")) {
    other.erase("taken_from_call_id");
  }
  const std::string other_side = initiator_is_to ? "from" : "to";
  Json initiator_party = initiator_is_to ? l1.to : l1.from;
  Json from2 = s.EmployeeParty(Str(initiator_party, "extension", initiator));
  from2["taken_from_call_id"] = Json::string(call_id);
  Json to2 = s.EmployeeTo(target, false);
  bool blind = method == "blind";
  Json extra = Obj();
  extra["transfer"] = Json::string(blind ? "blind" : "consultative");
  if (!command_id.empty()) {
    extra["command_id"] = Json::string(command_id);
  }
  s.Hold(20000, call_id, initiator_is_to);
  std::string l2 = s.Appear(300, "abonent", from2, to2, extra);
  if (!command_id.empty()) {
    s.Result(100, "transfer", command_id, 1000);
  }
  Json handed_over = CallScript::With(other, "taken_from_call_id", Json::string(call_id));
  if (blind) {
    // The initiator drops at once; the target's leg is re-announced with the customer.
    s.Disconnect(500, call_id, 1120, other_side);
    s.Reappear(200, l2, handed_over, extra);
    s.Connect(7000, l2);
  } else {
    // Consultation first; when the initiator hangs up the customer is joined to the target.
    s.Connect(6000, l2);
    s.Disconnect(15000, call_id, 1120, other_side);
    s.Connect(200, l2, handed_over);
  }
  s.Disconnect(40000, l2, 1110);
  s.Summary(400);
}

Script ScriptFor(const std::string& name) {
  static const std::map<std::string, Script> kScripts = {
      {"inbound_answered_after_ivr", InboundAnsweredAfterIvr},
      {"missed_in_ivr", MissedInIvr},
      {"group_one_answers", GroupOneAnswers},
      {"missed_in_group", MissedInGroup},
      {"blind_transfer", [](CallScript& s) { Transferred(s, "blind"); }},
      {"consultative_transfer", [](CallScript& s) { Transferred(s, "hold"); }},
      {"outgoing", Outgoing},
      {"inbound_waits_in_ivr", InboundWaitsInIvr},
      {"callback", Callback},
      {"callback_group", CallbackGroup},
  };
  auto it = kScripts.find(name);
  return it == kScripts.end() ? nullptr : it->second;
}

}  // namespace mangoemu
