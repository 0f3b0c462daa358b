// The Mango events stored before they are applied (events.pending, migration 16): the ingest
// stores them, the applier (webhooks/mango/applier.h) lists, applies and marks them applied.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connector/storage/database.h"
#include "connector/storage/records.h"

namespace opdesk::storage {

class PendingEventRepository {
 public:
  // As EventRepository::InsertIfNew, `pending` set as given.
  static std::optional<long long> InsertIfNew(Session& s, const StoredEvent& event, bool pending);
  // Stores all `events` (pending_flags[i] for events[i]) in multi-row INSERTs if none of them is
  // a repeat (of a stored event or of another in the list) and returns true; false when one is,
  // and then the caller must roll back (on SQLite the others were stored) and tell the repeats
  // apart with InsertIfNew.
  static bool InsertAll(Session& s, const std::vector<const StoredEvent*>& events,
                        const std::vector<bool>& pending_flags);
  // Takes the applier's lock (one row, held until the transaction ends): one applier at a time
  // over every process on the database.
  static void LockApplier(Session& s, EpochMs now);
  // Up to `limit` events still to be applied, oldest first (payload included).
  static std::vector<StoredEvent> ListPending(Session& s, int limit);
  static void MarkApplied(Session& s, const std::vector<long long>& ids);
  static long long CountPending(Session& s);
};

}  // namespace opdesk::storage
