#include "connector/storage/migrations.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <functional>

#include "connector/domain/error.h"

namespace opdesk::storage {
namespace {

// A migration is a list of statements written once for both dialects; the placeholders
// {id} {text} {opts} expand per dialect. Never edit a released migration: add a new one.
struct Migration {
  int version;
  const char* name;
  std::vector<std::string> statements;
};

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       "tenants, users, jobs, events, audit_log",
       {
           "CREATE TABLE tenants ("
           " id VARCHAR(191) NOT NULL PRIMARY KEY,"
           " kind VARCHAR(32) NOT NULL,"
           " domain VARCHAR(255) NOT NULL DEFAULT '',"
           " status VARCHAR(32) NOT NULL DEFAULT 'active',"
           " plan VARCHAR(64) NOT NULL DEFAULT 'free',"
           " paid_until_ms BIGINT NOT NULL DEFAULT 0,"
           " time_zone VARCHAR(64) NOT NULL DEFAULT 'Europe/Moscow',"
           " version BIGINT NOT NULL DEFAULT 1,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",

           "CREATE TABLE users ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " user_id VARCHAR(64) NOT NULL,"
           " name VARCHAR(255) NOT NULL DEFAULT '',"
           " email VARCHAR(255) NOT NULL DEFAULT '',"
           " status VARCHAR(32) NOT NULL DEFAULT 'active',"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, user_id)){opts}",

           "CREATE TABLE jobs ("
           " id {id},"
           " tenant_id VARCHAR(191) NOT NULL,"
           " kind VARCHAR(64) NOT NULL,"
           " ordering_key VARCHAR(191) NOT NULL DEFAULT '',"
           " idempotency_key VARCHAR(191) NULL,"
           " payload {text} NOT NULL,"
           " priority INT NOT NULL DEFAULT 0,"
           " state VARCHAR(16) NOT NULL,"
           " attempts INT NOT NULL DEFAULT 0,"
           " max_attempts INT NOT NULL,"
           " run_at_ms BIGINT NOT NULL,"
           " deadline_ms BIGINT NOT NULL DEFAULT 0,"
           " lease_owner VARCHAR(64) NOT NULL DEFAULT '',"
           " lease_until_ms BIGINT NOT NULL DEFAULT 0,"
           " last_error_code VARCHAR(32) NOT NULL DEFAULT '',"
           " last_error {text} NULL,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL,"
           " finished_at_ms BIGINT NOT NULL DEFAULT 0){opts}",
           "CREATE INDEX jobs_runnable ON jobs (state, priority, run_at_ms)",
           "CREATE INDEX jobs_ordering ON jobs (tenant_id, ordering_key, state, id)",
           "CREATE UNIQUE INDEX jobs_idempotency ON jobs (tenant_id, idempotency_key)",
           "CREATE INDEX jobs_finished ON jobs (state, finished_at_ms)",

           "CREATE TABLE events ("
           " id {id},"
           " tenant_id VARCHAR(191) NOT NULL,"
           " source VARCHAR(32) NOT NULL,"
           " kind VARCHAR(64) NOT NULL,"
           " dedupe_key VARCHAR(191) NOT NULL,"
           " payload {text} NOT NULL,"
           " received_at_ms BIGINT NOT NULL){opts}",
           "CREATE UNIQUE INDEX events_dedupe ON events (tenant_id, source, dedupe_key)",

