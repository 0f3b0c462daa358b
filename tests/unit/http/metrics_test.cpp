// Prometheus text exposition of request counters, latency histograms and providers.
#include "connector/http/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace opdesk::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The value on the line that starts with `series` followed by a space; "<absent>" if none.
std::string ValueOf(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return line.substr(series.size() + 1);
    }
  }
  return "<absent>";
}

std::string Bucket(const std::string& labels, const std::string& le) {
  return "opdesk_http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"}";
}

constexpr char kCalls[] = R"(route="/calls/{id}",method="GET",status="200")";

TEST(MetricsTest, BucketsAreStrictlyIncreasing) {
  const auto& b = Metrics::Buckets();
  ASSERT_FALSE(b.empty());
  for (std::size_t i = 1; i < b.size(); ++i) {
    EXPECT_LT(b[i - 1], b[i]);
  }
}

TEST(MetricsTest, HistogramPlacesObservationInItsBucketAndAbove) {
  Metrics m;
  m.ObserveRequest("/calls/{id}", "GET", 200, 0.003);
  const std::string out = m.Render();
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "0.001")), "0");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "0.0025")), "0");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "0.005")), "1");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "0.01")), "1");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "1")), "1");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "10")), "1");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "+Inf")), "1");
  EXPECT_EQ(ValueOf(out, std::string("opdesk_http_request_duration_seconds_count{") + kCalls + "}"),
            "1");
  EXPECT_EQ(ValueOf(out, std::string("opdesk_http_request_duration_seconds_sum{") + kCalls + "}"),
            "0.003000");
}

TEST(MetricsTest, BucketBoundIsInclusive) {
  Metrics m;
  m.ObserveRequest("/calls/{id}", "GET", 200, 0.0025);
  const std::string out = m.Render();
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "0.001")), "0");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "0.0025")), "1");
}

TEST(MetricsTest, BucketsAreCumulativeAndInfEqualsCount) {
  Metrics m;
  m.ObserveRequest("/calls/{id}", "GET", 200, 0.0005);  // le=0.001
  m.ObserveRequest("/calls/{id}", "GET", 200, 0.02);    // le=0.025
  m.ObserveRequest("/calls/{id}", "GET", 200, 0.2);     // le=0.25
  m.ObserveRequest("/calls/{id}", "GET", 200, 30.0);    // above every finite bucket
  const std::string out = m.Render();
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "0.001")), "1");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "0.01")), "1");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "0.025")), "2");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "0.1")), "2");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "0.25")), "3");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "10")), "3");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "+Inf")), "4");
  EXPECT_EQ(ValueOf(out, std::string("opdesk_http_request_duration_seconds_count{") + kCalls + "}"),
            "4");
  EXPECT_EQ(ValueOf(out, std::string("opdesk_http_request_duration_seconds_sum{") + kCalls + "}"),
            "30.220500");
}

TEST(MetricsTest, LatencyHistogramsAreSeparatePerStatus) {
  Metrics m;
  m.ObserveRequest("/calls/{id}", "GET", 200, 0.002);
  m.ObserveRequest("/calls/{id}", "GET", 503, 4.0);
  const std::string out = m.Render();
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "+Inf")), "1");
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "2.5")), "1");
  const std::string failed = R"(route="/calls/{id}",method="GET",status="503")";
  EXPECT_EQ(ValueOf(out, Bucket(failed, "2.5")), "0");
  EXPECT_EQ(ValueOf(out, Bucket(failed, "5")), "1");
}

