// A listener that only counts the TCP connections reaching it: proof that opdesk did not connect
// somewhere it must not (SSRF checks). Loopback only; `address` picks which loopback address.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

namespace opdesk::testing {

class Canary {
 public:
  explicit Canary(const std::string& address = "127.0.0.1") {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(fd_, 16);
    thread_ = std::thread([this] {
      for (int c; (c = accept(fd_, nullptr, nullptr)) >= 0; close(c)) {
        ++connections_;
      }
    });
  }
  ~Canary() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  Canary(const Canary&) = delete;
  Canary& operator=(const Canary&) = delete;

  int port() const { return port_; }
  int connections() const { return connections_.load(); }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::thread thread_;
};

}  // namespace opdesk::testing
