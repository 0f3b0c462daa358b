// CRM directories, duplicate search, activities, timeline comments and tasks.
#include <cpprest/asyncrt_utils.h>

#include <algorithm>

#include "tests/emulators/bitrix24/crm_store.h"
#include "tests/emulators/bitrix24/methods.h"
#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

namespace {

MethodResult StatusList(CallContext& ctx, const Json& params) {
  const Json* filter = FindAnyCase(params, "filter");
  const Json* order = FindAnyCase(params, "order");
  MethodResult r = ListRows(ctx.st.data.statuses, filter ? *filter : Json::null(),
                            order ? *order : Json::null(), Json::null(), nullptr, {});
  r.next.reset();  // directories come in one piece
  return r;
}

MethodResult CategoryList(CallContext& ctx, const Json& params) {
  auto type = Int(params, "entityTypeId");
  if (!type) {
    return Fail(400, "ERROR_ARGUMENT", "Required parameter 'entityTypeId' is not set");
  }
  if (*type != 2) {
    return Fail(400, "NOT_FOUND", "Categories are not supported for this entity type");
  }
  Json cats = Json::array(ctx.st.data.categories.size());
  for (size_t i = 0; i < ctx.st.data.categories.size(); ++i) {
    cats[i] = ctx.st.data.categories[i];
  }
  Json result = Json::object(true);
  result["categories"] = cats;
  MethodResult r = Ok(result);
  r.total = static_cast<int64_t>(ctx.st.data.categories.size());
  return r;
}

MethodResult FindByComm(CallContext& ctx, const Json& params) {
  std::string type = Str(params, "type");
  if (type != "PHONE" && type != "EMAIL") {
    return Fail(400, "ERROR_ARGUMENT", "Communication type is not defined.");
  }
  const Json* values = Find(params, "values");
  std::vector<Json> list = values ? AsList(*values) : std::vector<Json>{};
  if (list.empty()) {
    return Fail(400, "ERROR_ARGUMENT", "Communication values is not defined.");
  }
  if (list.size() > 20) {
    return Fail(400, "ERROR_ARGUMENT", "Too many communication values. Maximum is 20.");
  }
  std::vector<std::string> kinds = {"LEAD", "CONTACT", "COMPANY"};
  if (NonEmpty(params, "entity_type")) {
    kinds = {Str(params, "entity_type")};
  }
  std::map<std::string, std::vector<int>> found;
  for (const auto& v : list) {
    std::string value = AsString(v);
    if (type == "PHONE") {
      for (const auto& [kind, id] : FindByPhone(ctx.st.data, DigitsOnly(value), kinds)) {
        auto& ids = found[kind];
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
          ids.push_back(id);
        }
      }
    } else {
      for (const auto& kind : kinds) {
        for (const auto& [id, e] : *EntityMap(ctx.st.data, kind)) {
          for (const auto& m : AsList(e.has_field("EMAIL") ? e.at("EMAIL") : Json::null())) {
            if (ToLower(Str(m, "VALUE")) == ToLower(value)) {
              found[kind].push_back(id);
            }
          }
        }
      }
    }
  }
  if (found.empty()) {
    return Ok(Json::array());  // PHP's empty array
  }
  Json out = Json::object(true);
  for (const auto& [kind, ids] : found) {
    Json a = Json::array(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      a[i] = Json::number(ids[i]);
    }
    out[kind] = a;
  }
  return Ok(out);
}

// crm.enum.activitytype: the portal's fixed list of activity types.
MethodResult ActivityTypes(CallContext&, const Json&) {
  const std::pair<int, const char*> types[] = {{1, "Встреча"},  {2, "Звонок"},
                                               {3, "Задача"},   {4, "Письмо"},
                                               {5, "Действие"}, {6, "Пользовательское действие"}};
  Json list = Json::array(std::size(types));
  for (std::size_t i = 0; i < std::size(types); ++i) {
    Json t = Json::object(true);
    t["ID"] = Json::number(types[i].first);
    t["NAME"] = Json::string(types[i].second);
    list[i] = t;
  }
  return Ok(list);
}

