// OAuth tokens of portal users: sealed at rest, handed out in clear to the REST client, refreshed
// single-flight. Refresh tokens rotate (each refresh consumes the old one), so two refreshes of one
// user at once would lose a token: refresh runs under an in-process mutex per (portal, user) and a
// database row lock, and a caller whose token was refreshed meanwhile just takes the new one.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/bitrix24/access_tokens.h"
#include "adapters/http_transport.h"
#include "connector/domain/clock.h"
#include "connector/storage/bitrix24_records.h"
#include "connector/storage/database.h"
#include "oauth/secret_box.h"

namespace opdesk::bitrix24 {

struct AppCredentials {
  std::string client_id;
  std::string client_secret;
  // The auth server (bitrix24.oauth_url): the only place the secret and refresh tokens go. Never
  // taken from a request or a portal's answer.
  std::string oauth_url;
  bool allow_insecure = false;  // also a plain http or loopback auth server
};

// A token grant as the auth server or the portal hands it over.
struct TokenGrant {
  std::string access_token;
  std::string refresh_token;
  long long expires_in_s = 3600;
  std::string member_id;
  std::string domain;           // the portal, where the grant names it
  std::string client_endpoint;  // https://portal/rest/
  std::string server_endpoint;
  std::string scope;
  std::string status;
  std::string user_id;
};

class TokenStore final : public AccessTokens {
 public:
  TokenStore(storage::Database& db, const crypto::SecretBox& box, const Clock& clock,
             adapters::HttpTransport& http, AppCredentials credentials);

  void Save(const std::string& tenant_id, const std::string& user_id, const TokenGrant& grant);
  // Throws Unauthenticated when the user has no tokens.
  AccessToken Get(const std::string& tenant_id, const std::string& user_id) override;
  // Refreshes unless someone already did since `seen_version`; returns the current token.
  // After invalid_grant the stored token is read again (another process may have won the race)
  // before the portal is marked as needing re-authorization (then Unauthenticated).
  AccessToken Refresh(const std::string& tenant_id, const std::string& user_id,
                      long long seen_version) override;
  // Uses a refresh token with the configured auth server: the trusted way to learn which portal
  // (member_id, client_endpoint) a token belongs to. Throws Unauthenticated on
  // invalid_grant/invalid_client. Error texts never carry the secret or the tokens.
  TokenGrant Exchange(const std::string& refresh_token);

  long long refreshes() const { return refreshes_.load(); }
  long long invalid_grants() const { return invalid_grants_.load(); }

 private:
  std::mutex& UserMutex(const std::string& tenant_id, const std::string& user_id);
  // The stored access token, read from the database (no cache).
  AccessToken ReadStored(const std::string& tenant_id, const std::string& user_id);
  // Stores a refreshed grant over the row it replaced.
  AccessToken StoreRefreshed(storage::Session& s, SealedTokens row, const TokenGrant& grant);
  void Remember(const std::string& tenant_id, const std::string& user_id, const AccessToken& token);

  // Opened access tokens are kept for a moment: a busy portal's REST calls would otherwise each
  // pay a query and a decryption. A token that went stale meanwhile (another process refreshed
  // it) is answered expired_token by the portal, and Refresh then finds the newer one.
  struct CachedToken {
    AccessToken token;
    EpochMs cached_at_ms = 0;
  };
  static constexpr EpochMs kTokenCacheMs = 2'000;

  storage::Database& db_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
  adapters::HttpTransport& http_;
  AppCredentials credentials_;
  std::mutex mutexes_mu_;
  std::map<std::string, std::unique_ptr<std::mutex>> mutexes_;  // guarded by mutexes_mu_
  std::mutex cache_mu_;
  std::map<std::string, CachedToken> cache_;  // guarded by cache_mu_; key tenant "\n" user
  std::atomic<long long> refreshes_{0};
  std::atomic<long long> invalid_grants_{0};
};

// Parses the auth server's JSON answer; throws Unauthenticated for its error answers.
TokenGrant ParseTokenGrant(const std::string& json_body);

}  // namespace opdesk::bitrix24
