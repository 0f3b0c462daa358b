// The real `opdesk` binary over HTTP on loopback: the command line and config contract, the
// operational endpoints, bad input answered clearly, secrets kept out of logs, and a graceful stop.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <cpprest/json.h>
#include <soci/soci.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "connector/jobs/job_store.h"
#include "connector/storage/repositories.h"
#include "tests/support/opdesk_process.h"
#include "tests/support/process.h"
#include "tests/support/raw_http.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using namespace std::chrono_literals;
using testing::HttpRequest;
using testing::RawConnection;
using testing::RawResponse;

using testing::kAdminToken;
using testing::Opdesk;

web::json::value ParseJson(const std::string& text) {
  return web::json::value::parse(text);
}

// ---- command line and configuration ----

TEST(CommandLine, VersionPrintsVersionAndSchema) {
  std::string out;
  EXPECT_EQ(testing::RunCommand({OPDESK_BINARY, "version"}, {}, "/", &out), 0);
  EXPECT_NE(out.find("opdesk 0."), std::string::npos) << out;
  EXPECT_NE(out.find("schema"), std::string::npos) << out;
}

TEST(CommandLine, VersionNamesTheAllocatorTheBinaryRunsWith) {
  // The release and test builds link jemalloc (its thread caches carry the ingest load); the
  // sanitizer builds keep the sanitizers' own. The binary asks its own process, so a link that
  // silently fell back to glibc's malloc shows here.
  std::string out;
  ASSERT_EQ(testing::RunCommand({OPDESK_BINARY, "version"}, {}, "/", &out), 0);
  EXPECT_NE(out.find(std::string("allocator ") + OPDESK_EXPECTED_ALLOCATOR), std::string::npos)
      << out;
}

TEST(CommandLine, UnknownCommandIsUsageErrorWithStatus2) {
  std::string out;
  EXPECT_EQ(testing::RunCommand({OPDESK_BINARY, "frobnicate"}, {}, "/", &out), 2);
  EXPECT_NE(out.find("usage"), std::string::npos) << out;
}

TEST(CommandLine, ConfigErrorsNameTheKeyAndExitWith2) {
  const testing::ScratchDir dir("opdesk-cfg");
  struct Case {
    std::map<std::string, std::string> env;
    std::string file;
    std::string must_mention;
  };
  const std::vector<Case> cases = {
      {{{"OPDESK_LOG_LEVEL", "loud"}}, "", "log.level"},
      {{{"OPDESK_LISTEN", "127.0.0.1:99999"}}, "", "listen"},
      {{{"OPDESK_JOBS_WORKERS", "many"}}, "", "jobs.workers"},
      {{{"OPDESK_NO_SUCH_THING", "1"}}, "", "OPDESK_NO_SUCH_THING"},
      {{}, "{\"database\": {\"uri\": \"sqlite://x\"}}", "database.uri"},
      {{}, "{\"listen\": ", "config"},
  };
  for (const Case& c : cases) {
    std::map<std::string, std::string> env = c.env;
    if (!c.file.empty()) {
      std::ofstream(dir / "opdesk.json") << c.file;
      env["OPDESK_CONFIG"] = dir / "opdesk.json";
    }
    std::string out;
    EXPECT_EQ(testing::RunCommand({OPDESK_BINARY, "serve"}, env, dir.path(), &out), 2) << out;
    EXPECT_NE(out.find(c.must_mention), std::string::npos) << out;
  }
}

TEST(CommandLine, WithoutConfigTheDatabaseIsSqliteInVar) {
  const testing::ScratchDir dir("opdesk-default");
  std::string out;
  ASSERT_EQ(testing::RunCommand({OPDESK_BINARY, "migrate"}, {}, dir.path(), &out), 0) << out;
  struct stat st {};
  ASSERT_EQ(stat((dir / "var/opdesk.db").c_str(), &st), 0) << "default SQLite file missing";
}

TEST(CommandLine, MissingConfigFileNamedExplicitlyIsAConfigError) {
  const testing::ScratchDir dir("opdesk-missing-config");
  testing::ChildProcess serve({OPDESK_BINARY, "serve", "--config", "/nonexistent.json"}, {},
                              dir.path(), dir / "serve.log");
  EXPECT_EQ(serve.Wait(10s), 2) << "a missing config file named explicitly is a config error";
  EXPECT_NE(serve.Log().find("/nonexistent.json"), std::string::npos) << serve.Log();
}

