#include "connector/storage/migration_list.h"

namespace opdesk::storage {

std::vector<Migration> MigrationsV16() {
  return {
      {16,
       "events applied after the acknowledgement",
       {
           // 1 while a stored event still has to be applied to its call and jobs (the Mango
           // ingest answers once the event is stored; the applier does the rest). Rows stored
           // before this version were applied when they were stored.
           "ALTER TABLE events ADD COLUMN pending INTEGER NOT NULL DEFAULT 0",
           "CREATE INDEX events_pending ON events (pending, id)",
           // One row: the applier of whichever process holds its lock applies the stored
           // events, so two processes on one database never apply the same event twice.
           "CREATE TABLE event_applier (id INTEGER NOT NULL PRIMARY KEY,"
           " updated_at_ms BIGINT NOT NULL){opts}",
           "INSERT INTO event_applier (id, updated_at_ms) VALUES (1, 0)",
       }},
  };
}

}  // namespace opdesk::storage
