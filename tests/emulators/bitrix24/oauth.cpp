// The OAuth server's /oauth/token/ endpoint: refresh_token grant with rotation.
#include "tests/emulators/bitrix24/rest.h"
#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

IssuedTokens IssueTokens(State& st, int user_id) {
  IssuedTokens t;
  t.access_token = RandomHex(32);
  t.refresh_token = RandomHex(32);
  t.expires_in = st.opts.access_ttl_s;
  t.expires = NowS() + st.opts.access_ttl_s;
  st.access_tokens[t.access_token] = AccessToken{user_id, t.expires, false};
  st.refresh_tokens[t.refresh_token] = RefreshToken{user_id, false};
  return t;
}

namespace {

HttpOutcome OAuthError(int status, const std::string& error, const std::string& description) {
  HttpOutcome out;
  out.status = status;
  out.body = Json::object(true);
  out.body["error"] = Json::string(error);
  if (!description.empty()) {
    out.body["error_description"] = Json::string(description);
  }
  return out;
}

}  // namespace

HttpOutcome HandleOAuthToken(State& st, const std::string& http_method, const std::string& path,
                             const Json& params) {
  ++st.total_requests;
  Json entry = NewLogEntry(st, http_method, path, "", params);
  entry["auth"] = Json::string("");
  size_t idx = LogRequest(st, entry);
  auto answer = [&](HttpOutcome out) {
    st.requests[idx]["status"] = Json::number(out.status);
    if (out.body.is_object() && out.body.has_field("error")) {
      st.requests[idx]["error"] = out.body.at("error");
    }
    return out;
  };
  std::string grant = Str(params, "grant_type");
  if (grant == "refresh_token") {
    ++st.oauth_refreshes;  // every refresh attempt, successful or not
  }
  if (Str(params, "client_id") != st.opts.client_id ||
      Str(params, "client_secret") != st.opts.client_secret) {
    return answer(OAuthError(401, "invalid_client", "Invalid client credentials"));
  }
  if (st.uninstalled) {
    // The application is gone from the portal: its credentials no longer get tokens.
    return answer(OAuthError(401, "invalid_client", "Application not installed"));
  }
  if (grant != "refresh_token") {
    if (grant == "authorization_code") {
      ++st.oauth_invalid_grant;
      return answer(OAuthError(400, "invalid_grant", "Invalid authorization code"));
    }
    return answer(OAuthError(400, "invalid_request", "Unsupported grant_type"));
  }
  auto it = st.refresh_tokens.find(Str(params, "refresh_token"));
  if (it == st.refresh_tokens.end() || it->second.used) {
    ++st.oauth_invalid_grant;
    return answer(OAuthError(400, "invalid_grant", "Invalid refresh token"));
  }
  it->second.used = true;  // rotation: the old refresh token is consumed
  int user_id = it->second.user_id;
  IssuedTokens t = IssueTokens(st, user_id);
  st.requests[idx]["user_id"] = Json::number(user_id);
  HttpOutcome out;
  Json b = Json::object(true);
  b["access_token"] = Json::string(t.access_token);
  b["expires"] = Json::number(static_cast<int64_t>(t.expires));
  b["expires_in"] = Json::number(t.expires_in);
  b["scope"] = Json::string(kScope);
  // Like oauth.bitrix.info, `domain` names the auth server, not the portal.
  b["domain"] = Json::string("127.0.0.1:" + std::to_string(st.opts.port));
  b["server_endpoint"] = Json::string(st.ServerEndpoint());
  b["status"] = Json::string(Str(st.data.app, "STATUS", "L"));
  b["client_endpoint"] = Json::string(st.ClientEndpoint());
  b["member_id"] = Json::string(st.opts.member_id);
  b["user_id"] = Json::number(user_id);
  b["refresh_token"] = Json::string(t.refresh_token);
  out.body = b;
  // A slow auth server: the answer leaves late (fault method "oauth.token", delay_ms only).
  if (auto fault = TakeFault(st, "oauth.token", true)) {
    out.delay_ms = fault->delay_ms;
  }
  return answer(out);
}

}  // namespace b24emu
