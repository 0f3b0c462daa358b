#include "adapters/bitrix24/crm_card.h"
#include "adapters/json_read.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

namespace opdesk::bitrix24 {
namespace {

using web::json::value;

const char* const kEntities[] = {"lead", "deal", "contact", "company"};
constexpr std::size_t kMaxMatches = 20;
constexpr std::size_t kMaxTextLength = 5000;

bool IsEntity(const std::string& e) {
  return std::find(std::begin(kEntities), std::end(kEntities), e) != std::end(kEntities);
}

bool AllDigits(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool Flag(const value& v, const char* key) {
  if (!v.is_object() || !v.has_field(key)) {
    return false;
  }
  const value& f = v.at(key);
  return f.is_boolean() ? f.as_bool() : (f.is_string() && (f.as_string() == "Y"));
}

// Messages shown next to a field in the card, in the operator's language.
std::string Text(const std::string& lang, const char* key, const std::string& label = "") {
  struct Pair {
    const char* key;
    const char* ru;
    const char* en;
  };
  static const Pair kTexts[] = {
      {"required", "Поле «%» обязательно", "“%” is required"},
      {"integer", "Введите целое число", "Enter a whole number"},
      {"number", "Введите число", "Enter a number"},
      {"date", "Введите дату в формате ГГГГ-ММ-ДД", "Enter a date as YYYY-MM-DD"},
      {"datetime", "Введите дату и время", "Enter a date and time"},
      {"boolean", "Выберите «да» или «нет»", "Choose yes or no"},
      {"choice", "Выберите значение из списка", "Choose a value from the list"},
      {"phone", "Телефон должен содержать от 5 до 20 цифр", "A phone needs 5 to 20 digits"},
      {"email", "Некорректный e-mail", "Not a valid e-mail address"},
      {"list", "Ожидается список значений", "A list of values is expected"},
      {"too_long", "Слишком длинный текст", "The text is too long"},
      {"locked", "Это поле нельзя менять в карточке", "This field cannot be changed in the card"},
      {"text", "Ожидается текст", "Text is expected"},
  };
  for (const Pair& p : kTexts) {
    if (std::string(p.key) == key) {
      std::string out = lang == "en" ? p.en : p.ru;
      if (auto pos = out.find('%'); pos != std::string::npos) {
        out.replace(pos, 1, label);
      }
      return out;
    }
  }
  return key;
}

bool ValidDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return false;
  }
  if (!AllDigits(s.substr(0, 4)) || !AllDigits(s.substr(5, 2)) || !AllDigits(s.substr(8, 2))) {
    return false;
  }
  const int y = std::stoi(s.substr(0, 4));
  const int m = std::stoi(s.substr(5, 2));
  const int d = std::stoi(s.substr(8, 2));
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) {
    return false;
  }
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

// YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]
bool ValidDateTime(const std::string& s) {
  if (s.size() < 16 || !ValidDate(s.substr(0, 10)) || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || !AllDigits(s.substr(11, 2)) || !AllDigits(s.substr(14, 2))) {
    return false;
  }
  if (std::stoi(s.substr(11, 2)) > 23 || std::stoi(s.substr(14, 2)) > 59) {
    return false;
  }
  std::string rest = s.substr(16);
  if (rest.size() >= 3 && rest[0] == ':' && AllDigits(rest.substr(1, 2))) {
    rest = rest.substr(3);
  }
  return rest.empty() || rest == "Z" ||
         (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
          AllDigits(rest.substr(1, 2)) && AllDigits(rest.substr(4, 2)));
}

bool ValidEmail(const std::string& s) {
  const auto at = s.find('@');
  if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos) {
    return false;
  }
  const std::string domain = s.substr(at + 1);
  const auto dot = domain.find('.');
  return dot != std::string::npos && dot > 0 && dot + 1 < domain.size() &&
         s.find_first_of(" \t\r\n<>\"") == std::string::npos;
}

