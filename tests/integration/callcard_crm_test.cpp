// The CRM side of the call card against the portal emulator, on both database backends: finding
// the client by phone, reading the role's fields with their linked records, validated saves with
// the operator's token, and button actions run through the outbox without duplicates. Also a
// call's new client created with the answering employee's own token (seed 004).
#include <cpprest/json.h>
#include <gtest/gtest.h>

#include "adapters/bitrix24/bitrix24_crm.h"
#include "adapters/bitrix24/crm_card.h"
#include "connector/callcard/button_actions.h"
#include "connector/jobs/job_store.h"
#include "connector/storage/bitrix24_repositories.h"
#include "oauth/bitrix24/token_store.h"
#include "oauth/crypto.h"
#include "tests/support/b24emu.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using bitrix24::CrmRef;
using web::json::value;

class CallcardCrmTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    emu_ = std::make_unique<testing::B24Emulator>(
        std::vector<std::string>{"--rate", "1000", "--burst", "1000"});
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    db_ = test_db_->Open(true, 4);
    box_ = std::make_unique<crypto::SecretBox>(crypto::RandomBytes(32));
    tokens_ = std::make_unique<bitrix24::TokenStore>(
        *db_, *box_, clock_, http_,
        bitrix24::AppCredentials{"app.test", "secret.test", emu_->base() + "/", true});
    rest_ = std::make_unique<bitrix24::RestClient>(*db_, *tokens_, limiter_, http_, clock_);
    card_ = std::make_unique<bitrix24::CrmCard>(*rest_, clock_);
    B24Portal p;
    p.tenant_id = emu_->member_id();
    p.domain = "test.bitrix24.ru";
    p.client_endpoint = emu_->rest_endpoint();
    p.server_endpoint = emu_->rest_endpoint();
    p.state = "installed";
    p.installer_user_id = "1";
    p.rate_per_s = 1000;
    p.burst = 1000;
    storage::InTransaction(
        *db_, [&](storage::Session& s) { storage::B24PortalRepository::Upsert(s, p); });
    emu_->Control("POST", "/_emu/seed",
                  R"({"users":[{"ID":5,"NAME":"Ольга","LAST_NAME":"Читатель",)"
                  R"("UF_PHONE_INNER":"105","CRM_READ_ONLY":true}],)"
                  R"("leads":[{"TITLE":"Лид с сайта","PHONE":[{"VALUE":"+7 (900) 123-45-67"}]}],)"
                  R"("deals":[{"TITLE":"Старая","CONTACT_ID":"1","STAGE_ID":"WON"},)"
                  R"({"TITLE":"Поставка","CONTACT_ID":"1","OPPORTUNITY":"1500"}]})");
    for (const char* user : {"1", "2", "5"}) {
      value issued =
          emu_->Control("POST", "/_emu/tokens/issue", std::string(R"({"user_id":)") + user + "}");
      bitrix24::TokenGrant grant;
      grant.access_token = issued.at("access_token").as_string();
      grant.refresh_token = issued.at("refresh_token").as_string();
      tokens_->Save(emu_->member_id(), user, grant);
    }
  }

  std::string Tenant() const { return emu_->member_id(); }
  value State() { return emu_->Control("GET", "/_emu/state"); }
  value Contact() { return State().at("contacts").at(0); }

  // Runs every queued call-card action the way a worker would, until none is left.
  int RunActions(callcard::ButtonActionRunner& runner) {
    int runs = 0;
    for (int round = 0; round < 20; ++round) {
      jobs::JobStore::ClaimRequest request;
      request.owner = "test";
      request.kinds = {callcard::kActionJob.name};
      request.now = clock_.NowMs();
      request.max_count = 10;
      auto claimed = jobs::JobStore::Claim(*db_, request).claimed;
      if (claimed.empty()) {
        return runs;
      }
      for (const jobs::Job& job : claimed) {
        ++runs;
        try {
          runner.Run(job, callcard::kActionJob.decode(job.payload));
          jobs::JobStore::MarkDone(*db_, job.id, "test", clock_.NowMs());
        } catch (const Error& e) {
          jobs::JobStore::MarkRetry(*db_, job.id, "test", clock_.NowMs(), clock_.NowMs(),
                                    std::string(ToString(e.code())), e.what());
        }
      }
    }
    return runs;
  }

  ButtonPress Press(const std::string& press_id, std::vector<PressedAction> actions,
                    const std::string& entity = "contact", const std::string& id = "1") {
    ButtonPress p;
    p.tenant_id = Tenant();
    p.press_id = press_id;
    p.user_id = "2";
    p.button_id = "b1";
    p.entity = entity;
    p.entity_id = id;
    p.actions = std::move(actions);
    for (std::size_t i = 0; i < p.actions.size(); ++i) {
      p.actions[i].index = static_cast<int>(i);
    }
    return p;
  }

  ButtonPress Stored(const std::string& press_id) {
    std::optional<storage::PressRow> row;
    storage::WithSession(*db_, [&](storage::Session& s) {
      row = storage::ButtonPressRepository::Find(s, Tenant(), press_id);
    });
    return callcard::DecodePress(row.value());
  }

  SystemClock clock_;
  adapters::HttpTransport http_{{true, 16, "opdesk-test"}};
  bitrix24::PortalRateLimiter limiter_{clock_};
  std::unique_ptr<testing::B24Emulator> emu_;
  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<crypto::SecretBox> box_;
  std::unique_ptr<bitrix24::TokenStore> tokens_;
  std::unique_ptr<bitrix24::RestClient> rest_;
  std::unique_ptr<bitrix24::CrmCard> card_;
};

