// Bitrix24Crm: the catalog, the portal's users and the app's subscription for the settings, the
// user look-ups of the employee map, and the settings' checks of sources and stages (reference
// bitrix24.md §6.3–6.6). Everything here runs with the installing admin's token.
#include <algorithm>
#include <map>

#include <cpprest/json.h>

#include "adapters/bitrix24/bitrix24_crm.h"
#include "adapters/bitrix24/bitrix24_crm_util.h"
#include "adapters/json_read.h"
#include "connector/domain/integration_settings.h"

namespace opdesk::bitrix24 {

using Json = web::json::value;

std::string IntText(const Json& v, const char* key) {
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

namespace {

CrmStatus StatusOf(const Json& row) {
  CrmStatus s;
  s.id = IntText(row, "STATUS_ID");
  s.name = IntText(row, "NAME");
  const std::string sort = IntText(row, "SORT");
  s.sort = sort.empty() || sort.find_first_not_of("0123456789") != std::string::npos
               ? 0
               : std::stoi(sort.substr(0, 9));
  s.semantics = IntText(row, "SEMANTICS");
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
        f.label = IntText(info, k);
      }
    }
    f.type = IntText(info, "type");
    f.multiple = Flag(info, "isMultiple", false);
    f.read_only = Flag(info, "isReadOnly", false);
    f.required = Flag(info, "isRequired", false);
    out.push_back(std::move(f));
  }
  return out;
}

std::set<std::string> StatusIds(const Json& statuses) {
  std::set<std::string> ids;
  if (statuses.is_array()) {
    for (const Json& s : statuses.as_array()) {
      if (s.has_field("STATUS_ID") && s.at("STATUS_ID").is_string()) {
        ids.insert(s.at("STATUS_ID").as_string());
      }
    }
  }
  return ids;
}

// The first user of a user.get answer, or null.
Json FirstUser(const Json& users) {
  if (!users.is_array() || users.as_array().size() == 0) {
    return Json::null();
  }
  return users.as_array().at(0);
}

}  // namespace

