#include "webhooks/mango/event_parser.h"

#include <cpprest/json.h>

#include <climits>

#include "connector/domain/error.h"

namespace opdesk::mango {
namespace {

using web::json::value;

// Mango caps its ids at 128 bytes; anything far longer is not Mango and would bloat storage.
constexpr std::size_t kMaxIdBytes = 1024;

value ParseObject(std::string_view json) {
  value v;
  try {
    v = value::parse(std::string(json));
  } catch (const std::exception& e) {
    throw InvalidArgument(std::string("json is not valid JSON: ") + e.what(), "json");
  }
  if (!v.is_object()) {
    throw InvalidArgument("json must be an object", "json");
  }
  return v;
}

std::string Path(const std::string& prefix, const char* key) {
  return prefix.empty() ? key : prefix + "." + key;
}

// Reads fields of one object, naming fields by their dotted path in errors.
class Reader {
 public:
  Reader(const value& object, std::string prefix) : o_(object), prefix_(std::move(prefix)) {}

  bool Has(const char* key) const { return o_.has_field(key) && !o_.at(key).is_null(); }

  std::string String(const char* key, bool required = false, bool is_id = false) const {
    if (!Has(key)) {
      if (required) {
        throw InvalidArgument(Path(prefix_, key) + " is required", Path(prefix_, key));
      }
      return "";
    }
    const value& v = o_.at(key);
    std::string out;
    if (v.is_string()) {
      out = v.as_string();
    } else if (v.is_number()) {
      out = v.as_number().is_integral() ? std::to_string(v.as_number().to_int64()) : v.serialize();
    } else {
      throw InvalidArgument(Path(prefix_, key) + " must be a string", Path(prefix_, key));
    }
    if (required && out.empty()) {
      throw InvalidArgument(Path(prefix_, key) + " must not be empty", Path(prefix_, key));
    }
    if (is_id && out.size() > kMaxIdBytes) {
      throw InvalidArgument(Path(prefix_, key) + " is too long", Path(prefix_, key));
    }
    return out;
  }

  long long Integer(const char* key, bool required = false) const {
    if (!Has(key)) {
      if (required) {
        throw InvalidArgument(Path(prefix_, key) + " is required", Path(prefix_, key));
      }
      return 0;
    }
    const value& v = o_.at(key);
    if (v.is_number() && v.as_number().is_integral()) {
      return v.as_number().to_int64();
    }
    if (v.is_string()) {
      std::string s = v.as_string();
      s.erase(0, s.find_first_not_of(' '));
      s.erase(s.find_last_not_of(' ') + 1);
      try {
        std::size_t used = 0;
        long long n = std::stoll(s, &used);
        if (used == s.size() && !s.empty()) {
          return n;
        }
      } catch (const std::exception&) {
      }
    }
    throw InvalidArgument(Path(prefix_, key) + " must be an integer", Path(prefix_, key));
  }

  int SmallInt(const char* key, bool required = false) const {
    const long long n = Integer(key, required);
    if (n < INT_MIN || n > INT_MAX) {
      throw InvalidArgument(Path(prefix_, key) + " is out of range", Path(prefix_, key));
    }
    return static_cast<int>(n);
  }

  bool Boolean(const char* key) const {
    if (!Has(key)) {
      return false;
    }
    const value& v = o_.at(key);
    if (v.is_boolean()) {
      return v.as_bool();
    }
    if (v.is_number()) {
      return v.as_number().to_int64() != 0;
    }
    if (v.is_string()) {
      const std::string s = v.as_string();
      if (s == "true" || s == "1") {
        return true;
      }
      if (s == "false" || s == "0" || s.empty()) {
        return false;
      }
    }
    throw InvalidArgument(Path(prefix_, key) + " must be a boolean", Path(prefix_, key));
  }

  Reader Child(const char* key) const {
    static const value kEmpty = value::object();
    if (!Has(key)) {
      return Reader(kEmpty, Path(prefix_, key));
    }
    if (!o_.at(key).is_object()) {
      throw InvalidArgument(Path(prefix_, key) + " must be an object", Path(prefix_, key));
    }
    return Reader(o_.at(key), Path(prefix_, key));
  }

