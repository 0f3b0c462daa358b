#include "connector/storage/reception_repository.h"

#include <soci/soci.h>

namespace opdesk::storage {

std::optional<ReceptionSettingsRepository::Row> ReceptionSettingsRepository::Find(
    Session& s, const std::string& tenant_id) {
  Row r;
  s.sql() << "SELECT settings_json, version FROM reception_settings WHERE tenant_id = :t",
      soci::into(r.json), soci::into(r.version), soci::use(tenant_id);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return r;
}

long long ReceptionSettingsRepository::Save(Session& s, const std::string& tenant_id,
                                            const std::string& json, long long expected,
                                            EpochMs now) {
  if (expected == 0) {
    soci::statement st =
        (s.sql().prepare << "INSERT INTO reception_settings (tenant_id, settings_json, version,"
                            " updated_at_ms) VALUES (:t, :j, 1, :u)" +
                                InsertIgnoreClause(s.dialect(), "tenant_id"),
         soci::use(tenant_id), soci::use(json), soci::use(now));
    return ExecuteInsertUnlessDuplicate(st) ? 1 : 0;
  }
  soci::statement st =
      (s.sql().prepare << "UPDATE reception_settings SET settings_json = :j, version = version"
                          " + 1, updated_at_ms = :u WHERE tenant_id = :t AND version = :v",
       soci::use(json), soci::use(now), soci::use(tenant_id), soci::use(expected));
  st.execute(true);
  return st.get_affected_rows() > 0 ? expected + 1 : 0;
}

bool InquiryRepository::Insert(Session& s, const InquiryRow& r) {
  soci::statement st =
      (s.sql().prepare << "INSERT INTO reception_inquiries (tenant_id, request_id, user_id, state,"
                          " record, task_id, error, created_at_ms, updated_at_ms) VALUES (:t, :r,"
                          " :u, :s, :rec, :task, :e, :c, :up)" +
                              InsertIgnoreClause(s.dialect(), "tenant_id, request_id"),
       soci::use(r.tenant_id), soci::use(r.request_id), soci::use(r.user_id), soci::use(r.state),
       soci::use(r.record), soci::use(r.task_id), soci::use(r.error), soci::use(r.created_at_ms),
       soci::use(r.updated_at_ms));
  return ExecuteInsertUnlessDuplicate(st);
}

std::optional<InquiryRow> InquiryRepository::Find(Session& s, const std::string& tenant_id,
                                                  const std::string& request_id) {
  InquiryRow r;
  s.sql() << "SELECT tenant_id, request_id, user_id, state, record, task_id, error,"
             " created_at_ms, updated_at_ms FROM reception_inquiries WHERE tenant_id = :t AND"
             " request_id = :r",
      soci::into(r.tenant_id), soci::into(r.request_id), soci::into(r.user_id), soci::into(r.state),
      soci::into(r.record), soci::into(r.task_id), soci::into(r.error), soci::into(r.created_at_ms),
      soci::into(r.updated_at_ms), soci::use(tenant_id), soci::use(request_id);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return r;
}

void InquiryRepository::Update(Session& s, const InquiryRow& r) {
  s.sql() << "UPDATE reception_inquiries SET state = :s, record = :rec, task_id = :task,"
             " error = :e, updated_at_ms = :up WHERE tenant_id = :t AND request_id = :r",
      soci::use(r.state), soci::use(r.record), soci::use(r.task_id), soci::use(r.error),
      soci::use(r.updated_at_ms), soci::use(r.tenant_id), soci::use(r.request_id);
}

void InquiryRepository::Delete(Session& s, const std::string& tenant_id,
                               const std::string& request_id) {
  s.sql() << "DELETE FROM reception_inquiries WHERE tenant_id = :t AND request_id = :r",
      soci::use(tenant_id), soci::use(request_id);
}

namespace {

constexpr const char* kCallColumns =
    "SELECT tenant_id, entry_id, state_json, crm_call_id, crm_entity, finished, version,"
    " created_at_ms, updated_at_ms FROM calls WHERE ";

// Reads every row of a prepared statement whose into() targets are `row` and `finished`.
std::vector<StoredCall> Fetch(soci::statement& st, StoredCall& row, int& finished) {
  std::vector<StoredCall> out;
  if (st.execute(true)) {
    do {
      row.finished = finished != 0;
      out.push_back(row);
    } while (st.fetch());
  }
  return out;
}

}  // namespace

std::optional<StoredCall> ReceptionCallRepository::FindByCrmCallId(Session& s,
                                                                   const std::string& tenant_id,
                                                                   const std::string& crm_call_id) {
  if (crm_call_id.empty()) {
    return std::nullopt;
  }
  StoredCall row;
  int finished = 0;
  soci::statement st =
      (s.sql().prepare << std::string(kCallColumns) +
                              "tenant_id = :t AND crm_call_id = :c ORDER BY updated_at_ms DESC"
                              " LIMIT 1",
       soci::into(row.tenant_id), soci::into(row.entry_id), soci::into(row.state_json),
       soci::into(row.crm_call_id), soci::into(row.crm_entity), soci::into(finished),
       soci::into(row.version), soci::into(row.created_at_ms), soci::into(row.updated_at_ms),
       soci::use(tenant_id), soci::use(crm_call_id));
  std::vector<StoredCall> found = Fetch(st, row, finished);
  if (found.empty()) {
    return std::nullopt;
  }
  return found.front();
}

std::vector<StoredCall> ReceptionCallRepository::OpenSince(Session& s, const std::string& tenant_id,
                                                           EpochMs since_ms, int limit) {
  StoredCall row;
  int finished = 0;
  soci::statement st =
      (s.sql().prepare << std::string(kCallColumns) +
                              "tenant_id = :t AND finished = 0 AND updated_at_ms >= :s ORDER BY"
                              " updated_at_ms DESC LIMIT " +
                              std::to_string(limit),
       soci::into(row.tenant_id), soci::into(row.entry_id), soci::into(row.state_json),
       soci::into(row.crm_call_id), soci::into(row.crm_entity), soci::into(finished),
       soci::into(row.version), soci::into(row.created_at_ms), soci::into(row.updated_at_ms),
       soci::use(tenant_id), soci::use(since_ms));
  return Fetch(st, row, finished);
}

}  // namespace opdesk::storage
