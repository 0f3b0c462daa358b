// Storage of Mango connections, calls and the extension → CRM user map. Methods take the caller's
// Session so that storing an event, updating its call and queueing the CRM work commit together.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connector/storage/database.h"
#include "connector/storage/mango_records.h"

namespace opdesk::storage {

class MangoConnectionRepository {
 public:
  static void Upsert(Session& s, const MangoConnection& c);
  static std::optional<MangoConnection> FindByTenant(Session& s, const std::string& tenant_id);
  static std::optional<MangoConnection> FindByKey(Session& s, const std::string& tenant_key);
  // The tenants with a connected VPBX.
  static std::vector<std::string> ListTenants(Session& s);
};

class CallRepository {
 public:
  // The call row, locked for update on MySQL (SQLite's write transaction serialises writers).
  static std::optional<StoredCall> Lock(Session& s, const std::string& tenant_id,
                                        const std::string& entry_id);
  static std::optional<StoredCall> Find(Session& s, const std::string& tenant_id,
                                        const std::string& entry_id);
  static void Save(Session& s, const StoredCall& call);
  // The stored calls among `entry_ids` of a tenant, in one SELECT a few hundred at a time, locked
  // for update on MySQL as Lock; those not stored are missing from the answer.
  static std::vector<StoredCall> LockMany(Session& s, const std::string& tenant_id,
                                          const std::vector<std::string>& entry_ids);
  // Save for several calls in multi-row upserts (at most one row a call).
  static void SaveMany(Session& s, const std::vector<StoredCall>& calls);
  // Stores a new state (and `finished`) over the row if its version is still `expected_version`,
  // making it expected_version + 1; false (nothing written) when the row is not at that version.
  static bool UpdateIfVersion(Session& s, const std::string& tenant_id, const std::string& entry_id,
                              const std::string& state_json, bool finished, EpochMs now,
                              long long expected_version);
  // Records the CRM's CALL_ID and what register bound the call to ("" nothing / not known).
  static void SetCrmCallId(Session& s, const std::string& tenant_id, const std::string& entry_id,
                           const std::string& crm_call_id, EpochMs now,
                           const std::string& crm_entity = "");
  static long long CountByTenant(Session& s, const std::string& tenant_id);
};

class SentCommandRepository {
 public:
  // Inserts unless a command with this id exists; true if inserted.
  static bool Insert(Session& s, const SentCommand& command);
  static std::optional<SentCommand> Find(Session& s, const std::string& tenant_id,
                                         const std::string& command_id);
  static void SetResult(Session& s, const std::string& tenant_id, const std::string& command_id,
                        int result);
  // Forgets a command that was never carried out, so that it may be sent again.
  static void Delete(Session& s, const std::string& tenant_id, const std::string& command_id);
};

// Lines (Mango DIDs) already made known to the CRM (Crm::AddLine).
class CrmLineRepository {
 public:
  // A line known once stays known (lines are only added) until the tenant's data is deleted;
  // the answer is kept in the database's ReadCache.
  static bool IsKnown(Session& s, const std::string& tenant_id, const std::string& line_number);
  static void Remember(Session& s, const std::string& tenant_id, const std::string& line_number,
                       EpochMs now);
};

// Integration settings as an opaque JSON document with a version for optimistic concurrency.
class IntegrationSettingsRepository {
 public:
  struct Row {
    std::string json;
    long long version = 0;
  };
  static std::optional<Row> Find(Session& s, const std::string& tenant_id);
  // Stores `json` if the stored version is `expected_version` (0: nothing stored yet). Returns
  // the new version, or 0 when someone else saved in between.
  static long long Save(Session& s, const std::string& tenant_id, const std::string& json,
                        long long expected_version, EpochMs now);
};

class EmployeeMapRepository {
 public:
  // A manual link is never replaced by an automatic one.
  static void Link(Session& s, const EmployeeLink& link);
  static std::optional<EmployeeLink> Find(Session& s, const std::string& tenant_id,
                                          const std::string& extension);
  static std::vector<EmployeeLink> List(Session& s, const std::string& tenant_id);
  // Removes the link of `extension` if it has `source`; true if there was one.
  static bool Remove(Session& s, const std::string& tenant_id, const std::string& extension,
                     const std::string& source);
  // The extension of a CRM user, if mapped.
  static std::optional<EmployeeLink> FindByUser(Session& s, const std::string& tenant_id,
                                                const std::string& crm_user_id);
  // Find and FindByUser through the database's ReadCache, for the call path (another process's
  // change shows within ReadCache::kTtl).
  static std::optional<EmployeeLink> FindRecent(Session& s, const std::string& tenant_id,
                                                const std::string& extension);
  static std::optional<EmployeeLink> FindByUserRecent(Session& s, const std::string& tenant_id,
                                                      const std::string& crm_user_id);
};

// The VPBX's employees as last listed by config/users/request.
// A VPBX's next free slot for a rate-limited command kind (commands/route: 1 per 2 s), shared by
// every opdesk process through the database, so that together they never exceed Mango's limit.
class CommandSlotRepository {
 public:
  // Reserves the first slot at or after `now` that is `interval_ms` after the last one reserved,
  // and returns its time; nothing is reserved (nullopt) when it would come after `latest`.
  static std::optional<EpochMs> Reserve(Session& s, const std::string& tenant_id,
                                        const std::string& kind, EpochMs now, EpochMs interval_ms,
                                        EpochMs latest);
};

class MangoDirectoryRepository {
 public:
  // Replaces the tenant's whole directory with `entries`.
  static void Replace(Session& s, const std::string& tenant_id,
                      const std::vector<MangoDirectoryEntry>& entries, EpochMs now);
  static std::vector<MangoDirectoryEntry> List(Session& s, const std::string& tenant_id);
};

}  // namespace opdesk::storage
