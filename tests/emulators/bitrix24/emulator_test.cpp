// b24emu, the Bitrix24 portal emulator, run as a real process on loopback: it must answer like
// the real portal (envelope, errors, limits, token rotation, telephony rules) and play the
// portal's side towards opdesk with the exact payload shapes.
#include <gtest/gtest.h>
#include <signal.h>

#include <cpprest/json.h>

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/raw_http.h"
#include "tests/support/scratch_dir.h"

namespace opdesk {
namespace {

using namespace std::chrono_literals;
using testing::HttpRequest;
using testing::RawResponse;
using Json = web::json::value;

const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};
const std::map<std::string, std::string> kJson = {{"Content-Type", "application/json"}};

Json Parse(const RawResponse& r) {
  return r.body.empty() ? Json::null() : Json::parse(r.body);
}

// One emulator process on a free port.
class Emu {
 public:
  explicit Emu(std::vector<std::string> extra = {}) : dir_("b24emu"), port_(testing::FreePort()) {
    std::vector<std::string> argv = {B24EMU_BINARY, "--port", std::to_string(port_)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<testing::ChildProcess>(argv, std::map<std::string, std::string>{},
                                                       dir_.path(), dir_ / "emu.log");
    ready_ = testing::WaitFor(
        [&] { return !process_->running() || Raw("GET", "/_emu/stats").status == 200; }, 15s);
  }

  bool ready() const { return ready_; }
  int port() const { return port_; }
  testing::ChildProcess& process() { return *process_; }
  std::string Log() const { return process_->Log(); }

  RawResponse Raw(const std::string& method, const std::string& target,
                  const std::string& body = "",
                  const std::map<std::string, std::string>& headers = {}) {
    return HttpRequest(port_, method, target, body, headers);
  }
  // A control call with a JSON body; returns the parsed answer.
  Json Control(const std::string& method, const std::string& path, const std::string& body = "") {
    return Parse(Raw(method, path, body, kJson));
  }
  std::string Token(int user_id = 1) {
    return Control("POST", "/_emu/tokens/issue", "{\"user_id\":" + std::to_string(user_id) + "}")
        .at("access_token")
        .as_string();
  }
  // POST /rest/<method> with a form body (auth added).
  RawResponse Rest(const std::string& method, const std::string& form, const std::string& token) {
    return Raw("POST", "/rest/" + method, "auth=" + token + (form.empty() ? "" : "&" + form),
               kForm);
  }
  RawResponse RestJson(const std::string& method, Json body, const std::string& token) {
    body["auth"] = Json::string(token);
    return Raw("POST", "/rest/" + method, body.serialize(), kJson);
  }

 private:
  testing::ScratchDir dir_;
  int port_;
  std::unique_ptr<testing::ChildProcess> process_;
  bool ready_ = false;
};

class B24EmuTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emu_ = std::make_unique<Emu>();
    ASSERT_TRUE(emu_->ready()) << emu_->Log();
    token_ = emu_->Token(1);
  }
  std::unique_ptr<Emu> emu_;
  std::string token_;
};

TEST_F(B24EmuTest, SuccessEnvelopeCarriesResultAndTimeBlock) {
  auto r = emu_->Rest("profile", "", token_);
  ASSERT_EQ(r.status, 200) << r.body;
  Json j = Parse(r);
  EXPECT_EQ(j.at("result").at("ID").as_string(), "1");
  EXPECT_TRUE(j.at("result").at("ADMIN").as_bool());
  for (const char* key : {"start", "finish", "duration", "processing", "date_start", "date_finish",
                          "operating", "operating_reset_at"}) {
    EXPECT_TRUE(j.at("time").has_field(key)) << key;
  }
}

TEST_F(B24EmuTest, UnknownMethodMissingAuthAndExpiredTokenAreRejectedLikeThePortal) {
  auto unknown = emu_->Rest("crm.nothing.here", "", token_);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(Parse(unknown).at("error").as_string(), "ERROR_METHOD_NOT_FOUND");
  auto no_auth = emu_->Raw("GET", "/rest/profile.json");
  EXPECT_EQ(no_auth.status, 401);
  EXPECT_EQ(Parse(no_auth).at("error").as_string(), "NO_AUTH_FOUND");
  auto wrong = emu_->Rest("profile", "", "not-a-token");
  EXPECT_EQ(Parse(wrong).at("error").as_string(), "NO_AUTH_FOUND");
  emu_->Control("POST", "/_emu/tokens/expire");
  auto expired = emu_->Rest("profile", "", token_);
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(Parse(expired).at("error").as_string(), "expired_token");
}