std::string TitleOf(const std::string& entity, const value& record) {
  std::string title;
  if (entity == "lead" || entity == "deal" || entity == "company") {
    title = adapters::JsonText(record, "TITLE");
  }
  if (title.empty() && (entity == "lead" || entity == "contact")) {
    const std::string name = adapters::JsonText(record, "NAME");
    const std::string last = adapters::JsonText(record, "LAST_NAME");
    title = name + (name.empty() || last.empty() ? "" : " ") + last;
  }
  if (title.empty()) {
    title = "#" + adapters::JsonText(record, "ID");
  }
  return title;
}

// A CRM field description in the card's terms (docs/API.md "Field with value" types).
std::string CardType(const std::string& code, const value& desc) {
  const std::string t = adapters::JsonText(desc, "type");
  if (t == "string") {
    return "string";
  }
  if (t == "char" || t == "boolean") {
    return "boolean";
  }
  if (t == "integer" || t == "double" || t == "date" || t == "datetime" || t == "enumeration" ||
      t == "crm_status" || t == "user") {
    return t;
  }
  if (t == "crm_multifield") {
    return code == "PHONE" ? "phone" : (code == "EMAIL" ? "email" : "other");
  }
  return "other";
}

bool CanEdit(const std::string& type, const value& desc) {
  if (Flag(desc, "isReadOnly") || type == "other" || type == "user") {
    return false;
  }
  // Multiple values are edited only for phones and e-mails.
  return !Flag(desc, "isMultiple") || type == "phone" || type == "email";
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
    const std::string type = adapters::JsonText(desc, "type");
    if (type == "enumeration" && desc.has_field("items") && desc.at("items").is_array()) {
      for (const auto& item : desc.at("items").as_array()) {
        value i = value::object();
        i["id"] = value::string(adapters::JsonText(item, "ID"));
        i["value"] = value::string(adapters::JsonText(item, "VALUE"));
        items[n++] = i;
      }
      return items;
    }
    if (type != "crm_status") {
      return items;
    }
    std::string directory = adapters::JsonText(desc, "statusType");
    if (entity == "deal" && code == "STAGE_ID") {
      const std::string category = adapters::JsonText(record, "CATEGORY_ID");
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
    auto it = batch.results.find(e);
    if (it == batch.results.end()) {
      throw Unavailable(std::string("the CRM did not describe its ") + e + " fields");
    }
    catalog->fields[e] = it->second;
  }
  if (auto it = batch.results.find("statuses");
      it != batch.results.end() && it->second.is_array()) {
    for (const auto& row : it->second.as_array()) {
      catalog->statuses[adapters::JsonText(row, "ENTITY_ID")].emplace_back(
          adapters::JsonText(row, "STATUS_ID"), adapters::JsonText(row, "NAME"));
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
    const std::string label = adapters::JsonText(desc, "formLabel");
    f["label"] = value::string(label.empty() ? adapters::JsonText(desc, "title") : label);
    const std::string type = CardType(code, desc);
    f["type"] = value::string(type);
    f["multiple"] = value::boolean(Flag(desc, "isMultiple"));
    f["required"] = value::boolean(Flag(desc, "isRequired"));
    f["read_only"] = value::boolean(!CanEdit(type, desc));
    out[n++] = f;
  }
  return out;
}

value CrmCard::Section(const Catalog& catalog, const std::string& entity, const value& record,
                       const std::vector<FieldRef>& fields) const {
  value section = value::object();
  section["entity"] = value::string(entity);
  section["id"] = value::string(adapters::JsonText(record, "ID"));
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
    const std::string label = adapters::JsonText(*desc, "formLabel");
    f["label"] = value::string(label.empty() ? adapters::JsonText(*desc, "title") : label);
    f["type"] = value::string(type);
    f["multiple"] = value::boolean(Flag(*desc, "isMultiple"));
    f["required"] = value::boolean(Flag(*desc, "isRequired"));
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
          item["id"] = value::string(adapters::JsonText(m, "ID"));
          item["value"] = value::string(adapters::JsonText(m, "VALUE"));
          item["value_type"] = value::string(adapters::JsonText(m, "VALUE_TYPE"));
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

value CrmCard::FindMatches(const std::string& tenant_id, const std::string& user_id,
                           const std::string& phone, const std::optional<CrmRef>& bound) {
  CallOptions options;
  options.user_id = user_id;
  std::vector<CrmRef> refs;
  std::set<std::string> seen;
  auto add = [&](const CrmRef& r) {
    if (refs.size() < kMaxMatches && seen.insert(r.entity + ":" + r.id).second) {
      refs.push_back(r);
    }
  };
  if (bound) {
    add(*bound);
  }
  const std::string digits = adapters::DigitsOf(phone);
  if (digits.size() >= 5) {
    value params = value::object();
    params["type"] = value::string("PHONE");
    params["values"][0] = value::string(phone);
    const value found = rest_.Call(tenant_id, "crm.duplicate.findbycomm", params, options);
    // Contacts and companies are the clients; a lead is only a lead.
    for (const char* kind : {"CONTACT", "COMPANY", "LEAD"}) {
      if (!found.is_object() || !found.has_field(kind) || !found.at(kind).is_array()) {
        continue;  // nothing matched comes back as [] (PHP's empty array)
      }
      std::string entity = kind;
      std::transform(entity.begin(), entity.end(), entity.begin(), ::tolower);
      for (const auto& id : found.at(kind).as_array()) {
        add({entity, id.is_string() ? id.as_string() : id.serialize()});
      }
    }
  }
  value out = value::array();
  if (refs.empty()) {
    return out;
  }
  std::vector<std::pair<std::string, std::string>> commands;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    value params = value::object();
    params["id"] = value::string(refs[i].id);
    commands.emplace_back("m" + std::to_string(i),
                          RestClient::BatchCommand("crm." + refs[i].entity + ".get", params));
  }
  const BatchResult batch = rest_.Batch(tenant_id, commands, false, options);
  std::size_t n = 0;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    auto it = batch.results.find("m" + std::to_string(i));
    if (it == batch.results.end()) {
      continue;  // gone, or the operator may not see it
    }
    value m = value::object();
    m["entity"] = value::string(refs[i].entity);
    m["id"] = value::string(refs[i].id);
    m["title"] = value::string(TitleOf(refs[i].entity, it->second));
    out[n++] = m;
  }
  return out;
}

