// What the opdesk benchmarks share: percentiles, request building, a keep-alive load generator,
// and the setting they measure in (the real opdesk between the Bitrix24 portal emulator, its app
// installed with the portal's request budget lifted, and the Mango VPBX emulator, connected with
// `opdesk tenant mango`). Benchmarks print figures; they assert nothing.
#pragma once

#include <utility>  // boost/asio/awaitable.hpp (via pplx) needs std::exchange

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/b24emu.h"
#include "tests/support/opdesk_process.h"

namespace opdesk::bench {

inline constexpr const char* kVpbxKey = "k";
inline constexpr const char* kVpbxSalt = "s";

// The p-quantile (0..1) by nearest rank; 0 for no samples.
double Percentile(std::vector<double> v, double p);
long long NowMs();
std::string HttpPost(const std::string& path, const std::string& body);
long long Scalar(storage::Database& db, const std::string& sql);

// A Mango events/call notification's json.
std::string CallEvent(const std::string& entry, const std::string& leg, int seq,
                      const std::string& state, const std::string& location,
                      const std::string& ext);
// An events/summary json of an inbound call (answered by `ext`, or lost in the IVR when empty).
std::string Summary(const std::string& entry, const std::string& ext);

struct LoadResult {
  double seconds = 0;
  std::vector<double> latencies_ms;  // of every request answered 200
  long long ok = 0;                  // answered 200
  long long failures = 0;            // another status, or no answer
};

// Sends requests over `connections` keep-alive connections, one thread each: connection t sends
// make(t, i) for i < count(t) in order, each after the previous one's answer. rate_per_s > 0
// paces the whole load to that many requests per second; 0 sends flat out. `sent(t, i)` (may be
// empty) is called right before a request leaves.
LoadResult Load(int port, int connections, const std::function<int(int)>& count,
                const std::function<std::string(int, int)>& make, double rate_per_s = 0,
                const std::function<void(int, int)>& sent = {});

// opdesk (this build) on `backend` ("sqlite", or "mariadb" on the server of
// OPDESK_TEST_MYSQL_URL: a fresh database) with its portal and its VPBX. Start() brings it all up.
class OpdeskSetting {
 public:
  explicit OpdeskSetting(const std::string& backend,
                         std::map<std::string, std::string> extra_env = {});
  // Starts opdesk, installs the app on the portal, lifts the portal's budget (this measures
  // opdesk, not Bitrix24's limit), connects the VPBX with kVpbxKey/kVpbxSalt and waits until the
  // directory sync that connecting starts has finished; then clears the portal's request log.
  // False with the reason in `error`.
  bool Start(std::string* error);

  testing::B24Emulator emu{{"--rate", "100000", "--burst", "100000"}};
  testing::MangoEmulator pbx{kVpbxKey, kVpbxSalt};
  std::unique_ptr<testing::Opdesk> opdesk;
  std::unique_ptr<storage::Database> db;
  std::string base;         // the webhook path, /mango/<key>/
  std::string webhook_url;  // the same, absolute
};

}  // namespace opdesk::bench
