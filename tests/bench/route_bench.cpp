// Benchmark of routing to the responsible (FEATURES B5). Prints figures; asserts nothing.
//   [OPDESK_TEST_MYSQL_URL=mysql://…] bench_route [calls_per_pass=12] [burst=20]
// Runs opdesk (this build; MariaDB when OPDESK_TEST_MYSQL_URL is set, else SQLite) against the
// Bitrix24 emulator and the Mango emulator, with routing on. Each call is an inbound call whose
// first leg appears in the IVR greeting, posted signed to opdesk; the figure is the time from
// that POST being sent to the Mango emulator receiving commands/route for the leg.
//   - cold: numbers opdesk has never looked up, the portal answering the lookup after 150 ms;
//   - warm: the same numbers again (the phone → responsible cache answers);
//   The calls of a pass are spaced 2.2 s apart, as Mango allows 1 route per 2 s per VPBX.
//   - burst: `burst` calls appear at once on one VPBX with a 5 s greeting: how many were routed
//     within it and how many were dropped by the deadline.
#include <utility>  // boost/asio/awaitable.hpp (via pplx) needs std::exchange

#include <pplx/threadpool.h>
#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/bench/bench_fixture.h"
#include "webhooks/mango/envelope.h"

using namespace std::chrono;
using opdesk::bench::HttpPost;
using opdesk::bench::NowMs;
using opdesk::bench::Percentile;
using opdesk::bench::Scalar;
using opdesk::testing::RawConnection;

namespace {

std::string Appeared(const std::string& entry, const std::string& phone) {
  return R"({"entry_id":")" + entry + R"(","call_id":")" + entry + R"(-ivr","timestamp":)" +
         std::to_string(NowMs() / 1000) +
         R"(,"seq":1,"call_state":"Appeared","location":"ivr","from":{"number":")" + phone +
         R"("},"to":{"line_number":"74951234567"}})";
}

std::string Phone(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "7911%07d", i);
  return buf;
}

