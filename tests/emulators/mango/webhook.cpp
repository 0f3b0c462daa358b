#include "tests/emulators/mango/webhook.h"

#include <cpprest/http_client.h>

#include <chrono>

namespace mangoemu {

using web::http::http_request;
using web::http::http_response;
using web::http::client::http_client;

namespace {

// POSTs the form and waits for the status; 0 on any transport error.
int Post(const std::string& url, const std::string& form) {
  try {
    web::uri uri(url);
    web::http::client::http_client_config config;
    config.set_timeout(std::chrono::seconds(5));
    http_client client(web::uri_builder()
                           .set_scheme(uri.scheme())
                           .set_host(uri.host())
                           .set_port(uri.port())
                           .to_uri(),
                       config);
    http_request msg(web::http::methods::POST);
    msg.set_request_uri(uri.resource());
    msg.set_body(form, "application/x-www-form-urlencoded");
    // Blocking is fine here: this runs on a worker thread of our own, not on the pool.
    http_response resp = client.request(msg).get();
    resp.extract_string(true)
        .then([](pplx::task<std::string> t) {
          try {
            t.get();
          } catch (const std::exception&) {
            // The body is ignored, as Mango ignores it (reference §2.3).
          }
        })
        .wait();
    return resp.status_code();
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

int DeliverWebhook(State& st, const std::string& path, const std::string& json,
                   const std::string& entry_id) {
  std::string base;
  std::string form;
  {
    std::lock_guard<std::mutex> lock(st.mu);
    base = st.webhook_base;
    form = Envelope(st.opts.api_key, json, st.opts.api_salt);
  }
  int status = base.empty() ? 0 : Post(base + path, form);
  std::lock_guard<std::mutex> lock(st.mu);
  Json entry = Obj();
  entry["kind"] = Json::string("webhook");
  entry["path"] = Json::string(path);
  entry["url"] = Json::string(base + path);
  std::error_code ec;
  entry["json"] = Json::parse(json, ec);
  entry["raw_json"] = Json::string(json);
  entry["status"] = Json::number(status);
  if (!entry_id.empty()) {
    entry["entry_id"] = Json::string(entry_id);
  }
  entry["at_ms"] = Json::number(NowMs());
  st.requests.push_back(entry);
  ++st.stats.webhooks_sent;
  if (status < 200 || status > 299) {
    ++st.stats.webhooks_failed;
  }
  return status;
}

void DeliverWebhookAsync(State& st, const std::string& path, const std::string& json) {
  st.workers.Spawn([&st, path, json] { DeliverWebhook(st, path, json); });
}

std::string ResultJson(const std::string& command_id, int result) {
  Json j = Obj();
  j["command_id"] = Json::string(command_id);
  j["result"] = Json::number(result);
  return j.serialize();
}

}  // namespace mangoemu
