#include "connector/app/allocator.h"

#include <dlfcn.h>

#include <cstddef>

namespace opdesk::app {

std::string AllocatorName() {
  // jemalloc's control interface; looked up at run time, so that this library links into any
  // binary and reports what that binary really got.
  using Mallctl = int (*)(const char*, void*, std::size_t*, void*, std::size_t);
  auto* mallctl = reinterpret_cast<Mallctl>(dlsym(RTLD_DEFAULT, "mallctl"));
  if (mallctl == nullptr) {
    return "system malloc";
  }
  const char* version = nullptr;
  std::size_t size = sizeof version;
  if (mallctl("version", &version, &size, nullptr, 0) != 0 || version == nullptr) {
    return "jemalloc";
  }
  return std::string("jemalloc ") + version;
}

}  // namespace opdesk::app
