// The routes of the dialing tasks' CRM groups (docs/API.md «Dialing tasks: CRM contacts and
// CRM filter»): search and fields of the CRM's contacts, adding chosen contacts to a task, the
// task's CRM filter and its preview count. Every route needs the right to manage settings.
#include "connector/campaigns/crm_api.h"

#include <cpprest/json.h>

#include "adapters/json_read.h"
#include "connector/campaigns/api.h"
#include "connector/campaigns/crm_groups.h"
#include "connector/domain/error.h"

namespace opdesk::campaigns {
namespace {

using Json = web::json::value;

Json Num(long long v) {
  return Json::number(static_cast<int64_t>(v));
}

Json ContactJson(const adapters::CrmContact& c) {
  Json out = Json::object(true);
  out["id"] = Json::string(c.id);
  out["name"] = Json::string(c.name);
  Json phones = Json::array(c.phones.size());
  for (std::size_t i = 0; i < c.phones.size(); ++i) {
    phones[i] = Json::string(c.phones[i]);
  }
  out["phones"] = phones;
  return out;
}

Json FilterJson(const CrmFilterView& v) {
  Json out = Json::object(true);
  out["exists"] = Json::boolean(v.exists);
  out["conditions"] = Json::parse(EncodeConditions(v.conditions));
  out["version"] = Num(v.version);
  out["taken"] = Num(v.taken);
  out["skipped"] = Num(v.skipped);
  out["exhausted"] = Json::boolean(v.exhausted);
  out["updated_at_ms"] = v.updated_at_ms > 0 ? Num(v.updated_at_ms) : Json::null();
  return out;
}

// {"conditions":[{"field","op","value"}], …}: each member named crm_filter.conditions[i].….
std::vector<FilterCondition> ConditionsOf(const Json& body) {
  const std::string list = "crm_filter.conditions";
  if (!body.has_field("conditions") || !body.at("conditions").is_array()) {
    throw InvalidArgument(list + " is a list of {field, op, value}", list);
  }
  const Json& items = body.at("conditions");
  if (items.size() > kMaxFilterConditions) {
    throw InvalidArgument("a CRM filter holds at most 10 conditions", list);
  }
  std::vector<FilterCondition> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = adapters::ItemPath(list, i);
    if (!items.at(i).is_object()) {
      throw InvalidArgument(path + " is an object {field, op, value}", path);
    }
    adapters::ObjectReader r(items.at(i), path);
    FilterCondition c;
    c.field = r.String("field", true, 100);
    const std::string op = r.String("op", true, 16);
    c.value = r.String("value", false, kMaxFilterValueLength * 4);
    r.Done();
    const auto parsed = FilterOpFrom(op);
    if (!parsed) {
      throw InvalidArgument("op is eq, contains, empty, not_empty, before or after", path + ".op");
    }
    c.op = *parsed;
    out.push_back(std::move(c));
  }
  return out;
}

http::Response Search(CrmGroups& groups, http::Request& request, const http::Caller& caller) {
  const auto rows = groups.Search(CallerOf(caller), request.QueryParam("q").value_or(""));
  Json list = Json::array(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    list[i] = ContactJson(rows[i]);
  }
  Json out = Json::object(true);
  out["contacts"] = list;
  return http::Response::Json(200, out.serialize());
}

http::Response Fields(CrmGroups& groups, const http::Caller& caller) {
  const auto fields = groups.Fields(CallerOf(caller));
  Json list = Json::array(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    Json f = Json::object(true);
    f["id"] = Json::string(fields[i].id);
    f["title"] = Json::string(fields[i].title);
    f["type"] = Json::string(fields[i].type);
    f["multiple"] = Json::boolean(fields[i].multiple);
    list[i] = f;
  }
  Json out = Json::object(true);
  out["fields"] = list;
  return http::Response::Json(200, out.serialize());
}

http::Response AddContacts(CrmGroups& groups, http::Request& request, const http::Caller& caller) {
  const long long task_id = PathId(request, "id");
  const Json body = adapters::ParseBody(request.body);
  adapters::ObjectReader r(body, "");
  const Json& ids_json = r.Array("contact_ids", true, kMaxChosenContacts);
  r.Done();
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < ids_json.size(); ++i) {
    const Json& id = ids_json.at(i);
    if (!id.is_string()) {
      throw InvalidArgument("a CRM contact id is a decimal string",
                            adapters::ItemPath("contact_ids", i));
    }
    ids.push_back(id.as_string());
  }
  const AddCrmOutcome outcome = groups.AddContacts(CallerOf(caller), task_id, ids);
  Json added = Json::array(outcome.added.size());
  for (std::size_t i = 0; i < outcome.added.size(); ++i) {
    Json a = Json::object(true);
    a["crm_id"] = Json::string(outcome.added[i].crm_id);
    a["contact_id"] = Json::string(std::to_string(outcome.added[i].contact_id));
    a["name"] = Json::string(outcome.added[i].name);
    added[i] = a;
  }
  Json refused = Json::array(outcome.refused.size());
  for (std::size_t i = 0; i < outcome.refused.size(); ++i) {
    Json a = Json::object(true);
    a["crm_id"] = Json::string(outcome.refused[i].crm_id);
    a["reason"] = Json::string(outcome.refused[i].reason);
    refused[i] = a;
  }
  Json out = Json::object(true);
  out["added"] = added;
  out["refused"] = refused;
  return http::Response::Json(200, out.serialize());
}

