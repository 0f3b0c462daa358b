// Bitrix24Crm for the dialing tasks' CRM contacts (FEATURES F3; reference bitrix24.md §2.6, §6.3):
// crm.contact.list with filter / select / order for the search and the filter groups (50 a page),
// crm.contact.get for a chosen contact's numbers at call time, crm.contact.fields for the
// filter's field list. PHONE is a multifield, so it is always selected by name.
#include <algorithm>
#include <set>

#include <cpprest/json.h>

#include "adapters/bitrix24/bitrix24_crm.h"
#include "adapters/bitrix24/bitrix24_crm_util.h"

namespace opdesk::bitrix24 {
namespace {

using Json = web::json::value;

Json Select() {
  return Json::array({Json::string("ID"), Json::string("NAME"), Json::string("SECOND_NAME"),
                      Json::string("LAST_NAME"), Json::string("PHONE")});
}

adapters::CrmContact ContactOf(const Json& row) {
  adapters::CrmContact c;
  c.id = IntText(row, "ID");
  for (const char* part : {"NAME", "SECOND_NAME", "LAST_NAME"}) {
    const std::string text = IntText(row, part);
    if (!text.empty()) {
      c.name += (c.name.empty() ? "" : " ") + text;
    }
  }
  if (row.is_object() && row.has_field("PHONE") && row.at("PHONE").is_array()) {
    for (const Json& phone : row.at("PHONE").as_array()) {
      const std::string value = IntText(phone, "VALUE");
      if (!value.empty()) {
        c.phones.push_back(value);
      }
    }
  }
  return c;
}

// The filter key and value of one condition (the portal's prefixes: "=" exact, "%" like,
// ">=" "<=" ranges; an empty value matches an empty field).
std::pair<std::string, std::string> FilterEntry(const adapters::CrmCondition& c) {
  if (c.op == "contains") {
    return {"%" + c.field, c.value};
  }
  if (c.op == "empty") {
    return {"=" + c.field, ""};
  }
  if (c.op == "not_empty") {
    return {"!=" + c.field, ""};
  }
  if (c.op == "before") {
    return {"<=" + c.field, c.value};
  }
  if (c.op == "after") {
    return {">=" + c.field, c.value};
  }
  return {"=" + c.field, c.value};
}

}  // namespace

std::vector<adapters::CrmContact> Bitrix24Crm::SearchContacts(
    const std::string& tenant_id, const std::string& query,
    const adapters::RequestOptions& options) {
  // Digits search the numbers (the portal matches a number exactly, so it is asked as typed
  // and as "+digits"); text searches the name and the last name. One list call each, merged.
  std::vector<Json> filters;
  const bool digits =
      !query.empty() && query.find_first_not_of("+0123456789 ()-") == std::string::npos;
  if (digits) {
    std::string plain;
    for (char ch : query) {
      if (ch >= '0' && ch <= '9') {
        plain.push_back(ch);
      }
    }
    Json f = Json::object();
    f["PHONE"] = Json::array({Json::string(query), Json::string("+" + plain)});
    filters.push_back(f);
  } else {
    for (const char* field : {"%NAME", "%LAST_NAME"}) {
      Json f = Json::object();
      f[field] = Json::string(query);
      filters.push_back(f);
    }
  }
  std::vector<adapters::CrmContact> out;
  std::set<std::string> seen;
  for (const Json& filter : filters) {
    Json params = Json::object();
    params["filter"] = filter;
    params["select"] = Select();
    params["order"]["ID"] = Json::string("ASC");
    const Json rows =
        rest_.Call(tenant_id, "crm.contact.list", params, ToCallOptions(options, true));
    if (!rows.is_array()) {
      continue;
    }
    for (const Json& row : rows.as_array()) {
      adapters::CrmContact c = ContactOf(row);
      if (!c.id.empty() && seen.insert(c.id).second &&
          out.size() < static_cast<std::size_t>(adapters::kContactPageSize)) {
        out.push_back(std::move(c));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.id.size() != b.id.size() ? a.id.size() < b.id.size() : a.id < b.id;
  });
  return out;
}

std::optional<adapters::CrmContact> Bitrix24Crm::GetContact(
    const std::string& tenant_id, const std::string& contact_id,
    const adapters::RequestOptions& options) {
  Json params = Json::object();
  params["id"] = Json::string(contact_id);
  try {
    const Json row = rest_.Call(tenant_id, "crm.contact.get", params, ToCallOptions(options, true));
    adapters::CrmContact c = ContactOf(row);
    if (c.id.empty()) {
      return std::nullopt;
    }
    return c;
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kNotFound) {
      return std::nullopt;
    }
    throw;
  }
}

std::vector<adapters::CrmContact> Bitrix24Crm::ContactsByIds(
    const std::string& tenant_id, const std::vector<std::string>& ids,
    const adapters::RequestOptions& options) {
  std::vector<adapters::CrmContact> out;
  const std::size_t per = static_cast<std::size_t>(adapters::kContactPageSize);
  for (std::size_t from = 0; from < ids.size(); from += per) {
    Json list = Json::array();
    for (std::size_t i = from; i < std::min(ids.size(), from + per); ++i) {
      list[i - from] = Json::string(ids[i]);
    }
    Json params = Json::object();
    params["filter"]["@ID"] = list;
    params["select"] = Select();
    const Json rows =
        rest_.Call(tenant_id, "crm.contact.list", params, ToCallOptions(options, true));
    if (rows.is_array()) {
      for (const Json& row : rows.as_array()) {
        adapters::CrmContact c = ContactOf(row);
        if (!c.id.empty()) {
          out.push_back(std::move(c));
        }
      }
    }
  }
  return out;
}

std::vector<adapters::CrmField> Bitrix24Crm::ContactFields(
    const std::string& tenant_id, const adapters::RequestOptions& options) {
  const Json fields =
      rest_.Call(tenant_id, "crm.contact.fields", Json::object(), ToCallOptions(options, true));
  std::vector<adapters::CrmField> out;
  if (!fields.is_object()) {
    return out;
  }
  for (const auto& [id, info] : fields.as_object()) {
    adapters::CrmField f;
    f.id = id;
    f.type = IntText(info, "type");
    f.title = IntText(info, "formLabel");
    if (f.title.empty()) {
      f.title = IntText(info, "title");
    }
    if (f.title.empty()) {
      f.title = id;
    }
    f.multiple = Flag(info, "isMultiple", false);
    out.push_back(std::move(f));
  }
  return out;
}

adapters::CrmContactPage Bitrix24Crm::ListContacts(
    const std::string& tenant_id, const std::vector<adapters::CrmCondition>& conditions,
    const std::string& after_id, const adapters::RequestOptions& options) {
  Json params = Json::object();
  params["filter"] = Json::object();
  for (const adapters::CrmCondition& c : conditions) {
    const auto [key, value] = FilterEntry(c);
    params["filter"][key] = Json::string(value);
  }
  if (!after_id.empty()) {
    params["filter"][">ID"] = Json::string(after_id);
  }
  params["select"] = Select();
  params["order"]["ID"] = Json::string("ASC");
  params["start"] = Json::number(0);
  RestClient::Paging paging;
  const Json rows =
      rest_.CallPage(tenant_id, "crm.contact.list", params, paging, ToCallOptions(options, true));
  adapters::CrmContactPage page;
  if (rows.is_array()) {
    for (const Json& row : rows.as_array()) {
      adapters::CrmContact c = ContactOf(row);
      if (!c.id.empty()) {
        page.contacts.push_back(std::move(c));
      }
    }
  }
  page.more = paging.next.has_value();
  page.total = paging.total.value_or(static_cast<long long>(page.contacts.size()));
  return page;
}

}  // namespace opdesk::bitrix24
