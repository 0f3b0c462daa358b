// Working a dialing task end to end (FEATURES F4, F5): the real opdesk between the portal
// emulator and the Mango emulator. The task's pinned script version served to its operators
// (still the pinned one after a newer version is published; the refusals), the caller's
// callbacks and next calls, their Bitrix24 notifications (once, not before their time, none for
// a contact released or finished before it), and ten operator sessions taking contacts in
// parallel over HTTP until none is left: each contact handed out exactly once.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "tests/e2e/campaign_fixture.h"

namespace opdesk {
namespace {

using testing::RawResponse;
using testing::WaitFor;
using web::json::value;
using namespace std::chrono_literals;

class CampaignWorkTest : public testing::CampaignFixture {
 protected:
  void SetUp() override {
    // Callbacks whose time has come are looked for every second.
    extra_env_["OPDESK_CAMPAIGNS_REMINDER_INTERVAL_SECONDS"] = "1";
    plan_ = "unlimited";
    CampaignFixture::SetUp();
  }
};

TEST_P(CampaignWorkTest, TheTaskServesItsPinnedScriptVersionAfterANewerOneIsPublished) {
  const std::string script = PublishedScript();
  const std::string id = RunningTask(script, R"("2")", "+79001110001");

  // A newer version: the hint changes, published as version 2.
  std::string draft = testing::kCampaignScript;
  draft.replace(draft.find("Здравствуйте!"), std::string("Здравствуйте!").size(), "Добрый день!");
  draft.insert(draft.size() - 1, R"(,"version":1)");
  RawResponse saved = Api("PUT", "/api/settings/scripts/" + script, draft, supervisor_);
  ASSERT_EQ(saved.status, 200) << saved.body;
  RawResponse published =
      Api("POST", "/api/settings/scripts/" + script + "/publish",
          R"({"version":)" + Json(saved).at("version").serialize() + "}", supervisor_);
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(Json(published).at("published_version").as_integer(), 2);

  RawResponse pinned = Api("GET", "/api/campaigns/" + id + "/script", "", operator_);
  ASSERT_EQ(pinned.status, 200) << pinned.body;
  const value body = Json(pinned);
  EXPECT_EQ(body.at("version").as_integer(), 1) << pinned.body;
  EXPECT_EQ(body.at("start_step").as_string(), "a");
  ASSERT_EQ(body.at("steps").size(), 1u);
  EXPECT_EQ(body.at("steps").at(0).at("hint").as_string(), "Здравствуйте!");
  // The same shape as the call card's script of that version.
  RawResponse card = Api("GET", "/api/settings/scripts/" + script + "/versions/1", "", supervisor_);
  ASSERT_EQ(card.status, 200) << card.body;
  EXPECT_EQ(Json(card).at("steps").serialize(), body.at("steps").serialize());

  // Restarting the task pins the newer version.
  const long long version = Json(Api("GET", "/api/campaigns/" + id, "", supervisor_))
                                .at("version")
                                .as_number()
                                .to_int64();
  ASSERT_EQ(Api("POST", "/api/campaigns/" + id + "/state",
                R"({"state":"paused","version":)" + std::to_string(version) + "}", supervisor_)
                .status,
            200);
  ASSERT_EQ(Api("POST", "/api/campaigns/" + id + "/state",
                R"({"state":"running","version":)" + std::to_string(version + 1) + "}", supervisor_)
                .status,
            200);
  const value again = Json(Api("GET", "/api/campaigns/" + id + "/script", "", operator_));
  EXPECT_EQ(again.at("version").as_integer(), 2);
  EXPECT_EQ(again.at("steps").at(0).at("hint").as_string(), "Добрый день!");
}

TEST_P(CampaignWorkTest, ThePinnedScriptRefusesOutsidersDraftsAndADeletedScript) {
  const std::string script = PublishedScript();
  const std::string id = RunningTask(script, R"("2")", "+79001110001");
  const std::string path = "/api/campaigns/" + id + "/script";
  EXPECT_EQ(Api("GET", path, "", {{"Content-Type", "application/json"}}).status, 401);
  EXPECT_EQ(Api("GET", path, "", SessionOf(3)).status, 403) << "no seat";
  GiveSeat(3);
  RawResponse stranger = Api("GET", path, "", SessionOf(3));
  EXPECT_EQ(stranger.status, 403) << "a seat, but not an employee of the task";
  RawResponse manager = Api("GET", path, "", supervisor_);
  EXPECT_EQ(manager.status, 403) << "a manager who does not work the task runs no script";
  EXPECT_EQ(Api("GET", "/api/campaigns/999999/script", "", operator_).status, 404);
  EXPECT_EQ(Api("GET", "/api/campaigns/x/script", "", operator_).status, 400);

  // A draft has no pinned version yet.
  RawResponse draft = Api(
      "POST", "/api/campaigns",
      R"({"name":"Черновик","script_id":")" + script + R"(","employee_ids":["2"]})", supervisor_);
  ASSERT_EQ(draft.status, 201) << draft.body;
  RawResponse not_started =
      Api("GET", "/api/campaigns/" + Json(draft).at("id").as_string() + "/script", "", operator_);
  EXPECT_EQ(not_started.status, 409) << not_started.body;
  EXPECT_EQ(Field(not_started), "state");

  // Deleted under the running task.
  ASSERT_EQ(Api("DELETE", "/api/settings/scripts/" + script + "?version=1", "", supervisor_).status,
            204);
  RawResponse gone = Api("GET", path, "", operator_);
  EXPECT_EQ(gone.status, 409) << gone.body;
  EXPECT_EQ(Field(gone), "script_id");
}

TEST_P(CampaignWorkTest, RemindersListTheCallersCallbacksAndNextCallsOnly) {
  const std::string script = PublishedScript();
  const std::string id =
      RunningTask(script, R"("2","3")", "+79001110001\n+79001110002\n+79001110003");
  EXPECT_EQ(Api("GET", "/api/campaigns/reminders", "", SessionOf(3)).status, 403) << "no seat";
  GiveSeat(3);
  const auto other = SessionOf(3);
  EXPECT_EQ(
      Api("GET", "/api/campaigns/reminders", "", {{"Content-Type", "application/json"}}).status,
      401);
  RawResponse empty = Api("GET", "/api/campaigns/reminders", "", operator_);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(Json(empty).at("reminders").size(), 0u);

  auto take = [&](const std::map<std::string, std::string>& who) {
    RawResponse r = Api("POST", "/api/campaigns/" + id + "/next", "", who);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).at("contact");
  };
  const long long now = Json(empty).at("now_ms").as_number().to_int64();
  auto result = [&](const value& contact, const std::string& body,
                    const std::map<std::string, std::string>& who) {
    RawResponse r =
        Api("PUT", "/api/campaigns/" + id + "/contacts/" + contact.at("id").as_string() + "/result",
            body + R"(,"version":)" + contact.at("version").serialize() + "}", who);
    EXPECT_EQ(r.status, 200) << r.body;
  };
  const value later = take(operator_);
  result(later, R"({"result":"call_back","at":)" + std::to_string(now + 7'200'000), operator_);
  const value sooner = take(operator_);
  result(sooner, R"({"result":"talked","at":)" + std::to_string(now + 3'600'000), operator_);
  const value theirs = take(other);
  result(theirs, R"({"result":"call_back","at":)" + std::to_string(now + 600'000), other);

  const value mine = Json(Api("GET", "/api/campaigns/reminders", "", operator_));
  ASSERT_EQ(mine.at("reminders").size(), 2u) << mine.serialize();
  EXPECT_EQ(mine.at("reminders").at(0).at("contact").at("id").as_string(),
            sooner.at("id").as_string())
      << "earliest first";
  EXPECT_EQ(mine.at("reminders").at(0).at("task_name").as_string(), "Обзвон базы");
  EXPECT_EQ(mine.at("reminders").at(0).at("task_id").as_string(), id);
  EXPECT_FALSE(mine.at("reminders").at(0).at("due").as_bool());
  EXPECT_EQ(mine.at("reminders").at(1).at("contact").at("result").as_string(), "call_back");
  EXPECT_EQ(Json(Api("GET", "/api/campaigns/reminders", "", other)).at("reminders").size(), 1u);
}

// Ten operators, each with their own portal user, session and seat, take contacts of one task in
// parallel over HTTP until nothing is left; every contact is handed out once and to one of them.
TEST_P(CampaignWorkTest, TenOperatorsInParallelNeverGetTheSameContact) {
  constexpr int kOperators = 10;
  constexpr int kContacts = 200;
  constexpr int kFirstUser = 11;
  std::string users = R"({"users":[)";
  std::string employees;
  for (int i = 0; i < kOperators; ++i) {
    const std::string uid = std::to_string(kFirstUser + i);
    users += std::string(i ? "," : "") + R"({"ID":)" + uid + R"(,"NAME":"Оператор )" + uid +
             R"(","LAST_NAME":"Тестов","UF_PHONE_INNER":"2)" + uid + R"("})";
    employees += std::string(i ? "," : "") + "\"" + uid + "\"";
  }
  b24_->Control("POST", "/_emu/seed", users + "]}");
  std::vector<std::map<std::string, std::string>> sessions;
  for (int i = 0; i < kOperators; ++i) {
    GiveSeat(kFirstUser + i);
    sessions.push_back(SessionOf(kFirstUser + i));
  }
  std::string numbers;
  for (int i = 0; i < kContacts; ++i) {
    numbers += "+7900" + std::to_string(2000000 + i) + "\n";
  }
  const std::string id = RunningTask(PublishedScript(), employees, numbers);

