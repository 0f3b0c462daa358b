#include "connector/storage/migration_list.h"

namespace opdesk::storage {

std::vector<Migration> MigrationsV11() {
  return {
      {11,
       "mango command slots",
       {
           // The next free slot per VPBX of a rate-limited command kind (routes to the
           // responsible: 1 per 2 s), shared by every process.
           "CREATE TABLE mango_command_slots ("
           " tenant_id VARCHAR(191) NOT NULL,"
           " kind VARCHAR(64) NOT NULL,"
           " next_at_ms BIGINT NOT NULL,"
           " PRIMARY KEY (tenant_id, kind)){opts}",
       }},
  };
}

}  // namespace opdesk::storage
