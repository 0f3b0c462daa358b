// After a dialing task's call, end to end (FEATURES F6, F7): the real opdesk between the portal
// emulator and the Mango emulator. E-mail templates and their refusals (no session, no right to
// manage, an unknown variable, the free plan with its Russian message); the operator's draft
// (the task's template rendered, the client's and the operator's addresses from the portal);
// the e-mail sent once as the client's e-mail activity although the portal first answers 503;
// the recording upload refused for a wrong type and a too large file and attached to the
// client's timeline; the products paged; and an invoice with two products and an adjusted price
// made once as a smart invoice with its product rows, as the emulator stored them.
#include "tests/e2e/mango_fixture.h"

namespace opdesk {
namespace {

using testing::RawResponse;
using testing::WaitFor;
using web::json::value;
using namespace std::chrono_literals;

constexpr const char* kScript =
    R"({"name":"Обзвон","draft":{"start_step":"a","steps":[)"
    R"({"id":"a","title":"Приветствие","hint":"Здравствуйте!","x":0,"y":0,"fields":[],)"
    R"("next":[]}]}})";
constexpr const char* kClientPhone = "+79005550177";

class CampaignAfterTest : public testing::MangoFixture {
 protected:
  void SetUp() override {
    // Few attempts, so that a CRM that keeps refusing is given up on within a test.
    extra_env_["OPDESK_JOBS_MAX_ATTEMPTS"] = "4";
    MangoFixture::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    supervisor_ = SessionOf(1);
    operator_ = SessionOf(2);
    SetPlan("standard");
    RawResponse role = Api("POST", "/api/settings/roles", R"({"name":"Оператор"})", supervisor_);
    ASSERT_EQ(role.status, 201) << role.body;
    RawResponse assigned =
        Api("PUT", "/api/settings/users/2",
            R"({"role_id":")" + Json(role).at("id").as_string() + R"("})", supervisor_);
    ASSERT_EQ(assigned.status, 200) << assigned.body;
    // The client the number belongs to, with an e-mail address.
    b24_->Control("POST", "/_emu/seed",
                  R"({"contacts":[{"NAME":"Пётр","LAST_NAME":"Покупателев",)"
                  R"("PHONE":[{"VALUE":")" +
                      std::string(kClientPhone) +
                      R"(","VALUE_TYPE":"WORK"}],)"
                      R"("EMAIL":[{"VALUE":"petr@client.example","VALUE_TYPE":"WORK"}]}]})");
    client_id_ = ClientId();
    ASSERT_FALSE(client_id_.empty());
    // A running task worked by the operator, who has the client's number open.
    RawResponse script = Api("POST", "/api/settings/scripts", kScript, supervisor_);
    ASSERT_EQ(script.status, 201) << script.body;
    const std::string script_id = Json(script).at("id").as_string();
    ASSERT_EQ(Api("POST", "/api/settings/scripts/" + script_id + "/publish", R"({"version":1})",
                  supervisor_)
                  .status,
              200);
    RawResponse task = Api("POST", "/api/campaigns",
                           R"({"name":"Весенняя акция","description":"","script_id":")" +
                               script_id + R"(","employee_ids":["2"]})",
                           supervisor_);
    ASSERT_EQ(task.status, 201) << task.body;
    task_ = Json(task).at("id").as_string();
    ASSERT_EQ(Api("POST", "/api/campaigns/" + task_ + "/import",
                  std::string(kClientPhone) + ";Пётр Покупателев", supervisor_)
                  .status,
              200);
    ASSERT_EQ(Api("POST", "/api/campaigns/" + task_ + "/state",
                  R"({"state":"running","version":1})", supervisor_)
                  .status,
              200);
    RawResponse next = Api("POST", "/api/campaigns/" + task_ + "/next", "", operator_);
    ASSERT_EQ(next.status, 200) << next.body;
    contact_ = Json(next).at("contact").at("id").as_string();
    base_ = "/api/campaigns/" + task_ + "/contacts/" + contact_;
  }

  void SetPlan(const std::string& plan) {
    RawResponse r = Api("PUT", "/api/admin/tenants/" + b24_->member_id() + "/plan",
                        plan == "free" ? R"({"plan":"free"})"
                                       : R"({"plan":")" + plan + R"(","until":"2099-12-31"})",
                        {{"Authorization", std::string("Bearer ") + testing::kAdminToken},
                         {"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 200) << r.body;
  }

  std::string ClientId() {
    for (const value& c : Portal("contacts", "NAME", "Пётр")) {
      return testing::P(c, "ID");
    }
    return "";
  }

  std::string CreateTemplate() {
    RawResponse r = Api("POST", "/api/campaign-templates",
                        R"({"name":"После звонка","subject":"{{TASK.NAME}}: договорённости",)"
                        R"("body":"Здравствуйте, {{CONTACT.NAME}}! Вам писал {{OPERATOR.NAME}}."})",
                        supervisor_);
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r).at("id").as_string();
  }

  // The action once it has left "queued".
  value Settled(const std::string& key) {
    value found;
    WaitFor(
        [&] {
          const value draft = Json(Api("GET", base_ + "/after", "", operator_));
          for (const value& a : draft.at("actions").as_array()) {
            if (a.at("key").as_string() == key && a.at("state").as_string() != "queued") {
              found = a;
              return true;
            }
          }
          return false;
        },
        20s);
    return found;
  }

  std::vector<value> Email(const std::string& subject) {
    std::vector<value> out;
    const value state = b24_->Control("GET", "/_emu/state");
    for (const value& a : state.at("activities").as_array()) {
      if (testing::P(a, "TYPE_ID") == "4" && testing::P(a, "SUBJECT") == subject) {
        out.push_back(a);
      }
    }
    return out;
  }

  std::map<std::string, std::string> supervisor_;
  std::map<std::string, std::string> operator_;
  std::string client_id_;
  std::string task_;
  std::string contact_;
  std::string base_;
};

TEST_P(CampaignAfterTest, RoutesRefuseWithoutASessionTheRightToManageOrForAnotherTask) {
  const std::map<std::string, std::string> none = {{"Content-Type", "application/json"}};
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/campaign-templates"},
           {"POST", "/api/campaign-templates"},
           {"PUT", "/api/campaign-templates/1"},
           {"DELETE", "/api/campaign-templates/1?version=1"},
           {"PUT", "/api/campaigns/1/email-template"},
           {"GET", "/api/campaigns/1/contacts/1/after"},
           {"POST", "/api/campaigns/1/contacts/1/email"},
           {"POST", "/api/campaigns/1/contacts/1/recording"},
           {"GET", "/api/campaigns/1/products"},
           {"POST", "/api/campaigns/1/contacts/1/invoice"}}) {
    EXPECT_EQ(Api(method, path, "{}", none).status, 401) << method << " " << path;
  }
  // The operator may not manage templates.
  EXPECT_EQ(
      Api("POST", "/api/campaign-templates", R"({"name":"x","subject":"x","body":"x"})", operator_)
          .status,
      403);
  EXPECT_EQ(
      Api("PUT", "/api/campaigns/" + task_ + "/email-template", R"({"template_id":""})", operator_)
          .status,
      403);
  // A task or contact of no one's.
  EXPECT_EQ(Api("GET", "/api/campaigns/999/contacts/" + contact_ + "/after", "", operator_).status,
            404);
  EXPECT_EQ(Api("GET", "/api/campaigns/" + task_ + "/contacts/999/after", "", operator_).status,
            404);
}

