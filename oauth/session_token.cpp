#include "oauth/session_token.h"

#include <openssl/crypto.h>

#include <array>
#include <charconv>
#include <optional>

#include "connector/domain/error.h"
#include "oauth/crypto.h"
#include "oauth/master_key.h"

namespace opdesk::crypto {
namespace {

constexpr std::string_view kInfo = "opdesk-session-v1";
constexpr std::string_view kSignaturePrefix = "v1.";
constexpr std::string_view kPayloadVersion = "1";
// Far above any real token (a few hundred bytes); stops oversized cookies from costing work.
constexpr std::size_t kMaxTokenSize = 8192;
constexpr std::size_t kMacSize = 32;

constexpr std::array<std::string_view, 7> kFieldNames = {"v", "kid", "t", "u", "s", "iat", "exp"};

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string PercentEncode(std::string_view s) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (IsUnreserved(c)) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0f]);
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

// Accepts only what PercentEncode can produce: unreserved characters and %XX escapes.
std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (IsUnreserved(c)) {
      out.push_back(c);
      continue;
    }
    if (c != '%' || i + 2 >= s.size()) {
      return std::nullopt;
    }
    const int hi = HexValue(s[i + 1]);
    const int lo = HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>((hi << 4) | lo));
    i += 2;
  }
  return out;
}

std::optional<EpochMs> ParseMs(std::string_view s) {
  EpochMs value = 0;
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (s.empty() || ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return value;
}

struct Payload {
  std::string key_id;
  SessionClaims claims;
};

// Parses "v=1&kid=..&t=..&u=..&s=..&iat=..&exp=.." with every field present exactly once and in
// order; anything else is rejected rather than guessed at.
std::optional<Payload> ParsePayload(std::string_view text) {
  std::array<std::string_view, kFieldNames.size()> values;
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    const std::size_t amp = text.find('&');
    const bool last = i + 1 == kFieldNames.size();
    if (last != (amp == std::string_view::npos)) {
      return std::nullopt;
    }
    const std::string_view pair = text.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != kFieldNames[i]) {
      return std::nullopt;
    }
    values[i] = pair.substr(eq + 1);
    text = last ? std::string_view() : text.substr(amp + 1);
  }
  if (values[0] != kPayloadVersion) {
    return std::nullopt;
  }
  Payload p;
  p.key_id = std::string(values[1]);
  auto tenant = PercentDecode(values[2]);
  auto user = PercentDecode(values[3]);
  auto scope = PercentDecode(values[4]);
  const auto iat = ParseMs(values[5]);
  const auto exp = ParseMs(values[6]);
  if (!tenant || !user || !scope || !iat || !exp) {
    return std::nullopt;
  }
  p.claims.tenant_id = std::move(*tenant);
  p.claims.user_id = std::move(*user);
  p.claims.scope = std::move(*scope);
  p.claims.issued_at_ms = *iat;
  p.claims.expires_at_ms = *exp;
  return p;
}

std::string Mac(std::string_view key, std::string_view encoded_payload) {
  std::string input(kSignaturePrefix);
  input.append(encoded_payload);
  return HmacSha256(key, input);
}

}  // namespace

SessionTokenSigner::SessionTokenSigner(std::string_view master_key,
                                       const std::vector<std::string>& older_master_keys) {
  auto add = [this](std::string_view master) {
    if (master.size() != kMasterKeySize) {
      throw InvalidArgument("session signing master keys must be exactly 32 bytes, got " +
                            std::to_string(master.size()));
    }
    SigningKey entry{KeyId(master), HkdfSha256(master, {}, kInfo, 32)};
    if (const SigningKey* existing = FindKey(entry.key_id)) {
      if (existing->key == entry.key) {
        return;  // the same key listed twice
      }
      throw InvalidArgument("two different session signing keys share key id " + entry.key_id);
    }
    keys_.push_back(std::move(entry));
  };
  add(master_key);
  for (const std::string& key : older_master_keys) {
    add(key);
  }
}

SessionTokenSigner::~SessionTokenSigner() {
  // Best effort: scrub derived keys before the memory returns to the allocator.
  for (SigningKey& k : keys_) {
    OPENSSL_cleanse(k.key.data(), k.key.size());
  }
}

const SessionTokenSigner::SigningKey* SessionTokenSigner::FindKey(std::string_view key_id) const {
  for (const SigningKey& k : keys_) {
    if (k.key_id == key_id) {
      return &k;
    }
  }
  return nullptr;
}

std::string SessionTokenSigner::Issue(const SessionClaims& claims) const {
  if (claims.tenant_id.empty()) {
    throw InvalidArgument("session tenant_id must not be empty", "tenant_id");
  }
  if (claims.expires_at_ms <= claims.issued_at_ms) {
    throw InvalidArgument("session must expire after it is issued", "expires_at_ms");
  }
  const SigningKey& key = keys_.front();
  std::string payload;
  payload.append("v=").append(kPayloadVersion);
  payload.append("&kid=").append(key.key_id);
  payload.append("&t=").append(PercentEncode(claims.tenant_id));
  payload.append("&u=").append(PercentEncode(claims.user_id));
  payload.append("&s=").append(PercentEncode(claims.scope));
  payload.append("&iat=").append(std::to_string(claims.issued_at_ms));
  payload.append("&exp=").append(std::to_string(claims.expires_at_ms));

  std::string token = Base64UrlEncode(payload);
  const std::string signature = Base64UrlEncode(Mac(key.key, token));
  token.append(".").append(signature);
  return token;
}

SessionClaims SessionTokenSigner::Verify(std::string_view token, EpochMs now_ms) const {
  if (token.empty() || token.size() > kMaxTokenSize) {
    throw Unauthenticated("malformed session token");
  }
  const std::size_t dot = token.find('.');
  if (dot == std::string_view::npos || token.find('.', dot + 1) != std::string_view::npos) {
    throw Unauthenticated("malformed session token");
  }
  const std::string_view encoded_payload = token.substr(0, dot);
  std::string payload_text;
  std::string signature;
  try {
    payload_text = Base64UrlDecode(encoded_payload);
    signature = Base64UrlDecode(token.substr(dot + 1));
  } catch (const Error&) {
    throw Unauthenticated("malformed session token");
  }
  if (signature.size() != kMacSize) {
    throw Unauthenticated("malformed session token");
  }
  std::optional<Payload> payload = ParsePayload(payload_text);
  if (!payload) {
    throw Unauthenticated("malformed session token");
  }
  const SigningKey* key = FindKey(payload->key_id);
  if (key == nullptr) {
    throw Unauthenticated("session token was signed with a key that is not configured");
  }
  if (!ConstantTimeEquals(Mac(key->key, encoded_payload), signature)) {
    throw Unauthenticated("session token signature is invalid");
  }
  // Only now, with the signature checked, are the claims trusted.
  if (now_ms >= payload->claims.expires_at_ms) {
    throw Unauthenticated("session expired");
  }
  return std::move(payload->claims);
}

}  // namespace opdesk::crypto
