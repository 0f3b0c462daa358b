// telephony.externalLine.* and telephony.externalCall.register/show/hide.
// These run only in application context on the real portal; every emulator token is an app
// token (see CallContext::app_context), so WRONG_AUTH_TYPE never applies here.
#include <algorithm>
#include <regex>

#include "tests/emulators/bitrix24/crm_store.h"
#include "tests/emulators/bitrix24/telephony.h"
#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

int ResolveCallUser(CallContext& ctx, const Json& params, std::string* error) {
  auto& users = ctx.st.data.users;
  int id = 0;
  if (NonEmpty(params, "USER_ID")) {
    id = static_cast<int>(Int(params, "USER_ID").value_or(0));
  } else if (NonEmpty(params, "USER_PHONE_INNER")) {
    std::string inner = Str(params, "USER_PHONE_INNER");
    for (const auto& [uid, u] : users) {
      if (Str(u, "UF_PHONE_INNER") == inner) {
        id = uid;
        break;
      }
    }
  } else {
    *error = "USER_ID or USER_PHONE_INNER should be set";
    return 0;
  }
  auto it = users.find(id);
  if (it == users.end() || !Truthy(it->second.at("ACTIVE"))) {
    *error = "User is not found or is not active";
    return 0;
  }
  return id;
}