value CrmCard::LoadSections(const std::string& tenant_id, const std::string& user_id,
                            const CrmRef& ref, const std::vector<FieldRef>& fields) {
  const auto catalog = CatalogFor(tenant_id);
  auto shows = [&](const char* entity) {
    return std::any_of(fields.begin(), fields.end(),
                       [&](const FieldRef& f) { return f.entity == entity; });
  };
  auto get = [](const std::string& entity, const std::string& id) {
    value params = value::object();
    params["id"] = value::string(id);
    return RestClient::BatchCommand("crm." + entity + ".get", params);
  };
  auto open_deals = [](const char* by, const std::string& id) {
    value params = value::object();
    params["filter"][by] = value::string(id);
    params["filter"]["CLOSED"] = value::string("N");
    params["order"]["ID"] = value::string("DESC");
    params["select"][0] = value::string("*");
    params["select"][1] = value::string("UF_*");
    return RestClient::BatchCommand("crm.deal.list", params);
  };
  std::vector<std::pair<std::string, std::string>> commands;
  commands.emplace_back("main", get(ref.entity, ref.id));
  if (ref.entity == "contact") {
    if (shows("company")) {
      commands.emplace_back("company", get("company", "$result[main][COMPANY_ID]"));
    }
    if (shows("deal")) {
      commands.emplace_back("deal", open_deals("CONTACT_ID", ref.id));
    }
  } else if (ref.entity == "company") {
    if (shows("deal")) {
      commands.emplace_back("deal", open_deals("COMPANY_ID", ref.id));
    }
  } else if (ref.entity == "deal") {
    if (shows("contact")) {
      commands.emplace_back("contact", get("contact", "$result[main][CONTACT_ID]"));
    }
    if (shows("company")) {
      commands.emplace_back("company", get("company", "$result[main][COMPANY_ID]"));
    }
  }
  CallOptions options;
  options.user_id = user_id;
  const BatchResult batch = rest_.Batch(tenant_id, commands, false, options);
  auto main = batch.results.find("main");
  if (main == batch.results.end()) {
    auto err = batch.errors.find("main");
    const std::string why = err == batch.errors.end() ? "no answer" : err->second;
    if (why.rfind("ACCESS_DENIED", 0) == 0) {
      throw PermissionDenied("the CRM does not let this user see " + ref.entity + " " + ref.id);
    }
    throw NotFound("the CRM has no " + ref.entity + " " + ref.id + " (" + why + ")");
  }
  value sections = value::array();
  std::size_t n = 0;
  sections[n++] = Section(*catalog, ref.entity, main->second, fields);
  for (const char* linked : {"contact", "company", "deal"}) {
    auto it = batch.results.find(linked);
    if (it == batch.results.end()) {
      continue;  // nothing linked, or not visible to the operator
    }
    const value& record = it->second.is_array()
                              ? (it->second.size() > 0 ? it->second.at(0) : value::null())
                              : it->second;
    if (!record.is_object()) {
      continue;
    }
    sections[n++] = Section(*catalog, linked, record, fields);
  }
  value out = value::object();
  out["sections"] = sections;
  return out;
}