 private:
  const value& o_;
  std::string prefix_;
};

Party ReadParty(const Reader& r) {
  Party p;
  p.extension = r.String("extension");
  p.number = r.String("number");
  p.taken_from_call_id = r.String("taken_from_call_id", false, true);
  p.line_number = r.String("line_number");
  p.acd_group = r.String("acd_group");
  // The documentation spells it was_transferred; production payloads also say was_transfered.
  p.was_transferred = r.Boolean("was_transferred") || r.Boolean("was_transfered");
  p.hold_initiator = r.Boolean("hold_initiator");
  return p;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

CallState ReadState(const Reader& r) {
  const std::string s = Lower(r.String("call_state", true));
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
  throw InvalidArgument("call_state '" + s + "' is unknown", "call_state");
}

Location ReadLocation(const std::string& raw) {
  const std::string s = Lower(raw);
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
  e.entry_id = r.String("entry_id", true, true);
  e.call_id = r.String("call_id", true, true);
  e.timestamp = r.Integer("timestamp");
  e.seq = r.Integer("seq", true);
  if (e.seq < 0) {
    throw InvalidArgument("seq must not be negative", "seq");
  }
  e.state = ReadState(r);
  // One documentation example misspells the key; read it as well.
  e.location_detail = r.Has("location") ? r.String("location") : r.String("locaton");
  e.location = ReadLocation(e.location_detail);
  e.from = ReadParty(r.Child("from"));
  e.to = ReadParty(r.Child("to"));
  e.disconnect_reason = r.SmallInt("disconnect_reason");
  e.transfer = r.String("transfer");
  e.command_id = r.String("command_id", false, true);
  e.callback_initiator = r.String("callback_initiator");
  return e;
}

SummaryEvent ParseSummaryEvent(std::string_view json) {
  const value v = ParseObject(json);
  const Reader r(v, "");
  SummaryEvent s;
  s.entry_id = r.String("entry_id", true, true);
  s.call_direction = r.SmallInt("call_direction");
  s.from = ReadParty(r.Child("from"));
  s.to = ReadParty(r.Child("to"));
  s.line_number = r.String("line_number");
  s.create_time = r.Integer("create_time");
  s.forward_time = r.Integer("forward_time");
  s.talk_time = r.Integer("talk_time");
  s.end_time = r.Integer("end_time");
  s.entry_result = r.SmallInt("entry_result");
  s.disconnect_reason = r.SmallInt("disconnect_reason");
  return s;
}

RecordingEvent ParseRecordingEvent(std::string_view json) {
  const value v = ParseObject(json);
  const Reader r(v, "");
  RecordingEvent e;
  e.recording_id = r.String("recording_id", true, true);
  e.recording_state = r.String("recording_state", true);
  e.seq = r.Integer("seq");
  e.entry_id = r.String("entry_id", false, true);
  e.call_id = r.String("call_id", false, true);
  e.extension = r.String("extension");
  e.timestamp = r.Integer("timestamp");
  e.completion_code = r.SmallInt("completion_code");
  e.recipient = r.String("recipient");
  e.command_id = r.String("command_id", false, true);
  return e;
}

RecordAddedEvent ParseRecordAddedEvent(std::string_view json) {
  const value v = ParseObject(json);
  const Reader r(v, "");
  RecordAddedEvent e;
  e.recording_id = r.String("recording_id", true, true);
  e.entry_id = r.String("entry_id", false, true);
  e.timestamp = r.Integer("timestamp");
  e.user_id = r.String("user_id");
  return e;
}

DtmfEvent ParseDtmfEvent(std::string_view json) {
  const value v = ParseObject(json);
  const Reader r(v, "");
  DtmfEvent e;
  e.entry_id = r.String("entry_id", false, true);
  e.call_id = r.String("call_id", true, true);
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
  e.command_id = r.String("command_id", true, true);
  e.timestamp = r.Integer("timestamp");
  e.reason = r.SmallInt("reason");
  return e;
}

CommandResult ParseCommandResult(std::string_view kind, std::string_view json) {
  const value v = ParseObject(json);
  const Reader r(v, "");
  CommandResult c;
  c.kind = std::string(kind);
  c.command_id = r.String("command_id", true, true);
  c.result = r.SmallInt("result", true);
  return c;
}

}  // namespace opdesk::mango
