#include "connector/http/server.h"

#include <cpprest/http_listener.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <random>

#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/http/error_response.h"
#include "connector/http/redact.h"
#include "connector/http/request_context.h"

namespace opdesk::http {
namespace {

namespace wh = web::http;
using Listener = wh::experimental::listener::http_listener;
using SteadyClock = std::chrono::steady_clock;

std::string NewRequestId() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// A client may pass its own id (nginx's $request_id, a test's marker) if it is short and plain.
std::string RequestIdFor(const wh::http_request& req) {
  auto it = req.headers().find("X-Request-Id");
  if (it != req.headers().end()) {
    const std::string& v = it->second;
    bool ok = !v.empty() && v.size() <= 64;
    for (char c : v) {
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
    }
    if (ok) {
      return v;
    }
  }
  return NewRequestId();
}

// Decrements the in-flight count exactly once, whichever path the request takes.
struct InFlight {
  explicit InFlight(std::atomic<int>& n) : counter(n) { ++counter; }
  ~InFlight() { --counter; }
  std::atomic<int>& counter;
};

// The body is taken from the listener's stream in pieces of at most this size; a body that
// declares a smaller length gets a piece of about its size (webhooks are a kilobyte or two, and a
// 64 KiB buffer per request cost a zero fill and a large allocation on every one).
constexpr std::size_t kBodyPiece = 64 * 1024;
constexpr std::size_t kSmallestPiece = 1024;

// Reads a request body in bounded pieces. At most `limit` bytes are kept: once more arrives the
// body is dropped and the rest is read and thrown away. The listener reads the body off the socket
// into an unbounded buffer whether or not anyone consumes it, and sends the reply only after the
// whole body is in, so a refused body must still be drained, never left to pile up.
struct BodyReader {
  BodyReader(concurrency::streams::streambuf<uint8_t> from, std::size_t max, std::size_t declared)
      : source(std::move(from)),
        limit(max),
        piece_size(std::clamp(declared, kSmallestPiece, kBodyPiece)),
        piece(std::make_unique_for_overwrite<uint8_t[]>(piece_size)) {
    body.reserve(std::min(declared, limit));
  }
  concurrency::streams::streambuf<uint8_t> source;
  std::size_t limit = 0;
  std::size_t piece_size = 0;
  std::unique_ptr<uint8_t[]> piece;
  std::string body;
  std::size_t total = 0;
  bool over_limit = false;
};

// Keeps the `n` bytes just read into the piece, unless the body is over its limit.
void TakePiece(BodyReader& reader, std::size_t n) {
  reader.total += n;
  if (!reader.over_limit && reader.body.size() + n > reader.limit) {
    reader.over_limit = true;
    std::string().swap(reader.body);
  }
  if (!reader.over_limit) {
    reader.body.append(reinterpret_cast<const char*>(reader.piece.get()), n);
  }
}

pplx::task<void> ReadBody(std::shared_ptr<BodyReader> reader) {
  return reader->source.getn(reader->piece.get(), reader->piece_size).then([reader](std::size_t n) {
    if (n == 0) {
      return pplx::task_from_result();
    }
    TakePiece(*reader, n);
    return ReadBody(reader);
  });
}

// Takes a body the listener has received whole: its stream is closed and every byte is buffered,
// so each read completes at once.
void TakeReceivedBody(BodyReader& reader) {
  for (;;) {
    const std::size_t n = reader.source.getn(reader.piece.get(), reader.piece_size).get();
    if (n == 0) {
      return;
    }
    TakePiece(reader, n);
  }
}

// Reads and discards a body that was refused before it was read.
void DrainBody(const wh::http_request& req) {
  auto reader =
      std::make_shared<BodyReader>(req.body().streambuf(), 0, req.headers().content_length());
  ReadBody(reader).then([reader](pplx::task<void> t) {
    try {
      t.get();
    } catch (const std::exception& e) {
      spdlog::debug("event=http_body_drain_failed error={}", LogQuoted(e.what()));
    }
  });
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  const Router& router;
  BlockingExecutor& executor;
  BlockingExecutor* ingest = nullptr;
  Metrics& metrics;
  HttpServer* owner = nullptr;
  std::unique_ptr<Listener> listener;

  void Dispatch(wh::http_request req);
  void Finish(const wh::http_request& req, const Request& request, const Response& response,
              SteadyClock::time_point started, std::size_t bytes_in);
};

HttpServer::HttpServer(ServerOptions options, const Router& router, BlockingExecutor& executor,
                       Metrics& metrics, BlockingExecutor* ingest)
    : impl_(new Impl{std::move(options), router, executor, nullptr, metrics, nullptr, nullptr}) {
  impl_->owner = this;
  impl_->ingest = ingest;
}

HttpServer::~HttpServer() {
  Stop();
}

void HttpServer::Start() {
  std::string uri =
      "http://" + impl_->options.host + ":" + std::to_string(impl_->options.port) + "/";
  wh::experimental::listener::http_listener_config config;
  config.set_backlog(1024);
  impl_->listener = std::make_unique<Listener>(uri, config);
  auto dispatch = [impl = impl_.get()](wh::http_request req) {
    // Runs on the I/O pool: no blocking here, and nothing may escape.
    try {
      impl->Dispatch(std::move(req));
    } catch (const std::exception& e) {
      spdlog::error("event=http_dispatch_failed error={}", LogQuoted(e.what()));
    }
  };
  impl_->listener->support(dispatch);
  // The catch-all handler does not cover TRACE: the listener answers it itself by echoing the
  // request (cookies, Authorization) unless TRACE has a handler of its own.
  impl_->listener->support(wh::methods::TRCE, dispatch);
  try {
    impl_->listener->open().wait();
  } catch (const std::exception& e) {
    impl_->listener.reset();
    throw Unavailable("cannot listen on " + impl_->options.host + ":" +
                      std::to_string(impl_->options.port) + ": " + e.what());
  }
  spdlog::info("event=http_listening address={}:{}", impl_->options.host, impl_->options.port);
}

void HttpServer::BeginDrain() {
  draining_ = true;
}

bool HttpServer::WaitIdle(std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (in_flight_.load() > 0) {
    if (SteadyClock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

void HttpServer::Stop() {
  if (impl_ && impl_->listener) {
    try {
      impl_->listener->close().wait();
    } catch (const std::exception& e) {
      spdlog::warn("event=http_close_failed error={}", LogQuoted(e.what()));
    }
    impl_->listener.reset();
  }
}

void HttpServer::Impl::Finish(const wh::http_request& req, const Request& request,
                              const Response& response, SteadyClock::time_point started,
                              std::size_t bytes_in) {
  // Rejections answered on the I/O thread log with the request id too.
  ScopedRequestId log_context(request.request_id);
  wh::http_response reply(static_cast<wh::status_code>(response.status));
  reply.headers().add("X-Request-Id", request.request_id);
  for (const auto& [name, value] : response.headers) {
    reply.headers().add(name, value);
  }
  if (owner->draining()) {
    reply.headers().add("Connection", "close");
  }
  reply.set_body(response.body, response.content_type);
  // Counted before the reply leaves: a client that reads /metrics right after its answer must see
  // its own request.
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  const std::string route = request.route.empty() ? "unmatched" : request.route;
  metrics.ObserveRequest(route, request.method, response.status, seconds);
  // Reply exactly once, and observe the outcome: an unobserved failed task ends the process.
  req.reply(reply).then([](pplx::task<void> t) {
    try {
      t.get();
    } catch (const std::exception& e) {
      spdlog::debug("event=http_reply_failed error={}", LogQuoted(e.what()));
    }
  });
  const std::string path =
      request.route.empty() ? request.path : RedactPath(request.path, request.route);
  // Method, path and query come from the client: escaped, so they cannot forge a line or a field.
  spdlog::info(
      "event=http_request method={} path={} query={} route={} status={} ms={:.2f} bytes_in={} "
      "bytes_out={}",
      LogValue(request.method), LogQuoted(path), LogQuoted(RedactQuery(request.query)),
      LogQuoted(route), response.status, seconds * 1000, bytes_in, response.body.size());
}

void HttpServer::Impl::Dispatch(wh::http_request req) {
  const auto started = SteadyClock::now();
  auto in_flight = std::make_shared<InFlight>(owner->in_flight_);
  auto request = std::make_shared<Request>();
  request->method = req.method();
  request->request_id = RequestIdFor(req);
  request->peer_address = req.remote_address();
  const web::uri& uri = req.relative_uri();
  request->path = web::uri::decode(uri.path());
  request->query = uri.query();
  request->query_params = ParseForm(request->query);
  for (const auto& [name, value] : req.headers()) {
    request->headers[name] = value;
  }

  auto reject = [&](int status, std::string_view code, std::string_view message,
                    std::string_view field = {}) {
    Response r = ErrorResponse(status, code, message, field, request->request_id);
    Finish(req, *request, r, started, 0);
  };

  // cpprestsdk echoes the whole request (cookies, Authorization) to TRACE by default.
  if (request->method == wh::methods::TRCE) {
    Response r =
        ErrorResponse(405, "METHOD_NOT_ALLOWED", "TRACE is not allowed", "", request->request_id);
    Finish(req, *request, r, started, 0);
    return;
  }
  if (owner->draining()) {
    reject(503, "UNAVAILABLE", "the server is shutting down");
    return;
  }
  RouteMatch match = router.Match(request->method, request->path);
  if (match.route == nullptr) {
    if (!match.allowed_methods.empty()) {
      Response r = ErrorResponse(405, "METHOD_NOT_ALLOWED",
                                 "method " + request->method + " is not allowed here", "",
                                 request->request_id);
      r.headers.emplace_back("Allow", match.allowed_methods);
      Finish(req, *request, r, started, 0);
    } else {
      reject(404, "NOT_FOUND", "no such endpoint");
    }
    return;
  }
  request->route = match.route->pattern;
  request->path_params = std::move(match.params);

  const std::size_t limit = match.route->options.max_body_bytes > 0
                                ? match.route->options.max_body_bytes
                                : options.default_max_body_bytes;
  // The listener takes any spelling ("Chunked", "gzip, chunked") as chunked, so this check must
  // too. A chunked body's size is unknown until it has been read whole.
  const std::string transfer_encoding = Lower(request->Header("Transfer-Encoding"));
  if (transfer_encoding.find("chunked") != std::string::npos) {
    reject(411, "LENGTH_REQUIRED", "chunked request bodies are not accepted; send Content-Length");
    DrainBody(req);
    return;
  }
  if (!transfer_encoding.empty()) {
    reject(400, "INVALID_ARGUMENT", "Transfer-Encoding is not supported on requests");
    DrainBody(req);
    return;
  }
  const std::size_t declared = req.headers().content_length();
  if (declared > limit) {
    reject(413, "PAYLOAD_TOO_LARGE",
           "request body of " + std::to_string(declared) + " bytes exceeds the limit of " +
               std::to_string(limit) + " bytes");
    DrainBody(req);
    return;
  }

  const Route* route = match.route;
  auto reader = std::make_shared<BodyReader>(req.body().streambuf(), limit, declared);
  // The declared length is within the limit (checked above) and chunked bodies are refused, so
  // the body the listener buffers is bounded. Waiting for it whole and then taking it in one go is
  // one hand-off between threads; reading it piece by piece as it arrives was one per piece plus
  // one for its end, each a thread woken (the public content_ready() adds one more).
  pplx::create_task(req._get_impl()->_get_data_available())
      .then([this, req, request, route, started, in_flight,
             reader](pplx::task<utility::size64_t> received) {
        try {
          received.get();
          TakeReceivedBody(*reader);
        } catch (const std::exception& e) {
          Response r = ErrorResponse(400, "INVALID_ARGUMENT",
                                     std::string("could not read the request body: ") + e.what(),
                                     "body", request->request_id);
          Finish(req, *request, r, started, 0);
          return;
        }
        if (reader->over_limit) {
          Response r = ErrorResponse(413, "PAYLOAD_TOO_LARGE", "request body exceeds the limit", "",
                                     request->request_id);
          Finish(req, *request, r, started, reader->total);
          return;
        }
        request->body = std::move(reader->body);
        BlockingExecutor& lane =
            route->options.lane == Lane::kIngest && ingest != nullptr ? *ingest : executor;
        bool queued = lane.Post([this, req, request, route, started, in_flight] {
          ScopedRequestId log_context(request->request_id);
          Response response;
          try {
            response = route->handler(*request);
          } catch (const Error& e) {
            if (e.code() == ErrorCode::kInternal) {
              spdlog::error("event=handler_failed route={} error={}", LogQuoted(request->route),
                            LogQuoted(e.what()));
            }
            response = ErrorResponse(e, request->request_id);
          } catch (const std::exception& e) {
            spdlog::error("event=handler_failed route={} error={}", LogQuoted(request->route),
                          LogQuoted(e.what()));
            response = ErrorResponse(Internal(e.what()), request->request_id);
          }
          Finish(req, *request, response, started, request->body.size());
        });
        if (!queued) {
          Response r = ErrorResponse(503, "UNAVAILABLE", "the server is overloaded; retry later",
                                     "", request->request_id);
          r.headers.emplace_back("Retry-After", "1");
          Finish(req, *request, r, started, request->body.size());
        }
      })
      .then([](pplx::task<void> t) {
        try {
          t.get();
        } catch (const std::exception& e) {
          spdlog::error("event=http_request_chain_failed error={}", LogQuoted(e.what()));
        }
      });
}

}  // namespace opdesk::http