value CrmCard::ClientFacts(const std::string& tenant_id, const std::string& user_id,
                           const CrmRef& ref) {
  auto get = [](const std::string& entity, const std::string& id) {
    value params = value::object();
    params["id"] = value::string(id);
    return RestClient::BatchCommand("crm." + entity + ".get", params);
  };
  std::vector<std::pair<std::string, std::string>> commands;
  commands.emplace_back("main", get(ref.entity, ref.id));
  if (ref.entity == "contact" || ref.entity == "deal") {
    commands.emplace_back("company", get("company", "$result[main][COMPANY_ID]"));
  }
  if (ref.entity == "contact" || ref.entity == "company") {
    value params = value::object();
    params["filter"][ref.entity == "contact" ? "CONTACT_ID" : "COMPANY_ID"] = value::string(ref.id);
    params["filter"]["CLOSED"] = value::string("N");
    params["order"]["ID"] = value::string("DESC");
    params["select"][0] = value::string("ID");
    params["select"][1] = value::string("TITLE");
    commands.emplace_back("deal", RestClient::BatchCommand("crm.deal.list", params));
  }
  CallOptions options;
  options.user_id = user_id;
  const BatchResult batch = rest_.Batch(tenant_id, commands, false, options);
  value facts = value::object();
  auto main = batch.results.find("main");
  if (main == batch.results.end()) {
    throw NotFound("the CRM has no " + ref.entity + " " + ref.id);
  }
  const value& record = main->second;
  facts["name"] = value::string(TitleOf(ref.entity, record));
  facts["responsible_id"] = value::string(adapters::JsonText(record, "ASSIGNED_BY_ID"));
  std::string phone;
  if (record.has_field("PHONE") && record.at("PHONE").is_array() && record.at("PHONE").size() > 0) {
    phone = adapters::JsonText(record.at("PHONE").at(0), "VALUE");
  }
  facts["phone"] = value::string(phone);
  std::string company = ref.entity == "company" ? TitleOf("company", record) : "";
  if (auto it = batch.results.find("company"); it != batch.results.end()) {
    company = TitleOf("company", it->second);
  }
  facts["company"] = value::string(company);
  std::string deal = ref.entity == "deal" ? TitleOf("deal", record) : "";
  if (auto it = batch.results.find("deal");
      it != batch.results.end() && it->second.is_array() && it->second.size() > 0) {
    deal = TitleOf("deal", it->second.at(0));
  }
  facts["deal"] = value::string(deal);
  return facts;
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
  // A multifield comes as the whole list wanted; rows left out are deleted, which the CRM is told
  // row by row, so the rows it has now are needed.
  value current = value::null();
  for (const auto& [code, v] : values.as_object()) {
    if ((code == "PHONE" || code == "EMAIL") && current.is_null()) {
      value get = value::object();
      get["id"] = value::string(ref.id);
      current = rest_.Call(tenant_id, "crm." + ref.entity + ".get", get, options);
    }
  }
  value fields = value::object();
  for (const auto& [code, v] : values.as_object()) {
    auto ref_it = std::find_if(allowed.begin(), allowed.end(), [&](const FieldRef& f) {
      return f.entity == ref.entity && f.code == code;
    });
    const value* desc = catalog->Describe(ref.entity, code);
    if (ref_it == allowed.end() || desc == nullptr) {
      throw InvalidArgument(Text(lang, "locked"), code);
    }
    const std::string type = CardType(code, *desc);
    if (!ref_it->editable || !CanEdit(type, *desc)) {
      throw InvalidArgument(Text(lang, "locked"), code);
    }
    const std::string label = adapters::JsonText(*desc, "formLabel").empty()
                                  ? adapters::JsonText(*desc, "title")
                                  : adapters::JsonText(*desc, "formLabel");
    const bool required = Flag(*desc, "isRequired");
    auto fail = [&](const char* key) { return InvalidArgument(Text(lang, key, label), code); };

    if (type == "phone" || type == "email") {
      if (!v.is_array()) {
        throw fail("list");
      }
      std::set<std::string> existing;
      if (current.is_object() && current.has_field(code) && current.at(code).is_array()) {
        for (const auto& row : current.at(code).as_array()) {
          existing.insert(adapters::JsonText(row, "ID"));
        }
      }
      std::set<std::string> mentioned;
      value items = value::array();
      std::size_t n = 0;
      std::size_t kept = 0;
      for (const auto& item : v.as_array()) {
        if (!item.is_object()) {
          throw fail("list");
        }
        const std::string id = adapters::JsonText(item, "id");
        const std::string text = adapters::JsonText(item, "value");
        std::string vtype = adapters::JsonText(item, "value_type");
        if (!id.empty() && existing.count(id) == 0) {
          throw fail("list");  // not a row of this record (or deleted meanwhile)
        }
        mentioned.insert(id);
        value out = value::object();
        if (!id.empty()) {
          out["ID"] = value::string(id);
        }
        if (text.empty()) {
          if (id.empty()) {
            continue;  // an empty new row is no value
          }
          out["VALUE"] = value::string("");  // the CRM deletes a row sent with an empty value
        } else {
          if (type == "phone") {
            const std::size_t d = adapters::DigitsOf(text).size();
            if (d < 5 || d > 20 ||
                text.find_first_not_of("0123456789+-() .") != std::string::npos) {
              throw fail("phone");
            }
          } else if (!ValidEmail(text)) {
            throw fail("email");
          }
          static const std::set<std::string> kTypes = {"WORK",  "MOBILE",  "FAX",  "HOME",
                                                       "PAGER", "MAILING", "OTHER"};
          if (vtype.empty() || kTypes.count(vtype) == 0) {
            vtype = "WORK";
          }
          out["VALUE"] = value::string(text);
          out["VALUE_TYPE"] = value::string(vtype);
          ++kept;
        }
        items[n++] = out;
      }
      for (const std::string& id : existing) {
        if (mentioned.count(id) == 0) {
          value gone = value::object();
          gone["ID"] = value::string(id);
          gone["VALUE"] = value::string("");  // the CRM deletes a row sent with an empty value
          items[n++] = gone;
        }
      }
      if (required && kept == 0) {
        throw fail("required");
      }
      fields[code] = items;
      continue;
    }

    if (v.is_null() || (v.is_string() && v.as_string().empty())) {
      if (required) {
        throw fail("required");
      }
      fields[code] = value::string("");
      continue;
    }
    if (type == "boolean") {
      if (!v.is_boolean()) {
        throw fail("boolean");
      }
      const bool on = v.as_bool();
      fields[code] = value::string(adapters::JsonText(*desc, "type") == "char" ? (on ? "Y" : "N")
                                                                               : (on ? "1" : "0"));
      continue;
    }
    std::string text;
    if (v.is_string()) {
      text = v.as_string();
    } else if (v.is_number() && (type == "integer" || type == "double")) {
      text = v.serialize();
    } else {
      throw fail(type == "integer" ? "integer" : (type == "double" ? "number" : "text"));
    }
    if (text.size() > kMaxTextLength) {
      throw fail("too_long");
    }
    if (type == "integer") {
      const std::string body = text[0] == '-' ? text.substr(1) : text;
      if (!AllDigits(body) || body.size() > 18) {
        throw fail("integer");
      }
    } else if (type == "double") {
      char* end = nullptr;
      const double d = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end != '\0' || !std::isfinite(d)) {
        throw fail("number");
      }
    } else if (type == "date") {
      if (!ValidDate(text)) {
        throw fail("date");
      }
    } else if (type == "datetime") {
      if (!ValidDateTime(text)) {
        throw fail("datetime");
      }
    } else if (type == "enumeration" || type == "crm_status") {
      // Choices of a deal's stage depend on its pipeline, which the form does not send: check
      // against every stage the portal has; the CRM refuses a stage of another pipeline itself.
      value any_record = value::object();
      const value items = catalog->Items(ref.entity, code, *desc, any_record);
      bool known = false;
      for (const auto& i : items.as_array()) {
        known = known || adapters::JsonText(i, "id") == text;
      }
      if (!known && ref.entity == "deal" && code == "STAGE_ID") {
        for (const auto& [dir, list] : catalog->statuses) {
          if (dir.rfind("DEAL_STAGE", 0) == 0) {
            for (const auto& [id, name] : list) {
              known = known || id == text;
            }
          }
        }
      }
      if (!known) {
        throw fail("choice");
      }
    }
    fields[code] = value::string(text);
  }

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
      throw PermissionDenied(lang == "en" ? "The CRM does not let you change this record"
                                          : "CRM не разрешает вам изменять эту запись");
    }
    if (why.rfind("NOT_FOUND", 0) == 0) {
      throw NotFound("the CRM has no " + ref.entity + " " + ref.id);
    }
    // The CRM names a field by its label ("Поле \"Название\" обязательно…"): point at it.
    std::string field;
    for (const auto& [code, v] : values.as_object()) {
      const value* desc = catalog->Describe(ref.entity, code);
      const std::string label = desc ? adapters::JsonText(*desc, "title") : "";
      if (!label.empty() && why.find(label) != std::string::npos) {
        field = code;
        break;
      }
    }
    const auto colon = why.find(": ");
    throw InvalidArgument(colon == std::string::npos ? why : why.substr(colon + 2), field);
  }
  auto got = batch.results.find("get");
  if (got == batch.results.end()) {
    throw Unavailable("the CRM saved the record but did not return it; reload the card");
  }
  spdlog::info("event=callcard_saved tenant={} user={} entity={} id={} fields={}", tenant_id,
               user_id, ref.entity, ref.id, values.size());
  return Section(*catalog, ref.entity, got->second, allowed);
}

}  // namespace opdesk::bitrix24
