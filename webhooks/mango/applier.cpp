#include "webhooks/mango/applier.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <map>
#include <vector>

#include "connector/calls/call_codec.h"
#include "connector/calls/call_jobs.h"
#include "connector/calls/integration_settings.h"
#include "connector/calls/responsible_routing.h"
#include "connector/domain/error.h"
#include "connector/jobs/job_store.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/pending_events.h"
#include "connector/storage/writer_turn.h"
#include "webhooks/mango/applied_results.h"
#include "webhooks/mango/event_parser.h"

namespace opdesk::mango {
namespace {

using opdesk::StoredCall;
using opdesk::StoredEvent;
using storage::Session;

const jobs::JobKind<CallStepJob>& JobKindOf(calls::IntentKind kind) {
  switch (kind) {
    case calls::IntentKind::kRegister:
      return kRegisterJob;
    case calls::IntentKind::kShow:
      return kShowJob;
    case calls::IntentKind::kHide:
      return kHideJob;
    case calls::IntentKind::kCreateClient:
      return kCreateClientJob;
    case calls::IntentKind::kFinish:
    case calls::IntentKind::kRoute:  // queued on its own, see QueueIntents
      return kFinishJob;
  }
  return kFinishJob;
}

// The job jobs::Enqueue would add, for JobStore::EnqueueMany.
template <class Payload>
jobs::NewJob MakeJob(const jobs::JobKind<Payload>& kind, const Payload& payload,
                     jobs::NewJob options) {
  options.kind = kind.name;
  options.payload = kind.encode(payload);
  return options;
}

// One event's change to its call.
struct CallStep {
  EpochMs received_at_ms = 0;
  std::function<calls::Applied(calls::Call&, const calls::FinishPolicy&)> apply;
};

// The events of one call in a batch, in the order they were stored.
struct CallSteps {
  std::string tenant_id;
  std::string entry_id;
  std::vector<CallStep> steps;
};

// What one batch writes besides the calls, and what happens once it committed.
struct BatchWork {
  std::map<std::string, IntegrationSettings> settings;  // read once per batch, by tenant
  std::vector<jobs::NewJob> jobs;                       // in the order they were implied
  std::vector<std::function<void()>> on_commit;
  const IntegrationSettings& SettingsOf(Session& s, const std::string& tenant_id) {
    auto it = settings.find(tenant_id);
    if (it == settings.end()) {
      it = settings.emplace(tenant_id, LoadIntegrationSettings(s, tenant_id)).first;
    }
    return it->second;
  }
};

// The call's intents as jobs. Jobs of one call share an ordering key: register runs before
// finish.
void QueueIntents(BatchWork& work, const std::string& tenant_id, const std::string& entry_id,
                  EpochMs at, const IntegrationSettings& settings, const calls::Call& call,
                  const calls::Applied& applied) {
  for (const calls::Intent& intent : applied.intents) {
    if (intent.kind == calls::IntentKind::kRoute) {
      // Urgent, with the greeting as its deadline, in the tenant's one route queue (B5).
      work.jobs.push_back(
          MakeJob(kRouteJob, RouteJob{entry_id, intent.call_id, call.client_number},
                  RouteJobOptions(tenant_id, entry_id, at,
                                  RouteGreetingSeconds(settings, call.line_number))));
      continue;
    }
    CallStepJob step{entry_id, intent.extension, intent.show_card, {}, {}};
    if (intent.kind == calls::IntentKind::kCreateClient) {
      step.client_action = std::string(opdesk::ToString(intent.client_action));
      if (intent.repeated_deal != calls::RepeatedCallDeal::kNever) {
        step.repeated_deal = std::string(opdesk::ToString(intent.repeated_deal));
      }
    } else if (intent.kind == calls::IntentKind::kFinish && call.outcome) {
      step.status_code = call.outcome->status_code;
      step.duration_s = call.outcome->duration_s;
    }
    jobs::NewJob job;
    job.tenant_id = tenant_id;
    job.ordering_key = "call:" + entry_id;
    job.run_at_ms = at;
    work.jobs.push_back(MakeJob(JobKindOf(intent.kind), step, job));
  }
}

// Applies the events of the batch to their calls: every call of the batch is read and locked in
// one SELECT (per tenant, a few hundred calls at a time) and written in one multi-row upsert, one
// row a call. A call's state is taken from `cache` when this process wrote it last and the row is
// still at that version (no decoding), otherwise decoded from the row; a repeat is judged on that
// state, which is the row's own.
void ApplyToCalls(Session& s, BatchWork& work, EventApplier::CallCache& cache,
                  const std::vector<CallSteps>& calls, EpochMs now) {
  std::map<std::string, std::vector<std::string>> entries_by_tenant;
  for (const CallSteps& c : calls) {
    entries_by_tenant[c.tenant_id].push_back(c.entry_id);
  }
  std::map<std::string, StoredCall> rows;  // tenant \n entry → the stored row
  for (const auto& [tenant_id, entries] : entries_by_tenant) {
    for (StoredCall& row : storage::CallRepository::LockMany(s, tenant_id, entries)) {
      std::string key = row.tenant_id + "\n" + row.entry_id;
      rows.emplace(std::move(key), std::move(row));
    }
  }
  std::vector<StoredCall> writes;
  writes.reserve(calls.size());
  for (const CallSteps& c : calls) {
    const IntegrationSettings& settings = work.SettingsOf(s, c.tenant_id);
    const calls::FinishPolicy policy = ToFinishPolicy(settings);
    const std::string key = c.tenant_id + "\n" + c.entry_id;
    const auto row = rows.find(key);
    const bool stored = row != rows.end();
    calls::Call call;
    if (stored) {
      std::optional<EventApplier::CallCache::Entry> cached = cache.Get(key);
      call = cached && cached->version == row->second.version ? std::move(cached->call)
                                                              : DecodeCall(row->second.state_json);
    }
    std::vector<std::pair<EpochMs, calls::Applied>> applied;
    for (const CallStep& step : c.steps) {
      calls::Applied a = step.apply(call, policy);
      if (!a.duplicate) {
        applied.emplace_back(step.received_at_ms, std::move(a));
      }
    }
    if (applied.empty()) {
      continue;  // only repeats: nothing to write or queue
    }
    StoredCall out = stored ? row->second : StoredCall{};
    out.tenant_id = c.tenant_id;
    out.entry_id = c.entry_id;
    out.state_json = EncodeCall(call);
    out.finished = call.finished;
    if (!stored) {
      out.created_at_ms = now;
    }
    out.updated_at_ms = now;
    writes.push_back(std::move(out));
    for (const auto& [at, a] : applied) {
      QueueIntents(work, c.tenant_id, c.entry_id, at, settings, call, a);
    }
    const long long version = stored ? row->second.version + 1 : 1;
    work.on_commit.push_back([&cache, key, version, call] {
      if (call.finished) {
        cache.Erase(key);  // its last event; a late one reads the row
      } else {
        cache.Put(key, {version, call});
      }
    });
  }
  storage::CallRepository::SaveMany(s, writes);
}

// Applies `events` (oldest first) in the caller's transaction.
void ApplyEvents(Session& s, BatchWork& work, EventApplier::CallCache& cache,
                 const std::vector<StoredEvent>& events, EpochMs now) {
  std::vector<CallSteps> calls;
  std::map<std::string, std::size_t> call_index;  // tenant \n entry → calls
  auto steps_of = [&](const std::string& tenant_id, const std::string& entry_id) -> CallSteps& {
    const std::string key = tenant_id + "\n" + entry_id;
    auto it = call_index.find(key);
    if (it == call_index.end()) {
      it = call_index.emplace(key, calls.size()).first;
      calls.push_back({tenant_id, entry_id, {}});
    }
    return calls[it->second];
  };
  // Jobs that are not a call's come after the calls' own in the batch; they have ordering keys
  // of their own, so only their order among themselves matters.
  std::vector<jobs::NewJob> other_jobs;
  for (const StoredEvent& e : events) {
    if (e.kind == "events/call") {
      const CallEvent event = ParseCallEvent(e.payload);
      steps_of(e.tenant_id, event.entry_id)
          .steps.push_back({e.received_at_ms, [event](calls::Call& call, const auto& policy) {
                              return calls::ApplyCallEvent(call, event, policy);
                            }});
    } else if (e.kind == "events/summary") {
      const SummaryEvent summary = ParseSummaryEvent(e.payload);
      steps_of(e.tenant_id, summary.entry_id)
          .steps.push_back({e.received_at_ms, [summary](calls::Call& call, const auto& policy) {
                              return calls::ApplySummary(call, summary, policy);
                            }});
    } else if (e.kind == "events/record/added") {
      const RecordAddedEvent added = ParseRecordAddedEvent(e.payload);
      jobs::NewJob job;
      job.tenant_id = e.tenant_id;
      // Not the call's key: the recording may be announced before the summary, and it must not
      // hold up the finish it has to wait for.
      job.ordering_key = "record:" + added.entry_id;
      job.idempotency_key = "record:" + added.recording_id;
      job.run_at_ms = e.received_at_ms;
      other_jobs.push_back(MakeJob(kRecordJob, RecordJob{added.entry_id, added.recording_id}, job));
    } else if (e.kind.rfind("result/", 0) == 0) {
      const CommandResult result = ParseCommandResult(e.kind.substr(7), e.payload);
      if (IsAppliedResult(result.kind)) {
        jobs::NewJob job;
        job.tenant_id = e.tenant_id;
        job.ordering_key = "command:" + result.command_id;
        job.run_at_ms = e.received_at_ms;
        other_jobs.push_back(
            MakeJob(kCommandResultJob, CommandResultJob{result.command_id, result.result}, job));
      }
    }
  }
  ApplyToCalls(s, work, cache, calls, now);
  for (jobs::NewJob& job : other_jobs) {
    work.jobs.push_back(std::move(job));
  }
  jobs::JobStore::EnqueueMany(s, work.jobs, now);
}

}  // namespace

std::optional<EventApplier::CallCache::Entry> EventApplier::CallCache::Get(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    return std::nullopt;
  }
  return it->second;
}