TEST_F(B24EmuTest, GetWithJsonBodyIsIgnoredSoRequiredParamsAreMissing) {
  std::string body = R"({"type":"PHONE","values":["+7 900 123-45-67"]})";
  auto get = emu_->Raw("GET", "/rest/crm.duplicate.findbycomm?auth=" + token_, body, kJson);
  EXPECT_EQ(get.status, 400);
  EXPECT_EQ(Parse(get).at("error_description").as_string(), "Communication type is not defined.");
  auto post = emu_->Raw("POST", "/rest/crm.duplicate.findbycomm?auth=" + token_, body, kJson);
  ASSERT_EQ(post.status, 200) << post.body;
  EXPECT_EQ(Parse(post).at("result").at("CONTACT").at(0).as_integer(), 1);
}

TEST_F(B24EmuTest, RefreshRotatesTokensAndRejectsTheOldRefreshToken) {
  Json issued = emu_->Control("POST", "/_emu/tokens/issue", R"({"user_id":2})");
  std::string refresh = issued.at("refresh_token").as_string();
  std::string base = "/oauth/token/?grant_type=refresh_token&client_id=app.test&client_secret=";
  auto ok = emu_->Raw("GET", base + "secret.test&refresh_token=" + refresh);
  ASSERT_EQ(ok.status, 200) << ok.body;
  Json j = Parse(ok);
  for (const char* key :
       {"access_token", "refresh_token", "expires", "expires_in", "client_endpoint",
        "server_endpoint", "domain", "member_id", "scope", "status", "user_id"}) {
    EXPECT_TRUE(j.has_field(key)) << key;
  }
  EXPECT_NE(j.at("refresh_token").as_string(), refresh);
  EXPECT_EQ(j.at("user_id").as_integer(), 2);
  EXPECT_EQ(emu_->Rest("user.current", "", j.at("access_token").as_string()).status, 200);
  auto reused = emu_->Raw("GET", base + "secret.test&refresh_token=" + refresh);
  EXPECT_EQ(reused.status, 400);
  EXPECT_EQ(Parse(reused).at("error").as_string(), "invalid_grant");
  auto bad_client = emu_->Raw("POST", "/oauth/token/",
                              "grant_type=refresh_token&client_id=app.test&client_secret=nope&"
                              "refresh_token=" +
                                  j.at("refresh_token").as_string(),
                              kForm);
  EXPECT_EQ(bad_client.status, 401);
  EXPECT_EQ(Parse(bad_client).at("error").as_string(), "invalid_client");
  Json stats = emu_->Control("GET", "/_emu/stats");
  EXPECT_EQ(stats.at("oauth").at("refreshes").as_integer(), 3);
  EXPECT_EQ(stats.at("oauth").at("invalid_grant").as_integer(), 1);
}

TEST(B24EmuBucket, BurstPlusOneQuickRequestsGiveExactlyOne503) {
  Emu emu({"--rate", "0.01", "--burst", "10"});
  ASSERT_TRUE(emu.ready()) << emu.Log();
  std::string token = emu.Token();
  int rejected = 0;
  for (int i = 0; i < 11; ++i) {
    auto r = emu.Rest("profile", "", token);
    if (r.status == 503) {
      ++rejected;
      EXPECT_EQ(Parse(r).at("error").as_string(), "QUERY_LIMIT_EXCEEDED");
    }
  }
  EXPECT_EQ(rejected, 1);
  // OAuth requests do not count against the portal's bucket.
  auto oauth = emu.Raw("GET",
                       "/oauth/token/?grant_type=refresh_token&client_id=app.test&"
                       "client_secret=secret.test&refresh_token=x");
  EXPECT_EQ(oauth.status, 400);
  Json bucket = emu.Control("GET", "/_emu/stats").at("bucket");
  EXPECT_LE(bucket.at("max_level").as_double(), 10.0);
  EXPECT_EQ(bucket.at("limit_rejections").as_integer(), 1);
  // Raising the limits at run time lets requests through again.
  emu.Control("POST", "/_emu/limits", R"({"rate":2,"burst":50})");
  EXPECT_EQ(emu.Rest("profile", "", token).status, 200);
}

