#include "connector/storage/campaign_repository.h"

#include <soci/soci.h>

#include <deque>

#include "connector/domain/error.h"
#include "connector/storage/repositories.h"

namespace opdesk::storage {
namespace {

// The distinct values of `column` among a task's contacts that match `condition` (constant SQL).
std::set<std::string> ContactColumn(Session& s, const std::string& tenant_id, long long task_id,
                                    const std::string& column, const std::string& condition) {
  std::set<std::string> out;
  std::string value;
  soci::statement st = (s.sql().prepare << "SELECT " + column +
                                               " FROM campaign_contacts WHERE tenant_id = :t AND"
                                               " task_id = :k AND " +
                                               condition,
                        soci::into(value), soci::use(tenant_id), soci::use(task_id));
  if (st.execute(true)) {
    do {
      out.insert(value);
    } while (st.fetch());
  }
  return out;
}

using campaigns::CallResult;
using campaigns::ContactStatus;

// ---- tasks ----

std::vector<std::string> Employees(Session& s, long long task_id) {
  std::vector<std::string> out;
  std::string user;
  soci::statement st = (s.sql().prepare << "SELECT user_id FROM campaign_task_employees WHERE"
                                           " task_id = :t ORDER BY position",
                        soci::into(user), soci::use(task_id));
  if (st.execute(true)) {
    do {
      out.push_back(user);
    } while (st.fetch());
  }
  return out;
}

void WriteEmployees(Session& s, const std::string& tenant_id, long long task_id,
                    const std::vector<std::string>& users) {
  s.sql() << "DELETE FROM campaign_task_employees WHERE task_id = :t", soci::use(task_id);
  for (std::size_t i = 0; i < users.size(); ++i) {
    const int position = static_cast<int>(i);
    s.sql() << "INSERT INTO campaign_task_employees (task_id, tenant_id, user_id, position)"
               " VALUES (:t, :tn, :u, :p)",
        soci::use(task_id), soci::use(tenant_id), soci::use(users[i]), soci::use(position);
  }
}

constexpr const char* kTaskColumns =
    "SELECT id, name, description, script_id, script_version, max_attempts, spacing_minutes,"
    " state, version, created_at_ms, updated_at_ms FROM campaign_tasks";

std::vector<campaigns::Task> QueryTasks(Session& s, const std::string& sql,
                                        const std::string& tenant_id, long long id,
                                        const std::string& employee) {
  campaigns::Task t;
  std::string state;
  soci::statement st(s.sql());
  st.alloc();
  st.prepare(sql);
  st.exchange(soci::into(t.id));
  st.exchange(soci::into(t.name));
  st.exchange(soci::into(t.description));
  st.exchange(soci::into(t.script_id));
  st.exchange(soci::into(t.script_version));
  st.exchange(soci::into(t.retry.max_attempts));
  st.exchange(soci::into(t.retry.spacing_minutes));
  st.exchange(soci::into(state));
  st.exchange(soci::into(t.version));
  st.exchange(soci::into(t.created_at_ms));
  st.exchange(soci::into(t.updated_at_ms));
  st.exchange(soci::use(tenant_id, "tn"));
  if (id > 0) {
    st.exchange(soci::use(id, "id"));
  }
  if (!employee.empty()) {
    st.exchange(soci::use(employee, "emp"));
  }
  st.define_and_bind();
  std::vector<campaigns::Task> out;
  if (st.execute(true)) {
    do {
      t.state = campaigns::TaskStateFrom(state).value_or(campaigns::TaskState::kDraft);
      out.push_back(t);
    } while (st.fetch());
  }
  for (campaigns::Task& task : out) {
    task.employee_ids = Employees(s, task.id);
  }
  return out;
}

// ---- contacts ----

constexpr const char* kContactColumns =
    "SELECT id, task_id, source, phone, crm_contact_id, name, status, result, attempts,"
    " operator_id, due_at_ms, opened, comment, last_call_at_ms, version, created_at_ms,"
    " updated_at_ms FROM campaign_contacts";

// Binds the contact columns of kContactColumns to a row being read.
struct ContactReader {
  CampaignContactRow row;
  std::string source, status, result;
  int opened = 0;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(row.id));
    st.exchange(soci::into(row.task_id));
    st.exchange(soci::into(source));
    st.exchange(soci::into(row.phone));
    st.exchange(soci::into(row.crm_contact_id));
    st.exchange(soci::into(row.name));
    st.exchange(soci::into(status));
    st.exchange(soci::into(result));
    st.exchange(soci::into(row.state.attempts));
    st.exchange(soci::into(row.state.operator_id));
    st.exchange(soci::into(row.state.due_at_ms));
    st.exchange(soci::into(opened));
    st.exchange(soci::into(row.comment));
    st.exchange(soci::into(row.last_call_at_ms));
    st.exchange(soci::into(row.version));
    st.exchange(soci::into(row.created_at_ms));
    st.exchange(soci::into(row.updated_at_ms));
  }
  CampaignContactRow Take() {
    row.source = campaigns::ContactSourceFrom(source).value_or(campaigns::ContactSource::kNumber);
    row.state.status = campaigns::ContactStatusFrom(status).value_or(ContactStatus::kNew);
    row.state.result = campaigns::CallResultFrom(result).value_or(CallResult::kNone);
    row.state.opened = opened != 0;
    return row;
  }
};

