#include "webhooks/mango/ingest.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <vector>

#include "connector/domain/error.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/pending_events.h"
#include "connector/storage/repositories.h"
#include "oauth/crypto.h"
#include "webhooks/mango/applied_results.h"
#include "webhooks/mango/envelope.h"
#include "webhooks/mango/event_parser.h"

namespace opdesk::mango {
namespace {

using storage::BatchMemo;
using storage::Session;

storage::GroupCommitOptions CommitOptions(const storage::Database& db) {
  storage::GroupCommitOptions o;
  // SQLite has one writer at a time: a second batch would only wait for the write lock.
  o.lanes = db.dialect() == storage::Dialect::kSqlite ? 1 : 2;
  // A batch writes one INSERT (max_batch rows stay within one statement of InsertAll), which
  // MySQL refuses whole on a repeat: no transaction needed around it, two statements fewer a
  // commit. SQLite stores the other rows of a statement with a repeat, so it keeps the
  // transaction that its replay rolls back.
  o.single_statement = db.dialect() == storage::Dialect::kMysql;
  // A webhook's acknowledgement waits for this commit: it goes before the outbox's writes.
  o.writes_first = true;
  return o;
}

// The events of one shared transaction, stored together before it commits.
struct EventInserts {
  struct Entry {
    const StoredEvent* event;
    bool pending;
    bool* duplicate;
  };
  std::vector<Entry> entries;
};

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

MangoWebhooks::MangoWebhooks(storage::Database& db, const crypto::SecretBox& box,
                             const Clock& clock)
    : db_(db), box_(box), clock_(clock), commits_(db, CommitOptions(db)), applier_(db, clock) {}

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
  bool pending = false;  // to be applied to a call or queue work (most events change a call)
  stored.tenant_id = tenant_id;
  stored.source = "mango";
  stored.kind = suffix;
  stored.payload = envelope.json;
  stored.received_at_ms = now;

  if (suffix == "events/call") {
    const CallEvent event = ParseCallEvent(envelope.json);
    stored.dedupe_key = "call:" + event.call_id + ":" + std::to_string(event.seq);
    pending = true;
  } else if (suffix == "events/summary") {
    const SummaryEvent summary = ParseSummaryEvent(envelope.json);
    stored.dedupe_key = "summary:" + summary.entry_id;
    pending = true;
  } else if (suffix == "events/record/added") {
    const RecordAddedEvent added = ParseRecordAddedEvent(envelope.json);
    stored.dedupe_key = "record:" + added.recording_id;
    pending = true;
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
    pending = IsAppliedResult(result.kind);
  }
  if (stored.dedupe_key.size() > 191) {
    // Event ids are capped by the parser; keep the key within the column all the same.
    stored.dedupe_key = "sha256:" + crypto::Sha256Hex(stored.dedupe_key);
  }

  // The event is all the acknowledgement waits for: the events of one shared transaction go in
  // one multi-row INSERT. A repeat among them rolls the batch back and each is stored on its
  // own (GroupCommit's replay), where InsertIfNew tells the repeat apart.
  bool duplicate = false;
  commits_.Run([&](Session&, BatchMemo& memo) {
    duplicate = false;
    auto& inserts = memo.Get<std::shared_ptr<EventInserts>>(
        "events", [] { return std::make_shared<EventInserts>(); });
    inserts->entries.push_back({&stored, pending, &duplicate});
    memo.BeforeCommit("events", [inserts](Session& s) {
      if (inserts->entries.size() == 1) {
        const EventInserts::Entry& only = inserts->entries.front();
        *only.duplicate =
            !storage::PendingEventRepository::InsertIfNew(s, *only.event, only.pending);
        return;
      }
      std::vector<const StoredEvent*> events;
      std::vector<bool> flags;
      events.reserve(inserts->entries.size());
      for (const EventInserts::Entry& e : inserts->entries) {
        events.push_back(e.event);
        flags.push_back(e.pending);
      }
      if (!storage::PendingEventRepository::InsertAll(s, events, flags)) {
        throw Conflict("a repeated notification in a shared commit");
      }
    });
  });
  if (!duplicate && pending) {
    applier_.Notify();
  }
  return http::Response::Json(200,
                              duplicate ? "{\"status\":\"duplicate\"}" : "{\"status\":\"ok\"}");
}

}  // namespace opdesk::mango
