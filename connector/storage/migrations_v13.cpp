#include "connector/storage/migration_list.h"

namespace opdesk::storage {

std::vector<Migration> MigrationsV13() {
  return {
      {13,
       "reception wizard",
       {
           // One settings document per tenant (service types, departments, managers), with a
           // version for optimistic concurrency, like integration_settings.
           "CREATE TABLE reception_settings ("
           " tenant_id VARCHAR(191) NOT NULL PRIMARY KEY,"
           " settings_json {text} NOT NULL,"
           " version BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",
           // Inquiries by the page's request id, so a repeated accept creates one record.
           "CREATE TABLE reception_inquiries ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " request_id VARCHAR(64) NOT NULL,"
           " user_id VARCHAR(64) NOT NULL,"
           " state VARCHAR(16) NOT NULL,"
           " record VARCHAR(64) NOT NULL DEFAULT '',"
           " task_id VARCHAR(64) NOT NULL DEFAULT '',"
           " error {text} NOT NULL,"
           " created_at_ms BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, request_id)){opts}",
           // The card names a call by the CRM's CALL_ID; the wizard finds its legs by it.
           "CREATE INDEX calls_crm_call ON calls (tenant_id, crm_call_id)",
           // Calls going on now, for the managers' line state.
           "CREATE INDEX calls_open ON calls (tenant_id, finished, updated_at_ms)",
       }},
  };
}

}  // namespace opdesk::storage