TEST_F(B24EmuTest, BatchRunsInOrderAndSubstitutesEarlierResults) {
  Json body = Json::object(true);
  body["halt"] = Json::number(0);
  Json cmd = Json::object(true);
  cmd["lead"] = Json::string("crm.lead.add?fields[TITLE]=From%20batch");
  cmd["got"] = Json::string("crm.lead.get?id=$result[lead]");
  cmd["list"] = Json::string("crm.lead.list?filter[TITLE]=$result[got][TITLE]");
  cmd["todo"] = Json::string(
      "crm.activity.todo.add?ownerTypeId=1&ownerId=$result[list][0][ID]&deadline=2030-01-01T10:00:"
      "00%2B03:00");
  cmd["bad"] = Json::string("crm.lead.get?id=999");
  body["cmd"] = cmd;
  auto r = emu_->RestJson("batch", body, token_);
  ASSERT_EQ(r.status, 200) << r.body;
  Json res = Parse(r).at("result");
  int lead = res.at("result").at("lead").as_integer();
  EXPECT_EQ(res.at("result").at("got").at("TITLE").as_string(), "From batch");
  EXPECT_EQ(res.at("result").at("list").at(0).at("ID").as_string(), std::to_string(lead));
  EXPECT_EQ(res.at("result_total").at("list").as_integer(), 1);
  EXPECT_TRUE(res.at("result").at("todo").has_field("id"));
  EXPECT_EQ(res.at("result_error").at("bad").at("error").as_string(), "NOT_FOUND");
  EXPECT_TRUE(res.at("result_time").has_field("lead"));
}

TEST_F(B24EmuTest, BatchRejectsMoreThan50CommandsAndNestedBatch) {
  Json body = Json::object(true);
  Json cmd = Json::object(true);
  for (int i = 0; i < 51; ++i) {
    cmd["c" + std::to_string(i)] = Json::string("profile");
  }
  body["cmd"] = cmd;
  auto big = emu_->RestJson("batch", body, token_);
  EXPECT_EQ(big.status, 400);
  EXPECT_EQ(Parse(big).at("error").as_string(), "ERROR_BATCH_LENGTH_EXCEEDED");
  auto nested = emu_->Rest("batch", "cmd[a]=batch%3Fcmd%5Bb%5D%3Dprofile", token_);
  EXPECT_EQ(nested.status, 405);
  EXPECT_EQ(Parse(nested).at("error").as_string(), "ERROR_BATCH_METHOD_NOT_ALLOWED");
}

TEST_F(B24EmuTest, RegisterWithin30MinutesReturnsTheSameCallId) {
  std::string form =
      "USER_PHONE_INNER=102&PHONE_NUMBER=%2B79990001122&TYPE=2&LINE_NUMBER=74950000001&"
      "EXTERNAL_CALL_ID=mango-1&CRM_CREATE=1";
  auto first = emu_->Rest("telephony.externalCall.register", form, token_);
  ASSERT_EQ(first.status, 200) << first.body;
  Json a = Parse(first).at("result");
  EXPECT_TRUE(std::regex_match(a.at("CALL_ID").as_string(),
                               std::regex(R"(externalCall\.[0-9a-f]{32}\.\d+)")));
  EXPECT_EQ(a.at("CRM_ENTITY_TYPE").as_string(), "LEAD");
  EXPECT_EQ(a.at("CRM_CREATED_ENTITIES").size(), 1u);
  EXPECT_FALSE(a.at("CRM_CREATED_LEAD").is_null());
  auto again = emu_->Rest("telephony.externalCall.register", form, token_);
  EXPECT_EQ(Parse(again).at("result").at("CALL_ID").as_string(), a.at("CALL_ID").as_string());
  EXPECT_EQ(emu_->Control("GET", "/_emu/state").at("leads").size(), 1u);
  auto other = emu_->Rest("telephony.externalCall.register",
                          "USER_ID=2&PHONE_NUMBER=79990001122&TYPE=2&LINE_NUMBER=74950000001&"
                          "EXTERNAL_CALL_ID=mango-2",
                          token_);
  EXPECT_NE(Parse(other).at("result").at("CALL_ID").as_string(), a.at("CALL_ID").as_string());
  auto letters =
      emu_->Rest("telephony.externalCall.register", "USER_ID=2&PHONE_NUMBER=abc&TYPE=2", token_);
  EXPECT_EQ(Parse(letters).at("error_description").as_string(), "Unsupported phone number format");
  auto inactive = emu_->Rest("telephony.externalCall.register",
                             "USER_ID=4&PHONE_NUMBER=79990001122&TYPE=2", token_);
  EXPECT_EQ(Parse(inactive).at("error_description").as_string(),
            "User is not found or is not active");
}

