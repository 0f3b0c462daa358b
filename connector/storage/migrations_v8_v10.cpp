#include <string>
#include <vector>

#include "connector/storage/migration_list.h"

namespace opdesk::storage {

std::vector<Migration> MigrationsV8ToV10() {
  return {
      {8,
       "settings: roles and seats, buttons, scripts with versions and runs, CRM directory cache",
       {
           // system_key marks the Supervisor ('supervisor'); NULL for the tenant's own roles.
           "CREATE TABLE roles ("
           " id {id},"
           " tenant_id VARCHAR(191) NOT NULL,"
           " name VARCHAR(191) NOT NULL,"
           " system_key VARCHAR(32) NULL,"
           " keep_card_open INT NOT NULL DEFAULT 0,"
           " may_manage_settings INT NOT NULL DEFAULT 0,"
           " client_fields_json {text} NOT NULL,"
           " version BIGINT NOT NULL DEFAULT 1,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",
           "CREATE UNIQUE INDEX roles_name ON roles (tenant_id, name)",
           "CREATE UNIQUE INDEX roles_system ON roles (tenant_id, system_key)",
           // The buttons and scripts a role shows, in order (kind: 'button' or 'script').
           "CREATE TABLE role_items ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " role_id BIGINT NOT NULL,"
           " kind VARCHAR(8) NOT NULL,"
           " item_id BIGINT NOT NULL,"
           " position INT NOT NULL,"
           " PRIMARY KEY (role_id, kind, item_id)){opts}",
           "CREATE INDEX role_items_item ON role_items (tenant_id, kind, item_id)",
           "CREATE TABLE buttons ("
           " id {id},"
           " tenant_id VARCHAR(191) NOT NULL,"
           " name VARCHAR(191) NOT NULL,"
           " color VARCHAR(16) NOT NULL,"
           " actions_json {text} NOT NULL,"
           " version BIGINT NOT NULL DEFAULT 1,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",
           "CREATE INDEX buttons_tenant ON buttons (tenant_id, id)",
           // published_version: the latest published script_versions.version (0: none).
           "CREATE TABLE scripts ("
           " id {id},"
           " tenant_id VARCHAR(191) NOT NULL,"
           " name VARCHAR(191) NOT NULL,"
           " description {text} NOT NULL,"
           " draft_json {text} NOT NULL,"
           " published_version BIGINT NOT NULL DEFAULT 0,"
           " version BIGINT NOT NULL DEFAULT 1,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",
           "CREATE UNIQUE INDEX scripts_name ON scripts (tenant_id, name)",
           "CREATE TABLE script_versions ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " script_id BIGINT NOT NULL,"
           " version BIGINT NOT NULL,"
           " name VARCHAR(191) NOT NULL,"
           " description {text} NOT NULL,"
           " graph_json {text} NOT NULL,"
           " published_at_ms BIGINT NOT NULL,"
           " published_by VARCHAR(191) NOT NULL,"
           " PRIMARY KEY (script_id, version)){opts}",
           "CREATE INDEX script_versions_tenant ON script_versions (tenant_id, script_id)",
           "CREATE TABLE script_runs ("
           " id {id},"
           " tenant_id VARCHAR(191) NOT NULL,"
           " call_id VARCHAR(191) NOT NULL,"
           " user_id VARCHAR(64) NOT NULL,"
           " script_id BIGINT NOT NULL,"
           " version BIGINT NOT NULL,"
           " current_step VARCHAR(64) NOT NULL,"
           " path_json {text} NOT NULL,"
           " started_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",
           "CREATE INDEX script_runs_call ON script_runs (tenant_id, call_id)",
           "CREATE INDEX script_runs_script ON script_runs (tenant_id, script_id, version)",
           // What was read from the CRM (statuses, pipelines, fields, subscription) and when.
           "CREATE TABLE crm_cache ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " kind VARCHAR(32) NOT NULL,"
           " body_json {text} NOT NULL,"
           " fetched_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, kind)){opts}",
           "ALTER TABLE tenants ADD COLUMN plan_lapsed_at_ms BIGINT NOT NULL DEFAULT 0",
           "ALTER TABLE users ADD COLUMN role_id BIGINT NOT NULL DEFAULT 0",
           "ALTER TABLE users ADD COLUMN seat_blocked INT NOT NULL DEFAULT 0",
           "ALTER TABLE users ADD COLUMN seat_seq BIGINT NOT NULL DEFAULT 0",
           "CREATE INDEX users_role ON users (tenant_id, role_id)",
           // Existing tenants get their Supervisor role, and users.role = 'supervisor' becomes it.
           "INSERT INTO roles (tenant_id, name, system_key, keep_card_open, may_manage_settings,"
           " client_fields_json, version, created_at_ms, updated_at_ms)"
           " SELECT id, 'Супервайзер', 'supervisor', 1, 1, '[]', 1, created_at_ms, updated_at_ms"
           " FROM tenants",
           "UPDATE users SET role_id = (SELECT r.id FROM roles r WHERE r.tenant_id ="
           " users.tenant_id AND r.system_key = 'supervisor'), seat_seq = 1"
           " WHERE role = 'supervisor' AND tenant_id IN (SELECT id FROM tenants)",
           "ALTER TABLE users DROP COLUMN role",
       }},
      {9,
       "call card button presses",
       {
           // press_id is made by the page once per press dialog; a repeat is the same press.
           // actions_json holds each action with its state (queued, sending, done, failed).
           "CREATE TABLE button_presses ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " press_id VARCHAR(64) NOT NULL,"
           " user_id VARCHAR(64) NOT NULL,"
           " button_id VARCHAR(64) NOT NULL,"
           " call_id VARCHAR(191) NOT NULL DEFAULT '',"
           " entity VARCHAR(16) NOT NULL,"
           " entity_id VARCHAR(32) NOT NULL,"
           " actions_json {text} NOT NULL,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, press_id)){opts}",
       }},
      {10,
       "events retention index",
       {
           // Events older than retention.events_days are purged in batches, oldest first.
           "CREATE INDEX events_received ON events (received_at_ms)",
       }},
  };
}

}  // namespace opdesk::storage