TEST(CommandLine, ServeRefusesASchemaThatIsBehind) {
  Opdesk opdesk("sqlite");
  std::string out;
  EXPECT_EQ(testing::RunCommand({OPDESK_BINARY, "serve"}, opdesk.env(), opdesk.dir(), &out), 1);
  EXPECT_NE(out.find("opdesk migrate"), std::string::npos) << out;
  struct stat st {};
  EXPECT_EQ(stat((opdesk.dir() + "/var/master.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(CommandLine, ServeRefusesASchemaNewerThanItKnows) {
  Opdesk opdesk("sqlite");
  ASSERT_EQ(opdesk.Migrate(), 0);
  {
    auto db = opdesk.OpenDatabase();
    storage::InTransaction(*db, [](storage::Session& s) {
      s.sql()
          << "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (999, 'x', 0)";
    });
  }
  std::string out;
  EXPECT_EQ(testing::RunCommand({OPDESK_BINARY, "serve"}, opdesk.env(), opdesk.dir(), &out), 1);
  EXPECT_NE(out.find("schema_too_new"), std::string::npos) << out;
}

// ---- a running server, on both backends ----

class ServeTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    opdesk_ = std::make_unique<Opdesk>(GetParam());
    ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
  }
  std::unique_ptr<Opdesk> opdesk_;
};

TEST_P(ServeTest, HealthAndReadinessReportState) {
  RawResponse health = opdesk_->Get("/healthz");
  EXPECT_EQ(health.status, 200);
  RawResponse ready = opdesk_->Get("/readyz");
  ASSERT_EQ(ready.status, 200) << ready.body;
  auto json = ParseJson(ready.body);
  EXPECT_EQ(json.at("status").as_string(), "ready");
  EXPECT_EQ(json.at("schema").at("current").as_integer(),
            json.at("schema").at("latest").as_integer());
}

TEST_P(ServeTest, MetricsExposeRequestsPoolOutboxAndMemory) {
  opdesk_->Get("/healthz");
  opdesk_->Get("/nowhere");
  RawResponse m = opdesk_->Get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.headers["content-type"].find("text/plain"), std::string::npos);
  for (const char* expected :
       {"opdesk_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} ",
        "opdesk_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1",
        "opdesk_http_request_duration_seconds_bucket{route=\"/"
        "healthz\",method=\"GET\",status=\"200\",le=\"+Inf\"}",
        "opdesk_db_pool_in_use ", "opdesk_outbox_jobs{state=\"dead\"} 0",
        "opdesk_outbox_jobs{state=\"pending\"} 0", "process_resident_memory_bytes "}) {
    EXPECT_NE(m.body.find(expected), std::string::npos) << expected << "\n" << m.body;
  }
}

TEST_P(ServeTest, BadRequestsGetClearJsonErrorsAndTheServerKeepsServing) {
  RawResponse not_found = opdesk_->Get("/no/such/path");
  EXPECT_EQ(not_found.status, 404);
  EXPECT_EQ(ParseJson(not_found.body).at("error").at("code").as_string(), "NOT_FOUND");

  RawResponse wrong_method = HttpRequest(opdesk_->port(), "DELETE", "/healthz");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.headers["allow"], "GET");

  RawResponse trace =
      HttpRequest(opdesk_->port(), "TRACE", "/healthz", "", {{"Cookie", "session=topsecret"}});
  EXPECT_EQ(trace.status, 405);
  EXPECT_EQ(trace.body.find("topsecret"), std::string::npos) << "TRACE echoed the request";

  RawResponse chunked = HttpRequest(opdesk_->port(), "POST", "/api/admin/jobs/1/retry",
                                    "5\r\nhello\r\n0\r\n\r\n", {{"Transfer-Encoding", "chunked"}});
  EXPECT_EQ(chunked.status, 411);

  RawResponse huge =
      HttpRequest(opdesk_->port(), "POST", "/api/admin/jobs/1/retry", std::string(2'000'000, 'x'));
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(ParseJson(huge.body).at("error").at("code").as_string(), "PAYLOAD_TOO_LARGE");

  RawResponse bad_id = HttpRequest(opdesk_->port(), "POST", "/api/admin/jobs/abc/retry", "",
                                   {{"Authorization", std::string("Bearer ") + kAdminToken}});
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_EQ(ParseJson(bad_id.body).at("error").at("field").as_string(), "id");

  RawResponse bad_limit = opdesk_->Get("/api/admin/jobs?limit=0",
                                       {{"Authorization", std::string("Bearer ") + kAdminToken}});
  EXPECT_EQ(bad_limit.status, 400);
  EXPECT_EQ(ParseJson(bad_limit.body).at("error").at("field").as_string(), "limit");

  EXPECT_EQ(opdesk_->Get("/healthz").status, 200) << "the service must keep serving";
}

