// The step engine every scenario script is written against. A script is plain sequential code
// ("appear, wait 5 s, disconnect, …"); each step waits its realistic delay divided by the speed,
// updates the leg table under the state mutex and queues the signed event for delivery. A
// command accepted against one of the call's legs makes the next step throw `Interrupted`, and
// the runner continues with the command's continuation (see scenarios.h).
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "tests/emulators/mango/state.h"

namespace mangoemu {

struct ScenarioOptions {
  std::string name;
  std::string entry_id;
  std::string client = "79001234567";
  std::string line = kLine;
  double speed = 10.0;
  bool duplicate = false;
  bool shuffle = false;
  uint32_t seed = 1;
  bool recorded = false;
  int64_t wait_ms = 6000;    // inbound_waits_in_ivr: greeting length
  int64_t start_time_s = 0;  // virtual clock start (epoch s); 0: now
  // The employee of inbound_answered_after_ivr and outgoing.
  std::string operator_extension = "102";
  // Click-to-call (commands/callback).
  std::string extension;
  std::string command_id;
};

struct Interrupted {};
struct Stopped {};

class CallScript {
 public:
  // `dry`: count the events without waiting, touching shared state or sending anything.
  CallScript(State& st, std::shared_ptr<Call> call, ScenarioOptions opts, bool dry);

  const ScenarioOptions& opts() const { return opts_; }
  State& state() { return st_; }
  void set_direction(int d) { direction_ = d; }
  int64_t emitted() const { return emitted_; }

  // Leg parties.
  Json ClientParty() const;                                   // {"number": client}
  Json LineTo() const;                                        // IVR leg: the DID
  Json EmployeeTo(const std::string& ext, bool group) const;  // ringing an employee (inbound)
  Json EmployeeParty(const std::string& ext) const;           // employee as caller
  // Copy of `party` with extra key/value pairs.
  static Json With(Json party, const std::string& key, Json value);

  // events/call steps. Each waits `delay_ms` (realistic, unscaled) first.
  std::string Appear(int64_t delay_ms, const std::string& location, Json from, Json to,
                     Json extra = Json::object(true));
  void Reappear(int64_t delay_ms, const std::string& call_id, Json from, Json extra);
  void Connect(int64_t delay_ms, const std::string& call_id, Json from = Json::null());
  void Hold(int64_t delay_ms, const std::string& call_id, bool initiator_is_to);
  void Disconnect(int64_t delay_ms, const std::string& call_id, int reason,
                  const std::string& transferred_side = "");
  // Disconnects every live leg except `keep`.
  void DisconnectOthers(int64_t delay_ms, const std::string& keep, int reason);
  // result/<kind> for a command of this call.
  void Result(int64_t delay_ms, const std::string& kind, const std::string& command_id, int result);
  // events/recording Completed (if recording), events/summary, events/record/added.
  void Summary(int64_t delay_ms);
  // An interruptible pause that first delivers everything queued (opdesk must see the IVR leg to
  // route it while the greeting plays).
  void Wait(int64_t delay_ms);
  // Sends what is still queued.
  void Flush();

  // Leg lookups for continuations (copies; the table changes under the mutex).
  Leg LegCopy(const std::string& call_id);
  std::vector<std::string> LiveLegs();

 private:
  struct Pending {
    std::string path;
    std::string json;
  };
  // Waits, checks for an interrupt, then runs `build` under the mutex and queues its result.
  void Step(int64_t delay_ms, const std::string& path, const std::function<Json()>& build);
  // Waits up to the scaled delay; advances the virtual clock. Throws Interrupted/Stopped.
  void Sleep(std::unique_lock<std::mutex>& lock, int64_t delay_ms);
  Json CallEvent(Leg& leg, const std::string& state);
  Leg& LegRef(const std::string& call_id);
  std::string NewCallId();
  void RecordingEvent(const std::string& state);
  int64_t VirtualS() const { return virtual_ms_ / 1000; }

  State& st_;
  std::shared_ptr<Call> call_;
  ScenarioOptions opts_;
  bool dry_;
  int direction_ = 1;
  int64_t virtual_ms_ = 0;
  int64_t emitted_ = 0;
  int leg_counter_ = 0;
  std::mt19937 rng_;
  size_t window_ = 1;
  std::vector<Pending> outbox_;
  // What the summary needs (reference §2.4).
  int64_t create_ms_ = 0;
  int64_t forward_ms_ = 0;
  int64_t talk_ms_ = 0;
  int last_reason_ = 0;
  std::string offered_ext_;
  bool offered_group_ = false;
  std::string answered_ext_;
  Json outbound_from_ = Json::null();
  Json outbound_to_ = Json::null();
  // Recording (reference §2.5).
  std::string recording_id_;
  std::string recording_call_id_;
  std::string recording_ext_;
  int64_t recording_seq_ = 0;
};

}  // namespace mangoemu
