// Dialing tasks' CRM groups end to end (FEATURES F3): the real opdesk against the portal
// emulator's crm.contact.list / get / fields. Every route's refusals (401, 403, 404 another
// portal's task); chosen CRM contacts added per id with their refusals, their numbers read when
// an operator gets them, a contact deleted in the CRM and one without a number finished with the
// reason; a CRM filter refused for an unknown field with nothing stored, its preview count, its
// pages taken one per claim across two pages with the cursor and counts stored, and two
// operators claiming at once from an empty pool never getting the same contact nor adding the
// same page twice.
#include <algorithm>
#include <set>
#include <thread>

#include "tests/e2e/campaign_fixture.h"

namespace opdesk {
namespace {

using testing::B24Emulator;
using testing::RawResponse;
using testing::WaitFor;
using web::json::value;
using namespace std::chrono_literals;

class CampaignCrmTest : public testing::CampaignFixture {
 protected:
  // Adds contacts to the portal; returns their ids in order.
  std::vector<std::string> SeedContacts(
      const std::vector<std::pair<std::string, std::string>>& name_phone) {
    const value before = b24_->Control("GET", "/_emu/state");
    std::set<std::string> had;
    for (const auto& c : before.at("contacts").as_array()) {
      had.insert(testing::P(c, "ID"));
    }
    value list = value::array(name_phone.size());
    for (std::size_t i = 0; i < name_phone.size(); ++i) {
      value c = value::object();
      c["NAME"] = value::string(name_phone[i].first);
      if (!name_phone[i].second.empty()) {
        value phone = value::object();
        phone["VALUE"] = value::string(name_phone[i].second);
        phone["VALUE_TYPE"] = value::string("WORK");
        c["PHONE"] = value::array({phone});
      }
      list[i] = c;
    }
    value body = value::object();
    body["contacts"] = list;
    const value after = b24_->Control("POST", "/_emu/seed", body.serialize());
    std::vector<std::string> ids;
    for (const auto& c : after.at("contacts").as_array()) {
      if (had.count(testing::P(c, "ID")) == 0) {
        ids.push_back(testing::P(c, "ID"));
      }
    }
    std::sort(ids.begin(), ids.end(), [](const std::string& a, const std::string& b) {
      return std::stoi(a) < std::stoi(b);
    });
    return ids;
  }

  // A running task worked by users 2 and 3, with no contacts; returns its id.
  std::string RunningTask() {
    const std::string script_id = PublishedScript();
    RawResponse created =
        Api("POST", "/api/campaigns",
            R"({"name":"Обзвон CRM","script_id":")" + script_id + R"(","employee_ids":["2","3"]})",
            supervisor_);
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id = Json(created).at("id").as_string();
    RawResponse started = Api("POST", "/api/campaigns/" + id + "/state",
                              R"({"state":"running","version":1})", supervisor_);
    EXPECT_EQ(started.status, 200) << started.body;
    return id;
  }

