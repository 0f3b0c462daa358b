#include "tests/emulators/mango/server.h"

#include <cpprest/http_listener.h>

#include <chrono>

#include "tests/emulators/mango/control.h"
#include "tests/emulators/mango/webhook.h"

namespace mangoemu {

using web::http::http_request;
using web::http::http_response;
using web::http::experimental::listener::http_listener;

namespace {

void Observe(pplx::task<void> t) {
  try {
    t.get();
  } catch (const std::exception&) {
    // The client went away; nothing to do.
  }
}

// Replies exactly once; callable from any thread.
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
  req.reply(resp).then([](pplx::task<void> t) { Observe(t); });
}

HttpOutcome Simple(int status, const std::string& key, Json value) {
  HttpOutcome out;
  out.status = status;
  out.body = Obj();
  out.body[key] = std::move(value);
  return out;
}

// POST /_emu/wait {entry_id, timeout_ms}: waits on a worker for the call to finish sending.
void Wait(State& st, http_request req, const std::string& body) {
  std::error_code ec;
  Json json = Json::parse(body, ec);
  std::string entry_id = ec ? "" : Str(json, "entry_id");
  int64_t timeout_ms = ec ? 10000 : Int(json, "timeout_ms", 10000);
  st.workers.Spawn([&st, req, entry_id, timeout_ms] {
    std::unique_lock<std::mutex> lock(st.mu);
    auto it = st.calls.find(entry_id);
    if (it == st.calls.end()) {
      lock.unlock();
      Send(req, Simple(404, "error", Json::string("unknown entry_id " + entry_id)));
      return;
    }
    std::shared_ptr<Call> call = it->second;
    bool done = call->cv.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                                  [&] { return call->done || st.stopping; });
    done = done && call->done;
    Json out = Obj();
    out["entry_id"] = Json::string(entry_id);
    out["done"] = Json::boolean(done);
    out["events_sent"] = Json::number(call->events_sent);
    out["events_acknowledged"] = Json::number(call->events_acknowledged);
    lock.unlock();
    HttpOutcome o;
    o.status = done ? 200 : 408;
    o.body = out;
    Send(req, o);
  });
}

// POST /_emu/ping: the admin pressed "check connection"; answers with opdesk's status.
void Ping(State& st, http_request req) {
  st.workers.Spawn([&st, req] {
    Json ping = Obj();
    ping["timestamp"] = Json::number(NowMs() / 1000);
    int status = DeliverWebhook(st, "ping", ping.serialize());
    Send(req, Simple(200, "status", Json::number(status)));
  });
}

}  // namespace

struct Server::Impl {
  State& st;
  http_listener listener;

  explicit Impl(State& s)
      : st(s), listener("http://127.0.0.1:" + std::to_string(s.opts.port) + "/") {}

  void Dispatch(http_request req, const std::string& body) {
    std::string method = req.method();
    std::string path = web::uri::decode(req.relative_uri().path());
    if (path.rfind("/vpbx/", 0) == 0) {
      Send(req, HandleVpbx(st, method, path.substr(6), body));
    } else if (path.rfind("/files/", 0) == 0 && method == "GET") {
      Send(req, HandleFile(st, path));
    } else if (path == "/_emu/wait" && method == "POST") {
      Wait(st, req, body);
    } else if (path == "/_emu/ping" && method == "POST") {
      Ping(st, req);
    } else if (path.rfind("/_emu/", 0) == 0) {
      Send(req, HandleControl(st, method, path, body));
    } else {
      Send(req, Simple(404, "error", Json::string("unknown path " + path)));
    }
  }

  void Handle(http_request req) {
    if (req.method() == web::http::methods::TRCE) {
      // cpprest would echo the whole request back; refuse instead.
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
          Dispatch(req, body);
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
};

Server::Server(State& st) : impl_(std::make_unique<Impl>(st)) {}

Server::~Server() = default;

void Server::Open() {
  impl_->listener.support([this](http_request req) { impl_->Handle(req); });
  impl_->listener.open().wait();
}

void Server::Close() {
  impl_->listener.close().wait();
}

}  // namespace mangoemu
