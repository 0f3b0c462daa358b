#include "connector/storage/campaign_after_repository.h"

#include <soci/soci.h>

#include "connector/storage/repositories.h"

namespace opdesk::storage {
namespace {

constexpr const char* kTemplateColumns =
    "SELECT id, name, subject, body, version FROM campaign_email_templates";

std::vector<campaigns::EmailTemplate> QueryTemplates(Session& s, const std::string& sql,
                                                     const std::string& tenant_id, long long id) {
  campaigns::EmailTemplate t;
  soci::statement st(s.sql());
  st.alloc();
  st.prepare(sql);
  st.exchange(soci::into(t.id));
  st.exchange(soci::into(t.name));
  st.exchange(soci::into(t.subject));
  st.exchange(soci::into(t.body));
  st.exchange(soci::into(t.version));
  st.exchange(soci::use(tenant_id, "t"));
  if (id > 0) {
    st.exchange(soci::use(id, "id"));
  }
  st.define_and_bind();
  std::vector<campaigns::EmailTemplate> out;
  if (st.execute(true)) {
    do {
      out.push_back(t);
    } while (st.fetch());
  }
  return out;
}

constexpr const char* kActionColumns =
    "SELECT action_key, kind, task_id, contact_id, operator_id, state, crm_id, error, detail,"
    " created_at_ms, updated_at_ms FROM campaign_after_actions";

std::vector<AfterActionRow> QueryActions(Session& s, const std::string& sql,
                                         const std::string& tenant_id, const std::string& key,
                                         long long task_id, long long contact_id) {
  AfterActionRow a;
  soci::statement st(s.sql());
  st.alloc();
  st.prepare(sql);
  st.exchange(soci::into(a.key));
  st.exchange(soci::into(a.kind));
  st.exchange(soci::into(a.task_id));
  st.exchange(soci::into(a.contact_id));
  st.exchange(soci::into(a.operator_id));
  st.exchange(soci::into(a.state));
  st.exchange(soci::into(a.crm_id));
  st.exchange(soci::into(a.error));
  st.exchange(soci::into(a.detail));
  st.exchange(soci::into(a.created_at_ms));
  st.exchange(soci::into(a.updated_at_ms));
  st.exchange(soci::use(tenant_id, "t"));
  if (!key.empty()) {
    st.exchange(soci::use(key, "k"));
  } else {
    st.exchange(soci::use(task_id, "ta"));
    st.exchange(soci::use(contact_id, "c"));
  }
  st.define_and_bind();
  std::vector<AfterActionRow> out;
  if (st.execute(true)) {
    do {
      out.push_back(a);
    } while (st.fetch());
  }
  return out;
}

}  // namespace

long long EmailTemplateRepository::Insert(Session& s, const std::string& tenant_id,
                                          const campaigns::EmailTemplate& t,
                                          const std::string& created_by, EpochMs now) {
  s.sql() << "INSERT INTO campaign_email_templates (tenant_id, name, subject, body, version,"
             " created_by, created_at_ms, updated_at_ms) VALUES (:t, :n, :s, :b, 1, :c, :a, :u)",
      soci::use(tenant_id), soci::use(t.name), soci::use(t.subject), soci::use(t.body),
      soci::use(created_by), soci::use(now), soci::use(now);
  return LastInsertId(s, "campaign_email_templates");
}

bool EmailTemplateRepository::Update(Session& s, const std::string& tenant_id,
                                     const campaigns::EmailTemplate& t, long long expected_version,
                                     EpochMs now) {
  soci::statement st =
      (s.sql().prepare << "UPDATE campaign_email_templates SET name = :n, subject = :s, body = :b,"
                          " version = version + 1, updated_at_ms = :u WHERE tenant_id = :t AND"
                          " id = :id AND version = :v",
       soci::use(t.name), soci::use(t.subject), soci::use(t.body), soci::use(now),
       soci::use(tenant_id), soci::use(t.id), soci::use(expected_version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::optional<campaigns::EmailTemplate> EmailTemplateRepository::Find(Session& s,
                                                                      const std::string& tenant_id,
                                                                      long long id) {
  if (id <= 0) {
    return std::nullopt;
  }
  auto rows = QueryTemplates(
      s, std::string(kTemplateColumns) + " WHERE tenant_id = :t AND id = :id", tenant_id, id);
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front();
}

std::vector<campaigns::EmailTemplate> EmailTemplateRepository::List(Session& s,
                                                                    const std::string& tenant_id) {
  return QueryTemplates(s, std::string(kTemplateColumns) + " WHERE tenant_id = :t ORDER BY id",
                        tenant_id, 0);
}

long long EmailTemplateRepository::Count(Session& s, const std::string& tenant_id) {
  long long n = 0;
  s.sql() << "SELECT COUNT(*) FROM campaign_email_templates WHERE tenant_id = :t", soci::into(n),
      soci::use(tenant_id);
  return n;
}

bool EmailTemplateRepository::Delete(Session& s, const std::string& tenant_id, long long id,
                                     long long expected_version) {
  soci::statement st =
      (s.sql().prepare << "DELETE FROM campaign_email_templates WHERE tenant_id = :t AND id = :id"
                          " AND version = :v",
       soci::use(tenant_id), soci::use(id), soci::use(expected_version));
  st.execute(true);
  if (st.get_affected_rows() != 1) {
    return false;
  }
  s.sql() << "DELETE FROM campaign_task_templates WHERE tenant_id = :t AND template_id = :id",
      soci::use(tenant_id), soci::use(id);
  return true;
}

long long EmailTemplateRepository::TaskDefault(Session& s, const std::string& tenant_id,
                                               long long task_id) {
  long long id = 0;
  s.sql() << "SELECT template_id FROM campaign_task_templates WHERE tenant_id = :t AND"
             " task_id = :k",
      soci::into(id), soci::use(tenant_id), soci::use(task_id);
  return s.sql().got_data() ? id : 0;
}

void EmailTemplateRepository::SetTaskDefault(Session& s, const std::string& tenant_id,
                                             long long task_id, long long template_id) {
  s.sql() << "DELETE FROM campaign_task_templates WHERE tenant_id = :t AND task_id = :k",
      soci::use(tenant_id), soci::use(task_id);
  if (template_id > 0) {
    s.sql() << "INSERT INTO campaign_task_templates (tenant_id, task_id, template_id) VALUES"
               " (:t, :k, :m)",
        soci::use(tenant_id), soci::use(task_id), soci::use(template_id);
  }
}

bool AfterActionRepository::Insert(Session& s, const std::string& tenant_id,
                                   const AfterActionRow& a) {
  soci::statement st =
      (s.sql().prepare << "INSERT INTO campaign_after_actions (tenant_id, action_key, kind,"
                          " task_id, contact_id, operator_id, state, crm_id, error, detail,"
                          " created_at_ms, updated_at_ms) VALUES (:t, :k, :n, :ta, :c, :o, :s,"
                          " :ci, :e, :d, :ca, :u)" +
                              InsertIgnoreClause(s.dialect(), "tenant_id, action_key"),
       soci::use(tenant_id), soci::use(a.key), soci::use(a.kind), soci::use(a.task_id),
       soci::use(a.contact_id), soci::use(a.operator_id), soci::use(a.state), soci::use(a.crm_id),
       soci::use(a.error), soci::use(a.detail), soci::use(a.created_at_ms),
       soci::use(a.updated_at_ms));
  return ExecuteInsertUnlessDuplicate(st);
}

std::optional<AfterActionRow> AfterActionRepository::Find(Session& s, const std::string& tenant_id,
                                                          const std::string& key) {
  if (key.empty()) {
    return std::nullopt;
  }
  auto rows =
      QueryActions(s, std::string(kActionColumns) + " WHERE tenant_id = :t AND action_key = :k",
                   tenant_id, key, 0, 0);
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front();
}

std::vector<AfterActionRow> AfterActionRepository::ForContact(Session& s,
                                                              const std::string& tenant_id,
                                                              long long task_id,
                                                              long long contact_id) {
  return QueryActions(s,
                      std::string(kActionColumns) +
                          " WHERE tenant_id = :t AND task_id = :ta AND contact_id = :c"
                          " ORDER BY created_at_ms DESC, action_key LIMIT 50",
                      tenant_id, "", task_id, contact_id);
}

bool AfterActionRepository::Move(Session& s, const std::string& tenant_id, const std::string& key,
                                 const std::string& from, const std::string& to,
                                 const std::string& crm_id, const std::string& error, EpochMs now) {
  const std::string cut = error.substr(0, 1000);
  soci::statement st =
      (s.sql().prepare << "UPDATE campaign_after_actions SET state = :to, crm_id = :c, error = :e,"
                          " updated_at_ms = :u WHERE tenant_id = :t AND action_key = :k AND"
                          " state = :f",
       soci::use(to), soci::use(crm_id), soci::use(cut), soci::use(now), soci::use(tenant_id),
       soci::use(key), soci::use(from));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

long long RecordingRepository::Insert(Session& s, const std::string& tenant_id,
                                      const RecordingRow& r,
                                      const std::vector<std::string>& chunks) {
  const int count = static_cast<int>(chunks.size());
  s.sql() << "INSERT INTO campaign_recordings (tenant_id, task_id, contact_id, filename, kind,"
             " size_bytes, chunks, created_at_ms) VALUES (:t, :ta, :c, :f, :k, :sz, :ch, :a)",
      soci::use(tenant_id), soci::use(r.task_id), soci::use(r.contact_id), soci::use(r.filename),
      soci::use(r.kind), soci::use(r.size_bytes), soci::use(count), soci::use(r.created_at_ms);
  const long long id = LastInsertId(s, "campaign_recordings");
  for (int i = 0; i < count; ++i) {
    s.sql() << "INSERT INTO campaign_recording_chunks (recording_id, seq, data) VALUES (:r, :s,"
               " :d)",
        soci::use(id), soci::use(i), soci::use(chunks[static_cast<std::size_t>(i)]);
  }
  return id;
}

std::optional<RecordingRow> RecordingRepository::Find(Session& s, const std::string& tenant_id,
                                                      long long id) {
  RecordingRow out;
  s.sql() << "SELECT id, task_id, contact_id, filename, kind, size_bytes, created_at_ms FROM"
             " campaign_recordings WHERE tenant_id = :t AND id = :id",
      soci::into(out.id), soci::into(out.task_id), soci::into(out.contact_id),
      soci::into(out.filename), soci::into(out.kind), soci::into(out.size_bytes),
      soci::into(out.created_at_ms), soci::use(tenant_id), soci::use(id);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return out;
}

std::vector<std::string> RecordingRepository::Chunks(Session& s, const std::string& tenant_id,
                                                     long long id) {
  std::vector<std::string> out;
  if (!Find(s, tenant_id, id)) {
    return out;
  }
  std::string data;
  soci::statement st = (s.sql().prepare << "SELECT data FROM campaign_recording_chunks WHERE"
                                           " recording_id = :r ORDER BY seq",
                        soci::into(data), soci::use(id));
  if (st.execute(true)) {
    do {
      out.push_back(data);
    } while (st.fetch());
  }
  return out;
}

void RecordingRepository::DropContent(Session& s, const std::string& tenant_id, long long id) {
  if (!Find(s, tenant_id, id)) {
    return;
  }
  s.sql() << "DELETE FROM campaign_recording_chunks WHERE recording_id = :r", soci::use(id);
}

}  // namespace opdesk::storage
