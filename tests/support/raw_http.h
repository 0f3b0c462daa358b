// A deliberately simple HTTP/1.1 client over a plain socket, so tests control every byte:
// odd methods, chunked or oversized bodies, requests sent in parts.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace opdesk::testing {

struct RawResponse {
  int status = 0;                              // 0: no response (connection failed or closed)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  bool connected() const { return fd_ >= 0; }
  void Send(const std::string& bytes);
  // Reads one response (Content-Length framed), waiting at most `timeout`.
  RawResponse Read(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  int fd_ = -1;
  std::string buffer_;
};

// One request on a fresh connection.
RawResponse HttpRequest(int port, const std::string& method, const std::string& target,
                        const std::string& body = "",
                        const std::map<std::string, std::string>& headers = {});

}  // namespace opdesk::testing
