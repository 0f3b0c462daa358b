#include "connector/calls/responsible_routing.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include "adapters/json_read.h"
#include "connector/calls/integration_settings.h"
#include "connector/domain/log_escape.h"
#include "connector/storage/mango_repositories.h"

namespace opdesk::mango {
namespace {

// Kept for the users' active flags: a fired employee stops getting routes within this time.
constexpr EpochMs kUsersTtlMs = 5 * 60 * 1000;
// The least time a lookup is given, however close the deadline.
constexpr long long kMinLookupMs = 50;

}  // namespace

const char* ToString(RouteOutcome outcome) {
  switch (outcome) {
    case RouteOutcome::kSent:
      return "sent";
    case RouteOutcome::kNoClient:
      return "no_client";
    case RouteOutcome::kNoResponsible:
      return "no_responsible";
    case RouteOutcome::kResponsibleIsClient:
      return "responsible_is_client";
    case RouteOutcome::kUnmapped:
      return "unmapped";
    case RouteOutcome::kNotAtWork:
      return "not_at_work";
    case RouteOutcome::kLookupFailed:
      return "lookup_failed";
    case RouteOutcome::kRefused:
      return "refused";
    case RouteOutcome::kDropped:
      return "dropped";
  }
  return "unknown";
}

RouteChoice ChooseResponsible(
    const std::vector<adapters::ClientResponsibles>& clients,
    const std::function<bool(const std::string&)>& active,
    const std::function<std::string(const adapters::Responsible&)>& extension_of,
    bool only_at_work) {
  RouteChoice choice;
  if (clients.empty()) {
    choice.outcome = RouteOutcome::kNoClient;
    return choice;
  }
  // Several clients on one number: the first found (seed 004, note 1).
  const adapters::ClientResponsibles& client = clients.front();
  bool saw_client_as_responsible = false;
  for (const adapters::Responsible& r : client.responsibles) {
    if (r.kind == adapters::ResponsibleKind::kClient) {
      // Megaplan lets a client be another client's responsible: ignored (note 3).
      saw_client_as_responsible = true;
      continue;
    }
    if (r.id.empty() || !active(r.id)) {
      continue;  // fired, blocked or deleted: the next one (note 2)
    }
    choice.user_id = r.id;
    choice.extension = extension_of(r);
    if (choice.extension.empty()) {
      choice.outcome = RouteOutcome::kUnmapped;
    } else if (only_at_work && r.at_work.has_value() && !*r.at_work) {
      choice.outcome = RouteOutcome::kNotAtWork;
    } else {
      choice.outcome = RouteOutcome::kSent;
    }
    return choice;
  }
  choice.outcome =
      saw_client_as_responsible ? RouteOutcome::kResponsibleIsClient : RouteOutcome::kNoResponsible;
  return choice;
}

std::string ResponsibleCache::Normalise(const std::string& phone) {
  std::string digits;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    }
  }
  // 8 900 … and +7 900 … are one Russian number.
  if (digits.size() == 11 && digits[0] == '8') {
    digits[0] = '7';
  }
  return digits;
}

std::optional<std::vector<adapters::ClientResponsibles>> ResponsibleCache::Find(
    const std::string& tenant_id, const std::string& phone, EpochMs now) {
  const std::string key = tenant_id + "\n" + Normalise(phone);
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    return std::nullopt;
  }
  if (it->second.expires_at_ms <= now) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.clients;
}

void ResponsibleCache::Put(const std::string& tenant_id, const std::string& phone,
                           std::vector<adapters::ClientResponsibles> clients, EpochMs now) {
  const std::string digits = Normalise(phone);
  if (digits.empty()) {
    return;
  }
  std::lock_guard lock(mu_);
  if (entries_.size() >= max_entries_) {
    // Full: drop what has expired, else everything (a cache, not the truth).
    std::erase_if(entries_, [now](const auto& e) { return e.second.expires_at_ms <= now; });
    if (entries_.size() >= max_entries_) {
      entries_.clear();
    }
  }
  const EpochMs ttl = clients.empty() ? empty_ttl_ms_ : ttl_ms_;
  entries_[tenant_id + "\n" + digits] = Entry{std::move(clients), now + ttl};
}

bool ResponsibleCache::Warm(const std::string& tenant_id, const std::string& phone,
                            std::vector<adapters::ClientResponsibles> clients, EpochMs now) {
  if (Find(tenant_id, phone, now)) {
    return false;
  }
  Put(tenant_id, phone, std::move(clients), now);
  return true;
}