namespace {

MethodResult LineAdd(CallContext& ctx, const Json& params) {
  std::string number = Str(params, "NUMBER");
  if (number.empty()) {
    return Fail(400, "ERROR_ARGUMENT", "NUMBER is not set");
  }
  if (ctx.st.data.lines.count(number) > 0) {
    return Fail(400, "ERROR_CORE", "Line already exists");
  }
  Json line = Json::object(true);
  int id = ctx.st.NextId("line");
  line["ID"] = Json::number(id);
  line["NUMBER"] = Json::string(number);
  line["NAME"] = Json::string(Str(params, "NAME", number));
  line["CRM_AUTO_CREATE"] = Json::string(Str(params, "CRM_AUTO_CREATE", "Y"));
  ctx.st.data.lines[number] = line;
  Json r = Json::object(true);
  r["ID"] = Json::number(id);
  return Ok(r);
}

MethodResult LineUpdate(CallContext& ctx, const Json& params) {
  std::string number = Str(params, "NUMBER");
  if (number.empty()) {
    return Fail(400, "ERROR_ARGUMENT", "NUMBER is not set");
  }
  auto it = ctx.st.data.lines.find(number);
  if (it == ctx.st.data.lines.end()) {
    return Fail(400, "ERROR_CORE", "Line is not found");
  }
  if (Find(params, "NAME")) {
    it->second["NAME"] = Json::string(Str(params, "NAME"));
  }
  if (NonEmpty(params, "CRM_AUTO_CREATE")) {
    it->second["CRM_AUTO_CREATE"] = Json::string(Str(params, "CRM_AUTO_CREATE"));
  }
  Json r = Json::object(true);
  r["ID"] = it->second.at("ID");
  return Ok(r);
}

MethodResult LineDelete(CallContext& ctx, const Json& params) {
  std::string number = Str(params, "NUMBER");
  if (number.empty()) {
    return Fail(400, "ERROR_ARGUMENT", "NUMBER is not set");
  }
  if (ctx.st.data.lines.erase(number) == 0) {
    return Fail(400, "ERROR_CORE", "Line is not found");
  }
  return Ok(Json::null());
}

MethodResult LineGet(CallContext& ctx, const Json&) {
  Json out = Json::array();
  size_t i = 0;
  for (const auto& [n, l] : ctx.st.data.lines) {
    Json e = Json::object(true);
    e["NUMBER"] = l.at("NUMBER");
    e["NAME"] = l.at("NAME");
    e["CRM_AUTO_CREATE"] = l.at("CRM_AUTO_CREATE");
    out[i++] = e;
  }
  return Ok(out);
}

Json BindingJson(const std::string& type, int id) {
  Json b = Json::object(true);
  b["ENTITY_TYPE"] = Json::string(type);
  b["ENTITY_ID"] = Json::number(id);
  return b;
}

MethodResult Register(CallContext& ctx, const Json& params) {
  std::string error;
  int user = ResolveCallUser(ctx, params, &error);
  if (user == 0) {
    return Fail(400, "ERROR_CORE", error);
  }
  std::string phone = Str(params, "PHONE_NUMBER");
  static const std::regex kPhone(R"(^\+?\d+$)");
  if (phone.empty() || !std::regex_match(phone, kPhone)) {
    return Fail(400, "ERROR_CORE", "Unsupported phone number format");
  }
  auto type = Int(params, "TYPE");
  if (!type || *type < 1 || *type > 5) {
    return Fail(400, "ERROR_CORE", "Unknown TYPE");
  }
  std::string start = Str(params, "CALL_START_DATE");
  if (!start.empty() && !IsIso8601(start)) {
    return Fail(400, "ERROR_CORE", "CALL_START_DATE should be in the ISO-8601 format");
  }
  PortalData& d = ctx.st.data;
  double now = NowS();
  std::string line = Str(params, "LINE_NUMBER");
  std::string external = Str(params, "EXTERNAL_CALL_ID");
  std::string key = phone + "|" + std::to_string(*type) + "|" + std::to_string(user) + "|" + line +
                    "|" + external;
  auto dup = d.call_dedup.find(key);
  if (dup != d.call_dedup.end() && now - dup->second.second < 30 * 60 &&
      d.calls.count(dup->second.first) > 0) {
    return Ok(d.calls.at(dup->second.first).at("register_result"));
  }
  std::string call_id =
      "externalCall." + RandomHex(32) + "." + std::to_string(static_cast<int64_t>(now));
  Json result = Json::object(true);
  result["CALL_ID"] = Json::string(call_id);
  Json created = Json::array();
  Json created_lead = Json::null();
  std::string entity_type;
  int entity_id = 0;
  if (NonEmpty(params, "CRM_ENTITY_TYPE") && NonEmpty(params, "CRM_ENTITY_ID")) {
    entity_type = Str(params, "CRM_ENTITY_TYPE");
    entity_id = static_cast<int>(Int(params, "CRM_ENTITY_ID").value_or(0));
  } else {
    auto found = FindByPhone(d, DigitsOnly(phone));
    if (!found.empty()) {
      entity_type = found.front().first;
      entity_id = found.front().second;
    } else if (Int(params, "CRM_CREATE").value_or(0) == 1) {
      Json fields = Json::object(true);
      static const char* kTitles[] = {"",
                                      "Исходящий звонок",
                                      "Входящий звонок",
                                      "Входящий звонок",
                                      "Обратный звонок",
                                      "Информационный звонок"};
      fields["TITLE"] = Json::string(phone + " - " + kTitles[*type]);
      fields["SOURCE_ID"] = Json::string(Str(params, "CRM_SOURCE", "CALL"));
      Json phones = Json::array(1);
      phones[0] = Json::object(true);
      phones[0]["VALUE"] = Json::string(phone);
      phones[0]["VALUE_TYPE"] = Json::string("WORK");
      fields["PHONE"] = phones;
      fields["ASSIGNED_BY_ID"] = Json::string(std::to_string(user));
      int lead = AddEntity(ctx.st, "lead", fields, user, &error);
      entity_type = "LEAD";
      entity_id = lead;
      created_lead = Json::number(lead);
      created[0] = BindingJson("LEAD", lead);
    }
  }
  result["CRM_CREATED_LEAD"] = created_lead;
  result["CRM_CREATED_ENTITIES"] = created;
  result["CRM_ENTITY_TYPE"] = Json::string(entity_type);
  result["CRM_ENTITY_ID"] = Json::number(entity_id);
  Json call = Json::object(true);
  call["CALL_ID"] = Json::string(call_id);
  call["params"] = params;
  call["USER_ID"] = Json::number(user);
  call["PHONE_NUMBER"] = Json::string(phone);
  call["TYPE"] = Json::number(*type);
  call["LINE_NUMBER"] = Json::string(line);
  call["EXTERNAL_CALL_ID"] = Json::string(external);
  call["CALL_START_DATE"] = Json::string(start.empty() ? IsoTime(now) : start);
  call["CRM_ENTITY_TYPE"] = Json::string(entity_type);
  call["CRM_ENTITY_ID"] = Json::number(entity_id);
  Json shown = Json::array();
  if (Int(params, "SHOW").value_or(1) == 1) {
    shown[0] = Json::number(user);
  }
  call["shown_to"] = shown;
  call["finished"] = Json::boolean(false);
  call["register_result"] = result;
  d.calls[call_id] = call;
  d.call_dedup[key] = {call_id, now};
  return Ok(result);
}

// show/hide keep the set of users who currently see the card.
MethodResult ShowHide(CallContext& ctx, const Json& params, bool show) {
  std::string call_id = Str(params, "CALL_ID");
  if (call_id.empty()) {
    return Fail(400, "ERROR_ARGUMENT", "CALL_ID is not set");
  }
  auto it = ctx.st.data.calls.find(call_id);
  if (it == ctx.st.data.calls.end()) {
    return show ? Fail(400, "ERROR_CORE", "Call is not found") : Ok(Json::boolean(false));
  }
  std::vector<int64_t> users;
  if (const Json* u = Find(params, "USER_ID")) {
    for (const auto& v : AsList(*u)) {
      if (auto id = AsInt(v)) {
        users.push_back(*id);
      }
    }
  } else {
    users.push_back(it->second.at("USER_ID").as_number().to_int64());
  }
  std::vector<int64_t> shown;
  for (const auto& v : AsList(it->second.at("shown_to"))) {
    shown.push_back(v.as_number().to_int64());
  }
  for (int64_t u : users) {
    auto pos = std::find(shown.begin(), shown.end(), u);
    if (show && pos == shown.end()) {
      shown.push_back(u);
    } else if (!show && pos != shown.end()) {
      shown.erase(pos);
    }
  }
  Json arr = Json::array(shown.size());
  for (size_t i = 0; i < shown.size(); ++i) {
    arr[i] = Json::number(shown[i]);
  }
  it->second["shown_to"] = arr;
  return Ok(Json::boolean(true));
}

}  // namespace

void RegisterTelephonyLines(Registry& r) {
  r["telephony.externalline.add"] = LineAdd;
  r["telephony.externalline.update"] = LineUpdate;
  r["telephony.externalline.delete"] = LineDelete;
  r["telephony.externalline.get"] = LineGet;
  r["telephony.externalcall.register"] = Register;
  r["telephony.externalcall.show"] = [](CallContext& c, const Json& p) {
    return ShowHide(c, p, true);
  };
  r["telephony.externalcall.hide"] = [](CallContext& c, const Json& p) {
    return ShowHide(c, p, false);
  };
}

}  // namespace b24emu
