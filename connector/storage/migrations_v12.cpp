#include "connector/storage/migration_list.h"

namespace opdesk::storage {

std::vector<Migration> MigrationsV12() {
  return {
      {12,
       "megaplan accounts and calls",
       {
           // A Megaplan account connected with a service user's password (the password itself
           // is never stored): its API base, the sealed bearer token and when it ends, and
           // whether the account refused it (state 'refused' until someone signs in again).
           "CREATE TABLE megaplan_accounts ("
           " tenant_id VARCHAR(191) NOT NULL PRIMARY KEY,"
           " host VARCHAR(255) NOT NULL,"
           " base_url VARCHAR(512) NOT NULL,"
           " login VARCHAR(255) NOT NULL,"
           " employee_id VARCHAR(64) NOT NULL,"
           " token_sealed {text} NOT NULL,"
           " token_expires_at_ms BIGINT NOT NULL,"
           " state VARCHAR(32) NOT NULL,"
           " last_error VARCHAR(512) NOT NULL,"
           " version BIGINT NOT NULL,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",
           // A call as Megaplan's side knows it: Megaplan has no telephony API, so the call is
           // opdesk's own record until its finish writes the comment into the client's history.
           "CREATE TABLE megaplan_calls ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " call_id VARCHAR(191) NOT NULL,"
           " phone VARCHAR(64) NOT NULL,"
           " direction VARCHAR(16) NOT NULL,"
           " line_number VARCHAR(64) NOT NULL,"
           " user_id VARCHAR(64) NOT NULL,"
           " record_key VARCHAR(128) NOT NULL,"
           " started_at_s BIGINT NOT NULL,"
           " comment_id VARCHAR(64) NOT NULL,"
           " finish_state VARCHAR(16) NOT NULL,"
           " created_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, call_id)){opts}",
           // What opdesk created for a call's origin (Megaplan has no origin mark of its own):
           // how a rerun finds it.
           "CREATE TABLE megaplan_created ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " origin VARCHAR(191) NOT NULL,"
           " kind VARCHAR(16) NOT NULL,"
           " object_id VARCHAR(64) NOT NULL,"
           " created_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, origin, kind)){opts}",
       }},
  };
}

}  // namespace opdesk::storage
