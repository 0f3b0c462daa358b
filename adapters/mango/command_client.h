// Commands to a tenant's Mango VPBX (reference mango.md §1, §3): signed form envelope, the VPBX's
// rate limits (route and transfer 1 per 2 s, callback 4/s, …) kept per VPBX in this process, and
// Mango's error classes mapped to the error vocabulary. A request answered with a 3xxx code is
// never resent: Mango locks the whole API for two minutes after a second bad request.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "adapters/http_transport.h"
#include "connector/domain/clock.h"
#include "connector/storage/database.h"
#include "oauth/secret_box.h"

namespace opdesk::mango {

struct CommandReply {
  int http_status = 0;
  std::string body;      // JSON, when there is one
  std::string location;  // for 302 answers (recording links)
  int code = 0;          // Mango's result code in the body, 0 when absent
};

class CommandClient {
 public:
  CommandClient(storage::Database& db, const crypto::SecretBox& box, const Clock& clock,
                adapters::HttpTransport& http, std::string api_url);

  // POSTs `json` to `<api_url><path>` for the tenant's VPBX. Waits for the VPBX's rate limit
  // (up to 5 s, else ResourceExhausted). Errors: InvalidArgument for 3xxx (never retry),
  // PermissionDenied for 2xxx billing blocks, ResourceExhausted for 429, Unavailable for 5xxx,
  // 401 lock-outs and transport failures.
  // `send_by_ms` (0 none): a command whose slot comes after it is not sent and takes no slot
  // (DeadlineExceeded); the route to a responsible must go out while the greeting plays.
  CommandReply Send(const std::string& tenant_id, const std::string& path, const std::string& json,
                    EpochMs send_by_ms = 0);

  // Sends like Send but returns Mango's answer whatever it says (the caller reads http_status
  // and code): only a missing connection (NotFound), the rate-limit wait and transport failures
  // throw. `timeout` bounds the HTTP exchange. NOTE: a 3xxx answer still counts towards Mango's
  // lock-out, so callers must not repeat one.
  CommandReply Probe(const std::string& tenant_id, const std::string& path, const std::string& json,
                     std::chrono::milliseconds timeout);

  // Downloads a recording: queries/recording/post answers 302 to a one-time URL, fetched at once
  // and written to `path` as it arrives (a long call's recording is never held in memory).
  // Returns its size in bytes.
  long long DownloadRecording(const std::string& tenant_id, const std::string& recording_id,
                              const std::string& path);

  // Minimum spacing of one command kind per VPBX, from Mango's published limits.
  static long long MinIntervalMs(const std::string& path);

 private:
  CommandReply Exchange(const std::string& tenant_id, const std::string& path,
                        const std::string& json, std::chrono::milliseconds timeout,
                        EpochMs send_by_ms);

  storage::Database& db_;
  const crypto::SecretBox& box_;
  const Clock& clock_;
  adapters::HttpTransport& http_;
  std::string api_url_;
  std::mutex mu_;
  std::map<std::string, EpochMs> next_allowed_;  // guarded by mu_; key: tenant + "\n" + path
};

}  // namespace opdesk::mango