TEST_P(CampaignAfterTest, TemplatesNameAnUnknownVariableAndTheFreePlanIsRefusedInRussian) {
  RawResponse bad = Api("POST", "/api/campaign-templates",
                        R"({"name":"x","subject":"Счёт {{DEAL.SUM}}","body":"x"})", supervisor_);
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(Field(bad), "subject");
  EXPECT_NE(bad.body.find("{{DEAL.SUM}}"), std::string::npos) << bad.body;
  EXPECT_EQ(Count("campaign_email_templates"), 0) << "nothing stored";

  const std::string id = CreateTemplate();
  RawResponse list = Api("GET", "/api/campaign-templates", "", supervisor_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Json(list).at("templates").size(), 1u);
  EXPECT_EQ(Json(list).at("variables").size(), 5u);
  RawResponse stale = Api("PUT", "/api/campaign-templates/" + id,
                          R"({"name":"a","subject":"b","body":"c","version":7})", supervisor_);
  EXPECT_EQ(stale.status, 409) << stale.body;

  SetPlan("free");
  RawResponse refused = Api("POST", "/api/campaign-templates",
                            R"({"name":"x","subject":"x","body":"x"})", supervisor_);
  ASSERT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(Field(refused), "plan");
  EXPECT_NE(refused.body.find("доступна только на платных тарифах"), std::string::npos)
      << refused.body;
  RawResponse email = Api("POST", base_ + "/email",
                          R"({"request_id":"r1","to":"petr@client.example","subject":"Тема",)"
                          R"("body":"Текст"})",
                          operator_);
  ASSERT_EQ(email.status, 403) << email.body;
  EXPECT_EQ(Field(email), "plan");
  EXPECT_EQ(Count("campaign_after_actions"), 0);
  EXPECT_FALSE(Json(Api("GET", base_ + "/after", "", operator_)).at("email_allowed").as_bool());
}

