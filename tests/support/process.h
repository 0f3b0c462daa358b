// Child processes and loopback ports for tests that run the real binaries.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace opdesk::testing {

// A port on 127.0.0.1 that was free a moment ago.
int FreePort();

// Whether process `pid` holds a socket listening on TCP `port` (read from /proc): a server that
// answers on the port could otherwise be another process.
bool ListensOn(pid_t pid, int port);

class ChildProcess {
 public:
  // Starts `argv[0]` with `argv`, the current environment plus `env`, in `cwd`; stdout and stderr
  // go to `log_path`.
  ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
               const std::string& cwd, const std::string& log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int sig);
  // Waits for exit up to `timeout`; returns the exit status, or -1 on timeout (still running),
  // or 128+signal if killed by a signal.
  int Wait(std::chrono::milliseconds timeout);
  bool running();
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::string log_path_;
};

// Runs a command to completion (bounded) and returns its exit status; output into `output`.
int RunCommand(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
               const std::string& cwd, std::string* output,
               std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Polls `condition` every 20 ms until it holds or `timeout` passes.
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

std::string ReadFile(const std::string& path);

}  // namespace opdesk::testing