const std::vector<FieldRef> kRoleFields = {
    {"contact", "NAME", true},           {"contact", "PHONE", true},
    {"contact", "EMAIL", true},          {"contact", "BIRTHDATE", true},
    {"contact", "UF_CRM_SEGMENT", true}, {"contact", "LAST_NAME", false},
    {"company", "TITLE", true},          {"deal", "OPPORTUNITY", true},
    {"deal", "STAGE_ID", true},          {"lead", "TITLE", true},
};

TEST_P(CallcardCrmTest, MatchesPutTheBoundEntityFirstThenEveryRecordWithThatPhone) {
  const value matches = card_->FindMatches(Tenant(), "2", "79001234567", CrmRef{"company", "1"});
  ASSERT_EQ(matches.size(), 3u) << matches.serialize();
  EXPECT_EQ(matches.at(0).at("entity").as_string(), "company");
  EXPECT_EQ(matches.at(0).at("title").as_string(), "ООО Ромашка");
  EXPECT_EQ(matches.at(1).at("entity").as_string(), "contact");
  EXPECT_EQ(matches.at(1).at("title").as_string(), "Иван Клиентов");
  EXPECT_EQ(matches.at(2).at("entity").as_string(), "lead");
  EXPECT_EQ(matches.at(2).at("title").as_string(), "Лид с сайта");
  EXPECT_EQ(card_->FindMatches(Tenant(), "2", "+7 800 000-00-01", std::nullopt).size(), 0u);
}

TEST_P(CallcardCrmTest, MatchesFoundByPhoneComeWithTheirResponsiblesForTheRoutingCache) {
  std::vector<adapters::ClientResponsibles> by_phone;
  card_->FindMatches(Tenant(), "2", "79001234567", CrmRef{"company", "1"}, &by_phone);
  // The bound company has another number: only what the phone found, in the order found.
  ASSERT_EQ(by_phone.size(), 2u);
  EXPECT_EQ(by_phone[0].client, (adapters::CrmRecord{"contact", "1"}));
  ASSERT_EQ(by_phone[0].responsibles.size(), 1u);
  EXPECT_EQ(by_phone[0].responsibles[0].id, "3") << "the seeded contact's ASSIGNED_BY_ID";
  EXPECT_EQ(by_phone[1].client.entity, "lead");
  ASSERT_EQ(by_phone[1].responsibles.size(), 1u);
  EXPECT_EQ(by_phone[1].responsibles[0].id, "1");
  by_phone.clear();
  card_->FindMatches(Tenant(), "2", "+7 800 000-00-01", std::nullopt, &by_phone);
  EXPECT_TRUE(by_phone.empty());
}

