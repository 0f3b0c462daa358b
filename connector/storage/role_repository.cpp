// Roles and the ordered buttons and scripts each shows (role_items).
#include <soci/soci.h>

#include <map>

#include "connector/storage/repositories.h"
#include "connector/storage/settings_repositories.h"

namespace opdesk::storage {
namespace {

constexpr const char* kRoleColumns =
    "id, tenant_id, name, system_key, keep_card_open, may_manage_settings, client_fields_json,"
    " version, created_at_ms, updated_at_ms";

// Rows of `where` (which binds :t and :x); items are filled in by the caller.
std::vector<RoleRow> QueryRoles(Session& s, const std::string& where, const std::string& tenant_id,
                                const std::string& x) {
  RoleRow r;
  std::string system_key;
  soci::indicator key_ind = soci::i_null;
  int keep = 0;
  int manage = 0;
  soci::statement st =
      (s.sql().prepare << std::string("SELECT ") + kRoleColumns +
                              " FROM roles WHERE tenant_id ="
                              " :t " +
                              where + " ORDER BY id",
       soci::into(r.id), soci::into(r.tenant_id), soci::into(r.name),
       soci::into(system_key, key_ind), soci::into(keep), soci::into(manage),
       soci::into(r.client_fields_json), soci::into(r.version), soci::into(r.created_at_ms),
       soci::into(r.updated_at_ms), soci::use(tenant_id), soci::use(x));
  std::vector<RoleRow> out;
  if (st.execute(true)) {
    do {
      RoleRow copy = r;
      copy.system_key = key_ind == soci::i_ok ? system_key : "";
      copy.keep_card_open = keep != 0;
      copy.may_manage_settings = manage != 0;
      out.push_back(std::move(copy));
    } while (st.fetch());
  }
  return out;
}

// Fills button_ids and script_ids of `roles` (all of one tenant) in their stored order.
void LoadItems(Session& s, const std::string& tenant_id, std::vector<RoleRow>& roles) {
  if (roles.empty()) {
    return;
  }
  std::map<long long, RoleRow*> by_id;
  for (RoleRow& r : roles) {
    by_id[r.id] = &r;
  }
  long long role_id = 0;
  std::string kind;
  long long item_id = 0;
  const long long only = roles.size() == 1 ? roles.front().id : 0;
  soci::statement st =
      (s.sql().prepare << "SELECT role_id, kind, item_id FROM role_items WHERE tenant_id = :t"
                          " AND (:o = 0 OR role_id = :o2) ORDER BY role_id, kind, position",
       soci::into(role_id), soci::into(kind), soci::into(item_id), soci::use(tenant_id),
       soci::use(only), soci::use(only));
  if (st.execute(true)) {
    do {
      auto it = by_id.find(role_id);
      if (it != by_id.end()) {
        (kind == "button" ? it->second->button_ids : it->second->script_ids).push_back(item_id);
      }
    } while (st.fetch());
  }
}

std::optional<RoleRow> One(Session& s, std::vector<RoleRow> rows, const std::string& tenant_id) {
  if (rows.empty()) {
    return std::nullopt;
  }
  rows.resize(1);
  LoadItems(s, tenant_id, rows);
  return rows.front();
}

void WriteItems(Session& s, const RoleRow& r) {
  s.sql() << "DELETE FROM role_items WHERE role_id = :r", soci::use(r.id);
  for (const auto& [kind, ids] :
       {std::pair<std::string, const std::vector<long long>*>{"button", &r.button_ids},
        {"script", &r.script_ids}}) {
    for (std::size_t i = 0; i < ids->size(); ++i) {
      const int position = static_cast<int>(i);
      const long long item = (*ids)[i];
      s.sql() << "INSERT INTO role_items (tenant_id, role_id, kind, item_id, position)"
                 " VALUES (:t, :r, :k, :i, :p)",
          soci::use(r.tenant_id), soci::use(r.id), soci::use(kind), soci::use(item),
          soci::use(position);
    }
  }
}

}  // namespace

long long RoleRepository::Insert(Session& s, const RoleRow& r) {
  const std::string key = r.system_key;
  soci::indicator key_ind = key.empty() ? soci::i_null : soci::i_ok;
  const int keep = r.keep_card_open ? 1 : 0;
  const int manage = r.may_manage_settings ? 1 : 0;
  s.sql() << "INSERT INTO roles (tenant_id, name, system_key, keep_card_open,"
             " may_manage_settings, client_fields_json, version, created_at_ms, updated_at_ms)"
             " VALUES (:t, :n, :k, :c, :m, :f, 1, :cr, :up)",
      soci::use(r.tenant_id), soci::use(r.name), soci::use(key, key_ind), soci::use(keep),
      soci::use(manage), soci::use(r.client_fields_json), soci::use(r.created_at_ms),
      soci::use(r.updated_at_ms);
  RoleRow stored = r;
  stored.id = LastInsertId(s, "roles");
  WriteItems(s, stored);
  return stored.id;
}

bool RoleRepository::Update(Session& s, const RoleRow& r, long long expected_version) {
  const int keep = r.keep_card_open ? 1 : 0;
  const int manage = r.may_manage_settings ? 1 : 0;
  soci::statement st = (s.sql().prepare << "UPDATE roles SET name = :n, keep_card_open = :c,"
                                           " may_manage_settings = :m, client_fields_json = :f,"
                                           " version = version + 1, updated_at_ms = :u"
                                           " WHERE tenant_id = :t AND id = :id AND version = :v",
                        soci::use(r.name), soci::use(keep), soci::use(manage),
                        soci::use(r.client_fields_json), soci::use(r.updated_at_ms),
                        soci::use(r.tenant_id), soci::use(r.id), soci::use(expected_version));
  st.execute(true);
  if (st.get_affected_rows() == 0) {
    return false;
  }
  WriteItems(s, r);
  return true;
}

std::optional<RoleRow> RoleRepository::Find(Session& s, const std::string& tenant_id,
                                            long long id) {
  return One(s, QueryRoles(s, "AND id = :x", tenant_id, std::to_string(id)), tenant_id);
}

std::optional<RoleRow> RoleRepository::FindSystem(Session& s, const std::string& tenant_id,
                                                  const std::string& system_key) {
  return One(s, QueryRoles(s, "AND system_key = :x", tenant_id, system_key), tenant_id);
}

std::optional<RoleRow> RoleRepository::FindByName(Session& s, const std::string& tenant_id,
                                                  const std::string& name) {
  return One(s, QueryRoles(s, "AND name = :x", tenant_id, name), tenant_id);
}

std::vector<RoleRow> RoleRepository::List(Session& s, const std::string& tenant_id) {
  std::vector<RoleRow> rows = QueryRoles(s, "AND :x = ''", tenant_id, "");
  LoadItems(s, tenant_id, rows);
  return rows;
}

bool RoleRepository::Delete(Session& s, const std::string& tenant_id, long long id,
                            long long expected_version) {
  soci::statement st = (s.sql().prepare << "DELETE FROM roles WHERE tenant_id = :t AND id = :id"
                                           " AND version = :v",
                        soci::use(tenant_id), soci::use(id), soci::use(expected_version));
  st.execute(true);
  if (st.get_affected_rows() == 0) {
    return false;
  }
  s.sql() << "DELETE FROM role_items WHERE role_id = :r", soci::use(id);
  return true;
}

std::vector<long long> RoleRepository::RemoveItem(Session& s, const std::string& tenant_id,
                                                  const std::string& kind, long long item_id,
                                                  EpochMs now) {
  std::vector<long long> roles;
  long long role_id = 0;
  soci::statement st =
      (s.sql().prepare << "SELECT role_id FROM role_items WHERE tenant_id = :t AND kind = :k"
                          " AND item_id = :i ORDER BY role_id",
       soci::into(role_id), soci::use(tenant_id), soci::use(kind), soci::use(item_id));
  if (st.execute(true)) {
    do {
      roles.push_back(role_id);
    } while (st.fetch());
  }
  s.sql() << "DELETE FROM role_items WHERE tenant_id = :t AND kind = :k AND item_id = :i",
      soci::use(tenant_id), soci::use(kind), soci::use(item_id);
  for (long long id : roles) {
    s.sql() << "UPDATE roles SET version = version + 1, updated_at_ms = :u WHERE tenant_id = :t"
               " AND id = :id",
        soci::use(now), soci::use(tenant_id), soci::use(id);
  }
  return roles;
}

}  // namespace opdesk::storage
