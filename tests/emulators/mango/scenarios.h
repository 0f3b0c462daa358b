// Scenario scripts (reference §2.1-2.8) and the player that runs them on a worker thread.
#pragma once

#include <functional>
#include <string>

#include "tests/emulators/mango/call.h"

namespace mangoemu {

using Script = std::function<void(CallScript&)>;

// The script for a scenario name, or nullptr when unknown. `callback` is the click-to-call flow
// started by commands/callback (options: extension, client as the dialled number, command_id).
Script ScriptFor(const std::string& name);

// Transfer of the Connected leg `call_id` by `initiator` to extension `target` (reference §2.8
// items 3-4). `command_id` non-empty: posts result/transfer too. Used by the transfer scenarios and
// by commands/transfer.
void PlayTransfer(CallScript& s, const std::string& call_id, const std::string& method,
                  const std::string& initiator, const std::string& target,
                  const std::string& command_id);

// Continuation after a command interrupted a playing call.
Script ContinuationFor(const Interrupt& irq);

// Registers the call, counts its events with a dry run and starts playing it in the background.
// Returns the planned event count, or -1 with `error` set.
int64_t StartScenario(State& st, ScenarioOptions opts, std::string* entry_id, std::string* error);

}  // namespace mangoemu
