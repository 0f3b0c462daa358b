// A stored call as the pipeline works with it: the calls row with its state decoded. Every reader
// and writer of calls.state_json goes through here, so the model is decoded and encoded in one
// place (call_codec.h). Both work in the caller's session: the caller owns the transaction.
#pragma once

#include <optional>
#include <string>

#include "connector/domain/call_tracker.h"
#include "connector/domain/clock.h"
#include "connector/storage/database.h"
#include "connector/storage/mango_records.h"

namespace opdesk::mango {

struct LoadedCallRow {
  StoredCall row;    // the row's own fields (CRM call id and entity, version, times) as read
  calls::Call call;  // its state_json, decoded
};

enum class CallRowLock {
  kNone,       // a plain read
  kForUpdate,  // locked until the caller's transaction ends (CallRepository::Lock)
};

// The call (tenant, entry), or nullopt when it is not stored. Throws Internal when its state is
// not a call (storage corruption).
std::optional<LoadedCallRow> LoadCall(storage::Session& s, const std::string& tenant_id,
                                      const std::string& entry_id,
                                      CallRowLock lock = CallRowLock::kNone);

// Stores `call` as the call (tenant, entry): over `loaded` (what LoadCall returned; its other
// fields are kept) or, when it is nullopt, as a new row created `now`. The state and `finished`
// come from `call`; the row is updated `now`.
void SaveCall(storage::Session& s, const std::string& tenant_id, const std::string& entry_id,
              const std::optional<LoadedCallRow>& loaded, const calls::Call& call, EpochMs now);

}  // namespace opdesk::mango
