// Mango Office VPBX notifications as plain values (reference mango.md §2). The webhook layer parses
// the signed form envelope into these; the call model consumes them. Field names follow Mango's,
// with lenient parsing done at the edge (numbers as strings, `was_transfered`, `ivr.N`).
#pragma once

#include <string>

namespace opdesk::mango {

enum class CallState { kAppeared, kConnected, kOnHold, kDisconnected };
enum class Location { kIvr, kQueue, kAbonent, kUnknown };

struct Party {
  std::string extension;  // employee short number, if the party is an employee
  std::string number;     // PSTN E.164 without '+', or sip:…
  std::string taken_from_call_id;
  std::string line_number;  // `to` only: the DID the call came in on
  std::string acd_group;    // `to` only: operator group short number
  bool was_transferred = false;
  bool hold_initiator = false;
};

// events/call: one state change of one leg (call_id) of a call (entry_id).
struct CallEvent {
  std::string entry_id;
  std::string call_id;
  long long timestamp = 0;  // epoch seconds
  long long seq = 0;
  CallState state = CallState::kAppeared;
  Location location = Location::kUnknown;
  std::string location_detail;  // the raw value, e.g. "ivr.2"
  Party from;
  Party to;
  int disconnect_reason = 0;
  std::string transfer;  // consultative, blind, return_blind, or empty
  std::string command_id;
  std::string callback_initiator;
};

// events/summary: the final record of a whole call.
struct SummaryEvent {
  std::string entry_id;
  int call_direction = 0;  // 0 internal, 1 inbound, 2 outbound
  Party from;
  Party to;
  std::string line_number;
  long long create_time = 0;
  long long forward_time = 0;
  long long talk_time = 0;  // 0: no conversation
  long long end_time = 0;
  int entry_result = 0;  // 1 talked, 0 missed
  int disconnect_reason = 0;
};

// events/recording
struct RecordingEvent {
  std::string recording_id;
  std::string recording_state;  // Started, Continued, Completed
  long long seq = 0;
  std::string entry_id;
  std::string call_id;
  std::string extension;
  long long timestamp = 0;
  int completion_code = 0;
  std::string recipient;  // Cloud, Mail, CloudAndMail
  std::string command_id;
};

// events/record/added: the recording is in cloud storage and can be downloaded.
struct RecordAddedEvent {
  std::string entry_id;
  std::string recording_id;
  long long timestamp = 0;
  std::string user_id;
};

struct DtmfEvent {
  std::string entry_id;
  std::string call_id;
  long long seq = 0;
  std::string dtmf;
  std::string location;
  std::string initiator;
  std::string from_number;
  std::string to_number;
  std::string line_number;
  long long timestamp = 0;
};

struct SmsEvent {
  std::string command_id;
  long long timestamp = 0;
  int reason = 0;
};

// result/<kind>: the asynchronous outcome of a command we sent (kind: "callback", "route", …).
struct CommandResult {
  std::string kind;
  std::string command_id;
  int result = 0;  // 1000 success
};

}  // namespace opdesk::mango