TEST_P(CampaignAfterTest, TheEmailIsSentOnceAsTheClientsActivityAfterA503) {
  const std::string id = CreateTemplate();
  ASSERT_EQ(Api("PUT", "/api/campaigns/" + task_ + "/email-template",
                R"({"template_id":")" + id + R"("})", supervisor_)
                .status,
            200);
  RawResponse draft = Api("GET", base_ + "/after", "", operator_);
  ASSERT_EQ(draft.status, 200) << draft.body;
  const value d = Json(draft);
  EXPECT_EQ(d.at("subject").as_string(), "Весенняя акция: договорённости");
  EXPECT_EQ(d.at("body").as_string(),
            "Здравствуйте, Пётр Покупателев! Вам писал Борис Операторов.");
  EXPECT_EQ(d.at("to").as_string(), "petr@client.example") << "the client's address in the CRM";
  EXPECT_EQ(d.at("copy_to").as_string(), "user2@example.test") << "the operator's own";
  EXPECT_TRUE(d.at("email_allowed").as_bool());

  // Bad addresses name the field and change nothing.
  RawResponse bad =
      Api("POST", base_ + "/email",
          R"({"request_id":"r1","to":"petr@","subject":"Тема","body":"Текст"})", operator_);
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(Field(bad), "to");
  EXPECT_EQ(Count("campaign_after_actions"), 0);

  // The portal refuses the first e-mail with a 503; the outbox tries again.
  b24_->Control("POST", "/_emu/faults",
                R"({"method":"crm.activity.add","status":503,"error":"INTERNAL_SERVER_ERROR",)"
                R"("count":1})");
  const std::string body =
      R"({"request_id":"mail-1","to":"petr@client.example","subject":"Наша встреча",)"
      R"("body":"Добрый день!","copy_to_me":true})";
  RawResponse sent = Api("POST", base_ + "/email", body, operator_);
  ASSERT_EQ(sent.status, 202) << sent.body;
  const std::string key = Json(sent).at("key").as_string();
  RawResponse again = Api("POST", base_ + "/email", body, operator_);
  ASSERT_EQ(again.status, 202) << "a repeat of the request id";
  EXPECT_EQ(Json(again).at("key").as_string(), key);

  const value done = Settled(key);
  ASSERT_TRUE(done.is_object()) << opdesk_->Log();
  EXPECT_EQ(done.at("state").as_string(), "done") << done.serialize();
  const std::vector<value> emails = Email("Наша встреча");
  ASSERT_EQ(emails.size(), 1u) << "sent once";
  EXPECT_EQ(testing::P(emails[0], "OWNER_ID"), client_id_);
  EXPECT_EQ(testing::P(emails[0], "OWNER_TYPE_ID"), "3");
  EXPECT_EQ(testing::P(emails[0], "DESCRIPTION"), "Добрый день!");
  const value comms = emails[0].at("COMMUNICATIONS");
  ASSERT_EQ(comms.size(), 2u);
  EXPECT_EQ(testing::P(comms.at(0), "VALUE"), "petr@client.example");
  EXPECT_EQ(testing::P(comms.at(1), "VALUE"), "user2@example.test") << "the copy to the operator";
  EXPECT_EQ(done.at("crm_id").as_string(), testing::P(emails[0], "ID"));
  EXPECT_GE(Count("jobs WHERE kind = 'campaign.email' AND attempts >= 2"), 1)
      << "the first attempt met the 503";
}

