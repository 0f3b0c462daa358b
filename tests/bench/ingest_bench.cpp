// Side-by-side ingest benchmark (deploy/bench.sh runs it): the same signed stream of Mango
// notifications played to the Node.js peer (../shared/peers/node-ingest, durable mode) and to
// opdesk, on one MariaDB server, then to opdesk on SQLite; one table with both and the ratio.
//   OPDESK_TEST_MYSQL_URL=mysql://… bench_ingest --peer-dir DIR --node PATH --mysqld-pid PID
//       [--calls 20000] [--connections 16] [--card-pop-rate 200] [--card-pop-seconds 10]
//       [--recorded-calls 10] [--skip-peer] [--skip-sqlite] [--skip-card-pop]
//       [--opdesk-env NAME=VALUE]… (opdesk settings for its ingest runs, to compare)
//       [--statement-log] (MariaDB's general log during opdesk's MariaDB run: its statements
//       by kind per event; the log costs the server CPU, so the CPU figures of that run are high)
// The stream: realistic inbound calls (8 in 10 answered: IVR leg, operator leg, summary = 6
// events; 1 in 10 lost in the IVR = 3; 1 in 10 offered to an operator who does not answer, then
// answered by another = 8), 5.9 events a call, signed once before any run. Each of the
// keep-alive connections posts whole calls in order, each event after the previous one's 200.
// For each target: events/s acknowledged, ack latency p50/p99 (sent → 200 read), errors, the
// events durable after a kill -9 right after the last 200 (counted in its database), the backlog
// at the end (peer: events acknowledged but not stored; opdesk: the stored events not yet applied
// to their calls and jobs, with the age of the oldest, and the CRM jobs still waiting)
// and the MariaDB server's CPU per acknowledged event (its /proc times over the run), with the
// statements it executed per acknowledged event by kind (its Com_* counters over the run, and
// from the start of the run until opdesk's backlog drained after the restart: end to end).
// Where the cores went during each run, per acknowledged event: this benchmark (the load
// generator), the server, MariaDB, the emulators and the rest (idle included), and what 2x the
// peer's rate would leave for the server and its database on this machine.
// Then: the recovery of opdesk after that kill -9 (restart → the killed process's running jobs
// done), card pop (operator-leg Appeared sent → telephony.externalcall.register received by the
// portal emulator, paced at --card-pop-rate calls/s; on MariaDB, and on SQLite unless skipped)
// and REST requests per call, unrecorded and
// recorded (calls played by the Mango emulator). Prints figures; asserts nothing.
#include <utility>  // boost/asio/awaitable.hpp (via pplx) needs std::exchange

#include <pplx/threadpool.h>
#include <soci/soci.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "tests/bench/bench_fixture.h"
#include "tests/support/scratch_dir.h"
#include "webhooks/mango/envelope.h"

using namespace std::chrono;
using opdesk::bench::HttpPost;
using opdesk::bench::Load;
using opdesk::bench::LoadResult;
using opdesk::bench::NowMs;
using opdesk::bench::Percentile;
using opdesk::bench::Scalar;

namespace {

struct Options {
  int calls = 20'000;
  int connections = 16;
  std::string peer_dir;
  std::string node = "node";
  int mysqld_pid = 0;
  double card_pop_rate = 200;
  int card_pop_seconds = 10;
  int recorded_calls = 10;
  bool peer = true;
  bool sqlite = true;
  bool card_pop = true;
  bool statement_log = false;
  std::map<std::string, std::string> opdesk_env;  // --opdesk-env K=V: settings to compare
};

// One notification of the stream.
struct Event {
  std::string suffix;  // events/call or events/summary
  std::string body;    // the signed form envelope
  bool operator_appeared = false;
};

// The calls of the stream, by connection: connection t posts calls t, t + n, t + 2n, …
struct Stream {
  std::vector<std::vector<Event>> by_connection;
  std::vector<std::vector<int>> call_of;  // by connection, the call index of each event
  long long events = 0;
  int calls = 0;
};

std::vector<Event> CallEvents(const std::string& entry, int kind) {
  using opdesk::bench::CallEvent;
  using opdesk::bench::Summary;
  std::vector<std::pair<std::string, std::string>> raw;  // suffix, json
  std::vector<bool> appeared;
  auto add = [&](const std::string& json, bool op = false) {
    raw.emplace_back("events/call", json);
    appeared.push_back(op);
  };
  add(CallEvent(entry, entry + "-a", 1, "Appeared", "ivr", ""));
  add(CallEvent(entry, entry + "-a", 2, "Disconnected", "ivr", ""));
  std::string answered_by;
  if (kind == 1) {         // lost in the IVR
  } else if (kind == 2) {  // 102 does not answer, 103 does
    add(CallEvent(entry, entry + "-b", 1, "Appeared", "abonent", "102"), true);
    add(CallEvent(entry, entry + "-b", 2, "Disconnected", "abonent", "102"));
    add(CallEvent(entry, entry + "-c", 1, "Appeared", "abonent", "103"), true);
    add(CallEvent(entry, entry + "-c", 2, "Connected", "abonent", "103"));
    add(CallEvent(entry, entry + "-c", 3, "Disconnected", "abonent", "103"));
    answered_by = "103";
  } else {
    add(CallEvent(entry, entry + "-b", 1, "Appeared", "abonent", "102"), true);
    add(CallEvent(entry, entry + "-b", 2, "Connected", "abonent", "102"));
    add(CallEvent(entry, entry + "-b", 3, "Disconnected", "abonent", "102"));
    answered_by = "102";
  }
  raw.emplace_back("events/summary", Summary(entry, answered_by));
  appeared.push_back(false);
  std::vector<Event> out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    out.push_back({raw[i].first,
                   opdesk::mango::BuildEnvelope(opdesk::bench::kVpbxKey, raw[i].second,
                                                opdesk::bench::kVpbxSalt),
                   appeared[i]});
  }
  return out;
}

