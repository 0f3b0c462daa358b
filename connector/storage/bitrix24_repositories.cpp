#include "connector/storage/bitrix24_repositories.h"

#include <soci/soci.h>

#include "connector/storage/read_cache.h"

namespace opdesk::storage {

// ---- portals ----

void B24PortalRepository::Upsert(Session& s, const B24Portal& p) {
  s.cache().portals.Clear();
  int needs_reauth = p.needs_reauth ? 1 : 0;
  soci::indicator app_token_ind = p.application_token_sealed.empty() ? soci::i_null : soci::i_ok;
  s.sql() << "INSERT INTO b24_portals (tenant_id, domain, client_endpoint, server_endpoint,"
             " application_token_sealed, scopes, app_status, state, needs_reauth,"
             " installer_user_id, setup_done_at_ms, rate_per_s, burst, created_at_ms,"
             " updated_at_ms) VALUES (:t, :d, :ce, :se, :at, :sc, :as, :st, :nr, :iu, :sd, :r,"
             " :b, :c, :u)" +
                 UpsertClause(
                     s.dialect(), "tenant_id",
                     {"domain", "client_endpoint", "server_endpoint", "application_token_sealed",
                      "scopes", "app_status", "state", "needs_reauth", "installer_user_id",
                      "setup_done_at_ms", "rate_per_s", "burst", "updated_at_ms"}),
      soci::use(p.tenant_id), soci::use(p.domain), soci::use(p.client_endpoint),
      soci::use(p.server_endpoint), soci::use(p.application_token_sealed, app_token_ind),
      soci::use(p.scopes), soci::use(p.app_status), soci::use(p.state), soci::use(needs_reauth),
      soci::use(p.installer_user_id), soci::use(p.setup_done_at_ms), soci::use(p.rate_per_s),
      soci::use(p.burst), soci::use(p.created_at_ms), soci::use(p.updated_at_ms);
}

namespace {

std::vector<B24Portal> QueryPortals(Session& s, const std::string& tenant_id) {
  B24Portal p;
  std::string app_token;
  soci::indicator app_token_ind = soci::i_null;
  int needs_reauth = 0;
  int all = tenant_id.empty() ? 1 : 0;
  soci::statement st =
      (s.sql().prepare << "SELECT tenant_id, domain, client_endpoint, server_endpoint,"
                          " application_token_sealed, scopes, app_status, state, needs_reauth,"
                          " installer_user_id, setup_done_at_ms, rate_per_s, burst,"
                          " created_at_ms, updated_at_ms FROM b24_portals"
                          " WHERE tenant_id = :t OR :all = 1 ORDER BY tenant_id",
       soci::into(p.tenant_id), soci::into(p.domain), soci::into(p.client_endpoint),
       soci::into(p.server_endpoint), soci::into(app_token, app_token_ind), soci::into(p.scopes),
       soci::into(p.app_status), soci::into(p.state), soci::into(needs_reauth),
       soci::into(p.installer_user_id), soci::into(p.setup_done_at_ms), soci::into(p.rate_per_s),
       soci::into(p.burst), soci::into(p.created_at_ms), soci::into(p.updated_at_ms),
       soci::use(tenant_id), soci::use(all));
  std::vector<B24Portal> out;
  if (st.execute(true)) {
    do {
      B24Portal copy = p;
      copy.application_token_sealed = app_token_ind == soci::i_ok ? app_token : std::string();
      copy.needs_reauth = needs_reauth != 0;
      out.push_back(std::move(copy));
    } while (st.fetch());
  }
  return out;
}

}  // namespace

std::optional<B24Portal> B24PortalRepository::Find(Session& s, const std::string& tenant_id) {
  if (tenant_id.empty()) {
    return std::nullopt;
  }
  auto rows = QueryPortals(s, tenant_id);
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front();
}

std::optional<B24Portal> B24PortalRepository::FindRecent(Session& s, const std::string& tenant_id) {
  auto& kept = s.cache().portals;
  const std::uint64_t generation = kept.generation();
  if (std::optional<std::optional<B24Portal>> row = kept.Get(tenant_id)) {
    return *row;
  }
  std::optional<B24Portal> row = Find(s, tenant_id);
  kept.Put(tenant_id, row, generation);
  return row;
}

std::vector<B24Portal> B24PortalRepository::List(Session& s) {
  return QueryPortals(s, "");
}

void B24PortalRepository::SetNeedsReauth(Session& s, const std::string& tenant_id, bool value,
                                         EpochMs now) {
  s.cache().portals.Clear();
  int v = value ? 1 : 0;
  s.sql() << "UPDATE b24_portals SET needs_reauth = :v, updated_at_ms = :u WHERE tenant_id = :t",
      soci::use(v), soci::use(now), soci::use(tenant_id);
}

void B24PortalRepository::SetDomain(Session& s, const std::string& tenant_id,
                                    const std::string& domain, const std::string& client_endpoint,
                                    EpochMs now) {
  s.cache().portals.Clear();
  s.sql() << "UPDATE b24_portals SET domain = :d, client_endpoint = :c, updated_at_ms = :u"
             " WHERE tenant_id = :t",
      soci::use(domain), soci::use(client_endpoint), soci::use(now), soci::use(tenant_id);
}

void B24PortalRepository::Delete(Session& s, const std::string& tenant_id) {
  s.cache().portals.Clear();
  s.sql() << "DELETE FROM b24_portals WHERE tenant_id = :t", soci::use(tenant_id);
}

// ---- tokens ----

void TokenRepository::Save(Session& s, const SealedTokens& t) {
  s.sql() << "INSERT INTO oauth_tokens (tenant_id, user_id, access_token_sealed,"
             " refresh_token_sealed, access_expires_at_ms, version, updated_at_ms) VALUES"
             " (:t, :u, :a, :r, :e, 1, :m)" +
                 UpsertClause(s.dialect(), "tenant_id, user_id",
                              {"access_token_sealed", "refresh_token_sealed",
                               "access_expires_at_ms", "updated_at_ms"}) +
                 ", version = oauth_tokens.version + 1",
      soci::use(t.tenant_id), soci::use(t.user_id), soci::use(t.access_token_sealed),
      soci::use(t.refresh_token_sealed), soci::use(t.access_expires_at_ms),
      soci::use(t.updated_at_ms);
}

namespace {
std::optional<SealedTokens> QueryTokens(Session& s, const std::string& tenant_id,
                                        const std::string& user_id, bool lock) {
  SealedTokens t;
  std::string sql =
      "SELECT tenant_id, user_id, access_token_sealed, refresh_token_sealed,"
      " access_expires_at_ms, version, updated_at_ms FROM oauth_tokens"
      " WHERE tenant_id = :t AND user_id = :u";
  if (lock && s.dialect() == Dialect::kMysql) {
    sql += " FOR UPDATE";
  }
  s.sql() << sql, soci::into(t.tenant_id), soci::into(t.user_id), soci::into(t.access_token_sealed),
      soci::into(t.refresh_token_sealed), soci::into(t.access_expires_at_ms), soci::into(t.version),
      soci::into(t.updated_at_ms), soci::use(tenant_id), soci::use(user_id);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return t;
}
}  // namespace

std::optional<SealedTokens> TokenRepository::Find(Session& s, const std::string& tenant_id,
                                                  const std::string& user_id) {
  return QueryTokens(s, tenant_id, user_id, false);
}

std::optional<SealedTokens> TokenRepository::Lock(Session& s, const std::string& tenant_id,
                                                  const std::string& user_id) {
  return QueryTokens(s, tenant_id, user_id, true);
}

int TokenRepository::DeleteByTenant(Session& s, const std::string& tenant_id) {
  soci::statement st =
      (s.sql().prepare << "DELETE FROM oauth_tokens WHERE tenant_id = :t", soci::use(tenant_id));
  st.execute(true);
  return static_cast<int>(st.get_affected_rows());
}

}  // namespace opdesk::storage
