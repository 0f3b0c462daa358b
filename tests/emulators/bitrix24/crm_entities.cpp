// crm.{lead,deal,contact,company}.{add,get,update,list,fields,delete}.
#include "tests/emulators/bitrix24/crm_store.h"
#include "tests/emulators/bitrix24/methods.h"
#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

namespace {

const Json* Fields(const Json& params) {
  const Json* f = FindAnyCase(params, "fields");
  return f != nullptr && f->is_object() ? f : nullptr;
}

// The id parameter of get/update/delete: required, a positive integer.
std::optional<int> IdParam(const Json& params) {
  const Json* v = FindAnyCase(params, "id");
  if (v == nullptr) {
    return std::nullopt;
  }
  auto id = AsInt(*v);
  if (!id || *id <= 0) {
    return std::nullopt;
  }
  return static_cast<int>(*id);
}

Json FieldInfo(const std::string& type, bool required, bool read_only, bool multiple,
               const std::string& title) {
  Json f = Json::object(true);
  f["type"] = Json::string(type);
  f["isRequired"] = Json::boolean(required);
  f["isReadOnly"] = Json::boolean(read_only);
  f["isImmutable"] = Json::boolean(false);
  f["isMultiple"] = Json::boolean(multiple);
  f["isDynamic"] = Json::boolean(false);
  f["title"] = Json::string(title);
  return f;
}

Json FieldsDescription(const std::string& kind) {
  Json d = Json::object(true);
  d["ID"] = FieldInfo("integer", false, true, false, "ID");
  if (kind != "contact") {
    d["TITLE"] = FieldInfo("string", kind == "company", false, false, "Название");
  }
  if (kind == "lead" || kind == "contact") {
    d["NAME"] = FieldInfo("string", false, false, false, "Имя");
    d["LAST_NAME"] = FieldInfo("string", false, false, false, "Фамилия");
  }
  if (kind == "lead") {
    d["STATUS_ID"] = FieldInfo("crm_status", false, false, false, "Стадия");
    d["SOURCE_ID"] = FieldInfo("crm_status", false, false, false, "Источник");
    d["IS_RETURN_CUSTOMER"] = FieldInfo("char", false, true, false, "Повторный лид");
  }
  if (kind == "deal") {
    d["CATEGORY_ID"] = FieldInfo("crm_category", false, false, false, "Воронка");
    d["STAGE_ID"] = FieldInfo("crm_status", false, false, false, "Стадия сделки");
    d["OPPORTUNITY"] = FieldInfo("double", false, false, false, "Сумма");
  }
  if (kind != "company") {
    d["COMPANY_ID"] = FieldInfo("crm_company", false, false, false, "Компания");
  }
  if (kind == "lead" || kind == "deal") {
    d["CONTACT_ID"] = FieldInfo("crm_contact", false, false, false, "Контакт");
  }
  d["ASSIGNED_BY_ID"] = FieldInfo("user", false, false, false, "Ответственный");
  d["COMMENTS"] = FieldInfo("string", false, false, false, "Комментарий");
  d["OPENED"] = FieldInfo("char", false, false, false, "Доступен для всех");
  d["CREATED_BY_ID"] = FieldInfo("user", false, true, false, "Кем создан");
  d["DATE_CREATE"] = FieldInfo("datetime", false, true, false, "Дата создания");
  d["DATE_MODIFY"] = FieldInfo("datetime", false, true, false, "Дата изменения");
  if (kind != "deal") {
    d["HAS_PHONE"] = FieldInfo("char", false, true, false, "Есть телефон");
    d["PHONE"] = FieldInfo("crm_multifield", false, false, true, "Телефон");
    d["EMAIL"] = FieldInfo("crm_multifield", false, false, true, "E-mail");
  }
  return d;
}

void RegisterKind(Registry& r, const std::string& kind) {
  std::string prefix = "crm." + kind + ".";
  r[prefix + "add"] = [kind](CallContext& ctx, const Json& params) {
    const Json* fields = Fields(params);
    if (fields == nullptr) {
      return Fail(400, "ERROR_CORE", "Parameter 'fields' must be array.");
    }
    std::string error;
    int id = AddEntity(ctx.st, kind, *fields, ctx.user_id, &error);
    if (id == 0) {
      return Fail(400, "ERROR_CORE", error);
    }
    return Ok(Json::number(id));
  };
  r[prefix + "get"] = [kind](CallContext& ctx, const Json& params) {
    auto id = IdParam(params);
    if (!id) {
      return Fail(400, "ERROR_CORE", "ID is not defined or invalid.");
    }
    auto* map = EntityMap(ctx.st.data, kind);
    auto it = map->find(*id);
    if (it == map->end()) {
      return Fail(400, "NOT_FOUND", "Not found");
    }
    return Ok(it->second);
  };
  r[prefix + "update"] = [kind](CallContext& ctx, const Json& params) {
    auto id = IdParam(params);
    if (!id) {
      return Fail(400, "ERROR_CORE", "ID is not defined or invalid.");
    }
    const Json* fields = Fields(params);
    if (fields == nullptr) {
      return Fail(400, "ERROR_CORE", "Parameter 'fields' must be array.");
    }
    auto* map = EntityMap(ctx.st.data, kind);
    auto it = map->find(*id);
    if (it == map->end()) {
      return Fail(400, "NOT_FOUND", "Not found");
    }
    UpdateEntity(ctx.st, kind, it->second, *fields);
    it->second["MODIFY_BY_ID"] = Json::string(std::to_string(ctx.user_id));
    return Ok(Json::boolean(true));
  };
  r[prefix + "delete"] = [kind](CallContext& ctx, const Json& params) {
    auto id = IdParam(params);
    if (!id) {
      return Fail(400, "ERROR_CORE", "ID is not defined or invalid.");
    }
    auto* map = EntityMap(ctx.st.data, kind);
    if (map->erase(*id) == 0) {
      return Fail(400, "NOT_FOUND", "Not found");
    }
    return Ok(Json::boolean(true));
  };
  r[prefix + "list"] = [kind](CallContext& ctx, const Json& params) {
    std::vector<Json> rows;
    for (const auto& [id, e] : *EntityMap(ctx.st.data, kind)) {
      rows.push_back(e);
    }
    const Json* filter = FindAnyCase(params, "filter");
    const Json* order = FindAnyCase(params, "order");
    const Json* select = FindAnyCase(params, "select");
    return ListRows(rows, filter ? *filter : Json::null(), order ? *order : Json::null(),
                    select ? *select : Json::null(), FindAnyCase(params, "start"),
                    {"PHONE", "EMAIL", "WEB", "IM"});
  };
  r[prefix + "fields"] = [kind](CallContext&, const Json&) { return Ok(FieldsDescription(kind)); };
}

}  // namespace

void RegisterCrmEntities(Registry& r) {
  for (const char* kind : {"lead", "deal", "contact", "company"}) {
    RegisterKind(r, kind);
  }
}

}  // namespace b24emu
