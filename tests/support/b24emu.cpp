#include "tests/support/b24emu.h"

#include <stdexcept>

#include "tests/support/test_database.h"

namespace opdesk::testing {

B24Emulator::B24Emulator(const std::vector<std::string>& extra_flags, const std::string& member_id)
    : port_(FreePort()), member_id_(member_id), dir_(MakeTempDir("opdesk-b24emu")) {
  std::vector<std::string> argv = {B24EMU_BINARY, "--port", std::to_string(port_), "--member-id",
                                   member_id};
  argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
  process_ = std::make_unique<ChildProcess>(argv, std::map<std::string, std::string>{}, dir_,
                                            dir_ + "/b24emu.log");
  const bool up =
      WaitFor([&] { return !process_->running() || Raw("GET", "/_emu/stats").status == 200; },
              std::chrono::seconds(15));
  if (!up || !process_->running()) {
    throw std::runtime_error("b24emu did not start: " + process_->Log());
  }
}

RawResponse B24Emulator::Raw(const std::string& method, const std::string& path,
                             const std::string& body) {
  std::map<std::string, std::string> headers;
  if (!body.empty()) {
    headers["Content-Type"] = "application/json";
  }
  return HttpRequest(port_, method, path, body, headers);
}

web::json::value B24Emulator::Control(const std::string& method, const std::string& path,
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
