#include "webhooks/mango/ingest.h"

#include <spdlog/spdlog.h>

#include "connector/calls/call_codec.h"
#include "connector/calls/call_jobs.h"
#include "connector/calls/call_store.h"
#include "connector/calls/integration_settings.h"
#include "connector/calls/responsible_routing.h"
#include "connector/domain/error.h"
#include "connector/jobs/job_store.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/crypto.h"
#include "webhooks/mango/envelope.h"
#include "webhooks/mango/event_parser.h"

namespace opdesk::mango {
namespace {

using storage::BatchMemo;
using storage::Session;

// A tenant's integration settings, read once per shared transaction.
const IntegrationSettings& SettingsOf(Session& s, BatchMemo& memo, const std::string& tenant_id) {
  return memo.Get<IntegrationSettings>("integration:" + tenant_id,
                                       [&] { return LoadIntegrationSettings(s, tenant_id); });
}

storage::GroupCommitOptions CommitOptions(const storage::Database& db) {
  storage::GroupCommitOptions o;
  // SQLite has one writer at a time: a second batch would only wait for the write lock.
  o.lanes = db.dialect() == storage::Dialect::kSqlite ? 1 : 2;
  return o;
}

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
    case calls::IntentKind::kRoute:  // queued on its own, see UpdateCall
      return kFinishJob;
  }
  return kFinishJob;
}

// Queues the call's intents, in the caller's transaction. Jobs of one call share an ordering
// key: register runs before finish.
void QueueIntents(Session& s, const std::string& tenant_id, const std::string& entry_id,
                  EpochMs now, const IntegrationSettings& settings, const calls::Call& call,
                  const calls::Applied& applied) {
  for (const calls::Intent& intent : applied.intents) {
    if (intent.kind == calls::IntentKind::kRoute) {
      // Urgent, with the greeting as its deadline, in the tenant's one route queue (B5).
      jobs::Enqueue(s, kRouteJob, RouteJob{entry_id, intent.call_id, call.client_number},
                    RouteJobOptions(tenant_id, entry_id, now,
                                    RouteGreetingSeconds(settings, call.line_number)),
                    now);
      continue;
    }
    CallStepJob step{entry_id, intent.extension, intent.show_card, {}, {}};
    if (intent.kind == calls::IntentKind::kCreateClient) {
      step.client_action = std::string(opdesk::ToString(intent.client_action));
      if (intent.repeated_deal != calls::RepeatedCallDeal::kNever) {
        step.repeated_deal = std::string(opdesk::ToString(intent.repeated_deal));
      }
    }
    jobs::NewJob job;
    job.tenant_id = tenant_id;
    job.ordering_key = "call:" + entry_id;
    jobs::Enqueue(s, JobKindOf(intent.kind), step, job, now);
  }
}

// Lets `apply` change the call, stores it and queues its intents, all in the caller's
// transaction; true when it queued a job. The call is taken from `cache` when this process wrote it
// last and the row is still at that version; otherwise it is read (locked).
bool UpdateCall(Session& s, BatchMemo& memo, MangoWebhooks::CallCache& cache,
                const std::string& tenant_id, const std::string& entry_id, EpochMs now,
                const IntegrationSettings& settings,
                const std::function<calls::Applied(calls::Call&)>& apply) {
  const std::string key = tenant_id + "\n" + entry_id;
  auto remember = [&](long long version, const calls::Call& call) {
    memo.OnCommit([&cache, key, version, call] {
      if (call.finished) {
        cache.Erase(key);  // its last event; a late one reads the row
      } else {
        cache.Put(key, {version, call});
      }
    });
  };
  if (std::optional<MangoWebhooks::CallCache::Entry> cached = cache.Get(key)) {
    calls::Call call = cached->call;
    calls::Applied applied = apply(call);
    // A repeat is judged on the row itself (below), never on a copy that may be behind it.
    if (!applied.duplicate &&
        storage::CallRepository::UpdateIfVersion(s, tenant_id, entry_id, EncodeCall(call),
                                                 call.finished, now, cached->version)) {
      QueueIntents(s, tenant_id, entry_id, now, settings, call, applied);
      remember(cached->version + 1, call);
      return !applied.intents.empty();
    }
  }
  const std::optional<LoadedCallRow> loaded =
      LoadCall(s, tenant_id, entry_id, CallRowLock::kForUpdate);
  calls::Call call = loaded ? loaded->call : calls::Call{};
  calls::Applied applied = apply(call);
  if (applied.duplicate) {
    return false;
  }
  SaveCall(s, tenant_id, entry_id, loaded, call, now);
  QueueIntents(s, tenant_id, entry_id, now, settings, call, applied);
  remember(loaded ? loaded->row.version + 1 : 1, call);
  return !applied.intents.empty();
}

