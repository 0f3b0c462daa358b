#include "tests/emulators/common/http_front.h"

#include <chrono>
#include <thread>

namespace emu {

using web::http::http_request;
using web::http::http_response;

HttpOutcome JsonReply(int status, web::json::value body) {
  HttpOutcome out;
  out.status = status;
  out.body = std::move(body);
  return out;
}

HttpOutcome ErrorReply(int status, const std::string& text) {
  web::json::value b = web::json::value::object();
  b["error"] = web::json::value::string(text);
  return JsonReply(status, std::move(b));
}

void Observe(pplx::task<void> t) {
  try {
    t.get();
  } catch (const std::exception&) {
    // The client went away; nothing to do.
  }
}

void Send(http_request req, const HttpOutcome& out) {
  http_response resp(static_cast<web::http::status_code>(out.status));
  for (const auto& [k, v] : out.headers) {
    resp.headers().add(k, v);
  }
  if (!out.text.empty()) {
    resp.set_body(out.text, out.text_type);
  } else if (!out.body.is_null()) {
    resp.set_body(out.body.serialize(), "application/json; charset=utf-8");
  }
  if (out.delay_ms <= 0) {
    req.reply(resp).then([](pplx::task<void> t) { Observe(t); });
    return;
  }
  std::thread([req, resp, delay = out.delay_ms]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    req.reply(resp).then([](pplx::task<void> t) { Observe(t); });
  }).detach();
}

Listener::Listener(int port, Dispatch dispatch)
    : listener_("http://127.0.0.1:" + std::to_string(port) + "/"), dispatch_(std::move(dispatch)) {}

void Listener::Open() {
  listener_.support([this](http_request req) { Handle(req); });
  listener_.open().wait();
}

void Listener::Close() {
  listener_.close().wait();
}

void Listener::Handle(http_request req) {
  if (req.method() == web::http::methods::TRCE) {
    // cpprest would echo the whole request (tokens included); refuse instead.
    req.reply(web::http::status_codes::MethodNotAllowed).then([](pplx::task<void> t) {
      Observe(t);
    });
    return;
  }
  // Reply from the body's continuation: never block an I/O thread waiting for the body.
  req.extract_string(true)
      .then([this, req](pplx::task<std::string> t) {
        std::string body;
        try {
          body = t.get();
        } catch (const std::exception&) {
          body.clear();
        }
        dispatch_(req, body);
      })
      .then([req](pplx::task<void> t) {
        try {
          t.get();
        } catch (const std::exception& e) {
          http_response resp(web::http::status_codes::InternalError);
          resp.set_body(std::string("emulator error: ") + e.what());
          req.reply(resp).then([](pplx::task<void> r) { Observe(r); });
        }
      });
}

}  // namespace emu
