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

Json WithStatusType(Json field, const std::string& status_type) {
  field["statusType"] = Json::string(status_type);
  return field;
}

// A list user field (UF_CRM_*) as the portal describes it: its choices in `items`.
Json EnumerationField(const std::string& title, const std::vector<std::string>& values) {
  Json f = FieldInfo("enumeration", false, false, false, title);
  f["formLabel"] = Json::string(title);
  Json items = Json::array(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    items[i] = Json::object(true);
    items[i]["ID"] = Json::string(std::to_string(i + 1));
    items[i]["VALUE"] = Json::string(values[i]);
  }
  f["items"] = items;
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
  if (kind == "contact") {
    d["BIRTHDATE"] = FieldInfo("date", false, false, false, "Дата рождения");
    d["UF_CRM_SEGMENT"] = EnumerationField("Сегмент", {"Розница", "Опт", "VIP"});
  }
  if (kind == "lead") {
    d["STATUS_ID"] =
        WithStatusType(FieldInfo("crm_status", false, false, false, "Стадия"), "STATUS");
    d["SOURCE_ID"] =
        WithStatusType(FieldInfo("crm_status", false, false, false, "Источник"), "SOURCE");
    d["IS_RETURN_CUSTOMER"] = FieldInfo("char", false, true, false, "Повторный лид");
  }
  if (kind == "deal") {
    d["CATEGORY_ID"] = FieldInfo("crm_category", false, false, false, "Воронка");
    d["STAGE_ID"] =
        WithStatusType(FieldInfo("crm_status", false, false, false, "Стадия сделки"), "DEAL_STAGE");
    d["OPPORTUNITY"] = FieldInfo("double", false, false, false, "Сумма");
    d["CLOSED"] = FieldInfo("char", false, true, false, "Сделка закрыта");
    d["CLOSEDATE"] = FieldInfo("date", false, false, false, "Предполагаемая дата закрытия");
    d["UF_CRM_DELIVERY"] = EnumerationField("Доставка", {"Самовывоз", "Курьер", "Почта"});
  }
  if (kind != "company") {
    d["COMPANY_ID"] = FieldInfo("crm_company", false, false, false, "Компания");
  }
  if (kind == "contact" || kind == "deal") {
    // A string user field a script saves the dialed number into (FEATURES F2).
    d["UF_CRM_DIALED"] = FieldInfo("string", false, false, false, "Набранный номер");
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

// What the portal refuses in an update: a required field emptied, a malformed date, a list value
// that is not one of the choices. Returns the error text, or "".
std::string CheckFields(const std::string& kind, const Json& fields) {
  const Json d = FieldsDescription(kind);
  for (const auto& [key, value] : fields.as_object()) {
    if (!d.has_field(key)) {
      continue;  // unknown fields are ignored, as the portal does
    }
    const Json& info = d.at(key);
    const std::string title = Str(info, "title");
    const std::string type = Str(info, "type");
    const std::string text = value.is_string() ? value.as_string() : AsString(value);
    if (Truthy(info.at("isRequired")) && (value.is_null() || text.empty())) {
      return "Поле \"" + title + "\" обязательно для заполнения.";
    }
    if (text.empty() || value.is_array() || value.is_object()) {
      continue;
    }
    if (type == "date" && !IsIso8601(text) &&
        !(text.size() == 10 && IsIso8601(text + "T00:00:00+03:00"))) {
      return "Неверный формат даты в поле \"" + title + "\".";
    }
    if (type == "enumeration") {
      bool known = false;
      for (const auto& item : AsList(info.at("items"))) {
        known = known || Str(item, "ID") == text;
      }
      if (!known) {
        return "Значение поля \"" + title + "\" не найдено.";
      }
    }
  }
  return "";
}

// Users seeded with CRM_READ_ONLY may read the CRM but not change it.
bool MayWrite(CallContext& ctx) {
  auto it = ctx.st.data.users.find(ctx.user_id);
  return it == ctx.st.data.users.end() || !it->second.has_field("CRM_READ_ONLY") ||
         !Truthy(it->second.at("CRM_READ_ONLY"));
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
    if (!MayWrite(ctx)) {
      return Fail(403, "ACCESS_DENIED", "Access denied.");
    }
    if (std::string error = CheckFields(kind, *fields); !error.empty()) {
      return Fail(400, "ERROR_CORE", error);
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
