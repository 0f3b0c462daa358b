#include "oauth/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <array>
#include <climits>
#include <cstdint>
#include <memory>

#include "connector/domain/error.h"

namespace opdesk::crypto {
namespace {

constexpr std::size_t kSha256Size = 32;
constexpr std::size_t kHkdfMaxLength = 255 * kSha256Size;

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// OpenSSL wants a valid pointer even for empty input; string_view::data() may be null.
const unsigned char* Bytes(std::string_view s) {
  static const unsigned char kEmpty = 0;
  return s.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(s.data());
}

std::string Encode(std::string_view data, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(data[i])} << 16) |
                            (std::uint32_t{static_cast<unsigned char>(data[i + 1])} << 8) |
                            std::uint32_t{static_cast<unsigned char>(data[i + 2])};
    out.push_back(alphabet[(v >> 18) & 0x3f]);
    out.push_back(alphabet[(v >> 12) & 0x3f]);
    out.push_back(alphabet[(v >> 6) & 0x3f]);
    out.push_back(alphabet[v & 0x3f]);
  }
  const std::size_t rest = data.size() - i;
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t{static_cast<unsigned char>(data[i])} << 16;
    out.push_back(alphabet[(v >> 18) & 0x3f]);
    out.push_back(alphabet[(v >> 12) & 0x3f]);
    if (pad) {
      out.append("==");
    }
  } else if (rest == 2) {
    const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(data[i])} << 16) |
                            (std::uint32_t{static_cast<unsigned char>(data[i + 1])} << 8);
    out.push_back(alphabet[(v >> 18) & 0x3f]);
    out.push_back(alphabet[(v >> 12) & 0x3f]);
    out.push_back(alphabet[(v >> 6) & 0x3f]);
    if (pad) {
      out.push_back('=');
    }
  }
  return out;
}

// Reverse lookup: 0..63 for alphabet characters, -1 for everything else.
std::array<int, 256> ReverseTable(std::string_view alphabet) {
  std::array<int, 256> table{};
  table.fill(-1);
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
  }
  return table;
}

// Decodes unpadded text (length % 4 != 1). Rejects non-canonical trailing bits so that every
// byte string has exactly one accepted encoding; tokens then cannot be re-spelled.
std::string DecodeUnpadded(std::string_view text, const std::array<int, 256>& table,
                           const char* what) {
  if (text.size() % 4 == 1) {
    throw InvalidArgument(std::string(what) + " input has an impossible length");
  }
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t acc = 0;
  int bits = 0;
  for (const char c : text) {
    const int v = table[static_cast<unsigned char>(c)];
    if (v < 0) {
      throw InvalidArgument(std::string(what) + " input contains an invalid character");
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) {
    throw InvalidArgument(std::string(what) + " input has non-zero trailing bits");
  }
  return out;
}

struct KdfDeleter {
  void operator()(EVP_KDF* kdf) const { EVP_KDF_free(kdf); }
};
struct KdfCtxDeleter {
  void operator()(EVP_KDF_CTX* ctx) const { EVP_KDF_CTX_free(ctx); }
};

}  // namespace

std::string RandomBytes(std::size_t n) {
  if (n > static_cast<std::size_t>(INT_MAX)) {
    throw InvalidArgument("too many random bytes requested");
  }
  std::string out(n, '\0');
  if (n == 0) {
    return out;
  }
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw Internal("the OpenSSL random generator failed");
  }
  return out;
}

std::string RandomToken(std::size_t bytes) {
  return HexEncode(RandomBytes(bytes));
}

std::string Sha256(std::string_view data) {
  std::string out(kSha256Size, '\0');
  unsigned int len = 0;
  if (EVP_Digest(Bytes(data), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len,
                 EVP_sha256(), nullptr) != 1 ||
      len != kSha256Size) {
    throw Internal("SHA-256 failed");
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  return HexEncode(Sha256(data));
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  if (key.size() > static_cast<std::size_t>(INT_MAX)) {
    throw InvalidArgument("HMAC key is too long");
  }
  std::string out(kSha256Size, '\0');
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), Bytes(key), static_cast<int>(key.size()), Bytes(data), data.size(),
           reinterpret_cast<unsigned char*>(out.data()), &len) == nullptr ||
      len != kSha256Size) {
    throw Internal("HMAC-SHA256 failed");
  }
  return out;
}

std::string LegacyMd5Hex(std::string_view data) {
  std::string out(16, '\0');
  unsigned int len = 0;
  if (EVP_Digest(Bytes(data), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len,
                 EVP_md5(), nullptr) != 1 ||
      len != 16) {
    throw Internal("MD5 failed");
  }
  return HexEncode(out);
}

std::string LegacyHmacSha1Hex(std::string_view key, std::string_view data) {
  if (key.size() > static_cast<std::size_t>(INT_MAX)) {
    throw InvalidArgument("HMAC key is too long");
  }
  std::string out(20, '\0');
  unsigned int len = 0;
  if (HMAC(EVP_sha1(), Bytes(key), static_cast<int>(key.size()), Bytes(data), data.size(),
           reinterpret_cast<unsigned char*>(out.data()), &len) == nullptr ||
      len != 20) {
    throw Internal("HMAC-SHA1 failed");
  }
  return HexEncode(out);
}

std::string HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info,
                       std::size_t length) {
  if (length == 0 || length > kHkdfMaxLength) {
    throw InvalidArgument("HKDF-SHA256 output length must be between 1 and 8160 bytes");
  }
  std::unique_ptr<EVP_KDF, KdfDeleter> kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr));
  if (!kdf) {
    throw Internal("HKDF is not available in OpenSSL");
  }
  std::unique_ptr<EVP_KDF_CTX, KdfCtxDeleter> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) {
    throw Internal("cannot create an HKDF context");
  }
  // OSSL_PARAM takes non-const pointers but does not write through them for inputs.
  char digest[] = "SHA256";
  std::array<OSSL_PARAM, 5> params{};
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_octet_string(
      OSSL_KDF_PARAM_KEY, const_cast<unsigned char*>(Bytes(ikm)), ikm.size());
  if (!salt.empty()) {
    params[n++] = OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_SALT, const_cast<unsigned char*>(Bytes(salt)), salt.size());
  }
  if (!info.empty()) {
    params[n++] = OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_INFO, const_cast<unsigned char*>(Bytes(info)), info.size());
  }
  params[n] = OSSL_PARAM_construct_end();
  std::string out(length, '\0');
  if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), length,
                     params.data()) != 1) {
    throw Internal("HKDF-SHA256 derivation failed");
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  if (a.empty()) {
    return true;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string HexEncode(std::string_view data) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (const char c : data) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0x0f]);
  }
  return out;
}

std::string Base64Encode(std::string_view data) {
  return Encode(data, kBase64Alphabet, true);
}

std::string Base64Decode(std::string_view text) {
  static const std::array<int, 256> kTable = ReverseTable(kBase64Alphabet);
  if (text.size() % 4 != 0) {
    throw InvalidArgument("base64 input length is not a multiple of 4");
  }
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  // Any '=' left in the body (a third one, or one in the middle) is caught as an invalid
  // character by the unpadded decoder.
  return DecodeUnpadded(text.substr(0, text.size() - padding), kTable, "base64");
}

std::string Base64UrlEncode(std::string_view data) {
  return Encode(data, kBase64UrlAlphabet, false);
}

std::string Base64UrlDecode(std::string_view text) {
  static const std::array<int, 256> kTable = ReverseTable(kBase64UrlAlphabet);
  return DecodeUnpadded(text, kTable, "base64url");
}

}  // namespace opdesk::crypto
