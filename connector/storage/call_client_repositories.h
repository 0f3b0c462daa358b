// Storage of the clients created for calls (at most one per entry_id) and of the per-number lock
// that keeps two calls from creating a client for the same new number at once. Methods take the
// caller's Session so that state changes commit with what they imply.
#pragma once

#include <optional>
#include <string>

#include "connector/storage/database.h"
#include "connector/storage/mango_records.h"

namespace opdesk::storage {

class CallClientRepository {
 public:
  static std::optional<CallClient> Find(Session& s, const std::string& tenant_id,
                                        const std::string& entry_id);
  // Inserts or replaces the record of (tenant_id, entry_id).
  static void Save(Session& s, const CallClient& client);
};

class ClientLockRepository {
 public:
  // Takes the lock on `phone` for `entry_id`. Returns the entry that holds it instead, or
  // nullopt when it is ours now: free, already ours, or held longer than `stale_after_ms` by an
  // entry whose work died (its lock is taken over).
  static std::optional<std::string> Acquire(Session& s, const std::string& tenant_id,
                                            const std::string& phone, const std::string& entry_id,
                                            EpochMs now, EpochMs stale_after_ms);
  // Frees the lock if `entry_id` holds it.
  static void Release(Session& s, const std::string& tenant_id, const std::string& phone,
                      const std::string& entry_id);
};

}  // namespace opdesk::storage