void ResponsibleCache::Forget(const std::string& tenant_id, const std::string& phone) {
  std::lock_guard lock(mu_);
  entries_.erase(tenant_id + "\n" + Normalise(phone));
}

std::size_t ResponsibleCache::ForgetClient(const std::string& tenant_id,
                                           const adapters::CrmRecord& record) {
  const std::string prefix = tenant_id + "\n";
  std::lock_guard lock(mu_);
  std::size_t dropped = 0;
  for (auto it = entries_.lower_bound(prefix);
       it != entries_.end() && it->first.compare(0, prefix.size(), prefix) == 0;) {
    const std::vector<adapters::ClientResponsibles>& clients = it->second.clients;
    const bool hit = clients.empty() || std::any_of(clients.begin(), clients.end(),
                                                    [&](const adapters::ClientResponsibles& c) {
                                                      return c.client == record;
                                                    });
    if (hit) {
      it = entries_.erase(it);
      ++dropped;
    } else {
      ++it;
    }
  }
  return dropped;
}

std::optional<adapters::CrmRecord> ChangedCrmRecord(const std::string& event,
                                                    const std::string& data_json) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"ONCRMCONTACT", "contact"}, {"ONCRMCOMPANY", "company"}, {"ONCRMLEAD", "lead"}};
  std::string entity;
  for (const auto& [prefix, name] : kEntities) {
    const std::string p = prefix;
    if (event == p + "UPDATE" || event == p + "DELETE") {
      entity = name;
    }
  }
  if (entity.empty()) {
    return std::nullopt;
  }
  std::string id;
  try {
    const web::json::value data = web::json::value::parse(data_json);
    id = adapters::JsonText(data, "FIELDS][ID");
    if (id.empty() && data.has_object_field("FIELDS")) {
      id = adapters::JsonText(data.at("FIELDS"), "ID");
    }
  } catch (const web::json::json_exception&) {
    return std::nullopt;
  }
  if (id.empty() ||
      !std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  return adapters::CrmRecord{entity, id};
}

std::size_t ResponsibleCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

bool CallRouter::Active(const std::string& tenant_id, const std::string& user_id) {
  const EpochMs now = clock_.NowMs();
  {
    std::lock_guard lock(mu_);
    auto it = users_.find(tenant_id);
    if (it != users_.end() && it->second.expires_at_ms > now) {
      return it->second.active.count(user_id) > 0;
    }
  }
  Users fresh;
  for (const adapters::CrmUser& u : crm_.FetchUsers(tenant_id)) {
    if (u.active) {
      fresh.active.insert(u.id);
    }
  }
  fresh.expires_at_ms = now + kUsersTtlMs;
  const bool found = fresh.active.count(user_id) > 0;
  std::lock_guard lock(mu_);
  users_[tenant_id] = std::move(fresh);
  return found;
}

RouteChoice CallRouter::Decide(const std::string& tenant_id, const std::string& phone,
                               EpochMs deadline_ms, bool only_at_work) {
  const EpochMs now = clock_.NowMs();
  std::optional<std::vector<adapters::ClientResponsibles>> clients =
      cache_.Find(tenant_id, phone, now);
  RouteChoice failed;
  failed.outcome = RouteOutcome::kLookupFailed;
  if (!clients) {
    adapters::RequestOptions options;
    options.deadline =
        std::chrono::milliseconds(std::max<long long>(deadline_ms - now, kMinLookupMs));
    try {
      clients = crm_.FindResponsibles(tenant_id, phone, options);
    } catch (const Error& e) {
      spdlog::warn("event=route_lookup_failed tenant={} error={}", tenant_id, LogQuoted(e.what()));
      return failed;
    }
    cache_.Put(tenant_id, phone, *clients, clock_.NowMs());
  }
  try {
    return ChooseResponsible(
        *clients, [&](const std::string& user) { return Active(tenant_id, user); },
        [&](const adapters::Responsible& r) {
          std::optional<EmployeeLink> link;
          storage::WithSession(db_, [&](storage::Session& s) {
            link = storage::EmployeeMapRepository::FindByUser(s, tenant_id, r.id);
          });
          return link ? link->extension : r.extension;
        },
        only_at_work);
  } catch (const Error& e) {
    spdlog::warn("event=route_lookup_failed tenant={} error={}", tenant_id, LogQuoted(e.what()));
    return failed;
  }
}

void CallRouter::Count(RouteOutcome outcome) {
  std::lock_guard lock(mu_);
  ++counts_[ToString(outcome)];
}