           "CREATE TABLE audit_log ("
           " id {id},"
           " tenant_id VARCHAR(191) NOT NULL,"
           " actor VARCHAR(191) NOT NULL,"
           " action VARCHAR(64) NOT NULL,"
           " object_type VARCHAR(64) NOT NULL,"
           " object_id VARCHAR(191) NOT NULL,"
           " before_json {text} NULL,"
           " after_json {text} NULL,"
           " at_ms BIGINT NOT NULL){opts}",
           "CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id)",
       }},
      {2,
       "Bitrix24 portals, per-user OAuth tokens, user roles",
       {
           // Secrets (*_sealed) are AES-GCM envelopes made by oauth/SecretBox.
           "CREATE TABLE b24_portals ("
           " tenant_id VARCHAR(191) NOT NULL PRIMARY KEY,"
           " domain VARCHAR(255) NOT NULL,"
           " client_endpoint VARCHAR(255) NOT NULL,"
           " server_endpoint VARCHAR(255) NOT NULL,"
           " application_token_sealed {text} NULL,"
           " scopes VARCHAR(255) NOT NULL DEFAULT '',"
           " app_status VARCHAR(8) NOT NULL DEFAULT '',"
           " state VARCHAR(32) NOT NULL DEFAULT 'installing',"
           " needs_reauth INT NOT NULL DEFAULT 0,"
           " installer_user_id VARCHAR(64) NOT NULL DEFAULT '',"
           " setup_done_at_ms BIGINT NOT NULL DEFAULT 0,"
           " rate_per_s INT NOT NULL DEFAULT 2,"
           " burst INT NOT NULL DEFAULT 50,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",
           "CREATE TABLE oauth_tokens ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " user_id VARCHAR(64) NOT NULL,"
           " access_token_sealed {text} NOT NULL,"
           " refresh_token_sealed {text} NOT NULL,"
           " access_expires_at_ms BIGINT NOT NULL,"
           " version BIGINT NOT NULL DEFAULT 1,"
           " updated_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, user_id)){opts}",
           "ALTER TABLE users ADD COLUMN role VARCHAR(64) NOT NULL DEFAULT ''",
       }},
      {3,
       "Mango VPBX connections, calls, employee map",
       {
           // tenant_key is the unguessable path segment of the webhook URL given to Mango.
           "CREATE TABLE mango_connections ("
           " tenant_id VARCHAR(191) NOT NULL PRIMARY KEY,"
           " tenant_key VARCHAR(64) NOT NULL,"
           " api_key VARCHAR(191) NOT NULL,"
           " api_salt_sealed {text} NOT NULL,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",
           "CREATE UNIQUE INDEX mango_connections_key ON mango_connections (tenant_key)",
           // One row per Mango entry_id: the call model's state and what the CRM knows of it.
           "CREATE TABLE calls ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " entry_id VARCHAR(191) NOT NULL,"
           " state_json {text} NOT NULL,"
           " crm_call_id VARCHAR(191) NOT NULL DEFAULT '',"
           " finished INT NOT NULL DEFAULT 0,"
           " version BIGINT NOT NULL DEFAULT 1,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, entry_id)){opts}",
           "CREATE INDEX calls_recent ON calls (tenant_id, created_at_ms)",
           // Mango extension → CRM user; source: crm (UF_PHONE_INNER), pbx (e-mail match), manual.
           "CREATE TABLE employee_map ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " extension VARCHAR(64) NOT NULL,"
           " crm_user_id VARCHAR(64) NOT NULL,"
           " source VARCHAR(16) NOT NULL,"
           " updated_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, extension)){opts}",
       }},
      {4,
       "Mango commands we sent",
       {
           // Our command_id → what it was for (a click-to-call's CRM CALL_ID), so the call it
           // produces is finished on that CALL_ID and its result/* can be answered.
           "CREATE TABLE mango_commands ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " command_id VARCHAR(191) NOT NULL,"
           " kind VARCHAR(32) NOT NULL,"
           " crm_call_id VARCHAR(191) NOT NULL DEFAULT '',"
           " crm_user_id VARCHAR(64) NOT NULL DEFAULT '',"
           " result INT NOT NULL DEFAULT 0,"
           " created_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, command_id)){opts}",
       }},
      {5,
       "external lines registered in the CRM",
       {
           "CREATE TABLE crm_lines ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " line_number VARCHAR(64) NOT NULL,"
           " registered_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, line_number)){opts}",
       }},
      {6,
       "integration settings",
       {
           "CREATE TABLE integration_settings ("
           " tenant_id VARCHAR(191) NOT NULL PRIMARY KEY,"
           " settings_json {text} NOT NULL,"
           " version BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",
       }},
      {7,
       "clients created for calls, Mango user directory",
       {
           // What register bound the call to ("CONTACT:7"): a known number needs no new client.
           "ALTER TABLE calls ADD COLUMN crm_entity VARCHAR(64) NOT NULL DEFAULT ''",
           // At most one client (and deal) per call: what was asked for, what was sent, what
           // came back. state 'sending' means an add may have reached the CRM.
           "CREATE TABLE call_clients ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " entry_id VARCHAR(191) NOT NULL,"
           " action VARCHAR(32) NOT NULL,"
           " phone VARCHAR(64) NOT NULL,"
           " state VARCHAR(16) NOT NULL,"
           " outcome VARCHAR(16) NOT NULL DEFAULT '',"
           " known_entity VARCHAR(64) NOT NULL DEFAULT '',"
           " lead_id VARCHAR(32) NOT NULL DEFAULT '',"
           " contact_id VARCHAR(32) NOT NULL DEFAULT '',"
           " deal_id VARCHAR(32) NOT NULL DEFAULT '',"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, entry_id)){opts}",
           // One call at a time creates a client for a number, across processes: two calls
           // from the same new number must not both find it unknown and both add it.
           "CREATE TABLE crm_client_locks ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " phone VARCHAR(64) NOT NULL,"
           " entry_id VARCHAR(191) NOT NULL,"
           " locked_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, phone)){opts}",
           // The VPBX's employees as config/users/request last listed them.
           "CREATE TABLE mango_directory ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " extension VARCHAR(64) NOT NULL,"
           " name VARCHAR(255) NOT NULL DEFAULT '',"
           " email VARCHAR(255) NOT NULL DEFAULT '',"
           " synced_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, extension)){opts}",
       }},
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
  return kMigrations;
}

