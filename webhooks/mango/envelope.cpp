#include "webhooks/mango/envelope.h"

#include <algorithm>

#include "connector/domain/error.h"
#include "connector/http/message.h"
#include "oauth/crypto.h"

namespace opdesk::mango {
namespace {

std::string FormEncode(std::string_view value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

Envelope ParseEnvelope(std::string_view form_body) {
  const http::Params form = http::ParseForm(form_body);
  Envelope e;
  auto field = [&](const char* name) {
    std::optional<std::string> v = http::FindParam(form, name);
    if (!v || v->empty()) {
      throw InvalidArgument(std::string("the form has no ") + name, name);
    }
    return *v;
  };
  e.vpbx_api_key = field("vpbx_api_key");
  e.sign = field("sign");
  e.json = field("json");
  return e;
}

std::string MangoSign(std::string_view key, std::string_view json, std::string_view salt) {
  std::string text;
  text.reserve(key.size() + json.size() + salt.size());
  text.append(key).append(json).append(salt);
  return crypto::Sha256Hex(text);
}

bool SignatureMatches(const Envelope& envelope, std::string_view salt) {
  std::string given = envelope.sign;
  std::transform(given.begin(), given.end(), given.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return crypto::ConstantTimeEquals(given, MangoSign(envelope.vpbx_api_key, envelope.json, salt));
}

std::string BuildEnvelope(std::string_view key, std::string_view json, std::string_view salt) {
  return "vpbx_api_key=" + FormEncode(key) + "&sign=" + MangoSign(key, json, salt) +
         "&json=" + FormEncode(json);
}

}  // namespace opdesk::mango
