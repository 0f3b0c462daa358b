// telephony.externalCall.finish / attachRecord / searchCrmEntities. Like register, finish runs
// in application context only; emulator tokens always are (see CallContext::app_context).
#include <cpprest/asyncrt_utils.h>

#include "tests/emulators/bitrix24/crm_store.h"
#include "tests/emulators/bitrix24/rest.h"
#include "tests/emulators/bitrix24/telephony.h"
#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

namespace {

MethodResult FinishCall(CallContext& ctx, const Json& params) {
  const Json* call_id_value = Find(params, "CALL_ID");
  if (call_id_value == nullptr || !call_id_value->is_string() ||
      call_id_value->as_string().empty()) {
    return Fail(400, "INVALID_ARGUMENT", "Argument CALL_ID must be a string");
  }
  auto it = ctx.st.data.calls.find(call_id_value->as_string());
  // A finished call has moved to the statistics table, so a second finish cannot find it.
  if (it == ctx.st.data.calls.end() || Truthy(it->second.at("finished"))) {
    return Fail(400, "ERROR_CORE",
                "Call is not found (call should be registered prior to finishing");
  }
  std::string error;
  int user = ResolveCallUser(ctx, params, &error);
  if (user == 0) {
    return Fail(400, "ERROR_CORE", error);
  }
  Json& call = it->second;
  int64_t duration = Int(params, "DURATION").value_or(0);
  std::string status = Str(params, "STATUS_CODE", duration > 0 ? "200" : "304");
  std::string entity_type = Str(call, "CRM_ENTITY_TYPE");
  int entity_id = static_cast<int>(Int(call, "CRM_ENTITY_ID").value_or(0));
  if (entity_type.empty()) {
    // A call registered without a CRM item is bound by finish to what the number finds now (the
    // portal's CVoxImplantCrmHelper::AddCall searches by phone when the call has no bindings), so
    // a client created during or after the call gets it.
    auto found = FindByPhone(ctx.st.data, DigitsOnly(Str(call, "PHONE_NUMBER")));
    if (!found.empty()) {
      entity_type = found.front().first;
      entity_id = found.front().second;
    }
  }
  Json activity_id = Json::null();
  // The call activity is created by finish, and only when the call is bound to a CRM item.
  if (!entity_type.empty() && EntityExists(ctx.st.data, entity_type, entity_id)) {
    int id = ctx.st.NextId("activity");
    int type = static_cast<int>(Int(call, "TYPE").value_or(2));
    Json a = Json::object(true);
    a["ID"] = Json::string(std::to_string(id));
    a["OWNER_TYPE_ID"] = Json::string(std::to_string(TypeIdFromKind(entity_type)));
    a["OWNER_ID"] = Json::string(std::to_string(entity_id));
    a["TYPE_ID"] = Json::string("2");
    a["PROVIDER_ID"] = Json::string("VOXIMPLANT_CALL");
    a["PROVIDER_TYPE_ID"] = Json::string("CALL");
    a["DIRECTION"] = Json::string(type == 1 ? "2" : "1");
    a["SUBJECT"] = Json::string((type == 1 ? "Исходящий звонок " : "Входящий звонок ") +
                                Str(call, "PHONE_NUMBER"));
    a["COMPLETED"] = Json::string("Y");
    a["RESPONSIBLE_ID"] = Json::string(std::to_string(user));
    a["START_TIME"] = call.at("CALL_START_DATE");
    a["CALL_ID"] = call.at("CALL_ID");
    a["CREATED"] = Json::string(IsoTime(NowS()));
    ctx.st.data.activities[id] = a;
    activity_id = Json::number(id);
  }
  Json s = Json::object(true);
  s["ID"] = Json::number(ctx.st.NextId("stat"));
  s["CALL_ID"] = call.at("CALL_ID");
  s["EXTERNAL_CALL_ID"] = call.at("EXTERNAL_CALL_ID");
  s["PORTAL_USER_ID"] = Json::number(user);
  s["PHONE_NUMBER"] = call.at("PHONE_NUMBER");
  s["PORTAL_NUMBER"] = call.at("LINE_NUMBER");
  s["INCOMING"] = call.at("TYPE");
  s["CALL_DURATION"] = Json::number(duration);
  s["CALL_START_DATE"] = call.at("CALL_START_DATE");
  s["CALL_STATUS"] = Json::number(status == "200" ? 1 : 0);
  s["CALL_VOTE"] = Json::number(Int(params, "VOTE").value_or(0));
  s["COST"] = Json::string(Str(params, "COST", "0.0000"));
  s["COST_CURRENCY"] = Json::string(Str(params, "COST_CURRENCY", "RUB"));
  s["CALL_FAILED_CODE"] = Json::string(status);
  s["CALL_FAILED_REASON"] = Json::string(Str(params, "FAILED_REASON"));
  s["REST_APP_ID"] = Json::number(Int(ctx.st.data.app, "ID").value_or(0));
  s["REST_APP_NAME"] = Json::string("opdesk");
  s["CRM_ACTIVITY_ID"] = activity_id;
  s["COMMENT"] = Json::null();
  s["CRM_ENTITY_TYPE"] = Json::string(entity_type);
  s["CRM_ENTITY_ID"] = Json::number(entity_id);
  call["finished"] = Json::boolean(true);
  call["finish_params"] = params;
  call["statistics"] = s;
  call["shown_to"] = Json::array();  // finish hides the card
  return Ok(s);
}

MethodResult AttachRecord(CallContext& ctx, const Json& params) {
  std::string call_id = Str(params, "CALL_ID");
  if (call_id.empty()) {
    return Fail(400, "ERROR_ARGUMENT", "CALL_ID is not set");
  }
  auto it = ctx.st.data.calls.find(call_id);
  if (it == ctx.st.data.calls.end() || !Truthy(it->second.at("finished"))) {
    return Fail(400, "ERROR_CORE",
                "Call is not found in the statistic table. Finish the call before attaching "
                "a record");
  }
  std::string filename = Str(params, "FILENAME");
  std::string url = Str(params, "RECORD_URL");
  if (filename.empty() && url.empty()) {
    return Fail(400, "ERROR_ARGUMENT", "FILENAME or RECORD_URL should be set");
  }
  Json record = Json::object(true);
  std::string lower = ToLower(filename);
  if (!filename.empty() && !lower.ends_with(".mp3") && !lower.ends_with(".wav")) {
    return Fail(400, "ERROR_CORE", "Wrong file extension. Only mp3 and wav are allowed");
  }
  Json result = Json::object(true);
  if (!filename.empty() && !NonEmpty(params, "FILE_CONTENT") && url.empty()) {
    const std::string upload_id = RandomHex(16);
    result["uploadUrl"] = Json::string(ctx.st.ClientEndpoint() + "upload/" + upload_id);
    result["fieldName"] = Json::string("file");
    record["upload_id"] = Json::string(upload_id);
    record["FILENAME"] = Json::string(filename);
    record["pending_upload"] = Json::boolean(true);
  } else {
    if (NonEmpty(params, "FILE_CONTENT")) {
      std::string content = Str(params, "FILE_CONTENT");
      std::vector<unsigned char> bytes;
      try {
        bytes = utility::conversions::from_base64(content);
      } catch (const std::exception&) {
        return Fail(400, "ERROR_CORE", "File content is not properly encoded (base64 expected)");
      }
      if (bytes.empty()) {
        return Fail(400, "ERROR_CORE", "File content is not properly encoded (base64 expected)");
      }
      record["SIZE"] = Json::number(static_cast<int64_t>(bytes.size()));
    }
    int file_id = ctx.st.NextId("file");
    record["FILE_ID"] = Json::number(file_id);
    record["FILENAME"] = Json::string(filename);
    record["RECORD_URL"] = Json::string(url);
    result["FILE_ID"] = Json::number(file_id);
  }
  it->second["record"] = record;  // a repeat call replaces the record
  return Ok(result);
}

MethodResult SearchCrmEntities(CallContext& ctx, const Json& params) {
  std::string phone = Str(params, "PHONE_NUMBER");
  if (phone.empty()) {
    return Fail(400, "ERROR_CORE", "PHONE_NUMBER is empty");
  }
  Json out = Json::array();
  size_t i = 0;
  for (const auto& [kind, id] : FindByPhone(ctx.st.data, DigitsOnly(phone))) {
    const Json& e = EntityMap(ctx.st.data, kind)->at(id);
    int assigned = static_cast<int>(Int(e, "ASSIGNED_BY_ID").value_or(0));
    Json row = Json::object(true);
    row["CRM_ENTITY_TYPE"] = Json::string(kind);
    row["CRM_ENTITY_ID"] = Json::number(id);
    row["ASSIGNED_BY_ID"] = Json::number(assigned);
    std::string name = Str(e, "TITLE");
    if (name.empty()) {
      name = Str(e, "NAME") + " " + Str(e, "LAST_NAME");
    }
    row["NAME"] = Json::string(name);
    Json by = Json::object(true);
    auto u = ctx.st.data.users.find(assigned);
    by["ID"] = Json::number(assigned);
    // A user's working day as time tracking sees it; seeded per user, else not tracked.
    by["TIMEMAN_STATUS"] = Json::string(u == ctx.st.data.users.end()
                                            ? "NOT_INSTALLED"
                                            : Str(u->second, "TIMEMAN_STATUS", "NOT_INSTALLED"));
    by["USER_PHONE_INNER"] =
        Json::string(u == ctx.st.data.users.end() ? "" : Str(u->second, "UF_PHONE_INNER"));
    by["WORK_PHONE"] = Json::string("");
    by["PERSONAL_PHONE"] = Json::string("");
    by["PERSONAL_MOBILE"] = Json::string("");
    row["ASSIGNED_BY"] = by;
    out[i++] = row;
  }
  return Ok(out);
}

}  // namespace