void EventApplier::CallCache::Put(const std::string& key, Entry entry) {
  std::lock_guard lock(mu_);
  if (entries_.size() >= kCapacity && !entries_.count(key)) {
    entries_.clear();  // calls that never finished (lost summaries): start over
  }
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.version < entry.version) {
    entries_[key] = std::move(entry);
  }
}

void EventApplier::CallCache::Erase(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);
}

EventApplier::EventApplier(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

EventApplier::~EventApplier() {
  Stop();
}

void EventApplier::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) {
    return;
  }
  stop_ = false;
  notified_ = true;  // what a previous process left pending
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "mango-applier");
    // Events stored and acknowledged wait for this thread to reach their calls: its batches go
    // before the outbox's writes.
    storage::WritesFirst first;
    Run();
  });
}

void EventApplier::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void EventApplier::Notify() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  cv_.notify_one();
}

ApplierStats EventApplier::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void EventApplier::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    // Pending events of another process (or of this one before a restart) are found within a
    // second even when nothing wakes this one.
    cv_.wait_for(lock, std::chrono::seconds(1), [&] { return notified_ || stop_; });
    if (stop_) {
      break;
    }
    notified_ = false;
    lock.unlock();
    try {
      // Until a batch comes back short: events stored meanwhile are taken without a wake.
      while (ApplyBatch() >= kBatch) {
      }
    } catch (const std::exception& e) {
      spdlog::warn("mango applier: {}", e.what());
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      lock.lock();
      notified_ = true;  // try again
      continue;
    }
    lock.lock();
  }
}

