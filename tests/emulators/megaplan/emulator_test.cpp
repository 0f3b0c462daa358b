// The Megaplan emulator behaves as reference megaplan.md says the account does: the multipart
// password grant, bearer tokens that end (401), the v3 envelope, GET parameters as URL-encoded
// JSON, ids as strings, deals that take their status by transition, faults on demand.
#include <gtest/gtest.h>

#include "adapters/http_transport.h"
#include "tests/support/b24emu.h"

namespace opdesk::testing {
namespace {

using web::json::value;

class MegaplanEmulatorTest : public ::testing::Test {
 protected:
  RawResponse Login(const std::string& user, const std::string& password) {
    const std::string b = "XbOuNdArY";
    std::string body;
    for (auto [k, v] : {std::pair<std::string, std::string>{"username", user},
                        {"password", password},
                        {"grant_type", "password"}}) {
      body +=
          "--" + b + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
    }
    body += "--" + b + "--\r\n";
    return HttpRequest(emu_.port(), "POST", "/api/v3/auth/access_token", body,
                       {{"Content-Type", "multipart/form-data; boundary=" + b}});
  }
  std::string Token() {
    RawResponse r = Login("bot", "bot-pass");
    EXPECT_EQ(r.status, 200) << r.body;
    return value::parse(r.body).at("access_token").as_string();
  }
  RawResponse Get(const std::string& token, const std::string& path, const std::string& json = "",
                  const std::map<std::string, std::string>& extra = {}) {
    std::map<std::string, std::string> headers = extra;
    headers["Authorization"] = "Bearer " + token;
    return HttpRequest(emu_.port(), "GET",
                       path + (json.empty() ? "" : "?" + adapters::UrlEncode(json)), "", headers);
  }
  RawResponse Post(const std::string& token, const std::string& path, const std::string& json) {
    return HttpRequest(
        emu_.port(), "POST", path, json,
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  }

  MegaplanEmulator emu_;
};

TEST_F(MegaplanEmulatorTest, PasswordGrantGives48HourTokenAndRefusesWrongPassword) {
  RawResponse ok = Login("bot", "bot-pass");
  ASSERT_EQ(ok.status, 200) << ok.body;
  value v = value::parse(ok.body);
  EXPECT_EQ(v.at("expires_in").as_integer(), 172800);
  EXPECT_EQ(v.at("token_type").as_string(), "bearer");
  RawResponse bad = Login("bot", "wrong");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(value::parse(bad.body).at("error").as_string(), "invalid_grant");
  // Not multipart: refused.
  RawResponse form = HttpRequest(emu_.port(), "POST", "/api/v3/auth/access_token",
                                 "username=bot&password=bot-pass&grant_type=password",
                                 {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form.status, 400);
}

TEST_F(MegaplanEmulatorTest, EnvelopeIdsAsStringsAndJsonQuery) {
  const std::string token = Token();
  RawResponse r = Get(token, "/api/v3/contractor", R"({"q":"+7 900 123 45 67","limit":5})");
  ASSERT_EQ(r.status, 200) << r.body;
  value v = value::parse(r.body);
  EXPECT_EQ(v.at("meta").at("status").as_integer(), 200);
  EXPECT_EQ(v.at("meta").at("errors").size(), 0u);
  ASSERT_EQ(v.at("data").size(), 1u);
  EXPECT_TRUE(v.at("data").at(0).at("id").is_string());
  EXPECT_EQ(v.at("data").at(0).at("contentType").as_string(), "ContractorHuman");
  // Inline employees by default; references plus `included` with the header.
  EXPECT_EQ(v.at("data").at(0).at("responsibles").at(0).at("firstName").as_string(), "Вера");
  RawResponse inc =
      Get(token, "/api/v3/contractor/1000100", "", {{"X-USE-INCLUDED-RESPONSE", "true"}});
  value iv = value::parse(inc.body);
  EXPECT_FALSE(iv.at("data").at("responsibles").at(0).has_field("firstName"));
  EXPECT_EQ(iv.at("included").at(0).at("id").as_string(), "1000003");
  // A query that is not JSON is a 422 in the envelope.
  RawResponse bad = HttpRequest(emu_.port(), "GET", "/api/v3/contractor?limit=5", "",
                                {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(value::parse(bad.body).at("meta").at("status").as_integer(), 422);
}

TEST_F(MegaplanEmulatorTest, ExpiredTokenAnswers401UntilNewLogin) {
  const std::string token = Token();
  EXPECT_EQ(Get(token, "/api/v3/employee").status, 200);
  emu_.Control("POST", "/_emu/tokens/expire", "{}");
  RawResponse r = Get(token, "/api/v3/employee");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(value::parse(r.body).at("meta").at("status").as_integer(), 401);
  EXPECT_EQ(Get(Token(), "/api/v3/employee").status, 200);
  EXPECT_EQ(Get("made-up", "/api/v3/employee").status, 401);
}

TEST_F(MegaplanEmulatorTest, DealTakesStatusByTransitionOnly) {
  const std::string token = Token();
  RawResponse with_state = Post(
      token, "/api/v3/deal",
      R"({"contentType":"Deal","program":{"contentType":"Program","id":"1"},"state":{"contentType":"ProgramState","id":"12"},"contractor":{"contentType":"ContractorHuman","id":"1000100"}})");
  EXPECT_EQ(with_state.status, 422);
  RawResponse created = Post(
      token, "/api/v3/deal",
      R"({"contentType":"Deal","program":{"contentType":"Program","id":"1"},"contractor":{"contentType":"ContractorHuman","id":"1000100"}})");
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = value::parse(created.body).at("data").at("id").as_string();
  EXPECT_EQ(value::parse(created.body).at("data").at("state").at("id").as_string(), "11");
  EXPECT_EQ(
      Post(token, "/api/v3/deal/" + id + "/applyTransition", R"({"transition":"102"})").status,
      422);  // 12 → 13 does not start from 11
  RawResponse moved =
      Post(token, "/api/v3/deal/" + id + "/applyTransition", R"({"transition":"101"})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(value::parse(moved.body).at("data").at("state").at("id").as_string(), "12");
}

TEST_F(MegaplanEmulatorTest, FaultsOnDemandThenNormal) {
  const std::string token = Token();
  for (int status : {403, 422, 429, 500}) {
    emu_.Control("POST", "/_emu/faults",
                 R"({"path":"/api/v3/employee","status":)" + std::to_string(status) +
                     R"(,"retry_after":2})");
    RawResponse r = Get(token, "/api/v3/employee");
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(value::parse(r.body).at("meta").at("status").as_integer(), status);
    if (status == 429) {
      EXPECT_EQ(r.headers["retry-after"], "2");
    }
    EXPECT_EQ(Get(token, "/api/v3/employee").status, 200);
  }
}

TEST_F(MegaplanEmulatorTest, CustomFieldsAreCheckedAgainstExtraFields) {
  const std::string token = Token();
  RawResponse fields = Get(token, "/api/v3/contractorHuman/extraFields");
  ASSERT_EQ(fields.status, 200);
  EXPECT_EQ(value::parse(fields.body).at("data").at(0).at("hrName").as_string(), "Линия");
  RawResponse unknown =
      Post(token, "/api/v3/contractorHuman",
           R"({"contentType":"ContractorHuman","firstName":"A","Category1CustomFieldX":"1"})");
  EXPECT_EQ(unknown.status, 422);
  RawResponse ok = Post(
      token, "/api/v3/contractorHuman",
      R"({"contentType":"ContractorHuman","firstName":"A","Category1000047CustomFieldLiniya":"74951234567"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  const std::string id = value::parse(ok.body).at("data").at("id").as_string();
  RawResponse comment = Post(token, "/api/v3/contractorHuman/" + id + "/comments",
                             R"({"content":"Входящий звонок"})");
  EXPECT_EQ(comment.status, 200) << comment.body;
  EXPECT_EQ(emu_.Control("GET", "/_emu/state").at("comments").size(), 1u);
}

}  // namespace
}  // namespace opdesk::testing