TEST_F(B24EmuTest, AttachRecordOnlyAfterFinish) {
  auto reg = emu_->Rest("telephony.externalCall.register",
                        "USER_ID=2&PHONE_NUMBER=%2B79001234567&TYPE=2&EXTERNAL_CALL_ID=x1", token_);
  std::string call = Parse(reg).at("result").at("CALL_ID").as_string();
  EXPECT_EQ(Parse(reg).at("result").at("CRM_ENTITY_TYPE").as_string(), "CONTACT");
  std::string record = "CALL_ID=" + call + "&FILENAME=rec.mp3&FILE_CONTENT=SUQzBAAAAAAA";
  auto early = emu_->Rest("telephony.externalCall.attachRecord", record, token_);
  EXPECT_EQ(early.status, 400);
  EXPECT_NE(Parse(early).at("error_description").as_string().find("statistic table"),
            std::string::npos);
  auto fin = emu_->Rest("telephony.externalCall.finish",
                        "CALL_ID=" + call + "&USER_ID=2&DURATION=42", token_);
  ASSERT_EQ(fin.status, 200) << fin.body;
  Json stat = Parse(fin).at("result");
  EXPECT_EQ(stat.at("CALL_FAILED_CODE").as_string(), "200");
  EXPECT_FALSE(stat.at("CRM_ACTIVITY_ID").is_null());
  auto twice =
      emu_->Rest("telephony.externalCall.finish", "CALL_ID=" + call + "&USER_ID=2", token_);
  EXPECT_EQ(Parse(twice).at("error").as_string(), "ERROR_CORE");
  auto wav = emu_->Rest("telephony.externalCall.attachRecord",
                        "CALL_ID=" + call + "&FILENAME=a.ogg", token_);
  EXPECT_EQ(wav.status, 400);
  auto late = emu_->Rest("telephony.externalCall.attachRecord", record, token_);
  ASSERT_EQ(late.status, 200) << late.body;
  EXPECT_TRUE(Parse(late).at("result").has_field("FILE_ID"));
  auto unknown =
      emu_->Rest("telephony.externalCall.finish", "CALL_ID=externalCall.nope.1&USER_ID=2", token_);
  EXPECT_NE(Parse(unknown).at("error_description").as_string().find("Call is not found"),
            std::string::npos);
}

