// The call rules run once for both CRMs: the same Mango scenarios played at opdesk connected to
// the Bitrix24 portal emulator and to the Megaplan account emulator, checked against one table
// of expectations through a CRM-neutral view of what each CRM was left with (direction,
// outcome, responsible, duration, the client it belongs to, the recording). Also CRM faults, a
// SIGKILL with calls in flight, and (Megaplan) a token that ends mid-call.
#include <gtest/gtest.h>
#include <signal.h>
#include <soci/soci.h>

#include <regex>
#include <sstream>

#include "tests/support/b24emu.h"
#include "tests/support/opdesk_process.h"

namespace opdesk {
namespace {

using namespace std::chrono_literals;
using web::json::value;

constexpr const char* kKey = "vpbx-test-key";
constexpr const char* kSalt = "vpbx-test-salt";

// One call as the CRM keeps it, in neutral terms.
struct CallView {
  int records = 0;          // how many records the CRM has of the call (must be 1)
  std::string direction;    // incoming, outgoing
  std::string status;       // 200 talked, 304 missed
  std::string responsible;  // "ext:102", or "default" (the integration's own user)
  long long duration_s = -1;
  bool known_client = false;  // kept with the seeded client of 79001234567
  int recordings = 0;
};

// A row of the table: a scenario and what every CRM must be left with.
struct Row {
  const char* scenario;
  const char* extra;
  const char* direction;
  const char* status;
  const char* responsible;
  bool talked;
};

const Row kTable[] = {
    {"inbound_answered_after_ivr", "", "incoming", "200", "ext:102", true},
    {"missed_in_ivr", "", "incoming", "304", "default", false},
    {"group_one_answers", "", "incoming", "200", "ext:103", true},
    {"missed_in_group", "", "incoming", "304", "ext:102", false},
    {"outgoing", "", "outgoing", "200", "ext:102", true},
    {"blind_transfer", "", "incoming", "200", "ext:102", true},
    {"consultative_transfer", "", "incoming", "200", "ext:102", true},
    {"group_one_answers", R"(,"duplicate":true,"shuffle":true,"seed":3)", "incoming", "200",
     "ext:103", true},
};

std::string S(const value& params, const char* key) {
  if (!params.is_object() || !params.has_field(key)) {
    return "<absent>";
  }
  const value& v = params.at(key);
  return v.is_string() ? v.as_string() : v.serialize();
}

class CrmMatrixTest : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {
 protected:
  std::string crm() const { return std::get<0>(GetParam()); }
  bool megaplan() const { return crm() == "megaplan"; }

  void SetUp() override {
    b24_ = std::make_unique<testing::B24Emulator>(
        std::vector<std::string>{"--rate", "50", "--burst", "50"});
    pbx_ = std::make_unique<testing::MangoEmulator>(kKey, kSalt);
    if (megaplan()) {
      mp_ = std::make_unique<testing::MegaplanEmulator>();
    }
    opdesk_ = std::make_unique<testing::Opdesk>(
        std::get<1>(GetParam()),
        std::map<std::string, std::string>{{"OPDESK_BITRIX24_CLIENT_ID", "app.test"},
                                           {"OPDESK_BITRIX24_CLIENT_SECRET", "secret.test"},
                                           {"OPDESK_BITRIX24_OAUTH_URL", b24_->oauth_url()},
                                           {"OPDESK_ALLOW_INSECURE_ENDPOINTS", "true"},
                                           {"OPDESK_MANGO_API_URL", pbx_->api_url()},
                                           {"OPDESK_JOBS_BACKOFF_BASE_MS", "100"},
                                           {"OPDESK_JOBS_BACKOFF_MAX_MS", "1000"},
                                           {"OPDESK_JOBS_LEASE_SECONDS", "2"}});
    ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
    db_ = opdesk_->OpenDatabase();
    std::string out;
    if (megaplan()) {
      ASSERT_EQ(testing::RunCommand({OPDESK_BINARY, "tenant", "megaplan", "--url", mp_->url(),
                                     "--login", "bot", "--password", "bot-pass"},
                                    opdesk_->env(), opdesk_->dir(), &out),
                0)
          << out;
      tenant_ = "megaplan:127.0.0.1:" + std::to_string(mp_->port());
      EXPECT_NE(out.find(tenant_), std::string::npos) << out;
    } else {
      b24_->Control("POST", "/_emu/portal/install-callback",
                    R"({"url":")" + opdesk_->url() + R"(/b24/events"})");
      ASSERT_TRUE(testing::WaitFor(
          [&] { return Count("b24_portals WHERE state = 'installed'") == 1; }, 30s))
          << opdesk_->Log();
      tenant_ = b24_->member_id();
    }
    ASSERT_EQ(testing::RunCommand({OPDESK_BINARY, "tenant", "mango", "--tenant", tenant_,
                                   "--api-key", kKey, "--api-salt", kSalt},
                                  opdesk_->env(), opdesk_->dir(), &out),
              0)
        << out;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(out, m, std::regex("(http://[^ \\n]+/mango/[0-9a-f]+/)")));
    pbx_->Control("POST", "/_emu/config",
                  R"({"webhook_base":")" + m[1].str() + R"(","command_speed":1000})");
    ASSERT_TRUE(Settled()) << opdesk_->Log();
  }

