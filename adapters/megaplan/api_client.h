// Megaplan's API v3 (reference megaplan.md §1): the password grant, and requests with the
// tenant's sealed bearer token. GET parameters go as one URL-encoded JSON object after `?`;
// answers come in the envelope {meta:{status, errors}, data, included} and both the HTTP status
// and meta.status are checked.
//
// Errors: 401 → Unauthenticated (the account is flagged `refused` until someone signs in again;
// the password is never stored, so opdesk cannot sign in by itself), 403 → PermissionDenied,
// 404 → NotFound, 422 → InvalidArgument naming meta.errors' field, 429 → ResourceExhausted
// with Retry-After as the hint, 5xx and transport failures → Unavailable (a POST that may have
// been carried out says "outcome unknown").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/json_fwd.h"
#include "connector/domain/clock.h"

namespace opdesk {
namespace crypto {
class SecretBox;
}
namespace storage {
class Database;
}
namespace adapters {
class HttpTransport;
}
}  // namespace opdesk

namespace opdesk::megaplan {

// What the token is sealed to (the tenant's row): a token copied to another row will not open.
std::string TokenAssociatedData(const std::string& tenant_id);

// "https://acme.megaplan.ru" from what an admin typed (scheme required; path, query and
// trailing slash dropped), checked against the outbound URL policy; `host` gets the host
// (with ":port" when one is given) and the tenant id is "megaplan:<host>".
std::string NormalizeBaseUrl(const std::string& url, bool allow_insecure, std::string* host);
std::string TenantIdOf(const std::string& host);

struct GrantedToken {
  std::string access_token;
  long long expires_in_s = 0;
};

// POST /api/v3/auth/access_token (multipart/form-data, grant_type=password). A refused login
// or password is PermissionDenied with a message an admin understands.
GrantedToken PasswordGrant(adapters::HttpTransport& http, const std::string& base_url,
                           const std::string& login, const std::string& password);

// API v1 (reference §3), only for its `Phone` search when v3's search is unavailable: the
// sign-in with the same login and MD5 of the password gives an AccessId and a SecretKey that
// sign each request. std::nullopt when the account does not answer it (v1 may be off).
struct V1Credentials {
  std::string access_id;
  std::string secret_key;
};
std::optional<V1Credentials> V1SignIn(adapters::HttpTransport& http, const std::string& base_url,
                                      const std::string& login, const std::string& password);
// What the v1 SecretKey is sealed to.
std::string V1AssociatedData(const std::string& tenant_id);
// The v1 X-Authorization signature: base64 of the hex HMAC-SHA1 under the SecretKey of
// method, Content-MD5, Content-Type, Date and host + URI, one per line.
std::string V1Signature(const std::string& secret_key, const std::string& method,
                        const std::string& content_md5, const std::string& content_type,
                        const std::string& date, const std::string& host_and_uri);

// GET with a bearer token that is not stored yet (the sign-in's own checks).
web::json::value GetWithToken(adapters::HttpTransport& http, const std::string& base_url,
                              const std::string& token, const std::string& path,
                              const web::json::value& params);

class ApiClient {
 public:
  ApiClient(storage::Database& db, const crypto::SecretBox& box, const Clock& clock,
            adapters::HttpTransport& http);

  // The whole envelope of GET /api/v3/<path>?<params as JSON>.
  web::json::value Get(const std::string& tenant_id, const std::string& path,
                       const web::json::value& params,
                       std::chrono::milliseconds deadline = std::chrono::milliseconds(15'000));
  // POST /api/v3/<path> with a JSON body. `idempotent`: a transport failure may be resent
  // (updates, transitions); otherwise it is "outcome unknown".
  web::json::value Post(const std::string& tenant_id, const std::string& path,
                        const web::json::value& body, bool idempotent,
                        std::chrono::milliseconds deadline = std::chrono::milliseconds(15'000));
  // POST of a file as multipart/form-data from disk (never held in memory).
  web::json::value PostFile(const std::string& tenant_id, const std::string& path,
                            const std::string& filename, const std::string& file_path);

  // GET of an API v1 method ("BumsCrmApiV01/Contractor/list.api") with form parameters, signed
  // with the stored v1 credentials: the whole answer {status:{code}, data}. NotFound when the
  // account has no v1 credentials; Unavailable when v1 refuses or fails.
  web::json::value GetV1(const std::string& tenant_id, const std::string& path,
                         const std::vector<std::pair<std::string, std::string>>& params,
                         std::chrono::milliseconds deadline);

  // The signed-in service user's employee id ("" when unknown).
  std::string IntegrationEmployee(const std::string& tenant_id);

 private:
  struct Access {
    std::string base_url;
    std::string token;
  };
  Access OpenAccess(const std::string& tenant_id);
  web::json::value Send(const std::string& tenant_id, const std::string& method,
                        const std::string& path, const std::string& query, std::string body,
                        const std::string& content_type, const std::string& body_file,
                        bool idempotent, std::chrono::milliseconds deadline);

  storage::Database& db_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
  adapters::HttpTransport& http_;
};

}  // namespace opdesk::megaplan
