#include "tests/emulators/mango/server.h"

#include <chrono>

#include "tests/emulators/mango/control.h"
#include "tests/emulators/mango/webhook.h"

namespace mangoemu {

using emu::Send;
using web::http::http_request;

namespace {

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
  emu::Listener listener;

  explicit Impl(State& s)
      : st(s), listener(s.opts.port, [this](http_request req, const std::string& body) {
          Dispatch(std::move(req), body);
        }) {}

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
};

Server::Server(State& st) : impl_(std::make_unique<Impl>(st)) {}

Server::~Server() = default;

void Server::Open() {
  impl_->listener.Open();
}

void Server::Close() {
  impl_->listener.Close();
}

}  // namespace mangoemu
