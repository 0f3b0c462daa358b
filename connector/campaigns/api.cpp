#include "connector/campaigns/api.h"

#include <cpprest/json.h>

#include <charconv>

#include "adapters/json_read.h"
#include "connector/campaigns/codec.h"
#include "connector/domain/error.h"
#include "connector/domain/text.h"
#include "connector/settings/codec.h"
#include "connector/settings/service.h"

namespace opdesk::campaigns {
namespace {

using Json = web::json::value;

Json Num(long long v) {
  return Json::number(static_cast<int64_t>(v));
}

long long VersionParam(const http::Request& request) {
  const std::optional<std::string> v = request.QueryParam("version");
  long long version = -1;
  if (v) {
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), version);
    if (ec != std::errc() || end != v->data() + v->size()) {
      version = -1;
    }
  }
  if (version < 1) {
    throw InvalidArgument("version is required: the version you read", "version");
  }
  return version;
}

// A time in milliseconds from a query parameter; 0 when absent or empty.
EpochMs TimeParam(const http::Request& request, const std::string& name) {
  const std::optional<std::string> v = request.QueryParam(name);
  if (!v || v->empty()) {
    return 0;
  }
  long long ms = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), ms);
  if (ec != std::errc() || end != v->data() + v->size() || ms < 0) {
    throw InvalidArgument(name + " is a time in milliseconds since 1970", name);
  }
  return ms;
}

storage::CampaignContactFilter FilterOf(const http::Request& request) {
  storage::CampaignContactFilter f;
  if (const auto status = request.QueryParam("status"); status && !status->empty()) {
    f.status = ContactStatusFrom(*status);
    if (!f.status) {
      throw InvalidArgument("status is new, in_work or done", "status");
    }
  }
  if (const auto result = request.QueryParam("result"); result && !result->empty()) {
    f.result =
        *result == "none" ? std::optional<CallResult>(CallResult::kNone) : CallResultFrom(*result);
    if (!f.result || (*result != "none" && *f.result == CallResult::kNone)) {
      throw InvalidArgument("result is none, talked, no_answer, call_back, refused or wrong_number",
                            "result");
    }
  }
  if (const auto op = request.QueryParam("operator_id"); op && !op->empty()) {
    adapters::ParseIdText(*op, "operator_id");
    f.operator_id = *op;
  }
  f.created_from_ms = TimeParam(request, "created_from");
  f.created_to_ms = TimeParam(request, "created_to");
  f.last_call_from_ms = TimeParam(request, "last_call_from");
  f.last_call_to_ms = TimeParam(request, "last_call_to");
  f.due_from_ms = TimeParam(request, "due_from");
  f.due_to_ms = TimeParam(request, "due_to");
  if (const auto q = request.QueryParam("q"); q && !q->empty()) {
    if (q->size() > 100) {
      throw InvalidArgument("q is at most 100 bytes", "q");
    }
    f.query = *q;
  }
  if (const auto after = request.QueryParam("after"); after && !after->empty()) {
    f.after_id = adapters::ParseIdText(*after, "after");
  }
  if (const auto limit = request.QueryParam("limit"); limit && !limit->empty()) {
    const long long n = adapters::ParseIdText(*limit, "limit");
    if (n > 500) {
      throw InvalidArgument("limit is 1 to 500", "limit");
    }
    f.limit = static_cast<int>(n);
  }
  return f;
}

Json CountsJson(const storage::CampaignCounts& counts) {
  return Json::parse(EncodeTaskView(TaskView{Task{}, counts, true})).at("counts");
}

http::Response ListContacts(CampaignService& service, http::Request& request,
                            const http::Caller& caller) {
  const long long task_id = PathId(request, "id");
  const storage::CampaignContactFilter f = FilterOf(request);
  const Caller who = CallerOf(caller);
  const auto rows = service.ListContacts(who, task_id, f);
  Json list = Json::array(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    list[i] = Json::parse(EncodeContact(rows[i]));
  }
  Json out = Json::object(true);
  out["contacts"] = list;
  out["next_after"] = static_cast<int>(rows.size()) == f.limit && !rows.empty()
                          ? Json::string(std::to_string(rows.back().id))
                          : Json::null();
  out["counts"] = CountsJson(service.GetTask(who, task_id).counts);
  return http::Response::Json(200, out.serialize());
}