  long long Count(const std::string& from_where) {
    long long n = 0;
    storage::WithSession(*db_, [&](storage::Session& s) {
      s.sql() << "SELECT COUNT(*) FROM " + from_where, soci::into(n);
    });
    return n;
  }

  bool Settled(std::chrono::seconds timeout = 30s) {
    return testing::WaitFor(
        [&] {
          // Events applied first: an applied event's jobs are committed with it.
          return Count("events WHERE pending = 1") == 0 &&
                 Count("jobs WHERE kind LIKE 'call.%' AND state IN ('pending', 'running')") == 0 &&
                 Count(
                     "jobs WHERE kind = 'mango.directory' AND (state = 'running' OR (state ="
                     " 'pending' AND run_at_ms <= created_at_ms))") == 0;
        },
        timeout);
  }

  std::string Start(const std::string& name, const std::string& extra = "") {
    value started = pbx_->Control(
        "POST", "/_emu/scenario",
        R"({"name":")" + name + R"(","speed":1000,"line":"74951234567")" +
            (extra.find("\"client\"") == std::string::npos ? R"(,"client":"79001234567")" : "") +
            extra + "}");
    return started.at("entry_id").as_string();
  }
  std::string Play(const std::string& name, const std::string& extra = "") {
    const std::string entry = Start(name, extra);
    pbx_->Control("POST", "/_emu/wait", R"({"entry_id":")" + entry + R"(","timeout_ms":20000})");
    EXPECT_TRUE(Settled()) << opdesk_->Log();
    return entry;
  }

  // ---- the neutral view of each CRM ----

  CallView View(const std::string& entry) {
    return megaplan() ? MegaplanView(entry) : Bitrix24View(entry);
  }

  CallView Bitrix24View(const std::string& entry) {
    CallView v;
    const value state = b24_->Control("GET", "/_emu/state");
    for (const auto& call : state.at("calls").as_array()) {
      if (call.at("EXTERNAL_CALL_ID").as_string() != entry) {
        continue;
      }
      ++v.records;
      if (call.has_field("record")) {
        ++v.recordings;
      }
      if (!call.at("finished").as_bool()) {
        continue;
      }
      const value& f = call.at("finish_params");
      v.status = S(f, "STATUS_CODE");
      v.duration_s = std::stoll(S(f, "DURATION"));
      const std::string user = S(f, "USER_ID");
      v.responsible = user == "1" ? "default" : "ext:10" + user;
      v.direction = S(call, "TYPE") == "1" ? "outgoing" : "incoming";
      v.known_client = S(call, "CRM_ENTITY_TYPE") == "CONTACT" && S(call, "CRM_ENTITY_ID") == "1";
    }
    return v;
  }

