// Dialing tasks' CRM contact groups (FEATURES F3): chosen CRM contacts, whose number is read from
// the CRM when an operator gets them, and a task's CRM filter, evaluated at call time a page at
// a time when the task's own pool is empty. The rules are connector/domain/campaign_crm.h; the
// CRM is reached through adapters::CrmContacts (Bitrix24). Megaplan tenants are refused with a
// 400 «для Мегаплана не поддерживается» naming the field: its API has no contact filter of this
// kind, and picking its contractors is not built.
//
// Concurrency: chosen contacts are added under the task row's lock; a filter page is read from
// the CRM outside any transaction, then added under the task and filter rows' locks only if the
// cursor it was read from is still the stored one — so two operators never add the same page
// twice, and the claim itself stays the storage's (SKIP LOCKED on MariaDB).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/crm.h"
#include "connector/campaigns/service.h"
#include "connector/domain/campaign_crm.h"

namespace opdesk::campaigns {

struct AddedCrmContact {
  std::string crm_id;
  long long contact_id = 0;  // the task contact
  std::string name;
};

struct RefusedCrmContact {
  std::string crm_id;  // as given
  // "bad_id", "duplicate_in_request", "duplicate_in_task", "not_found" (no such contact in the
  // CRM), "task_full"
  std::string reason;
};

struct AddCrmOutcome {
  std::vector<AddedCrmContact> added;
  std::vector<RefusedCrmContact> refused;
};

struct CrmFilterView {
  bool exists = false;
  std::vector<FilterCondition> conditions;
  long long version = 0;  // 0: none stored
  long long taken = 0;    // task contacts from it so far
  long long skipped = 0;  // offered, not added (duplicates, no number)
  bool exhausted = false;
  std::string cursor_id;
  EpochMs updated_at_ms = 0;
};

class CrmGroups {
 public:
  // `contacts` null: no CRM contact source wired (503 on every call).
  CrmGroups(storage::Database& db, const Clock& clock, adapters::CrmContacts* contacts)
      : db_(db), clock_(clock), contacts_(contacts) {}

  // Managers: contacts whose name or number holds `query` (2–100 characters).
  std::vector<adapters::CrmContact> Search(const Caller& caller, const std::string& query);
  // Managers: the CRM's contact fields a filter may use.
  std::vector<adapters::CrmField> Fields(const Caller& caller);
  // Managers: adds chosen CRM contacts to the task, each refused or added on its own.
  AddCrmOutcome AddContacts(const Caller& caller, long long task_id,
                            const std::vector<std::string>& ids);

  CrmFilterView GetFilter(const Caller& caller, long long task_id);
  // Validates the conditions against the CRM's field list (400 naming
  // crm_filter.conditions[i].…, nothing stored) and stores them if `expected_version` (0: none
  // yet) is the stored one (409 version). The cursor starts over; counts are kept.
  CrmFilterView PutFilter(const Caller& caller, long long task_id,
                          const std::vector<FilterCondition>& conditions,
                          long long expected_version);
  void DeleteFilter(const Caller& caller, long long task_id, long long expected_version);
  // How many CRM contacts match `conditions` (validated as PutFilter does); one request.
  long long Count(const Caller& caller, const std::vector<FilterCondition>& conditions);

  // ---- what working a task calls (CampaignService::Next / Open) ----

  // Reads a chosen CRM contact's number and name now and stores them in `row` (its version
  // moves on). A contact the CRM no longer has, or one without a number, is finished with the
  // reason as its comment. Returns false when it was finished (or moved meanwhile): not to be
  // handed out. Other rows are left alone (true).
  bool ReadNumber(const std::string& tenant_id, storage::CampaignContactRow& row);
  // Adds the next page of the task's filter to its pool (at most one CRM request). True when the
  // pool may hold more now: contacts were added, or another operator added this page first (or
  // the filter changed) — the claim is worth trying again; false when the task has no filter,
  // the CRM has no more, or the page held only contacts the task has.
  bool Refill(const std::string& tenant_id, long long task_id);

 private:
  adapters::CrmContacts& Contacts(const std::string& tenant_id, const std::string& field);
  void RequireManager(storage::Session& s, const Caller& caller, long long task_id, bool lock);

  storage::Database& db_;
  const Clock& clock_;
  adapters::CrmContacts* contacts_;
};

// The conditions as stored and shown: [{"field","op","value"}].
std::string EncodeConditions(const std::vector<FilterCondition>& conditions);
std::vector<FilterCondition> DecodeConditions(const std::string& json);

}  // namespace opdesk::campaigns
