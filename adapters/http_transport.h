// Outbound HTTP for every adapter (Bitrix24, Mango, Megaplan): one cpprestsdk client per base URI,
// a cap on requests in flight per base URI (the library has none), and an overall deadline (the
// library's own timeout only measures inactivity). Blocking by design: call it from outbox workers
// or the blocking executor, never from the HTTP I/O pool.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace opdesk::adapters {

struct HttpCall {
  std::string method = "GET";
  std::string url;  // absolute
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{15'000};  // overall, from send to full body
  // Large bodies stay on disk: the request body is read from `body_file` (instead of `body`),
  // the answer's body is written to `response_file` (and `HttpReply::body` stays empty).
  std::string body_file;
  std::string response_file;
};

struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
};

class HttpTransport {
 public:
  struct Options {
    bool allow_insecure = false;  // plain http:// (tests, sandbox)
    int max_in_flight_per_host = 16;
    std::string user_agent = "opdesk/0.1";
  };
  explicit HttpTransport(Options options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Throws Unavailable when the peer cannot be reached or the connection breaks, DeadlineExceeded
  // when the overall timeout passes (the outcome on the peer is then unknown), InvalidArgument for
  // a URL that is malformed or not allowed (http:// without allow_insecure). Redirects are not
  // followed: a 3xx comes back as is.
  // NOTE: blocking.
  HttpReply Send(const HttpCall& call);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// application/x-www-form-urlencoded encoding of one value.
std::string UrlEncode(std::string_view value);

}  // namespace opdesk::adapters
