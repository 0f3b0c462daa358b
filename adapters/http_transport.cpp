#include "adapters/http_transport.h"

#include <cpprest/filestream.h>
#include <cpprest/http_client.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <filesystem>
#include <future>

#include "adapters/url_policy.h"
#include "connector/domain/error.h"

namespace opdesk::adapters {
namespace {

namespace wh = web::http;

// Counts requests in flight to one host and makes the excess wait.
class Gate {
 public:
  explicit Gate(int limit) : limit_(limit) {}
  bool Enter(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_until(lock, deadline, [&] { return in_flight_ < limit_; })) {
      return false;
    }
    ++in_flight_;
    return true;
  }
  void Leave() {
    {
      std::lock_guard lock(mu_);
      --in_flight_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int in_flight_ = 0;  // guarded by mu_
  int limit_;
};

struct Host {
  std::unique_ptr<wh::client::http_client> client;
  std::unique_ptr<Gate> gate;
};

}  // namespace

struct HttpTransport::Impl {
  Options options;
  std::mutex mu;
  std::map<std::string, Host> hosts;  // guarded by mu; by scheme://authority

  Host& HostFor(const web::uri& uri) {
    // authority() is "scheme://host:port/" already.
    const std::string base = uri.authority().to_string();
    std::lock_guard lock(mu);
    Host& host = hosts[base];
    if (!host.client) {
      wh::client::http_client_config config;
      config.set_validate_certificates(true);
      config.set_max_redirects(0);
      host.client = std::make_unique<wh::client::http_client>(web::uri(base), config);
      host.gate = std::make_unique<Gate>(options.max_in_flight_per_host);
    }
    return host;
  }
};

HttpTransport::HttpTransport(Options options) : impl_(new Impl{std::move(options), {}, {}}) {}
HttpTransport::~HttpTransport() = default;

HttpReply HttpTransport::Send(const HttpCall& call) {
  // Every outbound URL is checked by the same parser that connects (user info, scheme, port,
  // non-public hosts); errors name the host, never the query with its secrets.
  CheckOutboundUrl(call.url, impl_->options.allow_insecure);
  const web::uri uri(call.url);
  const auto deadline = std::chrono::steady_clock::now() + call.timeout;
  Host& host = impl_->HostFor(uri);
  if (!host.gate->Enter(deadline)) {
    throw DeadlineExceeded("too many requests in flight to " + uri.host());
  }
  struct Leave {
    Gate& gate;
    ~Leave() { gate.Leave(); }
  } leave{*host.gate};

  wh::http_request req(call.method);
  req.set_request_uri(uri.resource());
  req.headers().add("User-Agent", impl_->options.user_agent);
  req.headers().add("Accept", "application/json");
  for (const auto& [name, value] : call.headers) {
    req.headers().add(name, value);
  }
  const std::string content_type =
      call.content_type.empty() ? "application/octet-stream" : call.content_type;
  if (!call.body_file.empty()) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(call.body_file, ec);
    if (ec) {
      throw Internal("cannot read the file to send: " + ec.message());
    }
    req.set_body(concurrency::streams::fstream::open_istream(call.body_file, std::ios::in).get(),
                 static_cast<utility::size64_t>(size), content_type);
  } else if (!call.body.empty() || call.method == "POST") {
    req.set_body(call.body, content_type);
  }
  concurrency::streams::ostream response_file;
  if (!call.response_file.empty()) {
    // The client writes the body straight into the file as it arrives.
    response_file = concurrency::streams::fstream::open_ostream(
                        call.response_file, std::ios::out | std::ios::trunc | std::ios::binary)
                        .get();
    req.set_response_stream(response_file);
  }

  auto promise = std::make_shared<std::promise<HttpReply>>();
  std::future<HttpReply> future = promise->get_future();
  pplx::cancellation_token_source cancel;
  host.client->request(req, cancel.get_token())
      .then([promise, to_file = !call.response_file.empty(),
             file = response_file](wh::http_response response) {
        auto reply = std::make_shared<HttpReply>();
        reply->status = response.status_code();
        for (const auto& [name, value] : response.headers()) {
          std::string lower = name;
          std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
          reply->headers[lower] = value;
        }
        if (to_file) {
          return response.content_ready().then([promise, reply, file](wh::http_response) {
            auto out = file;
            return out.close().then([promise, reply] { promise->set_value(std::move(*reply)); });
          });
        }
        return response.extract_vector().then(
            [promise, reply](pplx::task<std::vector<unsigned char>> body) {
              std::vector<unsigned char> bytes = body.get();
              reply->body.assign(bytes.begin(), bytes.end());
              promise->set_value(std::move(*reply));
            });
      })
      .then([promise](pplx::task<void> done) {
        // Observe every failure here, or pplx ends the process.
        try {
          done.get();
        } catch (...) {
          try {
            promise->set_exception(std::current_exception());
          } catch (const std::future_error&) {
            // The value was set already; nothing to report.
          }
        }
      });

  if (future.wait_until(deadline) != std::future_status::ready) {
    cancel.cancel();
    throw DeadlineExceeded("no complete answer from " + uri.host() + " within " +
                           std::to_string(call.timeout.count()) + " ms");
  }
  try {
    return future.get();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Unavailable("request to " + uri.host() + " failed: " + e.what());
  }
}

std::string UrlEncode(std::string_view value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace opdesk::adapters
