// mpemu: one Megaplan account (API v3) on 127.0.0.1 for opdesk's tests and sandbox, driven
// through the /_emu/ control API (control.cpp).
#include <signal.h>

#include <utility>  // boost/asio/awaitable.hpp (via pplx) needs std::exchange

#include <pplx/threadpool.h>

#include <iostream>
#include <string>

#include "tests/emulators/megaplan/state.h"

namespace {

bool ParseFlags(int argc, char** argv, mpemu::Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) {
      std::cerr << "missing value for " << flag << "\n";
      return false;
    }
    const std::string v = argv[++i];
    try {
      if (flag == "--port") {
        o.port = std::stoi(v);
      } else if (flag == "--threads") {
        o.threads = std::stoi(v);
      } else if (flag == "--token-ttl-s") {
        o.token_ttl_s = std::stoll(v);
      } else {
        std::cerr << "unknown flag " << flag << "\n";
        return false;
      }
    } catch (const std::exception&) {
      std::cerr << "bad value for " << flag << ": " << v << "\n";
      return false;
    }
  }
  return o.port > 0 && o.port <= 65535 && o.threads >= 1 && o.token_ttl_s > 0;
}

}  // namespace

int main(int argc, char** argv) {
  mpemu::State st;
  if (!ParseFlags(argc, argv, st.opts)) {
    std::cerr << "usage: mpemu --port P [--threads N] [--token-ttl-s S]\n";
    return 2;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  crossplat::threadpool::initialize_with_threads(static_cast<size_t>(st.opts.threads));
  web::json::keep_object_element_order(true);
  mpemu::Seed(st);
  st.token_ttl_s = st.opts.token_ttl_s;
  emu::Listener listener(st.opts.port, [&st](web::http::http_request req, const std::string& body) {
    const std::string method = req.method();
    const std::string path = web::uri::decode(req.relative_uri().path());
    if (path.rfind("/api/v3/", 0) == 0) {
      const auto& h = req.headers();
      auto header = [&h](const std::string& name) {
        auto it = h.find(name);
        return it == h.end() ? std::string() : it->second;
      };
      mpemu::HttpOutcome out =
          mpemu::HandleApi(st, method, path, req.relative_uri().query(), header("Content-Type"),
                           header("Authorization"), body);
      const std::string included = header("X-USE-INCLUDED-RESPONSE");
      emu::Send(req, mpemu::ApplyIncluded(st, std::move(out), included == "true"));
    } else if (path.rfind("/Bums", 0) == 0) {
      const auto& h = req.headers();
      auto header = [&h](const std::string& name) {
        auto it = h.find(name);
        return it == h.end() ? std::string() : it->second;
      };
      emu::Send(req, mpemu::HandleV1(st, method, path, req.relative_uri().query(),
                                     {header("Host"), header("Date"), header("Content-Type"),
                                      header("Content-MD5"), header("X-Authorization")}));
    } else if (path.rfind("/_emu/app/", 0) == 0) {
      emu::Send(req, mpemu::HandleApplication(st, method, path, body));
    } else if (path.rfind("/_emu/", 0) == 0) {
      emu::Send(req, mpemu::HandleControl(st, method, path, body));
    } else {
      mpemu::HttpOutcome out;
      out.status = 404;
      out.body = mpemu::Obj();
      out.body["error"] = web::json::value::string("unknown path " + path);
      emu::Send(req, out);
    }
  });
  try {
    listener.Open();
  } catch (const std::exception& e) {
    std::cerr << "mpemu: cannot listen on 127.0.0.1:" << st.opts.port << ": " << e.what() << "\n";
    return 1;
  }
  std::cout << "mpemu listening on 127.0.0.1:" << st.opts.port << std::endl;
  int sig = 0;
  sigwait(&stop, &sig);
  listener.Close();
  std::cout << "mpemu stopped" << std::endl;
  return 0;
}