TEST(MetricsTest, CountsPerStatusAreSeparate) {
  Metrics m;
  m.ObserveRequest("/calls/{id}", "GET", 200, 0.01);
  m.ObserveRequest("/calls/{id}", "GET", 200, 0.01);
  m.ObserveRequest("/calls/{id}", "GET", 404, 0.01);
  m.ObserveRequest("/calls/{id}", "POST", 200, 0.01);
  const std::string out = m.Render();
  EXPECT_EQ(
      ValueOf(out, R"(opdesk_http_requests_total{route="/calls/{id}",method="GET",status="200"})"),
      "2");
  EXPECT_EQ(
      ValueOf(out, R"(opdesk_http_requests_total{route="/calls/{id}",method="GET",status="404"})"),
      "1");
  EXPECT_EQ(
      ValueOf(out, R"(opdesk_http_requests_total{route="/calls/{id}",method="POST",status="200"})"),
      "1");
  EXPECT_EQ(
      ValueOf(out, R"(opdesk_http_requests_total{route="/calls/{id}",method="POST",status="404"})"),
      "<absent>");
  // The latency histogram is per route, method and status too.
  EXPECT_EQ(ValueOf(out, Bucket(kCalls, "+Inf")), "2");
  EXPECT_EQ(ValueOf(out, Bucket(R"(route="/calls/{id}",method="GET",status="404")", "+Inf")), "1");
  EXPECT_EQ(ValueOf(out, Bucket(R"(route="/calls/{id}",method="POST",status="200")", "+Inf")), "1");
}

TEST(MetricsTest, RenderHasTypeLinesAndRss) {
  Metrics m;
  const std::string out = m.Render();
  EXPECT_THAT(out, HasSubstr("# TYPE opdesk_http_requests_total counter\n"));
  EXPECT_THAT(out, HasSubstr("# TYPE opdesk_http_request_duration_seconds histogram\n"));
  EXPECT_THAT(out, HasSubstr("# TYPE process_resident_memory_bytes gauge\n"));
  EXPECT_THAT(out, Not(HasSubstr("opdesk_http_requests_total{")));
  const std::string rss = ValueOf(out, "process_resident_memory_bytes");
  ASSERT_NE(rss, "<absent>");
  EXPECT_GT(std::stoll(rss), 0);
  EXPECT_EQ(out.back(), '\n');
}

TEST(MetricsTest, ProviderOutputIsAppendedInOrder) {
  Metrics m;
  m.ObserveRequest("/x", "GET", 200, 0.1);
  m.AddProvider([](std::string& out) { out += "# TYPE opdesk_outbox_depth gauge\n"; });
  m.AddProvider([](std::string& out) { out += "opdesk_outbox_depth 7\n"; });
  const std::string out = m.Render();
  const std::size_t type = out.find("# TYPE opdesk_outbox_depth gauge\n");
  const std::size_t value = out.find("opdesk_outbox_depth 7\n");
  ASSERT_NE(type, std::string::npos);
  ASSERT_NE(value, std::string::npos);
  EXPECT_LT(type, value);
  EXPECT_LT(out.find("opdesk_http_request_duration_seconds_count"), type);
  EXPECT_EQ(out.substr(out.size() - std::string("opdesk_outbox_depth 7\n").size()),
            "opdesk_outbox_depth 7\n");
}

TEST(MetricsTest, ProvidersRunOnEveryRender) {
  Metrics m;
  int calls = 0;
  m.AddProvider([&calls](std::string& out) { out += "c " + std::to_string(++calls) + "\n"; });
  EXPECT_EQ(ValueOf(m.Render(), "c"), "1");
  EXPECT_EQ(ValueOf(m.Render(), "c"), "2");
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  Metrics m;
  m.ObserveRequest("/a\"b\\c\nd", "GET", 200, 0.1);
  const std::string out = m.Render();
  EXPECT_THAT(out, HasSubstr(R"(route="/a\"b\\c\nd",method="GET",status="200"} 1)"));
}

TEST(PromLabelTest, EscapesBackslashQuoteAndNewline) {
  EXPECT_EQ(PromLabel("plain/{id}"), "plain/{id}");
  EXPECT_EQ(PromLabel("a\"b"), R"(a\"b)");
  EXPECT_EQ(PromLabel("a\\b"), R"(a\\b)");
  EXPECT_EQ(PromLabel("a\nb"), R"(a\nb)");
  EXPECT_EQ(PromLabel("Привет"), "Привет");
}

TEST(ProcessRssBytesTest, IsPositiveOnLinux) {
  const long long rss = ProcessRssBytes();
  EXPECT_GT(rss, 0);
  EXPECT_LT(rss, 64LL * 1024 * 1024 * 1024);
}

}  // namespace
}  // namespace opdesk::http
