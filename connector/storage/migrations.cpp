#include "connector/storage/migrations.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <functional>
#include <utility>

#include "connector/domain/error.h"
#include "connector/storage/migration_list.h"

namespace opdesk::storage {
namespace {

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kMigrations = [] {
    std::vector<Migration> all = MigrationsV1ToV7();
    for (Migration& m : MigrationsV8ToV10()) {
      all.push_back(std::move(m));
    }
    for (Migration& m : MigrationsV11()) {
      all.push_back(std::move(m));
    }
    for (Migration& m : MigrationsV12()) {
      all.push_back(std::move(m));
    }
    for (Migration& m : MigrationsV13()) {
      all.push_back(std::move(m));
    }
    for (Migration& m : MigrationsV15()) {
      all.push_back(std::move(m));
    }
    for (Migration& m : MigrationsV16()) {
      all.push_back(std::move(m));
    }
    for (Migration& m : MigrationsV17()) {
      all.push_back(std::move(m));
    }
    for (Migration& m : MigrationsV18()) {
      all.push_back(std::move(m));
    }
    for (Migration& m : MigrationsV19()) {
      all.push_back(std::move(m));
    }
    for (Migration& m : MigrationsV20()) {
      all.push_back(std::move(m));
    }
    for (Migration& m : MigrationsV21()) {
      all.push_back(std::move(m));
    }
    return all;
  }();
  return kMigrations;
}

std::string Expand(std::string sql, Dialect d) {
  auto replace = [&](const std::string& from, const std::string& to) {
    for (auto pos = sql.find(from); pos != std::string::npos; pos = sql.find(from, pos)) {
      sql.replace(pos, from.size(), to);
      pos += to.size();
    }
  };
  replace("{id}", AutoIdColumn(d));
  replace("{text}", LargeTextType(d));
  replace("{opts}", TableOptions(d));
  return sql;
}

void EnsureMigrationsTable(Session& s) {
  s.sql() << "CREATE TABLE IF NOT EXISTS schema_migrations ("
             " version INT NOT NULL PRIMARY KEY,"
             " name VARCHAR(255) NOT NULL,"
             " applied_at_ms BIGINT NOT NULL)" +
                 TableOptions(s.dialect());
}

int ReadCurrentVersion(Session& s) {
  int version = 0;
  soci::indicator ind = soci::i_null;
  s.sql() << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
  return ind == soci::i_ok ? version : 0;
}

bool MigrationsTableExists(Session& s) {
  int count = 0;
  if (s.dialect() == Dialect::kSqlite) {
    s.sql() << "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND "
               "name='schema_migrations'",
        soci::into(count);
  } else {
    s.sql() << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
               "AND table_name = 'schema_migrations'",
        soci::into(count);
  }
  return count > 0;
}

}  // namespace

int LatestSchemaVersion() {
  return AllMigrations().back().version;
}

SchemaStatus ReadSchemaStatus(Database& db) {
  SchemaStatus status;
  status.latest = LatestSchemaVersion();
  WithSession(db, [&](Session& s) {
    status.current = MigrationsTableExists(s) ? ReadCurrentVersion(s) : 0;
  });
  return status;
}

MigrateResult Migrate(Database& db, const Clock& clock, int up_to_version) {
  MigrateResult result;
  Session s = db.Lease();
  const bool mysql = s.dialect() == Dialect::kMysql;
  try {
    if (mysql) {
      int got = 0;
      soci::indicator ind;
      s.sql() << "SELECT GET_LOCK('opdesk_migrate', 60)", soci::into(got, ind);
      if (ind != soci::i_ok || got != 1) {
        throw Unavailable("another process holds the migration lock");
      }
    }
    EnsureMigrationsTable(s);
    result.from = ReadCurrentVersion(s);
    result.to = result.from;
    if (result.from > LatestSchemaVersion()) {
      throw Conflict("database schema version " + std::to_string(result.from) +
                     " is newer than this opdesk knows (" + std::to_string(LatestSchemaVersion()) +
                     "); upgrade opdesk");
    }
    for (const Migration& m : AllMigrations()) {
      if (m.version <= result.to || (up_to_version > 0 && m.version > up_to_version)) {
        continue;
      }
      // SQLite DDL is transactional, so a failed step leaves nothing behind. MySQL commits
      // each DDL statement implicitly; the version row is written last, so a failed step is
      // retried from its start after the cause is fixed.
      Transaction tx(s);
      if (!mysql && ReadCurrentVersion(s) >= m.version) {
        continue;
      }
      for (const std::string& statement : m.statements) {
        s.sql() << Expand(statement, s.dialect());
      }
      EpochMs now = clock.NowMs();
      int version = m.version;
      std::string name = m.name;
      s.sql() << "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES "
                 "(:v, :n, :t)",
          soci::use(version), soci::use(name), soci::use(now);
      tx.Commit();
      spdlog::info("event=migration_applied version={} name=\"{}\"", m.version, m.name);
      result.applied.push_back(m.version);
      result.to = m.version;
    }
    if (mysql) {
      s.sql() << "DO RELEASE_LOCK('opdesk_migrate')";
    }
  } catch (...) {
    if (mysql) {
      try {
        s.sql() << "DO RELEASE_LOCK('opdesk_migrate')";
      } catch (...) {
        s.MarkBroken();
      }
    }
    RethrowAsOpdeskError(&s);
  }
  return result;
}

}  // namespace opdesk::storage
