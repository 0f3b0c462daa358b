// Dialing tasks' rows (FEATURES F3–F5, F8): tasks with their employees, the contacts of a task
// with their state, and the click-to-call commands placed for a contact. The claim of the next
// contact for an operator is here because it must be atomic: two operators never get the same
// contact (MySQL: the candidate is locked with FOR UPDATE SKIP LOCKED and taken with an update
// conditional on its version; SQLite: the write transaction holds the database).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "connector/domain/campaign_crm.h"
#include "connector/domain/campaigns.h"
#include "connector/domain/clock.h"
#include "connector/storage/database.h"

namespace opdesk::storage {

class CampaignTaskRepository {
 public:
  // Inserts the task and its employees; returns the id. The version stored is 1.
  static long long Insert(Session& s, const std::string& tenant_id, const campaigns::Task& task,
                          const std::string& created_by);
  // Writes everything but the id and creation time if the stored version is `expected_version`,
  // and replaces the employees; bumps the version. False when the version moved on (or no row).
  static bool Update(Session& s, const std::string& tenant_id, const campaigns::Task& task,
                     long long expected_version);
  // `lock`: FOR UPDATE on MySQL (SQLite's write transaction holds everything already).
  static std::optional<campaigns::Task> Find(Session& s, const std::string& tenant_id, long long id,
                                             bool lock = false);
  // Every task of the tenant, or (`employee` not empty) those the user works; newest first.
  static std::vector<campaigns::Task> List(Session& s, const std::string& tenant_id,
                                           const std::string& employee);
  // Deletes the task with its employees, contacts and call links if the version matches.
  static bool Delete(Session& s, const std::string& tenant_id, long long id,
                     long long expected_version);
  // Tasks that run on `script_id` (to name them when the script goes away).
  static std::vector<long long> RunningOnScript(Session& s, const std::string& tenant_id,
                                                long long script_id);
};

struct CampaignContactRow {
  long long id = 0;
  long long task_id = 0;
  campaigns::ContactSource source = campaigns::ContactSource::kNumber;
  std::string phone;           // normalised, "" for a CRM contact (read at call time)
  std::string crm_contact_id;  // for kCrmContact
  std::string name;
  campaigns::ContactState state;
  std::string comment;  // the last result's comment
  EpochMs last_call_at_ms = 0;
  long long version = 1;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

struct CampaignContactFilter {
  std::optional<campaigns::ContactStatus> status;
  std::optional<campaigns::CallResult> result;     // kNone: no result yet
  std::string operator_id;                         // "": any
  EpochMs created_from_ms = 0, created_to_ms = 0;  // 0: open end; [from, to)
  EpochMs last_call_from_ms = 0, last_call_to_ms = 0;
  EpochMs due_from_ms = 0, due_to_ms = 0;
  std::string query;       // a part of the number or the name
  long long after_id = 0;  // paging: ids above this
  int limit = 100;
};

struct CampaignCounts {
  long long total = 0;
  std::map<std::string, long long> by_status;  // "new", "in_work", "done" (all present)
  std::map<std::string, long long> by_result;  // "" (none yet), "talked", … (present ones)
};

class CampaignContactRepository {
 public:
  // Inserts numbers as new contacts, in the given order, several rows a statement. A number the
  // task has already throws Conflict (the caller checks first, inside the same transaction).
  static void InsertNumbers(Session& s, const std::string& tenant_id, long long task_id,
                            const std::vector<campaigns::ImportRow>& rows, EpochMs now);
  // The normalised numbers the task has.
  static std::set<std::string> Numbers(Session& s, const std::string& tenant_id, long long task_id);
  static CampaignCounts Counts(Session& s, const std::string& tenant_id, long long task_id);
  // Ordered by id.
  static std::vector<CampaignContactRow> List(Session& s, const std::string& tenant_id,
                                              long long task_id, const CampaignContactFilter& f);
  static std::optional<CampaignContactRow> Find(Session& s, const std::string& tenant_id,
                                                long long task_id, long long id, bool lock = false);
  // Adds CRM contacts (chosen ones with `phone` "", read at call time; a filter's with the number
  // it had) keyed "contact:<id>". A CRM contact the task has already throws Conflict (the caller
  // checks first, inside the same transaction).
  static void InsertCrmContacts(Session& s, const std::string& tenant_id, long long task_id,
                                campaigns::ContactSource source,
                                const std::vector<campaigns::Materialised>& rows, EpochMs now);
  // The CRM contact ids the task has (chosen or from its filter).
  static std::set<std::string> CrmIds(Session& s, const std::string& tenant_id, long long task_id);
  // Every number the task has, whatever its source.
  static std::set<std::string> AllNumbers(Session& s, const std::string& tenant_id,
                                          long long task_id);
  // How many contacts of the task came from `source`.
  static long long CountSource(Session& s, const std::string& tenant_id, long long task_id,
                               campaigns::ContactSource source);
  // Writes state, comment, last call time, and the number and name (a CRM contact's, read at
  // call time) if the stored version is `expected_version`; bumps it.
  static bool Save(Session& s, const std::string& tenant_id, const CampaignContactRow& row,
                   long long expected_version, EpochMs now);
  // Deletes those of `ids` that belong to the task; returns how many.
  static long long DeleteIds(Session& s, const std::string& tenant_id, long long task_id,
                             const std::vector<long long>& ids);
  // The next contact for `operator_id` in the claim's order (campaigns::ClaimRank): their open
  // one, their due callbacks, new ones, due retries; taken (opened, «В работе», locked to them)
  // in the caller's transaction. nullopt: nothing to call now.
  static std::optional<CampaignContactRow> ClaimNext(Session& s, const std::string& tenant_id,
                                                     long long task_id,
                                                     const std::string& operator_id, EpochMs now);
  // Whether the pool has a contact any operator may take now (new, or a retry that is due).
  static bool HasOpenDue(Session& s, const std::string& tenant_id, long long task_id, EpochMs now);
  // When the next contact becomes due for this operator (their callbacks, the pool's retries);
  // 0 when nothing is waiting.
  static EpochMs NextDueAt(Session& s, const std::string& tenant_id, long long task_id,
                           const std::string& operator_id);
};

// A callback or next call whose time has come and whose operator was not yet reminded of it.
struct DueReminderRow {
  std::string tenant_id;
  long long task_id = 0;
  long long contact_id = 0;
  std::string operator_id;
  EpochMs due_at_ms = 0;
};

// The callback reminders (F5): found over every tenant by the sweep, each claimed once.
class CampaignReminderRepository {
 public:
  // Contacts in work, not open, whose due time is at or before `now` and later than the time
  // last reminded of; oldest first, at most `limit`. MariaDB skips rows another sweep holds.
  static std::vector<DueReminderRow> Due(Session& s, EpochMs now, int limit);
  // Marks the reminder of `row` as taken if the contact is still in work with that operator and
  // due time and nobody marked it; false otherwise (another process did, or it moved).
  static bool Claim(Session& s, const DueReminderRow& row);
};

// A task's CRM filter group (F3): its conditions as JSON (the codec's), where the next page
// starts, and what it gave so far.
struct CampaignCrmFilterRow {
  long long task_id = 0;
  std::string conditions_json;
  std::string cursor_id;   // the last CRM contact id taken; "" before the first page
  bool exhausted = false;  // the CRM has no more matching contacts past the cursor
  long long taken = 0;     // contacts added to the task from it
  long long skipped = 0;   // offered but not added: duplicates, or no number
  long long version = 1;
  EpochMs updated_at_ms = 0;
};

class CampaignCrmFilterRepository {
 public:
  // `lock`: FOR UPDATE on MySQL.
  static std::optional<CampaignCrmFilterRow> Find(Session& s, const std::string& tenant_id,
                                                  long long task_id, bool lock = false);
  // A new filter (version 1) or new conditions for the stored one if its version is
  // `expected_version`: the cursor starts over, the counts are kept. False when stale.
  static bool Put(Session& s, const std::string& tenant_id, const CampaignCrmFilterRow& row,
                  long long expected_version);
  static bool Delete(Session& s, const std::string& tenant_id, long long task_id,
                     long long expected_version);
  // Moves the cursor past a page read from `from_cursor` with the conditions of `version`;
  // false when someone moved it first or the conditions changed (the page is then dropped).
  static bool Advance(Session& s, const std::string& tenant_id, long long task_id,
                      long long version, const std::string& from_cursor,
                      const std::string& to_cursor, bool exhausted, long long taken,
                      long long skipped, EpochMs now);
};

struct CampaignCallRow {
  std::string tenant_id;
  std::string command_id;
  long long task_id = 0;
  long long contact_id = 0;
  std::string user_id;
  std::string phone;
  EpochMs created_at_ms = 0;
};

class CampaignCallRepository {
 public:
  static void Insert(Session& s, const CampaignCallRow& row);
  static void Delete(Session& s, const std::string& tenant_id, const std::string& command_id);
  // The contact's calls, newest first.
  static std::vector<CampaignCallRow> ForContact(Session& s, const std::string& tenant_id,
                                                 long long task_id, long long contact_id);
};

// The timeline comments of results (F6), one row per comment job.
class CampaignCommentRepository {
 public:
  // Marks the comment as being sent; false when a row is there already (sent, or an earlier
  // attempt got as far as asking the CRM).
  static bool Begin(Session& s, const std::string& tenant_id, const std::string& key, EpochMs now);
  // "done" with the record and the CRM's comment id, or "no_client".
  static void Finish(Session& s, const std::string& tenant_id, const std::string& key,
                     const std::string& state, const std::string& crm_record,
                     const std::string& crm_comment_id, EpochMs now);
  // Forgets a comment that was not sent (the CRM refused or asked to wait), so a rerun may.
  static void Forget(Session& s, const std::string& tenant_id, const std::string& key);
  // The state of the comment ("" none).
  static std::string State(Session& s, const std::string& tenant_id, const std::string& key);
};

}  // namespace opdesk::storage
