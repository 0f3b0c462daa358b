// Bitrix24Crm for the reception wizard (reference bitrix24.md): the portal's departments
// (department.get: ID, NAME, SORT, PARENT, UF_HEAD; 50 a page), a department's users (user.get
// with FILTER UF_DEPARTMENT), presence (timeman.status per user and user.get IS_ONLINE in one
// batch; a portal without time tracking answers an error there, read as "unknown"), and an
// inquiry as a lead or a deal marked with ORIGINATOR_ID / ORIGIN_ID.
#include <algorithm>

#include <cpprest/json.h>

#include "adapters/bitrix24/bitrix24_crm.h"
#include "adapters/bitrix24/bitrix24_crm_util.h"

namespace opdesk::bitrix24 {
namespace {

using Json = web::json::value;

// How many users one presence batch covers: two commands each, 50 commands a batch.
constexpr std::size_t kPresencePerBatch = 24;

int SortOf(const Json& row) {
  const std::string s = IntText(row, "SORT");
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) {
    return 0;
  }
  return std::stoi(s);
}

adapters::CrmUser UserOf(const Json& row) {
  adapters::CrmUser u;
  u.id = IntText(row, "ID");
  const std::string last = IntText(row, "LAST_NAME");
  u.name = IntText(row, "NAME") + (last.empty() ? "" : " " + last);
  u.email = IntText(row, "EMAIL");
  u.active = Flag(row, "ACTIVE", true);
  u.extension = IntText(row, "UF_PHONE_INNER");
  return u;
}

}  // namespace

std::vector<adapters::CrmDepartment> Bitrix24Crm::ListDepartments(const std::string& tenant_id) {
  Json params = Json::object();
  params["sort"] = Json::string("SORT");
  params["order"] = Json::string("ASC");
  std::vector<adapters::CrmDepartment> out;
  for (const Json& row : rest_.ListAll(tenant_id, "department.get", params, {}, 5'000)) {
    adapters::CrmDepartment d;
    d.id = IntText(row, "ID");
    if (d.id.empty()) {
      continue;
    }
    d.name = IntText(row, "NAME");
    d.sort = SortOf(row);
    d.parent_id = IntText(row, "PARENT");
    d.head_user_id = IntText(row, "UF_HEAD");
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<adapters::CrmUser> Bitrix24Crm::DepartmentUsers(const std::string& tenant_id,
                                                            const std::string& department_id) {
  Json params = Json::object();
  params["FILTER"]["UF_DEPARTMENT"] = Json::string(department_id);
  params["FILTER"]["ACTIVE"] = Json::boolean(true);
  std::vector<adapters::CrmUser> out;
  for (const Json& row : rest_.ListAll(tenant_id, "user.get", params, {}, 1'000)) {
    const std::string type = IntText(row, "USER_TYPE");
    if (!type.empty() && type != "employee") {
      continue;
    }
    adapters::CrmUser u = UserOf(row);
    if (!u.id.empty() && u.active) {
      out.push_back(std::move(u));
    }
  }
  return out;
}

std::vector<adapters::CrmPresence> Bitrix24Crm::Presence(const std::string& tenant_id,
                                                         const std::vector<std::string>& ids) {
  std::vector<adapters::CrmPresence> out;
  for (std::size_t from = 0; from < ids.size(); from += kPresencePerBatch) {
    const std::size_t to = std::min(ids.size(), from + kPresencePerBatch);
    std::vector<std::pair<std::string, std::string>> commands;
    Json users = Json::object();
    for (std::size_t i = from; i < to; ++i) {
      Json p = Json::object();
      p["USER_ID"] = Json::string(ids[i]);
      commands.emplace_back("t" + std::to_string(i), RestClient::BatchCommand("timeman.status", p));
      users["FILTER"]["ID"][i - from] = Json::string(ids[i]);
    }
    commands.emplace_back("online", RestClient::BatchCommand("user.get", users));
    BatchResult batch = rest_.Batch(tenant_id, commands, /*halt=*/false);
    std::map<std::string, bool> online;
    if (auto it = batch.results().find("online"); it != batch.results().end()) {
      if (it->second.is_array()) {
        for (const Json& row : it->second.as_array()) {
          online[IntText(row, "ID")] = Flag(row, "IS_ONLINE", false);
        }
      }
    }
    for (std::size_t i = from; i < to; ++i) {
      adapters::CrmPresence p;
      p.user_id = ids[i];
      // An error for one user (time tracking off, no right to see it) leaves the day unknown.
      if (auto it = batch.results().find("t" + std::to_string(i)); it != batch.results().end()) {
        p.work_day = IntText(it->second, "STATUS");
      }
      if (auto o = online.find(ids[i]); o != online.end()) {
        p.online = o->second;
      }
      out.push_back(std::move(p));
    }
  }
  return out;
}

adapters::CrmRecord Bitrix24Crm::AddInquiry(const std::string& tenant_id,
                                            const adapters::InquiryRecord& q,
                                            const adapters::RequestOptions& options) {
  Json params = Json::object();
  Json& f = params["fields"];
  f["TITLE"] = Json::string(q.title);
  f["ASSIGNED_BY_ID"] = Json::string(q.responsible_user_id);
  f["COMMENTS"] = Json::string(q.comments);
  f["SOURCE_ID"] = Json::string("CALL");
  f["ORIGINATOR_ID"] = Json::string(q.origin.originator);
  f["ORIGIN_ID"] = Json::string(q.origin.origin);
  if (!q.deal) {
    if (!q.name.empty()) {
      f["NAME"] = Json::string(q.name);
    }
    if (!q.company.empty()) {
      f["COMPANY_TITLE"] = Json::string(q.company);
    }
    if (!q.phone.empty()) {
      f["PHONE"][0]["VALUE"] = Json::string(q.phone);
      f["PHONE"][0]["VALUE_TYPE"] = Json::string("WORK");
    }
    if (!q.email.empty()) {
      f["EMAIL"][0]["VALUE"] = Json::string(q.email);
      f["EMAIL"][0]["VALUE_TYPE"] = Json::string("WORK");
    }
  }
  params["params"]["REGISTER_SONET_EVENT"] = Json::string("Y");
  const std::string method = q.deal ? "crm.deal.add" : "crm.lead.add";
  const Json r =
      rest_.Call(tenant_id, method, params, ToCallOptions(options, /*idempotent=*/false));
  adapters::CrmRecord record;
  record.entity = q.deal ? "deal" : "lead";
  record.id = r.is_number() ? std::to_string(r.as_number().to_int64())
                            : (r.is_string() ? r.as_string() : "");
  if (record.id.empty()) {
    throw Unavailable("the CRM added the " + record.entity + " but gave no id");
  }
  return record;
}

}  // namespace opdesk::bitrix24