// The time each leg's commands/route reached the Mango emulator, by call_id.
std::map<std::string, long long> RoutesSeen(opdesk::testing::MangoEmulator& pbx) {
  std::map<std::string, long long> out;
  const web::json::value log = pbx.Control("GET", "/_emu/requests");
  for (const auto& r : log.at("requests").as_array()) {
    if (r.has_field("path") && r.at("path").as_string() == "commands/route" &&
        r.has_field("json") && r.at("json").is_object() && r.at("json").has_field("call_id")) {
      out.emplace(r.at("json").at("call_id").as_string(), r.at("at_ms").as_number().to_int64());
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  crossplat::threadpool::initialize_with_threads(2);
  const int per_pass = argc > 1 ? std::atoi(argv[1]) : 12;
  const int burst = argc > 2 ? std::atoi(argv[2]) : 20;
  const bool mariadb = std::getenv("OPDESK_TEST_MYSQL_URL") != nullptr;
  opdesk::bench::OpdeskSetting setting(mariadb ? "mariadb" : "sqlite");
  std::string error;
  if (!setting.Start(&error)) {
    std::cerr << error;
    return 1;
  }
  auto& emu = setting.emu;
  auto& pbx = setting.pbx;
  auto& opdesk = *setting.opdesk;
  auto& db = setting.db;
  const std::string& base = setting.base;
  std::string out;
  opdesk::testing::RunCommand({OPDESK_BINARY, "tenant", "integration", "--tenant", emu.member_id(),
                               "--set", "route_to_responsible=true"},
                              opdesk.env(), opdesk.dir(), &out);
  // Contacts of user 3 (extension 103): one per number of the passes, and the burst's.
  std::string contacts;
  for (int i = 0; i < per_pass + burst + 1; ++i) {
    contacts += std::string(i ? "," : "") + R"({"NAME":"Клиент )" + std::to_string(i) +
                R"(","ASSIGNED_BY_ID":"3","PHONE":[{"VALUE":"+)" + Phone(i) +
                R"(","VALUE_TYPE":"WORK"}]})";
  }
  emu.Control("POST", "/_emu/seed", R"({"contacts":[)" + contacts + "]}");
  opdesk::testing::WaitFor(
      [&] {
        return Scalar(*db,
                      "SELECT COUNT(*) FROM jobs WHERE kind = 'mango.directory' AND (state ="
                      " 'running' OR (state = 'pending' AND run_at_ms <= created_at_ms))") == 0;
      },
      seconds(30));

  RawConnection connection(opdesk.port());
  int posted = 0;
  auto post = [&](const std::string& entry, const std::string& phone) {
    connection.Send(
        HttpPost(base + "events/call",
                 opdesk::mango::BuildEnvelope(opdesk::bench::kVpbxKey, Appeared(entry, phone),
                                              opdesk::bench::kVpbxSalt)));
    connection.Read(seconds(10));
    ++posted;
  };
  // Warm-up of the process (users' active flags, connections): one call, not measured.
  post("warmup", Phone(per_pass + burst));
  std::this_thread::sleep_for(milliseconds(2'300));

  auto pass = [&](const std::string& name) {
    std::vector<std::pair<std::string, long long>> sent;
    for (int i = 0; i < per_pass; ++i) {
      const std::string entry = name + "-" + std::to_string(i);
      const long long at = NowMs();
      post(entry, Phone(i));
      sent.emplace_back(entry + "-ivr", at);
      std::this_thread::sleep_for(milliseconds(2'200));
    }
    std::this_thread::sleep_for(milliseconds(500));
    const auto seen = RoutesSeen(pbx);
    std::vector<double> latencies;
    for (const auto& [leg, at] : sent) {
      auto it = seen.find(leg);
      if (it != seen.end()) {
        latencies.push_back(static_cast<double>(it->second - at));
      }
    }
    std::printf(
        "%-5s Appeared → commands/route: routed %zu/%d  p50 %.0f ms  p99 %.0f ms  max %.0f ms\n",
        name.c_str(), latencies.size(), per_pass, Percentile(latencies, 0.5),
        Percentile(latencies, 0.99), Percentile(latencies, 1.0));
  };
  emu.Control("POST", "/_emu/faults",
              R"({"method":"telephony.externalcall.searchcrmentities","delay_ms":150,"count":0})");
  pass("cold");
  pass("warm");
  emu.Control("DELETE", "/_emu/faults");

  // Burst: every call of it appears at once; Mango takes one route per 2 s per VPBX.
  std::this_thread::sleep_for(milliseconds(2'300));
  const long long burst_at = NowMs();
  for (int i = 0; i < burst; ++i) {
    post("burst-" + std::to_string(i), Phone(per_pass + i));
  }
  std::this_thread::sleep_for(milliseconds(6'500));
  int routed = 0;
  long long last = 0;
  for (const auto& [leg, at] : RoutesSeen(pbx)) {
    if (leg.rfind("burst-", 0) == 0) {
      ++routed;
      last = std::max(last, at - burst_at);
    }
  }
  opdesk::testing::WaitFor(
      [&] {
        return Scalar(*db,
                      "SELECT COUNT(*) FROM jobs WHERE kind = 'call.route' AND state IN"
                      " ('pending','running')") == 0;
      },
      seconds(30));
  const long long dropped =
      Scalar(*db, "SELECT COUNT(*) FROM jobs WHERE kind = 'call.route' AND state = 'dropped'");
  const std::string metrics =
      opdesk::testing::HttpRequest(opdesk.port(), "GET", "/metrics", "", {}).body;
  std::smatch dm;
  std::regex_search(metrics, dm, std::regex(R"(opdesk_routes_total\{outcome="dropped"\} (\d+))"));
  const long long dropped_running = dm.size() > 1 ? std::stoll(dm[1].str()) : -1;
  std::printf(
      "burst of %d on one VPBX, 5 s greeting: routed %d within it (last sent at +%lld ms), "
      "dropped by the deadline %lld (%lld unclaimed, %lld with no Mango slot left)\n",
      burst, routed, last, dropped + dropped_running, dropped, dropped_running);
  std::printf("backend %s, %d events posted\n", mariadb ? "mariadb" : "sqlite", posted);
  if (std::getenv("BENCH_ROUTE_LOG") != nullptr) {
    std::istringstream log(opdesk.Log());
    for (std::string line; std::getline(log, line);) {
      if (line.find("event=route_") != std::string::npos) {
        std::cout << line << "\n";
      }
    }
  }
  return 0;
}
