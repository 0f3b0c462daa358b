// Transport-independent request handling: the REST API (envelope, auth, leaky bucket, faults,
// request log, rename redirect), batch, and the OAuth token endpoint. server.cpp only moves
// bytes; everything a test checks is decided here, under the state mutex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "tests/emulators/bitrix24/methods.h"
#include "tests/emulators/bitrix24/state.h"
#include "tests/emulators/common/http_front.h"

namespace b24emu {

using emu::HttpOutcome;

struct RestRequest {
  std::string http_method;
  std::string path;         // decoded path, e.g. /rest/crm.lead.add.json
  std::string rest_method;  // lower-case, without .json
  std::string query;        // raw query string (kept for the rename redirect)
  Json params;
};

HttpOutcome HandleRest(State& st, const RestRequest& req);
// POST to an upload URL attachRecord handed out (telephony_finish.cpp).
HttpOutcome HandleRecordUpload(State& st, const std::string& upload_id,
                               const std::string& content_type, const std::string& body);
HttpOutcome HandleOAuthToken(State& st, const std::string& http_method, const std::string& path,
                             const Json& params);

// Shared by rest.cpp, batch.cpp and oauth.cpp. All expect the state mutex held.
Json TimeBlock(State& st, const std::string& method, double start, double finish);
size_t LogRequest(State& st, Json entry);  // returns the index into st.requests
Json NewLogEntry(State& st, const std::string& http_method, const std::string& path,
                 const std::string& rest_method, const Json& params);
std::optional<Fault> TakeFault(State& st, const std::string& method, bool exact_only);
MethodResult FaultResult(State& st, const Fault& fault, const std::string& method);
MethodResult RunMethod(CallContext& ctx, const std::string& method, const Json& params);
MethodResult RunBatch(CallContext& ctx, const Json& params, int64_t parent_seq);
Json ErrorBody(const MethodResult& r);

// Token issuing for the OAuth flow, install callback, frames and /_emu/tokens/issue.
struct IssuedTokens {
  std::string access_token;
  std::string refresh_token;
  int expires_in = 0;
  double expires = 0;
};
IssuedTokens IssueTokens(State& st, int user_id);

}  // namespace b24emu
