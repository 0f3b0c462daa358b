#include "connector/storage/migration_list.h"

namespace opdesk::storage {

std::vector<Migration> MigrationsV20() {
  return {
      {20,
       "script number saves",
       {
           // FEATURES F2: the number of a call saved into the CRM field a script names, once
           // per call. The row is taken when the save is queued (a second run of a script in
           // the same call finds it and queues nothing) and marked done once the CRM took it.
           "CREATE TABLE script_number_saves ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " call_key VARCHAR(191) NOT NULL,"
           " state VARCHAR(16) NOT NULL,"
           " crm_record VARCHAR(64) NOT NULL,"
           " field_code VARCHAR(128) NOT NULL,"
           " phone VARCHAR(64) NOT NULL,"
           " updated_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, call_key)){opts}",
       }},
  };
}

}  // namespace opdesk::storage
