// The real `opdesk` binary against hostile input: request bodies refused without being held in
// memory, readiness that does not leak the database's error text, log lines that request data
// cannot split or forge, and a master key file others could read refused at start.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <cpprest/json.h>
#include <soci/soci.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "connector/storage/database.h"
#include "tests/support/opdesk_process.h"
#include "tests/support/process.h"
#include "tests/support/raw_http.h"

namespace opdesk {
namespace {

using namespace std::chrono_literals;
using testing::HttpRequest;
using testing::Opdesk;
using testing::RawConnection;
using testing::RawResponse;

web::json::value ParseJson(const std::string& text) {
  return web::json::value::parse(text);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) {
      out.push_back(line);
    }
  }
  return out;
}

// Peak resident memory of a process (VmHWM), in bytes.
long long PeakRss(pid_t pid) {
  std::istringstream in(testing::ReadFile("/proc/" + std::to_string(pid) + "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::stoll(line.substr(6)) * 1024;
    }
  }
  return -1;
}

// ---- request bodies ----

TEST(RequestBodies, EverySpellingOfChunkedIsRefusedWith411) {
  Opdesk opdesk("sqlite");
  ASSERT_TRUE(opdesk.Start()) << opdesk.Log();
  for (const std::string te : {"chunked", "Chunked", "CHUNKED", "gzip, chunked", "gzip,Chunked"}) {
    RawResponse r = HttpRequest(opdesk.port(), "POST", "/api/admin/jobs/1/retry",
                                "5\r\nhello\r\n0\r\n\r\n", {{"Transfer-Encoding", te}});
    EXPECT_EQ(r.status, 411) << te << ": " << r.body;
  }
  RawResponse other = HttpRequest(opdesk.port(), "POST", "/api/admin/jobs/1/retry", "hello",
                                  {{"Transfer-Encoding", "gzip"}, {"Content-Length", "5"}});
  EXPECT_EQ(other.status, 400) << other.body;
  EXPECT_EQ(opdesk.Get("/healthz").status, 200);
}

TEST(RequestBodies, ABodyOverTheLimitIsDrainedNotHeld) {
  Opdesk opdesk("sqlite");
  ASSERT_TRUE(opdesk.Start()) << opdesk.Log();
  const long long before = PeakRss(opdesk.process().pid());
  ASSERT_GT(before, 0);
  // 96 MiB declared and sent against the route's 1 MiB limit: the answer is 413 either way, but
  // the body must not pile up in the listener's buffer while it arrives.
  const std::size_t size = 96u << 20;
  RawConnection c(opdesk.port());
  ASSERT_TRUE(c.connected());
  c.Send("POST /api/admin/jobs/1/retry HTTP/1.1\r\nHost: x\r\nContent-Length: " +
         std::to_string(size) + "\r\n\r\n");
  const std::string piece(1u << 20, 'x');
  for (std::size_t sent = 0; sent < size; sent += piece.size()) {
    c.Send(piece);
  }
  RawResponse r = c.Read(30s);
  EXPECT_EQ(r.status, 413) << r.body;
  const long long growth = PeakRss(opdesk.process().pid()) - before;
  EXPECT_LT(growth, 24LL << 20) << "peak memory grew by " << (growth >> 20) << " MiB";
  // The connection stays usable: the refused body was read to its end.
  c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.Read(10s).status, 200);
}

// ---- readiness ----

class ReadinessTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ReadinessTest, ADatabaseErrorIsAGeneric503AndOnlyTheLogHasTheDetails) {
  Opdesk opdesk(GetParam());
  ASSERT_TRUE(opdesk.Start()) << opdesk.Log();
  ASSERT_EQ(opdesk.Get("/readyz").status, 200);
  {
    // The readiness query now fails inside the driver, whose message quotes the SQL.
    auto db = opdesk.OpenDatabase();
    storage::WithSession(*db, [](storage::Session& s) {
      s.sql() << "ALTER TABLE schema_migrations RENAME COLUMN version TO version_gone";
    });
  }
  RawResponse r = opdesk.Get("/readyz");
  ASSERT_EQ(r.status, 503) << r.body;
  const auto json = ParseJson(r.body);
  EXPECT_EQ(json.at("status").as_string(), "database_unavailable");
  EXPECT_EQ(json.at("error").as_string(), "database unavailable");
  for (const char* leak : {"schema_migrations", "SELECT", "version", "sqlite", "mysql", "/"}) {
    EXPECT_EQ(r.body.find(leak), std::string::npos) << leak << " in " << r.body;
  }
  ASSERT_TRUE(testing::WaitFor(
      [&] { return opdesk.Log().find("event=readiness_database_failed") != std::string::npos; },
      5s))
      << opdesk.Log();
  EXPECT_NE(opdesk.Log().find("schema_migrations"), std::string::npos)
      << "the operator's log keeps the driver's message";
}

