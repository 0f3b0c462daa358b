// Prometheus text-format metrics. Request counters and latency histograms are recorded by the
// server for every request; other parts add gauge providers that are read at scrape time (pool
// in use, outbox depth, RSS). Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace opdesk::http {

class Metrics {
 public:
  // A provider appends complete exposition lines (with # HELP/# TYPE) to `out`. It runs on the
  // scrape's executor thread and may block briefly (a COUNT query).
  using Provider = std::function<void(std::string& out)>;

  void ObserveRequest(const std::string& route, const std::string& method, int status,
                      double seconds);
  void AddProvider(Provider provider);
  std::string Render() const;

  static const std::vector<double>& Buckets();

 private:
  struct Histogram {
    std::vector<long long> bucket_counts;  // cumulative at render time, raw here
    double sum = 0;
    long long count = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, long long> requests_;  // guarded by mu_
  std::map<std::tuple<std::string, std::string, int>, Histogram> latency_;   // guarded by mu_
  std::vector<Provider> providers_;                                          // guarded by mu_
};

// Escapes a label value for the exposition format.
std::string PromLabel(std::string_view value);
// Resident set size of this process in bytes, from /proc/self/statm (0 if unavailable).
long long ProcessRssBytes();

}  // namespace opdesk::http
