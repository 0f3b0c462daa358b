// The reception wizard's rows: the settings document per tenant (versioned like the integration
// settings) and the inquiries by the page's request id (the idempotency of "accept"); and the
// reads of stored calls the wizard needs (a call by its CRM CALL_ID, the calls going on now).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connector/domain/clock.h"
#include "connector/storage/database.h"
#include "connector/storage/mango_records.h"

namespace opdesk::storage {

class ReceptionSettingsRepository {
 public:
  struct Row {
    std::string json;
    long long version = 0;
  };
  static std::optional<Row> Find(Session& s, const std::string& tenant_id);
  // Stores `json` if the stored version is `expected` (0: nothing stored yet). Returns the new
  // version, or 0 when someone else saved in between.
  static long long Save(Session& s, const std::string& tenant_id, const std::string& json,
                        long long expected, EpochMs now);
};

struct InquiryRow {
  std::string tenant_id;
  std::string request_id;
  std::string user_id;  // the operator who accepted it
  // "sending": the CRM is being asked (or was, and the answer was lost); "done"; "failed".
  std::string state;
  std::string record;  // "LEAD:12" / "DEAL:7" once added
  std::string task_id;
  std::string error;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

class InquiryRepository {
 public:
  // Inserts unless the request id is stored; true if inserted.
  static bool Insert(Session& s, const InquiryRow& row);
  static std::optional<InquiryRow> Find(Session& s, const std::string& tenant_id,
                                        const std::string& request_id);
  static void Update(Session& s, const InquiryRow& row);
  static void Delete(Session& s, const std::string& tenant_id, const std::string& request_id);
};

class ReceptionCallRepository {
 public:
  // The call the CRM knows as `crm_call_id` in this tenant (finished or not), the latest.
  static std::optional<StoredCall> FindByCrmCallId(Session& s, const std::string& tenant_id,
                                                   const std::string& crm_call_id);
  // Unfinished calls updated since `since_ms` (a call whose summary never came is left out
  // once it is older), at most `limit`.
  static std::vector<StoredCall> OpenSince(Session& s, const std::string& tenant_id,
                                           EpochMs since_ms, int limit);
};

}  // namespace opdesk::storage
