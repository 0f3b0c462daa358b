// Storage of Bitrix24 portals and per-user OAuth tokens. Like every repository, methods take the
// caller's Session so they can join its transaction; LockTokens takes the row lock that serialises
// token refresh across processes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connector/storage/bitrix24_records.h"
#include "connector/storage/database.h"

namespace opdesk::storage {

class B24PortalRepository {
 public:
  static void Upsert(Session& s, const B24Portal& portal);
  static std::optional<B24Portal> Find(Session& s, const std::string& tenant_id);
  // Find, through the database's ReadCache: for the REST calls of the call path, never for a
  // read that is written back (another process's change shows within ReadCache::kTtl).
  static std::optional<B24Portal> FindRecent(Session& s, const std::string& tenant_id);
  static std::vector<B24Portal> List(Session& s);
  static void SetNeedsReauth(Session& s, const std::string& tenant_id, bool value, EpochMs now);
  static void SetDomain(Session& s, const std::string& tenant_id, const std::string& domain,
                        const std::string& client_endpoint, EpochMs now);
  static void Delete(Session& s, const std::string& tenant_id);
};

class TokenRepository {
 public:
  // Inserts or replaces the tokens of one user; bumps the version.
  static void Save(Session& s, const SealedTokens& tokens);
  static std::optional<SealedTokens> Find(Session& s, const std::string& tenant_id,
                                          const std::string& user_id);
  // Like Find, but inside a transaction it holds the row until commit: SELECT … FOR UPDATE on
  // MySQL; on SQLite the transaction's write lock already serialises writers.
  static std::optional<SealedTokens> Lock(Session& s, const std::string& tenant_id,
                                          const std::string& user_id);
  static int DeleteByTenant(Session& s, const std::string& tenant_id);
};

}  // namespace opdesk::storage
