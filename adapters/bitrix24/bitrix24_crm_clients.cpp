// Bitrix24Crm: finding and creating clients, and the deals of a client (reference bitrix24.md
// §5). Creation is one `batch` with halt (one unit of the portal's budget) that is never resent;
// every added item carries ORIGINATOR_ID / ORIGIN_ID, so a rerun finds it (FindCreatedClient).
#include <cpprest/json.h>

#include <cctype>

#include "adapters/bitrix24/bitrix24_crm.h"
#include "adapters/bitrix24/bitrix24_crm_util.h"
#include "adapters/json_read.h"

namespace opdesk::bitrix24 {
namespace {

using web::json::value;

std::string Id(const value& v) {
  if (v.is_string()) {
    return v.as_string();
  }
  if (v.is_number()) {
    return std::to_string(v.as_number().to_int64());
  }
  return "";
}

// The first id of a list answer (crm.*.list), or "".
std::string FirstId(const value& list) {
  if (list.is_array() && list.size() > 0 && list.at(0).has_field("ID")) {
    return Id(list.at(0).at("ID"));
  }
  return "";
}

// What crm.duplicate.findbycomm found (a contact first, then a company, then a lead, as the
// portal binds calls); none when nothing. It answers [] or {} when nothing matches.
std::optional<adapters::CrmRecord> KnownRecord(const value& found) {
  if (!found.is_object()) {
    return std::nullopt;
  }
  for (const auto& [type, entity] : {std::pair<const char*, const char*>{"CONTACT", "contact"},
                                     {"COMPANY", "company"},
                                     {"LEAD", "lead"}}) {
    if (found.has_field(type) && found.at(type).is_array() && found.at(type).size() > 0) {
      return adapters::CrmRecord{entity, Id(found.at(type).at(0))};
    }
  }
  return std::nullopt;
}

value FindByPhoneParams(const std::string& phone) {
  value p = value::object();
  p["type"] = value::string("PHONE");
  p["values"] = value::array({value::string(phone)});
  return p;
}

value MineFilter(const adapters::ClientOrigin& origin) {
  value p = value::object();
  p["filter"]["ORIGINATOR_ID"] = value::string(origin.originator);
  p["filter"]["ORIGIN_ID"] = value::string(origin.origin);
  p["select"] = value::array({value::string("ID")});
  return p;
}

// The fields every created item carries: source, line, responsible, and our mark.
void CommonFields(value& f, const adapters::NewClient& c) {
  f["SOURCE_ID"] = value::string(c.source_id);
  if (!c.source_description.empty()) {
    f["SOURCE_DESCRIPTION"] = value::string(c.source_description);
  }
  if (!c.responsible_user_id.empty()) {
    f["ASSIGNED_BY_ID"] = value::string(c.responsible_user_id);
  }
  f["ORIGINATOR_ID"] = value::string(c.origin.originator);
  f["ORIGIN_ID"] = value::string(c.origin.origin);
}

// B6's user field, on the client records (not on deals: the field is the client's).
void LineField(value& f, const adapters::NewClient& c) {
  if (!c.line_field.empty() && !c.line_number.empty()) {
    f[c.line_field] = value::string(c.line_number);
  }
}

value Phones(const std::string& phone) {
  value item = value::object();
  item["VALUE"] = value::string(phone);
  item["VALUE_TYPE"] = value::string("WORK");
  return value::array({item});
}

}  // namespace

std::optional<adapters::CrmRecord> Bitrix24Crm::FindClientByPhone(const std::string& tenant_id,
                                                                  const std::string& phone) {
  return KnownRecord(rest_.Call(tenant_id, "crm.duplicate.findbycomm", FindByPhoneParams(phone)));
}

adapters::FoundClient Bitrix24Crm::FindCreatedClient(const std::string& tenant_id,
                                                     const adapters::ClientLookup& lookup) {
  std::vector<std::pair<std::string, std::string>> commands;
  if (lookup.lead) {
    commands.emplace_back("lead",
                          RestClient::BatchCommand("crm.lead.list", MineFilter(lookup.origin)));
  }
  if (lookup.company) {
    commands.emplace_back("company",
                          RestClient::BatchCommand("crm.company.list", MineFilter(lookup.origin)));
  }
  if (lookup.contact) {
    commands.emplace_back("contact",
                          RestClient::BatchCommand("crm.contact.list", MineFilter(lookup.origin)));
  }
  if (lookup.deal) {
    commands.emplace_back("deal",
                          RestClient::BatchCommand("crm.deal.list", MineFilter(lookup.origin)));
  }
  commands.emplace_back("known", RestClient::BatchCommand("crm.duplicate.findbycomm",
                                                          FindByPhoneParams(lookup.phone)));
  BatchResult found = rest_.Batch(tenant_id, commands, false);
  if (!found.errors.empty()) {
    throw Unavailable("looking for what an earlier attempt created failed: " +
                      found.errors.begin()->second);
  }
  adapters::FoundClient out;
  out.lead_id = FirstId(found.results()["lead"]);
  out.company_id = FirstId(found.results()["company"]);
  out.contact_id = FirstId(found.results()["contact"]);
  out.deal_id = FirstId(found.results()["deal"]);
  out.known = KnownRecord(found.results()["known"]);
  return out;
}

adapters::CreatedClient Bitrix24Crm::CreateClient(const std::string& tenant_id,
                                                  const adapters::NewClient& c) {
  std::vector<std::pair<std::string, std::string>> adds;
  if (c.lead) {
    value p = value::object();
    p["fields"]["TITLE"] = value::string(c.name);
    p["fields"]["NAME"] = value::string(c.name);
    p["fields"]["PHONE"] = Phones(c.phone);
    CommonFields(p["fields"], c);
    LineField(p["fields"], c);
    adds.emplace_back("lead", RestClient::BatchCommand("crm.lead.add", p));
  }
  if (c.company) {
    value p = value::object();
    p["fields"]["TITLE"] = value::string(c.name);
    p["fields"]["PHONE"] = Phones(c.phone);
    CommonFields(p["fields"], c);
    LineField(p["fields"], c);
    adds.emplace_back("company", RestClient::BatchCommand("crm.company.add", p));
  }
  if (c.contact) {
    value p = value::object();
    p["fields"]["NAME"] = value::string(c.name);
    p["fields"]["PHONE"] = Phones(c.phone);
    if (c.company) {
      p["fields"]["COMPANY_ID"] = value::string("$result[company]");
    }
    CommonFields(p["fields"], c);
    LineField(p["fields"], c);
    adds.emplace_back("contact", RestClient::BatchCommand("crm.contact.add", p));
  }
  if (c.deal) {
    value p = value::object();
    p["fields"]["TITLE"] = value::string(c.name);
    if (c.contact || !c.deal_contact_id.empty()) {
      p["fields"]["CONTACT_ID"] = value::string(c.contact ? "$result[contact]" : c.deal_contact_id);
    }
    if (c.company) {
      p["fields"]["COMPANY_ID"] = value::string("$result[company]");
    } else if (!c.deal_company_id.empty()) {
      p["fields"]["COMPANY_ID"] = value::string(c.deal_company_id);
    }
    p["fields"]["CATEGORY_ID"] = value::string(c.deal_category_id);
    if (!c.deal_stage_id.empty()) {
      p["fields"]["STAGE_ID"] = value::string(c.deal_stage_id);
    }
    CommonFields(p["fields"], c);
    adds.emplace_back("deal", RestClient::BatchCommand("crm.deal.add", p));
  }
  if (adds.empty()) {
    return {};
  }
  CallOptions options;
  options.idempotent = false;  // a lost answer is looked for on the rerun, never blindly resent
  // The creator's own token when they authorised the app (the portal then records them as the
  // creator); CREATED_BY_ID is read-only in Bitrix24, so without their token the installer
  // creates. A user without tokens is refused before anything is sent.
  BatchResult added;
  bool sent = false;
  if (!c.creator_user_id.empty()) {
    options.user_id = c.creator_user_id;
    try {
      added = rest_.Batch(tenant_id, adds, true, options);
      sent = true;
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kUnauthenticated) {
        throw;
      }
    }
  }
  if (!sent) {
    options.user_id.clear();
    added = rest_.Batch(tenant_id, adds, true, options);
  }
  adapters::CreatedClient out;
  auto take = [&](const char* key, std::string& id) {
    auto it = added.results().find(key);
    if (it != added.results().end()) {
      id = Id(it->second);
    }
  };
  take("lead", out.lead_id);
  take("company", out.company_id);
  take("contact", out.contact_id);
  take("deal", out.deal_id);
  if (!added.errors.empty()) {
    const auto& [key, error] = *added.errors.begin();
    const std::string text = "the CRM refused crm." + key + ".add: " + error;
    if (error.rfind("QUERY_LIMIT_EXCEEDED", 0) == 0 ||
        error.rfind("OPERATION_TIME_LIMIT", 0) == 0 || error.rfind("INTERNAL", 0) == 0) {
      out.error = Unavailable(text);
    } else {
      // A refusal on the merits (a removed pipeline, a required field): retrying cannot help.
      out.error = InvalidArgument(text);
    }
  }
  return out;
}

