// The HTTP front: one cpprestsdk listener on 127.0.0.1 serving the portal REST API
// (/rest/…, and /renamed/rest/… after a simulated rename), the OAuth server (/oauth/token/) and
// the /_emu/ control API.
#pragma once

#include <memory>

#include "tests/emulators/bitrix24/state.h"

namespace b24emu {

class Server {
 public:
  explicit Server(State& st);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  void Open();   // blocks until listening; throws on failure
  void Close();  // blocks until closed

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace b24emu