bool KnownSuffix(const std::string& suffix) {
  static const char* const kSuffixes[] = {"events/call",
                                          "events/summary",
                                          "events/recording",
                                          "events/record/added",
                                          "events/dtmf",
                                          "events/sms",
                                          "ping"};
  for (const char* known : kSuffixes) {
    if (suffix == known) {
      return true;
    }
  }
  return suffix.rfind("result/", 0) == 0 && suffix.size() > 7;
}

}  // namespace

std::optional<MangoWebhooks::CallCache::Entry> MangoWebhooks::CallCache::Get(
    const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    return std::nullopt;
  }
  return it->second;
}

void MangoWebhooks::CallCache::Put(const std::string& key, Entry entry) {
  std::lock_guard lock(mu_);
  if (entries_.size() >= kCapacity && !entries_.count(key)) {
    entries_.clear();  // calls that never finished (lost summaries): start over
  }
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.version < entry.version) {
    entries_[key] = std::move(entry);
  }
}

void MangoWebhooks::CallCache::Erase(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);
}

MangoWebhooks::MangoWebhooks(storage::Database& db, const crypto::SecretBox& box,
                             const Clock& clock)
    : db_(db), box_(box), clock_(clock), commits_(db, CommitOptions(db)) {}

std::optional<MangoWebhooks::KnownConnection> MangoWebhooks::Connection(
    const std::string& tenant_key, bool fresh) {
  const EpochMs now = clock_.NowMs();
  if (!fresh) {
    std::lock_guard<std::mutex> lock(connections_mu_);
    auto it = connections_.find(tenant_key);
    if (it != connections_.end() && now - it->second.loaded_at_ms < kConnectionTtlMs) {
      return it->second;
    }
  }
  std::optional<MangoConnection> row;
  bool active = true;
  storage::WithSession(db_, [&](Session& s) {
    row = storage::MangoConnectionRepository::FindByKey(s, tenant_key);
    if (row) {
      const std::optional<B24Portal> portal = storage::B24PortalRepository::Find(s, row->tenant_id);
      active = !portal || portal->state != "uninstalled";
    }
  });
  std::lock_guard<std::mutex> lock(connections_mu_);
  if (!row) {
    connections_.erase(tenant_key);  // unknown addresses are not remembered: anyone can make one
    return std::nullopt;
  }
  KnownConnection known{*row, box_.Open(row->api_salt_sealed, "mango-salt/" + row->tenant_id), now,
                        active};
  connections_[tenant_key] = known;
  return known;
}

void MangoWebhooks::Forget(const std::string& tenant_id) {
  std::lock_guard<std::mutex> lock(connections_mu_);
  std::erase_if(connections_,
                [&](const auto& entry) { return entry.second.connection.tenant_id == tenant_id; });
}

http::Caller MangoWebhooks::Verify(const http::Request& request) {
  const std::string suffix = request.PathParam("suffix");
  if (!KnownSuffix(suffix)) {
    throw NotFound("unknown Mango notification '" + suffix + "'");
  }
  std::optional<KnownConnection> known = Connection(request.PathParam("tenant_key"), false);
  if (!known) {
    throw NotFound("unknown webhook address");
  }
  http::Caller caller;
  caller.tenant_id = known->connection.tenant_id;
  if (suffix == "ping" && request.body.empty()) {
    return caller;  // the VPBX checks the address before it has anything to sign
  }
  const Envelope envelope = ParseEnvelope(request.body);
  auto key_matches = [&] {
    return crypto::ConstantTimeEquals(envelope.vpbx_api_key, known->connection.api_key);
  };
  if (!key_matches() || !SignatureMatches(envelope, known->salt)) {
    // The VPBX may have been reconnected with a new key or salt since the address was read.
    known = Connection(request.PathParam("tenant_key"), true);
    if (!known) {
      throw NotFound("unknown webhook address");
    }
    if (!key_matches()) {
      throw PermissionDenied("vpbx_api_key does not belong to this address");
    }
    if (!SignatureMatches(envelope, known->salt)) {
      throw PermissionDenied("sign does not match");
    }
  }
  caller.tenant_id = known->connection.tenant_id;
  return caller;
}

