// The HTTP front: one cpprestsdk listener on 127.0.0.1 serving the command API (/vpbx/…), the
// one-time recording files (/files/…) and the /_emu/ control API (control.h).
#pragma once

#include <memory>

#include "tests/emulators/mango/state.h"

namespace mangoemu {

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

}  // namespace mangoemu
