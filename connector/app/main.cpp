// opdesk: operator desk and telephony connector. See README.md and docs/ARCHITECTURE.md.
#include <csignal>
#include <string>
#include <vector>

#include "connector/app/commands.h"

int main(int argc, char** argv) {
  // Before any thread exists: block the stop signals so every thread inherits the mask and only
  // `serve`'s sigwait receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::vector<std::string> args(argv + 1, argv + argc);
  return opdesk::app::RunCommand(args);
}