  std::mutex mu;
  std::map<std::string, std::string> handed;  // contact id → operator
  std::vector<std::string> duplicates;
  std::vector<std::string> failures;
  std::atomic<bool> stop{false};
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  std::vector<std::thread> threads;
  for (int i = 0; i < kOperators; ++i) {
    threads.emplace_back([&, i] {
      const std::string me = std::to_string(kFirstUser + i);
      while (!stop && std::chrono::steady_clock::now() < deadline) {
        RawResponse next = Api("POST", "/api/campaigns/" + id + "/next", "", sessions[i]);
        if (next.status != 200) {
          std::lock_guard lock(mu);
          failures.push_back(me + ": " + std::to_string(next.status) + " " + next.body);
          return;
        }
        const value contact = value::parse(next.body).at("contact");
        if (contact.is_null()) {
          return;  // nothing left for this operator
        }
        const std::string cid = contact.at("id").as_string();
        // Finish it so that the next call hands out another one.
        RawResponse done =
            Api("PUT", "/api/campaigns/" + id + "/contacts/" + cid + "/result",
                R"({"result":"refused","version":)" + contact.at("version").serialize() + "}",
                sessions[i]);
        std::lock_guard lock(mu);
        if (contact.at("operator_id").as_string() != me) {
          failures.push_back(cid + " locked to " + contact.at("operator_id").as_string());
        }
        if (!handed.emplace(cid, me).second) {
          duplicates.push_back(cid + " to " + handed[cid] + " and " + me);
        }
        if (done.status != 200) {
          failures.push_back(cid + " result: " + std::to_string(done.status) + " " + done.body);
          stop = true;
        }
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_TRUE(duplicates.empty()) << duplicates.front();
  EXPECT_TRUE(failures.empty()) << failures.front();
  EXPECT_LT(std::chrono::steady_clock::now(), deadline) << "the operators did not finish in time";
  EXPECT_EQ(handed.size(), static_cast<std::size_t>(kContacts));
  std::set<std::string> workers;
  for (const auto& [cid, who] : handed) {
    workers.insert(who);
  }
  EXPECT_GT(workers.size(), 1u) << "the operators took contacts side by side";
  EXPECT_EQ(Count("campaign_contacts WHERE status = 'done'"), kContacts);
  EXPECT_EQ(Count("campaign_contacts WHERE status <> 'done'"), 0);
}

TEST_P(CampaignWorkTest, ACallbackIsNotifiedToItsOperatorOnceWhenItsTimeComes) {
  const std::string id = RunningTask(PublishedScript(), R"("2")", "+79001110001\n+79001110002");
  RawResponse next = Api("POST", "/api/campaigns/" + id + "/next", "", operator_);
  ASSERT_EQ(next.status, 200) << next.body;
  const value contact = Json(next).at("contact");
  const long long now = Json(Api("GET", "/api/campaigns/reminders", "", operator_))
                            .at("now_ms")
                            .as_number()
                            .to_int64();
  const long long at = now + 4000;
  RawResponse set =
      Api("PUT", "/api/campaigns/" + id + "/contacts/" + contact.at("id").as_string() + "/result",
          R"({"result":"call_back","at":)" + std::to_string(at) +
              R"(,"comment":"после обеда","version":)" + contact.at("version").serialize() + "}",
          operator_);
  ASSERT_EQ(set.status, 200) << set.body;

  // Not before its time: the sweep runs every second and sends nothing yet.
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(Requests("im.notify.personal.add").size(), 0u);
  const value upcoming = Json(Api("GET", "/api/campaigns/reminders", "", operator_));
  ASSERT_EQ(upcoming.at("reminders").size(), 1u);
  EXPECT_FALSE(upcoming.at("reminders").at(0).at("due").as_bool());

  // Its time comes: one notification to the operator, in Russian, with the task and number.
  ASSERT_TRUE(WaitFor([&] { return !Requests("im.notify.personal.add").empty(); }, 20s))
      << opdesk_->Log();
  const value params = Requests("im.notify.personal.add").at(0).at("params");
  EXPECT_EQ(testing::P(params, "USER_ID"), "2");
  const std::string text = testing::P(params, "MESSAGE");
  EXPECT_NE(text.find("Пора перезвонить: +79001110001"), std::string::npos) << text;
  EXPECT_NE(text.find("обзвон «Обзвон базы»"), std::string::npos) << text;
  EXPECT_NE(text.find("[URL=https://"), std::string::npos) << text;
  EXPECT_GE(Requests("im.notify.personal.add").at(0).at("at_ms").as_number().to_int64(), at);
  // Once: later sweeps send nothing more.
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(Requests("im.notify.personal.add").size(), 1u);
  EXPECT_EQ(Count("jobs WHERE kind = 'campaign.reminder'"), 1);
  const value due = Json(Api("GET", "/api/campaigns/reminders", "", operator_));
  ASSERT_EQ(due.at("reminders").size(), 1u);
  EXPECT_TRUE(due.at("reminders").at(0).at("due").as_bool());

  // Taken again and rescheduled: the new time is notified once more.
  RawResponse again = Api("POST", "/api/campaigns/" + id + "/next", "", operator_);
  ASSERT_EQ(again.status, 200) << again.body;
  const value reopened = Json(again).at("contact");
  EXPECT_EQ(reopened.at("id").as_string(), contact.at("id").as_string()) << "the due callback";
  const long long later = at + 5000;
  ASSERT_EQ(
      Api("PUT", "/api/campaigns/" + id + "/contacts/" + reopened.at("id").as_string() + "/result",
          R"({"result":"talked","at":)" + std::to_string(later) + R"(,"version":)" +
              reopened.at("version").serialize() + "}",
          operator_)
          .status,
      200);
  ASSERT_TRUE(WaitFor([&] { return Requests("im.notify.personal.add").size() == 2; }, 20s));
  EXPECT_NE(testing::P(Requests("im.notify.personal.add").at(1).at("params"), "MESSAGE")
                .find("Напоминание о звонке: +79001110001"),
            std::string::npos);
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(Requests("im.notify.personal.add").size(), 2u);
}

TEST_P(CampaignWorkTest, NoReminderForAContactReleasedOrFinishedBeforeItsTime) {
  const std::string id =
      RunningTask(PublishedScript(), R"("2")", "+79001110001\n+79001110002\n+79001110003");
  const long long now = Json(Api("GET", "/api/campaigns/reminders", "", operator_))
                            .at("now_ms")
                            .as_number()
                            .to_int64();
  const long long at = now + 3000;
  std::vector<value> contacts;
  for (int i = 0; i < 3; ++i) {
    const value c =
        Json(Api("POST", "/api/campaigns/" + id + "/next", "", operator_)).at("contact");
    RawResponse set =
        Api("PUT", "/api/campaigns/" + id + "/contacts/" + c.at("id").as_string() + "/result",
            R"({"result":"call_back","at":)" + std::to_string(at + i) + R"(,"version":)" +
                c.at("version").serialize() + "}",
            operator_);
    ASSERT_EQ(set.status, 200) << set.body;
    contacts.push_back(Json(set));
  }
  // The first goes back to the pool, the second is finished by hand; the third stays.
  auto status = [&](const value& c, const std::string& to) {
    RawResponse r = Api(
        "PUT", "/api/campaigns/" + id + "/contacts/" + c.at("id").as_string() + "/status",
        R"({"status":")" + to + R"(","version":)" + c.at("version").serialize() + "}", operator_);
    EXPECT_EQ(r.status, 200) << r.body;
  };
  status(contacts[0], "new");
  status(contacts[1], "done");
  ASSERT_TRUE(WaitFor([&] { return !Requests("im.notify.personal.add").empty(); }, 20s))
      << opdesk_->Log();
  std::this_thread::sleep_for(3s);
  const auto sent = Requests("im.notify.personal.add");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(testing::P(sent[0].at("params"), "MESSAGE").find("+79001110003"), std::string::npos);
  EXPECT_EQ(Count("jobs WHERE kind = 'campaign.reminder'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignWorkTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