  void Finish(const std::string& task, const value& contact,
              const std::map<std::string, std::string>& who) {
    RawResponse r = Api(
        "PUT", "/api/campaigns/" + task + "/contacts/" + contact.at("id").as_string() + "/result",
        R"({"result":"refused","version":)" + std::to_string(contact.at("version").as_integer()) +
            "}",
        who);
    ASSERT_EQ(r.status, 200) << r.body;
  }
};

TEST_P(CampaignCrmTest, EveryRouteRefusesWithoutASessionOrTheRightToManageOrForAnotherPortal) {
  const std::map<std::string, std::string> none = {{"Content-Type", "application/json"}};
  const auto seatless = SessionOf(3);  // user 3 signs in but holds no seat
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"GET", "/api/campaign-crm/contacts?q=%D0%98%D0%B2"},
      {"GET", "/api/campaign-crm/fields"},
      {"POST", "/api/campaign-crm/count"},
      {"POST", "/api/campaigns/1/crm-contacts"},
      {"GET", "/api/campaigns/1/crm-filter"},
      {"PUT", "/api/campaigns/1/crm-filter"},
      {"DELETE", "/api/campaigns/1/crm-filter?version=1"},
      {"GET", "/api/campaigns/1/crm-filter/preview"}};
  for (const auto& [method, path] : routes) {
    EXPECT_EQ(Api(method, path, "{}", none).status, 401) << method << " " << path;
    EXPECT_EQ(Api(method, path, "{}", seatless).status, 403) << method << " " << path;
    EXPECT_EQ(Api(method, path, "{}", operator_).status, 403)
        << method << " " << path << ": a seat without the right to manage";
  }
  // Another portal's supervisor: the task is not theirs.
  const std::string task = RunningTask();
  std::unique_ptr<B24Emulator> other = std::make_unique<B24Emulator>(
      std::vector<std::string>{"--rate", "50", "--burst", "50"}, "m-test-2");
  other->ShareAuthServer(*b24_);
  other->Control("POST", "/_emu/portal/install-callback",
                 R"({"url":")" + opdesk_->url() + R"(/b24/events"})");
  ASSERT_TRUE(WaitFor([&] { return Count("b24_portals WHERE state = 'installed'") == 2; }, 30s));
  value frame = other->Control("POST", "/_emu/portal/frame",
                               R"({"url":")" + opdesk_->url() + R"(/b24/app","user_id":1})");
  std::smatch m;
  const std::string html = frame.at("body").as_string();
  ASSERT_TRUE(std::regex_search(
      html, m, std::regex(R"re((?:opdesk-session" content="|"session":")([^"]+)")re")));
  const std::map<std::string, std::string> foreign = {{"Authorization", "Bearer " + m[1].str()},
                                                      {"Content-Type", "application/json"}};
  const std::string base = "/api/campaigns/" + task;
  EXPECT_EQ(Api("POST", base + "/crm-contacts", R"({"contact_ids":["1"]})", foreign).status, 404);
  EXPECT_EQ(Api("GET", base + "/crm-filter", "", foreign).status, 404);
  EXPECT_EQ(
      Api("PUT", base + "/crm-filter",
          R"({"conditions":[{"field":"NAME","op":"eq","value":"Иван"}],"version":0})", foreign)
          .status,
      404);
  EXPECT_EQ(Api("DELETE", base + "/crm-filter?version=1", "", foreign).status, 404);
  EXPECT_EQ(Api("GET", base + "/crm-filter/preview", "", foreign).status, 404);
  EXPECT_EQ(Count("campaign_contacts"), 0);
  EXPECT_EQ(Count("campaign_crm_filters"), 0);
}

TEST_P(CampaignCrmTest, ChosenContactsAreAddedPerIdAndTheirNumbersReadWhenHandedOut) {
  const auto ids = SeedContacts({{"Тестов Первый", "8 (900) 111-22-33"},
                                 {"Тестов Второй", "+79002223344"},
                                 {"Тестов Безномерный", ""},
                                 {"Тестов Удалённый", "+79004445566"}});
  ASSERT_EQ(ids.size(), 4u);
  // The search by name and by number.
  RawResponse found = Api(
      "GET", "/api/campaign-crm/contacts?q=%D0%A2%D0%B5%D1%81%D1%82%D0%BE%D0%B2", "", supervisor_);
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(Json(found).at("contacts").size(), 4u);
  RawResponse by_number =
      Api("GET", "/api/campaign-crm/contacts?q=%2B79002223344", "", supervisor_);
  ASSERT_EQ(by_number.status, 200) << by_number.body;
  ASSERT_EQ(Json(by_number).at("contacts").size(), 1u);
  EXPECT_EQ(Json(by_number).at("contacts").at(0).at("id").as_string(), ids[1]);
  RawResponse short_query = Api("GET", "/api/campaign-crm/contacts?q=a", "", supervisor_);
  EXPECT_EQ(short_query.status, 400);
  EXPECT_EQ(Field(short_query), "q");

  const std::string task = RunningTask();
  const std::string path = "/api/campaigns/" + task + "/crm-contacts";
  RawResponse bad = Api("POST", path, R"({"contact_ids":[5]})", supervisor_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Field(bad), "contact_ids[0]");
  RawResponse added = Api("POST", path,
                          R"({"contact_ids":[")" + ids[0] + R"(",")" + ids[1] + R"(",")" + ids[0] +
                              R"(","x1","999999",")" + ids[2] + R"(",")" + ids[3] + R"("]})",
                          supervisor_);
  ASSERT_EQ(added.status, 200) << added.body;
  const value outcome = Json(added);
  ASSERT_EQ(outcome.at("added").size(), 4u) << added.body;
  EXPECT_EQ(outcome.at("added").at(0).at("crm_id").as_string(), ids[0]);
  EXPECT_EQ(outcome.at("added").at(0).at("name").as_string(), "Тестов Первый");
  std::map<std::string, std::string> refused;
  for (const auto& r : outcome.at("refused").as_array()) {  // `outcome` outlives the loop
    refused[r.at("crm_id").as_string()] = r.at("reason").as_string();
  }
  EXPECT_EQ(refused,
            (std::map<std::string, std::string>{
                {ids[0], "duplicate_in_request"}, {"x1", "bad_id"}, {"999999", "not_found"}}));
  // The same contact again: refused, nothing added.
  RawResponse again = Api("POST", path, R"({"contact_ids":[")" + ids[1] + R"("]})", supervisor_);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(Json(again).at("added").size(), 0u);
  EXPECT_EQ(Json(again).at("refused").at(0).at("reason").as_string(), "duplicate_in_task");
  EXPECT_EQ(Count("campaign_contacts WHERE source = 'crm_contact' AND phone = ''"), 4);

  // The CRM changes after the contacts were added: the first one's number, the last deleted.
  b24_->Control("POST", "/_emu/crm/delete", R"({"kind":"contact","id":)" + ids[3] + "}");
  const value first = Next(task, operator_);
  ASSERT_TRUE(first.is_object());
  EXPECT_EQ(first.at("source").as_string(), "crm_contact");
  EXPECT_EQ(first.at("phone").as_string(), "+79001112233") << "read from the CRM, normalised";
  Finish(task, first, operator_);
  const value second = Next(task, operator_);
  ASSERT_TRUE(second.is_object());
  EXPECT_EQ(second.at("phone").as_string(), "+79002223344");
  Finish(task, second, operator_);
  // The next two cannot be called: finished with the reason, never handed out.
  const value none = Next(task, operator_);
  EXPECT_TRUE(none.is_null()) << none.serialize();
  RawResponse list =
      Api("GET", "/api/campaigns/" + task + "/contacts?status=done", "", supervisor_);
  ASSERT_EQ(list.status, 200) << list.body;
  std::map<std::string, std::string> comments;
  const value done = Json(list);
  for (const auto& c : done.at("contacts").as_array()) {
    comments[testing::P(c, "name")] = testing::P(c, "comment");
  }
  EXPECT_EQ(comments["Тестов Безномерный"], "У контакта в CRM нет телефона");
  EXPECT_EQ(comments["Тестов Удалённый"], "Контакт удалён из CRM");
  EXPECT_EQ(Count("campaign_contacts WHERE status = 'done'"), 4);
}

