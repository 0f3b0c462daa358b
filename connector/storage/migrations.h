// Versioned schema migrations for both dialects, recorded in `schema_migrations`.
// `opdesk migrate` applies what is missing; `serve` refuses a schema newer than it knows and
// `/readyz` reports a schema that is behind.
#pragma once

#include <string>
#include <vector>

#include "connector/domain/clock.h"
#include "connector/storage/database.h"

namespace opdesk::storage {

struct SchemaStatus {
  int current = 0;  // highest applied version (0: empty database)
  int latest = 0;   // highest version this binary knows
  bool up_to_date() const { return current == latest; }
  bool too_new() const { return current > latest; }
};

struct MigrateResult {
  int from = 0;
  int to = 0;
  std::vector<int> applied;
};

int LatestSchemaVersion();
SchemaStatus ReadSchemaStatus(Database& db);
// Applies pending migrations in order, each in its own step, serialised across processes
// (MySQL: GET_LOCK; SQLite: the write lock). Throws Conflict if the database is newer.
// `up_to_version` > 0 stops after that version (tests of a migration's data conversion).
MigrateResult Migrate(Database& db, const Clock& clock, int up_to_version = 0);

}  // namespace opdesk::storage
