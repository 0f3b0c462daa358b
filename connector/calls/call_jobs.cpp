#include "connector/calls/call_jobs.h"

#include <cpprest/json.h>

#include "connector/domain/error.h"

namespace opdesk::mango {
namespace {

using web::json::value;

value Parse(const std::string& payload, const char* kind) {
  try {
    value v = value::parse(payload);
    if (v.is_object()) {
      return v;
    }
  } catch (const web::json::json_exception&) {
  }
  throw InvalidArgument(std::string("unreadable payload of a ") + kind + " job");
}

// A field the encoder always writes: missing or mistyped means the row is not this kind's.
std::string Text(const value& v, const char* field, const char* kind) {
  if (!v.has_string_field(field)) {
    throw InvalidArgument(std::string(kind) + " job without " + field);
  }
  return v.at(field).as_string();
}

}  // namespace

std::string EncodeCallStepJob(const CallStepJob& job) {
  value v = value::object();
  v["entry_id"] = value::string(job.entry_id);
  v["extension"] = value::string(job.extension);
  v["show_card"] = value::boolean(job.show_card);
  if (!job.client_action.empty()) {
    v["action"] = value::string(job.client_action);
  }
  if (!job.repeated_deal.empty()) {
    v["repeated_deal"] = value::string(job.repeated_deal);
  }
  if (!job.status_code.empty()) {
    v["status"] = value::string(job.status_code);
    v["duration_s"] = value::number(static_cast<int64_t>(job.duration_s));
  }
  return v.serialize();
}

CallStepJob DecodeCallStepJob(const std::string& payload) {
  const value v = Parse(payload, "call");
  CallStepJob job;
  job.entry_id = Text(v, "entry_id", "call");
  job.extension = Text(v, "extension", "call");
  job.show_card = v.has_boolean_field("show_card") && v.at("show_card").as_bool();
  if (v.has_string_field("action")) {
    job.client_action = v.at("action").as_string();
  }
  if (v.has_string_field("repeated_deal")) {
    job.repeated_deal = v.at("repeated_deal").as_string();
  }
  if (v.has_string_field("status")) {
    if (!v.has_number_field("duration_s") || !v.at("duration_s").is_integer()) {
      throw InvalidArgument("call job with a status but no duration_s");
    }
    job.status_code = v.at("status").as_string();
    job.duration_s = v.at("duration_s").as_number().to_int64();
  }
  return job;
}

std::string EncodeRouteJob(const RouteJob& job) {
  value v = value::object();
  v["entry_id"] = value::string(job.entry_id);
  v["call_id"] = value::string(job.call_id);
  v["phone"] = value::string(job.phone);
  return v.serialize();
}

RouteJob DecodeRouteJob(const std::string& payload) {
  const value v = Parse(payload, "route");
  return {Text(v, "entry_id", "route"), Text(v, "call_id", "route"), Text(v, "phone", "route")};
}

std::string EncodeRecordJob(const RecordJob& job) {
  value v = value::object();
  v["entry_id"] = value::string(job.entry_id);
  v["recording_id"] = value::string(job.recording_id);
  return v.serialize();
}

RecordJob DecodeRecordJob(const std::string& payload) {
  const value v = Parse(payload, "call.record");
  return {Text(v, "entry_id", "call.record"), Text(v, "recording_id", "call.record")};
}

std::string EncodeCommandResultJob(const CommandResultJob& job) {
  value v = value::object();
  v["command_id"] = value::string(job.command_id);
  v["result"] = value::number(job.result);
  return v.serialize();
}

CommandResultJob DecodeCommandResultJob(const std::string& payload) {
  const value v = Parse(payload, "call.command_result");
  if (!v.has_number_field("result") || !v.at("result").is_integer()) {
    throw InvalidArgument("call.command_result job without result");
  }
  return {Text(v, "command_id", "call.command_result"), v.at("result").as_integer()};
}

std::string EncodeDirectorySyncJob(const DirectorySyncJob& job) {
  value v = value::object();
  v["periodic"] = value::boolean(job.periodic);
  return v.serialize();
}

DirectorySyncJob DecodeDirectorySyncJob(const std::string& payload) {
  const value v = Parse(payload, "mango.directory");
  return {v.has_boolean_field("periodic") && v.at("periodic").as_bool()};
}

std::string EncodePortalEventJob(const PortalEventJob& job) {
  value v = value::object();
  v["event"] = value::string(job.event);
  v["data"] = job.data_json.empty() ? value::object() : value::parse(job.data_json);
  v["ts"] = value::string(job.ts);
  return v.serialize();
}

PortalEventJob DecodePortalEventJob(const std::string& payload) {
  const value v = Parse(payload, "b24.event");
  PortalEventJob job;
  job.event = v.has_string_field("event") ? v.at("event").as_string() : "";
  job.data_json = v.has_object_field("data") ? v.at("data").serialize() : "{}";
  job.ts = v.has_string_field("ts") ? v.at("ts").as_string() : "";
  return job;
}

}  // namespace opdesk::mango
