// b24emu: one Bitrix24 cloud portal plus its OAuth server on 127.0.0.1, for opdesk's tests and
// sandbox. See server.h for the URL layout and control.h for the /_emu/ control API.
#include <signal.h>

#include <utility>  // boost/asio/awaitable.hpp (via pplx) needs std::exchange

#include <pplx/threadpool.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "tests/emulators/bitrix24/server.h"
#include "tests/emulators/bitrix24/state.h"

namespace {

void Usage() {
  std::cerr << "usage: b24emu --port P [--host 127.0.0.1] [--domain D] [--member-id M]\n"
               "  [--client-id ID] [--client-secret S] [--application-token T]\n"
               "  [--access-ttl-s N] [--rate R] [--burst B] [--threads N]\n";
}

// Parses the flags into `o`; false on any unknown flag or bad value.
bool ParseFlags(int argc, char** argv, b24emu::Options& o) {
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
      } else if (flag == "--host") {
        o.host = v;
      } else if (flag == "--domain") {
        o.domain = v;
      } else if (flag == "--member-id") {
        o.member_id = v;
      } else if (flag == "--client-id") {
        o.client_id = v;
      } else if (flag == "--client-secret") {
        o.client_secret = v;
      } else if (flag == "--application-token") {
        o.application_token = v;
      } else if (flag == "--access-ttl-s") {
        o.access_ttl_s = std::stoi(v);
      } else if (flag == "--rate") {
        o.rate = std::stod(v);
      } else if (flag == "--burst") {
        o.burst = std::stod(v);
      } else if (flag == "--threads") {
        o.threads = std::stoi(v);
      } else {
        std::cerr << "unknown flag " << flag << "\n";
        return false;
      }
    } catch (const std::exception&) {
      std::cerr << "bad value for " << flag << ": " << v << "\n";
      return false;
    }
  }
  if (o.port <= 0 || o.port > 65535 || o.threads < 1) {
    std::cerr << "--port is required (1-65535) and --threads must be >= 1\n";
    return false;
  }
  if (o.host != "127.0.0.1") {
    std::cerr << "b24emu listens on 127.0.0.1 only\n";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  b24emu::State st;
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
  // batch runs commands in the order given, so parsed JSON objects must keep their key order.
  web::json::keep_object_element_order(true);
  st.domain = st.opts.domain.empty() ? "127.0.0.1:" + std::to_string(st.opts.port) : st.opts.domain;
  st.bucket.rate = st.opts.rate;
  st.bucket.burst = st.opts.burst;
  b24emu::Seed(st);
  b24emu::Server server(st);
  try {
    server.Open();
  } catch (const std::exception& e) {
    std::cerr << "b24emu: cannot listen on 127.0.0.1:" << st.opts.port << ": " << e.what() << "\n";
    return 1;
  }
  std::cout << "b24emu listening on 127.0.0.1:" << st.opts.port << std::endl;
  int sig = 0;
  sigwait(&stop, &sig);
  server.Close();
  std::cout << "b24emu stopped" << std::endl;
  return 0;
}
