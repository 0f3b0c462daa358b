#include "tests/e2e/campaign_fixture.h"

namespace opdesk::testing {

void CampaignFixture::SetUp() {
  MangoFixture::SetUp();
  if (HasFatalFailure()) {
    return;
  }
  supervisor_ = SessionOf(1);
  RawResponse plan = Api("PUT", "/api/admin/tenants/" + b24_->member_id() + "/plan",
                         R"({"plan":")" + plan_ + R"(","until":"2099-12-31"})",
                         {{"Authorization", std::string("Bearer ") + kAdminToken},
                          {"Content-Type", "application/json"}});
  ASSERT_EQ(plan.status, 200) << plan.body;
  RawResponse role = Api("POST", "/api/settings/roles", R"({"name":"Оператор"})", supervisor_);
  ASSERT_EQ(role.status, 201) << role.body;
  role_id_ = Json(role).at("id").as_string();
  GiveSeat(2);
  operator_ = SessionOf(2);
}

void CampaignFixture::GiveSeat(int user) {
  RawResponse assigned = Api("PUT", "/api/settings/users/" + std::to_string(user),
                             R"({"role_id":")" + role_id_ + R"("})", supervisor_);
  ASSERT_EQ(assigned.status, 200) << assigned.body;
}

std::string CampaignFixture::PublishedScript(const std::string& name) {
  std::string body = kCampaignScript;
  body.replace(body.find("Обзвон"), std::string("Обзвон").size(), name);
  RawResponse created = Api("POST", "/api/settings/scripts", body, supervisor_);
  EXPECT_EQ(created.status, 201) << created.body;
  const std::string id = Json(created).at("id").as_string();
  RawResponse published =
      Api("POST", "/api/settings/scripts/" + id + "/publish", R"({"version":1})", supervisor_);
  EXPECT_EQ(published.status, 200) << published.body;
  return id;
}

std::string CampaignFixture::RunningTask(const std::string& script, const std::string& employees,
                                         const std::string& numbers) {
  RawResponse created =
      Api("POST", "/api/campaigns",
          R"({"name":"Обзвон базы","description":"Весенняя акция","script_id":")" + script +
              R"(","employee_ids":[)" + employees +
              R"(],"retry":{"max_attempts":2,"spacing_minutes":30}})",
          supervisor_);
  EXPECT_EQ(created.status, 201) << created.body;
  const std::string id = Json(created).at("id").as_string();
  RawResponse imported = Api("POST", "/api/campaigns/" + id + "/import", numbers, supervisor_);
  EXPECT_EQ(imported.status, 200) << imported.body;
  RawResponse started = Api("POST", "/api/campaigns/" + id + "/state",
                            R"({"state":"running","version":1})", supervisor_);
  EXPECT_EQ(started.status, 200) << started.body;
  return id;
}

value CampaignFixture::Next(const std::string& task,
                            const std::map<std::string, std::string>& who) {
  RawResponse r = Api("POST", "/api/campaigns/" + task + "/next", "", who);
  EXPECT_EQ(r.status, 200) << r.body;
  return Json(r).at("contact");
}

}  // namespace opdesk::testing
