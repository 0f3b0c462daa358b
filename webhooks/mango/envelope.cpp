#include "webhooks/mango/envelope.h"

#include <optional>
#include <string>

#include "connector/domain/error.h"
#include "connector/http/message.h"
#include "oauth/crypto.h"

namespace opdesk::mango {
namespace {

// RFC 3986 unreserved characters pass through; everything else, '+' and '&' included, is escaped,
// so the receiver's form decoding ('+' is a space) gives back exactly the json that was signed.
// Plain ASCII tests rather than <cctype>, whose answers depend on the process locale.
bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

std::string FormEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() * 3);
  for (const unsigned char c : value) {
    if (IsUnreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

Envelope ParseEnvelope(std::string_view form_body) {
  const http::Params form = http::ParseForm(form_body);
  // An empty value is treated as missing: none of the three can be empty in a valid envelope.
  auto required = [&form](const char* name) {
    std::optional<std::string> value = http::FindParam(form, name);
    if (!value || value->empty()) {
      throw InvalidArgument(std::string("the form has no ") + name, name);
    }
    return std::move(*value);
  };
  Envelope envelope;
  envelope.vpbx_api_key = required("vpbx_api_key");
  envelope.sign = required("sign");
  envelope.json = required("json");
  return envelope;
}

std::string MangoSign(std::string_view key, std::string_view json, std::string_view salt) {
  std::string text;
  text.reserve(key.size() + json.size() + salt.size());
  text.append(key).append(json).append(salt);
  return crypto::Sha256Hex(text);
}

bool SignatureMatches(const Envelope& envelope, std::string_view salt) {
  // The reference asks for lowercase hex, but case carries no meaning in hex; normalise before the
  // constant-time comparison so an upper-case signer is not locked out.
  std::string given = envelope.sign;
  for (char& c : given) {
    c = AsciiLower(c);
  }
  return crypto::ConstantTimeEquals(given, MangoSign(envelope.vpbx_api_key, envelope.json, salt));
}

std::string BuildEnvelope(std::string_view key, std::string_view json, std::string_view salt) {
  return "vpbx_api_key=" + FormEncode(key) + "&sign=" + MangoSign(key, json, salt) +
         "&json=" + FormEncode(json);
}

}  // namespace opdesk::mango
