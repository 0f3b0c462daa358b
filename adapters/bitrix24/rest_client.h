// Calls a portal's REST API on behalf of a tenant and one of its users, within the portal's limits
// (reference bitrix24.md §2): every request waits for its slot in the portal's budget; an expired
// token is refreshed once and the call resent; QUERY_LIMIT_EXCEEDED backs off and resends (the
// portal did not run it); OPERATION_TIME_LIMIT pauses only that method; a renamed portal (302) is
// followed and remembered. A non-idempotent call is never resent after a transport failure, since
// the portal may have run it. Blocking: use from outbox workers or the blocking executor.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/bitrix24/access_tokens.h"
#include "adapters/bitrix24/rate_limiter.h"
#include "adapters/http_transport.h"
#include "adapters/json_fwd.h"
#include "connector/domain/clock.h"
#include "connector/domain/error.h"
#include "connector/storage/database.h"

namespace opdesk::bitrix24 {

struct CallOptions {
  std::string user_id;  // whose token and rights; empty: the installing admin
  bool idempotent = true;
  std::chrono::milliseconds deadline{30'000};
};

// The answers of a batch. Holds JSON values behind a pointer, so this header needs only their
// declaration.
class BatchResult {
 public:
  BatchResult();
  ~BatchResult();
  BatchResult(BatchResult&&) noexcept;
  BatchResult& operator=(BatchResult&&) noexcept;

  // key → the command's `result`, for each command that succeeded.
  std::map<std::string, web::json::value>& results();
  const std::map<std::string, web::json::value>& results() const;
  std::map<std::string, std::string> errors;  // key → "CODE: description"

 private:
  struct Results;
  std::unique_ptr<Results> results_;
};

class RestClient {
 public:
  RestClient(storage::Database& db, AccessTokens& tokens, PortalRateLimiter& limiter,
             adapters::HttpTransport& http, const Clock& clock);

  // The `result` of the method. Throws opdesk::Error (see rest_errors.h for the mapping).
  web::json::value Call(const std::string& tenant_id, const std::string& method,
                        const web::json::value& params, const CallOptions& options = {});

  // Up to 50 commands in one request (one unit of the portal's budget). Commands are
  // "method?query" strings (see BatchCommand); later ones may refer to `$result[key][FIELD]`.
  BatchResult Batch(const std::string& tenant_id,
                    const std::vector<std::pair<std::string, std::string>>& commands, bool halt,
                    const CallOptions& options = {});
  static std::string BatchCommand(const std::string& method, const web::json::value& params);

  // Where a list method's next page starts, and how many rows match, from its answer.
  struct Paging {
    std::optional<long long> next;   // none on the last page
    std::optional<long long> total;  // none with start=-1
  };
  // One page of a list method: its `result`, with `paging` filled from the answer.
  web::json::value CallPage(const std::string& tenant_id, const std::string& method,
                            const web::json::value& params, Paging& paging,
                            const CallOptions& options = {});
  // Every row of a list method, following `next` (50 per page), at most `max_rows`.
  std::vector<web::json::value> ListAll(const std::string& tenant_id, const std::string& method,
                                        web::json::value params, const CallOptions& options = {},
                                        std::size_t max_rows = 10'000);
  // The cheap scan for large lists: `start=-1` (no total), ordered by ID, `filter[>ID]` paging.
  std::vector<web::json::value> ScanById(const std::string& tenant_id, const std::string& method,
                                         web::json::value params, const CallOptions& options = {},
                                         std::size_t max_rows = 100'000);

  // Sends a file to an upload URL the portal handed out (attachRecord without FILE_CONTENT),
  // streamed from disk as a multipart/form-data body with one part named `field`. The URL must
  // be on the portal's own registrable domain. Returns the answer's `result` (or null).
  web::json::value UploadFile(const std::string& tenant_id, const std::string& upload_url,
                              const std::string& field, const std::string& filename,
                              const std::string& content_type, const std::string& path);

 private:
  // Call, also filling `paging` when it is not null.
  web::json::value CallPaged(const std::string& tenant_id, const std::string& method,
                             const web::json::value& params, const CallOptions& options,
                             Paging* paging);

  storage::Database& db_;
  AccessTokens& tokens_;
  PortalRateLimiter& limiter_;
  adapters::HttpTransport& http_;
  const Clock& clock_;
};

// PHP-style query encoding of JSON params: fields[PHONE][0][VALUE]=…
std::string EncodePhpQuery(const web::json::value& params);

}  // namespace opdesk::bitrix24