// A statement with named parameters added as the SQL is built; the values live as long as it.
class Query {
 public:
  explicit Query(std::string sql) : sql_(std::move(sql)) {}
  Query& Text(const std::string& sql) {
    sql_ += sql;
    return *this;
  }
  std::string Str(std::string v) {
    const std::string name = "p" + std::to_string(strings_.size() + numbers_.size());
    strings_.push_back({name, std::move(v)});
    return ":" + name;
  }
  std::string Num(long long v) {
    const std::string name = "p" + std::to_string(strings_.size() + numbers_.size());
    numbers_.push_back({name, v});
    return ":" + name;
  }
  void Execute(Session& s) {
    soci::statement st(s.sql());
    Prepare(st);
    st.define_and_bind();
    st.execute(true);
  }
  std::vector<CampaignContactRow> Contacts(Session& s) {
    ContactReader reader;
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(sql_);
    reader.Bind(st);
    BindUses(st);
    st.define_and_bind();
    std::vector<CampaignContactRow> out;
    if (st.execute(true)) {
      do {
        out.push_back(reader.Take());
      } while (st.fetch());
    }
    return out;
  }

 private:
  void Prepare(soci::statement& st) {
    st.alloc();
    st.prepare(sql_);
    BindUses(st);
  }
  // Each parameter appears once in the SQL: a name used twice is not portable across backends.
  void BindUses(soci::statement& st) {
    for (auto& [name, value] : strings_) {
      st.exchange(soci::use(value, name));
    }
    for (auto& [name, value] : numbers_) {
      st.exchange(soci::use(value, name));
    }
  }

  std::string sql_;
  std::deque<std::pair<std::string, std::string>> strings_;
  std::deque<std::pair<std::string, long long>> numbers_;
};

// Takes `row` for the operator if nobody moved it since it was read; false if someone did.
bool Take(Session& s, const std::string& tenant_id, CampaignContactRow& row,
          const std::string& operator_id, EpochMs now) {
  CampaignContactRow taken = row;
  taken.state = campaigns::Open(row.state, operator_id, now);
  if (!CampaignContactRepository::Save(s, tenant_id, taken, row.version, now)) {
    return false;
  }
  row.state = taken.state;
  row.version += 1;
  row.updated_at_ms = now;
  return true;
}

}  // namespace

long long CampaignTaskRepository::Insert(Session& s, const std::string& tenant_id,
                                         const campaigns::Task& t, const std::string& created_by) {
  const std::string state = campaigns::ToString(t.state);
  s.sql() << "INSERT INTO campaign_tasks (tenant_id, name, description, script_id,"
             " script_version, max_attempts, spacing_minutes, state, created_by, version,"
             " created_at_ms, updated_at_ms) VALUES (:tn, :n, :d, :s, :sv, :ma, :sp, :st, :cb, 1,"
             " :c, :u)",
      soci::use(tenant_id), soci::use(t.name), soci::use(t.description), soci::use(t.script_id),
      soci::use(t.script_version), soci::use(t.retry.max_attempts),
      soci::use(t.retry.spacing_minutes), soci::use(state), soci::use(created_by),
      soci::use(t.created_at_ms), soci::use(t.updated_at_ms);
  const long long id = LastInsertId(s, "campaign_tasks");
  WriteEmployees(s, tenant_id, id, t.employee_ids);
  return id;
}

