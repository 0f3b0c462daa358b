// Benchmark of the hot path (issue: Mango calls into Bitrix24). Prints figures; asserts nothing.
//   OPDESK_TEST_MYSQL_URL=mysql://… bench_mango_calls [calls=300] [client_threads=8] [events/s]
// Without a rate the events go flat out (throughput and acknowledgement under saturation); with
// one they are paced, which is where card-pop latency means something (no queue behind a burst).
// Runs opdesk (this build) on a fresh MariaDB database against the Bitrix24 emulator with a budget
// high enough that the portal is not the bottleneck, installs the app, connects a VPBX, then posts
// the six signed notifications of each call (IVR leg, operator leg, summary) from several
// keep-alive connections. Measures:
//   - events/s sustained and acknowledgement latency (POST sent → 200 read), p50/p99;
//   - card pop latency: operator-leg Appeared sent → register received by the emulator, p50/p99;
//   - REST requests per call made to the portal (OAuth and setup excluded);
//   - ceilings in the same run: a bare cpprestsdk listener answering 200, and bare single-row
//     MariaDB commits, with the same client threads.
#include <utility>  // boost/asio/awaitable.hpp (via pplx) needs std::exchange

#include <pplx/threadpool.h>
#include <soci/soci.h>

#include <cpprest/http_listener.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "tests/bench/bench_fixture.h"
#include "webhooks/mango/envelope.h"

using namespace std::chrono;
using opdesk::bench::CallEvent;
using opdesk::bench::HttpPost;
using opdesk::bench::Load;
using opdesk::bench::LoadResult;
using opdesk::bench::NowMs;
using opdesk::bench::Percentile;

