// The call card's reads: whom a phone number matches, the sections of a record and what it is
// linked to, and what button templates may say of a client.
#include <cpprest/json.h>

#include <algorithm>
#include <set>

#include "adapters/bitrix24/crm_card.h"
#include "adapters/bitrix24/crm_card_values.h"
#include "adapters/json_read.h"

namespace opdesk::bitrix24 {
namespace {

using adapters::JsonText;
using card::TitleOf;
using web::json::value;

constexpr std::size_t kMaxMatches = 20;

}  // namespace

value CrmCard::FindMatches(const std::string& tenant_id, const std::string& user_id,
                           const std::string& phone, const std::optional<CrmRef>& bound,
                           std::vector<adapters::ClientResponsibles>* by_phone) {
  CallOptions options;
  options.user_id = user_id;
  std::vector<CrmRef> refs;
  std::set<std::string> seen;
  std::set<std::string> found_by_phone;
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
        const CrmRef ref{entity, id.is_string() ? id.as_string() : id.serialize()};
        add(ref);
        found_by_phone.insert(ref.entity + ":" + ref.id);
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
    auto it = batch.results().find("m" + std::to_string(i));
    if (it == batch.results().end()) {
      continue;  // gone, or the operator may not see it
    }
    value m = value::object();
    m["entity"] = value::string(refs[i].entity);
    m["id"] = value::string(refs[i].id);
    m["title"] = value::string(TitleOf(refs[i].entity, it->second));
    out[n++] = m;
    if (by_phone != nullptr && found_by_phone.count(refs[i].entity + ":" + refs[i].id) > 0) {
      adapters::ClientResponsibles client{{refs[i].entity, refs[i].id}, {}};
      const std::string assigned = JsonText(it->second, "ASSIGNED_BY_ID");
      if (!assigned.empty() && assigned != "0") {
        adapters::Responsible responsible;
        responsible.id = assigned;
        client.responsibles.push_back(responsible);
      }
      by_phone->push_back(std::move(client));
    }
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
  auto main = batch.results().find("main");
  if (main == batch.results().end()) {
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
    auto it = batch.results().find(linked);
    if (it == batch.results().end()) {
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
  auto main = batch.results().find("main");
  if (main == batch.results().end()) {
    throw NotFound("the CRM has no " + ref.entity + " " + ref.id);
  }
  const value& record = main->second;
  facts["name"] = value::string(TitleOf(ref.entity, record));
  facts["responsible_id"] = value::string(JsonText(record, "ASSIGNED_BY_ID"));
  std::string phone;
  if (record.has_field("PHONE") && record.at("PHONE").is_array() && record.at("PHONE").size() > 0) {
    phone = JsonText(record.at("PHONE").at(0), "VALUE");
  }
  facts["phone"] = value::string(phone);
  std::string company = ref.entity == "company" ? TitleOf("company", record) : "";
  if (auto it = batch.results().find("company"); it != batch.results().end()) {
    company = TitleOf("company", it->second);
  }
  facts["company"] = value::string(company);
  std::string deal = ref.entity == "deal" ? TitleOf("deal", record) : "";
  if (auto it = batch.results().find("deal");
      it != batch.results().end() && it->second.is_array() && it->second.size() > 0) {
    deal = TitleOf("deal", it->second.at(0));
  }
  facts["deal"] = value::string(deal);
  return facts;
}

}  // namespace opdesk::bitrix24