CrmCatalog Bitrix24Crm::FetchCatalog(const std::string& tenant_id) {
  std::vector<std::pair<std::string, std::string>> commands;
  commands.emplace_back("statuses", RestClient::BatchCommand("crm.status.list", Json::object()));
  Json category_params = Json::object();
  category_params["entityTypeId"] = Json::number(2);
  commands.emplace_back("categories",
                        RestClient::BatchCommand("crm.category.list", category_params));
  // The activity types (a meeting, a call, …) scripts are bound to (FEATURES F1).
  commands.emplace_back("activity_types",
                        RestClient::BatchCommand("crm.enum.activitytype", Json::object()));
  for (std::string_view entity : kCrmEntities) {
    commands.emplace_back(
        std::string(entity),
        RestClient::BatchCommand("crm." + std::string(entity) + ".fields", Json::object()));
  }
  BatchResult batch = rest_.Batch(tenant_id, commands, /*halt=*/false);
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
      d.id = IntText(c, "id");
      d.name = IntText(c, "name");
      categories[d.id] = std::move(d);
    }
  }
  if (!categories.count("0")) {
    categories["0"] = DealCategory{"0", "", {}};  // the default pipeline always exists
  }
  const Json& statuses = batch.results().at("statuses");
  if (statuses.is_array()) {
    for (const Json& row : statuses.as_array()) {
      const std::string entity = IntText(row, "ENTITY_ID");
      if (entity == "STATUS") {
        catalog.lead_statuses.push_back(StatusOf(row));
      } else if (entity == "SOURCE") {
        catalog.sources.push_back(StatusOf(row));
      } else if (entity == "DEAL_TYPE") {
        catalog.deal_types.push_back(StatusOf(row));
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
  std::stable_sort(catalog.sources.begin(), catalog.sources.end(), by_sort);
  std::stable_sort(catalog.deal_types.begin(), catalog.deal_types.end(), by_sort);
  const Json& activity_types = batch.results().at("activity_types");
  if (activity_types.is_array()) {
    for (const Json& row : activity_types.as_array()) {
      CrmStatus t;
      t.id = IntText(row, "ID");
      t.name = IntText(row, "NAME");
      if (!t.id.empty()) {
        catalog.activity_types.push_back(std::move(t));
      }
    }
  }
  for (auto& [id, d] : categories) {
    std::stable_sort(d.stages.begin(), d.stages.end(), by_sort);
    catalog.deal_categories.push_back(std::move(d));
  }
  for (std::string_view entity : kCrmEntities) {
    catalog.fields[std::string(entity)] = FieldsOf(batch.results().at(std::string(entity)));
  }
  return catalog;
}

std::vector<adapters::CrmUser> Bitrix24Crm::FetchUsers(const std::string& tenant_id) {
  std::vector<adapters::CrmUser> users;
  for (const Json& row : rest_.ListAll(tenant_id, "user.get", Json::object(), {}, 5'000)) {
    const std::string type = IntText(row, "USER_TYPE");
    if (!type.empty() && type != "employee") {
      continue;  // extranet and e-mail users cannot take calls
    }
    adapters::CrmUser u;
    u.id = IntText(row, "ID");
    if (u.id.empty()) {
      continue;
    }
    const std::string last = IntText(row, "LAST_NAME");
    u.name = IntText(row, "NAME") + (last.empty() ? "" : " " + last);
    u.email = IntText(row, "EMAIL");
    u.active = Flag(row, "ACTIVE", true);
    u.extension = IntText(row, "UF_PHONE_INNER");
    users.push_back(std::move(u));
  }
  return users;
}

adapters::MarketplaceStatus Bitrix24Crm::FetchMarketplaceStatus(const std::string& tenant_id) {
  const Json info = rest_.Call(tenant_id, "app.info", Json::object());
  adapters::MarketplaceStatus s;
  s.status = IntText(info, "STATUS");
  s.payment_expired = Flag(info, "PAYMENT_EXPIRED", false);
  const std::string days = IntText(info, "DAYS");
  try {
    s.days = days.empty() ? 0 : std::stoll(days);
  } catch (const std::exception&) {
    s.days = 0;
  }
  s.license = IntText(info, "LICENSE");
  if (info.is_object() && info.has_field("ID")) {
    s.app_id = info.at("ID").is_string() ? info.at("ID").as_string() : info.at("ID").serialize();
  }
  return s;
}

std::string Bitrix24Crm::FindUserByExtension(const std::string& tenant_id,
                                             const std::string& extension) {
  Json params = Json::object();
  params["FILTER"]["UF_PHONE_INNER"] = Json::string(extension);
  params["FILTER"]["ACTIVE"] = Json::boolean(true);
  return adapters::JsonText(FirstUser(rest_.Call(tenant_id, "user.get", params)), "ID");
}

std::string Bitrix24Crm::UserExtension(const std::string& tenant_id, const std::string& user_id) {
  Json params = Json::object();
  params["FILTER"]["ID"] = Json::string(user_id);
  return adapters::JsonText(FirstUser(rest_.Call(tenant_id, "user.get", params)), "UF_PHONE_INNER");
}

bool Bitrix24Crm::IsActiveUser(const std::string& tenant_id, const std::string& user_id,
                               const adapters::RequestOptions& options) {
  Json params = Json::object();
  params["FILTER"]["ID"] = Json::string(user_id);
  params["FILTER"]["ACTIVE"] = Json::boolean(true);
  const Json users = rest_.Call(tenant_id, "user.get", params, ToCallOptions(options, true));
  return users.is_array() && users.as_array().size() > 0;
}

std::vector<adapters::CrmUser> Bitrix24Crm::ListActiveUsers(const std::string& tenant_id) {
  Json params = Json::object();
  params["FILTER"]["ACTIVE"] = Json::boolean(true);
  std::vector<adapters::CrmUser> users;
  for (const Json& u : rest_.ListAll(tenant_id, "user.get", params)) {
    adapters::CrmUser user;
    user.id = adapters::JsonText(u, "ID");
    user.email = adapters::JsonText(u, "EMAIL");
    user.extension = adapters::JsonText(u, "UF_PHONE_INNER");
    users.push_back(std::move(user));
  }
  return users;
}

adapters::CrmChoices Bitrix24Crm::ListChoices(const std::string& tenant_id,
                                              const adapters::ChoicesQuery& query,
                                              const adapters::RequestOptions& options) {
  std::vector<std::pair<std::string, std::string>> commands;
  if (query.sources) {
    Json p = Json::object();
    p["filter"]["ENTITY_ID"] = Json::string("SOURCE");
    commands.emplace_back("sources", RestClient::BatchCommand("crm.status.list", p));
  }
  if (query.pipeline) {
    Json c = Json::object();
    c["entityTypeId"] = Json::number(2);
    commands.emplace_back("categories", RestClient::BatchCommand("crm.category.list", c));
    Json p = Json::object();
    p["filter"]["ENTITY_ID"] = Json::string(DealStageEntity(*query.pipeline));
    commands.emplace_back("stages", RestClient::BatchCommand("crm.status.list", p));
  }
  adapters::CrmChoices out;
  if (commands.empty()) {
    return out;
  }
  BatchResult result = rest_.Batch(tenant_id, commands, false, ToCallOptions(options, true));
  if (!result.errors.empty()) {
    throw Unavailable("the portal refused to list its sources or stages: " +
                      result.errors.begin()->second);
  }
  out.sources = StatusIds(result.results()["sources"]);
  out.stages = StatusIds(result.results()["stages"]);
  const Json& categories = result.results()["categories"];
  if (categories.has_field("categories") && categories.at("categories").is_array()) {
    for (const Json& c : categories.at("categories").as_array()) {
      const Json& id = c.has_field("id") ? c.at("id") : Json::null();
      out.pipelines.push_back(id.is_string() ? id.as_string() : id.serialize());
    }
  }
  return out;
}

}  // namespace opdesk::bitrix24
