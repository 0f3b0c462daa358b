#include "connector/domain/call_tracker.h"

#include <algorithm>

namespace opdesk::calls {
namespace {

template <typename T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void AddOnce(std::vector<std::string>& v, const std::string& x) {
  if (!x.empty() && !Contains(v, x)) {
    v.push_back(x);
  }
}

void Remove(std::vector<std::string>& v, const std::string& x) {
  v.erase(std::remove(v.begin(), v.end(), x), v.end());
}

// Keeps `list` ordered by the earliest time each employee was seen in `times`.
void AddByTime(std::vector<std::string>& list, std::map<std::string, long long>& times,
               const std::string& x, long long at) {
  if (x.empty()) {
    return;
  }
  auto [it, inserted] = times.emplace(x, at);
  if (!inserted && it->second <= at) {
    return;
  }
  it->second = std::min(it->second, at);
  Remove(list, x);
  auto pos = std::find_if(list.begin(), list.end(),
                          [&](const std::string& y) { return times.at(y) > it->second; });
  list.insert(pos, x);
}

// Who the outside party is and which way the call goes, from the first leg that tells.
void LearnDirection(Call& call, const mango::CallEvent& e) {
  if (call.direction == Direction::kUnknown && !e.command_id.empty()) {
    // A call the VPBX makes on our command (click-to-call) rings the employee first, then the
    // client: an outgoing call, whatever its first leg looks like.
    call.direction = Direction::kOutgoing;
  }
  if (call.direction == Direction::kOutgoing && call.client_number.empty() &&
      e.to.extension.empty() && !e.to.number.empty()) {
    call.client_number = e.to.number;
  }
  if (call.direction == Direction::kUnknown) {
    const bool from_employee = !e.from.extension.empty();
    const bool to_employee = !e.to.extension.empty();
    if (from_employee && to_employee) {
      call.direction = Direction::kInternal;
    } else if (from_employee) {
      call.direction = Direction::kOutgoing;
      call.client_number = e.to.number;
    } else {
      call.direction = Direction::kInbound;
      call.client_number = e.from.number;
    }
  }
  if (call.line_number.empty()) {
    call.line_number = e.to.line_number;
  }
}

// The employee whose phone this leg concerns: the callee of an inbound call, the caller of an
// outgoing one. A transfer leg of an inbound call rings its target (to.extension).
std::string EmployeeOf(const Call& call, const mango::CallEvent& e) {
  if (call.direction == Direction::kOutgoing) {
    return e.from.extension.empty() ? e.to.extension : e.from.extension;
  }
  return e.to.extension;
}

bool IsWaitingForAPerson(mango::Location location) {
  return location == mango::Location::kIvr || location == mango::Location::kQueue;
}

void ShowTo(Call& call, const std::string& extension, std::vector<Intent>& out) {
  if (extension.empty() || Contains(call.shown, extension)) {
    return;
  }
  if (!call.registered) {
    out.push_back({IntentKind::kRegister, extension, true});
    call.registered = true;
  } else {
    out.push_back({IntentKind::kShow, extension, true});
  }
  call.shown.push_back(extension);
}

bool AnsweredElsewhere(const Call& call, const std::string& leg_id) {
  for (const auto& [id, leg] : call.legs) {
    if (id != leg_id && leg.connected && !leg.ended) {
      return true;
    }
  }
  return false;
}

bool StillRinging(const Call& call, const std::string& extension, const std::string& except_leg) {
  for (const auto& [id, leg] : call.legs) {
    if (id != except_leg && leg.extension == extension && !leg.ended) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string MissedStatusCode(int reason) {
  switch (reason) {
    case 1121:
    case 1193:
      return "486";  // busy
    case 1122:
      return "603";  // declined by the employee
    case 1123:
    case 1124:
    case 1131:
    case 1190:
    case 1191:
    case 1192:
      return "480";  // unavailable: DND, unreachable, inactive, off schedule
    case 1133:
      return "404";  // no such number
    case 1132:
    case 1135:
    case 1140:
    case 1151:
    case 1152:
      return "403";  // forbidden by settings or lists
    default:
      break;
  }
  if (reason >= 2000 && reason < 3000) {
    return "402";  // billing
  }
  if (reason >= 3200 && reason < 3300) {
    return "484";  // bad number
  }
  if (reason >= 4200 && reason < 4300) {
    return "503";  // direction unreachable
  }
  if (reason >= 4500 && reason < 4600) {
    return "423";  // blocked by security settings
  }
  return "304";  // missed: no answer, caller hung up, queue gave up, scheme ended
}

Applied ApplyCallEvent(Call& call, const mango::CallEvent& e, const FinishPolicy& policy) {
  Applied applied;
  if (call.entry_id.empty()) {
    call.entry_id = e.entry_id;
    call.started_at = e.timestamp;
  }
  Leg& leg = call.legs[e.call_id];
  if (leg.call_id.empty()) {
    leg.call_id = e.call_id;
  }
  if (Contains(leg.seen, e.seq)) {
    applied.duplicate = true;
    return applied;
  }
  leg.seen.push_back(e.seq);
  const bool late = e.seq < leg.last_seq;
  leg.last_seq = std::max(leg.last_seq, e.seq);
  LearnDirection(call, e);
  if (call.command_id.empty()) {
    call.command_id = e.command_id;
  }
  if (!e.to.acd_group.empty()) {
    call.acd_group = e.to.acd_group;
  }
  const std::string employee = EmployeeOf(call, e);
  if (!employee.empty()) {
    leg.extension = employee;
  }
  if (!late) {
    leg.state = e.state;
    leg.location = e.location;
  }
  if (call.direction == Direction::kInternal || call.finished) {
    // Calls between employees are not CRM calls; a finished call takes no more cards.
    if (e.state == mango::CallState::kDisconnected) {
      leg.ended = true;
    }
    return applied;
  }
  std::vector<Intent>& out = applied.intents;
  switch (e.state) {
    case mango::CallState::kAppeared:
      if (policy.route_to_responsible && !call.route_requested && !late &&
          call.direction == Direction::kInbound && e.location == mango::Location::kIvr &&
          leg.extension.empty() && call.command_id.empty() && !call.client_number.empty() &&
          call.client_number.rfind("sip:", 0) != 0) {
        // A known caller is routed while the greeting plays (B5); the job finds out whether
        // the number is known.
        call.route_requested = true;
        Intent route{IntentKind::kRoute, "", false};
        route.call_id = e.call_id;
        out.push_back(route);
      }
      if (!leg.extension.empty() && !IsWaitingForAPerson(e.location)) {
        if (call.direction == Direction::kInbound) {
          AddByTime(call.offered, call.offered_at, leg.extension, e.timestamp);
        }
        // No card for a phone that already stopped ringing or answered (a late Appeared), nor
        // for a group phone starting to ring after a colleague answered; a transfer leg (from an
        // employee, or marked as a transfer) does get one.
        const bool transfer_leg = !e.transfer.empty() || !e.from.extension.empty();
        if (!leg.ended && !leg.connected &&
            (transfer_leg || !AnsweredElsewhere(call, leg.call_id))) {
          ShowTo(call, leg.extension, out);
        }
      }
      break;
    case mango::CallState::kConnected:
      leg.connected = true;
      if (!leg.extension.empty()) {
        if (call.direction == Direction::kInbound) {
          AddByTime(call.offered, call.offered_at, leg.extension, e.timestamp);
        }
        AddByTime(call.handlers, call.talked_at, leg.extension, e.timestamp);
        ShowTo(call, leg.extension, out);  // its Appeared may have been lost or late
        if (call.direction == Direction::kInbound && !call.client_requested &&
            !policy.responsible_is_last_handler && !call.client_number.empty() &&
            (policy.answered_new_number != ClientAction::kNone ||
             policy.repeated_call_deal != RepeatedCallDeal::kNever)) {
          // Created right after the answer, for the employee who answered (B1, B3); after the
          // register (same ordering key), so the card pops first and then shows the client.
          call.client_requested = true;
          Intent create{IntentKind::kCreateClient, leg.extension, false,
                        policy.answered_new_number};
          create.repeated_deal = policy.repeated_call_deal;
          out.push_back(create);
        }
        // Someone answered: the others stop seeing the card (FEATURES B11).
        for (const std::string& other : std::vector<std::string>(call.shown)) {
          if (other != leg.extension && !Contains(call.handlers, other)) {
            out.push_back({IntentKind::kHide, other, true});
            Remove(call.shown, other);
          }
        }
      }
      break;
    case mango::CallState::kOnHold:
      break;
    case mango::CallState::kDisconnected:
      leg.ended = true;
      // An employee whose phone stopped ringing unanswered no longer needs the card; one who
      // talked keeps it until the call is finished (after-call work, FEATURES C6).
      if (!leg.extension.empty() && !leg.connected && Contains(call.shown, leg.extension) &&
          !Contains(call.handlers, leg.extension) &&
          !StillRinging(call, leg.extension, leg.call_id) && call.shown.size() > 1) {
        out.push_back({IntentKind::kHide, leg.extension, true});
        Remove(call.shown, leg.extension);
      }
      break;
  }
  return applied;
}

ClientAction ClientActionFor(const Call& call, const FinishPolicy& policy) {
  if (call.client_number.empty() || !call.outcome) {
    return ClientAction::kNone;
  }
  const Outcome& o = *call.outcome;
  switch (call.direction) {
    case Direction::kOutgoing:
      return policy.outgoing_new_number ? ClientAction::kClient : ClientAction::kNone;
    case Direction::kInbound:
      if (o.talked) {
        return policy.answered_new_number;
      }
      if (o.missed_in_ivr) {
        // B8 off: nothing for callers who hung up in the IVR; on: what B2 creates, for the
        // chosen employee. B8 never creates by itself (seed 004).
        if (policy.missed_in_ivr_extension.empty()) {
          return ClientAction::kNone;
        }
        return policy.missed_new_number;
      }
      return policy.missed_new_number;
    case Direction::kInternal:
    case Direction::kUnknown:
      break;
  }
  return ClientAction::kNone;
}

Applied ApplySummary(Call& call, const mango::SummaryEvent& s, const FinishPolicy& policy) {
  Applied applied;
  if (call.finished) {
    applied.duplicate = true;
    return applied;
  }
  call.finished = true;
  if (call.entry_id.empty()) {
    call.entry_id = s.entry_id;
  }
  if (call.direction == Direction::kUnknown) {
    call.direction = s.call_direction == 2   ? Direction::kOutgoing
                     : s.call_direction == 0 ? Direction::kInternal
                                             : Direction::kInbound;
  }
  if (call.client_number.empty()) {
    call.client_number = call.direction == Direction::kOutgoing ? s.to.number : s.from.number;
  }
  if (!s.line_number.empty()) {
    call.line_number = s.line_number;
  }
  if (call.started_at == 0) {
    call.started_at = s.create_time;
  }
  Outcome o;
  o.disconnect_reason = s.disconnect_reason;
  // Mango's own examples show entry_result 1 with talk_time 0 for a caller lost in the IVR:
  // only a call with a talk time was talked (reference mango.md §2.4).
  o.talked = s.entry_result == 1 && s.talk_time > 0;
  o.duration_s = o.talked ? std::max<long long>(s.end_time - s.talk_time, 0) : 0;
  o.status_code = o.talked ? "200" : MissedStatusCode(s.disconnect_reason);
  if (!o.talked && call.direction == Direction::kInbound) {
    o.missed_in_ivr = call.offered.empty() && s.to.extension.empty();
    o.missed_in_group = !o.missed_in_ivr && (!call.acd_group.empty() || call.offered.size() > 1);
  }
  call.outcome = o;
  if (call.direction == Direction::kInternal) {
    return applied;
  }

  std::string user;
  if (o.talked) {
    if (call.handlers.empty()) {
      AddOnce(call.handlers,
              call.direction == Direction::kOutgoing ? s.from.extension : s.to.extension);
    }
    if (!call.handlers.empty()) {
      user = policy.responsible_is_last_handler ? call.handlers.back() : call.handlers.front();
    }
  } else if (call.direction == Direction::kOutgoing) {
    user = s.from.extension;
  } else if (o.missed_in_ivr) {
    // B8 applies only with B2's auto-creation on; otherwise the tenant's default user.
    user = policy.missed_new_number != ClientAction::kNone ? policy.missed_in_ivr_extension : "";
  } else if (o.missed_in_group && !policy.missed_in_group_extension.empty() &&
             policy.missed_new_number != ClientAction::kNone) {
    // B9 likewise; off (or without auto-creation): the first employee the call was offered to.
    user = policy.missed_in_group_extension;
  } else {
    user = call.offered.empty() ? s.to.extension : call.offered.front();
  }
  if (!call.registered) {
    // Never reached a phone (lost in the IVR) or its leg events were lost: it is still a call
    // the CRM must know about (marketplace rule), registered without a card.
    applied.intents.push_back({IntentKind::kRegister, user, false});
    call.registered = true;
  }
  if (!call.client_requested) {
    const ClientAction action = ClientActionFor(call, policy);
    // B3 concerns incoming calls from a known number, answered or missed; the job tells a known
    // number from a new one.
    const RepeatedCallDeal repeated =
        call.direction == Direction::kInbound && !call.client_number.empty()
            ? policy.repeated_call_deal
            : RepeatedCallDeal::kNever;
    if (action != ClientAction::kNone || repeated != RepeatedCallDeal::kNever) {
      call.client_requested = true;
      Intent create{IntentKind::kCreateClient, user, false, action};
      create.repeated_deal = repeated;
      applied.intents.push_back(create);
    }
  }
  applied.intents.push_back({IntentKind::kFinish, user, false});
  call.shown.clear();  // finish closes the card everywhere
  return applied;
}

}  // namespace opdesk::calls