TEST_P(CampaignAfterTest, AnEmailTheCrmKeepsRefusingIsFailedWithTheReasonAtTheLastAttempt) {
  // The portal answers every e-mail with a 503: the outbox tries again until its last attempt
  // (4 here), and then the action shows it failed, with the reason, instead of waiting on.
  b24_->Control("POST", "/_emu/faults",
                R"({"method":"crm.activity.add","status":503,"error":"INTERNAL_SERVER_ERROR",)"
                R"("count":0})");
  RawResponse sent = Api("POST", base_ + "/email",
                         R"({"request_id":"mail-down","to":"petr@client.example",)"
                         R"("subject":"Не дойдёт","body":"Текст"})",
                         operator_);
  ASSERT_EQ(sent.status, 202) << sent.body;
  const std::string key = Json(sent).at("key").as_string();
  const value failed = Settled(key);
  ASSERT_TRUE(failed.is_object()) << opdesk_->Log();
  EXPECT_EQ(failed.at("state").as_string(), "failed") << failed.serialize();
  const std::string error = failed.at("error").as_string();
  EXPECT_NE(error.find("gave up after 4 attempts"), std::string::npos) << error;
  EXPECT_NE(error.find("INTERNAL_SERVER_ERROR"), std::string::npos) << error;
  EXPECT_TRUE(Email("Не дойдёт").empty());
  EXPECT_EQ(Count("jobs WHERE kind = 'campaign.email' AND state = 'dead'"), 0)
      << "the job ends with the action settled, not in the dead letters";
  EXPECT_EQ(Count("jobs WHERE kind = 'campaign.email' AND state = 'done' AND attempts = 4"), 1);
}

TEST_P(CampaignAfterTest, RecordingsAreCheckedByContentAndAttachedToTheTimeline) {
  const std::string path = base_ + "/recording?request_id=rec-1&filename=";
  std::map<std::string, std::string> audio = operator_;
  audio["Content-Type"] = "application/octet-stream";
  RawResponse pdf = Api("POST", path + "call.mp3", "%PDF-1.7 not a recording", audio);
  ASSERT_EQ(pdf.status, 400) << pdf.body;
  EXPECT_EQ(Field(pdf), "file");
  RawResponse exe = Api("POST", path + "call.exe", "ID3 whatever", audio);
  ASSERT_EQ(exe.status, 400) << exe.body;
  const std::string big(10 * 1024 * 1024 + 1, 'I');
  RawResponse too_big = Api("POST", path + "call.mp3", big, audio);
  EXPECT_EQ(too_big.status, 413) << too_big.body.substr(0, 200);
  EXPECT_EQ(Count("campaign_recordings"), 0);

  const std::string mp3 =
      std::string("ID3\x04\x00\x00\x00\x00\x00\x00", 10) + std::string(300 * 1024, '\x55');
  RawResponse ok = Api("POST", path + "call.mp3", mp3, audio);
  ASSERT_EQ(ok.status, 202) << ok.body;
  const value done = Settled(Json(ok).at("key").as_string());
  ASSERT_TRUE(done.is_object()) << opdesk_->Log();
  EXPECT_EQ(done.at("state").as_string(), "done") << done.serialize();
  bool attached = false;
  const value state = b24_->Control("GET", "/_emu/state");
  for (const value& c : state.at("comments").as_array()) {
    if (testing::P(c, "ENTITY_ID") == client_id_ && c.has_field("FILES")) {
      const value& f = c.at("FILES").at(0);
      EXPECT_EQ(f.at("name").as_string(), "call.mp3");
      EXPECT_EQ(f.at("size").as_integer(), static_cast<int>(mp3.size()));
      EXPECT_EQ(f.at("head_hex").as_string(), "4944330400000000");
      EXPECT_NE(testing::P(c, "COMMENT").find("Весенняя акция"), std::string::npos);
      attached = true;
    }
  }
  EXPECT_TRUE(attached) << "the recording is in the client's timeline";
  EXPECT_EQ(Count("campaign_recording_chunks"), 0) << "dropped once the CRM has it";
}