bool CampaignTaskRepository::Update(Session& s, const std::string& tenant_id,
                                    const campaigns::Task& t, long long expected_version) {
  const std::string state = campaigns::ToString(t.state);
  soci::statement st =
      (s.sql().prepare << "UPDATE campaign_tasks SET name = :n, description = :d, script_id = :s,"
                          " script_version = :sv, max_attempts = :ma, spacing_minutes = :sp,"
                          " state = :st, version = version + 1, updated_at_ms = :u"
                          " WHERE tenant_id = :tn AND id = :id AND version = :v",
       soci::use(t.name), soci::use(t.description), soci::use(t.script_id),
       soci::use(t.script_version), soci::use(t.retry.max_attempts),
       soci::use(t.retry.spacing_minutes), soci::use(state), soci::use(t.updated_at_ms),
       soci::use(tenant_id), soci::use(t.id), soci::use(expected_version));
  st.execute(true);
  if (st.get_affected_rows() == 0) {
    return false;
  }
  WriteEmployees(s, tenant_id, t.id, t.employee_ids);
  return true;
}

std::optional<campaigns::Task> CampaignTaskRepository::Find(Session& s,
                                                            const std::string& tenant_id,
                                                            long long id, bool lock) {
  if (id <= 0) {
    return std::nullopt;
  }
  std::string sql = std::string(kTaskColumns) + " WHERE tenant_id = :tn AND id = :id";
  if (lock && s.dialect() == Dialect::kMysql) {
    sql += " FOR UPDATE";
  }
  auto tasks = QueryTasks(s, sql, tenant_id, id, "");
  if (tasks.empty()) {
    return std::nullopt;
  }
  return tasks.front();
}

std::vector<campaigns::Task> CampaignTaskRepository::List(Session& s, const std::string& tenant_id,
                                                          const std::string& employee) {
  std::string sql = std::string(kTaskColumns) + " WHERE tenant_id = :tn";
  if (!employee.empty()) {
    sql += " AND id IN (SELECT task_id FROM campaign_task_employees WHERE user_id = :emp)";
  }
  sql += " ORDER BY id DESC";
  return QueryTasks(s, sql, tenant_id, 0, employee);
}

bool CampaignTaskRepository::Delete(Session& s, const std::string& tenant_id, long long id,
                                    long long expected_version) {
  soci::statement st = (s.sql().prepare << "DELETE FROM campaign_tasks WHERE tenant_id = :t AND"
                                           " id = :id AND version = :v",
                        soci::use(tenant_id), soci::use(id), soci::use(expected_version));
  st.execute(true);
  if (st.get_affected_rows() == 0) {
    return false;
  }
  s.sql() << "DELETE FROM campaign_task_employees WHERE task_id = :id", soci::use(id);
  s.sql() << "DELETE FROM campaign_contacts WHERE task_id = :id", soci::use(id);
  s.sql() << "DELETE FROM campaign_calls WHERE task_id = :id", soci::use(id);
  s.sql() << "DELETE FROM campaign_crm_filters WHERE task_id = :id", soci::use(id);
  return true;
}

std::vector<long long> CampaignTaskRepository::RunningOnScript(Session& s,
                                                               const std::string& tenant_id,
                                                               long long script_id) {
  std::vector<long long> out;
  long long id = 0;
  soci::statement st =
      (s.sql().prepare << "SELECT id FROM campaign_tasks WHERE tenant_id = :t AND script_id = :s"
                          " AND state = 'running' ORDER BY id",
       soci::into(id), soci::use(tenant_id), soci::use(script_id));
  if (st.execute(true)) {
    do {
      out.push_back(id);
    } while (st.fetch());
  }
  return out;
}

