#include "tests/emulators/bitrix24/crm_store.h"

#include <algorithm>

#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

std::map<int, Json>* EntityMap(PortalData& data, const std::string& kind) {
  std::string k = ToLower(kind);
  if (k == "lead")
    return &data.leads;
  if (k == "deal")
    return &data.deals;
  if (k == "contact")
    return &data.contacts;
  if (k == "company")
    return &data.companies;
  return nullptr;
}

std::string KindFromTypeId(int type_id) {
  switch (type_id) {
    case 1:
      return "lead";
    case 2:
      return "deal";
    case 3:
      return "contact";
    case 4:
      return "company";
    default:
      return "";
  }
}

int TypeIdFromKind(const std::string& kind) {
  std::string k = ToLower(kind);
  for (int id = 1; id <= 4; ++id) {
    if (KindFromTypeId(id) == k) {
      return id;
    }
  }
  return 0;
}

bool EntityExists(PortalData& data, const std::string& kind, int id) {
  auto* map = EntityMap(data, kind);
  return map != nullptr && map->count(id) > 0;
}

namespace {

const std::vector<std::string> kMultifields = {"PHONE", "EMAIL", "WEB", "IM"};

bool IsMultifield(const std::string& key) {
  return std::find(kMultifields.begin(), kMultifields.end(), key) != kMultifields.end();
}

void ApplyMultifield(State& st, Json& entity, const std::string& type, const Json& items) {
  Json current = entity.has_field(type) ? entity.at(type) : Json::array();
  std::vector<Json> list = AsList(current);
  for (const auto& item : AsList(items)) {
    if (!item.is_object()) {
      continue;
    }
    std::string id = Str(item, "ID");
    std::string value = Str(item, "VALUE");
    bool remove = value.empty() || ToLower(Str(item, "DELETE")) == "y";
    if (!id.empty()) {
      auto it =
          std::find_if(list.begin(), list.end(), [&](const Json& e) { return Str(e, "ID") == id; });
      if (it == list.end()) {
        continue;  // an unknown ID is ignored, as the portal does
      }
      if (remove) {
        list.erase(it);
      } else {
        (*it)["VALUE"] = Json::string(value);
        if (NonEmpty(item, "VALUE_TYPE")) {
          (*it)["VALUE_TYPE"] = Json::string(Str(item, "VALUE_TYPE"));
        }
      }
      continue;
    }
    if (remove) {
      continue;
    }
    Json e = Json::object(true);
    e["ID"] = Json::string(std::to_string(st.NextId("multifield")));
    e["VALUE_TYPE"] = Json::string(Str(item, "VALUE_TYPE", "WORK"));
    e["VALUE"] = Json::string(value);
    e["TYPE_ID"] = Json::string(type);
    list.push_back(e);
  }
  Json arr = Json::array(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    arr[i] = list[i];
  }
  entity[type] = arr;
  if (type == "PHONE") {
    entity["HAS_PHONE"] = Json::string(list.empty() ? "N" : "Y");
  }
}

Json Defaults(State& st, const std::string& kind, int id, int user_id) {
  Json e = Json::object(true);
  std::string now = IsoTime(NowS());
  e["ID"] = Json::string(std::to_string(id));
  if (kind == "lead") {
    e["TITLE"] = Json::string("");
    e["NAME"] = Json::string("");
    e["LAST_NAME"] = Json::string("");
    e["STATUS_ID"] = Json::string("NEW");
    e["SOURCE_ID"] = Json::string("");
    e["CONTACT_ID"] = Json::null();
    e["COMPANY_ID"] = Json::null();
    e["IS_RETURN_CUSTOMER"] = Json::string("N");
  } else if (kind == "deal") {
    e["TITLE"] = Json::string("");
    e["CATEGORY_ID"] = Json::string("0");
    e["STAGE_ID"] = Json::string("NEW");
    e["CONTACT_ID"] = Json::null();
    e["COMPANY_ID"] = Json::null();
    e["OPPORTUNITY"] = Json::string("0.00");
    e["CLOSED"] = Json::string("N");
  } else if (kind == "contact") {
    e["NAME"] = Json::string("");
    e["LAST_NAME"] = Json::string("");
    e["COMPANY_ID"] = Json::null();
  } else {
    e["TITLE"] = Json::string("");
  }
  e["COMMENTS"] = Json::null();
  e["OPENED"] = Json::string("Y");
  e["ASSIGNED_BY_ID"] = Json::string(std::to_string(user_id));
  e["CREATED_BY_ID"] = Json::string(std::to_string(user_id));
  e["MODIFY_BY_ID"] = Json::string(std::to_string(user_id));
  e["DATE_CREATE"] = Json::string(now);
  e["DATE_MODIFY"] = Json::string(now);
  if (kind != "deal") {
    e["HAS_PHONE"] = Json::string("N");
  }
  (void)st;
  return e;
}

}  // namespace

