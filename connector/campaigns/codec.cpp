#include "connector/campaigns/codec.h"

#include <cpprest/json.h>

#include <algorithm>

#include "adapters/json_read.h"
#include "connector/domain/error.h"

namespace opdesk::campaigns {
namespace {

using Json = web::json::value;

Json Num(long long v) {
  return Json::number(static_cast<int64_t>(v));
}

Json Str(const std::string& s) {
  return Json::string(s);
}

Json TaskJson(const Task& t) {
  Json out = Json::object(true);
  out["id"] = Str(std::to_string(t.id));
  out["name"] = Str(t.name);
  out["description"] = Str(t.description);
  out["script_id"] = t.script_id > 0 ? Str(std::to_string(t.script_id)) : Json::null();
  out["script_version"] = t.script_version > 0 ? Num(t.script_version) : Json::null();
  Json employees = Json::array(t.employee_ids.size());
  for (std::size_t i = 0; i < t.employee_ids.size(); ++i) {
    employees[i] = Str(t.employee_ids[i]);
  }
  out["employee_ids"] = employees;
  Json retry = Json::object(true);
  retry["max_attempts"] = Num(t.retry.max_attempts);
  retry["spacing_minutes"] = Num(t.retry.spacing_minutes);
  out["retry"] = retry;
  out["state"] = Str(ToString(t.state));
  out["version"] = Num(t.version);
  out["created_at_ms"] = Num(t.created_at_ms);
  out["updated_at_ms"] = Num(t.updated_at_ms);
  return out;
}

Json ViewJson(const TaskView& v) {
  Json out = TaskJson(v.task);
  Json counts = Json::object(true);
  counts["total"] = Num(v.counts.total);
  for (const auto& [status, n] : v.counts.by_status) {
    counts[status] = Num(n);
  }
  Json results = Json::object(true);
  for (const auto& [result, n] : v.counts.by_result) {
    results[result.empty() ? "none" : result] = Num(n);
  }
  counts["by_result"] = results;
  out["counts"] = counts;
  out["script_deleted"] = Json::boolean(!v.script_exists);
  return out;
}

}  // namespace

std::string EncodeTask(const Task& task) {
  return TaskJson(task).serialize();
}

std::string EncodeTaskView(const TaskView& view) {
  return ViewJson(view).serialize();
}

std::string EncodeTaskList(const std::vector<TaskView>& views) {
  Json list = Json::array(views.size());
  for (std::size_t i = 0; i < views.size(); ++i) {
    list[i] = ViewJson(views[i]);
  }
  Json out = Json::object(true);
  out["tasks"] = list;
  return out.serialize();
}

Task TaskFromBody(const std::string& body, long long* version) {
  const Json json = adapters::ParseBody(body);
  adapters::ObjectReader r(json, "");
  Task t;
  t.name = r.String("name", true, 1024);
  t.description = r.String("description", false, 16 * 1024);
  if (const Json* script = r.Get("script_id", true)) {
    t.script_id = adapters::ParseId(*script, "script_id");
  }
  if (const Json* employees = r.Get("employee_ids", true)) {
    if (!employees->is_array()) {
      throw InvalidArgument("employee_ids is a list of user ids", "employee_ids");
    }
    if (employees->size() > kMaxEmployees) {
      throw InvalidArgument("a task has at most 500 employees", "employee_ids");
    }
    for (std::size_t i = 0; i < employees->size(); ++i) {
      const Json& e = employees->at(i);
      if (!e.is_string()) {
        throw InvalidArgument("an employee is a user id string",
                              adapters::ItemPath("employee_ids", i));
      }
      t.employee_ids.push_back(e.as_string());
    }
  }
  if (const Json* retry = r.Get("retry", true)) {
    if (!retry->is_object()) {
      throw InvalidArgument("retry is {max_attempts, spacing_minutes}", "retry");
    }
    adapters::ObjectReader rr(*retry, "retry");
    t.retry.max_attempts = static_cast<int>(
        std::clamp<long long>(rr.Int("max_attempts", false, 3), -1, kMaxAttemptsLimit + 1));
    t.retry.spacing_minutes = static_cast<int>(
        std::clamp<long long>(rr.Int("spacing_minutes", false, 60), -1, kMaxSpacingMinutes + 1));
    rr.Done();
  }
  *version = -1;
  if (r.Get("version") != nullptr) {
    *version = r.Int("version", true);
  }
  // Read-only members a page echoes back.
  for (const char* ignored : {"id", "state", "script_version", "created_at_ms", "updated_at_ms",
                              "counts", "script_deleted"}) {
    r.Get(ignored);
  }
  r.Done();
  return t;
}

std::string EncodeContact(const storage::CampaignContactRow& c) {
  Json out = Json::object(true);
  out["id"] = Str(std::to_string(c.id));
  out["task_id"] = Str(std::to_string(c.task_id));
  out["source"] = Str(ToString(c.source));
  out["phone"] = Str(c.phone);
  out["crm_contact_id"] = c.crm_contact_id.empty() ? Json::null() : Str(c.crm_contact_id);
  out["name"] = Str(c.name);
  out["status"] = Str(ToString(c.state.status));
  out["result"] =
      c.state.result == CallResult::kNone ? Json::null() : Str(ToString(c.state.result));
  out["attempts"] = Num(c.state.attempts);
  out["operator_id"] = c.state.operator_id.empty() ? Json::null() : Str(c.state.operator_id);
  out["due_at_ms"] = c.state.due_at_ms > 0 ? Num(c.state.due_at_ms) : Json::null();
  out["opened"] = Json::boolean(c.state.opened);
  out["comment"] = Str(c.comment);
  out["last_call_at_ms"] = c.last_call_at_ms > 0 ? Num(c.last_call_at_ms) : Json::null();
  out["version"] = Num(c.version);
  out["created_at_ms"] = Num(c.created_at_ms);
  out["updated_at_ms"] = Num(c.updated_at_ms);
  return out.serialize();
}

std::string EncodeImport(const ImportOutcome& o) {
  Json out = Json::object(true);
  out["dry_run"] = Json::boolean(o.dry_run);
  out["lines"] = Num(static_cast<long long>(o.report.lines));
  out["header_skipped"] = Json::boolean(o.report.header_skipped);
  out["accepted"] = Num(static_cast<long long>(o.report.accepted.size()));
  out["added"] = Num(static_cast<long long>(o.added));
  out["rejected"] = Num(static_cast<long long>(o.report.error_count));
  out["total"] = Num(o.total);
  Json errors = Json::array(o.report.errors.size());
  for (std::size_t i = 0; i < o.report.errors.size(); ++i) {
    Json e = Json::object(true);
    e["line"] = Num(o.report.errors[i].line);
    e["reason"] = Str(o.report.errors[i].reason);
    e["text"] = Str(o.report.errors[i].text);
    errors[i] = e;
  }
  out["errors"] = errors;
  out["errors_truncated"] = Json::boolean(o.report.error_count > o.report.errors.size());
  return out.serialize();
}

}  // namespace opdesk::campaigns
