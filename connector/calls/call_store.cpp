#include "connector/calls/call_store.h"

#include <utility>

#include "connector/calls/call_codec.h"
#include "connector/storage/mango_repositories.h"

namespace opdesk::mango {

std::optional<LoadedCallRow> LoadCall(storage::Session& s, const std::string& tenant_id,
                                      const std::string& entry_id, CallRowLock lock) {
  std::optional<StoredCall> row = lock == CallRowLock::kForUpdate
                                      ? storage::CallRepository::Lock(s, tenant_id, entry_id)
                                      : storage::CallRepository::Find(s, tenant_id, entry_id);
  if (!row) {
    return std::nullopt;
  }
  calls::Call call = DecodeCall(row->state_json);
  return LoadedCallRow{std::move(*row), std::move(call)};
}

void SaveCall(storage::Session& s, const std::string& tenant_id, const std::string& entry_id,
              const std::optional<LoadedCallRow>& loaded, const calls::Call& call, EpochMs now) {
  StoredCall stored = loaded ? loaded->row : StoredCall{};
  stored.tenant_id = tenant_id;
  stored.entry_id = entry_id;
  stored.state_json = EncodeCall(call);
  stored.finished = call.finished;
  if (!loaded) {
    stored.created_at_ms = now;
  }
  stored.updated_at_ms = now;
  storage::CallRepository::Save(s, stored);
}

}  // namespace opdesk::mango