http::Response MangoWebhooks::Handle(http::Request& request, const http::Caller& caller) {
  const std::string suffix = request.PathParam("suffix");
  if (suffix == "ping") {
    return http::Response::Json(200, "{\"status\":\"ok\"}");
  }
  // Verify just read (or refreshed) the address's connection, so this is the kept copy.
  const std::optional<KnownConnection> known = Connection(request.PathParam("tenant_key"), false);
  if (!known || known->connection.tenant_id != caller.tenant_id) {
    throw NotFound("unknown webhook address");
  }
  if (!known->active) {
    // Answered, so the VPBX does not resend for days; nothing stored, no job queued.
    ++dropped_inactive_;
    return http::Response::Json(
        200, "{\"status\":\"ignored\",\"reason\":\"the app is not installed on the portal\"}");
  }
  const MangoConnection* connection = &known->connection;
  const Envelope envelope = ParseEnvelope(request.body);

  const std::string& tenant_id = connection->tenant_id;
  const EpochMs now = clock_.NowMs();
  StoredEvent stored;
  stored.tenant_id = tenant_id;
  stored.source = "mango";
  stored.kind = suffix;
  stored.payload = envelope.json;
  stored.received_at_ms = now;
  std::function<void(Session&, BatchMemo&)> apply;  // what the event does beyond being stored
  bool queued = false;  // a job was queued: the outbox is woken (most events only change the call)

  if (suffix == "events/call") {
    const CallEvent event = ParseCallEvent(envelope.json);
    stored.dedupe_key = "call:" + event.call_id + ":" + std::to_string(event.seq);
    // The event is captured by value: the lambda runs after this block ends.
    apply = [&, event](Session& s, BatchMemo& memo) {
      const IntegrationSettings& settings = SettingsOf(s, memo, tenant_id);
      const calls::FinishPolicy policy = ToFinishPolicy(settings);
      queued =
          UpdateCall(s, memo, calls_, tenant_id, event.entry_id, now, settings,
                     [&](calls::Call& call) { return calls::ApplyCallEvent(call, event, policy); });
    };
  } else if (suffix == "events/summary") {
    const SummaryEvent summary = ParseSummaryEvent(envelope.json);
    stored.dedupe_key = "summary:" + summary.entry_id;
    apply = [&, summary](Session& s, BatchMemo& memo) {
      const IntegrationSettings& settings = SettingsOf(s, memo, tenant_id);
      const calls::FinishPolicy policy = ToFinishPolicy(settings);
      queued =
          UpdateCall(s, memo, calls_, tenant_id, summary.entry_id, now, settings,
                     [&](calls::Call& call) { return calls::ApplySummary(call, summary, policy); });
    };
  } else if (suffix == "events/record/added") {
    const RecordAddedEvent added = ParseRecordAddedEvent(envelope.json);
    stored.dedupe_key = "record:" + added.recording_id;
    apply = [&, added](Session& s, BatchMemo&) {
      jobs::NewJob job;
      job.tenant_id = tenant_id;
      // Not the call's key: the recording may be announced before the summary, and it must not
      // hold up the finish it has to wait for.
      job.ordering_key = "record:" + added.entry_id;
      job.idempotency_key = "record:" + added.recording_id;
      jobs::Enqueue(s, kRecordJob, RecordJob{added.entry_id, added.recording_id}, job, now);
      queued = true;
    };
  } else if (suffix == "events/recording") {
    const RecordingEvent rec = ParseRecordingEvent(envelope.json);
    stored.dedupe_key = "recording:" + rec.recording_id + ":" + std::to_string(rec.seq);
  } else if (suffix == "events/dtmf") {
    const DtmfEvent dtmf = ParseDtmfEvent(envelope.json);
    stored.dedupe_key = "dtmf:" + dtmf.call_id + ":" + std::to_string(dtmf.seq);
  } else if (suffix == "events/sms") {
    const SmsEvent sms = ParseSmsEvent(envelope.json);
    stored.dedupe_key = "sms:" + sms.command_id + ":" + std::to_string(sms.timestamp);
  } else {
    const CommandResult result = ParseCommandResult(suffix.substr(7), envelope.json);
    stored.dedupe_key = "result:" + result.kind + ":" + result.command_id;
    // Our callbacks (click-to-call and CRM callback requests) are finished with the reason when
    // Mango could not carry them out; a transfer's result is what the reception wizard shows.
    if (result.kind == "callback" || result.kind == "callback_group" || result.kind == "transfer") {
      apply = [&, result](Session& s, BatchMemo&) {
        jobs::NewJob job;
        job.tenant_id = tenant_id;
        job.ordering_key = "command:" + result.command_id;
        jobs::Enqueue(s, kCommandResultJob, CommandResultJob{result.command_id, result.result}, job,
                      now);
        queued = true;
      };
    }
  }
  if (stored.dedupe_key.size() > 191) {
    // Event ids are capped by the parser; keep the key within the column all the same.
    stored.dedupe_key = "sha256:" + crypto::Sha256Hex(stored.dedupe_key);
  }

  bool duplicate = false;
  commits_.Run([&](Session& s, BatchMemo& memo) {
    queued = false;
    duplicate = !storage::EventRepository::InsertIfNew(s, stored).has_value();
    if (!duplicate && apply) {
      apply(s, memo);
    }
  });
  if (queued && wake_) {
    wake_();
  }
  return http::Response::Json(200,
                              duplicate ? "{\"status\":\"duplicate\"}" : "{\"status\":\"ok\"}");
}

}  // namespace opdesk::mango