TEST_P(CampaignAfterTest, AnInvoiceWithTwoProductsAndAnAdjustedPriceIsMadeOnce) {
  RawResponse products = Api("GET", "/api/campaigns/" + task_ + "/products", "", operator_);
  ASSERT_EQ(products.status, 200) << products.body;
  const value list = Json(products).at("products");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list.at(1).at("name").as_string(), "Тариф «Бизнес»");
  EXPECT_EQ(list.at(1).at("price").as_string(), "20000.00");
  EXPECT_TRUE(Json(products).at("next_after").is_null());

  RawResponse negative =
      Api("POST", base_ + "/invoice",
          R"({"request_id":"inv-0","lines":[{"product_id":"2","quantity":1,"price":"-5"}]})",
          operator_);
  ASSERT_EQ(negative.status, 400) << negative.body;
  EXPECT_EQ(Field(negative), "lines[0].price");
  RawResponse no_qty = Api(
      "POST", base_ + "/invoice",
      R"({"request_id":"inv-0","lines":[{"product_id":"2","quantity":0,"price":"5"}]})", operator_);
  EXPECT_EQ(Field(no_qty), "lines[0].quantity");
  EXPECT_EQ(Count("campaign_after_actions"), 0);

  // The client paid for «Старт» already: «Бизнес» for the difference, and two setups.
  const std::string body =
      R"({"request_id":"inv-1","cancel_date":"2027-01-31","lines":[)"
      R"({"product_id":"2","name":"Тариф «Бизнес»","quantity":1,"price":"10000"},)"
      R"({"product_id":"3","name":"Настройка телефонии","quantity":2,"price":4500.5}]})";
  RawResponse made = Api("POST", base_ + "/invoice", body, operator_);
  ASSERT_EQ(made.status, 202) << made.body;
  EXPECT_EQ(Json(made).at("detail").at("total").as_string(), "19001.00");
  const value done = Settled(Json(made).at("key").as_string());
  ASSERT_TRUE(done.is_object()) << opdesk_->Log();
  ASSERT_EQ(done.at("state").as_string(), "done") << done.serialize();
  ASSERT_EQ(Api("POST", base_ + "/invoice", body, operator_).status, 202) << "a repeat";

  const value invoices = b24_->Control("GET", "/_emu/state").at("invoices");
  ASSERT_EQ(invoices.size(), 1u) << "made once";
  const value& inv = invoices.at(0);
  EXPECT_EQ(testing::P(inv, "id"), done.at("crm_id").as_string());
  EXPECT_EQ(testing::P(inv, "contactId"), client_id_);
  EXPECT_EQ(testing::P(inv, "closedate"), "2027-01-31");
  const value rows = inv.at("productRows");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows.at(0).at("productId").as_integer(), 2);
  EXPECT_DOUBLE_EQ(rows.at(0).at("price").as_double(), 10000.0) << "the adjusted price";
  EXPECT_EQ(rows.at(1).at("productId").as_integer(), 3);
  EXPECT_DOUBLE_EQ(rows.at(1).at("price").as_double(), 4500.5);
  EXPECT_DOUBLE_EQ(rows.at(1).at("quantity").as_double(), 2.0);
  EXPECT_DOUBLE_EQ(inv.at("opportunity").as_double(), 19001.0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignAfterTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