http::Response CreateTask(CampaignService& service, http::Request& request,
                          const http::Caller& caller) {
  long long version = -1;
  Task wanted = TaskFromBody(request.body, &version);
  const Task created = service.CreateTask(CallerOf(caller), std::move(wanted));
  return http::Response::Json(201, EncodeTaskView(service.GetTask(CallerOf(caller), created.id)));
}

http::Response UpdateTask(CampaignService& service, http::Request& request,
                          const http::Caller& caller) {
  long long version = -1;
  Task wanted = TaskFromBody(request.body, &version);
  wanted.id = PathId(request, "id");
  if (version < 1) {
    throw InvalidArgument("version is required: the version you read", "version");
  }
  service.UpdateTask(CallerOf(caller), std::move(wanted), version);
  return http::Response::Json(
      200, EncodeTaskView(service.GetTask(CallerOf(caller), PathId(request, "id"))));
}

http::Response SetState(CampaignService& service, http::Request& request,
                        const http::Caller& caller) {
  const long long task_id = PathId(request, "id");
  const Json body = adapters::ParseBody(request.body);
  adapters::ObjectReader r(body, "");
  const std::string state_text = r.String("state", true, 16);
  const long long version = r.Int("version", true);
  r.Done();
  const std::optional<TaskState> state = TaskStateFrom(state_text);
  if (!state || *state == TaskState::kDraft) {
    throw InvalidArgument("state is \"running\" or \"paused\"", "state");
  }
  service.SetState(CallerOf(caller), task_id, *state, version);
  return http::Response::Json(200, EncodeTaskView(service.GetTask(CallerOf(caller), task_id)));
}

http::Response Import(CampaignService& service, http::Request& request,
                      const http::Caller& caller) {
  const long long task_id = PathId(request, "id");
  const std::optional<std::string> dry = request.QueryParam("dry_run");
  if (dry && *dry != "0" && *dry != "1") {
    throw InvalidArgument("dry_run is 0 or 1", "dry_run");
  }
  const ImportOutcome outcome =
      service.Import(CallerOf(caller), task_id, request.body, dry && *dry == "1");
  return http::Response::Json(200, EncodeImport(outcome));
}

http::Response DeleteContacts(CampaignService& service, http::Request& request,
                              const http::Caller& caller) {
  const long long task_id = PathId(request, "id");
  const Json body = adapters::ParseBody(request.body);
  adapters::ObjectReader r(body, "");
  const Json& ids_json = r.Array("ids", true, 1000);
  r.Done();
  std::vector<long long> ids;
  for (std::size_t i = 0; i < ids_json.size(); ++i) {
    ids.push_back(adapters::ParseId(ids_json.at(i), adapters::ItemPath("ids", i)));
  }
  if (ids.empty()) {
    throw InvalidArgument("choose the contacts to delete", "ids");
  }
  const Caller who = CallerOf(caller);
  const long long deleted = service.DeleteContacts(who, task_id, ids);
  Json out = Json::object(true);
  out["deleted"] = Num(deleted);
  out["counts"] = CountsJson(service.GetTask(who, task_id).counts);
  return http::Response::Json(200, out.serialize());
}

http::Response Export(CampaignService& service, http::Request& request,
                      const http::Caller& caller) {
  const long long task_id = PathId(request, "id");
  storage::CampaignContactFilter f = FilterOf(request);
  http::Response response = http::Response::Text(
      200, service.ExportCsv(CallerOf(caller), task_id, std::move(f)), "text/csv; charset=utf-8");
  response.headers.emplace_back(
      "Content-Disposition", "attachment; filename=\"task-" + std::to_string(task_id) + ".csv\"");
  return response;
}

http::Response Next(CampaignService& service, http::Request& request, const http::Caller& caller) {
  const NextContact next = service.Next(CallerOf(caller), PathId(request, "id"));
  Json out = Json::object(true);
  out["contact"] = next.contact ? Json::parse(EncodeContact(*next.contact)) : Json::null();
  out["next_due_at_ms"] = next.next_due_at_ms > 0 ? Num(next.next_due_at_ms) : Json::null();
  return http::Response::Json(200, out.serialize());
}

http::Response OpenContact(CampaignService& service, http::Request& request,
                           const http::Caller& caller) {
  return http::Response::Json(200,
                              EncodeContact(service.Open(CallerOf(caller), PathId(request, "id"),
                                                         PathId(request, "contact_id"))));
}

