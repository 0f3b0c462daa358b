#include "connector/storage/migration_list.h"

namespace opdesk::storage {

std::vector<Migration> MigrationsV21() {
  return {
      {21,
       "callback reminders of dialing tasks",
       {
           // The due time a contact's operator was last reminded of (FEATURES F5): the sweep
           // sets it to due_at_ms in the transaction that queues the notification, so each
           // callback or next call is notified once, whichever process sweeps first.
           "ALTER TABLE campaign_contacts ADD reminded_due_ms BIGINT NOT NULL DEFAULT 0",
           // The sweep over every task: contacts in work whose time has come.
           "CREATE INDEX campaign_contacts_due ON campaign_contacts (status, due_at_ms)",
       }},
  };
}

}  // namespace opdesk::storage