http::Response PutFilter(CrmGroups& groups, http::Request& request, const http::Caller& caller) {
  const long long task_id = PathId(request, "id");
  const Json body = adapters::ParseBody(request.body);
  adapters::ObjectReader r(body, "");
  r.Get("conditions");
  const long long version = r.Int("version", true);
  r.Done();
  if (version < 0) {
    throw InvalidArgument("version is the version you read (0 for a new filter)", "version");
  }
  const std::vector<FilterCondition> conditions = ConditionsOf(body);
  return http::Response::Json(
      200,
      FilterJson(groups.PutFilter(CallerOf(caller), task_id, conditions, version)).serialize());
}

http::Response Preview(CrmGroups& groups, http::Request& request, const http::Caller& caller) {
  const long long task_id = PathId(request, "id");
  const Caller who = CallerOf(caller);
  const CrmFilterView v = groups.GetFilter(who, task_id);
  if (!v.exists) {
    throw NotFound("the task has no CRM filter");
  }
  Json out = FilterJson(v);
  out["matching"] = Num(groups.Count(who, v.conditions));
  return http::Response::Json(200, out.serialize());
}

http::Response Count(CrmGroups& groups, http::Request& request, const http::Caller& caller) {
  const Json body = adapters::ParseBody(request.body);
  adapters::ObjectReader r(body, "");
  r.Get("conditions");
  r.Done();
  Json out = Json::object(true);
  out["matching"] = Num(groups.Count(CallerOf(caller), ConditionsOf(body)));
  return http::Response::Json(200, out.serialize());
}

}  // namespace

void AddCrmRoutes(http::Router& router, CrmGroups& groups) {
  using http::Guard;
  CrmGroups* g = &groups;
  const http::RouteOptions small{16 * 1024};
  router.Add("GET", "/api/campaign-crm/contacts", Guard::kSettingsManager,
             [g](http::Request& r, const http::Caller& c) { return Search(*g, r, c); });
  router.Add("GET", "/api/campaign-crm/fields", Guard::kSettingsManager,
             [g](http::Request&, const http::Caller& c) { return Fields(*g, c); });
  router.Add(
      "POST", "/api/campaign-crm/count", Guard::kSettingsManager,
      [g](http::Request& r, const http::Caller& c) { return Count(*g, r, c); }, small);
  router.Add(
      "POST", "/api/campaigns/{id}/crm-contacts", Guard::kSettingsManager,
      [g](http::Request& r, const http::Caller& c) { return AddContacts(*g, r, c); }, small);
  router.Add("GET", "/api/campaigns/{id}/crm-filter", Guard::kSettingsManager,
             [g](http::Request& r, const http::Caller& c) {
               return http::Response::Json(
                   200, FilterJson(g->GetFilter(CallerOf(c), PathId(r, "id"))).serialize());
             });
  router.Add(
      "PUT", "/api/campaigns/{id}/crm-filter", Guard::kSettingsManager,
      [g](http::Request& r, const http::Caller& c) { return PutFilter(*g, r, c); }, small);
  router.Add("DELETE", "/api/campaigns/{id}/crm-filter", Guard::kSettingsManager,
             [g](http::Request& r, const http::Caller& c) {
               const std::optional<std::string> v = r.QueryParam("version");
               if (!v || v->empty()) {
                 throw InvalidArgument("version is required: the version you read", "version");
               }
               g->DeleteFilter(CallerOf(c), PathId(r, "id"), adapters::ParseIdText(*v, "version"));
               return http::Response::Json(204, "");
             });
  router.Add("GET", "/api/campaigns/{id}/crm-filter/preview", Guard::kSettingsManager,
             [g](http::Request& r, const http::Caller& c) { return Preview(*g, r, c); });
}

}  // namespace opdesk::campaigns
