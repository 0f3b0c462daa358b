// The HTTP server on cpprestsdk's listener. On the I/O thread it only checks the method, the route
// and the body size, reads the body, and hands the request to the blocking executor, where the
// handler runs and the single reply is sent. Every request gets a request id, a metrics sample and
// an access-log line with secrets masked.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "connector/http/executor.h"
#include "connector/http/metrics.h"
#include "connector/http/router.h"

namespace opdesk::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::size_t default_max_body_bytes = 1 << 20;
};

class HttpServer {
 public:
  // `ingest` runs the handlers of Lane::kIngest routes; null: `executor` runs every route.
  HttpServer(ServerOptions options, const Router& router, BlockingExecutor& executor,
             Metrics& metrics, BlockingExecutor* ingest = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting. Throws Unavailable when the address cannot be bound.
  void Start();
  // From now on new requests get 503 (with Connection: close); requests in flight go on.
  void BeginDrain();
  // Waits until no request is in flight, at most `timeout`. True if drained.
  bool WaitIdle(std::chrono::milliseconds timeout);
  // Closes the listener (and any connection left).
  void Stop();
  int in_flight() const { return in_flight_.load(); }
  bool draining() const { return draining_.load(); }

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::atomic<int> in_flight_{0};
  std::atomic<bool> draining_{false};
};

}  // namespace opdesk::http
