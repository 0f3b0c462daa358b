// What a statement prepared on the MariaDB server saves against the same statement sent as text:
// the ingest path's event INSERT (three events a statement, one transaction each, as the group
// commit writes them under load), run both ways on one connection, rounds alternating. Prints
// events/s and the MariaDB server's CPU per event (from /proc, so run it on the server's host).
//   url=$(bash deploy/mariadb-throwaway.sh start /tmp/mdb-stmt 3393)
//   OPDESK_TEST_MYSQL_URL=$url build/bench/tests/bench/bench_statements
//       --mysqld-pid "$(cat /tmp/mdb-stmt/mysqld.pid)" [--batches 6000] [--rounds 3]
// deploy/bench.sh runs it after the ingest benchmark, on its throwaway MariaDB.
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "connector/storage/pending_events.h"
#include "tests/support/test_database.h"

namespace {

using opdesk::StoredEvent;
using opdesk::storage::Session;

// User plus system CPU seconds of a process, from /proc/PID/stat.
double CpuSeconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string field;
  for (int i = 0; i < 13; ++i) {
    in >> field;
  }
  long long user = 0;
  long long system = 0;
  in >> user >> system;
  return static_cast<double>(user + system) / 100.0;
}

// The statement as SOCI's MySQL backend sends it: text, each value escaped into it.
void InsertAsText(Session& s, const std::vector<StoredEvent>& events) {
  std::string sql =
      "INSERT INTO events (tenant_id, source, kind, dedupe_key, payload, received_at_ms,"
      " pending) VALUES ";
  for (std::size_t r = 0; r < events.size(); ++r) {
    const std::string n = std::to_string(r);
    sql += (r == 0 ? "(:t" : ", (:t") + n + ", :s" + n + ", :k" + n + ", :d" + n + ", :p" + n +
           ", :r" + n + ", :n" + n + ")";
  }
  int pending = 1;
  soci::details::prepare_temp_type prep = (s.sql().prepare << sql);
  for (const StoredEvent& e : events) {
    prep, soci::use(e.tenant_id), soci::use(e.source), soci::use(e.kind), soci::use(e.dedupe_key),
        soci::use(e.payload), soci::use(e.received_at_ms), soci::use(pending);
  }
  soci::statement st(prep);
  st.execute(true);
}

}  // namespace

int main(int argc, char** argv) {
  int mysqld_pid = 0;
  int batches = 6000;
  int rounds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--mysqld-pid") == 0) {
      mysqld_pid = std::stoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--batches") == 0) {
      batches = std::stoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--rounds") == 0) {
      rounds = std::stoi(argv[i + 1]);
    }
  }
  if (mysqld_pid <= 0 || batches <= 0 || rounds <= 0) {
    std::fprintf(stderr,
                 "usage: OPDESK_TEST_MYSQL_URL=… %s --mysqld-pid PID [--batches N] [--rounds N]\n",
                 argv[0]);
    return 2;
  }
  spdlog::set_level(spdlog::level::warn);  // not the migrations' lines
  opdesk::testing::TestDatabase test_db("mariadb");
  auto db = test_db.Open(/*migrate=*/true, /*pool_size=*/1);
  // A Mango notification's size, with quotes for the text form to escape.
  std::string payload(700, 'a');
  for (std::size_t i = 0; i < payload.size(); i += 7) {
    payload[i] = '"';
  }
  constexpr int kRowsPerStatement = 3;
  std::printf("event INSERT, %d events a statement and a transaction, %d statements a run\n",
              kRowsPerStatement, batches);
  std::printf("%-10s %12s %22s\n", "form", "events/s", "MariaDB CPU per event");
  long long next_key = 0;
  for (int round = 0; round < rounds; ++round) {
    for (const bool prepared : {false, true}) {
      const auto started = std::chrono::steady_clock::now();
      const double cpu_before = CpuSeconds(mysqld_pid);
      for (int b = 0; b < batches; ++b) {
        std::vector<StoredEvent> events;
        for (int r = 0; r < kRowsPerStatement; ++r) {
          events.push_back({0, "tenant-1", "mango", "events/call",
                            "call:" + std::to_string(next_key++), payload, 5});
        }
        opdesk::storage::InTransaction(*db, [&](Session& s) {
          if (prepared) {
            std::vector<const StoredEvent*> list;
            for (const StoredEvent& e : events) {
              list.push_back(&e);
            }
            opdesk::storage::PendingEventRepository::InsertAll(
                s, list, std::vector<bool>(list.size(), true));
          } else {
            InsertAsText(s, events);
          }
        });
      }
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const double events_run = static_cast<double>(batches) * kRowsPerStatement;
      std::printf("%-10s %12.0f %19.1f us\n", prepared ? "prepared" : "text", events_run / seconds,
                  (CpuSeconds(mysqld_pid) - cpu_before) * 1e6 / events_run);
      std::fflush(stdout);
    }
  }
  return 0;
}