int main(int argc, char** argv) {
  crossplat::threadpool::initialize_with_threads(2);
  const int calls = argc > 1 ? std::atoi(argv[1]) : 300;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 8;
  const double paced_rate = argc > 3 ? std::atof(argv[3]) : 0;  // events/s; 0: flat out
  if (std::getenv("OPDESK_TEST_MYSQL_URL") == nullptr) {
    std::cerr << "set OPDESK_TEST_MYSQL_URL (deploy/mariadb-throwaway.sh start DIR PORT)\n";
    return 2;
  }
  opdesk::bench::OpdeskSetting setting("mariadb");
  std::string error;
  if (!setting.Start(&error)) {
    std::cerr << error;
    return 1;
  }
  auto& emu = setting.emu;
  auto& opdesk = *setting.opdesk;
  auto& db = setting.db;
  const std::string& base = setting.base;

  // Six notifications per call; each thread posts whole calls in order.
  const int calls_per_thread = std::max(1, calls / threads);
  const int total_calls = calls_per_thread * threads;
  std::vector<long long> appeared_sent_ms(total_calls, 0);
  std::vector<std::string> entries(total_calls);
  for (int i = 0; i < total_calls; ++i) {
    entries[i] = "bench-" + std::to_string(i);
  }
  auto make = [&](int t, int i) {
    const int call = t * calls_per_thread + i / 6;
    const std::string& e = entries[call];
    std::string json;
    std::string suffix = "events/call";
    switch (i % 6) {
      case 0:
        json = CallEvent(e, e + "-a", 1, "Appeared", "ivr", "");
        break;
      case 1:
        json = CallEvent(e, e + "-a", 2, "Disconnected", "ivr", "");
        break;
      case 2:
        json = CallEvent(e, e + "-b", 1, "Appeared", "abonent", "102");
        appeared_sent_ms[call] = NowMs();
        break;
      case 3:
        json = CallEvent(e, e + "-b", 2, "Connected", "abonent", "102");
        break;
      case 4:
        json = CallEvent(e, e + "-b", 3, "Disconnected", "abonent", "102");
        break;
      default:
        suffix = "events/summary";
        json = R"({"entry_id":")" + e +
               R"(","call_direction":1,"from":{"number":"79001234567"},"to":{"extension":"102"},)"
               R"("line_number":"74951234567","create_time":1700000000,"forward_time":1700000005,)"
               R"("talk_time":1700000010,"end_time":1700000070,"entry_result":1})";
    }
    return HttpPost(base + suffix, opdesk::mango::BuildEnvelope(opdesk::bench::kVpbxKey, json,
                                                                opdesk::bench::kVpbxSalt));
  };
  auto per_connection = [&](int) { return calls_per_thread * 6; };
  LoadResult events = Load(opdesk.port(), threads, per_connection, make, paced_rate);

  // Wait for the pipeline to finish every call, then read what reached the portal.
  opdesk::testing::WaitFor(
      [&] {
        long long open = 0;
        opdesk::storage::WithSession(*db, [&](opdesk::storage::Session& s) {
          s.sql() << "SELECT COUNT(*) FROM jobs WHERE kind LIKE 'call.%' AND state IN"
                     " ('pending','running')",
              soci::into(open);
        });
        return open == 0;
      },
      seconds(300));
  const web::json::value log = emu.Control("GET", "/_emu/requests");
  std::map<std::string, long long> registered_at;
  int rest_requests = 0;
  for (const auto& r : log.at("requests").as_array()) {
    const std::string path = r.at("path").as_string();
    if (path.rfind("/rest/", 0) != 0 && path.rfind("/renamed/rest/", 0) != 0) {
      continue;
    }
    ++rest_requests;
    if (r.at("rest_method").as_string() == "telephony.externalcall.register") {
      const std::string entry = r.at("params").at("EXTERNAL_CALL_ID").as_string();
      if (!registered_at.count(entry)) {
        registered_at[entry] = r.at("at_ms").as_number().to_int64();
      }
    }
  }
  std::vector<double> card_pop_ms;
  for (int i = 0; i < total_calls; ++i) {
    if (registered_at.count(entries[i])) {
      card_pop_ms.push_back(static_cast<double>(registered_at[entries[i]] - appeared_sent_ms[i]));
    }
  }

  // Ceiling 1: a bare listener answering 200, same client threads and request size.
  const int bare_port = opdesk::testing::FreePort();
  web::http::experimental::listener::http_listener bare(
      "http://127.0.0.1:" + std::to_string(bare_port) + "/");
  bare.support([](web::http::http_request req) {
    req.reply(web::http::status_codes::OK, "{}").then([](pplx::task<void> t) {
      try {
        t.get();
      } catch (...) {
      }
    });
  });
  bare.open().wait();
  LoadResult bare_result = Load(bare_port, threads, per_connection, make);
  bare.close().wait();

  // Ceiling 2: bare single-row commits on the same MariaDB, one connection per client thread.
  opdesk::storage::DatabaseOptions options;
  options.url = std::getenv("OPDESK_TEST_MYSQL_URL");
  options.pool_size = threads;
  opdesk::storage::Database bare_db(options);
  opdesk::storage::WithSession(bare_db, [](opdesk::storage::Session& s) {
    s.sql() << "CREATE TABLE IF NOT EXISTS bench_commits (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
               " v VARCHAR(64))";
  });
  const int commits_per_thread = calls_per_thread * 6;
  std::atomic<int> commit_failures{0};
  const auto commit_start = steady_clock::now();
  std::vector<std::thread> committers;
  for (int t = 0; t < threads; ++t) {
    committers.emplace_back([&] {
      for (int i = 0; i < commits_per_thread; ++i) {
        try {
          opdesk::storage::InTransaction(bare_db, [](opdesk::storage::Session& s) {
            s.sql() << "INSERT INTO bench_commits (v) VALUES ('x')";
          });
        } catch (...) {
          ++commit_failures;
        }
      }
    });
  }
  for (auto& th : committers) {
    th.join();
  }
  const double commit_seconds = duration<double>(steady_clock::now() - commit_start).count();

  const double events_total = static_cast<double>(events.latencies_ms.size());
  std::printf(
      "mango calls benchmark: %d calls, %d client threads, %s, MariaDB, 2 cores\n", total_calls,
      threads,
      paced_rate > 0
          ? ("paced at " + std::to_string(static_cast<int>(paced_rate)) + " events/s").c_str()
          : "flat out");
  std::printf("  events posted           %.0f (%lld failed)\n", events_total, events.failures);
  std::printf("  events/s sustained      %.0f\n", events_total / events.seconds);
  std::printf("  ack latency p50 / p99   %.2f / %.2f ms\n", Percentile(events.latencies_ms, 0.5),
              Percentile(events.latencies_ms, 0.99));
  std::printf("  card pop p50 / p99      %.1f / %.1f ms (%zu of %d calls registered)\n",
              Percentile(card_pop_ms, 0.5), Percentile(card_pop_ms, 0.99), card_pop_ms.size(),
              total_calls);
  std::printf("  REST requests per call  %.2f\n",
              total_calls ? static_cast<double>(rest_requests) / total_calls : 0.0);
  std::printf("  ceiling: bare listener  %.0f req/s (p99 %.2f ms)\n",
              bare_result.latencies_ms.size() / bare_result.seconds,
              Percentile(bare_result.latencies_ms, 0.99));
  std::printf("  ceiling: bare commits   %.0f commits/s (%d failed)\n",
              threads * commits_per_thread / commit_seconds, commit_failures.load());
  return 0;
}
