#include "tests/support/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/scratch_dir.h"
#include "tests/support/test_database.h"

namespace opdesk::testing {

namespace {

// Whether 127.0.0.1:`port` can be bound right now (0: let the kernel pick); the bound port, or 0.
int TryBind(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return 0;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  int bound = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    bound = ntohs(addr.sin_port);
  }
  close(fd);
  return bound;
}

// The lowest port the kernel hands out to outgoing connections and to bind(0).
int EphemeralLow() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  int high = 0;
  if (in >> low >> high) {
    return low;
  }
  return 0;
}

}  // namespace

int FreePort() {
  // Ports below the ephemeral range: no outgoing connection (to MariaDB, an emulator, a portal)
  // and no other test's bind(0) can be handed the port between this check and the server's own
  // bind. Each test process walks the range from its own pid-derived start.
  constexpr int kFirst = 10000;
  static const int low = EphemeralLow();
  static std::atomic<int> next{0};
  if (low - kFirst >= 2000) {
    const int span = low - kFirst;
    const int start = static_cast<int>((static_cast<long>(getpid()) * 7919) % span);
    for (int tries = 0; tries < 500; ++tries) {
      const int port = kFirst + (start + next.fetch_add(1)) % span;
      if (TryBind(port) == port) {
        return port;
      }
    }
  }
  const int port = TryBind(0);
  if (port == 0) {
    throw std::runtime_error("cannot bind a free port");
  }
  return port;
}

bool ListensOn(pid_t pid, int port) {
  // The inodes of the sockets listening (state 0A) on the port, IPv4 and IPv6.
  std::set<std::string> inodes;
  char wanted[8];
  std::snprintf(wanted, sizeof wanted, ":%04X", port);
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::istringstream lines(ReadFile(table));
    std::string line;
    std::getline(lines, line);  // the header
    while (std::getline(lines, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      if (state == "0A" && local.size() > 5 && local.compare(local.size() - 5, 5, wanted) == 0) {
        inodes.insert("socket:[" + inode + "]");
      }
    }
  }
  if (inodes.empty()) {
    return false;
  }
  std::error_code ec;
  for (const auto& fd :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    std::error_code link_ec;
    const std::filesystem::path target = std::filesystem::read_symlink(fd.path(), link_ec);
    if (!link_ec && inodes.count(target.string()) > 0) {
      return true;
    }
  }
  return false;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::map<std::string, std::string>& env, const std::string& cwd,
                           const std::string& log_path)
    : log_path_(log_path) {
  pid_ = fork();
  if (pid_ < 0) {
    throw std::runtime_error("fork failed");
  }
  if (pid_ == 0) {
    // The test process blocks SIGTERM/SIGINT in some tests; the child starts clean.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    if (chdir(cwd.c_str()) != 0) {
      _exit(126);
    }
    for (const auto& [k, v] : env) {
      setenv(k.c_str(), v.c_str(), 1);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) {
      args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (running()) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void ChildProcess::Signal(int sig) {
  kill(pid_, sig);
}

bool ChildProcess::running() {
  if (status_ != -1) {
    return false;
  }
  int st = 0;
  pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return false;
  }
  return true;
}

int ChildProcess::Wait(std::chrono::milliseconds timeout) {
  WaitFor([&] { return !running(); }, timeout);
  return status_;
}

std::string ChildProcess::Log() const {
  return ReadFile(log_path_);
}

int RunCommand(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
               const std::string& cwd, std::string* output, std::chrono::milliseconds timeout) {
  const ScratchDir dir("opdesk-cmd");
  ChildProcess child(argv, env, cwd, dir / "out.log");
  int status = child.Wait(timeout);
  if (output != nullptr) {
    *output = child.Log();
  }
  return status;
}

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace opdesk::testing
