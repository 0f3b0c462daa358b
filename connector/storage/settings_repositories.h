// Storage of the settings aggregates: roles (with the buttons and scripts they show), buttons,
// scripts with their published versions and runs, and the cache of what was read from the CRM.
// Nested parts (actions, the step graph, field lists) are JSON documents made by the settings
// codec (webhooks/settings/codec.h); the repositories keep them opaque. Every query is scoped by
// tenant, so another tenant's id is simply not found. Writes of versioned rows take the version
// the caller read and change nothing when it is stale (they return false).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "connector/domain/clock.h"
#include "connector/storage/database.h"

namespace opdesk::storage {

struct RoleRow {
  long long id = 0;
  std::string tenant_id;
  std::string name;
  std::string system_key;  // "supervisor" for the system role, "" otherwise
  bool keep_card_open = false;
  bool may_manage_settings = false;
  std::string client_fields_json = "[]";
  std::vector<long long> button_ids;
  std::vector<long long> script_ids;
  long long version = 1;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

class RoleRepository {
 public:
  // Returns the new id. A duplicate name (or a second system role) throws Conflict.
  static long long Insert(Session& s, const RoleRow& role);
  // Writes name, flags, fields and items if the stored version is `expected_version`; bumps it.
  static bool Update(Session& s, const RoleRow& role, long long expected_version);
  static std::optional<RoleRow> Find(Session& s, const std::string& tenant_id, long long id);
  static std::optional<RoleRow> FindSystem(Session& s, const std::string& tenant_id,
                                           const std::string& system_key);
  static std::optional<RoleRow> FindByName(Session& s, const std::string& tenant_id,
                                           const std::string& name);
  static std::vector<RoleRow> List(Session& s, const std::string& tenant_id);
  static bool Delete(Session& s, const std::string& tenant_id, long long id,
                     long long expected_version);
  // Takes a deleted button or script ("button" / "script") out of every role that shows it and
  // bumps those roles' versions. Returns the ids of the roles changed.
  static std::vector<long long> RemoveItem(Session& s, const std::string& tenant_id,
                                           const std::string& kind, long long item_id, EpochMs now);
};

struct ButtonRow {
  long long id = 0;
  std::string tenant_id;
  std::string name;
  std::string color;
  std::string actions_json = "[]";
  long long version = 1;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

class ButtonRepository {
 public:
  static long long Insert(Session& s, const ButtonRow& button);
  static bool Update(Session& s, const ButtonRow& button, long long expected_version);
  static std::optional<ButtonRow> Find(Session& s, const std::string& tenant_id, long long id);
  static std::vector<ButtonRow> List(Session& s, const std::string& tenant_id);
  static long long Count(Session& s, const std::string& tenant_id);
  static bool Delete(Session& s, const std::string& tenant_id, long long id,
                     long long expected_version);
};

struct ScriptRow {
  long long id = 0;
  std::string tenant_id;
  std::string name;
  std::string description;
  std::string draft_json;
  long long published_version = 0;
  long long version = 1;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

struct ScriptVersionRow {
  std::string tenant_id;
  long long script_id = 0;
  long long version = 0;
  std::string name;
  std::string description;
  std::string graph_json;
  EpochMs published_at_ms = 0;
  std::string published_by;
};

class ScriptRepository {
 public:
  // A duplicate name throws Conflict.
  static long long Insert(Session& s, const ScriptRow& script);
  // Writes name, description and draft if the stored version is `expected_version`; bumps it.
  static bool UpdateDraft(Session& s, const ScriptRow& script, long long expected_version);
  // Holds the row and moves published_version from `previous` to `published_version` if the
  // draft is still at `expected_version` (the draft the publisher saw) and nobody published in
  // between. The row version is not bumped: editing may go on from the same version.
  static bool MarkPublished(Session& s, const std::string& tenant_id, long long id,
                            long long expected_version, long long previous,
                            long long published_version, EpochMs now);
  static std::optional<ScriptRow> Find(Session& s, const std::string& tenant_id, long long id);
  static std::vector<ScriptRow> List(Session& s, const std::string& tenant_id);
  static std::set<std::string> Names(Session& s, const std::string& tenant_id);
  static long long Count(Session& s, const std::string& tenant_id);
  // Deletes the script; its published versions and runs stay for history and analytics.
  static bool Delete(Session& s, const std::string& tenant_id, long long id,
                     long long expected_version);

  static void InsertVersion(Session& s, const ScriptVersionRow& version);
  static std::optional<ScriptVersionRow> FindVersion(Session& s, const std::string& tenant_id,
                                                     long long script_id, long long version);
  // Newest first, without graph_json.
  static std::vector<ScriptVersionRow> ListVersions(Session& s, const std::string& tenant_id,
                                                    long long script_id);
};

struct ScriptRunRow {
  long long id = 0;
  std::string tenant_id;
  std::string call_id;
  std::string user_id;
  long long script_id = 0;
  long long version = 0;
  std::string current_step;
  std::string path_json = "[]";
  EpochMs started_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

class ScriptRunRepository {
 public:
  static long long Insert(Session& s, const ScriptRunRow& run);
  // Saves where the operator is and the path so far; only the run's own user may (false
  // otherwise, or when there is no such run in the tenant).
  static bool SavePath(Session& s, const std::string& tenant_id, long long run_id,
                       const std::string& user_id, const std::string& current_step,
                       const std::string& path_json, EpochMs now);
  static std::optional<ScriptRunRow> Find(Session& s, const std::string& tenant_id, long long id);
  static std::vector<ScriptRunRow> ListByCall(Session& s, const std::string& tenant_id,
                                              const std::string& call_id);
};

// F2: the save of a call's number into a script's CRM field, one row per call.
struct NumberSaveRow {
  std::string state;       // queued | done | no_client | failed
  std::string crm_record;  // "CONTACT:7" once known
  std::string field_code;
  std::string phone;
  EpochMs updated_at_ms = 0;
};

class ScriptNumberRepository {
 public:
  // Takes the call's row as "queued"; false when the call has one already (nothing to queue).
  static bool Claim(Session& s, const std::string& tenant_id, const std::string& call_key,
                    const std::string& field_code, const std::string& phone, EpochMs now);
  static void Finish(Session& s, const std::string& tenant_id, const std::string& call_key,
                     const std::string& state, const std::string& crm_record, EpochMs now);
  static std::optional<NumberSaveRow> Find(Session& s, const std::string& tenant_id,
                                           const std::string& call_key);
};

// Documents read from the CRM, per tenant and kind ("catalog", "app_info", "users").
class CrmCacheRepository {
 public:
  struct Entry {
    std::string body_json;
    EpochMs fetched_at_ms = 0;
  };
  static std::optional<Entry> Find(Session& s, const std::string& tenant_id,
                                   const std::string& kind);
  static void Save(Session& s, const std::string& tenant_id, const std::string& kind,
                   const std::string& body_json, EpochMs fetched_at_ms);
};

}  // namespace opdesk::storage