long long EventApplier::ApplyAll() {
  long long total = 0;
  for (long long n = ApplyBatch(); n > 0; n = ApplyBatch()) {
    total += n;
  }
  return total;
}

long long EventApplier::ApplyBatch() {
  std::lock_guard apply_lock(apply_mu_);
  BatchWork work;
  long long taken = 0;
  try {
    storage::InTransaction(db_, [&](Session& s) {
      work = {};
      const EpochMs now = clock_.NowMs();
      storage::PendingEventRepository::LockApplier(s, now);
      const std::vector<StoredEvent> events =
          storage::PendingEventRepository::ListPending(s, kBatch);
      taken = static_cast<long long>(events.size());
      if (events.empty()) {
        return;
      }
      ApplyEvents(s, work, calls_, events, now);
      std::vector<long long> ids;
      ids.reserve(events.size());
      for (const StoredEvent& e : events) {
        ids.push_back(e.id);
      }
      storage::PendingEventRepository::MarkApplied(s, ids);
    });
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kUnavailable) {
      throw;  // the database is away: the batch is tried again as it is
    }
    spdlog::warn("mango applier: a batch failed ({}); applying its events one by one", e.what());
    return ApplyOneByOne();
  } catch (const std::exception& e) {
    spdlog::warn("mango applier: a batch failed ({}); applying its events one by one", e.what());
    return ApplyOneByOne();
  }
  for (const auto& fn : work.on_commit) {
    fn();
  }
  if (taken > 0) {
    std::lock_guard lock(mu_);
    ++stats_.batches;
    stats_.events += taken;
  }
  if (!work.jobs.empty() && wake_) {
    wake_();
  }
  return taken;
}

long long EventApplier::ApplyOneByOne() {
  // Called with apply_mu_ held.
  long long taken = 0;
  for (;;) {
    BatchWork work;
    std::optional<StoredEvent> failed;
    std::string error;
    bool any = false;
    storage::InTransaction(db_, [&](Session& s) {
      work = {};
      failed.reset();
      const EpochMs now = clock_.NowMs();
      storage::PendingEventRepository::LockApplier(s, now);
      const std::vector<StoredEvent> events = storage::PendingEventRepository::ListPending(s, 1);
      any = !events.empty();
      if (!any) {
        return;
      }
      try {
        ApplyEvents(s, work, calls_, events, now);
      } catch (const Error& e) {
        if (e.code() == ErrorCode::kUnavailable) {
          throw;
        }
        // This event cannot be applied (storage corruption, a defect): set aside with the
        // reason logged, so that the events after it are not held up forever.
        failed = events.front();
        error = e.what();
        work = {};
      }
      storage::PendingEventRepository::MarkApplied(s, {events.front().id});
    });
    if (!any) {
      return taken;
    }
    ++taken;
    for (const auto& fn : work.on_commit) {
      fn();
    }
    std::lock_guard lock(mu_);
    ++stats_.batches;
    ++stats_.events;
    if (failed) {
      ++stats_.failures;
      spdlog::error("mango applier: event {} ({} of tenant {}) not applied: {}", failed->id,
                    failed->kind, failed->tenant_id, error);
    }
    if (!work.jobs.empty() && wake_) {
      wake_();
    }
    if (taken >= kBatch) {
      return taken;
    }
  }
}

}  // namespace opdesk::mango