void UpdateEntity(State& st, const std::string& kind, Json& entity, const Json& fields) {
  if (!fields.is_object()) {
    return;
  }
  for (const auto& [key, value] : fields.as_object()) {
    if (key == "ID" || key == "DATE_CREATE" || key == "CREATED_BY_ID") {
      continue;  // read-only
    }
    if (kind == "deal" && key == "CATEGORY_ID") {
      continue;  // crm.deal.update cannot move a deal to another pipeline; add sets it itself
    }
    if (IsMultifield(key)) {
      ApplyMultifield(st, entity, key, value);
    } else if (value.is_array() || value.is_object() || value.is_null()) {
      entity[key] = value;
    } else {
      entity[key] = Json::string(AsString(value));
    }
  }
  if (kind == "deal") {
    // A deal in a success or failure stage is closed.
    const std::string stage = Str(entity, "STAGE_ID");
    bool closed = false;
    for (const auto& s : st.data.statuses) {
      if (Str(s, "STATUS_ID") == stage && Str(s, "ENTITY_ID").rfind("DEAL_STAGE", 0) == 0) {
        closed = Str(s, "SEMANTICS") == "S" || Str(s, "SEMANTICS") == "F";
      }
    }
    entity["CLOSED"] = Json::string(closed ? "Y" : "N");
  }
  if (kind == "lead" && (NonEmpty(entity, "CONTACT_ID") || NonEmpty(entity, "COMPANY_ID"))) {
    entity["IS_RETURN_CUSTOMER"] = Json::string("Y");
  }
  entity["DATE_MODIFY"] = Json::string(IsoTime(NowS()));
}

int AddEntity(State& st, const std::string& kind_in, const Json& fields, int user_id,
              std::string* error) {
  std::string kind = ToLower(kind_in);
  auto* map = EntityMap(st.data, kind);
  if (map == nullptr) {
    *error = "Unknown entity type";
    return 0;
  }
  if (kind == "deal") {
    std::string category = Str(fields, "CATEGORY_ID", "0");
    bool known = std::any_of(st.data.categories.begin(), st.data.categories.end(),
                             [&](const Json& c) { return Str(c, "id") == category; });
    if (!known) {
      *error = "Category with ID " + category + " is not found";
      return 0;
    }
  }
  int id = st.NextId(kind);
  if (auto explicit_id = Int(fields, "ID"); explicit_id && *explicit_id > 0) {
    id = static_cast<int>(*explicit_id);  // seeding may pin ids
    st.data.next_id[kind] = std::max(st.data.next_id[kind], id);
  }
  Json e = Defaults(st, kind, id, user_id);
  if (kind == "deal") {
    std::string category = Str(fields, "CATEGORY_ID", "0");
    e["CATEGORY_ID"] = Json::string(category);
    e["STAGE_ID"] = Json::string(category == "0" ? "NEW" : "C" + category + ":NEW");
  }
  UpdateEntity(st, kind, e, fields);
  e["ID"] = Json::string(std::to_string(id));
  (*map)[id] = e;
  return id;
}

std::vector<std::pair<std::string, int>> FindByPhone(PortalData& data, const std::string& digits,
                                                     const std::vector<std::string>& kinds) {
  std::vector<std::pair<std::string, int>> out;
  if (digits.empty()) {
    return out;
  }
  for (const auto& kind : kinds) {
    auto* map = EntityMap(data, kind);
    if (map == nullptr) {
      continue;
    }
    for (const auto& [id, e] : *map) {
      if (!e.has_field("PHONE")) {
        continue;
      }
      for (const auto& p : AsList(e.at("PHONE"))) {
        if (DigitsOnly(Str(p, "VALUE")) == digits) {
          out.emplace_back(kind, id);
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace b24emu
