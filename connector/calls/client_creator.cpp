#include "connector/calls/client_creator.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "connector/calls/call_store.h"
#include "connector/calls/integration_settings.h"
#include "connector/domain/log_escape.h"
#include "connector/domain/new_client.h"
#include "connector/storage/call_client_repositories.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/repositories.h"

namespace opdesk::mango {
namespace {

using web::json::value;

// A lock older than this belongs to work that died; the next call for the number takes it over.
constexpr EpochMs kStaleLockMs = 10 * 60 * 1000;
constexpr EpochMs kLockWaitMs = 500;

adapters::ClientOrigin OriginOf(const std::string& entry_id) {
  return {kOriginatorId, "mango:" + entry_id};
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

// call_clients.action of a repeated call's deal (B3).
constexpr const char* kRepeatDealAction = "repeat_deal";

}  // namespace

TimeZone ZoneOf(const std::optional<Tenant>& tenant, const std::string& tenant_id) {
  const std::string zone_name = tenant ? tenant->time_zone : "Europe/Moscow";
  try {
    return *LoadTimeZone(zone_name);
  } catch (const Error& e) {
    // The name still gets written, in UTC, rather than no client at all.
    spdlog::warn("event=tenant_time_zone_unknown tenant={} zone={} error={}", tenant_id,
                 LogValue(zone_name), LogQuoted(e.what()));
  }
  return TimeZone::Utc();
}

void ClientCreator::Responsible(const std::string& tenant_id, const std::string& extension,
                                adapters::NewClient& wanted) {
  const EmployeeResolver::Resolved who = employees_.Resolve(tenant_id, extension);
  wanted.responsible_user_id = who.user_id;
  wanted.creator_user_id = who.mapped ? who.user_id : "";
}

void ClientCreator::RepeatDealLocked(calls::RepeatedCallDeal repeated,
                                     const adapters::CrmRecord& known, const calls::Call& call,
                                     const std::string& extension, const TimeZone& zone,
                                     const IntegrationSettings& settings, CallClient& record,
                                     bool& outcome_unknown,
                                     const std::function<void(const std::string&)>& finish) {
  const std::string& tenant_id = record.tenant_id;
  record.known_entity = adapters::StoredRecordKey(known);
  record.action = kRepeatDealAction;
  if (known.entity != "contact" && known.entity != "company") {
    finish("known");  // a lead carries no deals
    return;
  }
  if (record.state == "sending") {
    adapters::ClientLookup lookup;
    lookup.origin = OriginOf(record.entry_id);
    lookup.deal = true;
    lookup.phone = record.phone;
    record.deal_id = crm_.FindCreatedClient(tenant_id, lookup).deal_id;
    if (!record.deal_id.empty()) {
      finish("deal");
      return;
    }
  } else if (repeated == calls::RepeatedCallDeal::kIfNoneOpen) {
    adapters::RequestOptions options;
    options.deadline = std::chrono::seconds(10);
    if (!crm_.OpenDeals(tenant_id, known, "", options).empty()) {
      finish("open_deal");
      return;
    }
  }
  adapters::NewClient wanted;
  wanted.origin = OriginOf(record.entry_id);
  wanted.deal = true;
  wanted.name = RepeatedCallDealTitle(call, zone);
  const NewClientPlan plan =
      PlanNewClient(call, calls::ClientAction::kClientAndDeal, settings, zone);
  wanted.phone = plan.phone;
  wanted.source_id = plan.source_id;
  wanted.source_description = plan.source_description;
  wanted.deal_category_id = plan.deal_category_id;
  wanted.deal_stage_id = plan.deal_stage_id;
  (known.entity == "contact" ? wanted.deal_contact_id : wanted.deal_company_id) = known.id;
  Responsible(tenant_id, extension, wanted);

  record.state = "sending";
  record.updated_at_ms = clock_.NowMs();
  storage::InTransaction(
      db_, [&](storage::Session& s) { storage::CallClientRepository::Save(s, record); });
  outcome_unknown = true;
  const adapters::CreatedClient added = crm_.CreateClient(tenant_id, wanted);
  outcome_unknown = false;
  record.deal_id = added.deal_id;
  if (added.error) {
    throw Error(added.error->code(),
                std::string(added.error->what()) + " (call " + record.entry_id + ")");
  }
  finish("deal");
}

void ClientCreator::CreateLocked(calls::ClientAction action, calls::RepeatedCallDeal repeated,
                                 const calls::Call& call, const std::string& extension,
                                 const std::optional<Tenant>& tenant,
                                 const IntegrationSettings& settings, CallClient& record,
                                 bool& outcome_unknown,
                                 const std::function<void(const std::string&)>& finish) {
  const std::string& tenant_id = record.tenant_id;
  const std::string& entry_id = record.entry_id;
  const TimeZone zone = ZoneOf(tenant, tenant_id);
  auto known_client = [&](const adapters::CrmRecord& known) {
    if (repeated == calls::RepeatedCallDeal::kNever) {
      record.known_entity = adapters::StoredRecordKey(known);
      finish("known");
    } else {
      RepeatDealLocked(repeated, known, call, extension, zone, settings, record, outcome_unknown,
                       finish);
    }
  };
  if (record.action == kRepeatDealAction) {
    // A rerun of a repeated call's deal (the known client was recorded before the add went out).
    const std::optional<adapters::CrmRecord> known =
        adapters::RecordFromStoredKey(record.known_entity);
    if (known) {
      RepeatDealLocked(repeated, *known, call, extension, zone, settings, record, outcome_unknown,
                       finish);
      return;
    }
  }
  if (!record.known_entity.empty() && record.state != "sending") {
    if (const auto known = adapters::RecordFromStoredKey(record.known_entity)) {
      known_client(*known);  // register bound the call: the number is known
      return;
    }
  }
  if (action == calls::ClientAction::kNone) {
    // Only B3 asked: a new number gets nothing.
    const std::optional<adapters::CrmRecord> known =
        crm_.FindClientByPhone(tenant_id, record.phone);
    if (known) {
      known_client(*known);
    } else {
      finish("new_number");
    }
    return;
  }
  if (record.state == "sending") {
    // An earlier attempt may have added some of it: find ours by the mark, and whether the CRM
    // has the number anyway, in one request.
    adapters::ClientLookup lookup;
    lookup.origin = OriginOf(entry_id);
    lookup.lead = WantsLead(action);
    lookup.contact = WantsContact(action);
    lookup.deal = WantsDeal(action);
    lookup.phone = record.phone;
    const adapters::FoundClient found = crm_.FindCreatedClient(tenant_id, lookup);
    if (record.lead_id.empty()) {
      record.lead_id = found.lead_id;
    }
    if (record.contact_id.empty()) {
      record.contact_id = found.contact_id;
    }
    if (record.deal_id.empty()) {
      record.deal_id = found.deal_id;
    }
    const bool ours = !record.lead_id.empty() || !record.contact_id.empty();
    if (!ours) {
      record.known_entity = found.known ? adapters::StoredRecordKey(*found.known) : "";
      if (!record.known_entity.empty()) {
        finish("known");  // someone else gave the number a client in between
        return;
      }
    }
  } else {
    const std::optional<adapters::CrmRecord> known =
        crm_.FindClientByPhone(tenant_id, record.phone);
    if (known) {
      known_client(*known);
      return;
    }
    record.known_entity.clear();
  }

  const bool need_lead = WantsLead(action) && record.lead_id.empty();
  const bool need_contact = WantsContact(action) && record.contact_id.empty();
  const bool need_deal = WantsDeal(action) && record.deal_id.empty();
  if (!need_lead && !need_contact && !need_deal) {
    finish("created");
    return;
  }

  const NewClientPlan plan = PlanNewClient(call, action, settings, zone);

  adapters::NewClient wanted;
  wanted.origin = OriginOf(entry_id);
  wanted.lead = need_lead;
  wanted.contact = need_contact;
  wanted.deal = need_deal;
  wanted.name = plan.name;
  wanted.phone = plan.phone;
  wanted.source_id = plan.source_id;
  wanted.source_description = plan.source_description;
  wanted.line_field = plan.line_field;
  wanted.line_number = plan.line_number;
  Responsible(tenant_id, extension, wanted);
  wanted.deal_category_id = plan.deal_category_id;
  wanted.deal_stage_id = plan.deal_stage_id;
  wanted.deal_contact_id = record.contact_id;

  // From here on the CRM may hold what we add, whatever happens to this process.
  record.state = "sending";
  record.updated_at_ms = clock_.NowMs();
  storage::InTransaction(
      db_, [&](storage::Session& s) { storage::CallClientRepository::Save(s, record); });
  outcome_unknown = true;
  const adapters::CreatedClient added = crm_.CreateClient(tenant_id, wanted);
  outcome_unknown = false;  // the CRM answered: what it did is in `added`
  auto take = [](const std::string& created, std::string& id) {
    if (id.empty()) {
      id = created;
    }
  };
  take(added.lead_id, record.lead_id);
  take(added.contact_id, record.contact_id);
  take(added.deal_id, record.deal_id);
  if (routes_ != nullptr && (!record.contact_id.empty() || !record.lead_id.empty())) {
    // The next call from this number is routed to the new client's responsible at once.
    adapters::Responsible responsible;
    responsible.id = wanted.responsible_user_id;
    routes_->Put(tenant_id, record.phone,
                 {{{record.contact_id.empty() ? "lead" : "contact",
                    record.contact_id.empty() ? record.lead_id : record.contact_id},
                   {responsible}}},
                 clock_.NowMs());
  }
  if (added.error) {
    record.updated_at_ms = clock_.NowMs();
    storage::InTransaction(
        db_, [&](storage::Session& s) { storage::CallClientRepository::Save(s, record); });
    // Unavailable: retried. Otherwise a refusal on the merits (a removed pipeline, a required
    // field): retrying cannot help and would hold the call's finish back. What was added is
    // recorded; a retry of this dead job after the settings are fixed adds only the rest.
    throw Error(added.error->code(), std::string(added.error->what()) + " (call " + entry_id + ")");
  }
  finish("created");
}

void ClientCreator::Run(const jobs::Job& job, const CallStepJob& step) {
  const std::string& entry_id = step.entry_id;
  const std::string& extension = step.extension;
  const calls::ClientAction action =
      ClientActionFromString(step.client_action).value_or(calls::ClientAction::kNone);
  const calls::RepeatedCallDeal repeated =
      RepeatedCallDealFromString(step.repeated_deal).value_or(calls::RepeatedCallDeal::kNever);
  if (action == calls::ClientAction::kNone && repeated == calls::RepeatedCallDeal::kNever) {
    return;
  }
  const std::string& tenant_id = job.tenant_id;

  std::optional<LoadedCallRow> loaded;
  std::optional<CallClient> existing;
  std::optional<Tenant> tenant;
  IntegrationSettings settings;
  storage::WithSession(db_, [&](storage::Session& s) {
    loaded = LoadCall(s, tenant_id, entry_id);
    existing = storage::CallClientRepository::Find(s, tenant_id, entry_id);
    tenant = storage::TenantRepository::Find(s, tenant_id);
    settings = LoadIntegrationSettings(s, tenant_id);
  });
  if (!loaded) {
    throw Internal("call " + entry_id + " was queued but is not stored");
  }
  if (existing && existing->state == "done") {
    return;  // a rerun after the outcome was recorded
  }
  const StoredCall& row = loaded->row;
  const calls::Call& call = loaded->call;
  const EpochMs now = clock_.NowMs();
  CallClient record = existing.value_or(CallClient{});
  record.tenant_id = tenant_id;
  record.entry_id = entry_id;
  if (record.action != kRepeatDealAction) {
    record.action = std::string(opdesk::ToString(action));
  }
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
  if (!existing && !row.crm_entity.empty()) {
    record.known_entity = row.crm_entity;  // register found the number in the CRM
    if (repeated == calls::RepeatedCallDeal::kNever) {
      finish("known");
      return;
    }
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
    CreateLocked(action, repeated, call, extension, tenant, settings, record, outcome_unknown,
                 finish);
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
