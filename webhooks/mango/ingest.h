// Mango VPBX notifications in: POST /mango/{tenant_key}/{suffix}. Checks the tenant key, the
// VPBX key and the signature over the raw json, parses the event and stores it (repeats by
// (call_id, seq) are recognised); Mango gets its 200 once the event is committed. Notifications
// arriving together share one transaction, one multi-row INSERT and one commit
// (storage::GroupCommit), each answered only once it is committed. The stored event is then
// applied to its call and turned into outbox jobs by the EventApplier (applier.h), woken at once.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "connector/domain/clock.h"
#include "connector/http/guard.h"
#include "connector/http/message.h"
#include "connector/storage/database.h"
#include "connector/storage/group_commit.h"
#include "connector/storage/mango_records.h"
#include "oauth/secret_box.h"
#include "webhooks/mango/applier.h"

namespace opdesk::mango {

class MangoWebhooks {
 public:
  MangoWebhooks(storage::Database& db, const crypto::SecretBox& box, const Clock& clock);

  // The Mango signature guard: the notification's kind must be known and its address connected;
  // then, unless it is a ping without a body, the envelope's vpbx_api_key and sign must match
  // the connection (NotFound, PermissionDenied otherwise). The caller names the address's tenant.
  http::Caller Verify(const http::Request& request);
  // A notification that passed Verify: stored once (repeats are recognised) with what it implies.
  http::Response Handle(http::Request& request, const http::Caller& caller);
  // Wakes the outbox when applied events queued jobs.
  void SetWake(std::function<void()> wake) { applier_.SetWake(std::move(wake)); }
  // Applies the stored events to their calls and jobs (started and stopped with the service).
  EventApplier& applier() { return applier_; }
  // Drops what is kept of the tenant's connection (it was reconnected with a new key or salt):
  // from now on only the new ones are accepted. Another process sees the change within
  // kConnectionTtlMs.
  void Forget(const std::string& tenant_id);
  // Events of tenants whose app was removed, answered and dropped.
  long long dropped_inactive() const { return dropped_inactive_.load(); }
  storage::GroupCommitStats commit_stats() const { return commits_.stats(); }

 private:
  // A connection with its salt opened, as the hot path needs it.
  struct KnownConnection {
    MangoConnection connection;
    std::string salt;
    EpochMs loaded_at_ms = 0;
    // False once the tenant's app was removed from its portal: its events are answered and
    // dropped, so a VPBX still pointed at us queues no work for a tenant that is gone.
    bool active = true;
  };
  // The connection of a webhook address, read from the database at most every
  // kConnectionTtlMs per address (`fresh`: now): every event of a busy VPBX would otherwise pay a
  // query and a decryption. An event that the kept key or salt refuses is checked again against
  // a fresh read, so a reconnected VPBX is accepted at once.
  std::optional<KnownConnection> Connection(const std::string& tenant_key, bool fresh);
  static constexpr EpochMs kConnectionTtlMs = 5'000;

 private:
  storage::Database& db_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
  storage::GroupCommit commits_;
  EventApplier applier_;
  std::mutex connections_mu_;
  std::map<std::string, KnownConnection> connections_;  // guarded by connections_mu_; by key
  std::atomic<long long> dropped_inactive_{0};
};

}  // namespace opdesk::mango
