#include <string>
#include <vector>

#include "connector/storage/migration_list.h"

namespace opdesk::storage {

std::vector<Migration> MigrationsV1ToV7() {
  return {
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
  };
}

}  // namespace opdesk::storage
