#include "adapters/bitrix24/crm_card.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "adapters/bitrix24/crm_card_values.h"
#include "adapters/json_read.h"
#include "connector/domain/messages.h"

namespace opdesk::bitrix24 {
namespace {

using adapters::JsonFlag;
using adapters::JsonText;
using card::CanEdit;
using card::CardType;
using card::FieldLabel;
using card::TitleOf;
using web::json::value;

const char* const kEntities[] = {"lead", "deal", "contact", "company"};

bool IsEntity(const std::string& e) {
  return std::find(std::begin(kEntities), std::end(kEntities), e) != std::end(kEntities);
}

bool AllDigits(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

struct CrmCard::Catalog {
  std::map<std::string, value> fields;  // entity → crm.<entity>.fields result
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> statuses;  // by ENTITY_ID
  EpochMs loaded_at_ms = 0;

  const value* Describe(const std::string& entity, const std::string& code) const {
    auto it = fields.find(entity);
    if (it == fields.end() || !it->second.is_object() || !it->second.has_field(code)) {
      return nullptr;
    }
    return &it->second.at(code);
  }

  // The choices of a list field; a deal's stage depends on its pipeline.
  value Items(const std::string& entity, const std::string& code, const value& desc,
              const value& record) const {
    value items = value::array();
    std::size_t n = 0;
    const std::string type = JsonText(desc, "type");
    if (type == "enumeration" && desc.has_field("items") && desc.at("items").is_array()) {
      for (const auto& item : desc.at("items").as_array()) {
        value i = value::object();
        i["id"] = value::string(JsonText(item, "ID"));
        i["value"] = value::string(JsonText(item, "VALUE"));
        items[n++] = i;
      }
      return items;
    }
    if (type != "crm_status") {
      return items;
    }
    std::string directory = JsonText(desc, "statusType");
    if (entity == "deal" && code == "STAGE_ID") {
      const std::string category = JsonText(record, "CATEGORY_ID");
      directory = category.empty() || category == "0" ? "DEAL_STAGE" : "DEAL_STAGE_" + category;
    } else if (directory.empty()) {
      directory = code == "STATUS_ID" ? "STATUS" : (code == "SOURCE_ID" ? "SOURCE" : "");
    }
    auto it = statuses.find(directory);
    if (it != statuses.end()) {
      for (const auto& [id, name] : it->second) {
        value i = value::object();
        i["id"] = value::string(id);
        i["value"] = value::string(name);
        items[n++] = i;
      }
    }
    return items;
  }

  // Whether `id` is a choice of a list field. A deal's stage depends on its pipeline, which the
  // form does not send: it is checked against every stage the portal has; the CRM refuses a stage
  // of another pipeline itself.
  bool IsChoice(const std::string& entity, const std::string& code, const value& desc,
                const std::string& id) const {
    value any_record = value::object();
    const value items = Items(entity, code, desc, any_record);
    bool known = false;
    for (const auto& i : items.as_array()) {
      known = known || JsonText(i, "id") == id;
    }
    if (!known && entity == "deal" && code == "STAGE_ID") {
      for (const auto& [dir, list] : statuses) {
        if (dir.rfind("DEAL_STAGE", 0) == 0) {
          for (const auto& [status_id, name] : list) {
            known = known || status_id == id;
          }
        }
      }
    }
    return known;
  }
};

CrmRef ParseCrmRef(const std::string& entity, const std::string& id) {
  std::string e = entity;
  std::transform(e.begin(), e.end(), e.begin(), ::tolower);
  if (!IsEntity(e)) {
    throw InvalidArgument("entity must be lead, deal, contact or company", "entity");
  }
  if (!AllDigits(id) || id.size() > 18 || id == std::string(id.size(), '0')) {
    throw InvalidArgument("id must be a positive integer", "id");
  }
  return {e, id};
}

std::shared_ptr<const CrmCard::Catalog> CrmCard::CatalogFor(const std::string& tenant_id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = catalogs_.find(tenant_id);
    if (it != catalogs_.end() && clock_.NowMs() - it->second->loaded_at_ms < kCatalogTtlMs) {
      return it->second;
    }
  }
  // Loaded outside the lock: two cards opening at once may both load; the later one wins.
  std::vector<std::pair<std::string, std::string>> commands;
  for (const char* e : kEntities) {
    commands.emplace_back(
        e, RestClient::BatchCommand(std::string("crm.") + e + ".fields", value::object()));
  }
  commands.emplace_back("statuses", RestClient::BatchCommand("crm.status.list", value::object()));
  const BatchResult batch = rest_.Batch(tenant_id, commands, false);
  auto catalog = std::make_shared<Catalog>();
  for (const char* e : kEntities) {
    auto it = batch.results().find(e);
    if (it == batch.results().end()) {
      throw Unavailable(std::string("the CRM did not describe its ") + e + " fields");
    }
    catalog->fields[e] = it->second;
  }
  if (auto it = batch.results().find("statuses");
      it != batch.results().end() && it->second.is_array()) {
    for (const auto& row : it->second.as_array()) {
      catalog->statuses[JsonText(row, "ENTITY_ID")].emplace_back(JsonText(row, "STATUS_ID"),
                                                                 JsonText(row, "NAME"));
    }
  }
  catalog->loaded_at_ms = clock_.NowMs();
  std::lock_guard<std::mutex> lock(mu_);
  catalogs_[tenant_id] = catalog;
  return catalog;
}

void CrmCard::Invalidate(const std::string& tenant_id) {
  std::lock_guard<std::mutex> lock(mu_);
  catalogs_.erase(tenant_id);
}

value CrmCard::DescribeFields(const std::string& tenant_id, const std::string& entity) {
  if (!IsEntity(entity)) {
    throw InvalidArgument("entity must be lead, deal, contact or company", "entity");
  }
  const auto catalog = CatalogFor(tenant_id);
  value out = value::array();
  std::size_t n = 0;
  const value& fields = catalog->fields.at(entity);
  if (!fields.is_object()) {
    return out;
  }
  for (const auto& [code, desc] : fields.as_object()) {
    value f = value::object();
    f["code"] = value::string(code);
    f["label"] = value::string(FieldLabel(desc));
    const std::string type = CardType(code, desc);
    f["type"] = value::string(type);
    f["multiple"] = value::boolean(JsonFlag(desc, "isMultiple"));
    f["required"] = value::boolean(JsonFlag(desc, "isRequired"));
    f["read_only"] = value::boolean(!CanEdit(type, desc));
    out[n++] = f;
  }
  return out;
}

value CrmCard::Section(const Catalog& catalog, const std::string& entity, const value& record,
                       const std::vector<FieldRef>& fields) const {
  value section = value::object();
  section["entity"] = value::string(entity);
  section["id"] = value::string(JsonText(record, "ID"));
  section["title"] = value::string(TitleOf(entity, record));
  value list = value::array();
  std::size_t n = 0;
  for (const FieldRef& ref : fields) {
    if (ref.entity != entity) {
      continue;
    }
    const value* desc = catalog.Describe(entity, ref.code);
    if (desc == nullptr) {
      continue;  // the field was deleted in the CRM since the role was set up
    }
    const std::string type = CardType(ref.code, *desc);
    value f = value::object();
    f["entity"] = value::string(entity);
    f["code"] = value::string(ref.code);
    f["label"] = value::string(FieldLabel(*desc));
    f["type"] = value::string(type);
    f["multiple"] = value::boolean(JsonFlag(*desc, "isMultiple"));
    f["required"] = value::boolean(JsonFlag(*desc, "isRequired"));
    f["editable"] = value::boolean(ref.editable && CanEdit(type, *desc));
    if (type == "enumeration" || type == "crm_status") {
      f["items"] = catalog.Items(entity, ref.code, *desc, record);
    }
    const value raw =
        record.is_object() && record.has_field(ref.code) ? record.at(ref.code) : value::null();
    if (type == "phone" || type == "email") {
      value items = value::array();
      std::size_t k = 0;
      if (raw.is_array()) {
        for (const auto& m : raw.as_array()) {
          value item = value::object();
          item["id"] = value::string(JsonText(m, "ID"));
          item["value"] = value::string(JsonText(m, "VALUE"));
          item["value_type"] = value::string(JsonText(m, "VALUE_TYPE"));
          items[k++] = item;
        }
      }
      f["value"] = items;
    } else if (type == "boolean") {
      const std::string s =
          raw.is_boolean() ? (raw.as_bool() ? "Y" : "N") : (raw.is_string() ? raw.as_string() : "");
      f["value"] = value::boolean(s == "Y" || s == "1");
    } else if (type == "date") {
      const std::string s = raw.is_string() ? raw.as_string() : "";
      f["value"] = value::string(s.substr(0, std::min<std::size_t>(10, s.size())));
    } else if (raw.is_string()) {
      f["value"] = raw;
    } else if (raw.is_number()) {
      f["value"] = value::string(raw.serialize());
    } else if (raw.is_array()) {
      f["value"] = raw;
    } else {
      f["value"] = value::null();
    }
    list[n++] = f;
  }
  section["fields"] = list;
  return section;
}

value CrmCard::Save(const std::string& tenant_id, const std::string& user_id, const CrmRef& ref,
                    const value& values, const std::vector<FieldRef>& allowed,
                    const std::string& lang) {
  if (!values.is_object() || values.size() == 0) {
    throw InvalidArgument("values must be an object of field codes", "values");
  }
  const auto catalog = CatalogFor(tenant_id);
  CallOptions options;
  options.user_id = user_id;
  options.idempotent = true;  // an update with the same values is harmless to repeat
  const value current = CurrentRowsFor(tenant_id, ref, values, options);
  const value fields = FieldsToWrite(*catalog, ref, values, allowed, current, lang);
  const value saved = WriteAndReadBack(tenant_id, *catalog, ref, values, fields, options, lang);
  spdlog::info("event=callcard_saved tenant={} user={} entity={} id={} fields={}", tenant_id,
               user_id, ref.entity, ref.id, values.size());
  return Section(*catalog, ref.entity, saved, allowed);
}

value CrmCard::CurrentRowsFor(const std::string& tenant_id, const CrmRef& ref, const value& values,
                              const CallOptions& options) {
  // A multifield comes as the whole list wanted; rows left out are deleted, which the CRM is told
  // row by row, so the rows it has now are needed.
  for (const auto& [code, v] : values.as_object()) {
    if (code == "PHONE" || code == "EMAIL") {
      value get = value::object();
      get["id"] = value::string(ref.id);
      return rest_.Call(tenant_id, "crm." + ref.entity + ".get", get, options);
    }
  }
  return value::null();
}

value CrmCard::FieldsToWrite(const Catalog& catalog, const CrmRef& ref, const value& values,
                             const std::vector<FieldRef>& allowed, const value& current,
                             const std::string& lang) {
  value fields = value::object();
  for (const auto& [code, v] : values.as_object()) {
    auto ref_it = std::find_if(allowed.begin(), allowed.end(), [&](const FieldRef& f) {
      return f.entity == ref.entity && f.code == code;
    });
    const value* desc = catalog.Describe(ref.entity, code);
    if (ref_it == allowed.end() || desc == nullptr) {
      throw InvalidArgument(card::LockedText(lang), code);
    }
    const std::string type = CardType(code, *desc);
    if (!ref_it->editable || !CanEdit(type, *desc)) {
      throw InvalidArgument(card::LockedText(lang), code);
    }
    const card::FieldEdit edit{code, type, *desc, lang};
    if (type == "phone" || type == "email") {
      fields[code] = card::MultifieldRows(edit, v, current);
    } else {
      const std::string& field_code = code;
      fields[code] = card::ScalarValue(edit, v, [&](const std::string& id) {
        return catalog.IsChoice(ref.entity, field_code, *desc, id);
      });
    }
  }
  return fields;
}

value CrmCard::WriteAndReadBack(const std::string& tenant_id, const Catalog& catalog,
                                const CrmRef& ref, const value& values, const value& fields,
                                const CallOptions& options, const std::string& lang) {
  value update = value::object();
  update["id"] = value::string(ref.id);
  update["fields"] = fields;
  update["params"]["REGISTER_SONET_EVENT"] = value::string("Y");
  value get = value::object();
  get["id"] = value::string(ref.id);
  const BatchResult batch =
      rest_.Batch(tenant_id,
                  {{"update", RestClient::BatchCommand("crm." + ref.entity + ".update", update)},
                   {"get", RestClient::BatchCommand("crm." + ref.entity + ".get", get)}},
                  true, options);
  if (auto err = batch.errors.find("update"); err != batch.errors.end()) {
    const std::string& why = err->second;
    if (why.rfind("ACCESS_DENIED", 0) == 0) {
      throw PermissionDenied(Message("card.save_denied", lang));
    }
    if (why.rfind("NOT_FOUND", 0) == 0) {
      throw NotFound("the CRM has no " + ref.entity + " " + ref.id);
    }
    // The CRM names a field by its label ("Поле \"Название\" обязательно…"): point at it.
    std::string field;
    for (const auto& [code, v] : values.as_object()) {
      const value* desc = catalog.Describe(ref.entity, code);
      const std::string label = desc ? JsonText(*desc, "title") : "";
      if (!label.empty() && why.find(label) != std::string::npos) {
        field = code;
        break;
      }
    }
    const auto colon = why.find(": ");
    throw InvalidArgument(colon == std::string::npos ? why : why.substr(colon + 2), field);
  }
  auto got = batch.results().find("get");
  if (got == batch.results().end()) {
    throw Unavailable("the CRM saved the record but did not return it; reload the card");
  }
  return got->second;
}

}  // namespace opdesk::bitrix24