  CallView MegaplanView(const std::string& entry) {
    CallView v;
    const value state = mp_->Control("GET", "/_emu/state");
    const std::map<std::string, std::string> names = {{"Анна Админова", "ext:101"},
                                                      {"Борис Операторов", "ext:102"},
                                                      {"Вера Менеджерова", "ext:103"},
                                                      {"Интеграция Опдеск", "default"}};
    for (const auto& c : state.at("comments").as_array()) {
      const std::string text = c.at("content").as_string();
      if (text.find("ID звонка: " + entry) == std::string::npos) {
        continue;
      }
      ++v.records;
      std::map<std::string, std::string> fields;
      std::stringstream lines(std::regex_replace(text, std::regex("<br>"), "\n"));
      std::string line;
      std::getline(lines, line);
      v.direction = line.rfind("Исходящий", 0) == 0 ? "outgoing" : "incoming";
      while (std::getline(lines, line)) {
        const auto colon = line.find(": ");
        if (colon != std::string::npos) {
          fields[line.substr(0, colon)] = line.substr(colon + 2);
        }
      }
      const std::string outcome = fields["Результат"];
      v.status = outcome.rfind("разговор", 0) == 0   ? "200"
                 : outcome.rfind("пропущен", 0) == 0 ? "304"
                                                     : outcome;
      v.responsible = names.count(fields["Ответственный"]) ? names.at(fields["Ответственный"])
                                                           : fields["Ответственный"];
      std::smatch m;
      const std::string d = fields["Длительность"];
      if (std::regex_match(d, m, std::regex("(?:(\\d+) мин )?(\\d+) с"))) {
        v.duration_s = (m[1].matched ? std::stoll(m[1].str()) * 60 : 0) + std::stoll(m[2].str());
      }
      v.known_client = c.at("subject").at("id").as_string() == "1000100";
    }
    for (const auto& c : state.at("comments").as_array()) {
      if (c.at("content").as_string() == "Запись разговора: " + entry + ".mp3") {
        ++v.recordings;
      }
    }
    return v;
  }

  void Integration(const std::vector<std::string>& sets) {
    std::vector<std::string> argv = {OPDESK_BINARY, "tenant", "integration", "--tenant", tenant_};
    for (const std::string& set : sets) {
      argv.push_back("--set");
      argv.push_back(set);
    }
    std::string out;
    ASSERT_EQ(testing::RunCommand(argv, opdesk_->env(), opdesk_->dir(), &out), 0) << out;
  }
  // Mango commands opdesk sent to `path` (e.g. "commands/route"), as their JSON.
  std::vector<value> Commands(const std::string& path) {
    std::vector<value> out;
    const value log = pbx_->Control("GET", "/_emu/requests");
    for (const auto& r : log.at("requests").as_array()) {
      if (r.has_field("path") && r.at("path").as_string() == path) {
        out.push_back(value::parse(S(r, "json")));
      }
    }
    return out;
  }

  void InjectFaults(int count) {
    if (megaplan()) {
      mp_->Control("POST", "/_emu/faults",
                   R"({"path":"/api/v3/","status":500,"count":)" + std::to_string(count) + "}");
      mp_->Control("POST", "/_emu/faults",
                   R"({"path":"/api/v3/","status":429,"retry_after":1,"count":2})");
    } else {
      b24_->Control("POST", "/_emu/faults",
                    R"({"method":"*","status":503,"error":"QUERY_LIMIT_EXCEEDED","count":)" +
                        std::to_string(count) + "}");
    }
  }
  int FaultsAnswered() {
    int n = 0;
    const value log = (megaplan() ? *mp_ : static_cast<testing::EmulatorProcess&>(*b24_))
                          .Control("GET", "/_emu/requests");
    for (const auto& r : log.at("requests").as_array()) {
      const int status = r.at("status").as_integer();
      n += status == 500 || status == 503 || status == 429 ? 1 : 0;
    }
    return n;
  }

  void ExpectRow(const Row& row, const CallView& v) {
    SCOPED_TRACE(std::string(row.scenario) + row.extra + " on " + crm());
    EXPECT_EQ(v.records, 1);
    EXPECT_EQ(v.direction, row.direction);
    EXPECT_EQ(v.status, row.status);
    EXPECT_EQ(v.responsible, row.responsible);
    if (row.talked) {
      EXPECT_GT(v.duration_s, 0);
    } else {
      EXPECT_EQ(v.duration_s, 0);
    }
  }

