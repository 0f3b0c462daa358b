// Signed, expiring session tokens for the opdesk UI. A token carries its claims in the clear and
// an HMAC-SHA256 over them, so verification needs no database lookup; the signing key is derived
// from the master key and the token names which master key signed it, so keys can rotate.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "connector/domain/clock.h"

namespace opdesk::crypto {

struct SessionClaims {
  std::string tenant_id;
  std::string user_id;
  std::string scope;
  EpochMs issued_at_ms = 0;
  EpochMs expires_at_ms = 0;
};

// Token: base64url(payload) "." base64url(HMAC-SHA256(signing_key, "v1." base64url(payload))),
// both without padding. The payload is
//   v=1&kid=<keyid>&t=<tenant>&u=<user>&s=<scope>&iat=<ms>&exp=<ms>
// with fields in exactly that order and t/u/s percent-encoded (everything except A-Z a-z 0-9
// "-._~" becomes %XX), so '&', '=' and ':' inside values cannot be confused with structure.
// The signing key is HKDF-SHA256(master, info "opdesk-session-v1"), 32 bytes; kid is KeyId() of
// the master key.
//
// Claims are readable by whoever holds the token: never put secrets in them. Issue and Verify
// are const and safe to call from many threads.
class SessionTokenSigner {
 public:
  // Keys are 32 raw bytes each; throws InvalidArgument otherwise, or if two different keys
  // share a key id. Tokens are issued under `master_key` and verified under it or an older key.
  explicit SessionTokenSigner(std::string_view master_key,
                              const std::vector<std::string>& older_master_keys = {});
  ~SessionTokenSigner();

  SessionTokenSigner(const SessionTokenSigner&) = default;
  SessionTokenSigner& operator=(const SessionTokenSigner&) = default;
  SessionTokenSigner(SessionTokenSigner&&) = default;
  SessionTokenSigner& operator=(SessionTokenSigner&&) = default;

  // Throws InvalidArgument if tenant_id is empty or expires_at_ms <= issued_at_ms.
  std::string Issue(const SessionClaims& claims) const;

  // Returns the claims of a genuine token that has not expired at `now_ms`. Throws
  // Unauthenticated if the token is malformed, names an unknown key, carries a bad signature, or
  // now_ms >= expires_at_ms ("session expired").
  SessionClaims Verify(std::string_view token, EpochMs now_ms) const;

 private:
  struct SigningKey {
    std::string key_id;
    std::string key;  // 32-byte HMAC key derived from the master key
  };

  const SigningKey* FindKey(std::string_view key_id) const;

  std::vector<SigningKey> keys_;  // current key first
};

}  // namespace opdesk::crypto
