#include "oauth/bitrix24/token_store.h"

#include <cpprest/json.h>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <chrono>
#include <thread>

#include "adapters/json_read.h"
#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/storage/bitrix24_repositories.h"

namespace opdesk::bitrix24 {

using adapters::JsonIdText;

TokenGrant ParseTokenGrant(const std::string& json_body) {
  web::json::value v;
  try {
    v = web::json::value::parse(json_body);
  } catch (const std::exception&) {
    throw Unavailable("the auth server answered something that is not JSON");
  }
  if (v.has_field("error")) {
    const std::string error = JsonIdText(v, "error");
    throw Unauthenticated(
        "auth server refused the token: " + error +
        (v.has_field("error_description") ? " (" + JsonIdText(v, "error_description") + ")" : ""));
  }
  TokenGrant g;
  g.access_token = JsonIdText(v, "access_token");
  g.refresh_token = JsonIdText(v, "refresh_token");
  if (v.has_field("expires_in") && v.at("expires_in").is_number()) {
    // Bounded: a wild value would overflow the expiry time (Bitrix24 sends 3600).
    g.expires_in_s = std::clamp<long long>(v.at("expires_in").as_number().to_int64(), 60, 86'400);
  }
  g.member_id = JsonIdText(v, "member_id");
  g.domain = JsonIdText(v, "domain");
  g.client_endpoint = JsonIdText(v, "client_endpoint");
  g.server_endpoint = JsonIdText(v, "server_endpoint");
  g.scope = JsonIdText(v, "scope");
  g.status = JsonIdText(v, "status");
  g.user_id = JsonIdText(v, "user_id");
  if (g.access_token.empty() || g.refresh_token.empty()) {
    throw Unavailable("the auth server's answer has no tokens");
  }
  return g;
}

TokenStore::TokenStore(storage::Database& db, const crypto::SecretBox& box, const Clock& clock,
                       adapters::HttpTransport& http, AppCredentials credentials)
    : db_(db), box_(box), clock_(clock), http_(http), credentials_(std::move(credentials)) {}

std::mutex& TokenStore::UserMutex(const std::string& tenant_id, const std::string& user_id) {
  std::lock_guard lock(mutexes_mu_);
  auto& m = mutexes_[tenant_id + "\n" + user_id];
  if (!m) {
    m = std::make_unique<std::mutex>();
  }
  return *m;
}

void TokenStore::Save(const std::string& tenant_id, const std::string& user_id,
                      const TokenGrant& grant) {
  SealedTokens t;
  t.tenant_id = tenant_id;
  t.user_id = user_id;
  t.access_token_sealed = box_.Seal(grant.access_token, tenant_id + "/" + user_id);
  t.refresh_token_sealed = box_.Seal(grant.refresh_token, tenant_id + "/" + user_id);
  t.access_expires_at_ms = clock_.NowMs() + grant.expires_in_s * 1000;
  t.updated_at_ms = clock_.NowMs();
  storage::InTransaction(db_, [&](storage::Session& s) { storage::TokenRepository::Save(s, t); });
  std::lock_guard lock(cache_mu_);
  cache_.erase(tenant_id + "\n" + user_id);
}

void TokenStore::Remember(const std::string& tenant_id, const std::string& user_id,
                          const AccessToken& token) {
  std::lock_guard lock(cache_mu_);
  cache_[tenant_id + "\n" + user_id] = {token, clock_.NowMs()};
}

AccessToken TokenStore::Get(const std::string& tenant_id, const std::string& user_id) {
  {
    std::lock_guard lock(cache_mu_);
    auto it = cache_.find(tenant_id + "\n" + user_id);
    if (it != cache_.end() && clock_.NowMs() - it->second.cached_at_ms < kTokenCacheMs) {
      return it->second.token;
    }
  }
  const AccessToken token = ReadStored(tenant_id, user_id);
  Remember(tenant_id, user_id, token);
  return token;
}

AccessToken TokenStore::ReadStored(const std::string& tenant_id, const std::string& user_id) {
  std::optional<SealedTokens> t;
  storage::WithSession(
      db_, [&](storage::Session& s) { t = storage::TokenRepository::Find(s, tenant_id, user_id); });
  if (!t) {
    throw Unauthenticated("no Bitrix24 tokens for user " + user_id + " of portal " + tenant_id);
  }
  return {box_.Open(t->access_token_sealed, tenant_id + "/" + user_id), t->version};
}

TokenGrant TokenStore::Exchange(const std::string& refresh_token) {
  adapters::HttpCall call;
  call.method = "GET";
  call.url = credentials_.oauth_url + "oauth/token/?grant_type=refresh_token&client_id=" +
             adapters::UrlEncode(credentials_.client_id) +
             "&client_secret=" + adapters::UrlEncode(credentials_.client_secret) +
             "&refresh_token=" + adapters::UrlEncode(refresh_token);
  adapters::HttpReply reply = http_.Send(call);
  ++refreshes_;
  try {
    return ParseTokenGrant(reply.body);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kUnauthenticated) {
      ++invalid_grants_;
    }
    throw;
  }
}

AccessToken TokenStore::StoreRefreshed(storage::Session& s, SealedTokens row,
                                       const TokenGrant& grant) {
  const std::string context = row.tenant_id + "/" + row.user_id;
  row.access_token_sealed = box_.Seal(grant.access_token, context);
  row.refresh_token_sealed = box_.Seal(grant.refresh_token, context);
  row.access_expires_at_ms = clock_.NowMs() + grant.expires_in_s * 1000;
  row.updated_at_ms = clock_.NowMs();
  storage::TokenRepository::Save(s, row);
  spdlog::info("event=b24_token_refreshed portal={} user={}", row.tenant_id, row.user_id);
  return {grant.access_token, row.version + 1};
}

AccessToken TokenStore::Refresh(const std::string& tenant_id, const std::string& user_id,
                                long long seen_version) {
  std::lock_guard user_lock(UserMutex(tenant_id, user_id));
  const std::string context = tenant_id + "/" + user_id;
  AccessToken result;
  bool refused = false;
  std::string refusal;
  if (db_.dialect() == storage::Dialect::kSqlite) {
    // SQLite has one write lock for the whole file: holding it across the auth server's answer
    // would stop every other write (webhooks, jobs) for that long. Read, exchange, then write;
    // two processes cannot both win with one rotating refresh token, so the winner's grant is
    // stored whatever happened to the row meanwhile.
    std::optional<SealedTokens> row;
    storage::WithSession(db_, [&](storage::Session& s) {
      row = storage::TokenRepository::Find(s, tenant_id, user_id);
    });
    if (!row) {
      throw Unauthenticated("no Bitrix24 tokens for user " + user_id);
    }
    if (row->version != seen_version) {
      result = {box_.Open(row->access_token_sealed, context), row->version};
      Remember(tenant_id, user_id, result);
      return result;
    }
    TokenGrant grant;
    try {
      grant = Exchange(box_.Open(row->refresh_token_sealed, context));
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kUnauthenticated) {
        throw;
      }
      refused = true;
      refusal = e.what();
    }
    if (!refused) {
      storage::InTransaction(db_, [&](storage::Session& s) {
        std::optional<SealedTokens> now = storage::TokenRepository::Lock(s, tenant_id, user_id);
        if (!now) {
          throw Unauthenticated("no Bitrix24 tokens for user " + user_id);
        }
        result = StoreRefreshed(s, *now, grant);
      });
    }
  } else {
    storage::InTransaction(db_, [&](storage::Session& s) {
      std::optional<SealedTokens> row = storage::TokenRepository::Lock(s, tenant_id, user_id);
      if (!row) {
        throw Unauthenticated("no Bitrix24 tokens for user " + user_id);
      }
      if (row->version != seen_version) {
        result = {box_.Open(row->access_token_sealed, context), row->version};
        return;  // another thread or process refreshed meanwhile
      }
      try {
        result = StoreRefreshed(s, *row, Exchange(box_.Open(row->refresh_token_sealed, context)));
      } catch (const Error& e) {
        if (e.code() != ErrorCode::kUnauthenticated) {
          throw;
        }
        refused = true;
        refusal = e.what();
      }
    });
  }
  if (!refused) {
    Remember(tenant_id, user_id, result);
    return result;
  }
  // invalid_grant: the refresh token we hold may just have been consumed by a winner whose new
  // token is committed by now.
  AccessToken current = ReadStored(tenant_id, user_id);
  if (db_.dialect() == storage::Dialect::kSqlite) {
    // Without the row lock across the exchange, a winner in another process may still be on its
    // way from the auth server to its write: give it a moment before calling the tokens dead.
    for (int i = 0; i < 10 && current.version == seen_version; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      current = ReadStored(tenant_id, user_id);
    }
  }
  Remember(tenant_id, user_id, current);
  if (current.version != seen_version) {
    return current;
  }
  storage::InTransaction(db_, [&](storage::Session& s) {
    storage::B24PortalRepository::SetNeedsReauth(s, tenant_id, true, clock_.NowMs());
  });
  spdlog::error("event=b24_needs_reauthorization portal={} user={} reason={}", tenant_id, user_id,
                LogQuoted(refusal));
  throw Unauthenticated("portal " + tenant_id +
                        " needs re-authorization: open the app in Bitrix24 once (" + refusal + ")");
}

}  // namespace opdesk::bitrix24