MethodResult TodoAdd(CallContext& ctx, const Json& params) {
  std::vector<std::string> missing;
  for (const char* key : {"ownerTypeId", "ownerId", "deadline"}) {
    if (!NonEmpty(params, key)) {
      missing.push_back(key);
    }
  }
  if (!missing.empty()) {
    std::string text = "Required fields: ";
    for (size_t i = 0; i < missing.size(); ++i) {
      text += (i ? ", " : "") + missing[i];
    }
    return Fail(400, "100", text);
  }
  std::string kind = KindFromTypeId(static_cast<int>(Int(params, "ownerTypeId").value_or(0)));
  int owner = static_cast<int>(Int(params, "ownerId").value_or(0));
  if (kind.empty() || !EntityExists(ctx.st.data, kind, owner)) {
    return Fail(400, "OWNER_NOT_FOUND", "Owner not found");
  }
  std::string deadline = Str(params, "deadline");
  if (!IsIso8601(deadline)) {
    return Fail(400, "WRONG_DATETIME_FORMAT", "Wrong datetime format: deadline");
  }
  int id = ctx.st.NextId("activity");
  Json a = Json::object(true);
  a["ID"] = Json::string(std::to_string(id));
  a["OWNER_TYPE_ID"] = Json::string(std::to_string(TypeIdFromKind(kind)));
  a["OWNER_ID"] = Json::string(std::to_string(owner));
  a["TYPE_ID"] = Json::string("6");
  a["PROVIDER_ID"] = Json::string("CRM_TODO");
  a["PROVIDER_TYPE_ID"] = Json::string("TODO");
  a["SUBJECT"] = Json::string(Str(params, "title"));
  a["DESCRIPTION"] = Json::string(Str(params, "description"));
  a["DEADLINE"] = Json::string(deadline);
  a["COMPLETED"] = Json::string("N");
  a["RESPONSIBLE_ID"] = Json::string(Str(params, "responsibleId", std::to_string(ctx.user_id)));
  a["AUTHOR_ID"] = Json::string(std::to_string(ctx.user_id));
  a["PARENT_ID"] = Json::string(Str(params, "parentActivityId", "0"));
  a["CREATED"] = Json::string(IsoTime(NowS()));
  if (const Json* ping = Find(params, "pingOffsets")) {
    a["PING_OFFSETS"] = *ping;
  }
  if (NonEmpty(params, "colorId")) {
    a["COLOR_ID"] = Json::string(Str(params, "colorId"));
  }
  ctx.st.data.activities[id] = a;
  Json r = Json::object(true);
  r["id"] = Json::number(id);
  return Ok(r);
}

MethodResult ActivityList(CallContext& ctx, const Json& params) {
  std::vector<Json> rows;
  for (const auto& [id, a] : ctx.st.data.activities) {
    rows.push_back(a);
  }
  const Json* filter = FindAnyCase(params, "filter");
  const Json* order = FindAnyCase(params, "order");
  const Json* select = FindAnyCase(params, "select");
  return ListRows(rows, filter ? *filter : Json::null(), order ? *order : Json::null(),
                  select ? *select : Json::null(), FindAnyCase(params, "start"), {});
}

MethodResult CommentAdd(CallContext& ctx, const Json& params) {
  // Since crm 23.100.0 only the lower-case key is read.
  const Json* fields = Find(params, "fields");
  if (fields == nullptr || !fields->is_object()) {
    return Fail(400, "ERROR_ARGUMENT", "Required parameter 'fields' is not set");
  }
  for (const char* key : {"ENTITY_ID", "ENTITY_TYPE", "COMMENT"}) {
    if (!NonEmpty(*fields, key)) {
      return Fail(400, "ERROR_ARGUMENT", std::string("Required field '") + key + "' is not set");
    }
  }
  std::string type = ToLower(Str(*fields, "ENTITY_TYPE"));
  int entity = static_cast<int>(Int(*fields, "ENTITY_ID").value_or(0));
  if (!EntityExists(ctx.st.data, type, entity)) {
    return Fail(400, "NOT_FOUND", "Entity not found");
  }
  int id = ctx.st.NextId("comment");
  Json c = Json::object(true);
  c["ID"] = Json::string(std::to_string(id));
  c["ENTITY_ID"] = Json::number(entity);
  c["ENTITY_TYPE"] = Json::string(type);
  c["COMMENT"] = Json::string(Str(*fields, "COMMENT"));
  c["AUTHOR_ID"] = Json::string(std::to_string(ctx.user_id));
  c["CREATED"] = Json::string(IsoTime(NowS()));
  // FILES in the REST file form [[name, base64], …]: kept as name, decoded size and the first
  // bytes in hex, for the tests to assert.
  if (const Json* files = Find(*fields, "FILES"); files != nullptr && files->is_array()) {
    Json kept = Json::array();
    std::size_t n = 0;
    for (const Json& f : files->as_array()) {
      if (!f.is_array() || f.size() != 2 || !f.at(0).is_string() || !f.at(1).is_string()) {
        return Fail(400, "ERROR_ARGUMENT", "FILES items are [name, base64 content]");
      }
      std::vector<unsigned char> bytes;
      try {
        bytes = utility::conversions::from_base64(
            utility::conversions::to_string_t(f.at(1).as_string()));
      } catch (const std::exception&) {
        return Fail(400, "ERROR_ARGUMENT", "FILES content is not base64");
      }
      static const char* kHex = "0123456789abcdef";
      std::string head;
      for (std::size_t i = 0; i < bytes.size() && i < 8; ++i) {
        head += kHex[bytes[i] >> 4];
        head += kHex[bytes[i] & 15];
      }
      Json file = Json::object(true);
      file["name"] = f.at(0);
      file["size"] = Json::number(static_cast<int64_t>(bytes.size()));
      file["head_hex"] = Json::string(head);
      kept[n++] = file;
    }
    c["FILES"] = kept;
  }
  ctx.st.data.comments[id] = c;
  return Ok(Json::number(id));
}