void CampaignContactRepository::InsertNumbers(Session& s, const std::string& tenant_id,
                                              long long task_id,
                                              const std::vector<campaigns::ImportRow>& rows,
                                              EpochMs now) {
  constexpr std::size_t kPerStatement = 100;  // 6 parameters a row, under SQLite's 999
  for (std::size_t start = 0; start < rows.size(); start += kPerStatement) {
    const std::size_t end = std::min(rows.size(), start + kPerStatement);
    Query q(
        "INSERT INTO campaign_contacts (tenant_id, task_id, source, dedupe_key, phone,"
        " crm_contact_id, name, status, result, attempts, operator_id, due_at_ms, opened,"
        " comment, last_call_at_ms, version, created_at_ms, updated_at_ms) VALUES ");
    const std::string task = std::to_string(task_id);
    const std::string at = std::to_string(now);
    for (std::size_t i = start; i < end; ++i) {
      q.Text(std::string(i == start ? "" : ", ") + "(" + q.Str(tenant_id) + ", " + task +
             ", 'number', " + q.Str(rows[i].phone) + ", " + q.Str(rows[i].phone) + ", '', " +
             q.Str(rows[i].name) + ", 'new', '', 0, '', 0, 0, '', 0, 1, " + at + ", " + at + ")");
    }
    q.Execute(s);
  }
}

void CampaignContactRepository::InsertCrmContacts(Session& s, const std::string& tenant_id,
                                                  long long task_id,
                                                  campaigns::ContactSource source,
                                                  const std::vector<campaigns::Materialised>& rows,
                                                  EpochMs now) {
  constexpr std::size_t kPerStatement = 100;  // 6 parameters a row, under SQLite's 999
  const std::string source_text = campaigns::ToString(source);
  for (std::size_t start = 0; start < rows.size(); start += kPerStatement) {
    const std::size_t end = std::min(rows.size(), start + kPerStatement);
    Query q(
        "INSERT INTO campaign_contacts (tenant_id, task_id, source, dedupe_key, phone,"
        " crm_contact_id, name, status, result, attempts, operator_id, due_at_ms, opened,"
        " comment, last_call_at_ms, version, created_at_ms, updated_at_ms) VALUES ");
    const std::string task = std::to_string(task_id);
    const std::string at = std::to_string(now);
    for (std::size_t i = start; i < end; ++i) {
      q.Text(std::string(i == start ? "" : ", ") + "(" + q.Str(tenant_id) + ", " + task + ", " +
             q.Str(source_text) + ", " + q.Str(campaigns::CrmDedupeKey(rows[i].crm_id)) + ", " +
             q.Str(rows[i].phone) + ", " + q.Str(rows[i].crm_id) + ", " + q.Str(rows[i].name) +
             ", 'new', '', 0, '', 0, 0, '', 0, 1, " + at + ", " + at + ")");
    }
    q.Execute(s);
  }
}

std::set<std::string> CampaignContactRepository::CrmIds(Session& s, const std::string& tenant_id,
                                                        long long task_id) {
  return ContactColumn(s, tenant_id, task_id, "crm_contact_id", "crm_contact_id <> ''");
}

std::set<std::string> CampaignContactRepository::AllNumbers(Session& s,
                                                            const std::string& tenant_id,
                                                            long long task_id) {
  return ContactColumn(s, tenant_id, task_id, "phone", "phone <> ''");
}

long long CampaignContactRepository::CountSource(Session& s, const std::string& tenant_id,
                                                 long long task_id,
                                                 campaigns::ContactSource source) {
  long long n = 0;
  const std::string text = campaigns::ToString(source);
  s.sql() << "SELECT COUNT(*) FROM campaign_contacts WHERE tenant_id = :t AND task_id = :k AND"
             " source = :s",
      soci::into(n), soci::use(tenant_id), soci::use(task_id), soci::use(text);
  return n;
}

std::set<std::string> CampaignContactRepository::Numbers(Session& s, const std::string& tenant_id,
                                                         long long task_id) {
  return ContactColumn(s, tenant_id, task_id, "phone", "source = 'number'");
}

CampaignCounts CampaignContactRepository::Counts(Session& s, const std::string& tenant_id,
                                                 long long task_id) {
  CampaignCounts c;
  for (ContactStatus st : {ContactStatus::kNew, ContactStatus::kInWork, ContactStatus::kDone}) {
    c.by_status[campaigns::ToString(st)] = 0;
  }
  std::string status, result;
  long long n = 0;
  soci::statement st =
      (s.sql().prepare << "SELECT status, result, COUNT(*) FROM campaign_contacts WHERE"
                          " tenant_id = :t AND task_id = :k GROUP BY status, result",
       soci::into(status), soci::into(result), soci::into(n), soci::use(tenant_id),
       soci::use(task_id));
  if (st.execute(true)) {
    do {
      c.total += n;
      c.by_status[status] += n;
      c.by_result[result] += n;
    } while (st.fetch());
  }
  return c;
}

