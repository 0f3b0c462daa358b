// Which memory allocator the running process uses. The service binary is linked with jemalloc
// (OPDESK_JEMALLOC, on except in sanitizer and fuzz builds): its per-thread caches spare the
// HTTP, ingest and worker threads the contended arenas of glibc's malloc, which frees memory
// allocated on another thread under an arena lock (docs/ARCHITECTURE.md, Process).
#pragma once

#include <string>

namespace opdesk::app {

// "jemalloc 5.3.0-…" when jemalloc serves malloc in this process, else "system malloc" (glibc's,
// or a sanitizer's).
std::string AllocatorName();

}  // namespace opdesk::app
