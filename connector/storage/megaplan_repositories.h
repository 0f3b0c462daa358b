// Megaplan's rows: the connected account (sealed token), opdesk's record of each call (Megaplan
// has no call entity) and what opdesk created for a call's origin.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connector/domain/clock.h"
#include "connector/storage/database.h"

namespace opdesk {

struct MegaplanAccount {
  std::string tenant_id;  // "megaplan:<host>"
  std::string host;
  std::string base_url;     // "https://<host>" (the API is under /api/v3/)
  std::string login;        // the service user's login; the password is never stored
  std::string employee_id;  // that user's employee id: the default responsible
  std::string token_sealed;
  EpochMs token_expires_at_ms = 0;
  std::string state = "connected";  // connected, refused (the account answered 401)
  std::string last_error;
  // "password" (a service user's sign-in) or "application" (Megaplan opened opdesk's application
  // URL: the token is the application token, renewed only by the next such opening).
  std::string connected_via = "password";
  std::string account_host;       // the application launch's accountId (verified), "" otherwise
  std::string unique_account_id;  // the launch's uniqueAccountId, "" otherwise
  long long version = 1;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

struct MegaplanCall {
  std::string tenant_id;
  std::string call_id;
  std::string phone;
  std::string direction;  // incoming, outgoing, callback
  std::string line_number;
  std::string user_id;
  std::string record_key;  // the client it was bound to ("contact:1000100"), "" none yet
  long long started_at_s = 0;
  std::string comment_id;
  std::string finish_state;  // "" open, "sending", "done"
  EpochMs created_at_ms = 0;
};

// A token with less than this left is reported as expiring (sign in again soon).
inline constexpr EpochMs kMegaplanTokenExpiringMs = 6LL * 3600 * 1000;

// What /readyz, /metrics and the «Мегаплан» page say of an account's token: "refused" (the
// account answered 401), "expired", "expiring" (less than 6 h left) or "ok".
inline std::string MegaplanTokenState(const MegaplanAccount& a, EpochMs now) {
  if (a.state == "refused") {
    return "refused";
  }
  if (a.token_expires_at_ms <= now) {
    return "expired";
  }
  return a.token_expires_at_ms - now < kMegaplanTokenExpiringMs ? "expiring" : "ok";
}

}  // namespace opdesk

namespace opdesk::storage {

class MegaplanAccountRepository {
 public:
  // Inserts or replaces the account (a new sign-in with a password); version goes up.
  static void Save(Session& s, const MegaplanAccount& account);
  // The same for a verified application launch: also its account host and unique id.
  static void SaveApplication(Session& s, const MegaplanAccount& account);
  // The account an application launch or event names: by its tenant, its launch host or its
  // unique account id (whichever is not empty and matches first).
  static std::optional<MegaplanAccount> FindByApplication(Session& s, const std::string& host,
                                                          const std::string& unique_account_id);
  static std::optional<MegaplanAccount> Find(Session& s, const std::string& tenant_id);
  static std::vector<MegaplanAccount> List(Session& s);
  // The account refused the token (401): flagged until the next sign-in.
  static void MarkRefused(Session& s, const std::string& tenant_id, const std::string& error,
                          EpochMs now);
  // The phone index's generation: every process drops its index of the account when the stored
  // generation is not the one it applied (an entity event changed a client).
  static long long IndexGeneration(Session& s, const std::string& tenant_id);
  static long long BumpIndexGeneration(Session& s, const std::string& tenant_id);
  // API v1's AccessId and sealed SecretKey (both "" when the account gave none).
  static void SaveV1Credentials(Session& s, const std::string& tenant_id,
                                const std::string& access_id, const std::string& secret_sealed);
  static std::pair<std::string, std::string> V1Credentials(Session& s,
                                                           const std::string& tenant_id);
};

class MegaplanCallRepository {
 public:
  // Inserts unless the call is there; returns the stored row either way.
  static MegaplanCall Insert(Session& s, const MegaplanCall& call);
  static std::optional<MegaplanCall> Find(Session& s, const std::string& tenant_id,
                                          const std::string& call_id);
  static void SetFinish(Session& s, const std::string& tenant_id, const std::string& call_id,
                        const std::string& state, const std::string& comment_id,
                        const std::string& record_key);
};

class MegaplanCreatedRepository {
 public:
  static void Remember(Session& s, const std::string& tenant_id, const std::string& origin,
                       const std::string& kind, const std::string& object_id, EpochMs now);
  // kind → id of what was created under `origin`.
  static std::vector<std::pair<std::string, std::string>> Find(Session& s,
                                                               const std::string& tenant_id,
                                                               const std::string& origin);
};

}  // namespace opdesk::storage