std::vector<CampaignContactRow> CampaignContactRepository::List(Session& s,
                                                                const std::string& tenant_id,
                                                                long long task_id,
                                                                const CampaignContactFilter& f) {
  Query q(kContactColumns);
  q.Text(" WHERE tenant_id = " + q.Str(tenant_id) + " AND task_id = " + q.Num(task_id));
  if (f.status) {
    q.Text(" AND status = " + q.Str(campaigns::ToString(*f.status)));
  }
  if (f.result) {
    q.Text(" AND result = " + q.Str(campaigns::ToString(*f.result)));
  }
  if (!f.operator_id.empty()) {
    q.Text(" AND operator_id = " + q.Str(f.operator_id));
  }
  auto range = [&](const char* column, EpochMs from, EpochMs to) {
    if (from > 0) {
      q.Text(std::string(" AND ") + column + " >= " + q.Num(from));
    }
    if (to > 0) {
      q.Text(std::string(" AND ") + column + " < " + q.Num(to));
    }
  };
  range("created_at_ms", f.created_from_ms, f.created_to_ms);
  range("last_call_at_ms", f.last_call_from_ms, f.last_call_to_ms);
  range("due_at_ms", f.due_from_ms, f.due_to_ms);
  if (!f.query.empty()) {
    std::string like;
    for (char c : f.query) {
      if (c == '%' || c == '_' || c == '!') {
        like.push_back('!');  // '!' escapes: a backslash means different things to the backends
      }
      like.push_back(c);
    }
    like = "%" + like + "%";
    q.Text(" AND (phone LIKE " + q.Str(like) + " ESCAPE '!' OR name LIKE " + q.Str(like) +
           " ESCAPE '!')");
  }
  if (f.after_id > 0) {
    q.Text(" AND id > " + q.Num(f.after_id));
  }
  q.Text(" ORDER BY id LIMIT " + std::to_string(std::max(1, std::min(f.limit, 1000))));
  return q.Contacts(s);
}

std::optional<CampaignContactRow> CampaignContactRepository::Find(Session& s,
                                                                  const std::string& tenant_id,
                                                                  long long task_id, long long id,
                                                                  bool lock) {
  Query q(kContactColumns);
  q.Text(" WHERE tenant_id = " + q.Str(tenant_id) + " AND task_id = " + q.Num(task_id) +
         " AND id = " + q.Num(id));
  if (lock && s.dialect() == Dialect::kMysql) {
    q.Text(" FOR UPDATE");
  }
  auto rows = q.Contacts(s);
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front();
}