TEST_P(CallcardCrmTest, SectionsShowTheRolesFieldsOfTheClientItsCompanyAndItsOpenDeal) {
  value update = value::object();
  update["id"] = value::number(1);
  update["fields"]["COMPANY_ID"] = value::string("1");
  rest_->Call(Tenant(), "crm.contact.update", update);

  const value out = card_->LoadSections(Tenant(), "2", {"contact", "1"}, kRoleFields);
  const value& sections = out.at("sections");
  ASSERT_EQ(sections.size(), 3u) << out.serialize();
  const value& contact = sections.at(0);
  EXPECT_EQ(contact.at("title").as_string(), "Иван Клиентов");
  const value& fields = contact.at("fields");
  ASSERT_EQ(fields.size(), 6u);
  EXPECT_EQ(fields.at(0).at("code").as_string(), "NAME");
  EXPECT_EQ(fields.at(0).at("value").as_string(), "Иван");
  EXPECT_TRUE(fields.at(0).at("editable").as_bool());
  EXPECT_EQ(fields.at(1).at("type").as_string(), "phone");
  EXPECT_EQ(fields.at(1).at("value").at(0).at("value").as_string(), "+79001234567");
  EXPECT_EQ(fields.at(3).at("type").as_string(), "date");
  EXPECT_EQ(fields.at(4).at("type").as_string(), "enumeration");
  EXPECT_EQ(fields.at(4).at("items").size(), 3u);
  EXPECT_FALSE(fields.at(5).at("editable").as_bool()) << "locked by the role";
  EXPECT_EQ(sections.at(1).at("entity").as_string(), "company");
  const value& deal = sections.at(2);
  EXPECT_EQ(deal.at("title").as_string(), "Поставка") << "the open deal, not the won one";
  EXPECT_EQ(deal.at("fields").at(1).at("type").as_string(), "crm_status");
  EXPECT_EQ(deal.at("fields").at(1).at("items").size(), 5u) << "stages of the general pipeline";
}

TEST_P(CallcardCrmTest, SaveWritesWithTheOperatorsTokenAndReturnsTheFreshSection) {
  value values = value::object();
  values["NAME"] = value::string("Иван Петрович");
  values["BIRTHDATE"] = value::string("1980-02-29");
  values["UF_CRM_SEGMENT"] = value::string("3");
  values["EMAIL"][0]["value"] = value::string("ivan@example.ru");
  // The old phone is left out of the list: it is deleted.
  values["PHONE"][0]["value"] = value::string("+7 495 111-22-33");
  const value section = card_->Save(Tenant(), "2", {"contact", "1"}, values, kRoleFields, "ru");
  EXPECT_EQ(section.at("fields").at(0).at("value").as_string(), "Иван Петрович");
  const value contact = Contact();
  EXPECT_EQ(contact.at("NAME").as_string(), "Иван Петрович");
  EXPECT_EQ(contact.at("MODIFY_BY_ID").as_string(), "2") << "written as the operator";
  EXPECT_EQ(contact.at("UF_CRM_SEGMENT").as_string(), "3");
  ASSERT_EQ(contact.at("PHONE").size(), 1u) << contact.serialize();
  EXPECT_EQ(contact.at("PHONE").at(0).at("VALUE").as_string(), "+7 495 111-22-33");
  EXPECT_EQ(contact.at("EMAIL").at(0).at("VALUE").as_string(), "ivan@example.ru");
}

TEST_P(CallcardCrmTest, InvalidValuesAreRefusedNamingTheFieldAndNothingIsWritten) {
  const int before = emu_->CountRequests("batch");
  auto refused = [&](const char* code, value v, const char* lang = "ru") -> std::string {
    value values = value::object();
    values[code] = std::move(v);
    try {
      card_->Save(Tenant(), "2", {"contact", "1"}, values, kRoleFields, lang);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << code;
      EXPECT_EQ(e.field(), code);
      return e.what();
    }
    ADD_FAILURE() << code << " accepted";
    return "";
  };
  value bad_email = value::array();
  bad_email[0]["value"] = value::string("ivan@");
  EXPECT_EQ(refused("EMAIL", bad_email), "Некорректный e-mail");
  value short_phone = value::array();
  short_phone[0]["value"] = value::string("12");
  refused("PHONE", short_phone);
  value foreign_row = value::array();
  foreign_row[0]["id"] = value::string("999");
  foreign_row[0]["value"] = value::string("+74951112233");
  refused("PHONE", foreign_row);
  EXPECT_EQ(refused("BIRTHDATE", value::string("1981-02-29"), "en"), "Enter a date as YYYY-MM-DD");
  refused("UF_CRM_SEGMENT", value::string("9"));
  refused("LAST_NAME", value::string("Locked"));
  refused("COMMENTS", value::string("not on the card"));
  refused("NAME", value::number(5));
  EXPECT_EQ(emu_->CountRequests("batch"), before + 1) << "only the one catalog load";
  EXPECT_EQ(emu_->CountRequests("crm.contact.update"), 0);
  EXPECT_EQ(Contact().at("NAME").as_string(), "Иван");
}