std::map<std::string, long long> CallRouter::Counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

void CallRouter::Run(const jobs::Job& job, const RouteJob& route) {
  const std::string& tenant_id = job.tenant_id;
  IntegrationSettings settings;
  storage::WithSession(
      db_, [&](storage::Session& s) { settings = LoadIntegrationSettings(s, tenant_id); });
  if (!settings.route_to_responsible) {
    return;  // switched off since the call appeared
  }
  const EpochMs deadline = job.deadline_ms > 0 ? job.deadline_ms : clock_.NowMs() + 5'000;
  if (clock_.NowMs() >= deadline) {
    Count(RouteOutcome::kDropped);
    throw DeadlineExceeded("the greeting of call " + route.entry_id + " is over");
  }
  RouteChoice choice = Decide(tenant_id, route.phone, deadline, settings.route_only_at_work);
  if (clock_.NowMs() >= deadline) {
    // The lookup took the whole greeting: whatever it found, it is too late to route.
    choice.outcome = RouteOutcome::kDropped;
  }
  if (choice.outcome != RouteOutcome::kSent) {
    Count(choice.outcome);
    spdlog::info("event=route_skipped tenant={} entry_id={} reason={} user={}", tenant_id,
                 LogValue(route.entry_id), ToString(choice.outcome), LogValue(choice.user_id));
    return;  // the PBX scheme carries on
  }
  web::json::value body = web::json::value::object();
  body["command_id"] = web::json::value::string("route-" + route.entry_id);
  body["call_id"] = web::json::value::string(route.call_id);
  body["to_number"] = web::json::value::string(choice.extension);
  // Mango's 1 route per 2 s per VPBX, across every opdesk process: the next slot, if it comes
  // within the greeting. A route is never sent late.
  std::optional<EpochMs> slot;
  try {
    storage::InTransaction(db_, [&](storage::Session& s) {
      slot = storage::CommandSlotRepository::Reserve(s, tenant_id, "commands/route", clock_.NowMs(),
                                                     CommandClient::MinIntervalMs("commands/route"),
                                                     deadline);
    });
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kConflict && clock_.NowMs() < deadline) {
      throw Unavailable("the route slot was taken meanwhile").WithRetryAfterMs(20);
    }
    throw;
  }
  if (!slot) {
    Count(RouteOutcome::kDropped);
    spdlog::info("event=route_dropped tenant={} entry_id={} reason=no_slot_in_greeting", tenant_id,
                 LogValue(route.entry_id));
    return;
  }
  if (*slot > clock_.NowMs()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(*slot - clock_.NowMs()));
  }
  try {
    mango_.Send(tenant_id, "commands/route", body.serialize(), deadline);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kDeadlineExceeded) {
      // Mango's limit has no slot left in the greeting: never sent late, never retried.
      Count(RouteOutcome::kDropped);
      spdlog::info("event=route_dropped tenant={} entry_id={} reason=no_slot_in_greeting",
                   tenant_id, LogValue(route.entry_id));
      return;
    }
    if (e.code() == ErrorCode::kResourceExhausted && clock_.NowMs() < deadline) {
      throw;  // Mango's own limit answer: not carried out, so it may go again in the greeting
    }
    // A 3xxx answer (never repeated), a lock-out, or a lost answer (Mango may have routed):
    // the call stays with the PBX scheme.
    Count(RouteOutcome::kRefused);
    spdlog::warn("event=route_refused tenant={} entry_id={} error={}", tenant_id,
                 LogValue(route.entry_id), LogQuoted(e.what()));
    return;
  }
  Count(RouteOutcome::kSent);
  spdlog::info("event=route_sent tenant={} entry_id={} user={} extension={} wait_ms={}", tenant_id,
               LogValue(route.entry_id), LogValue(choice.user_id), LogValue(choice.extension),
               clock_.NowMs() - job.created_at_ms);
}

jobs::NewJob RouteJobOptions(const std::string& tenant_id, const std::string& entry_id, EpochMs now,
                             int greeting_seconds) {
  jobs::NewJob job;
  job.tenant_id = tenant_id;
  job.ordering_key = "route";  // one queue per tenant's VPBX
  job.idempotency_key = "route:" + entry_id;
  job.lane = jobs::Lane::kUrgent;
  job.deadline_ms = now + greeting_seconds * 1000LL;
  job.max_attempts = 3;
  return job;
}

}  // namespace opdesk::mango
