// API v1, only what opdesk uses of it (reference megaplan.md §3): the sign-in
// /BumsCommonApiV01/User/authorize.api (Login, Password = MD5 hex of the password) giving an
// AccessId and SecretKey, and /BumsCrmApiV01/Contractor/list.api with Phone, whose requests must
// carry Date and X-Authorization: AccessId:base64(hex(HMAC-SHA1(SecretKey, method \n Content-MD5
// \n Content-Type \n Date \n host + URI))). Answers {status:{code, message}, data}.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <map>

#include "tests/emulators/common/util.h"
#include "tests/emulators/megaplan/state.h"

namespace mpemu {
namespace {

struct V1Key {
  std::string secret;
  std::string employee_id;
};
std::map<std::string, V1Key> g_v1_keys;  // AccessId → key; under State::mu

std::string Hex(const unsigned char* bytes, unsigned int n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

std::string Md5Hex(const std::string& text) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(text.data(), text.size(), out, &n, EVP_md5(), nullptr);
  return Hex(out, n);
}

std::string Signature(const std::string& key, const std::string& text) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), out, &n);
  const std::string hex = Hex(out, n);
  std::string b64(4 * ((hex.size() + 2) / 3) + 1, '\0');
  const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                                  reinterpret_cast<const unsigned char*>(hex.data()),
                                  static_cast<int>(hex.size()));
  b64.resize(static_cast<size_t>(len));
  return b64;
}

HttpOutcome V1Reply(int status, const std::string& code, const std::string& message, Json data) {
  HttpOutcome out;
  out.status = status;
  out.body = Obj();
  Json st = Obj();
  st["code"] = Json::string(code);
  st["message"] = Json::string(message);
  out.body["status"] = st;
  out.body["data"] = std::move(data);
  return out;
}

std::string Param(const std::string& query, const std::string& name) {
  for (const auto& [k, v] : web::uri::split_query(query)) {
    if (web::uri::decode(k) == name) {
      return web::uri::decode(v);
    }
  }
  return "";
}

}  // namespace

HttpOutcome HandleV1(State& st, const std::string& method, const std::string& path,
                     const std::string& query, const V1Headers& h) {
  std::lock_guard<std::mutex> lock(st.mu);
  Json entry = Obj();
  entry["method"] = Json::string(method);
  entry["path"] = Json::string(path);
  entry["at_ms"] = Json::number(emu::NowMs());
  HttpOutcome out = [&]() -> HttpOutcome {
    for (auto it = st.faults.begin(); it != st.faults.end(); ++it) {
      if (path.rfind(it->path, 0) == 0 && (it->method.empty() || it->method == method)) {
        const int status = it->status;
        if (--it->count <= 0) {
          st.faults.erase(it);
        }
        return V1Reply(status, "error", "injected fault", Obj());
      }
    }
    if (path == "/BumsCommonApiV01/User/authorize.api") {
      auto login = st.logins.find(Param(query, "Login"));
      if (login == st.logins.end() || Md5Hex(login->second.password) != Param(query, "Password")) {
        return V1Reply(200, "error", "Неверный логин или пароль", Obj());
      }
      const std::string access_id = emu::RandomHex(20);
      g_v1_keys[access_id] = {emu::RandomHex(40), login->second.employee_id};
      Json data = Obj();
      data["AccessId"] = Json::string(access_id);
      data["SecretKey"] = Json::string(g_v1_keys[access_id].secret);
      data["UserId"] = Json::string(login->second.employee_id);
      return V1Reply(200, "ok", "", data);
    }
    // Every other method is signed.
    const auto colon = h.authorization.find(':');
    auto key = colon == std::string::npos ? g_v1_keys.end()
                                          : g_v1_keys.find(h.authorization.substr(0, colon));
    if (h.date.empty() || key == g_v1_keys.end()) {
      return V1Reply(401, "error", "Требуется авторизация", Obj());
    }
    const std::string text = method + "\n" + h.content_md5 + "\n" + h.content_type + "\n" + h.date +
                             "\n" + h.host + path + (query.empty() ? "" : "?" + query);
    if (Signature(key->second.secret, text) != h.authorization.substr(colon + 1)) {
      entry["bad_signature"] = Json::boolean(true);
      return V1Reply(401, "error", "Неверная подпись", Obj());
    }
    entry["user"] = Json::string(key->second.employee_id);
    if (path == "/BumsCrmApiV01/Contractor/list.api") {
      const std::string phone = PhoneKey(Param(query, "Phone"));
      entry["phone"] = Json::string(phone);
      std::vector<Json> clients;
      for (const auto& [id, c] : st.contractors) {
        bool match = false;
        if (c.has_field("contactInfo") && c.at("contactInfo").is_array()) {
          for (const Json& info : c.at("contactInfo").as_array()) {
            match |= Str(info, "type") == "phone" && !phone.empty() &&
                     PhoneKey(Str(info, "value")) == phone;
          }
        }
        if (!match) {
          continue;
        }
        Json item = Obj();
        item["Id"] = Json::number(static_cast<int64_t>(std::stoll(id)));
        const bool human = Str(c, "contentType") == "ContractorHuman";
        item["PersonType"] = Json::string(human ? "human" : "company");
        item["Name"] =
            Json::string(human ? Str(c, "lastName") + " " + Str(c, "firstName") : Str(c, "name"));
        std::vector<Json> responsibles;
        if (c.has_field("responsibles") && c.at("responsibles").is_array()) {
          for (const Json& r : c.at("responsibles").as_array()) {
            Json ref = Obj();
            ref["Id"] = Json::number(static_cast<int64_t>(std::stoll(Str(r, "id", "0"))));
            responsibles.push_back(ref);
          }
        }
        item["Responsibles"] = Json::array(responsibles);
        clients.push_back(item);
      }
      Json data = Obj();
      data["clients"] = Json::array(clients);
      return V1Reply(200, "ok", "", data);
    }
    return V1Reply(404, "error", "Нет такого метода", Obj());
  }();
  entry["status"] = Json::number(out.status);
  st.log.push_back(entry);
  return out;
}

}  // namespace mpemu
