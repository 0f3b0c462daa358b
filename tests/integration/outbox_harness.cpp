// A worker process for the multi-process outbox tests: runs a WorkerPool over the given database
// with two test job kinds, until SIGTERM. Each run is recorded in `job_runs` (created by the test)
// so the test can count executions across processes.
//   outbox_harness --db URL --owner NAME [--workers N] [--lease-ms L]
//   test.slow: sleeps `payload` ms, then records the run.
#include <soci/soci.h>

#include <csignal>
#include <iostream>
#include <string>
#include <thread>

#include "connector/domain/clock.h"
#include "connector/jobs/worker_pool.h"
#include "connector/storage/database.h"

int main(int argc, char** argv) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::string url;
  opdesk::jobs::WorkerPoolOptions options;
  options.poll_interval_ms = 20;
  options.backoff_base_ms = 10;
  options.backoff_max_ms = 100;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--db") {
      url = value;
    } else if (flag == "--owner") {
      options.owner = value;
    } else if (flag == "--workers") {
      options.workers = std::stoi(value);
    } else if (flag == "--lease-ms") {
      options.lease_ms = std::stoll(value);
    } else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  opdesk::storage::DatabaseOptions db_options;
  db_options.url = url;
  db_options.pool_size = options.workers + 2;
  opdesk::storage::Database db(db_options);
  opdesk::SystemClock clock;
  opdesk::jobs::WorkerPool pool(db, clock, options);

  auto record = [&](const opdesk::jobs::Job& job) {
    opdesk::storage::InTransaction(db, [&](opdesk::storage::Session& s) {
      s.sql() << "INSERT INTO job_runs (job_id, owner, ordering_key) VALUES (:j, :o, :k)",
          soci::use(job.id), soci::use(options.owner), soci::use(job.ordering_key);
    });
  };
  pool.Register("test.slow", [&](const opdesk::jobs::Job& job) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(job.payload)));
    record(job);
  });
  pool.Start();
  std::cout << "harness " << options.owner << " running" << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  bool drained = pool.Stop(std::chrono::seconds(10));
  std::cout << "harness " << options.owner << " stopped drained=" << drained << std::endl;
  return 0;
}