void RegisterTelephonyCalls(Registry& r) {
  r["telephony.externalcall.finish"] = FinishCall;
  r["telephony.externalcall.attachrecord"] = AttachRecord;
  r["telephony.externalcall.searchcrmentities"] = SearchCrmEntities;
}

}  // namespace b24emu

namespace b24emu {

// The upload URL attachRecord handed out: a multipart/form-data POST with the file in the part
// named "file". The record then has its SIZE and FILE_ID, as after FILE_CONTENT.
HttpOutcome HandleRecordUpload(State& st, const std::string& upload_id,
                               const std::string& content_type, const std::string& body) {
  HttpOutcome out;
  out.body = Json::object(true);
  for (auto& [call_id, call] : st.data.calls) {
    if (!call.has_field("record") || Str(call.at("record"), "upload_id") != upload_id) {
      continue;
    }
    const std::size_t b = content_type.find("boundary=");
    const std::string boundary = b == std::string::npos ? "" : "--" + content_type.substr(b + 9);
    const std::size_t part = boundary.empty() ? std::string::npos : body.find(boundary);
    const std::size_t named = body.find("name=\"file\"", part);
    const std::size_t start = body.find("\r\n\r\n", named);
    const std::size_t end = body.find("\r\n" + boundary, start == std::string::npos ? 0 : start);
    if (part == std::string::npos || named == std::string::npos || start == std::string::npos ||
        end == std::string::npos || end <= start + 4) {
      out.status = 400;
      out.body["error"] = Json::string("ERROR_CORE");
      out.body["error_description"] = Json::string("no file in the multipart body");
      return out;
    }
    Json& record = call["record"];
    const int file_id = st.NextId("file");
    record["SIZE"] = Json::number(static_cast<int64_t>(end - start - 4));
    record["FILE_ID"] = Json::number(file_id);
    record["pending_upload"] = Json::boolean(false);
    record["upload_id"] = Json::string("");
    Json result = Json::object(true);
    result["FILE_ID"] = Json::number(file_id);
    out.status = 200;
    out.body["result"] = result;
    return out;
  }
  out.status = 404;
  out.body["error"] = Json::string("NOT_FOUND");
  out.body["error_description"] = Json::string("unknown upload");
  return out;
}

}  // namespace b24emu