TEST_P(CampaignCrmTest, AFilterIsCheckedAgainstTheCrmsFieldsAndTakenAPageAPerClaim) {
  // 60 matching contacts: two pages; one duplicate number and one without a number among them.
  std::vector<std::pair<std::string, std::string>> seed;
  for (int i = 0; i < 60; ++i) {
    seed.push_back({"Акция " + std::to_string(i), "+7901" + std::to_string(1000000 + i)});
  }
  seed[5].second = "";
  seed[7].second = seed[6].second;
  seed.push_back({"Другой", "+79019999999"});
  SeedContacts(seed);
  const std::string task = RunningTask();
  const std::string path = "/api/campaigns/" + task + "/crm-filter";

  RawResponse fields = Api("GET", "/api/campaign-crm/fields", "", supervisor_);
  ASSERT_EQ(fields.status, 200) << fields.body;
  bool has_name = false;
  const value field_list = Json(fields);
  for (const auto& f : field_list.at("fields").as_array()) {
    has_name = has_name || f.at("id").as_string() == "NAME";
  }
  EXPECT_TRUE(has_name);

  RawResponse unknown = Api("PUT", path,
                            R"({"conditions":[{"field":"NAME","op":"contains","value":"Акция"},)"
                            R"({"field":"UF_CRM_NOPE","op":"eq","value":"1"}],"version":0})",
                            supervisor_);
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(Field(unknown), "crm_filter.conditions[1].field");
  RawResponse bad_op =
      Api("PUT", path, R"({"conditions":[{"field":"NAME","op":"like","value":"x"}],"version":0})",
          supervisor_);
  EXPECT_EQ(Field(bad_op), "crm_filter.conditions[0].op");
  EXPECT_EQ(Count("campaign_crm_filters"), 0) << "nothing stored";

  RawResponse counted =
      Api("POST", "/api/campaign-crm/count",
          R"({"conditions":[{"field":"NAME","op":"contains","value":"Акция"}]})", supervisor_);
  ASSERT_EQ(counted.status, 200) << counted.body;
  EXPECT_EQ(Json(counted).at("matching").as_integer(), 60);

  RawResponse saved = Api("PUT", path,
                          R"({"conditions":[{"field":"NAME","op":"contains","value":"Акция"},)"
                          R"({"field":"PHONE","op":"not_empty","value":""}],"version":0})",
                          supervisor_);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Json(saved).at("version").as_integer(), 1);
  RawResponse stale =
      Api("PUT", path, R"({"conditions":[{"field":"NAME","op":"eq","value":"x"}],"version":0})",
          supervisor_);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(Field(stale), "version");
  RawResponse preview = Api("GET", path + "/preview", "", supervisor_);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(Json(preview).at("matching").as_integer(), 59) << "the one without a number";
  EXPECT_EQ(Json(preview).at("taken").as_integer(), 0);

  // The pool is empty: the first claim takes the first page (49 contacts, a duplicate number
  // skipped), the 50th claim after 49 results the second (the remaining 9), then nothing more.
  b24_->Control("POST", "/_emu/requests/clear");
  std::set<std::string> given;
  for (int i = 0; i < 58; ++i) {
    const value c = Next(task, operator_);
    ASSERT_TRUE(c.is_object()) << "claim " << i;
    EXPECT_EQ(c.at("source").as_string(), "crm_filter");
    EXPECT_TRUE(given.insert(c.at("phone").as_string()).second) << c.serialize();
    Finish(task, c, operator_);
  }
  EXPECT_TRUE(Next(task, operator_).is_null());
  EXPECT_EQ(b24_->CountRequests("crm.contact.list"), 2) << "one page per claim that needed one";
  const value stored = Json(Api("GET", path, "", supervisor_));
  EXPECT_EQ(stored.at("taken").as_integer(), 58);
  EXPECT_EQ(stored.at("skipped").as_integer(), 1);
  EXPECT_TRUE(stored.at("exhausted").as_bool());
  EXPECT_EQ(Count("campaign_contacts WHERE source = 'crm_filter'"), 58);
  EXPECT_EQ(Count("campaign_crm_filters WHERE cursor_id <> ''"), 1);

  // Deleting the filter: versioned; the contacts it gave stay.
  EXPECT_EQ(Api("DELETE", path + "?version=2", "", supervisor_).status, 409);
  EXPECT_EQ(Api("DELETE", path + "?version=1", "", supervisor_).status, 204);
  EXPECT_EQ(Count("campaign_contacts WHERE source = 'crm_filter'"), 58);
}