http::Response SetResult(CampaignService& service, http::Request& request,
                         const http::Caller& caller) {
  const long long task_id = PathId(request, "id");
  const long long contact_id = PathId(request, "contact_id");
  const Json body = adapters::ParseBody(request.body);
  adapters::ObjectReader r(body, "");
  const std::string result_text = r.String("result", true, 32);
  ResultInput input;
  if (const Json* at = r.Get("at", true)) {
    if (!at->is_integer()) {
      throw InvalidArgument("at is a time in milliseconds since 1970", "at");
    }
    input.at = at->as_number().to_int64();
  }
  const std::string comment = r.String("comment", false, kMaxCommentLength * 4);
  const long long version = r.Int("version", true);
  r.Done();
  const auto result = CallResultFrom(result_text);
  if (!result || *result == CallResult::kNone) {
    throw InvalidArgument("result is talked, no_answer, call_back, refused or wrong_number",
                          "result");
  }
  input.result = *result;
  CheckText(comment, kMaxCommentLength, false, "comment");
  return http::Response::Json(
      200, EncodeContact(
               service.SetResult(CallerOf(caller), task_id, contact_id, input, comment, version)));
}

http::Response SetStatus(CampaignService& service, http::Request& request,
                         const http::Caller& caller) {
  const long long task_id = PathId(request, "id");
  const long long contact_id = PathId(request, "contact_id");
  const Json body = adapters::ParseBody(request.body);
  adapters::ObjectReader r(body, "");
  const std::string status_text = r.String("status", true, 16);
  const long long version = r.Int("version", true);
  r.Done();
  const auto status = ContactStatusFrom(status_text);
  if (!status || *status == ContactStatus::kInWork) {
    throw InvalidArgument("status is \"new\" or \"done\" (a contact goes in work by opening it)",
                          "status");
  }
  return http::Response::Json(200, EncodeContact(service.SetStatus(CallerOf(caller), task_id,
                                                                   contact_id, *status, version)));
}

Json CallJson(const CallStarted& call) {
  Json out = Json::object(true);
  out["command_id"] = Json::string(call.command_id);
  out["state"] = Json::string(call.state);
  out["code"] = call.code != 0 ? Num(call.code) : Json::null();
  return out;
}

http::Response Call(CampaignService& service, http::Request& request, const http::Caller& caller) {
  const CallStarted call =
      service.Call(CallerOf(caller), PathId(request, "id"), PathId(request, "contact_id"));
  return http::Response::Json(call.state == "pending" ? 202 : 200, CallJson(call).serialize());
}

http::Response CallState(CampaignService& service, http::Request& request,
                         const http::Caller& caller) {
  const std::string id = request.PathParam("command_id");
  if (id.empty() || id.size() > 64) {
    throw InvalidArgument("command_id is a call's command_id", "command_id");
  }
  return http::Response::Json(200, CallJson(service.CallState(CallerOf(caller), id)).serialize());
}

// The pinned version in the shape of GET /api/callcard/scripts/{id}, so the card's runner runs it.
http::Response PinnedScriptOf(CampaignService& service, settings::SettingsService& settings,
                              http::Request& request, const http::Caller& caller) {
  const PinnedScript pinned = service.Script(CallerOf(caller), PathId(request, "id"));
  ScriptVersion version;
  try {
    version = settings.GetScriptVersion(caller.tenant_id, pinned.script_id, pinned.version);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kNotFound) {
      throw;
    }
    throw Conflict("the task's script was deleted; a manager must choose another script",
                   "script_id");
  }
  return http::Response::Json(200, settings::ToJson(version).serialize());
}

http::Response Reminders(CampaignService& service, const http::Caller& caller, EpochMs now) {
  const std::vector<Reminder> list = service.Reminders(CallerOf(caller));
  Json items = Json::array(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    Json item = Json::object(true);
    item["task_id"] = Json::string(std::to_string(list[i].task_id));
    item["task_name"] = Json::string(list[i].task_name);
    item["due"] = Json::boolean(list[i].contact.state.due_at_ms <= now);
    item["contact"] = Json::parse(EncodeContact(list[i].contact));
    items[i] = item;
  }
  Json out = Json::object(true);
  out["now_ms"] = Num(now);
  out["reminders"] = items;
  return http::Response::Json(200, out.serialize());
}

}  // namespace

Caller CallerOf(const http::Caller& caller) {
  return {caller.tenant_id, caller.user_id, caller.role && caller.role->may_manage_settings};
}

