#include "tests/support/opdesk_process.h"

namespace opdesk::testing {

Opdesk::Opdesk(const std::string& backend, std::map<std::string, std::string> extra_env)
    : db_(backend), dir_("opdesk-e2e"), port_(FreePort()) {
  env_ = {{"OPDESK_DATA_DIR", dir_ / "var"},
          {"OPDESK_LISTEN", "127.0.0.1:" + std::to_string(port_)},
          {"OPDESK_PUBLIC_URL", "http://127.0.0.1:" + std::to_string(port_)},
          {"OPDESK_DATABASE_URL", db_.url()},
          {"OPDESK_ADMIN_TOKEN", kAdminToken},
          {"OPDESK_JOBS_POLL_INTERVAL_MS", "20"}};
  for (auto& [k, v] : extra_env) {
    env_[k] = v;
  }
}

int Opdesk::Migrate() {
  std::string out;
  return RunCommand({OPDESK_BINARY, "migrate"}, env_, dir_.path(), &out);
}

bool Opdesk::Start() {
  if (Migrate() != 0) {
    return false;
  }
  process_ = std::make_unique<ChildProcess>(std::vector<std::string>{OPDESK_BINARY, "serve"}, env_,
                                            dir_.path(), log_path());
  // This process must hold the port: a /healthz answer alone could come from another process
  // that took the port while this one failed to bind it.
  const auto listening = [&] {
    return ListensOn(process_->pid(), port_) && Get("/healthz").status == 200;
  };
  WaitFor([&] { return !process_->running() || listening(); }, std::chrono::seconds(20));
  return process_->running() && listening();
}

RawResponse Opdesk::Get(const std::string& target, std::map<std::string, std::string> headers) {
  return HttpRequest(port_, "GET", target, "", headers);
}

RawResponse Opdesk::Post(const std::string& target, const std::string& body,
                         std::map<std::string, std::string> headers) {
  return HttpRequest(port_, "POST", target, body, headers);
}

}  // namespace opdesk::testing
