// `opdesk serve`: wires config → logger → master key → database → outbox → routes → HTTP server,
// runs until SIGTERM/SIGINT, then drains: stop taking requests, let requests in flight and running
// jobs finish (bounded by shutdown_timeout_seconds), exit 0.
#pragma once

#include "connector/app/config.h"

namespace opdesk::app {

// Blocks until a stop signal. SIGTERM and SIGINT must already be blocked in every thread
// (main does this before any thread starts). Returns the exit status.
int Serve(const Config& config);

}  // namespace opdesk::app