std::vector<adapters::ClientResponsibles> Bitrix24Crm::FindResponsibles(
    const std::string& tenant_id, const std::string& phone,
    const adapters::RequestOptions& options) {
  value params = value::object();
  params["PHONE_NUMBER"] = value::string(phone);
  // Reads only: safe to resend. Bitrix24 keeps one responsible per record (ASSIGNED_BY_ID).
  const value found = rest_.Call(tenant_id, "telephony.externalCall.searchCrmEntities", params,
                                 ToCallOptions(options, /*idempotent=*/true));
  std::vector<adapters::ClientResponsibles> out;
  if (!found.is_array()) {
    return out;
  }
  for (const value& row : found.as_array()) {
    std::string entity = adapters::JsonText(row, "CRM_ENTITY_TYPE");
    for (char& ch : entity) {
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    const std::string id = IntText(row, "CRM_ENTITY_ID");
    if (entity.empty() || id.empty()) {
      continue;
    }
    adapters::ClientResponsibles client{{entity, id}, {}};
    const std::string assigned = IntText(row, "ASSIGNED_BY_ID");
    if (!assigned.empty() && assigned != "0") {
      adapters::Responsible r;
      r.id = assigned;
      if (row.has_field("ASSIGNED_BY") && row.at("ASSIGNED_BY").is_object()) {
        const value& by = row.at("ASSIGNED_BY");
        r.extension = adapters::JsonText(by, "USER_PHONE_INNER");
        const std::string status = adapters::JsonText(by, "TIMEMAN_STATUS");
        if (!status.empty() && status != "NOT_INSTALLED") {
          r.at_work = status == "OPENED";
        }
      }
      client.responsibles.push_back(r);
    }
    out.push_back(std::move(client));
  }
  return out;
}

std::vector<std::string> Bitrix24Crm::OpenDeals(const std::string& tenant_id,
                                                const adapters::CrmRecord& client,
                                                const std::string& pipeline,
                                                const adapters::RequestOptions& options) {
  value list = value::object();
  list["filter"][client.entity == "contact" ? "CONTACT_ID" : "COMPANY_ID"] =
      value::string(client.id);
  if (!pipeline.empty()) {
    list["filter"]["CATEGORY_ID"] = value::string(pipeline);
  }
  list["filter"]["CLOSED"] = value::string("N");
  list["order"]["ID"] = value::string("DESC");
  list["select"][0] = value::string("ID");
  const value deals =
      rest_.Call(tenant_id, "crm.deal.list", list, ToCallOptions(options, /*idempotent=*/true));
  std::vector<std::string> ids;
  if (deals.is_array()) {
    for (const value& d : deals.as_array()) {
      ids.push_back(adapters::JsonText(d, "ID"));
    }
  }
  return ids;
}

std::string Bitrix24Crm::DealPipeline(const std::string& tenant_id, const std::string& deal_id,
                                      const adapters::RequestOptions& options) {
  value get = value::object();
  get["id"] = value::string(deal_id);
  const value deal =
      rest_.Call(tenant_id, "crm.deal.get", get, ToCallOptions(options, /*idempotent=*/true));
  const std::string category = adapters::JsonText(deal, "CATEGORY_ID");
  return category.empty() ? "0" : category;
}

}  // namespace opdesk::bitrix24
