// Mango's signed form envelope, both ways: vpbx_api_key, sign, json, where
// sign = sha256_hex(key + json + salt) over the json string exactly as sent (reference mango.md
// §1.2). Verification hashes the decoded form value, never a re-serialised JSON.
#pragma once

#include <string>
#include <string_view>

namespace opdesk::mango {

struct Envelope {
  std::string vpbx_api_key;
  std::string sign;
  std::string json;
};

// Parses the form body ('+' is a space, %XX decoded). A missing or empty field → InvalidArgument
// whose field() is its name: "vpbx_api_key", "sign" or "json".
Envelope ParseEnvelope(std::string_view form_body);
// sha256_hex(key + json + salt), lowercase.
std::string MangoSign(std::string_view key, std::string_view json, std::string_view salt);
// Constant-time; accepts upper- or lower-case hex in `sign`. Does not check the key against the
// configured one: the caller does that, since it knows which VPBX the address belongs to.
bool SignatureMatches(const Envelope& envelope, std::string_view salt);
// The form body of a command we send: vpbx_api_key=…&sign=…&json=… (URL-encoded).
std::string BuildEnvelope(std::string_view key, std::string_view json, std::string_view salt);

}  // namespace opdesk::mango