// crm.timeline.comment.list: ENTITY_ID and ENTITY_TYPE are required filter keys.
MethodResult CommentList(CallContext& ctx, const Json& params) {
  const Json* filter = FindAnyCase(params, "filter");
  if (filter == nullptr || !NonEmpty(*filter, "ENTITY_ID") || !NonEmpty(*filter, "ENTITY_TYPE")) {
    return Fail(400, "ERROR_ARGUMENT", "filter[ENTITY_ID] and filter[ENTITY_TYPE] are required");
  }
  std::vector<Json> rows;
  for (const auto& [id, c] : ctx.st.data.comments) {
    Json row = c;
    row["ENTITY_ID"] = Json::string(std::to_string(Int(c, "ENTITY_ID").value_or(0)));
    rows.push_back(row);
  }
  Json f = *filter;
  f["ENTITY_TYPE"] = Json::string(ToLower(Str(*filter, "ENTITY_TYPE")));
  const Json* order = FindAnyCase(params, "order");
  const Json* select = FindAnyCase(params, "select");
  return ListRows(rows, f, order ? *order : Json::null(), select ? *select : Json::null(),
                  FindAnyCase(params, "start"), {});
}

// voximplant.statistic.get: FILTER, SORT (one field), ORDER (ASC/DESC), start; the rows of the
// calls finished here (with the attached record's URL) and those seeded.
MethodResult StatisticGet(CallContext& ctx, const Json& params) {
  std::vector<Json> rows;
  for (const auto& [id, call] : ctx.st.data.calls) {
    if (!call.has_field("statistics")) {
      continue;
    }
    Json s = call.at("statistics");
    if (call.has_field("record") && call.at("record").has_field("RECORD_URL")) {
      s["CALL_RECORD_URL"] = call.at("record").at("RECORD_URL");
      s["RECORD_FILE_ID"] =
          call.at("record").has_field("FILE_ID") ? call.at("record").at("FILE_ID") : Json::null();
    }
    rows.push_back(s);
  }
  for (const Json& s : ctx.st.data.call_statistics) {
    rows.push_back(s);
  }
  const Json* filter = FindAnyCase(params, "FILTER");
  Json order = Json::object(true);
  if (NonEmpty(params, "SORT")) {
    order[Str(params, "SORT")] = Json::string(Str(params, "ORDER", "ASC"));
  }
  return ListRows(rows, filter ? *filter : Json::null(), order, Json::null(),
                  FindAnyCase(params, "start"), {});
}

MethodResult TaskAdd(CallContext& ctx, const Json& params) {
  const Json* fields = FindAnyCase(params, "fields");
  if (fields == nullptr || !fields->is_object()) {
    return Fail(400, "ERROR_CORE", "Fields are not set");
  }
  if (!NonEmpty(*fields, "TITLE")) {
    return Fail(400, "ERROR_CORE", "TITLE: Не указано название задачи");
  }
  if (!NonEmpty(*fields, "RESPONSIBLE_ID")) {
    return Fail(400, "ERROR_CORE", "RESPONSIBLE_ID: Не указан ответственный");
  }
  int responsible = static_cast<int>(Int(*fields, "RESPONSIBLE_ID").value_or(0));
  if (ctx.st.data.users.count(responsible) == 0) {
    return Fail(400, "ERROR_CORE", "RESPONSIBLE_ID: Пользователь не найден");
  }
  int id = ctx.st.NextId("task");
  Json t = Json::object(true);
  t["id"] = Json::string(std::to_string(id));
  t["title"] = Json::string(Str(*fields, "TITLE"));
  t["description"] = Json::string(Str(*fields, "DESCRIPTION"));
  t["responsibleId"] = Json::string(std::to_string(responsible));
  t["createdBy"] = Json::string(Str(*fields, "CREATED_BY", std::to_string(ctx.user_id)));
  t["deadline"] =
      NonEmpty(*fields, "DEADLINE") ? Json::string(Str(*fields, "DEADLINE")) : Json::null();
  t["status"] = Json::string("2");
  t["createdDate"] = Json::string(IsoTime(NowS()));
  if (const Json* crm = Find(*fields, "UF_CRM_TASK")) {
    t["ufCrmTask"] = *crm;
  }
  ctx.st.data.tasks[id] = t;
  Json r = Json::object(true);
  r["task"] = t;
  return Ok(r);
}

}  // namespace

void RegisterCrmMisc(Registry& r) {
  r["crm.status.list"] = StatusList;
  r["crm.enum.activitytype"] = ActivityTypes;
  r["crm.category.list"] = CategoryList;
  r["crm.duplicate.findbycomm"] = FindByComm;
  r["crm.activity.todo.add"] = TodoAdd;
  r["crm.activity.list"] = ActivityList;
  r["crm.timeline.comment.add"] = CommentAdd;
  r["crm.timeline.comment.list"] = CommentList;
  r["voximplant.statistic.get"] = StatisticGet;
  r["tasks.task.add"] = TaskAdd;
}

}  // namespace b24emu
