#include "webhooks/mango/event_parser.h"

#include <cpprest/json.h>

#include <string>
#include <system_error>

#include "adapters/json_read.h"
#include "connector/domain/error.h"

namespace opdesk::mango {
namespace {

using adapters::AsciiLower;
using adapters::Need;
using web::json::value;
using Reader = adapters::PeerReader;

value ParseObject(std::string_view json) {
  std::error_code error;
  value v = value::parse(std::string(json), error);
  if (error) {
    throw InvalidArgument("json is not valid JSON: " + error.message(), "json");
  }
  if (!v.is_object()) {
    throw InvalidArgument("json must be an object", "json");
  }
  return v;
}

Party ReadParty(const Reader& r) {
  Party p;
  p.extension = r.String("extension");
  p.number = r.String("number");
  p.taken_from_call_id = r.Id("taken_from_call_id");
  p.line_number = r.String("line_number");
  p.acd_group = r.String("acd_group");
  // The documentation spells it was_transferred; production payloads also say was_transfered.
  const bool transferred = r.Boolean("was_transferred");
  const bool transfered = r.Boolean("was_transfered");
  p.was_transferred = transferred || transfered;
  p.hold_initiator = r.Boolean("hold_initiator");
  return p;
}

CallState ReadState(const Reader& r) {
  const std::string raw = r.String("call_state", Need::kRequired);
  const std::string s = AsciiLower(raw);
  if (s == "appeared") {
    return CallState::kAppeared;
  }
  if (s == "connected") {
    return CallState::kConnected;
  }
  if (s == "onhold") {
    return CallState::kOnHold;
  }
  if (s == "disconnected") {
    return CallState::kDisconnected;
  }
  // Bounded echo: the value is peer input and ends up in logs and error bodies.
  r.Fail("call_state", "'" + raw.substr(0, 64) + "' is not a known state");
}

Location ReadLocation(const std::string& raw) {
  const std::string s = AsciiLower(raw);
  // "ivr.N" is the menu item reached by pressing N; still the IVR as far as routing is concerned.
  if (s == "ivr" || s.rfind("ivr.", 0) == 0) {
    return Location::kIvr;
  }
  if (s == "queue") {
    return Location::kQueue;
  }
  if (s == "abonent") {
    return Location::kAbonent;
  }
  return Location::kUnknown;
}

}  // namespace

CallEvent ParseCallEvent(std::string_view json) {
  const value v = ParseObject(json);
  const Reader r(v, "");
  CallEvent e;
  e.entry_id = r.Id("entry_id", Need::kRequired);
  e.call_id = r.Id("call_id", Need::kRequired);
  e.timestamp = r.Integer("timestamp");
  e.seq = r.Integer("seq", Need::kRequired);
  if (e.seq < 0) {
    r.Fail("seq", "must not be negative");
  }
  e.state = ReadState(r);
  // One documentation example misspells the key; read it when the right one is absent.
  e.location_detail = r.Has("location") ? r.String("location") : r.String("locaton");
  e.location = ReadLocation(e.location_detail);
  e.from = ReadParty(r.Child("from"));
  e.to = ReadParty(r.Child("to"));
  e.disconnect_reason = r.Int("disconnect_reason");
  e.transfer = r.String("transfer");
  e.command_id = r.Id("command_id");
  e.callback_initiator = r.String("callback_initiator");
  return e;
}

SummaryEvent ParseSummaryEvent(std::string_view json) {
  const value v = ParseObject(json);
  const Reader r(v, "");
  SummaryEvent s;
  s.entry_id = r.Id("entry_id", Need::kRequired);
  s.call_direction = r.Int("call_direction");
  s.from = ReadParty(r.Child("from"));
  s.to = ReadParty(r.Child("to"));
  s.line_number = r.String("line_number");
  s.create_time = r.Integer("create_time");
  s.forward_time = r.Integer("forward_time");
  s.talk_time = r.Integer("talk_time");
  s.end_time = r.Integer("end_time");
  s.entry_result = r.Int("entry_result");
  s.disconnect_reason = r.Int("disconnect_reason");
  return s;
}

RecordingEvent ParseRecordingEvent(std::string_view json) {
  const value v = ParseObject(json);
  const Reader r(v, "");
  RecordingEvent e;
  e.recording_id = r.Id("recording_id", Need::kRequired);
  e.recording_state = r.String("recording_state", Need::kRequired);
  e.seq = r.Integer("seq");
  e.entry_id = r.Id("entry_id");
  e.call_id = r.Id("call_id");
  e.extension = r.String("extension");
  e.timestamp = r.Integer("timestamp");
  e.completion_code = r.Int("completion_code");
  e.recipient = r.String("recipient");
  e.command_id = r.Id("command_id");
  return e;
}

RecordAddedEvent ParseRecordAddedEvent(std::string_view json) {
  const value v = ParseObject(json);
  const Reader r(v, "");
  RecordAddedEvent e;
  e.recording_id = r.Id("recording_id", Need::kRequired);
  e.entry_id = r.Id("entry_id");
  e.timestamp = r.Integer("timestamp");
  e.user_id = r.String("user_id");
  return e;
}

DtmfEvent ParseDtmfEvent(std::string_view json) {
  const value v = ParseObject(json);
  const Reader r(v, "");
  DtmfEvent e;
  e.entry_id = r.Id("entry_id");
  // Required beyond the reference's list: ingestion de-duplicates DTMF by (call_id, seq).
  e.call_id = r.Id("call_id", Need::kRequired);
  e.seq = r.Integer("seq");
  e.dtmf = r.String("dtmf");
  e.location = r.String("location");
  e.initiator = r.String("initiator");
  e.from_number = r.String("from_number");
  e.to_number = r.String("to_number");
  e.line_number = r.String("line_number");
  e.timestamp = r.Integer("timestamp");
  return e;
}

SmsEvent ParseSmsEvent(std::string_view json) {
  const value v = ParseObject(json);
  const Reader r(v, "");
  SmsEvent e;
  // Required beyond the reference's list: without it the result cannot be tied to our command.
  e.command_id = r.Id("command_id", Need::kRequired);
  e.timestamp = r.Integer("timestamp");
  e.reason = r.Int("reason");
  return e;
}

CommandResult ParseCommandResult(std::string_view kind, std::string_view json) {
  const value v = ParseObject(json);
  const Reader r(v, "");
  CommandResult c;
  c.kind = std::string(kind);
  c.command_id = r.Id("command_id", Need::kRequired);
  c.result = r.Int("result", Need::kRequired);
  return c;
}

}  // namespace opdesk::mango
