#include "tests/support/b24emu.h"

#include <stdexcept>

#include "tests/support/test_database.h"

namespace opdesk::testing {

EmulatorProcess::EmulatorProcess(const std::string& binary, std::vector<std::string> flags)
    : port_(FreePort()), dir_("opdesk-emulator") {
  std::vector<std::string> argv = {binary, "--port", std::to_string(port_)};
  argv.insert(argv.end(), flags.begin(), flags.end());
  process_ = std::make_unique<ChildProcess>(argv, std::map<std::string, std::string>{}, dir_.path(),
                                            dir_ / "emulator.log");
  // Its own answer: another process could hold the port if this one failed to bind it.
  const bool up = WaitFor(
      [&] {
        return !process_->running() ||
               (ListensOn(process_->pid(), port_) && Raw("GET", "/_emu/stats").status == 200);
      },
      std::chrono::seconds(15));
  if (!up || !process_->running()) {
    throw std::runtime_error(binary + " did not start: " + process_->Log());
  }
}

namespace {
std::vector<std::string> WithMember(std::vector<std::string> flags, const std::string& member) {
  flags.insert(flags.begin(), {"--member-id", member});
  return flags;
}
}  // namespace

B24Emulator::B24Emulator(const std::vector<std::string>& extra_flags, const std::string& member_id)
    : EmulatorProcess(B24EMU_BINARY, WithMember(extra_flags, member_id)), member_id_(member_id) {}

MangoEmulator::MangoEmulator(const std::string& api_key, const std::string& api_salt)
    : EmulatorProcess(MANGOEMU_BINARY, {"--api-key", api_key, "--api-salt", api_salt}) {}

MegaplanEmulator::MegaplanEmulator(const std::vector<std::string>& flags)
    : EmulatorProcess(MPEMU_BINARY, flags) {}

RawResponse EmulatorProcess::Raw(const std::string& method, const std::string& path,
                                 const std::string& body) {
  std::map<std::string, std::string> headers;
  if (!body.empty()) {
    headers["Content-Type"] = "application/json";
  }
  return HttpRequest(port_, method, path, body, headers);
}

web::json::value EmulatorProcess::Control(const std::string& method, const std::string& path,
                                          const std::string& body) {
  RawResponse r = Raw(method, path, body);
  if (r.status < 200 || r.status >= 300) {
    throw std::runtime_error(method + " " + path + " → " + std::to_string(r.status) + " " + r.body);
  }
  return r.body.empty() ? web::json::value::null() : web::json::value::parse(r.body);
}

int B24Emulator::CountRequests(const std::string& rest_method) {
  int n = 0;
  const web::json::value log = Control("GET", "/_emu/requests");  // keep it alive while iterating
  for (const auto& r : log.at("requests").as_array()) {
    if (r.has_field("rest_method") && r.at("rest_method").is_string() &&
        r.at("rest_method").as_string() == rest_method && !r.has_field("batch_parent")) {
      ++n;
    }
  }
  return n;
}

}  // namespace opdesk::testing

namespace opdesk::testing {

void B24Emulator::ShareAuthServer(B24Emulator& auth) {
  auth.Control("POST", "/_emu/oauth/peers", R"({"url":")" + base() + R"("})");
}

}  // namespace opdesk::testing