INSTANTIATE_TEST_SUITE_P(Backends, ReadinessTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

// ---- log lines ----

// A path that decodes to CR LF and a forged event, quotes and a space.
constexpr const char* kForgingTarget = "/nope%0D%0Aevent=forged%20a=%22b%22?q=1%0D%0Aevent=x";

TEST(LogInjection, TextLogKeepsARequestOnOneEscapedLine) {
  Opdesk opdesk("sqlite");
  ASSERT_TRUE(opdesk.Start()) << opdesk.Log();
  EXPECT_EQ(opdesk.Get(kForgingTarget, {{"X-Request-Id", "forge-1"}}).status, 404);
  ASSERT_TRUE(testing::WaitFor(
      [&] { return opdesk.Log().find("req_id=forge-1") != std::string::npos; }, 5s));
  int with_forged = 0;
  for (const std::string& line : Lines(opdesk.Log())) {
    EXPECT_NE(line.rfind("event=forged", 0), 0u) << "a forged line: " << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
    if (line.find("forged") != std::string::npos) {
      ++with_forged;
      EXPECT_NE(line.find("req_id=forge-1 event=http_request "), std::string::npos) << line;
      EXPECT_NE(line.find(R"(path="/nope\r\nevent=forged a=\"b\"" query=")"), std::string::npos)
          << line;
    }
  }
  EXPECT_EQ(with_forged, 1) << opdesk.Log();
}

TEST(LogInjection, JsonLogKeepsARequestInOneObjectWithAnEscapedMessage) {
  Opdesk opdesk("sqlite", {{"OPDESK_LOG_FORMAT", "json"}});
  ASSERT_TRUE(opdesk.Start()) << opdesk.Log();
  EXPECT_EQ(opdesk.Get(kForgingTarget, {{"X-Request-Id", "forge-2"}}).status, 404);
  opdesk.process().Signal(SIGTERM);
  ASSERT_EQ(opdesk.process().Wait(15s), 0);
  int with_forged = 0;
  for (const std::string& line : Lines(opdesk.Log())) {
    web::json::value v;
    ASSERT_NO_THROW(v = ParseJson(line)) << line;
    const std::string msg = v.at("msg").as_string();
    if (msg.find("forged") != std::string::npos) {
      ++with_forged;
      EXPECT_EQ(v.at("req_id").as_string(), "forge-2");
      // The message itself stays one key=value line.
      EXPECT_EQ(msg.find_first_of("\r\n"), std::string::npos) << msg;
      EXPECT_NE(msg.find(R"(path="/nope\r\nevent=forged a=\"b\"")"), std::string::npos) << msg;
    }
  }
  EXPECT_EQ(with_forged, 1) << opdesk.Log();
}

// ---- the master key file ----

TEST(MasterKeyFile, AKeyFileOthersCanReadStopsServeWithStatus2AndTheFix) {
  Opdesk opdesk("sqlite");
  ASSERT_EQ(opdesk.Migrate(), 0);
  const std::string key = opdesk.dir() + "/var/master.key";
  std::filesystem::create_directories(opdesk.dir() + "/var");
  std::ofstream(key, std::ios::binary) << std::string(32, 'k');
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  std::string out;
  EXPECT_EQ(testing::RunCommand({OPDESK_BINARY, "serve"}, opdesk.env(), opdesk.dir(), &out), 2);
  EXPECT_NE(out.find("chmod 600 " + key), std::string::npos) << out;

  // A retired key listed for rotation is held to the same rule.
  ASSERT_EQ(::chmod(key.c_str(), 0600), 0);
  const std::string old_key = opdesk.dir() + "/old.key";
  std::ofstream(old_key, std::ios::binary) << std::string(32, 'o');
  ASSERT_EQ(::chmod(old_key.c_str(), 0640), 0);
  std::map<std::string, std::string> env = opdesk.env();
  env["OPDESK_CRYPTO_OLD_MASTER_KEY_FILES"] = old_key;
  EXPECT_EQ(testing::RunCommand({OPDESK_BINARY, "serve"}, env, opdesk.dir(), &out), 2);
  EXPECT_NE(out.find("chmod 600 " + old_key), std::string::npos) << out;
}

}  // namespace
}  // namespace opdesk