TEST_F(B24EmuTest, TodoAddWithoutDeadlineIsRejected) {
  auto missing = emu_->Rest("crm.activity.todo.add", "ownerTypeId=3&ownerId=1&title=Call", token_);
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Parse(missing).at("error").as_string(), "100");
  EXPECT_NE(Parse(missing).at("error_description").as_string().find("deadline"), std::string::npos);
  auto no_owner = emu_->Rest("crm.activity.todo.add",
                             "ownerTypeId=3&ownerId=77&deadline=2030-01-01T10:00:00", token_);
  EXPECT_EQ(Parse(no_owner).at("error").as_string(), "OWNER_NOT_FOUND");
  auto ok = emu_->Rest("crm.activity.todo.add",
                       "ownerTypeId=3&ownerId=1&deadline=2030-01-01T10:00:00%2B03:00", token_);
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_F(B24EmuTest, FaultsHitOnlyTheNamedMethodForTheGivenCount) {
  emu_->Control("POST", "/_emu/faults",
                R"({"method":"crm.lead.add","status":429,"error":"OPERATION_TIME_LIMIT",)"
                R"("count":2,"operating_reset_in_s":120})");
  for (int i = 0; i < 2; ++i) {
    auto r = emu_->Rest("crm.lead.add", "fields[TITLE]=x", token_);
    EXPECT_EQ(r.status, 429);
    Json j = Parse(r);
    EXPECT_EQ(j.at("error").as_string(), "OPERATION_TIME_LIMIT");
    EXPECT_GT(j.at("time").at("operating_reset_at").as_number().to_int64(), time(nullptr) + 100);
    EXPECT_EQ(emu_->Rest("profile", "", token_).status, 200);
  }
  EXPECT_EQ(emu_->Rest("crm.lead.add", "fields[TITLE]=x", token_).status, 200);
  emu_->Control("POST", "/_emu/faults", R"({"method":"*","status":500,"count":1})");
  auto any = emu_->Rest("user.current", "", token_);
  EXPECT_EQ(any.status, 500);
  EXPECT_EQ(Parse(any).at("error").as_string(), "INTERNAL_SERVER_ERROR");
  emu_->Control("POST", "/_emu/faults", R"({"method":"profile","status":401,"probability":0.99})");
  emu_->Control("DELETE", "/_emu/faults");
  EXPECT_EQ(emu_->Rest("profile", "", token_).status, 200);
}

// crm.contact.list as the dialing tasks' CRM filter uses it: %-like and = / != "" (empty / not
// empty, a missing multifield counting as empty), >ID paging with `total` and `next`, and the
// control API deleting a contact (crm.contact.get then answers NOT_FOUND).
TEST_F(B24EmuTest, ContactListFiltersPagesByIdAndSeesDeletedContactsGone) {
  std::string seed = R"({"contacts":[)";
  for (int i = 0; i < 60; ++i) {
    const std::string phone = i % 11 == 0
                                  ? std::string()
                                  : R"(,"PHONE":[{"VALUE":"+7903)" + std::to_string(1000000 + i) +
                                        R"(","VALUE_TYPE":"WORK"}])";
    seed += std::string(i ? "," : "") + R"({"NAME":"Фильтр )" + std::to_string(i) + R"(")" + phone +
            "}";
  }
  const Json seeded = emu_->Control("POST", "/_emu/seed", seed + "]}");
  ASSERT_TRUE(seeded.has_field("contacts")) << seeded.serialize();
  const std::string like = "filter[%25NAME]=%D0%A4%D0%B8%D0%BB%D1%8C%D1%82%D1%80";
  auto first = Parse(
      emu_->Rest("crm.contact.list",
                 like + "&filter[!%3DPHONE]=&select[]=ID&select[]=PHONE&order[ID]=ASC", token_));
  ASSERT_TRUE(first.has_field("total")) << first.serialize();
  EXPECT_EQ(first.at("total").as_integer(), 54) << "60 named, 6 without a number";
  EXPECT_EQ(first.at("next").as_integer(), 50);
  ASSERT_EQ(first.at("result").size(), 50u);
  const std::string last = first.at("result").at(49).at("ID").as_string();
  EXPECT_TRUE(first.at("result").at(0).has_field("PHONE"));
  auto second = Parse(
      emu_->Rest("crm.contact.list",
                 like + "&filter[!%3DPHONE]=&filter[%3EID]=" + last + "&order[ID]=ASC", token_));
  EXPECT_EQ(second.at("total").as_integer(), 4);
  EXPECT_EQ(second.at("result").size(), 4u);
  EXPECT_FALSE(second.has_field("next"));
  auto empty = Parse(emu_->Rest("crm.contact.list", like + "&filter[%3DPHONE]=", token_));
  EXPECT_EQ(empty.at("total").as_integer(), 6);
  const std::string gone = empty.at("result").at(0).at("ID").as_string();
  emu_->Control("POST", "/_emu/crm/delete", R"({"kind":"contact","id":)" + gone + "}");
  auto get = emu_->Rest("crm.contact.get", "id=" + gone, token_);
  EXPECT_EQ(get.status, 400);
  EXPECT_EQ(Parse(get).at("error").as_string(), "NOT_FOUND");
}

