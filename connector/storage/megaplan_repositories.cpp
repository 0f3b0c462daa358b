#include "connector/storage/megaplan_repositories.h"

#include <soci/soci.h>

namespace opdesk::storage {

namespace {
constexpr const char* kAccountColumns =
    "tenant_id, host, base_url, login, employee_id, token_sealed, token_expires_at_ms, state,"
    " last_error, version, created_at_ms, updated_at_ms, connected_via, account_host,"
    " unique_account_id";

std::vector<MegaplanAccount> QueryAccounts(
    Session& s, const std::string& tenant_id,
    const std::string& where = "tenant_id = :t OR :all = 1") {
  MegaplanAccount a;
  int all = tenant_id.empty() ? 1 : 0;
  soci::statement st =
      (s.sql().prepare << std::string("SELECT ") + kAccountColumns +
                              " FROM megaplan_accounts WHERE " + where + " ORDER BY tenant_id",
       soci::into(a.tenant_id), soci::into(a.host), soci::into(a.base_url), soci::into(a.login),
       soci::into(a.employee_id), soci::into(a.token_sealed), soci::into(a.token_expires_at_ms),
       soci::into(a.state), soci::into(a.last_error), soci::into(a.version),
       soci::into(a.created_at_ms), soci::into(a.updated_at_ms), soci::into(a.connected_via),
       soci::into(a.account_host), soci::into(a.unique_account_id), soci::use(tenant_id),
       soci::use(all));
  std::vector<MegaplanAccount> out;
  if (st.execute(true)) {
    do {
      out.push_back(a);
    } while (st.fetch());
  }
  return out;
}
}  // namespace

void MegaplanAccountRepository::Save(Session& s, const MegaplanAccount& a) {
  s.sql() << std::string("INSERT INTO megaplan_accounts (") + kAccountColumns +
                 ") VALUES (:t, :h, :b, :l, :e, :tok, :exp, :st, :err, 1, :c, :u, 'password',"
                 " '', '')" +
                 UpsertClause(s.dialect(), "tenant_id",
                              {"host", "base_url", "login", "employee_id", "token_sealed",
                               "token_expires_at_ms", "state", "last_error", "updated_at_ms",
                               "connected_via"}) +
                 ", version = megaplan_accounts.version + 1",
      soci::use(a.tenant_id), soci::use(a.host), soci::use(a.base_url), soci::use(a.login),
      soci::use(a.employee_id), soci::use(a.token_sealed), soci::use(a.token_expires_at_ms),
      soci::use(a.state), soci::use(a.last_error), soci::use(a.created_at_ms),
      soci::use(a.updated_at_ms);
}

void MegaplanAccountRepository::SaveApplication(Session& s, const MegaplanAccount& a) {
  s.sql() << std::string("INSERT INTO megaplan_accounts (") + kAccountColumns +
                 ") VALUES (:t, :h, :b, :l, :e, :tok, :exp, :st, :err, 1, :c, :u, 'application',"
                 " :ah, :uid)" +
                 UpsertClause(s.dialect(), "tenant_id",
                              {"base_url", "employee_id", "token_sealed", "token_expires_at_ms",
                               "state", "last_error", "updated_at_ms", "connected_via",
                               "account_host", "unique_account_id"}) +
                 ", version = megaplan_accounts.version + 1",
      soci::use(a.tenant_id), soci::use(a.host), soci::use(a.base_url), soci::use(a.login),
      soci::use(a.employee_id), soci::use(a.token_sealed), soci::use(a.token_expires_at_ms),
      soci::use(a.state), soci::use(a.last_error), soci::use(a.created_at_ms),
      soci::use(a.updated_at_ms), soci::use(a.account_host), soci::use(a.unique_account_id);
}

std::optional<MegaplanAccount> MegaplanAccountRepository::FindByApplication(
    Session& s, const std::string& host, const std::string& unique_account_id) {
  if (!unique_account_id.empty()) {
    std::vector<MegaplanAccount> found =
        QueryAccounts(s, unique_account_id, "unique_account_id = :t AND :all = 0");
    if (!found.empty()) {
      return found.front();
    }
  }
  if (!host.empty()) {
    std::vector<MegaplanAccount> found = QueryAccounts(s, "megaplan:" + host);
    if (found.empty()) {
      found = QueryAccounts(s, host, "account_host = :t AND :all = 0");
    }
    if (found.empty()) {
      found = QueryAccounts(s, host, "host = :t AND :all = 0");
    }
    if (!found.empty()) {
      return found.front();
    }
  }
  return std::nullopt;
}

long long MegaplanAccountRepository::IndexGeneration(Session& s, const std::string& tenant_id) {
  long long generation = 0;
  s.sql() << "SELECT index_generation FROM megaplan_accounts WHERE tenant_id = :t",
      soci::into(generation), soci::use(tenant_id);
  return s.sql().got_data() ? generation : 0;
}

long long MegaplanAccountRepository::BumpIndexGeneration(Session& s, const std::string& tenant_id) {
  s.sql() << "UPDATE megaplan_accounts SET index_generation = index_generation + 1"
             " WHERE tenant_id = :t",
      soci::use(tenant_id);
  return IndexGeneration(s, tenant_id);
}

void MegaplanAccountRepository::SaveV1Credentials(Session& s, const std::string& tenant_id,
                                                  const std::string& access_id,
                                                  const std::string& secret_sealed) {
  s.sql() << "UPDATE megaplan_accounts SET v1_access_id = :a, v1_secret_sealed = :s"
             " WHERE tenant_id = :t",
      soci::use(access_id), soci::use(secret_sealed), soci::use(tenant_id);
}

std::pair<std::string, std::string> MegaplanAccountRepository::V1Credentials(
    Session& s, const std::string& tenant_id) {
  std::pair<std::string, std::string> out;
  s.sql() << "SELECT v1_access_id, v1_secret_sealed FROM megaplan_accounts WHERE tenant_id = :t",
      soci::into(out.first), soci::into(out.second), soci::use(tenant_id);
  return s.sql().got_data() ? out : std::pair<std::string, std::string>{};
}

std::optional<MegaplanAccount> MegaplanAccountRepository::Find(Session& s,
                                                               const std::string& tenant_id) {
  if (tenant_id.empty()) {
    return std::nullopt;
  }
  std::vector<MegaplanAccount> found = QueryAccounts(s, tenant_id);
  if (found.empty()) {
    return std::nullopt;
  }
  return found.front();
}

std::vector<MegaplanAccount> MegaplanAccountRepository::List(Session& s) {
  return QueryAccounts(s, "");
}

void MegaplanAccountRepository::MarkRefused(Session& s, const std::string& tenant_id,
                                            const std::string& error, EpochMs now) {
  const std::string text = error.substr(0, 500);
  s.sql() << "UPDATE megaplan_accounts SET state = 'refused', last_error = :e, updated_at_ms = :n"
             " WHERE tenant_id = :t",
      soci::use(text), soci::use(now), soci::use(tenant_id);
}

MegaplanCall MegaplanCallRepository::Insert(Session& s, const MegaplanCall& c) {
  soci::statement st =
      (s.sql().prepare << "INSERT INTO megaplan_calls (tenant_id, call_id, phone, direction,"
                          " line_number, user_id, record_key, started_at_s, comment_id,"
                          " finish_state, created_at_ms) VALUES (:t, :c, :p, :d, :l, :u, :r, :s,"
                          " '', '', :n)" +
                              InsertIgnoreClause(s.dialect(), "tenant_id, call_id"),
       soci::use(c.tenant_id), soci::use(c.call_id), soci::use(c.phone), soci::use(c.direction),
       soci::use(c.line_number), soci::use(c.user_id), soci::use(c.record_key),
       soci::use(c.started_at_s), soci::use(c.created_at_ms));
  ExecuteInsertUnlessDuplicate(st);
  return *Find(s, c.tenant_id, c.call_id);
}

std::optional<MegaplanCall> MegaplanCallRepository::Find(Session& s, const std::string& tenant_id,
                                                         const std::string& call_id) {
  MegaplanCall c;
  c.tenant_id = tenant_id;
  c.call_id = call_id;
  s.sql() << "SELECT phone, direction, line_number, user_id, record_key, started_at_s,"
             " comment_id, finish_state, created_at_ms FROM megaplan_calls"
             " WHERE tenant_id = :t AND call_id = :c",
      soci::into(c.phone), soci::into(c.direction), soci::into(c.line_number),
      soci::into(c.user_id), soci::into(c.record_key), soci::into(c.started_at_s),
      soci::into(c.comment_id), soci::into(c.finish_state), soci::into(c.created_at_ms),
      soci::use(tenant_id), soci::use(call_id);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return c;
}

void MegaplanCallRepository::SetFinish(Session& s, const std::string& tenant_id,
                                       const std::string& call_id, const std::string& state,
                                       const std::string& comment_id,
                                       const std::string& record_key) {
  s.sql() << "UPDATE megaplan_calls SET finish_state = :s, comment_id = :c, record_key = :r"
             " WHERE tenant_id = :t AND call_id = :i",
      soci::use(state), soci::use(comment_id), soci::use(record_key), soci::use(tenant_id),
      soci::use(call_id);
}

void MegaplanCreatedRepository::Remember(Session& s, const std::string& tenant_id,
                                         const std::string& origin, const std::string& kind,
                                         const std::string& object_id, EpochMs now) {
  soci::statement st =
      (s.sql().prepare << "INSERT INTO megaplan_created (tenant_id, origin, kind, object_id,"
                          " created_at_ms) VALUES (:t, :o, :k, :i, :n)" +
                              InsertIgnoreClause(s.dialect(), "tenant_id, origin, kind"),
       soci::use(tenant_id), soci::use(origin), soci::use(kind), soci::use(object_id),
       soci::use(now));
  ExecuteInsertUnlessDuplicate(st);
}

std::vector<std::pair<std::string, std::string>> MegaplanCreatedRepository::Find(
    Session& s, const std::string& tenant_id, const std::string& origin) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string kind;
  std::string id;
  soci::statement st = (s.sql().prepare << "SELECT kind, object_id FROM megaplan_created"
                                           " WHERE tenant_id = :t AND origin = :o",
                        soci::into(kind), soci::into(id), soci::use(tenant_id), soci::use(origin));
  if (st.execute(true)) {
    do {
      out.emplace_back(kind, id);
    } while (st.fetch());
  }
  return out;
}

}  // namespace opdesk::storage
