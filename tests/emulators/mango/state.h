// In-memory state of the emulated VPBX. Everything lives in one `State` guarded by one mutex: the
// emulator serves tests, so simplicity beats concurrency. Call players wait on their call's
// condition variable with that same mutex, which is how commands interrupt a playing call.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tests/emulators/mango/util.h"

namespace mangoemu {

struct Options {
  int port = 0;
  std::string api_key = "vpbx-test-key";
  std::string api_salt = "vpbx-test-salt";
  std::string webhook_base;
  int threads = 4;
  int64_t lockout_ms = 120000;
  double rate_scale = 1.0;
};

struct Employee {
  std::string extension;
  std::string name;
  std::string email;
};

// The seeded PBX: employees 101-104, group 500 (102, 103), one line.
inline constexpr const char* kGroup = "500";
inline constexpr const char* kLine = "74951234567";
std::vector<Employee> SeedEmployees();
std::string SipOf(const std::string& extension);

struct Fault {
  std::string path;  // command path under /vpbx/, or "*"
  int http_status = 503;
  int code = 5008;
  int remaining = 1;  // < 0: until cleared
  // A command is accepted (200, 1000) and then fails through result/<kind> with `code`.
  bool async = false;
};

// One leg ("плечо") as the emulator last announced it.
struct Leg {
  std::string call_id;
  std::string state;     // Appeared, Connected, OnHold, Disconnected
  std::string location;  // ivr, queue, abonent
  Json from = Json::object(true);
  Json to = Json::object(true);
  // Fields every event of the leg repeats: command_id, callback_initiator, transfer.
  Json extra = Json::object(true);
  int64_t seq = 0;
};

// A command accepted against a live leg; the call's player picks it up at its next step and
// plays the matching continuation (reference §2.8).
struct Interrupt {
  std::string kind;  // route, transfer, hangup
  std::string call_id;
  std::string command_id;
  std::string to_number;
  std::string method;     // transfer: blind | hold
  std::string initiator;  // transfer
};

struct Call {
  std::string entry_id;
  std::string scenario;
  std::vector<Leg> legs;  // in creation order
  std::optional<Interrupt> interrupt;
  bool done = false;
  int64_t events_planned = 0;
  int64_t events_sent = 0;
  int64_t events_acknowledged = 0;
  std::condition_variable cv;

  Leg* FindLeg(const std::string& call_id) {
    for (auto& l : legs) {
      if (l.call_id == call_id) {
        return &l;
      }
    }
    return nullptr;
  }
};

struct Stats {
  int64_t commands = 0;
  int64_t rejected_rate = 0;
  int64_t rejected_sign = 0;
  int64_t lockouts = 0;
  int64_t webhooks_sent = 0;
  int64_t webhooks_failed = 0;
};

struct State {
  std::mutex mu;
  Options opts;
  std::string webhook_base;
  int64_t lockout_ms = 120000;
  double rate_scale = 1.0;
  double command_speed = 10.0;  // speed of calls started by commands (callback)
  // Lock-out bookkeeping (reference §1.4): the time of the first 3xxx error of the current
  // window, and the end of an active lock-out.
  int64_t first_error_ms = 0;
  int64_t locked_until_ms = 0;
  std::map<std::string, std::deque<int64_t>> rate_hits;  // rate class -> accepted request times
  std::vector<Fault> faults;
  std::vector<Json> requests;  // commands received and webhooks sent
  std::vector<Json> inbox;     // requests received on /_emu/inbox/…
  int inbox_status = 200;
  Stats stats;
  std::vector<Employee> employees;
  std::map<std::string, std::shared_ptr<Call>> calls;  // entry_id -> call
  std::vector<std::string> call_order;
  std::map<std::string, std::string> leg_entry;    // call_id -> entry_id
  std::map<std::string, std::string> recordings;   // recording_id -> entry_id
  std::size_t recording_bytes = 0;                 // size of a served recording; 0: ~2 KB
  std::map<std::string, std::string> file_tokens;  // one-time token -> recording_id
  bool stopping = false;
  Workers workers;

  const Employee* FindEmployee(const std::string& extension) const {
    for (const auto& e : employees) {
      if (e.extension == extension) {
        return &e;
      }
    }
    return nullptr;
  }
  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(opts.port); }
};

}  // namespace mangoemu
