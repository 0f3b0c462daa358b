#include "connector/reception/api.h"

#include <cpprest/json.h>

#include "adapters/json_read.h"
#include "connector/reception/codec.h"

namespace opdesk::reception {
namespace {

using Json = web::json::value;

std::string Lang(const http::Request& request) {
  return request.Header("Accept-Language").rfind("en", 0) == 0 ? "en" : "ru";
}

Json Str(const std::string& s) {
  return Json::string(s);
}

Json TransferJson(const TransferState& state, const std::string& lang) {
  Json out = Json::object(true);
  out["command_id"] = Str(state.command_id);
  out["state"] = Str(ToString(state.outcome));
  if (state.outcome != TransferOutcome::kPending) {
    out["code"] = Json::number(state.code);
    out["message"] = Str(state.code == -1 ? (lang == "en" ? "The PBX did not answer; check the call"
                                                          : "АТС не ответила; проверьте звонок")
                                          : ResultMeaning(state.code, lang));
  }
  return out;
}

Json RecordJson(const std::string& stored) {
  Json out = Json::object(true);
  const auto record = adapters::RecordFromStoredKey(stored);
  out["entity"] = Str(record ? record->entity : "");
  out["id"] = Str(record ? record->id : "");
  return out;
}

http::Response Options(ReceptionService& service, const http::Caller& caller) {
  const ReceptionSettings s = service.LoadSettings(caller.tenant_id);
  Json out = Json::object(true);
  Json types = Json::array(s.service_types.size());
  for (std::size_t i = 0; i < s.service_types.size(); ++i) {
    Json t = Json::object(true);
    t["id"] = Str(s.service_types[i].id);
    t["name"] = Str(s.service_types[i].name);
    types[i] = t;
  }
  out["service_types"] = types;
  out["transfer_method"] = Str(ToString(s.transfer_method));
  out["inquiry_target"] = Str(ToString(s.inquiry_target));
  return http::Response::Json(200, out.serialize());
}

http::Response Managers(ReceptionService& service, http::Request& request,
                        const http::Caller& caller) {
  const std::string type = request.QueryParam("service_type").value_or("");
  if (type.empty()) {
    throw InvalidArgument("service_type is required", "service_type");
  }
  const std::vector<ManagerRow> rows = service.Managers(caller.tenant_id, type);
  Json list = Json::array(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Manager& m = rows[i].manager;
    Json j = Json::object(true);
    j["user_id"] = Str(m.user_id);
    j["name"] = Str(m.name);
    j["extension"] = Str(m.extension);
    Json deps = Json::array(rows[i].department_ids.size());
    for (std::size_t k = 0; k < rows[i].department_ids.size(); ++k) {
      deps[k] = Str(rows[i].department_ids[k]);
    }
    j["department_ids"] = deps;
    j["work_day"] = Str(ToString(m.work_day));
    j["online"] = m.online ? Json::boolean(*m.online) : Json::null();
    j["line"] = Str(ToString(m.line));
    j["availability"] = Json::number(Availability(m));
    list[i] = j;
  }
  Json out = Json::object(true);
  out["service_type"] = Str(type);
  out["managers"] = list;
  return http::Response::Json(200, out.serialize());
}

http::Response Transfer(ReceptionService& service, http::Request& request,
                        const http::Caller& caller) {
  const Json body = adapters::ParseBody(request.body);
  adapters::ObjectReader r(body, "");
  TransferRequest t;
  t.crm_call_id = r.String("call", true, 191);
  t.manager_user_id = r.String("user_id", true, 32);
  const std::string method = r.String("method", false, 16);
  r.Done();
  if (t.crm_call_id.empty()) {
    throw InvalidArgument("call is required", "call");
  }
  if (t.manager_user_id.empty() ||
      t.manager_user_id.find_first_not_of("0123456789") != std::string::npos) {
    throw InvalidArgument("user_id is the manager's portal user id", "user_id");
  }
  if (!method.empty()) {
    t.method = TransferMethodFrom(method);
    if (!t.method) {
      throw InvalidArgument("method is \"blind\" or \"hold\"", "method");
    }
  }
  const TransferState state = service.Transfer(caller.tenant_id, caller.user_id, t);
  return http::Response::Json(state.outcome == TransferOutcome::kPending ? 202 : 200,
                              TransferJson(state, Lang(request)).serialize());
}

http::Response TransferStatus(ReceptionService& service, http::Request& request,
                              const http::Caller& caller) {
  const std::string id = request.PathParam("id");
  if (id.empty() || id.size() > 64) {
    throw InvalidArgument("id is a transfer's command_id", "id");
  }
  return http::Response::Json(
      200, TransferJson(service.TransferStateOf(caller.tenant_id, id), Lang(request)).serialize());
}

http::Response AcceptInquiry(ReceptionService& service, http::Request& request,
                             const http::Caller& caller) {
  const Json body = adapters::ParseBody(request.body);
  adapters::ObjectReader r(body, "");
  Inquiry q;
  q.request_id = r.String("request_id", true, kMaxRequestId);
  q.topic = r.String("topic", true, 255);
  q.todo = r.String("todo", false, 4000);
  q.name = r.String("name", false, 100);
  q.company = r.String("company", false, 255);
  q.email = r.String("email", false, 254);
  q.phone = r.String("phone", false, 32);
  q.manager_user_id = r.String("user_id", true, 32);
  q.service_type_id = r.String("service_type", false, 64);
  r.Done();
  const InquiryResult result =
      service.AcceptInquiry(caller.tenant_id, caller.user_id, q, Lang(request));
  Json out = Json::object(true);
  out["request_id"] = Str(q.request_id);
  out["state"] = Str(result.state);
  out["record"] = RecordJson(result.record);
  out["task_id"] = Str(result.task_id);
  out["warning"] = Str(result.error);
  return http::Response::Json(result.created ? 201 : 200, out.serialize());
}

http::Response ReadSettings(ReceptionService& service, const http::Caller& caller) {
  return http::Response::Json(200, EncodeSettings(service.LoadSettings(caller.tenant_id)));
}

http::Response SaveSettings(ReceptionService& service, http::Request& request,
                            const http::Caller& caller) {
  long long version = -1;
  ReceptionSettings wanted = SettingsFromBody(request.body, &version);
  if (version < 0) {
    throw InvalidArgument("version must not be negative", "version");
  }
  const ReceptionSettings saved =
      service.SaveSettings(caller.tenant_id, caller.user_id, std::move(wanted), version);
  return http::Response::Json(200, EncodeSettings(saved));
}

http::Response Departments(ReceptionService& service, const http::Caller& caller) {
  const auto departments = service.Departments(caller.tenant_id);
  Json list = Json::array(departments.size());
  for (std::size_t i = 0; i < departments.size(); ++i) {
    const adapters::CrmDepartment& d = departments[i];
    Json j = Json::object(true);
    j["id"] = Str(d.id);
    j["name"] = Str(d.name);
    j["sort"] = Json::number(d.sort);
    j["parent_id"] = Str(d.parent_id);
    j["head_user_id"] = Str(d.head_user_id);
    list[i] = j;
  }
  Json out = Json::object(true);
  out["departments"] = list;
  return http::Response::Json(200, out.serialize());
}

http::Response DepartmentUsers(ReceptionService& service, http::Request& request,
                               const http::Caller& caller) {
  const std::string id = request.PathParam("id");
  adapters::ParseIdText(id, "id");
  const auto users = service.DepartmentUsers(caller.tenant_id, id);
  Json list = Json::array(users.size());
  for (std::size_t i = 0; i < users.size(); ++i) {
    Json j = Json::object(true);
    j["id"] = Str(users[i].id);
    j["name"] = Str(users[i].name);
    j["extension"] = Str(users[i].extension);
    list[i] = j;
  }
  Json out = Json::object(true);
  out["users"] = list;
  return http::Response::Json(200, out.serialize());
}

}  // namespace

void AddReceptionRoutes(http::Router& router, ReceptionService& service) {
  using http::Guard;
  ReceptionService* s = &service;
  const http::RouteOptions small{8 * 1024};
  router.Add("GET", "/api/reception/options", Guard::kSeat,
             [s](http::Request&, const http::Caller& c) { return Options(*s, c); });
  router.Add("GET", "/api/reception/managers", Guard::kSeat,
             [s](http::Request& r, const http::Caller& c) { return Managers(*s, r, c); });
  router.Add(
      "POST", "/api/reception/transfer", Guard::kSeat,
      [s](http::Request& r, const http::Caller& c) { return Transfer(*s, r, c); }, small);
  router.Add("GET", "/api/reception/transfer/{id}", Guard::kSeat,
             [s](http::Request& r, const http::Caller& c) { return TransferStatus(*s, r, c); });
  router.Add(
      "POST", "/api/reception/inquiry", Guard::kSeat,
      [s](http::Request& r, const http::Caller& c) { return AcceptInquiry(*s, r, c); },
      http::RouteOptions{16 * 1024});
  router.Add("GET", "/api/settings/reception", Guard::kSeat,
             [s](http::Request&, const http::Caller& c) { return ReadSettings(*s, c); });
  router.Add(
      "PUT", "/api/settings/reception", Guard::kSettingsManager,
      [s](http::Request& r, const http::Caller& c) { return SaveSettings(*s, r, c); },
      http::RouteOptions{256 * 1024});
  router.Add("GET", "/api/settings/reception/departments", Guard::kSeat,
             [s](http::Request&, const http::Caller& c) { return Departments(*s, c); });
  router.Add("GET", "/api/settings/reception/departments/{id}/users", Guard::kSeat,
             [s](http::Request& r, const http::Caller& c) { return DepartmentUsers(*s, r, c); });
}

}  // namespace opdesk::reception
