#include "adapters/bitrix24/crm_directory.h"

#include <cpprest/json.h>
#include <algorithm>

#include "adapters/bitrix24/rest_client.h"
#include "connector/domain/error.h"

namespace opdesk::settings {
namespace {

using Json = web::json::value;

// Bitrix24 writes numbers and booleans as strings in many places ("Y", "10"); read both.
std::string Text(const Json& v, const char* key) {
  if (!v.is_object() || !v.has_field(key)) {
    return "";
  }
  const Json& f = v.at(key);
  if (f.is_string()) {
    return f.as_string();
  }
  if (f.is_number()) {
    return std::to_string(f.as_number().to_int64());
  }
  return "";
}

bool Flag(const Json& v, const char* key, bool fallback) {
  if (!v.is_object() || !v.has_field(key)) {
    return fallback;
  }
  const Json& f = v.at(key);
  if (f.is_boolean()) {
    return f.as_bool();
  }
  const std::string s = f.is_string() ? f.as_string() : "";
  return s == "Y" || s == "true" || s == "1";
}

CrmStatus StatusOf(const Json& row) {
  CrmStatus s;
  s.id = Text(row, "STATUS_ID");
  s.name = Text(row, "NAME");
  const std::string sort = Text(row, "SORT");
  s.sort = sort.empty() || sort.find_first_not_of("0123456789") != std::string::npos
               ? 0
               : std::stoi(sort.substr(0, 9));
  s.semantics = Text(row, "SEMANTICS");
  return s;
}

std::vector<CrmField> FieldsOf(const Json& description) {
  std::vector<CrmField> out;
  if (!description.is_object()) {
    return out;
  }
  for (const auto& [code, info] : description.as_object()) {
    CrmField f;
    f.code = code;
    // User fields carry their label in formLabel / listLabel; built-in ones in title.
    for (const char* k : {"formLabel", "listLabel", "title"}) {
      if (f.label.empty()) {
        f.label = Text(info, k);
      }
    }
    f.type = Text(info, "type");
    f.multiple = Flag(info, "isMultiple", false);
    f.read_only = Flag(info, "isReadOnly", false);
    f.required = Flag(info, "isRequired", false);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

CrmCatalog Bitrix24Directory::FetchCatalog(const std::string& tenant_id) {
  std::vector<std::pair<std::string, std::string>> commands;
  commands.emplace_back("statuses",
                        bitrix24::RestClient::BatchCommand("crm.status.list", Json::object()));
  Json category_params = Json::object();
  category_params["entityTypeId"] = Json::number(2);
  commands.emplace_back("categories",
                        bitrix24::RestClient::BatchCommand("crm.category.list", category_params));
  for (std::string_view entity : kCrmEntities) {
    commands.emplace_back(std::string(entity),
                          bitrix24::RestClient::BatchCommand(
                              "crm." + std::string(entity) + ".fields", Json::object()));
  }
  bitrix24::BatchResult batch = rest_.Batch(tenant_id, commands, /*halt=*/false);
  if (!batch.errors.empty()) {
    const auto& [key, error] = *batch.errors.begin();
    throw Unavailable("the CRM refused to list " + key + ": " + error);
  }
  for (const auto& [key, unused] : commands) {
    if (!batch.results().count(key)) {
      throw Unavailable("the CRM's batch answer lacks " + key);
    }
  }
  CrmCatalog catalog;
  std::map<std::string, DealCategory> categories;
  const Json& cats = batch.results().at("categories");
  if (cats.is_object() && cats.has_field("categories") && cats.at("categories").is_array()) {
    for (const Json& c : cats.at("categories").as_array()) {
      DealCategory d;
      d.id = Text(c, "id");
      d.name = Text(c, "name");
      categories[d.id] = std::move(d);
    }
  }
  if (!categories.count("0")) {
    categories["0"] = DealCategory{"0", "", {}};  // the default pipeline always exists
  }
  const Json& statuses = batch.results().at("statuses");
  if (statuses.is_array()) {
    for (const Json& row : statuses.as_array()) {
      const std::string entity = Text(row, "ENTITY_ID");
      if (entity == "STATUS") {
        catalog.lead_statuses.push_back(StatusOf(row));
      } else if (entity == "DEAL_STAGE") {
        categories["0"].stages.push_back(StatusOf(row));
      } else if (entity.rfind("DEAL_STAGE_", 0) == 0) {
        const std::string id = entity.substr(11);
        if (categories.count(id)) {
          categories[id].stages.push_back(StatusOf(row));
        }
      }
    }
  }
  auto by_sort = [](const CrmStatus& a, const CrmStatus& b) { return a.sort < b.sort; };
  std::stable_sort(catalog.lead_statuses.begin(), catalog.lead_statuses.end(), by_sort);
  for (auto& [id, d] : categories) {
    std::stable_sort(d.stages.begin(), d.stages.end(), by_sort);
    catalog.deal_categories.push_back(std::move(d));
  }
  for (std::string_view entity : kCrmEntities) {
    catalog.fields[std::string(entity)] = FieldsOf(batch.results().at(std::string(entity)));
  }
  return catalog;
}

std::vector<PortalUser> Bitrix24Directory::FetchUsers(const std::string& tenant_id) {
  std::vector<PortalUser> users;
  for (const Json& row : rest_.ListAll(tenant_id, "user.get", Json::object(), {}, 5'000)) {
    const std::string type = Text(row, "USER_TYPE");
    if (!type.empty() && type != "employee") {
      continue;  // extranet and e-mail users cannot take calls
    }
    PortalUser u;
    u.id = Text(row, "ID");
    if (u.id.empty()) {
      continue;
    }
    const std::string last = Text(row, "LAST_NAME");
    u.name = Text(row, "NAME") + (last.empty() ? "" : " " + last);
    u.email = Text(row, "EMAIL");
    u.active = Flag(row, "ACTIVE", true);
    users.push_back(std::move(u));
  }
  return users;
}

MarketplaceStatus Bitrix24Directory::FetchMarketplaceStatus(const std::string& tenant_id) {
  const Json info = rest_.Call(tenant_id, "app.info", Json::object());
  MarketplaceStatus s;
  s.status = Text(info, "STATUS");
  s.payment_expired = Flag(info, "PAYMENT_EXPIRED", false);
  const std::string days = Text(info, "DAYS");
  try {
    s.days = days.empty() ? 0 : std::stoll(days);
  } catch (const std::exception&) {
    s.days = 0;
  }
  s.license = Text(info, "LICENSE");
  return s;
}

}  // namespace opdesk::settings