TEST_P(CallcardCrmTest, CrmRefusalsComeBackNextToTheFieldOrAsNoPermission) {
  emu_->Control("POST", "/_emu/faults",
                R"({"method":"crm.contact.update","status":400,"error":"ERROR_CORE",)"
                R"("description":"Поле \"Имя\" содержит недопустимые символы"})");
  value values = value::object();
  values["NAME"] = value::string("<b>");
  try {
    card_->Save(Tenant(), "2", {"contact", "1"}, values, kRoleFields, "ru");
    FAIL() << "refusal swallowed";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(e.field(), "NAME");
    EXPECT_NE(std::string(e.what()).find("недопустимые"), std::string::npos) << e.what();
  }
  try {
    card_->Save(Tenant(), "5", {"contact", "1"}, values, kRoleFields, "ru");
    FAIL() << "a read-only user wrote";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kPermissionDenied) << e.what();
  }
  EXPECT_EQ(Contact().at("NAME").as_string(), "Иван");
}

PressedAction Action(const std::string& kind) {
  PressedAction a;
  a.kind = kind;
  return a;
}

TEST_P(CallcardCrmTest, EveryActionKindMakesItsRestCallAsTheOperator) {
  PressedAction comment = Action("comment");
  comment.text = "Клиент просил <script>alert(1)</script> перезвонить";
  PressedAction callback = Action("callback");
  callback.title = "Перезвонить";
  callback.deadline = "2026-12-01T10:00:00+03:00";
  PressedAction meeting = Action("meeting");
  meeting.title = "Встреча";
  meeting.deadline = "2026-12-02T15:00:00+03:00";
  PressedAction task = Action("task");
  task.title = "Отправить КП";
  task.text = "Коммерческое предложение";
  task.deadline = "2026-12-03T18:00:00+03:00";
  task.responsible = "3";
  PressedAction stage = Action("deal_stage");
  stage.category_id = "0";
  stage.stage_id = "PREPARATION";
  const ButtonPress press = Press("p-all", {comment, callback, meeting, task, stage});
  bool stored = false;
  storage::InTransaction(
      *db_, [&](storage::Session& s) { stored = callcard::StorePress(s, press, clock_.NowMs()); });
  ASSERT_TRUE(stored);
  bitrix24::Bitrix24Crm crm(*rest_);
  callcard::ButtonActionRunner runner(*db_, crm, clock_);
  EXPECT_EQ(RunActions(runner), 5);

  const ButtonPress done = Stored("p-all");
  for (const PressedAction& a : done.actions) {
    EXPECT_EQ(a.state, "done") << a.kind << ": " << a.error;
  }
  const value st = State();
  ASSERT_EQ(st.at("comments").size(), 1u);
  EXPECT_EQ(st.at("comments").at(0).at("COMMENT").as_string(), comment.text);
  ASSERT_EQ(st.at("activities").size(), 2u);
  EXPECT_EQ(st.at("activities").at(0).at("RESPONSIBLE_ID").as_string(), "2");
  ASSERT_EQ(st.at("tasks").size(), 1u);
  EXPECT_EQ(st.at("tasks").at(0).at("responsibleId").as_string(), "3");
  EXPECT_EQ(st.at("tasks").at(0).at("ufCrmTask").at(0).as_string(), "C_1");
  bool moved = false;
  for (const auto& d : st.at("deals").as_array()) {
    moved = moved || (d.at("TITLE").as_string() == "Поставка" &&
                      d.at("STAGE_ID").as_string() == "PREPARATION");
  }
  EXPECT_TRUE(moved) << st.at("deals").serialize();
}

TEST_P(CallcardCrmTest, ThePressIdMakesAPressHappenOnceAndMissingTargetsFailWithAReason) {
  PressedAction comment = Action("comment");
  comment.text = "Первый";
  PressedAction status = Action("lead_status");
  status.status_id = "IN_PROCESS";
  const ButtonPress press = Press("p-once", {comment, status});
  int stored = 0;
  for (int i = 0; i < 2; ++i) {
    storage::InTransaction(*db_, [&](storage::Session& s) {
      stored += callcard::StorePress(s, press, clock_.NowMs()) ? 1 : 0;
    });
  }
  EXPECT_EQ(stored, 1);
  bitrix24::Bitrix24Crm crm(*rest_);
  callcard::ButtonActionRunner runner(*db_, crm, clock_);
  EXPECT_EQ(RunActions(runner), 2);
  const ButtonPress done = Stored("p-once");
  EXPECT_EQ(done.actions.at(0).state, "done");
  EXPECT_EQ(done.actions.at(1).state, "failed");
  EXPECT_NE(done.actions.at(1).error.find("нет лида"), std::string::npos)
      << done.actions.at(1).error;
  EXPECT_EQ(State().at("comments").size(), 1u);
}

