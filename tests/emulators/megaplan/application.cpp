// /_emu/app/: the account as a host of opdesk's marketplace application (reference megaplan.md
// §1.2). A test or the sandbox asks the account to
//   POST /_emu/app/open   {url, application_uuid, [method GET|POST], [token_ttl_s],
//                          [expiration: "unix"|"unix_ms"|"iso"], [fields: {name: value}]}
//     issue an application token (acting as the installing admin, employee 1000001) and open
//     opdesk's application URL with accountId, uniqueAccountId, applicationToken,
//     expirationTime, applicationUuid, permanentHost and userSign (`fields` overrides or adds
//     any of them: forged launches); answers {status, body, token} of opdesk's answer;
//   POST /_emu/app/event  {url, application_uuid, event, model, id, [account_info: {…}]}
//     post an entity event {event, data:<the entity as it is now, or {id} once dropped>,
//     accountInfo:{integrationUuid, uuid, model, accountId, uniqueAccountId}} to `url`;
//   POST /_emu/app/drop   {id}  drop a contractor (as a user deleting it in the account);
//   POST /_emu/app/phone  {id, phone}  replace a contractor's phones.
// userSign: the reference gives no rule for it, so the emulator sends a random value.
#include <cpprest/http_client.h>

#include <ctime>

#include "tests/emulators/common/util.h"
#include "tests/emulators/megaplan/state.h"

namespace mpemu {
namespace {

std::string Host(const State& st) {
  return "127.0.0.1:" + std::to_string(st.opts.port);
}

std::string UniqueAccountId(const State& st) {
  return "emu-account-" + std::to_string(st.opts.port);
}

std::string IsoUtc(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Sends `method` to `url` (with `query` or a JSON/form `body`) and reports opdesk's answer.
HttpOutcome Deliver(const std::string& method, const std::string& url, const std::string& query,
                    const std::string& body, const std::string& content_type, Json extra) {
  try {
    web::http::client::http_client_config config;
    config.set_timeout(std::chrono::seconds(30));
    web::http::client::http_client client(web::uri(url), config);
    web::http::http_request req(method);
    if (!query.empty()) {
      req.set_request_uri(web::uri("?" + query));
    }
    if (!body.empty()) {
      req.set_body(body, content_type);
    }
    web::http::http_response resp = client.request(req).get();
    const std::string text = resp.extract_utf8string(true).get();
    Json out = std::move(extra);
    out["status"] = Json::number(resp.status_code());
    try {
      out["body"] = Json::parse(text);
    } catch (const std::exception&) {
      out["body"] = Json::string(text);
    }
    return emu::JsonReply(200, out);
  } catch (const std::exception& e) {
    return emu::ErrorReply(502, std::string("cannot reach ") + url + ": " + e.what());
  }
}

std::string Encode(const std::string& s) {
  return web::uri::encode_data_string(s);
}

}  // namespace

HttpOutcome HandleApplication(State& st, const std::string& method, const std::string& path,
                              const std::string& body) {
  Json json = Obj();
  if (!body.empty()) {
    try {
      json = Json::parse(body);
    } catch (const std::exception&) {
      return emu::ErrorReply(400, "body is not JSON");
    }
  }
  if (method != "POST") {
    return emu::ErrorReply(405, "POST only");
  }
  if (path == "/_emu/app/drop" || path == "/_emu/app/phone") {
    std::lock_guard<std::mutex> lock(st.mu);
    auto c = st.contractors.find(Str(json, "id"));
    if (c == st.contractors.end()) {
      return emu::ErrorReply(404, "no contractor " + Str(json, "id"));
    }
    if (path == "/_emu/app/drop") {
      st.contractors.erase(c);
    } else {
      Json info = Obj();
      info["contentType"] = Json::string("ContactInfo");
      info["type"] = Json::string("phone");
      info["value"] = Json::string(Str(json, "phone"));
      info["isMain"] = Json::boolean(true);
      c->second["contactInfo"] = Json::array({info});
    }
    Json ok = Obj();
    ok["ok"] = Json::boolean(true);
    return emu::JsonReply(200, ok);
  }
  const std::string url = Str(json, "url");
  if (url.empty()) {
    return emu::ErrorReply(400, "url is required");
  }
  if (path == "/_emu/app/open") {
    std::string token;
    std::vector<std::pair<std::string, std::string>> fields;
    {
      std::lock_guard<std::mutex> lock(st.mu);
      const int64_t ttl_s = std::stoll(Str(json, "token_ttl_s", std::to_string(st.token_ttl_s)));
      const int64_t expires_at = emu::NowMs() + ttl_s * 1000;
      token = emu::RandomHex(40);
      st.tokens[token] = {"1000001", expires_at, false};
      const std::string format = Str(json, "expiration", "unix");
      const std::string expiration = format == "iso"       ? IsoUtc(expires_at)
                                     : format == "unix_ms" ? std::to_string(expires_at)
                                                           : std::to_string(expires_at / 1000);
      fields = {{"accountId", Host(st)},
                {"uniqueAccountId", UniqueAccountId(st)},
                {"applicationToken", token},
                {"expirationTime", expiration},
                {"applicationUuid", Str(json, "application_uuid")},
                {"permanentHost", Host(st)},
                {"userSign", emu::RandomHex(32)}};
    }
    if (json.has_field("fields") && json.at("fields").is_object()) {
      for (const auto& [k, v] : json.at("fields").as_object()) {
        const std::string value = v.is_string() ? v.as_string() : v.serialize();
        bool replaced = false;
        for (auto& f : fields) {
          if (f.first == k) {
            f.second = value;
            replaced = true;
          }
        }
        if (!replaced) {
          fields.emplace_back(k, value);
        }
      }
    }
    std::string form;
    for (const auto& [k, v] : fields) {
      if (v == "<omit>") {
        continue;
      }
      form += (form.empty() ? "" : "&") + Encode(k) + "=" + Encode(v);
    }
    Json extra = Obj();
    extra["token"] = Json::string(token);
    if (Str(json, "method", "GET") == "POST") {
      return Deliver("POST", url, "", form, "application/x-www-form-urlencoded", extra);
    }
    return Deliver("GET", url, form, "", "", extra);
  }
  if (path == "/_emu/app/event") {
    Json event = Obj();
    {
      std::lock_guard<std::mutex> lock(st.mu);
      event["event"] = Json::string(Str(json, "event", "on_after_update"));
      const std::string id = Str(json, "id");
      auto c = st.contractors.find(id);
      if (c != st.contractors.end()) {
        event["data"] = c->second;
      } else {
        Json data = Obj();
        data["contentType"] = Json::string(Str(json, "model", "ContractorHuman"));
        data["id"] = Json::string(id);
        event["data"] = data;
      }
      Json info = Obj();
      info["integrationUuid"] = Json::string(Str(json, "application_uuid"));
      info["uuid"] = Json::string(emu::RandomHex(32));
      info["model"] = Json::string(Str(json, "model", "ContractorHuman"));
      // Not in the reference's event shape: how opdesk tells accounts apart (see opdesk's
      // webhooks/megaplan/routes.cpp).
      info["accountId"] = Json::string(Host(st));
      info["uniqueAccountId"] = Json::string(UniqueAccountId(st));
      if (json.has_field("account_info") && json.at("account_info").is_object()) {
        for (const auto& [k, v] : json.at("account_info").as_object()) {
          info[k] = v;
        }
      }
      event["accountInfo"] = info;
    }
    return Deliver("POST", url, "", event.serialize(), "application/json", Obj());
  }
  return emu::ErrorReply(404, "unknown control path " + path);
}

}  // namespace mpemu
