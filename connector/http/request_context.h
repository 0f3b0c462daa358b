// The id of the request the current thread is working on, so that every log line written while a
// handler runs carries it (spdlog 1.10 has no mapped diagnostic context). Set by the server around
// each handler; empty on threads that serve no request.
#pragma once

#include <string>

namespace opdesk::http {

const std::string& CurrentRequestId();

// Sets the current request id for the lifetime of the scope, restoring the previous one after.
class ScopedRequestId {
 public:
  explicit ScopedRequestId(std::string id);
  ~ScopedRequestId();
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string previous_;
};

}  // namespace opdesk::http