TEST_P(ServeTest, RequestIdIsEchoedAndLogged) {
  RawResponse r = opdesk_->Get("/healthz", {{"X-Request-Id", "e2e-trace-42"}});
  EXPECT_EQ(r.headers["x-request-id"], "e2e-trace-42");
  RawResponse generated = opdesk_->Get("/healthz", {{"X-Request-Id", "bad id with spaces"}});
  EXPECT_EQ(generated.headers["x-request-id"].size(), 16u);
  ASSERT_TRUE(testing::WaitFor(
      [&] { return opdesk_->Log().find("req_id=e2e-trace-42") != std::string::npos; }, 5s))
      << opdesk_->Log();
}

TEST_P(ServeTest, SecretsInQueryStringsNeverReachTheLog) {
  opdesk_->Get("/healthz?access_token=supersecretvalue1234&member_id=visible-member");
  opdesk_->Get("/healthz?AUTH_ID=anothersecretvalue9876&REFRESH_ID=refreshsecret5555");
  ASSERT_TRUE(testing::WaitFor(
      [&] { return opdesk_->Log().find("visible-member") != std::string::npos; }, 5s));
  ASSERT_TRUE(testing::WaitFor(
      [&] { return opdesk_->Log().find("REFRESH_ID=***5555") != std::string::npos; }, 5s))
      << opdesk_->Log();
  const std::string log = opdesk_->Log();
  EXPECT_EQ(log.find("supersecretvalue"), std::string::npos) << log;
  EXPECT_EQ(log.find("anothersecretvalue"), std::string::npos) << log;
  EXPECT_EQ(log.find("refreshsecret"), std::string::npos) << log;
}

TEST_P(ServeTest, AdminApiListsAndRetriesDeadJobsOnlyWithTheToken) {
  const std::map<std::string, std::string> auth = {
      {"Authorization", std::string("Bearer ") + kAdminToken}};
  EXPECT_EQ(opdesk_->Get("/api/admin/jobs").status, 401);
  EXPECT_EQ(opdesk_->Get("/api/admin/jobs", {{"Authorization", "Bearer wrong-token"}}).status, 401);
  long long id = 0;
  {
    auto db = opdesk_->OpenDatabase();
    SystemClock clock;
    storage::InTransaction(*db, [&](storage::Session& s) {
      jobs::NewJob job;
      job.tenant_id = "member-1";
      job.kind = "bitrix24.register";  // no process here runs this kind
      job.payload = "{}";
      id = jobs::JobStore::Enqueue(s, job, clock.NowMs());
    });
    ASSERT_EQ(jobs::JobStore::Claim(*db, {"e2e", {"bitrix24.register"}, clock.NowMs(), 1000, 1, {}})
                  .claimed.size(),
              1u);
    jobs::JobStore::MarkFinalFailure(*db, id, "e2e", clock.NowMs(), jobs::kDead, "NOT_FOUND",
                                     "CALL_ID \"x\" <b>unknown</b>");
  }
  RawResponse list = opdesk_->Get("/api/admin/jobs?state=dead&tenant=member-1", auth);
  ASSERT_EQ(list.status, 200) << list.body;
  auto jobs_json = ParseJson(list.body).at("jobs").as_array();
  ASSERT_EQ(jobs_json.size(), 1u);
  EXPECT_EQ(jobs_json.at(0).at("id").as_number().to_int64(), id);
  EXPECT_EQ(jobs_json.at(0).at("last_error").as_string(), "CALL_ID \"x\" <b>unknown</b>");
  EXPECT_EQ(ParseJson(opdesk_->Get("/api/admin/jobs?state=dead&tenant=other", auth).body)
                .at("jobs")
                .size(),
            0u);
  RawResponse metrics = opdesk_->Get("/metrics");
  EXPECT_NE(metrics.body.find("opdesk_outbox_jobs{state=\"dead\"} 1"), std::string::npos);

  const std::string retry = "/api/admin/jobs/" + std::to_string(id) + "/retry";
  RawResponse first = HttpRequest(opdesk_->port(), "POST", retry, "", auth);
  EXPECT_EQ(first.status, 200) << first.body;
  {
    auto db = opdesk_->OpenDatabase();
    std::vector<AuditEntry> audit;
    storage::WithSession(*db, [&](storage::Session& s) {
      audit = storage::AuditLogRepository::List(s, "member-1", 10);
    });
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].actor, "vendor");
    EXPECT_EQ(audit[0].action, "job.retry");
    EXPECT_EQ(audit[0].object_id, std::to_string(id));
    EXPECT_NE(audit[0].before_json.value_or("").find("dead"), std::string::npos);
  }
  RawResponse second = HttpRequest(opdesk_->port(), "POST", retry, "", auth);
  EXPECT_EQ(second.status, 409) << "a pending job cannot be retried again";
  RawResponse missing =
      HttpRequest(opdesk_->port(), "POST", "/api/admin/jobs/999999/retry", "", auth);
  EXPECT_EQ(missing.status, 404);
}