TEST_P(CallcardCrmTest, AnActionThatMayHaveReachedTheCrmIsNeverSentAgain) {
  PressedAction comment = Action("comment");
  comment.text = "Один раз";
  const ButtonPress press = Press("p-crash", {comment});
  storage::InTransaction(*db_, [&](storage::Session& s) {
    callcard::StorePress(s, press, clock_.NowMs());
    // As if a worker had claimed the action and died while the request was out.
    ButtonPress sending = press;
    sending.actions[0].state = "sending";
    storage::ButtonPressRepository::SaveActions(
        s, Tenant(), "p-crash", callcard::EncodePress(sending).actions_json, clock_.NowMs());
  });
  bitrix24::Bitrix24Crm crm(*rest_);
  callcard::ButtonActionRunner runner(*db_, crm, clock_);
  RunActions(runner);
  const ButtonPress after = Stored("p-crash");
  EXPECT_EQ(after.actions.at(0).state, "failed");
  EXPECT_NE(after.actions.at(0).error.find("проверьте"), std::string::npos);
  EXPECT_EQ(State().at("comments").size(), 0u);
  EXPECT_EQ(emu_->CountRequests("crm.timeline.comment.add"), 0);
}

TEST_P(CallcardCrmTest, APortalOutageDelaysAnActionAndItRunsWhenThePortalIsBack) {
  emu_->Control(
      "POST", "/_emu/faults",
      R"({"method":"crm.timeline.comment.add","status":503,"error":"INTERNAL_SERVER_ERROR",)"
      R"("description":"down","count":2})");
  PressedAction comment = Action("comment");
  comment.text = "После сбоя";
  const ButtonPress press = Press("p-outage", {comment});
  storage::InTransaction(
      *db_, [&](storage::Session& s) { callcard::StorePress(s, press, clock_.NowMs()); });
  bitrix24::Bitrix24Crm crm(*rest_);
  callcard::ButtonActionRunner runner(*db_, crm, clock_);
  EXPECT_EQ(RunActions(runner), 3) << "two refusals, then success";
  EXPECT_EQ(Stored("p-outage").actions.at(0).state, "done");
  EXPECT_EQ(State().at("comments").size(), 1u);
}

TEST_P(CallcardCrmTest, ACallsClientIsCreatedWithTheAnsweringEmployeesOwnToken) {
  bitrix24::Bitrix24Crm crm(*rest_);
  auto created_by = [&](const std::string& id) {
    const value state = State();
    for (const auto& contact : state.at("contacts").as_array()) {
      if (contact.at("ID").as_string() == id) {
        return contact.at("CREATED_BY_ID").as_string();
      }
    }
    return std::string("no contact ") + id;
  };
  adapters::NewClient c;
  c.origin = {"opdesk", "mango:e-own-token"};
  c.contact = true;
  c.name = "Новый клиент";
  c.phone = "+79005550077";
  c.responsible_user_id = "2";
  c.creator_user_id = "2";  // answered by user 2, who has authorised the app
  const adapters::CreatedClient own = crm.CreateClient(Tenant(), c);
  ASSERT_FALSE(own.error) << own.error->what();
  ASSERT_FALSE(own.contact_id.empty());
  EXPECT_EQ(created_by(own.contact_id), "2") << "added with the employee's own token";

  // User 3 holds no token in opdesk: the installer adds the client (CREATED_BY_ID is read-only).
  c.origin = {"opdesk", "mango:e-no-token"};
  c.phone = "+79005550078";
  c.responsible_user_id = "3";
  c.creator_user_id = "3";
  const adapters::CreatedClient installer = crm.CreateClient(Tenant(), c);
  ASSERT_FALSE(installer.error) << installer.error->what();
  EXPECT_EQ(created_by(installer.contact_id), "1");
}

INSTANTIATE_TEST_SUITE_P(Backends, CallcardCrmTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