bool CampaignContactRepository::Save(Session& s, const std::string& tenant_id,
                                     const CampaignContactRow& r, long long expected_version,
                                     EpochMs now) {
  const std::string status = campaigns::ToString(r.state.status);
  const std::string result = campaigns::ToString(r.state.result);
  const int opened = r.state.opened ? 1 : 0;
  soci::statement st =
      (s.sql().prepare << "UPDATE campaign_contacts SET status = :s, result = :r, attempts = :a,"
                          " operator_id = :o, due_at_ms = :d, opened = :op, comment = :c,"
                          " last_call_at_ms = :l, phone = :ph, name = :n, version = version + 1,"
                          " updated_at_ms = :u WHERE tenant_id = :t AND id = :id AND version = :v",
       soci::use(status), soci::use(result), soci::use(r.state.attempts),
       soci::use(r.state.operator_id), soci::use(r.state.due_at_ms), soci::use(opened),
       soci::use(r.comment), soci::use(r.last_call_at_ms), soci::use(r.phone), soci::use(r.name),
       soci::use(now), soci::use(tenant_id), soci::use(r.id), soci::use(expected_version));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

long long CampaignContactRepository::DeleteIds(Session& s, const std::string& tenant_id,
                                               long long task_id,
                                               const std::vector<long long>& ids) {
  long long deleted = 0;
  for (long long id : ids) {
    soci::statement st =
        (s.sql().prepare << "DELETE FROM campaign_contacts WHERE tenant_id = :t AND task_id = :k"
                            " AND id = :id",
         soci::use(tenant_id), soci::use(task_id), soci::use(id));
    st.execute(true);
    deleted += st.get_affected_rows();
    s.sql() << "DELETE FROM campaign_calls WHERE task_id = :k AND contact_id = :id",
        soci::use(task_id), soci::use(id);
  }
  return deleted;
}

std::optional<CampaignContactRow> CampaignContactRepository::ClaimNext(
    Session& s, const std::string& tenant_id, long long task_id, const std::string& operator_id,
    EpochMs now) {
  const bool mysql = s.dialect() == Dialect::kMysql;
  // 0: the operator's open contact is theirs to resume; nothing to take.
  {
    Query q(kContactColumns);
    q.Text(" WHERE tenant_id = " + q.Str(tenant_id) + " AND task_id = " + q.Num(task_id) +
           " AND operator_id = " + q.Str(operator_id) +
           " AND status = 'in_work' AND opened = 1 ORDER BY id LIMIT 1");
    auto open = q.Contacts(s);
    if (!open.empty()) {
      return open.front();
    }
  }
  // 1–3: candidates one rank at a time; a candidate someone else took between the read and the
  // update (MySQL without the lock) is skipped and the next one tried.
  const std::string lock = mysql ? " FOR UPDATE SKIP LOCKED" : "";
  for (int rank = 1; rank <= 3; ++rank) {
    for (int round = 0; round < 16; ++round) {
      Query q(kContactColumns);
      q.Text(" WHERE tenant_id = " + q.Str(tenant_id) + " AND task_id = " + q.Num(task_id));
      if (rank == 1) {
        q.Text(" AND operator_id = " + q.Str(operator_id) +
               " AND status = 'in_work' AND opened = 0 AND due_at_ms > 0 AND due_at_ms <= " +
               q.Num(now) + " ORDER BY due_at_ms, id");
      } else if (rank == 2) {
        q.Text(" AND status = 'new' AND attempts = 0 AND due_at_ms <= " + q.Num(now) +
               " ORDER BY id");
      } else {
        q.Text(" AND status = 'new' AND attempts > 0 AND due_at_ms <= " + q.Num(now) +
               " ORDER BY due_at_ms, id");
      }
      q.Text(" LIMIT 1" + lock);
      auto candidates = q.Contacts(s);
      if (candidates.empty()) {
        break;
      }
      CampaignContactRow row = candidates.front();
      if (Take(s, tenant_id, row, operator_id, now)) {
        return row;
      }
    }
  }
  return std::nullopt;
}

bool CampaignContactRepository::HasOpenDue(Session& s, const std::string& tenant_id,
                                           long long task_id, EpochMs now) {
  long long id = 0;
  s.sql() << "SELECT id FROM campaign_contacts WHERE tenant_id = :t AND task_id = :k AND"
             " status = 'new' AND due_at_ms <= :n LIMIT 1",
      soci::into(id), soci::use(tenant_id), soci::use(task_id), soci::use(now);
  return s.sql().got_data();
}

EpochMs CampaignContactRepository::NextDueAt(Session& s, const std::string& tenant_id,
                                             long long task_id, const std::string& operator_id) {
  long long due = 0;
  soci::indicator ind = soci::i_null;
  s.sql() << "SELECT MIN(due_at_ms) FROM campaign_contacts WHERE tenant_id = :t AND"
             " task_id = :k AND due_at_ms > 0 AND ((status = 'new') OR (status = 'in_work' AND"
             " operator_id = :o AND opened = 0))",
      soci::into(due, ind), soci::use(tenant_id), soci::use(task_id), soci::use(operator_id);
  return ind == soci::i_ok ? due : 0;
}

std::vector<DueReminderRow> CampaignReminderRepository::Due(Session& s, EpochMs now, int limit) {
  const std::string lock = s.dialect() == Dialect::kMysql ? " FOR UPDATE SKIP LOCKED" : "";
  std::vector<DueReminderRow> out;
  DueReminderRow d;
  soci::statement st(s.sql());
  st.alloc();
  st.prepare(
      "SELECT tenant_id, task_id, id, operator_id, due_at_ms FROM campaign_contacts WHERE"
      " status = 'in_work' AND due_at_ms > 0 AND due_at_ms <= :n AND opened = 0 AND"
      " reminded_due_ms < due_at_ms ORDER BY due_at_ms, id LIMIT " +
      std::to_string(limit) + lock);
  st.exchange(soci::into(d.tenant_id));
  st.exchange(soci::into(d.task_id));
  st.exchange(soci::into(d.contact_id));
  st.exchange(soci::into(d.operator_id));
  st.exchange(soci::into(d.due_at_ms));
  st.exchange(soci::use(now, "n"));
  st.define_and_bind();
  if (st.execute(true)) {
    do {
      out.push_back(d);
    } while (st.fetch());
  }
  return out;
}

bool CampaignReminderRepository::Claim(Session& s, const DueReminderRow& row) {
  soci::statement st =
      (s.sql().prepare << "UPDATE campaign_contacts SET reminded_due_ms = due_at_ms WHERE id = :i"
                          " AND tenant_id = :t AND status = 'in_work' AND operator_id = :o AND"
                          " due_at_ms = :d AND reminded_due_ms < due_at_ms",
       soci::use(row.contact_id), soci::use(row.tenant_id), soci::use(row.operator_id),
       soci::use(row.due_at_ms));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::optional<CampaignCrmFilterRow> CampaignCrmFilterRepository::Find(Session& s,
                                                                      const std::string& tenant_id,
                                                                      long long task_id,
                                                                      bool lock) {
  CampaignCrmFilterRow r;
  int exhausted = 0;
  std::string sql =
      "SELECT task_id, conditions, cursor_id, exhausted, taken, skipped, version, updated_at_ms"
      " FROM campaign_crm_filters WHERE tenant_id = :t AND task_id = :k";
  if (lock && s.dialect() == Dialect::kMysql) {
    sql += " FOR UPDATE";
  }
  s.sql() << sql, soci::into(r.task_id), soci::into(r.conditions_json), soci::into(r.cursor_id),
      soci::into(exhausted), soci::into(r.taken), soci::into(r.skipped), soci::into(r.version),
      soci::into(r.updated_at_ms), soci::use(tenant_id), soci::use(task_id);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  r.exhausted = exhausted != 0;
  return r;
}

bool CampaignCrmFilterRepository::Put(Session& s, const std::string& tenant_id,
                                      const CampaignCrmFilterRow& r, long long expected_version) {
  if (expected_version == 0) {
    soci::statement st =
        (s.sql().prepare << "INSERT INTO campaign_crm_filters (task_id, tenant_id, conditions,"
                            " cursor_id, exhausted, taken, skipped, version, updated_at_ms)"
                            " VALUES (:k, :t, :c, '', 0, 0, 0, 1, :u)" +
                                InsertIgnoreClause(s.dialect(), "task_id"),
         soci::use(r.task_id), soci::use(tenant_id), soci::use(r.conditions_json),
         soci::use(r.updated_at_ms));
    return ExecuteInsertUnlessDuplicate(st);
  }
  soci::statement st =
      (s.sql().prepare << "UPDATE campaign_crm_filters SET conditions = :c, cursor_id = '',"
                          " exhausted = 0, version = version + 1, updated_at_ms = :u"
                          " WHERE tenant_id = :t AND task_id = :k AND version = :v",
       soci::use(r.conditions_json), soci::use(r.updated_at_ms), soci::use(tenant_id),
       soci::use(r.task_id), soci::use(expected_version));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool CampaignCrmFilterRepository::Delete(Session& s, const std::string& tenant_id,
                                         long long task_id, long long expected_version) {
  soci::statement st = (s.sql().prepare << "DELETE FROM campaign_crm_filters WHERE tenant_id = :t"
                                           " AND task_id = :k AND version = :v",
                        soci::use(tenant_id), soci::use(task_id), soci::use(expected_version));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool CampaignCrmFilterRepository::Advance(Session& s, const std::string& tenant_id,
                                          long long task_id, long long version,
                                          const std::string& from_cursor,
                                          const std::string& to_cursor, bool exhausted,
                                          long long taken, long long skipped, EpochMs now) {
  const int done = exhausted ? 1 : 0;
  soci::statement st =
      (s.sql().prepare << "UPDATE campaign_crm_filters SET cursor_id = :to, exhausted = :e,"
                          " taken = taken + :tk, skipped = skipped + :sk, updated_at_ms = :u"
                          " WHERE tenant_id = :t AND task_id = :k AND version = :v AND"
                          " cursor_id = :from AND exhausted = 0",
       soci::use(to_cursor), soci::use(done), soci::use(taken), soci::use(skipped), soci::use(now),
       soci::use(tenant_id), soci::use(task_id), soci::use(version), soci::use(from_cursor));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

void CampaignCallRepository::Insert(Session& s, const CampaignCallRow& r) {
  s.sql() << "INSERT INTO campaign_calls (tenant_id, command_id, task_id, contact_id, user_id,"
             " phone, created_at_ms) VALUES (:t, :c, :k, :i, :u, :p, :a)",
      soci::use(r.tenant_id), soci::use(r.command_id), soci::use(r.task_id),
      soci::use(r.contact_id), soci::use(r.user_id), soci::use(r.phone), soci::use(r.created_at_ms);
}

void CampaignCallRepository::Delete(Session& s, const std::string& tenant_id,
                                    const std::string& command_id) {
  s.sql() << "DELETE FROM campaign_calls WHERE tenant_id = :t AND command_id = :c",
      soci::use(tenant_id), soci::use(command_id);
}

std::vector<CampaignCallRow> CampaignCallRepository::ForContact(Session& s,
                                                                const std::string& tenant_id,
                                                                long long task_id,
                                                                long long contact_id) {
  std::vector<CampaignCallRow> out;
  CampaignCallRow r;
  soci::statement st =
      (s.sql().prepare << "SELECT tenant_id, command_id, task_id, contact_id, user_id, phone,"
                          " created_at_ms FROM campaign_calls WHERE tenant_id = :t AND"
                          " task_id = :k AND contact_id = :i ORDER BY created_at_ms DESC",
       soci::into(r.tenant_id), soci::into(r.command_id), soci::into(r.task_id),
       soci::into(r.contact_id), soci::into(r.user_id), soci::into(r.phone),
       soci::into(r.created_at_ms), soci::use(tenant_id), soci::use(task_id),
       soci::use(contact_id));
  if (st.execute(true)) {
    do {
      out.push_back(r);
    } while (st.fetch());
  }
  return out;
}

bool CampaignCommentRepository::Begin(Session& s, const std::string& tenant_id,
                                      const std::string& key, EpochMs now) {
  soci::statement st =
      (s.sql().prepare << "INSERT INTO campaign_comments (tenant_id, comment_key, state,"
                          " crm_record, crm_comment_id, updated_at_ms) VALUES (:t, :k,"
                          " 'sending', '', '', :u)" +
                              InsertIgnoreClause(s.dialect(), "tenant_id, comment_key"),
       soci::use(tenant_id), soci::use(key), soci::use(now));
  return ExecuteInsertUnlessDuplicate(st);
}

void CampaignCommentRepository::Finish(Session& s, const std::string& tenant_id,
                                       const std::string& key, const std::string& state,
                                       const std::string& crm_record,
                                       const std::string& crm_comment_id, EpochMs now) {
  s.sql() << "UPDATE campaign_comments SET state = :s, crm_record = :r, crm_comment_id = :c,"
             " updated_at_ms = :u WHERE tenant_id = :t AND comment_key = :k",
      soci::use(state), soci::use(crm_record), soci::use(crm_comment_id), soci::use(now),
      soci::use(tenant_id), soci::use(key);
}

void CampaignCommentRepository::Forget(Session& s, const std::string& tenant_id,
                                       const std::string& key) {
  s.sql() << "DELETE FROM campaign_comments WHERE tenant_id = :t AND comment_key = :k",
      soci::use(tenant_id), soci::use(key);
}

std::string CampaignCommentRepository::State(Session& s, const std::string& tenant_id,
                                             const std::string& key) {
  std::string state;
  s.sql() << "SELECT state FROM campaign_comments WHERE tenant_id = :t AND comment_key = :k",
      soci::into(state), soci::use(tenant_id), soci::use(key);
  return s.sql().got_data() ? state : std::string();
}

}  // namespace opdesk::storage