TEST_P(CampaignCrmTest, TwoOperatorsClaimingFromAnEmptyPoolNeverShareAContactOrAPage) {
  std::vector<std::pair<std::string, std::string>> seed;
  for (int i = 0; i < 70; ++i) {
    seed.push_back({"Параллель " + std::to_string(i), "+7902" + std::to_string(1000000 + i)});
  }
  SeedContacts(seed);
  GiveSeat(3);
  const auto operator2 = SessionOf(3);
  const std::string task = RunningTask();
  RawResponse saved =
      Api("PUT", "/api/campaigns/" + task + "/crm-filter",
          R"({"conditions":[{"field":"NAME","op":"contains","value":"Параллель"}],"version":0})",
          supervisor_);
  ASSERT_EQ(saved.status, 200) << saved.body;
  for (int round = 0; round < 3; ++round) {
    value a, b;
    std::thread first([&] { a = Next(task, operator_); });
    std::thread second([&] { b = Next(task, operator2); });
    first.join();
    second.join();
    ASSERT_TRUE(a.is_object()) << a.serialize();
    ASSERT_TRUE(b.is_object()) << b.serialize();
    EXPECT_NE(a.at("id").as_string(), b.at("id").as_string());
    EXPECT_NE(a.at("phone").as_string(), b.at("phone").as_string());
    Finish(task, a, operator_);
    Finish(task, b, operator2);
  }
  EXPECT_EQ(Count("campaign_contacts WHERE source = 'crm_filter'"), 50)
      << "the first page added once, however many operators read it";
  EXPECT_EQ(Json(Api("GET", "/api/campaigns/" + task + "/crm-filter", "", supervisor_))
                .at("taken")
                .as_integer(),
            50);
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignCrmTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
