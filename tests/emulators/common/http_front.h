// The HTTP front both emulators share: one cpprestsdk listener on 127.0.0.1 that refuses TRACE,
// reads each body without blocking an I/O thread and hands the request to the emulator's
// dispatcher, and the one way an answer (HttpOutcome) is sent back, optionally delayed.
#pragma once

#include <cpprest/http_listener.h>
#include <cpprest/json.h>

#include <functional>
#include <map>
#include <string>

namespace emu {

struct HttpOutcome {
  int status = 200;
  web::json::value body;  // null: no JSON body
  std::map<std::string, std::string> headers;
  int delay_ms = 0;  // fault injection: answer this much later
  std::string text;  // a non-JSON body (the stand-in BX24.js, a recording), sent when not empty
  std::string text_type;  // its Content-Type
};

// A JSON answer with this status; the control APIs' refusal, {"error": text}.
HttpOutcome JsonReply(int status, web::json::value body);
HttpOutcome ErrorReply(int status, const std::string& text);

// Ends a reply task, observing its error (the client went away; nothing to do).
void Observe(pplx::task<void> t);

// Replies exactly once; callable from any thread. A delayed answer waits on a private thread so
// no I/O thread of the pool is held.
void Send(web::http::http_request req, const HttpOutcome& out);

class Listener {
 public:
  // Called on a cpprestsdk thread with the whole body; must reply (Send) exactly once, now or
  // later. An exception it throws answers 500 "emulator error: …".
  using Dispatch = std::function<void(web::http::http_request req, const std::string& body)>;

  Listener(int port, Dispatch dispatch);
  void Open();   // blocks until listening; throws on failure
  void Close();  // blocks until closed

 private:
  void Handle(web::http::http_request req);

  web::http::experimental::listener::http_listener listener_;
  Dispatch dispatch_;
};

}  // namespace emu
