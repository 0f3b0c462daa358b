// Runs scenario scripts on worker threads and turns accepted commands into continuations.
#include <string>

#include "oauth/crypto.h"
#include "tests/emulators/mango/scenarios.h"

namespace mangoemu {

namespace {

// commands/route (reference §2.8 item 1): the routed leg ends with 1100 and a new leg rings the
// target, remembering where the caller came from.
void PlayRoute(CallScript& s, const Interrupt& irq) {
  s.Disconnect(300, irq.call_id, 1100);
  s.DisconnectOthers(0, "", 1100);
  Leg old = s.LegCopy(irq.call_id);
  Json from = old.from;
  from["taken_from_call_id"] = Json::string(irq.call_id);
  Json extra = Obj();
  extra["command_id"] = Json::string(irq.command_id);
  std::string leg = s.Appear(200, "abonent", from, s.EmployeeTo(irq.to_number, false), extra);
  s.Result(100, "route", irq.command_id, 1000);
  s.Connect(7000, leg);
  s.Disconnect(45000, leg, 1110);
  s.Summary(400);
}

// commands/call/hangup: the leg ends "by external system command", and with it the call.
void PlayHangup(CallScript& s, const Interrupt& irq) {
  s.Disconnect(100, irq.call_id, 1181);
  s.DisconnectOthers(0, "", 1181);
  s.Result(100, "call/hangup", irq.command_id, 1000);
  s.Summary(400);
}

void RunCall(State& st, std::shared_ptr<Call> call, ScenarioOptions opts) {
  CallScript s(st, call, opts, false);
  Script next = ScriptFor(opts.name);
  bool stopped = false;
  while (next) {
    try {
      Script current = std::move(next);
      next = nullptr;
      current(s);
    } catch (const Interrupted&) {
      Interrupt irq;
      {
        std::lock_guard<std::mutex> lock(st.mu);
        irq = *call->interrupt;
        call->interrupt.reset();
      }
      next = ContinuationFor(irq);
    } catch (const Stopped&) {
      stopped = true;
    } catch (const std::exception&) {
      // A script bug must not take the emulator down; the call just ends here.
    }
  }
  if (!stopped) {
    s.Flush();
  }
  std::lock_guard<std::mutex> lock(st.mu);
  call->done = true;
  call->cv.notify_all();
}

std::string NewEntryId() {
  uint64_t n = std::stoull(RandomHex(12), nullptr, 16) % 9000000000ULL + 1000000000ULL;
  return opdesk::crypto::Base64Encode(std::to_string(n) + ":81");
}

}  // namespace

Script ContinuationFor(const Interrupt& irq) {
  if (irq.kind == "route") {
    return [irq](CallScript& s) { PlayRoute(s, irq); };
  }
  if (irq.kind == "transfer") {
    return [irq](CallScript& s) {
      PlayTransfer(s, irq.call_id, irq.method, irq.initiator, irq.to_number, irq.command_id);
    };
  }
  return [irq](CallScript& s) { PlayHangup(s, irq); };
}

int64_t StartScenario(State& st, ScenarioOptions opts, std::string* entry_id, std::string* error) {
  Script script = ScriptFor(opts.name);
  if (!script) {
    *error = "unknown scenario " + opts.name;
    return -1;
  }
  if (opts.entry_id.empty()) {
    opts.entry_id = NewEntryId();
  }
  auto existing = st.calls.find(opts.entry_id);
  if (existing != st.calls.end() && !existing->second->done) {
    *error = "entry_id " + opts.entry_id + " is still playing";
    return -1;
  }
  auto dry_call = std::make_shared<Call>();
  dry_call->entry_id = opts.entry_id;
  CallScript dry(st, dry_call, opts, true);
  try {
    script(dry);
    dry.Flush();
  } catch (const std::exception& e) {
    *error = std::string("scenario cannot be planned: ") + e.what();
    return -1;
  }
  auto call = std::make_shared<Call>();
  call->entry_id = opts.entry_id;
  call->scenario = opts.name;
  call->events_planned = dry.emitted();
  if (existing == st.calls.end()) {
    st.call_order.push_back(opts.entry_id);
  }
  st.calls[opts.entry_id] = call;
  *entry_id = opts.entry_id;
  st.workers.Spawn([&st, call, opts] { RunCall(st, call, opts); });
  return call->events_planned;
}

}  // namespace mangoemu