  std::unique_ptr<testing::B24Emulator> b24_;
  std::unique_ptr<testing::MangoEmulator> pbx_;
  std::unique_ptr<testing::MegaplanEmulator> mp_;
  std::unique_ptr<testing::Opdesk> opdesk_;
  std::unique_ptr<storage::Database> db_;
  std::string tenant_;
};

TEST_P(CrmMatrixTest, EveryScenarioEndsAsTheTableSays) {
  for (const Row& row : kTable) {
    const std::string entry = Play(row.scenario, row.extra);
    ExpectRow(row, View(entry));
  }
  const std::string known = Play("inbound_answered_after_ivr");
  EXPECT_TRUE(View(known).known_client) << "the call is kept with the number's client";
  EXPECT_EQ(Count("jobs WHERE state IN ('dead', 'dropped')"), 0);
}

TEST_P(CrmMatrixTest, AKnownCallerIsRoutedToItsResponsibleDuringTheGreeting) {
  // B5: the seeded client of +79001234567 belongs to the employee with extension 103 in both
  // CRMs (Bitrix24 user 3; Megaplan's Вера, linked to 103 by her e-mail).
  Integration({"route_to_responsible=true"});
  const std::string entry =
      Play("inbound_waits_in_ivr", R"(,"client":"79001234567","wait_ms":4000000)");
  const std::vector<value> routes = Commands("commands/route");
  ASSERT_EQ(routes.size(), 1u) << opdesk_->Log();
  EXPECT_EQ(S(routes[0], "to_number"), "103");
  const CallView v = View(entry);
  EXPECT_EQ(v.records, 1);
  EXPECT_EQ(v.responsible, "ext:103");
  EXPECT_EQ(v.status, "200");
}

TEST_P(CrmMatrixTest, RecordedCallKeepsItsRecording) {
  const std::string entry = Play("inbound_answered_after_ivr", R"(,"recorded":true)");
  ASSERT_TRUE(testing::WaitFor([&] { return View(entry).recordings == 1; }, 20s)) << opdesk_->Log();
  ExpectRow(kTable[0], View(entry));
}

TEST_P(CrmMatrixTest, CrmFaultsAndASigkillNeitherLoseNorDoubleACall) {
  InjectFaults(3);
  const std::string first = Play("inbound_answered_after_ivr");
  EXPECT_GT(FaultsAnswered(), 0);
  // Calls in flight while the process dies: their jobs are taken over after the lease.
  InjectFaults(4);
  const std::string second = Start("group_one_answers");
  const std::string third = Start("outgoing");
  for (const std::string& e : {second, third}) {
    pbx_->Control("POST", "/_emu/wait", R"({"entry_id":")" + e + R"(","timeout_ms":20000})");
  }
  opdesk_->process().Signal(SIGKILL);
  ASSERT_EQ(opdesk_->process().Wait(5s), 128 + SIGKILL);
  ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
  ASSERT_TRUE(Settled(60s)) << opdesk_->Log();
  ExpectRow(kTable[0], View(first));
  ExpectRow(kTable[2], View(second));
  ExpectRow(kTable[4], View(third));
  EXPECT_EQ(Count("jobs WHERE state IN ('dead', 'dropped')"), 0);
}

// With the password grant there is no refresh opdesk can use and no stored password: a token
// that ends (or is refused) makes the call's jobs wait, /readyz and /metrics name the account,
// and the call is written once someone signs in again. Nothing is lost.
// What only Megaplan has: the password sign-in's token, its clients and deal schemes. (Bitrix24
// tokens refresh by themselves: MangoCallsTest covers those expiring mid-call; its clients and
// deals are covered by MangoCrmClientsTest.)
class MegaplanTest : public CrmMatrixTest {
 protected:
  std::vector<value> Where(const std::string& kind, const std::function<bool(const value&)>& f) {
    std::vector<value> out;
    const value state = mp_->Control("GET", "/_emu/state");
    for (const auto& item : state.at(kind).as_array()) {
      if (f(item)) {
        out.push_back(item);
      }
    }
    return out;
  }
};

TEST_P(MegaplanTest, NewNumberBecomesAClientAndADealInTheChosenSchemeAndStatus) {
  // B1 client and deal, B4 scheme 1 «Продажи» status 12 «В работе» (reached by a transition),
  // B6 the line into the field labelled «Линия», B3 a repeated call adds a deal only when the
  // client has no open one.
  Integration({"answered_new_number=client_and_deal", R"(deal_category_id="1")",
               R"(deal_stage_id="12")", "line_as_source=true", "repeated_call_deal=if_none_open"});
  const std::string entry = Play("inbound_answered_after_ivr", R"(,"client":"79005550011")");
  const auto clients = Where("contractors", [](const value& c) {
    return c.at("contactInfo").serialize().find("+79005550011") != std::string::npos;
  });
  ASSERT_EQ(clients.size(), 1u) << opdesk_->Log();
  const value& client = clients[0];
  const std::string id = client.at("id").as_string();
  EXPECT_EQ(client.at("contentType").as_string(), "ContractorHuman");
  EXPECT_EQ(client.at("firstName").as_string().rfind("Новый (", 0), 0u) << "B13";
  EXPECT_EQ(client.at("responsibles").at(0).at("id").as_string(), "1000002")
      << "seed 004: the employee who answered (102 → Борис)";
  EXPECT_EQ(S(client, "Category1000047CustomFieldLiniya"), "+74951234567") << "B6";
  auto deals =
      Where("deals", [&](const value& d) { return d.at("contractor").at("id").as_string() == id; });
  ASSERT_EQ(deals.size(), 1u);
  EXPECT_EQ(deals[0].at("program").at("id").as_string(), "1");
  EXPECT_EQ(deals[0].at("state").at("id").as_string(), "12");
  EXPECT_EQ(deals[0].at("manager").at("id").as_string(), "1000002");
  // The call is in the new client's history.
  const auto notes = Where("comments", [&](const value& c) {
    return c.at("content").as_string().find("ID звонка: " + entry) != std::string::npos;
  });
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].at("subject").at("id").as_string(), id);
  // A repeated call: the open deal is enough (B3).
  Play("inbound_answered_after_ivr", R"(,"client":"79005550011")");
  EXPECT_EQ(
      Where("deals", [&](const value& d) { return d.at("contractor").at("id").as_string() == id; })
          .size(),
      1u);
  EXPECT_EQ(Where("contractors",
                  [](const value& c) {
                    return c.at("contactInfo").serialize().find("+79005550011") !=
                           std::string::npos;
                  })
                .size(),
            1u)
      << "found again through the index, not created twice";
  EXPECT_EQ(Count("jobs WHERE state IN ('dead', 'dropped')"), 0);
}

