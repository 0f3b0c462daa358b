// GET /api/callcard/history?entity=contact&id=41&page=1: the Client tab's history of the client
// (calls with outcome and recording, other activities, comments, deals with their stage), one
// page at a time, read through adapters::Crm with the operator's own token and rights. Names of
// people come from the stored portal users and stage names from the cached CRM catalog, so a
// page costs the portal exactly one request.
#include <cpprest/json.h>

#include <algorithm>
#include <map>

#include "connector/callcard/api.h"
#include "connector/domain/error.h"
#include "connector/storage/repositories.h"

namespace opdesk::callcard {
namespace {

using Json = web::json::value;

std::string Outcome(const std::string& status_code) {
  if (status_code.empty()) {
    return "";
  }
  if (status_code == "200") {
    return "answered";
  }
  if (status_code == "304") {
    return "missed";
  }
  if (status_code == "486") {
    return "busy";
  }
  if (status_code == "603" || status_code == "603-S") {
    return "declined";
  }
  return "failed";
}

int PageParam(const http::Request& request) {
  const std::string text = request.QueryParam("page").value_or("1");
  if (text.empty() || text.size() > 4 ||
      text.find_first_not_of("0123456789") != std::string::npos || std::stoi(text) < 1) {
    throw InvalidArgument("page is a number from 1 to 9999", "page");
  }
  return std::stoi(text);
}

}  // namespace

http::Response CallcardApi::History(http::Request& request, const http::Caller& caller) {
  const Seated c = SeatedCaller(request, caller);
  const bitrix24::CrmRef ref = bitrix24::ParseCrmRef(request.QueryParam("entity").value_or(""),
                                                     request.QueryParam("id").value_or(""));
  const int page = PageParam(request);
  adapters::RequestOptions options;
  options.as_user = c.user_id;
  options.deadline = std::chrono::seconds(15);
  const adapters::ClientHistory history =
      crm_.ReadClientHistory(c.tenant_id, adapters::CrmRecord{ref.entity, ref.id}, page, options);

  std::map<std::string, std::string> names;
  storage::WithSession(db_, [&](storage::Session& s) {
    for (const User& u : storage::UserRepository::ListByTenant(s, c.tenant_id)) {
      names[u.user_id] = u.name;
    }
  });
  auto person = [&names](const std::string& id) {
    if (id.empty() || id == "0") {
      return Json::null();
    }
    Json p = Json::object(true);
    p["id"] = Json::string(id);
    const auto it = names.find(id);
    p["name"] = it != names.end() ? Json::string(it->second) : Json::string("#" + id);
    return p;
  };

  std::vector<std::pair<std::string, Json>> items;  // (at, item)
  for (const adapters::HistoryCall& call : history.calls) {
    Json i = Json::object(true);
    i["kind"] = Json::string("call");
    i["id"] = Json::string(call.id);
    i["at"] = Json::string(call.at);
    i["direction"] = Json::string(call.direction);
    i["subject"] = Json::string(call.subject);
    i["user"] = person(call.responsible_user_id);
    i["outcome"] = Json::string(Outcome(call.status_code));
    i["status_code"] = Json::string(call.status_code);
    i["duration_s"] =
        call.duration_s >= 0 ? Json::number(static_cast<int64_t>(call.duration_s)) : Json::null();
    i["recording_url"] =
        call.recording_url.empty() ? Json::null() : Json::string(call.recording_url);
    items.emplace_back(call.at, i);
  }
  for (const adapters::HistoryActivity& a : history.activities) {
    Json i = Json::object(true);
    i["kind"] = Json::string("activity");
    i["id"] = Json::string(a.id);
    i["at"] = Json::string(a.at);
    i["activity_kind"] = Json::string(a.kind);
    i["subject"] = Json::string(a.subject);
    i["deadline"] = a.deadline.empty() ? Json::null() : Json::string(a.deadline);
    i["completed"] = Json::boolean(a.completed);
    i["user"] = person(a.responsible_user_id);
    items.emplace_back(a.at, i);
  }
  for (const adapters::HistoryComment& m : history.comments) {
    Json i = Json::object(true);
    i["kind"] = Json::string("comment");
    i["id"] = Json::string(m.id);
    i["at"] = Json::string(m.at);
    i["text"] = Json::string(m.text);
    i["user"] = person(m.author_user_id);
    items.emplace_back(m.at, i);
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  Json list = Json::array(items.size());
  for (std::size_t n = 0; n < items.size(); ++n) {
    list[n] = items[n].second;
  }

  const std::optional<CrmCatalog> catalog = settings_.CachedCatalog(c.tenant_id);
  Json deals = Json::array(history.deals.size());
  for (std::size_t n = 0; n < history.deals.size(); ++n) {
    const adapters::HistoryDeal& d = history.deals[n];
    Json j = Json::object(true);
    j["id"] = Json::string(d.id);
    j["at"] = Json::string(d.at);
    j["title"] = Json::string(d.title);
    j["category_id"] = Json::string(d.category_id);
    j["stage_id"] = Json::string(d.stage_id);
    j["opportunity"] = Json::string(d.opportunity);
    j["currency"] = Json::string(d.currency);
    j["closed"] = Json::boolean(d.closed);
    std::string stage_name;
    std::string semantics;
    std::string pipeline_name;
    if (catalog) {
      if (const DealCategory* category = catalog->FindCategory(d.category_id)) {
        pipeline_name = category->name;
        for (const CrmStatus& stage : category->stages) {
          if (stage.id == d.stage_id) {
            stage_name = stage.name;
            semantics = stage.semantics;
          }
        }
      }
    }
    j["stage_name"] = stage_name.empty() ? Json::null() : Json::string(stage_name);
    j["stage_semantics"] = Json::string(semantics);
    j["pipeline_name"] = pipeline_name.empty() ? Json::null() : Json::string(pipeline_name);
    deals[n] = j;
  }

  Json body = Json::object(true);
  body["page"] = Json::number(page);
  body["more"] = Json::boolean(history.more);
  body["items"] = list;
  body["deals"] = deals;
  return http::Response::Json(200, body.serialize());
}

}  // namespace opdesk::callcard
