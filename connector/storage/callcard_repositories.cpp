#include "connector/storage/callcard_repositories.h"

#include <soci/soci.h>

namespace opdesk::storage {
namespace {

std::optional<PressRow> Query(Session& s, const std::string& tenant_id, const std::string& press_id,
                              bool lock) {
  PressRow r;
  std::string sql =
      "SELECT tenant_id, press_id, user_id, button_id, call_id, entity, entity_id, actions_json,"
      " created_at_ms, updated_at_ms FROM button_presses WHERE tenant_id = :t AND press_id = :p";
  if (lock && s.dialect() == Dialect::kMysql) {
    sql += " FOR UPDATE";
  }
  s.sql() << sql, soci::into(r.tenant_id), soci::into(r.press_id), soci::into(r.user_id),
      soci::into(r.button_id), soci::into(r.call_id), soci::into(r.entity), soci::into(r.entity_id),
      soci::into(r.actions_json), soci::into(r.created_at_ms), soci::into(r.updated_at_ms),
      soci::use(tenant_id), soci::use(press_id);
  if (!s.sql().got_data()) {
    return std::nullopt;
  }
  return r;
}

}  // namespace

bool ButtonPressRepository::Insert(Session& s, const PressRow& r) {
  soci::statement st =
      (s.sql().prepare << "INSERT INTO button_presses (tenant_id, press_id, user_id, button_id,"
                          " call_id, entity, entity_id, actions_json, created_at_ms,"
                          " updated_at_ms) VALUES (:t, :p, :u, :b, :c, :e, :ei, :a, :ca, :ua)" +
                              InsertIgnoreClause(s.dialect(), "tenant_id, press_id"),
       soci::use(r.tenant_id), soci::use(r.press_id), soci::use(r.user_id), soci::use(r.button_id),
       soci::use(r.call_id), soci::use(r.entity), soci::use(r.entity_id), soci::use(r.actions_json),
       soci::use(r.created_at_ms), soci::use(r.updated_at_ms));
  return ExecuteInsertUnlessDuplicate(st);
}

std::optional<PressRow> ButtonPressRepository::Find(Session& s, const std::string& tenant_id,
                                                    const std::string& press_id) {
  return Query(s, tenant_id, press_id, false);
}

std::optional<PressRow> ButtonPressRepository::Lock(Session& s, const std::string& tenant_id,
                                                    const std::string& press_id) {
  return Query(s, tenant_id, press_id, true);
}

void ButtonPressRepository::SaveActions(Session& s, const std::string& tenant_id,
                                        const std::string& press_id,
                                        const std::string& actions_json, EpochMs now) {
  s.sql() << "UPDATE button_presses SET actions_json = :a, updated_at_ms = :u"
             " WHERE tenant_id = :t AND press_id = :p",
      soci::use(actions_json), soci::use(now), soci::use(tenant_id), soci::use(press_id);
}

}  // namespace opdesk::storage
