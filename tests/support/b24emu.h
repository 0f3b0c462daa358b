// Runs the emulators (tests/emulators/bitrix24, mango, megaplan) as child processes on free
// loopback ports and talks to their control APIs.
#pragma once

#include <cpprest/json.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/raw_http.h"
#include "tests/support/scratch_dir.h"

namespace opdesk::testing {

// One emulator process and its /_emu/ control API.
class EmulatorProcess {
 public:
  EmulatorProcess(const std::string& binary, std::vector<std::string> flags);
  int port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // JSON in and out; throws with the body on a non-2xx answer.
  web::json::value Control(const std::string& method, const std::string& path,
                           const std::string& body = "");
  RawResponse Raw(const std::string& method, const std::string& path, const std::string& body = "");
  std::string Log() const { return process_->Log(); }
  pid_t pid() const { return process_->pid(); }

 private:
  int port_;
  ScratchDir dir_;
  std::unique_ptr<ChildProcess> process_;
};

// The Bitrix24 portal plus its OAuth server.
class B24Emulator : public EmulatorProcess {
 public:
  explicit B24Emulator(const std::vector<std::string>& extra_flags = {},
                       const std::string& member_id = "m-test-1");
  const std::string& member_id() const { return member_id_; }
  std::string rest_endpoint() const { return base() + "/rest/"; }
  // The OAuth server opdesk is configured with (bitrix24.oauth_url).
  std::string oauth_url() const { return base() + "/"; }
  // Makes `auth`'s OAuth server answer for this portal's tokens too: one auth server serves
  // every portal, as Bitrix24's does.
  void ShareAuthServer(B24Emulator& auth);
  // Requests the emulator received for one REST method.
  int CountRequests(const std::string& rest_method);

 private:
  std::string member_id_;
};

// The Mango Office VPBX: plays scenarios at a webhook base, takes commands under /vpbx/.
class MangoEmulator : public EmulatorProcess {
 public:
  MangoEmulator(const std::string& api_key, const std::string& api_salt);
  std::string api_url() const { return base() + "/vpbx/"; }
};

// One Megaplan account (API v3) with its seeded employees, clients and deal schemes.
class MegaplanEmulator : public EmulatorProcess {
 public:
  explicit MegaplanEmulator(const std::vector<std::string>& flags = {});
  std::string url() const { return base(); }
};

}  // namespace opdesk::testing
