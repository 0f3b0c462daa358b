#include "connector/storage/migration_list.h"

namespace opdesk::storage {

std::vector<Migration> MigrationsV18() {
  return {
      {18,
       "dialing tasks' CRM filters",
       {
           // A task's CRM filter group (FEATURES F3): its conditions (JSON), the paging cursor
           // (the last CRM contact id taken; "" none yet), whether the CRM has no more, how many
           // contacts it gave the task and how many it offered that were not added.
           "CREATE TABLE campaign_crm_filters ("
           " task_id BIGINT NOT NULL PRIMARY KEY,"
           " tenant_id VARCHAR(191) NOT NULL,"
           " conditions {text} NOT NULL,"
           " cursor_id VARCHAR(32) NOT NULL,"
           " exhausted INT NOT NULL,"
           " taken BIGINT NOT NULL,"
           " skipped BIGINT NOT NULL,"
           " version BIGINT NOT NULL,"
           " updated_at_ms BIGINT NOT NULL){opts}",
       }},
  };
}

}  // namespace opdesk::storage
