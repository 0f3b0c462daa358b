#include "connector/calls/client_creator.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "connector/calls/call_codec.h"
#include "connector/domain/log_escape.h"
#include "connector/domain/new_client.h"
#include "connector/settings/integration_api.h"
#include "connector/storage/call_client_repositories.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/repositories.h"

namespace opdesk::mango {
namespace {

using web::json::value;

// A lock older than this belongs to work that died; the next call for the number takes it over.
constexpr EpochMs kStaleLockMs = 10 * 60 * 1000;
constexpr EpochMs kLockWaitMs = 500;

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

// What crm.duplicate.findbycomm found, as "CONTACT:7" (a contact first, then a company, then a
// lead, as the portal binds calls); "" when nothing. It answers [] or {} when nothing matches.
std::string KnownEntity(const value& found) {
  if (!found.is_object()) {
    return "";
  }
  for (const char* type : {"CONTACT", "COMPANY", "LEAD"}) {
    if (found.has_field(type) && found.at(type).is_array() && found.at(type).size() > 0) {
      return std::string(type) + ":" + Id(found.at(type).at(0));
    }
  }
  return "";
}

value FindByPhoneParams(const std::string& phone) {
  value p = value::object();
  p["type"] = value::string("PHONE");
  p["values"] = value::array({value::string(phone)});
  return p;
}

value MineFilter(const std::string& entry_id) {
  value p = value::object();
  p["filter"]["ORIGINATOR_ID"] = value::string(kOriginatorId);
  p["filter"]["ORIGIN_ID"] = value::string("mango:" + entry_id);
  p["select"] = value::array({value::string("ID")});
  return p;
}

bool WantsLead(calls::ClientAction a) {
  return a == calls::ClientAction::kLead;
}
bool WantsContact(calls::ClientAction a) {
  return a == calls::ClientAction::kClient || a == calls::ClientAction::kClientAndDeal;
}
bool WantsDeal(calls::ClientAction a) {
  return a == calls::ClientAction::kClientAndDeal;
}

// The fields every created item carries: source, line, responsible, and our mark.
void CommonFields(value& f, const NewClientPlan& plan, const std::string& responsible,
                  const std::string& entry_id) {
  f["SOURCE_ID"] = value::string(plan.source_id);
  if (!plan.source_description.empty()) {
    f["SOURCE_DESCRIPTION"] = value::string(plan.source_description);
  }
  if (!responsible.empty()) {
    f["ASSIGNED_BY_ID"] = value::string(responsible);
  }
  f["ORIGINATOR_ID"] = value::string(kOriginatorId);
  f["ORIGIN_ID"] = value::string("mango:" + entry_id);
}

value Phones(const std::string& phone) {
  value item = value::object();
  item["VALUE"] = value::string(phone);
  item["VALUE_TYPE"] = value::string("WORK");
  return value::array({item});
}

}  // namespace

void ClientCreator::CreateLocked(calls::ClientAction action, const calls::Call& call,
                                 const std::string& extension, const std::optional<Tenant>& tenant,
                                 const IntegrationSettings& settings, CallClient& record,
                                 bool& outcome_unknown,
                                 const std::function<void(const std::string&)>& finish) {
  const std::string& tenant_id = record.tenant_id;
  const std::string& entry_id = record.entry_id;
  bitrix24::CallOptions lookup;
  if (record.state == "sending") {
    // An earlier attempt may have added some of it: find ours by the mark, and whether the CRM
    // has the number anyway, in one request.
    std::vector<std::pair<std::string, std::string>> commands;
    if (WantsLead(action)) {
      commands.emplace_back(
          "lead", bitrix24::RestClient::BatchCommand("crm.lead.list", MineFilter(entry_id)));
    }
    if (WantsContact(action)) {
      commands.emplace_back(
          "contact", bitrix24::RestClient::BatchCommand("crm.contact.list", MineFilter(entry_id)));
    }
    if (WantsDeal(action)) {
      commands.emplace_back(
          "deal", bitrix24::RestClient::BatchCommand("crm.deal.list", MineFilter(entry_id)));
    }
    commands.emplace_back("known",
                          bitrix24::RestClient::BatchCommand("crm.duplicate.findbycomm",
                                                             FindByPhoneParams(record.phone)));
    bitrix24::BatchResult found = rest_.Batch(tenant_id, commands, false, lookup);
    if (!found.errors.empty()) {
      throw Unavailable("looking for what an earlier attempt created failed: " +
                        found.errors.begin()->second);
    }
    if (record.lead_id.empty()) {
      record.lead_id = FirstId(found.results()["lead"]);
    }
    if (record.contact_id.empty()) {
      record.contact_id = FirstId(found.results()["contact"]);
    }
    if (record.deal_id.empty()) {
      record.deal_id = FirstId(found.results()["deal"]);
    }
    const bool ours = !record.lead_id.empty() || !record.contact_id.empty();
    if (!ours) {
      record.known_entity = KnownEntity(found.results()["known"]);
      if (!record.known_entity.empty()) {
        finish("known");  // someone else gave the number a client in between
        return;
      }
    }
  } else {
    record.known_entity = KnownEntity(
        rest_.Call(tenant_id, "crm.duplicate.findbycomm", FindByPhoneParams(record.phone), lookup));
    if (!record.known_entity.empty()) {
      finish("known");
      return;
    }
  }

  const bool need_lead = WantsLead(action) && record.lead_id.empty();
  const bool need_contact = WantsContact(action) && record.contact_id.empty();
  const bool need_deal = WantsDeal(action) && record.deal_id.empty();
  if (!need_lead && !need_contact && !need_deal) {
    finish("created");
    return;
  }

  const std::string zone_name = tenant ? tenant->time_zone : "Europe/Moscow";
  TimeZone zone = TimeZone::Utc();
  try {
    zone = *LoadTimeZone(zone_name);
  } catch (const Error& e) {
    // The name still gets written, in UTC, rather than no client at all.
    spdlog::warn("event=tenant_time_zone_unknown tenant={} zone={} error={}", tenant_id,
                 LogValue(zone_name), LogQuoted(e.what()));
  }
  const NewClientPlan plan = PlanNewClient(call, action, settings, zone);
  const std::string responsible = employees_.Resolve(tenant_id, extension).user_id;

  std::vector<std::pair<std::string, std::string>> adds;
  if (need_lead) {
    value p = value::object();
    p["fields"]["TITLE"] = value::string(plan.name);
    p["fields"]["NAME"] = value::string(plan.name);
    p["fields"]["PHONE"] = Phones(plan.phone);
    CommonFields(p["fields"], plan, responsible, entry_id);
    adds.emplace_back("lead", bitrix24::RestClient::BatchCommand("crm.lead.add", p));
  }
  if (need_contact) {
    value p = value::object();
    p["fields"]["NAME"] = value::string(plan.name);
    p["fields"]["PHONE"] = Phones(plan.phone);
    CommonFields(p["fields"], plan, responsible, entry_id);
    adds.emplace_back("contact", bitrix24::RestClient::BatchCommand("crm.contact.add", p));
  }
  if (need_deal) {
    value p = value::object();
    p["fields"]["TITLE"] = value::string(plan.name);
    p["fields"]["CONTACT_ID"] =
        value::string(need_contact ? "$result[contact]" : record.contact_id);
    p["fields"]["CATEGORY_ID"] = value::string(plan.deal_category_id);
    if (!plan.deal_stage_id.empty()) {
      p["fields"]["STAGE_ID"] = value::string(plan.deal_stage_id);
    }
    CommonFields(p["fields"], plan, responsible, entry_id);
    adds.emplace_back("deal", bitrix24::RestClient::BatchCommand("crm.deal.add", p));
  }

  // From here on the CRM may hold what we add, whatever happens to this process.
  record.state = "sending";
  record.updated_at_ms = clock_.NowMs();
  storage::InTransaction(
      db_, [&](storage::Session& s) { storage::CallClientRepository::Save(s, record); });
  bitrix24::CallOptions add;
  add.idempotent = false;  // a lost answer is looked for on the rerun, never blindly resent
  outcome_unknown = true;
  const bitrix24::BatchResult added = rest_.Batch(tenant_id, adds, true, add);
  outcome_unknown = false;  // the CRM answered: what it did is in `added`
  auto take = [&](const char* key, std::string& id) {
    auto it = added.results().find(key);
    if (it != added.results().end() && id.empty()) {
      id = Id(it->second);
    }
  };
  take("lead", record.lead_id);
  take("contact", record.contact_id);
  take("deal", record.deal_id);
  if (!added.errors.empty()) {
    record.updated_at_ms = clock_.NowMs();
    storage::InTransaction(
        db_, [&](storage::Session& s) { storage::CallClientRepository::Save(s, record); });
    const auto& [key, error] = *added.errors.begin();
    const std::string text =
        "the CRM refused crm." + key + ".add for call " + entry_id + ": " + error;
    if (error.rfind("QUERY_LIMIT_EXCEEDED", 0) == 0 ||
        error.rfind("OPERATION_TIME_LIMIT", 0) == 0 || error.rfind("INTERNAL", 0) == 0) {
      throw Unavailable(text);
    }
    // A refusal on the merits (a removed pipeline, a required field): retrying cannot help and
    // would hold the call's finish back. What was added is recorded; a retry of this dead job
    // after the settings are fixed adds only the rest.
    throw InvalidArgument(text);
  }
  finish("created");
}

void ClientCreator::Run(const jobs::Job& job) {
  const value payload = value::parse(job.payload);
  const std::string entry_id = payload.at("entry_id").as_string();
  const std::string extension = payload.at("extension").as_string();
  const std::optional<calls::ClientAction> action =
      ClientActionFromString(payload.at("action").as_string());
  if (!action || *action == calls::ClientAction::kNone) {
    return;
  }
  const std::string& tenant_id = job.tenant_id;

  std::optional<StoredCall> row;
  std::optional<CallClient> existing;
  std::optional<Tenant> tenant;
  IntegrationSettings settings;
  storage::WithSession(db_, [&](storage::Session& s) {
    row = storage::CallRepository::Find(s, tenant_id, entry_id);
    existing = storage::CallClientRepository::Find(s, tenant_id, entry_id);
    tenant = storage::TenantRepository::Find(s, tenant_id);
    settings = LoadIntegrationSettings(s, tenant_id);
  });
  if (!row) {
    throw Internal("call " + entry_id + " was queued but is not stored");
  }
  if (existing && existing->state == "done") {
    return;  // a rerun after the outcome was recorded
  }
  const calls::Call call = DecodeCall(row->state_json);
  const EpochMs now = clock_.NowMs();
  CallClient record = existing.value_or(CallClient{});
  record.tenant_id = tenant_id;
  record.entry_id = entry_id;
  record.action = std::string(opdesk::ToString(*action));
  record.phone = ClientPhone(call.client_number);
  if (record.created_at_ms == 0) {
    record.created_at_ms = now;
  }
  const std::function<void(const std::string&)> finish = [&](const std::string& outcome) {
    record.state = "done";
    record.outcome = outcome;
    record.updated_at_ms = clock_.NowMs();
    storage::InTransaction(db_, [&](storage::Session& s) {
      storage::CallClientRepository::Save(s, record);
      if (!record.phone.empty()) {
        storage::ClientLockRepository::Release(s, tenant_id, record.phone, entry_id);
      }
    });
    spdlog::info(
        "event=crm_client tenant={} entry_id={} action={} outcome={} known={} lead={} contact={} "
        "deal={}",
        tenant_id, LogValue(entry_id), record.action, outcome, record.known_entity, record.lead_id,
        record.contact_id, record.deal_id);
  };
  if (record.phone.empty()) {
    finish("skipped");  // a hidden or SIP caller: no number to make a client of
    return;
  }
  if (!existing && !row->crm_entity.empty()) {
    record.known_entity = row->crm_entity;  // register found the number in the CRM
    finish("known");
    return;
  }

  std::optional<std::string> holder;
  storage::InTransaction(db_, [&](storage::Session& s) {
    holder = storage::ClientLockRepository::Acquire(s, tenant_id, record.phone, entry_id, now,
                                                    kStaleLockMs);
  });
  if (holder) {
    // Not a failure: the other call's job finishes (or its lock goes stale) by itself.
    throw jobs::NotYet("call " + *holder + " is creating the client for " + record.phone +
                           " right now; this call waits for it",
                       kLockWaitMs);
  }
  // The lock guards the time between asking the CRM about the number and knowing what our adds
  // did. A failure before the adds go out, or one the CRM answered, frees it for the next call
  // at once; only an add with an unknown outcome keeps it, until this call's rerun settles it.
  bool outcome_unknown = false;
  try {
    CreateLocked(*action, call, extension, tenant, settings, record, outcome_unknown, finish);
  } catch (...) {
    if (!outcome_unknown) {
      storage::InTransaction(db_, [&](storage::Session& s) {
        storage::ClientLockRepository::Release(s, tenant_id, record.phone, entry_id);
      });
    }
    throw;
  }
}

}  // namespace opdesk::mango
