// mangoemu: one Mango Office virtual PBX on 127.0.0.1 for opdesk's tests and sandbox. It accepts
// opdesk's signed commands (commands.h) and plays calls towards opdesk as signed webhooks
// (scenarios.h), driven through the /_emu/ control API (control.h).
#include <signal.h>

#include <utility>  // boost/asio/awaitable.hpp (via pplx) needs std::exchange

#include <pplx/threadpool.h>

#include <iostream>
#include <string>

#include "tests/emulators/mango/server.h"
#include "tests/emulators/mango/state.h"

namespace {

void Usage() {
  std::cerr << "usage: mangoemu --port P [--api-key K] [--api-salt S] [--webhook-base URL]\n"
               "  [--threads N] [--lockout-ms MS] [--rate-scale X]\n";
}

// Parses the flags into `o`; false on any unknown flag or bad value.
bool ParseFlags(int argc, char** argv, mangoemu::Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) {
      std::cerr << "missing value for " << flag << "\n";
      return false;
    }
    std::string v = argv[++i];
    try {
      if (flag == "--port") {
        o.port = std::stoi(v);
      } else if (flag == "--api-key") {
        o.api_key = v;
      } else if (flag == "--api-salt") {
        o.api_salt = v;
      } else if (flag == "--webhook-base") {
        o.webhook_base = v;
      } else if (flag == "--threads") {
        o.threads = std::stoi(v);
      } else if (flag == "--lockout-ms") {
        o.lockout_ms = std::stoll(v);
      } else if (flag == "--rate-scale") {
        o.rate_scale = std::stod(v);
      } else {
        std::cerr << "unknown flag " << flag << "\n";
        return false;
      }
    } catch (const std::exception&) {
      std::cerr << "bad value for " << flag << ": " << v << "\n";
      return false;
    }
  }
  if (o.port <= 0 || o.port > 65535 || o.threads < 1 || o.lockout_ms < 0 || o.rate_scale <= 0) {
    std::cerr << "--port is required (1-65535); --threads >= 1; --rate-scale > 0\n";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  mangoemu::State st;
  if (!ParseFlags(argc, argv, st.opts)) {
    Usage();
    return 2;
  }
  // Block the stop signals before any thread exists, so only sigwait below receives them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  crossplat::threadpool::initialize_with_threads(static_cast<size_t>(st.opts.threads));
  // Logged commands and inbox entries should read in the order the sender wrote them.
  web::json::keep_object_element_order(true);
  st.webhook_base = st.opts.webhook_base;
  st.lockout_ms = st.opts.lockout_ms;
  st.rate_scale = st.opts.rate_scale;
  st.employees = mangoemu::SeedEmployees();
  mangoemu::Server server(st);
  try {
    server.Open();
  } catch (const std::exception& e) {
    std::cerr << "mangoemu: cannot listen on 127.0.0.1:" << st.opts.port << ": " << e.what()
              << "\n";
    return 1;
  }
  std::cout << "mangoemu listening on 127.0.0.1:" << st.opts.port << std::endl;
  int sig = 0;
  sigwait(&stop, &sig);
  {
    // Wake every player and waiter; they finish their current delivery and return.
    std::lock_guard<std::mutex> lock(st.mu);
    st.stopping = true;
    for (auto& [id, call] : st.calls) {
      call->cv.notify_all();
    }
  }
  st.workers.JoinAll();
  server.Close();
  std::cout << "mangoemu stopped" << std::endl;
  return 0;
}