std::string Expand(std::string sql, Dialect d) {
  auto replace = [&](const std::string& from, const std::string& to) {
    for (auto pos = sql.find(from); pos != std::string::npos; pos = sql.find(from, pos)) {
      sql.replace(pos, from.size(), to);
      pos += to.size();
    }
  };
  replace("{id}", AutoIdColumn(d));
  replace("{text}", LargeTextType(d));
  replace("{opts}", TableOptions(d));
  return sql;
}

void EnsureMigrationsTable(Session& s) {
  s.sql() << "CREATE TABLE IF NOT EXISTS schema_migrations ("
             " version INT NOT NULL PRIMARY KEY,"
             " name VARCHAR(255) NOT NULL,"
             " applied_at_ms BIGINT NOT NULL)" +
                 TableOptions(s.dialect());
}

int ReadCurrentVersion(Session& s) {
  int version = 0;
  soci::indicator ind = soci::i_null;
  s.sql() << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
  return ind == soci::i_ok ? version : 0;
}

bool MigrationsTableExists(Session& s) {
  int count = 0;
  if (s.dialect() == Dialect::kSqlite) {
    s.sql() << "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND "
               "name='schema_migrations'",
        soci::into(count);
  } else {
    s.sql() << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
               "AND table_name = 'schema_migrations'",
        soci::into(count);
  }
  return count > 0;
}

}  // namespace

int LatestSchemaVersion() {
  return AllMigrations().back().version;
}

SchemaStatus ReadSchemaStatus(Database& db) {
  SchemaStatus status;
  status.latest = LatestSchemaVersion();
  WithSession(db, [&](Session& s) {
    status.current = MigrationsTableExists(s) ? ReadCurrentVersion(s) : 0;
  });
  return status;
}

MigrateResult Migrate(Database& db, const Clock& clock, int up_to_version) {
  MigrateResult result;
  Session s = db.Lease();
  const bool mysql = s.dialect() == Dialect::kMysql;
  try {
    if (mysql) {
      int got = 0;
      soci::indicator ind;
      s.sql() << "SELECT GET_LOCK('opdesk_migrate', 60)", soci::into(got, ind);
      if (ind != soci::i_ok || got != 1) {
        throw Unavailable("another process holds the migration lock");
      }
    }
    EnsureMigrationsTable(s);
    result.from = ReadCurrentVersion(s);
    result.to = result.from;
    if (result.from > LatestSchemaVersion()) {
      throw Conflict("database schema version " + std::to_string(result.from) +
                     " is newer than this opdesk knows (" + std::to_string(LatestSchemaVersion()) +
                     "); upgrade opdesk");
    }
    for (const Migration& m : AllMigrations()) {
      if (m.version <= result.to || (up_to_version > 0 && m.version > up_to_version)) {
        continue;
      }
      // SQLite DDL is transactional, so a failed step leaves nothing behind. MySQL commits
      // each DDL statement implicitly; the version row is written last, so a failed step is
      // retried from its start after the cause is fixed.
      Transaction tx(s);
      if (!mysql && ReadCurrentVersion(s) >= m.version) {
        continue;
      }
      for (const std::string& statement : m.statements) {
        s.sql() << Expand(statement, s.dialect());
      }
      EpochMs now = clock.NowMs();
      int version = m.version;
      std::string name = m.name;
      s.sql() << "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES "
                 "(:v, :n, :t)",
          soci::use(version), soci::use(name), soci::use(now);
      tx.Commit();
      spdlog::info("event=migration_applied version={} name=\"{}\"", m.version, m.name);
      result.applied.push_back(m.version);
      result.to = m.version;
    }
    if (mysql) {
      s.sql() << "DO RELEASE_LOCK('opdesk_migrate')";
    }
  } catch (...) {
    if (mysql) {
      try {
        s.sql() << "DO RELEASE_LOCK('opdesk_migrate')";
      } catch (...) {
        s.MarkBroken();
      }
    }
    RethrowAsOpdeskError(&s);
  }
  return result;
}

}  // namespace opdesk::storage
