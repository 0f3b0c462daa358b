// Cryptographic primitives shared by opdesk: randomness, hashing, HMAC, HKDF, constant-time
// comparison and the hex/base64 codecs. Thin wrappers over OpenSSL so that no other header pulls
// OpenSSL in; every failure surfaces as opdesk::Error.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace opdesk::crypto {

// `n` bytes from the OpenSSL CSPRNG. Throws Internal if the generator fails.
std::string RandomBytes(std::size_t n);

// Lowercase hex of `bytes` random bytes (so 2 * bytes characters). Meant for identifiers that
// must be unguessable, such as webhook keys and request ids.
std::string RandomToken(std::size_t bytes);

// SHA-256 digest: raw 32 bytes, or 64 lowercase hex characters.
std::string Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);

// HMAC-SHA256 of `data` under `key`; raw 32 bytes.
std::string HmacSha256(std::string_view key, std::string_view data);

// Only for Megaplan's API v1, whose sign-in and request signatures are defined with them
// (reference megaplan.md §3): MD5 of the password and HMAC-SHA1, both as lowercase hex.
std::string LegacyMd5Hex(std::string_view data);
std::string LegacyHmacSha1Hex(std::string_view key, std::string_view data);

// HKDF-SHA256 (RFC 5869) producing `length` bytes, 1 <= length <= 8160. Throws InvalidArgument
// for a length outside that range.
std::string HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info,
                       std::size_t length);

// Equality whose running time does not depend on where the inputs differ. Inputs of different
// lengths compare unequal; the length itself is not treated as secret.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Lowercase hex.
std::string HexEncode(std::string_view data);

// RFC 4648 base64 with padding. Decode is strict (canonical input only) and throws
// InvalidArgument on anything else, including whitespace.
std::string Base64Encode(std::string_view data);
std::string Base64Decode(std::string_view text);

// RFC 4648 base64url without padding. Decode is strict: no padding, no whitespace, unused
// trailing bits must be zero; throws InvalidArgument otherwise.
std::string Base64UrlEncode(std::string_view data);
std::string Base64UrlDecode(std::string_view text);

}  // namespace opdesk::crypto