long long PathId(const http::Request& request, const std::string& name) {
  return adapters::ParseIdText(request.PathParam(name), name);
}

void AddCampaignRoutes(http::Router& router, CampaignService& service,
                       settings::SettingsService& settings) {
  using http::Guard;
  CampaignService* s = &service;
  const http::RouteOptions small{16 * 1024};
  router.Add("GET", "/api/campaigns", Guard::kSeat, [s](http::Request&, const http::Caller& c) {
    return http::Response::Json(200, EncodeTaskList(s->ListTasks(CallerOf(c))));
  });
  router.Add(
      "POST", "/api/campaigns", Guard::kSettingsManager,
      [s](http::Request& r, const http::Caller& c) { return CreateTask(*s, r, c); },
      http::RouteOptions{64 * 1024});
  router.Add("GET", "/api/campaigns/reminders", Guard::kSeat,
             [s](http::Request&, const http::Caller& c) { return Reminders(*s, c, s->Now()); });
  router.Add("GET", "/api/campaigns/{id}/script", Guard::kSeat,
             [s, st = &settings](http::Request& r, const http::Caller& c) {
               return PinnedScriptOf(*s, *st, r, c);
             });
  router.Add(
      "GET", "/api/campaigns/{id}", Guard::kSeat, [s](http::Request& r, const http::Caller& c) {
        return http::Response::Json(200, EncodeTaskView(s->GetTask(CallerOf(c), PathId(r, "id"))));
      });
  router.Add(
      "PUT", "/api/campaigns/{id}", Guard::kSettingsManager,
      [s](http::Request& r, const http::Caller& c) { return UpdateTask(*s, r, c); },
      http::RouteOptions{64 * 1024});
  router.Add("DELETE", "/api/campaigns/{id}", Guard::kSettingsManager,
             [s](http::Request& r, const http::Caller& c) {
               const long long id = PathId(r, "id");
               s->DeleteTask(CallerOf(c), id, VersionParam(r));
               return http::Response::Json(204, "");
             });
  router.Add(
      "POST", "/api/campaigns/{id}/state", Guard::kSettingsManager,
      [s](http::Request& r, const http::Caller& c) { return SetState(*s, r, c); }, small);
  router.Add(
      "POST", "/api/campaigns/{id}/import", Guard::kSettingsManager,
      [s](http::Request& r, const http::Caller& c) { return Import(*s, r, c); },
      http::RouteOptions{kMaxImportBytes});
  router.Add("GET", "/api/campaigns/{id}/contacts", Guard::kSeat,
             [s](http::Request& r, const http::Caller& c) { return ListContacts(*s, r, c); });
  router.Add(
      "POST", "/api/campaigns/{id}/contacts/delete", Guard::kSettingsManager,
      [s](http::Request& r, const http::Caller& c) { return DeleteContacts(*s, r, c); },
      http::RouteOptions{64 * 1024});
  router.Add("GET", "/api/campaigns/{id}/export", Guard::kSettingsManager,
             [s](http::Request& r, const http::Caller& c) { return Export(*s, r, c); });
  router.Add(
      "POST", "/api/campaigns/{id}/next", Guard::kSeat,
      [s](http::Request& r, const http::Caller& c) { return Next(*s, r, c); }, small);
  router.Add(
      "POST", "/api/campaigns/{id}/contacts/{contact_id}/open", Guard::kSeat,
      [s](http::Request& r, const http::Caller& c) { return OpenContact(*s, r, c); }, small);
  router.Add(
      "PUT", "/api/campaigns/{id}/contacts/{contact_id}/result", Guard::kSeat,
      [s](http::Request& r, const http::Caller& c) { return SetResult(*s, r, c); },
      http::RouteOptions{32 * 1024});
  router.Add(
      "PUT", "/api/campaigns/{id}/contacts/{contact_id}/status", Guard::kSeat,
      [s](http::Request& r, const http::Caller& c) { return SetStatus(*s, r, c); }, small);
  router.Add(
      "POST", "/api/campaigns/{id}/contacts/{contact_id}/call", Guard::kSeat,
      [s](http::Request& r, const http::Caller& c) { return Call(*s, r, c); }, small);
  router.Add("GET", "/api/campaign-calls/{command_id}", Guard::kSeat,
             [s](http::Request& r, const http::Caller& c) { return CallState(*s, r, c); });
}

}  // namespace opdesk::campaigns
