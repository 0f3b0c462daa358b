#include "tests/bench/bench_fixture.h"

#include <soci/soci.h>

#include <algorithm>
#include <cstdlib>
#include <regex>

namespace opdesk::bench {

using namespace std::chrono;

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) {
    return 0;
  }
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1) + 0.5))];
}

long long NowMs() {
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string HttpPost(const std::string& path, const std::string& body) {
  return "POST " + path +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

long long Scalar(storage::Database& db, const std::string& sql) {
  long long n = 0;
  storage::WithSession(db, [&](storage::Session& s) { s.sql() << sql, soci::into(n); });
  return n;
}

std::string CallEvent(const std::string& entry, const std::string& leg, int seq,
                      const std::string& state, const std::string& location,
                      const std::string& ext) {
  return R"({"entry_id":")" + entry + R"(","call_id":")" + leg + R"(","timestamp":)" +
         std::to_string(1'700'000'000 + seq) + R"(,"seq":)" + std::to_string(seq) +
         R"(,"call_state":")" + state + R"(","location":")" + location +
         R"(","from":{"number":"79001234567"},"to":{)" +
         (ext.empty() ? "" : R"("extension":")" + ext + R"(",)") +
         R"("line_number":"74951234567"}})";
}

std::string Summary(const std::string& entry, const std::string& ext) {
  return R"({"entry_id":")" + entry + R"(","call_direction":1,"from":{"number":"79001234567"},)" +
         R"("to":{)" + (ext.empty() ? "" : R"("extension":")" + ext + R"(",)") +
         R"("line_number":"74951234567"},"create_time":1700000000,)" +
         (ext.empty() ? R"("forward_time":0,"talk_time":0,)"
                      : R"("forward_time":1700000005,"talk_time":1700000010,)") +
         R"("end_time":1700000070,"entry_result":)" + (ext.empty() ? "0" : "1") + "}";
}

LoadResult Load(int port, int connections, const std::function<int(int)>& count,
                const std::function<std::string(int, int)>& make, double rate_per_s,
                const std::function<void(int, int)>& sent) {
  LoadResult result;
  std::mutex mu;
  const auto start = steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < connections; ++t) {
    pool.emplace_back([&, t] {
      auto c = std::make_unique<testing::RawConnection>(port);
      std::vector<double> mine;
      long long failures = 0;
      const int n = count(t);
      for (int i = 0; i < n; ++i) {
        if (rate_per_s > 0) {
          std::this_thread::sleep_until(
              start + duration_cast<steady_clock::duration>(duration<double>(
                          (static_cast<double>(i) * connections + t) / rate_per_s)));
        }
        const std::string request = make(t, i);
        if (sent) {
          sent(t, i);
        }
        const auto at = steady_clock::now();
        c->Send(request);
        const testing::RawResponse r = c->Read(seconds(30));
        if (r.status == 200) {
          mine.push_back(duration<double, std::milli>(steady_clock::now() - at).count());
        } else {
          ++failures;
          if (r.status == 0) {
            c = std::make_unique<testing::RawConnection>(port);  // closed: a new one
          }
        }
      }
      std::lock_guard lock(mu);
      result.latencies_ms.insert(result.latencies_ms.end(), mine.begin(), mine.end());
      result.ok += static_cast<long long>(mine.size());
      result.failures += failures;
    });
  }
  for (auto& th : pool) {
    th.join();
  }
  result.seconds = duration<double>(steady_clock::now() - start).count();
  return result;
}

OpdeskSetting::OpdeskSetting(const std::string& backend,
                             std::map<std::string, std::string> extra_env) {
  std::map<std::string, std::string> env = {
      {"OPDESK_BITRIX24_CLIENT_ID", "app.test"},
      {"OPDESK_BITRIX24_CLIENT_SECRET", "secret.test"},
      {"OPDESK_BITRIX24_OAUTH_URL", emu.oauth_url()},
      {"OPDESK_ALLOW_INSECURE_ENDPOINTS", "true"},
      {"OPDESK_MANGO_API_URL", pbx.api_url()},
      {"OPDESK_LOG_LEVEL",
       std::getenv("BENCH_LOG_LEVEL") ? std::getenv("BENCH_LOG_LEVEL") : "warn"},
      {"OPDESK_JOBS_POLL_INTERVAL_MS", "10"}};
  for (auto& [k, v] : extra_env) {
    env[k] = v;
  }
  opdesk = std::make_unique<testing::Opdesk>(backend, env);
}

bool OpdeskSetting::Start(std::string* error) {
  if (!opdesk->Start()) {
    *error = "opdesk did not start:\n" + opdesk->Log();
    return false;
  }
  emu.Control("POST", "/_emu/portal/install-callback",
              R"({"url":")" + opdesk->url() + R"(/b24/events"})");
  db = opdesk->OpenDatabase();
  if (!testing::WaitFor(
          [&] {
            return Scalar(*db, "SELECT COUNT(*) FROM b24_portals WHERE state = 'installed'") == 1;
          },
          seconds(30))) {
    *error = "the app was not installed:\n" + opdesk->Log();
    return false;
  }
  storage::InTransaction(*db, [](storage::Session& s) {
    s.sql() << "UPDATE b24_portals SET rate_per_s = 100000, burst = 100000";
  });
  std::string out;
  testing::RunCommand({OPDESK_BINARY, "tenant", "mango", "--tenant", emu.member_id(), "--api-key",
                       kVpbxKey, "--api-salt", kVpbxSalt},
                      opdesk->env(), opdesk->dir(), &out);
  std::smatch m;
  if (!std::regex_search(out, m, std::regex("(http://[^ \\n]+)(/mango/[0-9a-f]+/)"))) {
    *error = "connecting the VPBX failed:\n" + out;
    return false;
  }
  base = m[2].str();
  webhook_url = m[1].str() + base;
  // Connecting fetched the VPBX directory and linked the employees (user.get); let that finish
  // so its requests are not counted against the calls.
  testing::WaitFor(
      [&] {
        return Scalar(*db,
                      "SELECT COUNT(*) FROM jobs WHERE kind = 'mango.directory' AND (state ="
                      " 'running' OR (state = 'pending' AND run_at_ms <= created_at_ms))") == 0;
      },
      seconds(30));
  emu.Control("POST", "/_emu/requests/clear");
  return true;
}

}  // namespace opdesk::bench