TEST_F(B24EmuTest, RequestDumpListsEveryRequestWithParsedParams) {
  emu_->Control("POST", "/_emu/requests/clear");
  emu_->Rest("crm.contact.add", "fields[NAME]=A&fields[PHONE][0][VALUE]=%2B7111&USER_ID[]=1",
             token_);
  emu_->Raw("GET", "/rest/profile");
  emu_->Raw("GET", "/oauth/token/?grant_type=refresh_token&client_id=x&client_secret=y");
  emu_->Rest("batch", "cmd[a]=profile&cmd[b]=user.admin", token_);
  Json reqs = emu_->Control("GET", "/_emu/requests").at("requests");
  ASSERT_EQ(reqs.size(), 6u) << reqs.serialize();
  Json add = reqs.at(0);
  EXPECT_EQ(add.at("rest_method").as_string(), "crm.contact.add");
  EXPECT_EQ(add.at("path").as_string(), "/rest/crm.contact.add");
  EXPECT_EQ(add.at("params").at("fields").at("PHONE").at(0).at("VALUE").as_string(), "+7111");
  EXPECT_EQ(add.at("params").at("USER_ID").at(0).as_string(), "1");
  EXPECT_EQ(add.at("user_id").as_integer(), 1);
  EXPECT_EQ(add.at("status").as_integer(), 200);
  EXPECT_EQ(reqs.at(1).at("status").as_integer(), 401);
  EXPECT_EQ(reqs.at(1).at("error").as_string(), "NO_AUTH_FOUND");
  EXPECT_EQ(reqs.at(2).at("path").as_string(), "/oauth/token/");
  EXPECT_EQ(reqs.at(2).at("status").as_integer(), 401);
  int64_t batch_seq = reqs.at(3).at("seq").as_number().to_int64();
  EXPECT_EQ(reqs.at(3).at("rest_method").as_string(), "batch");
  EXPECT_EQ(reqs.at(4).at("batch_parent").as_number().to_int64(), batch_seq);
  EXPECT_EQ(reqs.at(5).at("rest_method").as_string(), "user.admin");
}

TEST_F(B24EmuTest, FramePostCarriesPortalFieldsAndOptionsAsAString) {
  Emu echo;
  ASSERT_TRUE(echo.ready()) << echo.Log();
  std::string url = "http://127.0.0.1:" + std::to_string(echo.port()) + "/_emu/echo";
  auto r = emu_->Raw("POST", "/_emu/portal/frame",
                     R"({"url":")" + url +
                         R"(","user_id":2,"placement":"CALL_CARD","placement_options":)"
                         R"({"CALL_ID":"externalCall.abc.1","CRM_ACTIVITY_ID":"undefined"}})",
                     kJson);
  ASSERT_EQ(r.status, 200) << r.body;
  Json answer = Parse(r);
  EXPECT_EQ(answer.at("status").as_integer(), 200);
  Json seen = Json::parse(answer.at("body").as_string());
  EXPECT_EQ(seen.at("http_method").as_string(), "POST");
  Json q = seen.at("query_params");
  EXPECT_EQ(q.at("DOMAIN").as_string(), "127.0.0.1:" + std::to_string(emu_->port()));
  EXPECT_EQ(q.at("PROTOCOL").as_string(), "1");
  EXPECT_EQ(q.at("LANG").as_string(), "ru");
  EXPECT_FALSE(q.at("APP_SID").as_string().empty());
  Json f = seen.at("form");
  for (const char* key :
       {"AUTH_ID", "AUTH_EXPIRES", "REFRESH_ID", "SERVER_ENDPOINT", "APPLICATION_TOKEN",
        "APPLICATION_SCOPE", "member_id", "status", "PLACEMENT", "PLACEMENT_OPTIONS"}) {
    EXPECT_TRUE(f.has_field(key)) << key;
  }
  EXPECT_EQ(f.at("APPLICATION_TOKEN").as_string(), "apptoken-1");
  EXPECT_EQ(f.at("PLACEMENT").as_string(), "CALL_CARD");
  ASSERT_TRUE(f.at("PLACEMENT_OPTIONS").is_string());
  Json options = Json::parse(f.at("PLACEMENT_OPTIONS").as_string());
  EXPECT_EQ(options.at("CALL_ID").as_string(), "externalCall.abc.1");
  auto profile = emu_->Rest("profile", "", f.at("AUTH_ID").as_string());
  EXPECT_EQ(Parse(profile).at("result").at("ID").as_string(), "2");
  EXPECT_FALSE(Parse(profile).at("result").at("ADMIN").as_bool());
}

