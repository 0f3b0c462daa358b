// Runs the Bitrix24 portal emulator (tests/emulators/bitrix24) as a child process on a free
// loopback port and talks to its control API.
#pragma once

#include <cpprest/json.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/raw_http.h"

namespace opdesk::testing {

class B24Emulator {
 public:
  explicit B24Emulator(const std::vector<std::string>& extra_flags = {},
                       const std::string& member_id = "m-test-1");
  int port() const { return port_; }
  const std::string& member_id() const { return member_id_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string rest_endpoint() const { return base() + "/rest/"; }
  // JSON in and out; throws with the body on a non-2xx answer.
  web::json::value Control(const std::string& method, const std::string& path,
                           const std::string& body = "");
  RawResponse Raw(const std::string& method, const std::string& path, const std::string& body = "");
  // Requests the emulator received for one REST method.
  int CountRequests(const std::string& rest_method);
  std::string Log() const { return process_->Log(); }

 private:
  int port_;
  std::string member_id_;
  std::string dir_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace opdesk::testing