Stream MakeStream(const std::string& prefix, int calls, int connections) {
  Stream s;
  s.calls = calls;
  s.by_connection.resize(connections);
  s.call_of.resize(connections);
  for (int c = 0; c < calls; ++c) {
    const int kind = c % 10 == 0 ? 1 : (c % 10 == 5 ? 2 : 0);
    for (Event& e : CallEvents(prefix + std::to_string(c), kind)) {
      s.by_connection[c % connections].push_back(std::move(e));
      s.call_of[c % connections].push_back(c);
      ++s.events;
    }
  }
  return s;
}

LoadResult Play(int port, const std::string& base, const Stream& stream, double rate = 0,
                const std::function<void(int, int)>& sent = {}) {
  const int n = static_cast<int>(stream.by_connection.size());
  return Load(
      port, n, [&](int t) { return static_cast<int>(stream.by_connection[t].size()); },
      [&](int t, int i) {
        const Event& e = stream.by_connection[t][i];
        return HttpPost(base + e.suffix, e.body);
      },
      rate, sent);
}

// CPU seconds (user + system) a process has used so far; 0 when unreadable.
double CpuSeconds(int pid) {
  if (pid <= 0) {
    return 0;
  }
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const auto close = all.rfind(')');
  if (close == std::string::npos) {
    return 0;
  }
  std::istringstream rest(all.substr(close + 2));
  std::vector<std::string> fields;
  for (std::string x; rest >> x;) {
    fields.push_back(x);
  }
  if (fields.size() < 13) {
    return 0;
  }
  // After the command: state is field 3, utime field 14, stime field 15.
  return static_cast<double>(std::stoll(fields[11]) + std::stoll(fields[12])) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The MariaDB server's statement counters (Com_*, Questions), read over its own connection.
using Counters = std::map<std::string, long long>;

Counters ReadCounters() {
  Counters out;
  if (std::getenv("OPDESK_TEST_MYSQL_URL") == nullptr) {
    return out;
  }
  opdesk::storage::DatabaseOptions options;
  options.url = std::getenv("OPDESK_TEST_MYSQL_URL");
  options.pool_size = 1;
  opdesk::storage::Database db(options);
  opdesk::storage::WithSession(db, [&](opdesk::storage::Session& s) {
    std::string name;
    std::string value;
    soci::statement st =
        (s.sql().prepare << "SELECT LOWER(VARIABLE_NAME), VARIABLE_VALUE FROM"
                            " information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN"
                            " ('QUESTIONS', 'COM_SELECT', 'COM_INSERT', 'COM_UPDATE',"
                            " 'COM_DELETE', 'COM_BEGIN', 'COM_COMMIT', 'COM_ROLLBACK',"
                            " 'COM_SET_OPTION', 'COM_INSERT_SELECT', 'COM_REPLACE')",
         soci::into(name), soci::into(value));
    if (st.execute(true)) {
      do {
        out[name] = std::stoll(value);
      } while (st.fetch());
    }
  });
  return out;
}

// Statements per acknowledged event between two readings, by kind: "6.10 (select 2.00, …)".
std::string PerEvent(const Counters& before, const Counters& after, long long events) {
  if (before.empty() || after.empty() || events <= 0) {
    return "-";
  }
  auto diff = [&](const std::string& k) {
    auto a = after.find(k);
    auto b = before.find(k);
    return (a == after.end() ? 0 : a->second) - (b == before.end() ? 0 : b->second);
  };
  const double n = static_cast<double>(events);
  // The readings themselves are statements too (one each); they are not the load's.
  const long long total = diff("questions") - 1;
  long long listed = 0;
  std::string kinds;
  for (const char* k : {"com_begin", "com_select", "com_insert", "com_update", "com_delete",
                        "com_commit", "com_rollback", "com_set_option"}) {
    const long long d = diff(k) - (std::string(k) == "com_select" ? 1 : 0);
    listed += d;
    char part[64];
    std::snprintf(part, sizeof part, "%s%s %.2f", kinds.empty() ? "" : ", ", k + 4,
                  static_cast<double>(d) / n);
    kinds += part;
  }
  char text[512];
  std::snprintf(text, sizeof text, "%.2f (%s, other %.2f)", static_cast<double>(total) / n,
                kinds.c_str(), static_cast<double>(total - listed) / n);
  return text;
}

// The general log (a table) on, emptied first, or off.
void GeneralLog(bool on) {
  opdesk::storage::DatabaseOptions options;
  options.url = std::getenv("OPDESK_TEST_MYSQL_URL");
  options.pool_size = 1;
  opdesk::storage::Database db(options);
  opdesk::storage::WithSession(db, [&](opdesk::storage::Session& s) {
    if (on) {
      s.sql() << "SET GLOBAL log_output = 'TABLE'";
      s.sql() << "TRUNCATE TABLE mysql.general_log";
      s.sql() << "SET GLOBAL general_log = 1";
    } else {
      s.sql() << "SET GLOBAL general_log = 0";
    }
  });
}

// The general log's statements, numbers and quoted strings masked, cut to their first words, by
// count, per event.
std::string StatementKinds(long long events) {
  opdesk::storage::DatabaseOptions options;
  options.url = std::getenv("OPDESK_TEST_MYSQL_URL");
  options.pool_size = 1;
  opdesk::storage::Database db(options);
  std::string out;
  opdesk::storage::WithSession(db, [&](opdesk::storage::Session& s) {
    std::string text;
    long long count = 0;
    soci::statement st =
        // Lists of masked values (IN lists, rows of a multi-row INSERT) shortened to one.
        (s.sql().prepare << "SELECT k, COUNT(*) AS n FROM (SELECT LEFT(REGEXP_REPLACE("
                            "REGEXP_REPLACE(REGEXP_REPLACE(REGEXP_REPLACE(CONVERT(argument USING"
                            " utf8mb4), CONCAT(CHAR(39), '[^', CHAR(39), ']*', CHAR(39)), '?'),"
                            " '[0-9]+', 'N'), '[[:space:]]+', ' '), '[N?](, ?[N?])+', '…'), 90)"
                            " AS k FROM mysql.general_log WHERE"
                            " command_type = 'Query') q GROUP BY k ORDER BY n DESC LIMIT 40",
         soci::into(text), soci::into(count));
    if (st.execute(true)) {
      do {
        char line[256];
        std::snprintf(line, sizeof line, "  %7.3f  %s\n",
                      static_cast<double>(count) / static_cast<double>(events), text.c_str());
        out += line;
      } while (st.fetch());
    }
  });
  return out;
}

struct Row {
  std::string name;
  LoadResult load;
  long long durable = -1;  // counted after kill -9
  std::string backlog;
  double db_cpu_s = -1;  // MariaDB CPU over the run
  std::string note;
  std::string statements;       // MariaDB statements per event over the run
  std::string end_to_end;       // statements and CPU per event from the run's start until drained
  std::string statement_kinds;  // --statement-log
  // CPU seconds over the run, by process (-1: not measured): this benchmark (the load
  // generator), the server under test, and the emulators opdesk's setting runs.
  double loadgen_cpu_s = -1;
  double server_cpu_s = -1;
  double emulators_cpu_s = -1;
};

// CPU of the processes that take part in a run, read before and after it.
struct CpuReading {
  double loadgen = 0;
  double server = 0;
  double db = 0;
  double emulators = 0;
};

CpuReading ReadCpu(const Options& o, int server_pid, const std::vector<int>& emulator_pids) {
  CpuReading r;
  r.loadgen = CpuSeconds(static_cast<int>(getpid()));
  r.server = CpuSeconds(server_pid);
  r.db = CpuSeconds(o.mysqld_pid);
  for (int pid : emulator_pids) {
    r.emulators += CpuSeconds(pid);
  }
  return r;
}

void SetCpu(Row& row, const Options& o, const CpuReading& before, const CpuReading& after,
            bool emulators) {
  row.loadgen_cpu_s = after.loadgen - before.loadgen;
  row.server_cpu_s = after.server - before.server;
  if (o.mysqld_pid > 0) {
    row.db_cpu_s = after.db - before.db;
  }
  row.emulators_cpu_s = emulators ? after.emulators - before.emulators : -1;
}

void PrintRow(const Row& r, long long events) {
  const double eps = r.load.seconds > 0 ? static_cast<double>(r.load.ok) / r.load.seconds : 0;
  char cpu[64] = "-";
  if (r.db_cpu_s >= 0 && r.load.ok > 0) {
    std::snprintf(cpu, sizeof cpu, "%.0f us (%.2f core)", r.db_cpu_s * 1e6 / r.load.ok,
                  r.db_cpu_s / r.load.seconds);
  }
  char durable[64];
  std::snprintf(durable, sizeof durable, "%lld of %lld", r.durable, r.load.ok);
  std::printf("%-22s %9.0f %7.2f %7.2f %7lld  %-22s %-26s %-22s %s\n", r.name.c_str(), eps,
              Percentile(r.load.latencies_ms, 0.5), Percentile(r.load.latencies_ms, 0.99),
              r.load.failures + (events - r.load.ok - r.load.failures), durable, r.backlog.c_str(),
              cpu, r.note.c_str());
}

// Where the machine's cores went during a run, per acknowledged event.
void PrintCpuRow(const Row& r) {
  if (r.load.ok <= 0 || r.load.seconds <= 0 || r.server_cpu_s < 0) {
    return;
  }
  const double cores = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
  const double n = static_cast<double>(r.load.ok);
  auto us = [&](double s) { return s * 1e6 / n; };
  auto part = [&](double s) {
    char text[32];
    if (s < 0) {
      std::snprintf(text, sizeof text, "%5s", "-");
    } else {
      std::snprintf(text, sizeof text, "%5.0f", us(s));
    }
    return std::string(text);
  };
  const double known = r.loadgen_cpu_s + r.server_cpu_s + std::max(0.0, r.db_cpu_s) +
                       std::max(0.0, r.emulators_cpu_s);
  const double all = cores * r.load.seconds;
  std::printf("  %-22s %s %s %s %s %s %6.0f\n", r.name.c_str(), part(r.loadgen_cpu_s).c_str(),
              part(r.server_cpu_s).c_str(), part(r.db_cpu_s).c_str(),
              part(r.emulators_cpu_s).c_str(), part(all - known).c_str(), us(all));
}

// What 2x the peer's rate leaves, per event, for the server under test and what it needs on
// this machine, given what the load generator itself takes.
void PrintRoom(const Row& peer, const Row& ours) {
  if (peer.load.ok <= 0 || ours.load.ok <= 0 || peer.server_cpu_s < 0 || ours.server_cpu_s < 0 ||
      peer.db_cpu_s < 0 || ours.db_cpu_s < 0) {
    return;
  }
  const double cores = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
  const double target = 2.0 * static_cast<double>(peer.load.ok) / peer.load.seconds;
  const double budget = cores * 1e6 / target;
  const double loadgen = ours.loadgen_cpu_s * 1e6 / static_cast<double>(ours.load.ok);
  const double peer_needs =
      (peer.server_cpu_s + peer.db_cpu_s) * 1e6 / static_cast<double>(peer.load.ok);
  const double ours_needs =
      (ours.server_cpu_s + ours.db_cpu_s + std::max(0.0, ours.emulators_cpu_s)) * 1e6 /
      static_cast<double>(ours.load.ok);
  std::printf(
      "  room at 2x the peer (%.0f events/s): %.0f us of CPU per event on %.0f cores; the load"
      " generator takes %.0f, which leaves %.0f for the server, its database and the"
      " emulators; the peer with its database needed %.0f, opdesk with its database and the"
      " emulators %.0f\n",
      target, budget, cores, loadgen, budget - loadgen, peer_needs, ours_needs);
}

std::string UrlWithDatabase(const std::string& url, const std::string& db) {
  return url.substr(0, url.rfind('/') + 1) + db;
}

// The Node peer on its own database of the same server.
Row RunPeer(const Options& o, const Stream& warmup, const Stream& stream) {
  Row row{"Node peer (durable)", {}, -1, "", -1, "", "", "", ""};
  const std::string server = std::getenv("OPDESK_TEST_MYSQL_URL");
  opdesk::storage::DatabaseOptions admin_options;
  admin_options.url = server;
  admin_options.pool_size = 1;
  {
    opdesk::storage::Database admin(admin_options);
    opdesk::storage::WithSession(admin, [](opdesk::storage::Session& s) {
      s.sql() << "CREATE DATABASE IF NOT EXISTS peer_bench CHARACTER SET utf8mb4";
    });
  }
  const opdesk::testing::ScratchDir dir("peer-bench");
  const int port = opdesk::testing::FreePort();
  opdesk::testing::ChildProcess peer({o.node, o.peer_dir + "/server.js"},
                                     {{"API_KEY", opdesk::bench::kVpbxKey},
                                      {"API_SALT", opdesk::bench::kVpbxSalt},
                                      {"DATABASE_URL", UrlWithDatabase(server, "peer_bench")},
                                      {"PORT", std::to_string(port)},
                                      {"RESET_DB", "1"}},
                                     o.peer_dir, dir / "peer.log");
  if (!opdesk::testing::WaitFor(
          [&] { return peer.Log().find("LISTENING") != std::string::npos || !peer.running(); },
          seconds(30)) ||
      !peer.running()) {
    std::cerr << "the peer did not start:\n" << peer.Log();
    return row;
  }
  const std::string base = "/mango/peer/";
  Play(port, base, warmup);
  const Counters c0 = ReadCounters();
  const CpuReading cpu0 = ReadCpu(o, peer.pid(), {});
  row.load = Play(port, base, stream);
  SetCpu(row, o, cpu0, ReadCpu(o, peer.pid(), {}), false);
  row.statements = PerEvent(c0, ReadCounters(), row.load.ok);
  const std::string stats = opdesk::testing::HttpRequest(port, "GET", "/stats").body;
  peer.Signal(SIGKILL);
  peer.Wait(seconds(5));
  std::smatch m;
  row.backlog = std::regex_search(stats, m, std::regex("\"pending\":(\\d+)"))
                    ? m[1].str() + " unstored"
                    : "?";
  opdesk::storage::DatabaseOptions peer_db;
  peer_db.url = UrlWithDatabase(server, "peer_bench");
  peer_db.pool_size = 1;
  opdesk::storage::Database db(peer_db);
  row.durable = Scalar(db, "SELECT COUNT(*) FROM mango_event WHERE entry_id LIKE 'b-%'");
  return row;
}

long long OpenCallJobs(opdesk::storage::Database& db) {
  return Scalar(db,
                "SELECT COUNT(*) FROM jobs WHERE kind LIKE 'call.%' AND state IN"
                " ('pending', 'running')");
}

// Stored events not yet applied to their calls and jobs.
long long PendingEvents(opdesk::storage::Database& db) {
  return Scalar(db, "SELECT COUNT(*) FROM events WHERE pending = 1");
}

// Work left: events to apply and the CRM jobs of calls.
long long OpenWork(opdesk::storage::Database& db) {
  // Events first: an event applied has its jobs committed with it, so they are counted next.
  const long long events = PendingEvents(db);
  return events + OpenCallJobs(db);
}

// opdesk on `backend`; on MariaDB also its recovery after the kill -9.
Row RunOpdesk(const Options& o, const std::string& backend, const Stream& warmup,
              const Stream& stream, std::string* recovery) {
  Row row{"opdesk, " + std::string(backend == "sqlite" ? "SQLite" : "MariaDB"),
          {},
          -1,
          "",
          -1,
          "",
          "",
          "",
          ""};
  // The outbox polls at its default pace (the fixture's 10 ms suits the latency benchmarks).
  std::map<std::string, std::string> env = {{"OPDESK_JOBS_POLL_INTERVAL_MS", "200"}};
  for (const auto& [k, v] : o.opdesk_env) {
    env[k] = v;
  }
  opdesk::bench::OpdeskSetting setting(backend, env);
  std::string error;
  if (!setting.Start(&error)) {
    std::cerr << error;
    return row;
  }
  auto& db = *setting.db;
  auto& opdesk = *setting.opdesk;
  Play(opdesk.port(), setting.base, warmup);
  opdesk::testing::WaitFor([&] { return OpenWork(db) == 0; }, seconds(120));
  const bool mariadb = backend != "sqlite";
  const bool statement_log = mariadb && o.statement_log;
  if (statement_log) {
    GeneralLog(true);
  }
  const Counters c0 = mariadb ? ReadCounters() : Counters{};
  const std::vector<int> emulators = {setting.emu.pid(), setting.pbx.pid()};
  const CpuReading cpu0 = ReadCpu(o, opdesk.process().pid(), emulators);
  row.load = Play(opdesk.port(), setting.base, stream);
  SetCpu(row, o, cpu0, ReadCpu(o, opdesk.process().pid(), emulators), true);
  if (!mariadb) {
    row.db_cpu_s = -1;  // MariaDB is not used
  }
  if (mariadb) {
    row.statements = PerEvent(c0, ReadCounters(), row.load.ok);
  }
  const std::string metrics =
      opdesk::testing::HttpRequest(opdesk.port(), "GET", "/metrics", "", {}).body;
  std::smatch mc;
  std::smatch me;
  if (std::regex_search(metrics, mc, std::regex("opdesk_mango_commits_total (\\d+)")) &&
      std::regex_search(metrics, me, std::regex("opdesk_mango_committed_total (\\d+)")) &&
      std::stoll(mc[1].str()) > 0) {
    char text[96];
    std::snprintf(text, sizeof text, "%.1f events per commit",
                  std::stod(me[1].str()) / std::stod(mc[1].str()));
    row.note = text;
  }
  // Right after the last 200: what is left to do, then the crash.
  const long long pending_events = PendingEvents(db);
  const long long oldest_event =
      Scalar(db, "SELECT COALESCE(MIN(received_at_ms), 0) FROM events WHERE pending = 1");
  const long long oldest_event_ms = oldest_event == 0 ? 0 : NowMs() - oldest_event;
  const long long open_jobs = OpenCallJobs(db);
  const long long oldest_created =
      Scalar(db,
             "SELECT COALESCE(MIN(created_at_ms), 0) FROM jobs WHERE"
             " kind LIKE 'call.%' AND state IN ('pending', 'running')");
  const long long oldest_ms = oldest_created == 0 ? 0 : NowMs() - oldest_created;
  opdesk.process().Signal(SIGKILL);
  const auto killed = steady_clock::now();
  opdesk.process().Wait(seconds(5));
  char backlog[160];
  std::snprintf(backlog, sizeof backlog,
                "%lld events to apply (oldest %.2f s), %lld CRM jobs (oldest %.1f s)",
                pending_events, static_cast<double>(oldest_event_ms) / 1000.0, open_jobs,
                static_cast<double>(oldest_ms) / 1000.0);
  row.backlog = backlog;
  row.durable = Scalar(db,
                       "SELECT COUNT(*) FROM events WHERE dedupe_key LIKE 'call:b-%' OR"
                       " dedupe_key LIKE 'summary:b-%'");
  std::vector<long long> orphaned;
  std::string dead_owner;
  {
    long long id = 0;
    std::string owner;
    opdesk::storage::WithSession(db, [&](opdesk::storage::Session& s) {
      soci::statement st =
          (s.sql().prepare << "SELECT id, lease_owner FROM jobs WHERE state = 'running'",
           soci::into(id), soci::into(owner));
      if (st.execute(true)) {
        do {
          orphaned.push_back(id);
          dead_owner = owner;  // one process ran them all
        } while (st.fetch());
      }
    });
  }
  const double down_s = duration<double>(steady_clock::now() - killed).count();
  if (recovery != nullptr) {
    const auto restart = steady_clock::now();
    if (!opdesk.Start()) {
      *recovery = "restart failed";
      return row;
    }
    const double up_s = duration<double>(steady_clock::now() - restart).count();
    std::string ids;
    for (long long id : orphaned) {
      ids += (ids.empty() ? "" : ",") + std::to_string(id);
    }
    // Taken over: none of them is still leased to the dead process.
    const bool taken = orphaned.empty() ||
                       opdesk::testing::WaitFor(
                           [&] {
                             return Scalar(db, "SELECT COUNT(*) FROM jobs WHERE id IN (" + ids +
                                                   ") AND state = 'running' AND lease_owner = '" +
                                                   dead_owner + "'") == 0;
                           },
                           seconds(60));
    const double taken_s = duration<double>(steady_clock::now() - restart).count();
    const bool done = orphaned.empty() ||
                      opdesk::testing::WaitFor(
                          [&] {
                            return Scalar(db, "SELECT COUNT(*) FROM jobs WHERE id IN (" + ids +
                                                  ") AND state IN ('pending', 'running')") == 0;
                          },
                          seconds(120));
    const double done_s = duration<double>(steady_clock::now() - restart).count();
    const bool drained = opdesk::testing::WaitFor([&] { return OpenWork(db) == 0; }, seconds(600));
    const double drained_s = duration<double>(steady_clock::now() - restart).count();
    if (mariadb && drained) {
      const double cpu2 = CpuSeconds(o.mysqld_pid);
      char cpu[96] = "";
      if (o.mysqld_pid > 0 && row.load.ok > 0) {
        std::snprintf(cpu, sizeof cpu, "; MariaDB CPU %.0f us per event",
                      (cpu2 - cpu0.db) * 1e6 / static_cast<double>(row.load.ok));
      }
      row.end_to_end = PerEvent(c0, ReadCounters(), row.load.ok) + cpu;
    }
    if (statement_log) {
      GeneralLog(false);
      row.statement_kinds = StatementKinds(row.load.ok);
    }
    // Every stored event applied (those the kill left pending by the restarted process): each
    // call of the stream exists.
    const long long calls = Scalar(db, "SELECT COUNT(*) FROM calls WHERE entry_id LIKE 'b-%'");
    char text[512];
    std::snprintf(
        text, sizeof text,
        "%zu jobs were running in the killed process; restart (down %.1f s, up in %.1f s)"
        " → all taken over %s%.2f s, all finished %s%.2f s after the restart (%.2f s after"
        " the kill); whole backlog of %lld events and %lld jobs drained %s%.1f s after the"
        " restart;"
        " %lld calls stored",
        orphaned.size(), down_s, up_s, taken ? "" : "NOT within ", taken_s,
        done ? "" : "NOT within ", done_s, done_s + down_s, pending_events, open_jobs,
        drained ? "" : "NOT within ", drained_s, calls);
    *recovery = text;
  }
  return row;
}

struct CardPop {
  std::vector<double> ms;
  int calls = 0;
  long long errors = 0;
  double rate = 0;
  double rest_unrecorded = -1;
  double rest_recorded = -1;
};

// REST requests to the portal (OAuth and the emulator's control API excluded) in its log.
int RestRequests(opdesk::testing::B24Emulator& emu) {
  int n = 0;
  const web::json::value log = emu.Control("GET", "/_emu/requests");
  for (const auto& r : log.at("requests").as_array()) {
    const std::string path = r.at("path").as_string();
    n += path.rfind("/rest/", 0) == 0 || path.rfind("/renamed/rest/", 0) == 0 ? 1 : 0;
  }
  return n;
}

// On `backend`; the REST requests per call are counted when `count_rest` (they do not depend on
// the database).
CardPop RunCardPop(const Options& o, const std::string& backend, bool count_rest) {
  CardPop out;
  opdesk::bench::OpdeskSetting setting(backend);
  std::string error;
  if (!setting.Start(&error)) {
    std::cerr << error;
    return out;
  }
  auto& db = *setting.db;
  auto& opdesk = *setting.opdesk;
  Play(opdesk.port(), setting.base, MakeStream("w-", 50, o.connections));
  opdesk::testing::WaitFor([&] { return OpenWork(db) == 0; }, seconds(120));
  setting.emu.Control("POST", "/_emu/requests/clear");

  out.calls = static_cast<int>(o.card_pop_rate * o.card_pop_seconds);
  const Stream stream = MakeStream("p-", out.calls, o.connections);
  // Paced by call: the stream's events spread evenly at rate × events-per-call.
  const double events_rate =
      o.card_pop_rate * static_cast<double>(stream.events) / static_cast<double>(out.calls);
  out.rate = o.card_pop_rate;
  std::vector<std::vector<long long>> sent_at(stream.by_connection.size());
  for (std::size_t t = 0; t < sent_at.size(); ++t) {
    sent_at[t].assign(stream.by_connection[t].size(), 0);
  }
  LoadResult load = Play(opdesk.port(), setting.base, stream, events_rate,
                         [&](int t, int i) { sent_at[t][i] = NowMs(); });
  out.errors = load.failures;
  opdesk::testing::WaitFor([&] { return OpenWork(db) == 0; }, seconds(300));
  // The first register of each call, by EXTERNAL_CALL_ID, against the Appeared that caused it
  // (the first operator-leg Appeared of the call).
  std::map<std::string, long long> registered_at;
  const web::json::value log = setting.emu.Control("GET", "/_emu/requests");
  for (const auto& r : log.at("requests").as_array()) {
    if (r.at("rest_method").is_string() &&
        r.at("rest_method").as_string() == "telephony.externalcall.register") {
      const auto& params = r.at("params");
      if (params.has_field("EXTERNAL_CALL_ID")) {
        registered_at.emplace(params.at("EXTERNAL_CALL_ID").as_string(),
                              r.at("at_ms").as_number().to_int64());
      }
    }
  }
  std::map<int, long long> appeared_at;
  for (std::size_t t = 0; t < stream.by_connection.size(); ++t) {
    for (std::size_t i = 0; i < stream.by_connection[t].size(); ++i) {
      if (stream.by_connection[t][i].operator_appeared) {
        appeared_at.emplace(stream.call_of[t][i], sent_at[t][i]);
      }
    }
  }
  for (const auto& [call, at] : appeared_at) {
    auto it = registered_at.find("p-" + std::to_string(call));
    if (it != registered_at.end()) {
      out.ms.push_back(static_cast<double>(it->second - at));
    }
  }

  // REST requests per call, unrecorded and recorded: calls played by the Mango emulator.
  setting.pbx.Control("POST", "/_emu/config",
                      R"({"webhook_base":")" + setting.webhook_url + R"(","command_speed":1000})");
  auto per_call = [&](bool recorded) {
    setting.emu.Control("POST", "/_emu/requests/clear");
    for (int i = 0; i < o.recorded_calls; ++i) {
      const web::json::value started =
          setting.pbx.Control("POST", "/_emu/scenario",
                              std::string(R"({"name":"inbound_answered_after_ivr","speed":1000,)") +
                                  R"("line":"74951234567","client":"79001234567","recorded":)" +
                                  (recorded ? "true" : "false") + "}");
      setting.pbx.Control(
          "POST", "/_emu/wait",
          R"({"entry_id":")" + started.at("entry_id").as_string() + R"(","timeout_ms":20000})");
      opdesk::testing::WaitFor(
          [&] {
            // The call's events applied (its jobs queued), then its jobs done.
            return PendingEvents(db) == 0 &&
                   Scalar(db,
                          "SELECT COUNT(*) FROM jobs WHERE (kind LIKE 'call.%' OR kind LIKE"
                          " 'mango.%') AND state IN ('pending', 'running') AND kind <>"
                          " 'mango.directory'") == 0;
          },
          seconds(60));
    }
    return static_cast<double>(RestRequests(setting.emu)) / o.recorded_calls;
  };
  if (count_rest && o.recorded_calls > 0) {
    out.rest_unrecorded = per_call(false);
    out.rest_recorded = per_call(true);
  }
  return out;
}

std::string MariadbVersion() {
  opdesk::storage::DatabaseOptions options;
  options.url = std::getenv("OPDESK_TEST_MYSQL_URL");
  options.pool_size = 1;
  opdesk::storage::Database db(options);
  std::string v;
  opdesk::storage::WithSession(
      db, [&](opdesk::storage::Session& s) { s.sql() << "SELECT VERSION()", soci::into(v); });
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  crossplat::threadpool::initialize_with_threads(2);
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << flag << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (flag == "--calls") {
      o.calls = std::stoi(value());
    } else if (flag == "--connections") {
      o.connections = std::stoi(value());
    } else if (flag == "--peer-dir") {
      o.peer_dir = value();
    } else if (flag == "--node") {
      o.node = value();
    } else if (flag == "--mysqld-pid") {
      o.mysqld_pid = std::stoi(value());
    } else if (flag == "--card-pop-rate") {
      o.card_pop_rate = std::stod(value());
    } else if (flag == "--card-pop-seconds") {
      o.card_pop_seconds = std::stoi(value());
    } else if (flag == "--recorded-calls") {
      o.recorded_calls = std::stoi(value());
    } else if (flag == "--skip-peer") {
      o.peer = false;
    } else if (flag == "--skip-sqlite") {
      o.sqlite = false;
    } else if (flag == "--opdesk-env") {
      const std::string kv = value();
      o.opdesk_env[kv.substr(0, kv.find('='))] = kv.substr(kv.find('=') + 1);
    } else if (flag == "--statement-log") {
      o.statement_log = true;
    } else if (flag == "--skip-card-pop") {
      o.card_pop = false;
    } else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  if (std::getenv("OPDESK_TEST_MYSQL_URL") == nullptr) {
    std::cerr << "set OPDESK_TEST_MYSQL_URL (deploy/mariadb-throwaway.sh start DIR PORT)\n";
    return 2;
  }
  if (o.peer && o.peer_dir.empty()) {
    std::cerr << "--peer-dir (an installed copy of node-ingest) or --skip-peer\n";
    return 2;
  }
  const Stream warmup = MakeStream("w-", std::max(50, o.calls / 50), o.connections);
  const Stream stream = MakeStream("b-", o.calls, o.connections);
  std::fprintf(stderr, "stream: %d calls, %lld events; running…\n", stream.calls, stream.events);

  std::vector<Row> rows;
  if (o.peer) {
    std::fprintf(stderr, "  Node peer…\n");
    rows.push_back(RunPeer(o, warmup, stream));
  }
  std::fprintf(stderr, "  opdesk on MariaDB…\n");
  std::string recovery;
  rows.push_back(RunOpdesk(o, "mariadb", warmup, stream, &recovery));
  const Row& ours = rows.back();
  Row sqlite;
  if (o.sqlite) {
    std::fprintf(stderr, "  opdesk on SQLite…\n");
    sqlite = RunOpdesk(o, "sqlite", warmup, stream, nullptr);
  }
  CardPop pop;
  CardPop pop_sqlite;
  if (o.card_pop) {
    std::fprintf(stderr, "  card pop…\n");
    pop = RunCardPop(o, "mariadb", true);
    if (o.sqlite) {
      pop_sqlite = RunCardPop(o, "sqlite", false);
    }
  }

  char host[256] = "";
  gethostname(host, sizeof host);
  std::printf(
      "\ningest benchmark: %d calls, %lld signed events (%.2f a call), %d keep-alive connections, "
      "MariaDB %s, %ld cores, load generator on the same machine\n",
      stream.calls, stream.events, static_cast<double>(stream.events) / stream.calls, o.connections,
      MariadbVersion().c_str(), sysconf(_SC_NPROCESSORS_ONLN));
  std::printf("%-22s %9s %7s %7s %7s  %-22s %-26s %-22s %s\n", "", "events/s", "p50 ms", "p99 ms",
              "errors", "durable after kill -9", "backlog at end", "MariaDB CPU per event",
              "shared commits");
  for (const Row& r : rows) {
    PrintRow(r, stream.events);
  }
  if (o.peer && rows.size() == 2 && rows[0].load.ok > 0 && rows[0].load.seconds > 0) {
    const Row& peer = rows[0];
    const double ratio = (static_cast<double>(ours.load.ok) / ours.load.seconds) /
                         (static_cast<double>(peer.load.ok) / peer.load.seconds);
    const double cpu_ratio = peer.db_cpu_s > 0 && ours.load.ok > 0
                                 ? (ours.db_cpu_s / ours.load.ok) / (peer.db_cpu_s / peer.load.ok)
                                 : 0;
    std::printf("%-22s %8.2fx %6.2fx %6.2fx %7s  %-22s %-26s %.2fx\n", "opdesk / peer", ratio,
                Percentile(ours.load.latencies_ms, 0.5) /
                    std::max(1e-9, Percentile(peer.load.latencies_ms, 0.5)),
                Percentile(ours.load.latencies_ms, 0.99) /
                    std::max(1e-9, Percentile(peer.load.latencies_ms, 0.99)),
                "", "", "", cpu_ratio);
  }
  if (o.sqlite) {
    PrintRow(sqlite, stream.events);
  }
  std::printf(
      "CPU per acknowledged event over the run, us (/proc times), by process: load generator"
      " (this benchmark), server, MariaDB, emulators (portal and PBX, opdesk's runs only), the"
      " rest (idle, kernel threads, other processes); all cores:\n");
  std::printf("  %-22s %5s %5s %5s %5s %5s %6s\n", "", "load", "serv", "maria", "emu", "rest",
              "all");
  for (const Row& r : rows) {
    PrintCpuRow(r);
  }
  if (o.sqlite) {
    PrintCpuRow(sqlite);
  }
  if (o.peer && rows.size() == 2) {
    PrintRoom(rows[0], ours);
  }
  std::printf("MariaDB statements per acknowledged event, by kind (Com_* counters):\n");
  for (const Row& r : rows) {
    std::printf("  %-22s over the run: %s\n", r.name.c_str(), r.statements.c_str());
  }
  std::printf(
      "  %-22s end to end (the run, the restart after kill -9, until the backlog drained):"
      " %s\n",
      ours.name.c_str(), ours.end_to_end.empty() ? "-" : ours.end_to_end.c_str());
  if (!ours.statement_kinds.empty()) {
    std::printf(
        "opdesk's statements per event, end to end (general log; CPU figures inflated by"
        " it):\n%s",
        ours.statement_kinds.c_str());
  }
  std::printf("recovery after kill -9 (MariaDB): %s\n", recovery.c_str());
  if (o.card_pop) {
    auto print_pop = [](const char* backend, const CardPop& p) {
      std::printf(
          "card pop at %.0f calls/s on %s (%d calls, %lld errors): operator Appeared sent → "
          "telephony.externalcall.register received: p50 %.1f ms, p99 %.1f ms, max %.1f ms "
          "(%zu calls registered)\n",
          p.rate, backend, p.calls, p.errors, Percentile(p.ms, 0.5), Percentile(p.ms, 0.99),
          Percentile(p.ms, 1.0), p.ms.size());
    };
    print_pop("MariaDB", pop);
    if (o.sqlite) {
      print_pop("SQLite", pop_sqlite);
    }
    std::printf(
        "REST requests per call (answered after the IVR, %d calls each): %.2f unrecorded,"
        " %.2f recorded\n",
        o.recorded_calls, pop.rest_unrecorded, pop.rest_recorded);
  }
  std::printf("host %s\n", host);
  return 0;
}
