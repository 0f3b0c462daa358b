#include "connector/http/metrics.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace opdesk::http {

const std::vector<double>& Metrics::Buckets() {
  static const std::vector<double> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                               0.25,  0.5,    1,     2.5,  5,     10};
  return kBuckets;
}

std::string PromLabel(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

long long ProcessRssBytes() {
  std::ifstream statm("/proc/self/statm");
  long long pages_total = 0;
  long long pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) {
    return 0;
  }
  return pages_resident * sysconf(_SC_PAGESIZE);
}

void Metrics::ObserveRequest(const std::string& route, const std::string& method, int status,
                             double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[{route, method, status}];
  if (h.bucket_counts.empty()) {
    h.bucket_counts.assign(Buckets().size(), 0);
  }
  for (std::size_t i = 0; i < Buckets().size(); ++i) {
    if (seconds <= Buckets()[i]) {
      ++h.bucket_counts[i];
      break;
    }
  }
  h.sum += seconds;
  ++h.count;
}

void Metrics::AddProvider(Provider provider) {
  std::lock_guard lock(mu_);
  providers_.push_back(std::move(provider));
}

std::string Metrics::Render() const {
  std::string out;
  std::vector<Provider> providers;
  {
    std::lock_guard lock(mu_);
    out += "# HELP opdesk_http_requests_total HTTP requests by route, method and status.\n";
    out += "# TYPE opdesk_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      const auto& [route, method, status] = key;
      out += "opdesk_http_requests_total{route=\"" + PromLabel(route) + "\",method=\"" +
             PromLabel(method) + "\",status=\"" + std::to_string(status) + "\"} " +
             std::to_string(count) + "\n";
    }
    out += "# HELP opdesk_http_request_duration_seconds Time from request headers to reply.\n";
    out += "# TYPE opdesk_http_request_duration_seconds histogram\n";
    for (const auto& [key, h] : latency_) {
      const auto& [route, method, status] = key;
      const std::string labels = "route=\"" + PromLabel(route) + "\",method=\"" +
                                 PromLabel(method) + "\",status=\"" + std::to_string(status) + "\"";
      long long cumulative = 0;
      for (std::size_t i = 0; i < Buckets().size(); ++i) {
        cumulative += h.bucket_counts[i];
        char le[32];
        std::snprintf(le, sizeof le, "%g", Buckets()[i]);
        out += "opdesk_http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"} " +
               std::to_string(cumulative) + "\n";
      }
      out += "opdesk_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
             std::to_string(h.count) + "\n";
      char sum[64];
      std::snprintf(sum, sizeof sum, "%.6f", h.sum);
      out += "opdesk_http_request_duration_seconds_sum{" + labels + "} " + sum + "\n";
      out += "opdesk_http_request_duration_seconds_count{" + labels + "} " +
             std::to_string(h.count) + "\n";
    }
    providers = providers_;
  }
  out += "# HELP process_resident_memory_bytes Resident memory size in bytes.\n";
  out += "# TYPE process_resident_memory_bytes gauge\n";
  out += "process_resident_memory_bytes " + std::to_string(ProcessRssBytes()) + "\n";
  for (const Provider& p : providers) {
    p(out);
  }
  return out;
}

}  // namespace opdesk::http