TEST_F(B24EmuTest, InstallCallbackThenUninstallRevokesTokens) {
  Emu echo;
  ASSERT_TRUE(echo.ready()) << echo.Log();
  std::string url = "http://127.0.0.1:" + std::to_string(echo.port()) + "/_emu/echo";
  auto r = emu_->Raw("POST", "/_emu/portal/install-callback", R"({"url":")" + url + "\"}", kJson);
  ASSERT_EQ(r.status, 200) << r.body;
  Json f = Json::parse(Parse(r).at("body").as_string()).at("form");
  EXPECT_EQ(f.at("event").as_string(), "ONAPPINSTALL");
  EXPECT_EQ(f.at("auth[application_token]").as_string(), "apptoken-1");
  EXPECT_EQ(f.at("auth[scope]").as_string(), "crm,telephony,placement,user_basic,task");
  EXPECT_EQ(f.at("auth[member_id]").as_string(), "m-test-1");
  std::string access = f.at("auth[access_token]").as_string();
  EXPECT_EQ(emu_->Rest("app.info", "", access).status, 200);
  EXPECT_EQ(emu_->Rest("event.bind", "event=ONAPPUNINSTALL&handler=" + url, access).status, 200);
  auto un = emu_->Raw("POST", "/_emu/portal/uninstall", R"({"clean":1})", kJson);
  ASSERT_EQ(un.status, 200) << un.body;
  Json uf = Json::parse(Parse(un).at("body").as_string()).at("form");
  EXPECT_EQ(uf.at("event").as_string(), "ONAPPUNINSTALL");
  EXPECT_FALSE(uf.has_field("auth[access_token]"));
  auto after = emu_->Rest("profile", "", access);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(Parse(after).at("error").as_string(), "invalid_token");
  EXPECT_EQ(emu_->Control("GET", "/_emu/state").at("event_bindings").size(), 0u);
}

TEST_F(B24EmuTest, PlacementBindIsAdminOnlyAndRemembered) {
  std::string user = emu_->Token(2);
  auto denied =
      emu_->Rest("placement.bind", "PLACEMENT=CALL_CARD&HANDLER=https%3A%2F%2Fa%2Fc", user);
  EXPECT_EQ(denied.status, 403);
  auto missing = emu_->Rest("placement.bind", "PLACEMENT=CALL_CARD", token_);
  EXPECT_EQ(Parse(missing).at("error").as_string(), "ERROR_ARGUMENT");
  auto ok = emu_->Rest("placement.bind", "PLACEMENT=CALL_CARD&HANDLER=https%3A%2F%2Fa%2Fc", token_);
  EXPECT_EQ(ok.status, 200) << ok.body;
  Json got = Parse(emu_->Rest("placement.get", "", token_)).at("result");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got.at(0).at("handler").as_string(), "https://a/c");
}

TEST_F(B24EmuTest, RenameRedirectsEachClientOnceToTheRenamedPath) {
  emu_->Control("POST", "/_emu/domain", R"({"domain":"new.bitrix24.ru"})");
  auto first = emu_->Raw("GET", "/rest/profile?auth=" + token_);
  EXPECT_EQ(first.status, 302);
  EXPECT_EQ(first.headers["location"], "http://127.0.0.1:" + std::to_string(emu_->port()) +
                                           "/renamed/rest/profile?auth=" + token_);
  EXPECT_EQ(emu_->Raw("GET", "/renamed/rest/profile?auth=" + token_).status, 200);
  EXPECT_EQ(emu_->Control("GET", "/_emu/state").at("domain").as_string(), "new.bitrix24.ru");
}

TEST_F(B24EmuTest, StopsCleanlyOnSigterm) {
  emu_->process().Signal(SIGTERM);
  EXPECT_EQ(emu_->process().Wait(10s), 0) << emu_->Log();
}

}  // namespace
}  // namespace opdesk