TEST_P(ServeTest, ABodySentInPartsIsHandledWhole) {
  // The handler runs once the whole declared body is in: were it given the first part, the JSON
  // would not parse (400). Whole, it names the plan of a tenant that does not exist (404).
  const std::vector<std::string> parts = {R"({"plan")", R"(:"standard",)",
                                          R"("until":"2031-01-31"})"};
  std::size_t length = 0;
  for (const std::string& p : parts) {
    length += p.size();
  }
  RawConnection c(opdesk_->port());
  ASSERT_TRUE(c.connected());
  c.Send("PUT /api/admin/tenants/nobody/plan HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
         std::string(kAdminToken) + "\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(length) + "\r\n\r\n");
  for (const std::string& p : parts) {
    std::this_thread::sleep_for(150ms);
    c.Send(p);
  }
  RawResponse r = c.Read(10s);
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(ParseJson(r.body).at("error").at("code").as_string(), "NOT_FOUND") << r.body;
  // The connection carries the next request.
  c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.Read(10s).status, 200);
}

TEST_P(ServeTest, SigtermFinishesTheRequestInFlightThenExitsZero) {
  RawConnection slow(opdesk_->port());
  ASSERT_TRUE(slow.connected());
  // Headers now, body later: the request is in flight while the stop signal arrives.
  slow.Send("POST /api/admin/jobs/1/retry HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n");
  std::this_thread::sleep_for(200ms);
  opdesk_->process().Signal(SIGTERM);
  ASSERT_TRUE(testing::WaitFor(
      [&] { return opdesk_->Log().find("event=stopping") != std::string::npos; }, 5s));
  RawResponse during = opdesk_->Get("/healthz");
  EXPECT_TRUE(during.status == 503 || during.status == 0) << "new work is refused while draining";
  slow.Send("abcd");
  RawResponse r = slow.Read(5s);
  EXPECT_EQ(r.status, 401) << "the in-flight request got its real answer";
  EXPECT_EQ(opdesk_->process().Wait(15s), 0) << opdesk_->Log();
  EXPECT_NE(opdesk_->Log().find("requests_drained=true"), std::string::npos) << opdesk_->Log();
}

INSTANTIATE_TEST_SUITE_P(Backends, ServeTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

TEST(JsonLogs, EveryLineIsAJsonObject) {
  Opdesk opdesk("sqlite", {{"OPDESK_LOG_FORMAT", "json"}});
  ASSERT_TRUE(opdesk.Start()) << opdesk.Log();
  opdesk.Get("/healthz?note=%22quoted%22%0Aand-a-newline", {{"X-Request-Id", "json-req-7"}});
  opdesk.process().Signal(SIGTERM);
  ASSERT_EQ(opdesk.process().Wait(15s), 0);
  std::istringstream lines(opdesk.Log());
  std::string line;
  int count = 0;
  int with_request_id = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) {
      continue;
    }
    ++count;
    web::json::value v;
    ASSERT_NO_THROW(v = ParseJson(line)) << line;
    EXPECT_TRUE(v.has_string_field("ts")) << line;
    EXPECT_TRUE(v.has_string_field("level")) << line;
    EXPECT_TRUE(v.has_string_field("msg")) << line;
    if (v.has_string_field("req_id") && v.at("req_id").as_string() == "json-req-7") {
      ++with_request_id;
      EXPECT_NE(v.at("msg").as_string().find("event=http_request"), std::string::npos) << line;
    }
  }
  EXPECT_GE(count, 4);
  EXPECT_EQ(with_request_id, 1) << "the access-log line carries the request id as a field";
}

}  // namespace
}  // namespace opdesk
