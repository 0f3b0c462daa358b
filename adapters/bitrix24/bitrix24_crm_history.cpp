// The call card's client history: one `batch` per page (reference bitrix24.md §5, §6.5):
// crm.activity.list twice (calls: TYPE_ID 2; the other activities), crm.timeline.comment.list,
// voximplant.statistic.get (the calls' outcome, duration and recording, matched to the call
// activities by CRM_ACTIVITY_ID) and, for a contact or company, crm.deal.list. Each list pages
// by `start` in steps of 50, so page N asks every list for its N-th 50.
#include <cpprest/json.h>

#include "adapters/bitrix24/bitrix24_crm.h"
#include "adapters/bitrix24/bitrix24_crm_util.h"
#include "adapters/json_read.h"

namespace opdesk::bitrix24 {
namespace {

using Json = web::json::value;

int OwnerTypeId(const std::string& entity) {
  if (entity == "lead") {
    return 1;
  }
  if (entity == "deal") {
    return 2;
  }
  if (entity == "contact") {
    return 3;
  }
  if (entity == "company") {
    return 4;
  }
  throw InvalidArgument("history is kept for leads, deals, contacts and companies", "entity");
}

Json Select(std::initializer_list<const char*> fields) {
  Json a = Json::array(fields.size());
  std::size_t i = 0;
  for (const char* f : fields) {
    a[i++] = Json::string(f);
  }
  return a;
}

// TYPE_ID of crm.activity.list (1 meeting, 2 call, 3 task, 4 e-mail, 6 provider: to-dos and
// the rest); PROVIDER_ID CRM_TODO marks the universal to-do.
std::string ActivityKind(const Json& a) {
  const std::string type = IntText(a, "TYPE_ID");
  if (IntText(a, "PROVIDER_ID") == "CRM_TODO") {
    return "todo";
  }
  if (type == "1") {
    return "meeting";
  }
  if (type == "3") {
    return "task";
  }
  if (type == "4") {
    return "email";
  }
  return "other";
}

const Json* Rows(const BatchResult& batch, const std::string& key) {
  const auto it = batch.results().find(key);
  return it != batch.results().end() && it->second.is_array() ? &it->second : nullptr;
}

}  // namespace

adapters::ClientHistory Bitrix24Crm::ReadClientHistory(const std::string& tenant_id,
                                                       const adapters::CrmRecord& client, int page,
                                                       const adapters::RequestOptions& options) {
  if (page < 1) {
    throw InvalidArgument("page starts at 1", "page");
  }
  const int owner_type = OwnerTypeId(client.entity);
  const Json start = Json::number(static_cast<int64_t>(page - 1) * adapters::kHistoryPageSize);
  std::vector<std::pair<std::string, std::string>> commands;

  Json calls = Json::object();
  calls["order"]["ID"] = Json::string("DESC");
  calls["filter"]["OWNER_TYPE_ID"] = Json::number(owner_type);
  calls["filter"]["OWNER_ID"] = Json::string(client.id);
  calls["filter"]["TYPE_ID"] = Json::number(2);
  calls["select"] =
      Select({"ID", "SUBJECT", "DIRECTION", "START_TIME", "CREATED", "RESPONSIBLE_ID"});
  calls["start"] = start;
  commands.emplace_back("calls", RestClient::BatchCommand("crm.activity.list", calls));

  Json other = Json::object();
  other["order"]["ID"] = Json::string("DESC");
  other["filter"]["OWNER_TYPE_ID"] = Json::number(owner_type);
  other["filter"]["OWNER_ID"] = Json::string(client.id);
  other["filter"]["!TYPE_ID"] = Json::number(2);
  other["select"] = Select({"ID", "TYPE_ID", "PROVIDER_ID", "SUBJECT", "CREATED", "DEADLINE",
                            "COMPLETED", "RESPONSIBLE_ID"});
  other["start"] = start;
  commands.emplace_back("activities", RestClient::BatchCommand("crm.activity.list", other));

  Json comments = Json::object();
  comments["order"]["ID"] = Json::string("DESC");
  comments["filter"]["ENTITY_TYPE"] = Json::string(client.entity);
  comments["filter"]["ENTITY_ID"] = Json::string(client.id);
  comments["select"] = Select({"ID", "CREATED", "AUTHOR_ID", "COMMENT"});
  comments["start"] = start;
  commands.emplace_back("comments",
                        RestClient::BatchCommand("crm.timeline.comment.list", comments));

  Json stats = Json::object();
  std::string upper = client.entity;
  for (char& ch : upper) {
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  stats["FILTER"]["CRM_ENTITY_TYPE"] = Json::string(upper);
  stats["FILTER"]["CRM_ENTITY_ID"] = Json::string(client.id);
  stats["SORT"] = Json::string("CALL_START_DATE");
  stats["ORDER"] = Json::string("DESC");
  stats["start"] = start;
  commands.emplace_back("stats", RestClient::BatchCommand("voximplant.statistic.get", stats));

  const bool has_deals = client.entity == "contact" || client.entity == "company";
  if (has_deals) {
    Json deals = Json::object();
    deals["order"]["ID"] = Json::string("DESC");
    deals["filter"][client.entity == "contact" ? "CONTACT_ID" : "COMPANY_ID"] =
        Json::string(client.id);
    deals["select"] = Select({"ID", "TITLE", "STAGE_ID", "CATEGORY_ID", "OPPORTUNITY",
                              "CURRENCY_ID", "DATE_CREATE", "CLOSED"});
    deals["start"] = start;
    commands.emplace_back("deals", RestClient::BatchCommand("crm.deal.list", deals));
  }

  const BatchResult batch =
      rest_.Batch(tenant_id, commands, /*halt=*/false, ToCallOptions(options, true));
  for (const auto& [key, error] : batch.errors) {
    // The statistics need the "call statistics: view" right, which an operator may lack: the
    // calls are then shown without their outcome rather than not at all.
    if (key != "stats") {
      throw Unavailable("the CRM refused to list the client's " + key + ": " + error);
    }
  }

  adapters::ClientHistory out;
  std::map<std::string, const Json*> stat_by_activity;
  if (const Json* rows = Rows(batch, "stats")) {
    for (const Json& s : rows->as_array()) {
      const std::string activity = IntText(s, "CRM_ACTIVITY_ID");
      if (!activity.empty() && activity != "0") {
        stat_by_activity.emplace(activity, &s);
      }
    }
  }
  auto full = [](const Json* rows) {
    return rows != nullptr && rows->size() >= static_cast<std::size_t>(adapters::kHistoryPageSize);
  };
  if (const Json* rows = Rows(batch, "calls")) {
    for (const Json& a : rows->as_array()) {
      adapters::HistoryCall c;
      c.id = IntText(a, "ID");
      c.at = IntText(a, "START_TIME").empty() ? IntText(a, "CREATED") : IntText(a, "START_TIME");
      const std::string direction = IntText(a, "DIRECTION");
      c.direction = direction == "1" ? "incoming" : direction == "2" ? "outgoing" : "";
      c.subject = IntText(a, "SUBJECT");
      c.responsible_user_id = IntText(a, "RESPONSIBLE_ID");
      if (const auto it = stat_by_activity.find(c.id); it != stat_by_activity.end()) {
        const Json& s = *it->second;
        c.status_code = IntText(s, "CALL_FAILED_CODE");
        const std::string duration = IntText(s, "CALL_DURATION");
        c.duration_s = duration.empty() ? -1 : std::atoll(duration.c_str());
        // ⚠ The documented list shows CALL_RECORD_URL on some portals and only RECORD_FILE_ID
        // on others; the URL is used when there is one.
        c.recording_url = IntText(s, "CALL_RECORD_URL");
      }
      out.calls.push_back(std::move(c));
    }
    out.more = out.more || full(rows);
  }
  if (const Json* rows = Rows(batch, "activities")) {
    for (const Json& a : rows->as_array()) {
      adapters::HistoryActivity x;
      x.id = IntText(a, "ID");
      x.at = IntText(a, "CREATED");
      x.kind = ActivityKind(a);
      x.subject = IntText(a, "SUBJECT");
      x.deadline = IntText(a, "DEADLINE");
      x.responsible_user_id = IntText(a, "RESPONSIBLE_ID");
      x.completed = Flag(a, "COMPLETED", false);
      out.activities.push_back(std::move(x));
    }
    out.more = out.more || full(rows);
  }
  if (const Json* rows = Rows(batch, "comments")) {
    for (const Json& a : rows->as_array()) {
      out.comments.push_back(adapters::HistoryComment{
          IntText(a, "ID"), IntText(a, "CREATED"), IntText(a, "AUTHOR_ID"), IntText(a, "COMMENT")});
    }
    out.more = out.more || full(rows);
  }
  if (const Json* rows = Rows(batch, "deals")) {
    for (const Json& d : rows->as_array()) {
      adapters::HistoryDeal deal;
      deal.id = IntText(d, "ID");
      deal.at = IntText(d, "DATE_CREATE");
      deal.title = IntText(d, "TITLE");
      deal.category_id = IntText(d, "CATEGORY_ID").empty() ? "0" : IntText(d, "CATEGORY_ID");
      deal.stage_id = IntText(d, "STAGE_ID");
      deal.opportunity = IntText(d, "OPPORTUNITY");
      deal.currency = IntText(d, "CURRENCY_ID");
      deal.closed = Flag(d, "CLOSED", false);
      out.deals.push_back(std::move(deal));
    }
    out.more = out.more || full(rows);
  }
  return out;
}

}  // namespace opdesk::bitrix24
