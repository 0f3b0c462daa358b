#include "connector/storage/migration_list.h"

namespace opdesk::storage {

std::vector<Migration> MigrationsV15() {
  return {
      {15,
       "megaplan application, phone index generation, API v1 credentials",
       {
           // How the account's token was obtained: "password" (a service user's sign-in) or
           // "application" (Megaplan opened opdesk's application URL with an application token).
           "ALTER TABLE megaplan_accounts ADD COLUMN connected_via VARCHAR(16) NOT NULL"
           " DEFAULT 'password'",
           // The launch's verified account address (accountId) and Megaplan's unique account id:
           // a later launch naming another unique id for the same host is refused.
           "ALTER TABLE megaplan_accounts ADD COLUMN account_host VARCHAR(255) NOT NULL"
           " DEFAULT ''",
           "ALTER TABLE megaplan_accounts ADD COLUMN unique_account_id VARCHAR(191) NOT NULL"
           " DEFAULT ''",
           // Goes up with every entity event about a client; each process drops its own phone
           // index of the account when it sees a generation it has not applied.
           "ALTER TABLE megaplan_accounts ADD COLUMN index_generation BIGINT NOT NULL DEFAULT 0",
           // API v1 credentials (AccessId, sealed SecretKey) from the password sign-in, for the
           // v1 Phone search when v3's search is unavailable; empty when the account gave none.
           "ALTER TABLE megaplan_accounts ADD COLUMN v1_access_id VARCHAR(255) NOT NULL"
           " DEFAULT ''",
           "ALTER TABLE megaplan_accounts ADD COLUMN v1_secret_sealed VARCHAR(1024) NOT NULL"
           " DEFAULT ''",
       }},
  };
}

}  // namespace opdesk::storage
