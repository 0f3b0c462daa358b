#include "webhooks/mango/event_parser.h"

#include <cpprest/json.h>

#include <charconv>
#include <climits>
#include <string>
#include <system_error>

#include "connector/domain/error.h"

namespace opdesk::mango {
namespace {

using web::json::value;

// Mango caps its ids at 128 bytes; anything far longer is not Mango and would bloat storage.
constexpr std::size_t kMaxIdBytes = 1024;

enum class Need { kOptional, kRequired };

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

std::string AsciiLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return s;
}

std::string_view TrimBlanks(std::string_view s) {
  const std::size_t first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// Reads the fields of one JSON object, naming each by its dotted path ("from.extension") in errors.
// Only const access (has_field, at): the non-const operator[] would insert what it looks up.
class Reader {
 public:
  Reader(const value& object, std::string prefix) : object_(object), prefix_(std::move(prefix)) {}

  // Absent and null are the same: Mango sends null for some unset optional fields.
  bool Has(const char* key) const { return object_.has_field(key) && !object_.at(key).is_null(); }

  // A string, or a number written out (an extension may arrive as 101).
  std::string String(const char* key, Need need = Need::kOptional) const {
    if (!Has(key)) {
      Missing(key, need);
      return "";
    }
    const value& v = object_.at(key);
    std::string out;
    if (v.is_string()) {
      out = v.as_string();
    } else if (v.is_number()) {
      // Integers are written from the exact value; serialize() covers the rest (uint64, double).
      out = v.as_number().is_int64() ? std::to_string(v.as_number().to_int64()) : v.serialize();
    } else {
      Fail(key, "must be a string");
    }
    if (need == Need::kRequired && out.empty()) {
      Fail(key, "must not be empty");
    }
    return out;
  }

  // An id we key storage on: a string as above, bounded in length.
  std::string Id(const char* key, Need need = Need::kOptional) const {
    std::string out = String(key, need);
    if (out.size() > kMaxIdBytes) {
      Fail(key, "is longer than " + std::to_string(kMaxIdBytes) + " bytes");
    }
    return out;
  }

  // A JSON integer within int64, or a string holding one (blanks around it allowed).
  long long Integer(const char* key, Need need = Need::kOptional) const {
    if (!Has(key)) {
      Missing(key, need);
      return 0;
    }
    const value& v = object_.at(key);
    if (v.is_number()) {
      // is_int64 and not is_integral: a uint64 above INT64_MAX would wrap in to_int64().
      if (v.as_number().is_int64()) {
        return v.as_number().to_int64();
      }
      Fail(key, "must be an integer within 64 bits");
    }
    if (v.is_string()) {
      const std::string text = v.as_string();
      const std::string_view digits = TrimBlanks(text);
      long long n = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (!digits.empty() && ec == std::errc() && end == digits.data() + digits.size()) {
        return n;
      }
    }
    Fail(key, "must be an integer");
  }

  // An integer that must fit the int fields of the domain types (codes, enums).
  int Int(const char* key, Need need = Need::kOptional) const {
    const long long n = Integer(key, need);
    if (n < INT_MIN || n > INT_MAX) {
      Fail(key, "is out of range");
    }
    return static_cast<int>(n);
  }

  // true/false, 1/0, or those as strings; absent or empty is false.
  bool Boolean(const char* key) const {
    if (!Has(key)) {
      return false;
    }
    const value& v = object_.at(key);
    if (v.is_boolean()) {
      return v.as_bool();
    }
    if (v.is_number() && v.as_number().is_int64()) {
      const long long n = v.as_number().to_int64();
      if (n == 0 || n == 1) {
        return n == 1;
      }
    }
    if (v.is_string()) {
      const std::string s = AsciiLower(std::string(TrimBlanks(v.as_string())));
      if (s == "true" || s == "1") {
        return true;
      }
      // Mango leaves unset optional values empty elsewhere (acd_group); read that as "no".
      if (s == "false" || s == "0" || s.empty()) {
        return false;
      }
    }
    Fail(key, "must be a boolean");
  }

  // A nested object; an absent one reads as empty so its optional fields default.
  Reader Child(const char* key) const {
    static const value kEmpty = value::object();
    if (!Has(key)) {
      return Reader(kEmpty, PathOf(key));
    }
    const value& v = object_.at(key);
    if (!v.is_object()) {
      Fail(key, "must be an object");
    }
    return Reader(v, PathOf(key));
  }

  std::string PathOf(const char* key) const {
    return prefix_.empty() ? std::string(key) : prefix_ + "." + key;
  }

  [[noreturn]] void Fail(const char* key, const std::string& what) const {
    const std::string path = PathOf(key);
    throw InvalidArgument(path + " " + what, path);
  }

 private:
  void Missing(const char* key, Need need) const {
    if (need == Need::kRequired) {
      Fail(key, "is required");
    }
  }

  const value& object_;
  std::string prefix_;
};

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