TEST_P(MegaplanTest, TokenEndingMidCallWaitsForASignInAndLosesNothing) {
  mp_->Control("POST", "/_emu/tokens/expire", "{}");
  const std::string entry = Start("inbound_answered_after_ivr");
  pbx_->Control("POST", "/_emu/wait", R"({"entry_id":")" + entry + R"(","timeout_ms":20000})");
  ASSERT_TRUE(testing::WaitFor(
      [&] { return Count("megaplan_accounts WHERE state = 'refused'") == 1; }, 20s))
      << opdesk_->Log();
  testing::RawResponse ready = opdesk_->Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_NE(ready.body.find(R"("token":"refused")"), std::string::npos) << ready.body;
  testing::RawResponse metrics = opdesk_->Get("/metrics");
  EXPECT_NE(metrics.body.find("opdesk_megaplan_token_ok{tenant=\"" + tenant_ + "\"} 0"),
            std::string::npos);
  EXPECT_EQ(View(entry).records, 0);
  EXPECT_GT(Count("jobs WHERE kind LIKE 'call.%' AND state = 'pending'"), 0);
  // A wrong password changes nothing: still refused, nothing stored.
  std::string out;
  EXPECT_EQ(testing::RunCommand({OPDESK_BINARY, "tenant", "megaplan", "--url", mp_->url(),
                                 "--login", "bot", "--password", "wrong"},
                                opdesk_->env(), opdesk_->dir(), &out),
            1);
  EXPECT_NE(out.find("refused the login or password"), std::string::npos) << out;
  EXPECT_EQ(Count("megaplan_accounts WHERE state = 'refused'"), 1);
  // The admin signs in again: the waiting jobs go on and the call is written once.
  ASSERT_EQ(testing::RunCommand({OPDESK_BINARY, "tenant", "megaplan", "--url", mp_->url(),
                                 "--login", "bot", "--password", "bot-pass"},
                                opdesk_->env(), opdesk_->dir(), &out),
            0)
      << out;
  ASSERT_TRUE(testing::WaitFor([&] { return View(entry).records == 1; }, 45s)) << opdesk_->Log();
  ExpectRow(kTable[0], View(entry));
  EXPECT_EQ(opdesk_->Get("/readyz").body.find("refused"), std::string::npos);
  EXPECT_EQ(Count("jobs WHERE state IN ('dead', 'dropped')"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, MegaplanTest,
                         ::testing::Combine(::testing::Values("megaplan"),
                                            ::testing::ValuesIn(testing::Backends())),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" + std::get<1>(info.param);
                         });

INSTANTIATE_TEST_SUITE_P(CrmsAndBackends, CrmMatrixTest,
                         ::testing::Combine(::testing::Values("bitrix24", "megaplan"),
                                            ::testing::ValuesIn(testing::Backends())),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" + std::get<1>(info.param);
                         });

}  // namespace
}  // namespace opdesk
