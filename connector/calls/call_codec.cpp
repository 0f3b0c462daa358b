#include "connector/calls/call_codec.h"

#include <cpprest/json.h>

#include "adapters/json_read.h"
#include "connector/domain/error.h"

namespace opdesk::mango {
namespace {

using web::json::value;

value Strings(const std::vector<std::string>& v) {
  value a = value::array(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    a[i] = value::string(v[i]);
  }
  return a;
}

value Times(const std::map<std::string, long long>& m) {
  value o = value::object();
  for (const auto& [k, t] : m) {
    o[k] = value::number(static_cast<int64_t>(t));
  }
  return o;
}

std::vector<std::string> StrList(const value& o, const char* k) {
  std::vector<std::string> out;
  if (o.has_field(k) && o.at(k).is_array()) {
    for (const value& x : o.at(k).as_array()) {
      out.push_back(x.as_string());
    }
  }
  return out;
}
std::map<std::string, long long> TimeMap(const value& o, const char* k) {
  std::map<std::string, long long> out;
  if (o.has_field(k) && o.at(k).is_object()) {
    for (const auto& [name, t] : o.at(k).as_object()) {
      out[name] = t.as_number().to_int64();
    }
  }
  return out;
}

calls::Direction DirectionFrom(const std::string& s) {
  if (s == "inbound") {
    return calls::Direction::kInbound;
  }
  if (s == "outgoing") {
    return calls::Direction::kOutgoing;
  }
  if (s == "internal") {
    return calls::Direction::kInternal;
  }
  return calls::Direction::kUnknown;
}

}  // namespace

std::string ToString(calls::Direction d) {
  switch (d) {
    case calls::Direction::kInbound:
      return "inbound";
    case calls::Direction::kOutgoing:
      return "outgoing";
    case calls::Direction::kInternal:
      return "internal";
    case calls::Direction::kUnknown:
      break;
  }
  return "unknown";
}

std::string EncodeCall(const calls::Call& c) {
  value o = value::object();
  o["entry_id"] = value::string(c.entry_id);
  o["direction"] = value::string(ToString(c.direction));
  o["client_number"] = value::string(c.client_number);
  o["line_number"] = value::string(c.line_number);
  o["command_id"] = value::string(c.command_id);
  o["started_at"] = value::number(static_cast<int64_t>(c.started_at));
  value legs = value::array();
  std::size_t i = 0;
  for (const auto& [id, leg] : c.legs) {
    value l = value::object();
    l["call_id"] = value::string(leg.call_id);
    l["extension"] = value::string(leg.extension);
    l["state"] = value::number(static_cast<int>(leg.state));
    l["location"] = value::number(static_cast<int>(leg.location));
    l["last_seq"] = value::number(static_cast<int64_t>(leg.last_seq));
    value seen = value::array(leg.seen.size());
    for (std::size_t j = 0; j < leg.seen.size(); ++j) {
      seen[j] = value::number(static_cast<int64_t>(leg.seen[j]));
    }
    l["seen"] = seen;
    l["connected"] = value::boolean(leg.connected);
    l["ended"] = value::boolean(leg.ended);
    legs[i++] = l;
  }
  o["legs"] = legs;
  o["offered"] = Strings(c.offered);
  o["handlers"] = Strings(c.handlers);
  o["offered_at"] = Times(c.offered_at);
  o["talked_at"] = Times(c.talked_at);
  o["shown"] = Strings(c.shown);
  o["acd_group"] = value::string(c.acd_group);
  o["registered"] = value::boolean(c.registered);
  o["finished"] = value::boolean(c.finished);
  o["route_requested"] = value::boolean(c.route_requested);
  o["client_requested"] = value::boolean(c.client_requested);
  if (c.outcome) {
    value r = value::object();
    r["talked"] = value::boolean(c.outcome->talked);
    r["duration_s"] = value::number(static_cast<int64_t>(c.outcome->duration_s));
    r["status_code"] = value::string(c.outcome->status_code);
    r["missed_in_ivr"] = value::boolean(c.outcome->missed_in_ivr);
    r["missed_in_group"] = value::boolean(c.outcome->missed_in_group);
    r["disconnect_reason"] = value::number(c.outcome->disconnect_reason);
    o["outcome"] = r;
  }
  return o.serialize();
}

calls::Call DecodeCall(const std::string& json) {
  value o;
  try {
    o = value::parse(json);
  } catch (const std::exception& e) {
    throw Internal(std::string("stored call is not JSON: ") + e.what());
  }
  if (!o.is_object()) {
    throw Internal("stored call is not an object");
  }
  calls::Call c;
  c.entry_id = adapters::JsonString(o, "entry_id");
  c.direction = DirectionFrom(adapters::JsonString(o, "direction"));
  c.client_number = adapters::JsonString(o, "client_number");
  c.line_number = adapters::JsonString(o, "line_number");
  c.command_id = adapters::JsonString(o, "command_id");
  c.started_at = adapters::JsonInt(o, "started_at");
  if (o.has_field("legs") && o.at("legs").is_array()) {
    for (const value& l : o.at("legs").as_array()) {
      calls::Leg leg;
      leg.call_id = adapters::JsonString(l, "call_id");
      leg.extension = adapters::JsonString(l, "extension");
      leg.state = static_cast<CallState>(adapters::JsonInt(l, "state"));
      leg.location = static_cast<Location>(adapters::JsonInt(l, "location"));
      leg.last_seq = l.has_field("last_seq") ? adapters::JsonInt(l, "last_seq") : -1;
      if (l.has_field("seen") && l.at("seen").is_array()) {
        for (const value& s : l.at("seen").as_array()) {
          leg.seen.push_back(s.as_number().to_int64());
        }
      }
      leg.connected = adapters::JsonTrue(l, "connected");
      leg.ended = adapters::JsonTrue(l, "ended");
      c.legs[leg.call_id] = leg;
    }
  }
  c.offered = StrList(o, "offered");
  c.handlers = StrList(o, "handlers");
  c.offered_at = TimeMap(o, "offered_at");
  c.talked_at = TimeMap(o, "talked_at");
  c.shown = StrList(o, "shown");
  c.acd_group = adapters::JsonString(o, "acd_group");
  c.registered = adapters::JsonTrue(o, "registered");
  c.finished = adapters::JsonTrue(o, "finished");
  c.route_requested = adapters::JsonTrue(o, "route_requested");
  c.client_requested = adapters::JsonTrue(o, "client_requested");
  if (o.has_field("outcome") && o.at("outcome").is_object()) {
    const value& r = o.at("outcome");
    calls::Outcome out;
    out.talked = adapters::JsonTrue(r, "talked");
    out.duration_s = adapters::JsonInt(r, "duration_s");
    out.status_code = adapters::JsonString(r, "status_code");
    out.missed_in_ivr = adapters::JsonTrue(r, "missed_in_ivr");
    out.missed_in_group = adapters::JsonTrue(r, "missed_in_group");
    out.disconnect_reason = static_cast<int>(adapters::JsonInt(r, "disconnect_reason"));
    c.outcome = out;
  }
  return c;
}

}  // namespace opdesk::mango
