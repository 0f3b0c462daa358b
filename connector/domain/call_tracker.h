// The call model: one Call per Mango entry_id, with its legs per call_id, built from events/call
// and closed by events/summary. Applying an event returns what the CRM must be told (intents):
// register the call once, show the card to each ringing employee, hide it from the others when
// one answers, finish it with the real outcome. Pure logic: no I/O, no clock; the caller stores
// the Call and turns intents into outbox jobs in the same transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "connector/domain/mango_events.h"

namespace opdesk::calls {

enum class Direction { kUnknown, kInbound, kOutgoing, kInternal };

struct Leg {
  std::string call_id;
  std::string extension;  // the employee on this leg (callee inbound, caller outgoing)
  mango::CallState state = mango::CallState::kAppeared;
  mango::Location location = mango::Location::kUnknown;
  long long last_seq = -1;      // the highest seq applied; the leg's state is that event's
  std::vector<long long> seen;  // every seq applied, for exact duplicate detection
  bool connected = false;       // ever
  bool ended = false;
};

// How a finished call went, in Bitrix24's terms.
struct Outcome {
  bool talked = false;
  long long duration_s = 0;
  std::string status_code;  // "200", "304", "486", "603", "480", "404", "403", "402", "484", …
  bool missed_in_ivr = false;
  bool missed_in_group = false;
  int disconnect_reason = 0;
};

struct Call {
  std::string entry_id;
  Direction direction = Direction::kUnknown;
  std::string client_number;  // the outside party
  std::string line_number;
  std::string command_id;  // set when the call came from our own command (click-to-call)
  long long started_at = 0;
  std::map<std::string, Leg> legs;  // by call_id
  // Employees whose phone rang / who talked, ordered by Mango's event time (not by arrival, so
  // reordered delivery keeps "first" and "last" right; ties keep arrival order).
  std::vector<std::string> offered;
  std::vector<std::string> handlers;
  std::map<std::string, long long> offered_at;
  std::map<std::string, long long> talked_at;
  std::vector<std::string> shown;  // employees the card is shown to now
  std::string acd_group;
  bool registered = false;  // the register intent was emitted
  bool finished = false;
  // The route to the responsible was asked for (FEATURES B5): once per call.
  bool route_requested = false;
  // The client (or the repeated call's deal) was asked for at the answer (B1, B3): not again at
  // the summary.
  bool client_requested = false;
  std::optional<Outcome> outcome;
};

enum class IntentKind { kRegister, kShow, kHide, kCreateClient, kFinish, kRoute };

// What to create in the CRM for a call from a number it does not know (FEATURES B1, B2, B8, B10).
enum class ClientAction { kNone, kLead, kClient, kClientAndDeal };

// What a call from a number the CRM knows gets (FEATURES B3): nothing but the call on the client,
// a new deal each time, or a deal only when the client has no open one.
enum class RepeatedCallDeal { kNever, kAlways, kIfNoneOpen };

struct Intent {
  IntentKind kind;
  // kRegister: the employee the card pops for (empty: register without a card, e.g. missed in
  // IVR; the pipeline then uses the tenant's default user). kShow/kHide: the employee.
  // kFinish: the employee the call is finished for (see FinishPolicy; empty: default user).
  // kCreateClient: the responsible of what is created, the same employee as the finish's.
  std::string extension;
  bool show_card = true;                             // kRegister only
  ClientAction client_action = ClientAction::kNone;  // kCreateClient only
  // kCreateClient only: what a known number gets (B3); the job decides once it knows the number.
  RepeatedCallDeal repeated_deal = RepeatedCallDeal::kNever;
  std::string call_id{};  // kRoute: the leg waiting in the greeting
};

// Settings that decide who a finished call belongs to (FEATURES B7–B9) and what is created for a
// new number (B1, B2, B8, B10).
struct FinishPolicy {
  bool responsible_is_last_handler = false;  // B7: on → last employee who talked
  std::string missed_in_ivr_extension;       // B8: employee for calls missed in IVR ("" off)
  std::string missed_in_group_extension;     // B9: employee for calls missed in a group ("" off)
  ClientAction answered_new_number = ClientAction::kNone;          // B1
  ClientAction missed_new_number = ClientAction::kNone;            // B2
  bool outgoing_new_number = false;                                // B10: on → a client
  RepeatedCallDeal repeated_call_deal = RepeatedCallDeal::kNever;  // B3
  bool route_to_responsible = false;                               // B5
};

struct Applied {
  bool duplicate = false;  // seq already seen for this leg: nothing changed
  std::vector<Intent> intents;
};

// Applies one leg notification. A seq already applied for the leg is a duplicate. A late event
// (lower seq than one applied) still contributes its facts — who rang, who answered — without
// rolling the leg's state back, so any delivery order ends in the same call.
//
// With a policy: an inbound call appearing in the IVR greeting asks once for the route to its
// client's responsible (B5, kRoute); the first answer of an inbound call asks at once for the
// client of a new number (B1: "сразу после приема вызова") and for the deal of a known one (B3),
// unless the responsible is the last handler (B7), who is known only at the summary.
Applied ApplyCallEvent(Call& call, const mango::CallEvent& event,
                       const FinishPolicy& policy = FinishPolicy{});

// Closes the call from events/summary: registers it if it never was (missed in IVR), hides cards
// still shown, asks for a client (and deal) when the policy wants one for a new number, and
// finishes it. A second summary changes nothing. Creation comes after the register and before the
// finish, so the card pops without waiting for it and the finish finds the new client.
Applied ApplySummary(Call& call, const mango::SummaryEvent& summary, const FinishPolicy& policy);

// What the policy creates for a finished call if its number turns out to be new: B1 for an
// answered incoming call, B2 for a missed one; a call missed in the IVR only with B8 on and B2's
// auto-creation on (seed 004: B8 and B9 apply "если автоматически создается новый клиент");
// an outgoing call a client with B10. Calls without a number create nothing.
ClientAction ClientActionFor(const Call& call, const FinishPolicy& policy);

// Bitrix24 STATUS_CODE for a Mango disconnect reason of a call without conversation.
std::string MissedStatusCode(int disconnect_reason);

}  // namespace opdesk::calls
