// Dialing tasks end to end (FEATURES F3–F5, F8): the real opdesk between the portal emulator
// (users, roles through the settings API, a script) and the Mango emulator (commands/callback).
// Each route's refusals (401 no session, 403 no seat or no right to manage, 404 another portal's
// task, 400 naming the field, 409 a contact someone else has or a stale version), a task from
// draft to running with its script's version pinned, an import with its per-line report, working
// the list (next, results, retries, «Новый» / «Завершён» by hand), counts, filters, CSV export,
// deleting contacts, click-to-call of the operator's contact, and a script deleted under a
// running task.
#include "tests/e2e/campaign_fixture.h"

namespace opdesk {
namespace {

using testing::B24Emulator;
using testing::RawResponse;
using testing::WaitFor;
using web::json::value;
using namespace std::chrono_literals;

class CampaignApiTest : public testing::CampaignFixture {
 protected:
  value Counts(const std::string& task) {
    RawResponse r = Api("GET", "/api/campaigns/" + task, "", supervisor_);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).at("counts");
  }

  std::map<std::string, std::string> ForeignSupervisor(std::unique_ptr<B24Emulator>& other) {
    other = std::make_unique<B24Emulator>(std::vector<std::string>{"--rate", "50", "--burst", "50"},
                                          "m-test-2");
    other->ShareAuthServer(*b24_);
    other->Control("POST", "/_emu/portal/install-callback",
                   R"({"url":")" + opdesk_->url() + R"(/b24/events"})");
    EXPECT_TRUE(WaitFor([&] { return Count("b24_portals WHERE state = 'installed'") == 2; }, 30s));
    value frame = other->Control("POST", "/_emu/portal/frame",
                                 R"({"url":")" + opdesk_->url() + R"(/b24/app","user_id":1})");
    std::smatch m;
    const std::string html = frame.at("body").as_string();
    EXPECT_TRUE(std::regex_search(
        html, m, std::regex(R"re((?:opdesk-session" content="|"session":")([^"]+)")re")));
    return {{"Authorization", "Bearer " + m[1].str()}, {"Content-Type", "application/json"}};
  }
};

TEST_P(CampaignApiTest, EveryRouteRefusesWithoutASessionASeatOrTheRightToManage) {
  const std::map<std::string, std::string> none = {{"Content-Type", "application/json"}};
  const auto seatless = SessionOf(3);  // user 3 signs in but holds no seat
  const std::vector<std::pair<std::string, std::string>> seat_routes = {
      {"GET", "/api/campaigns"},
      {"GET", "/api/campaigns/1"},
      {"GET", "/api/campaigns/1/contacts"},
      {"POST", "/api/campaigns/1/next"},
      {"POST", "/api/campaigns/1/contacts/1/open"},
      {"PUT", "/api/campaigns/1/contacts/1/result"},
      {"PUT", "/api/campaigns/1/contacts/1/status"},
      {"POST", "/api/campaigns/1/contacts/1/call"},
      {"GET", "/api/campaign-calls/cmp-x"}};
  const std::vector<std::pair<std::string, std::string>> manage_routes = {
      {"POST", "/api/campaigns"},
      {"PUT", "/api/campaigns/1"},
      {"DELETE", "/api/campaigns/1?version=1"},
      {"POST", "/api/campaigns/1/state"},
      {"POST", "/api/campaigns/1/import"},
      {"POST", "/api/campaigns/1/contacts/delete"},
      {"GET", "/api/campaigns/1/export"}};
  for (const auto& routes : {seat_routes, manage_routes}) {
    for (const auto& [method, path] : routes) {
      EXPECT_EQ(Api(method, path, "{}", none).status, 401) << method << " " << path;
      EXPECT_EQ(Api(method, path, "{}", seatless).status, 403) << method << " " << path;
    }
  }
  for (const auto& [method, path] : manage_routes) {
    EXPECT_EQ(Api(method, path, R"({"name":"x"})", operator_).status, 403)
        << method << " " << path << ": a seat without the right to manage";
  }
  EXPECT_EQ(Count("campaign_tasks"), 0);
  EXPECT_EQ(Api("GET", "/api/campaigns", "", operator_).status, 200);
}

TEST_P(CampaignApiTest, ATaskIsCheckedFieldByFieldVersionedAndScopedToItsPortal) {
  auto field_of = [&](const std::string& body) {
    RawResponse r = Api("POST", "/api/campaigns", body, supervisor_);
    EXPECT_EQ(r.status, 400) << r.body;
    return Field(r);
  };
  EXPECT_EQ(field_of(R"({"description":"x"})"), "name");
  EXPECT_EQ(field_of(R"({"name":"  "})"), "name");
  EXPECT_EQ(field_of(R"({"name":"a","employee_ids":["2","x"]})"), "employee_ids[1]");
  EXPECT_EQ(field_of(R"({"name":"a","retry":{"max_attempts":0}})"), "retry.max_attempts");
  EXPECT_EQ(field_of(R"({"name":"a","script_id":"999"})"), "script_id");
  EXPECT_EQ(field_of(R"({"name":"a","colour":"red"})"), "colour");
  EXPECT_EQ(Count("campaign_tasks"), 0);

  RawResponse created =
      Api("POST", "/api/campaigns", R"({"name":"Обзвон","employee_ids":["2"]})", supervisor_);
  ASSERT_EQ(created.status, 201) << created.body;
  const value task = Json(created);
  const std::string id = task.at("id").as_string();
  EXPECT_EQ(task.at("state").as_string(), "draft");
  EXPECT_EQ(task.at("counts").at("total").as_integer(), 0);
  EXPECT_EQ(task.at("retry").at("max_attempts").as_integer(), 3);

  // Starting needs a published script.
  RawResponse no_script = Api("POST", "/api/campaigns/" + id + "/state",
                              R"({"state":"running","version":1})", supervisor_);
  EXPECT_EQ(no_script.status, 400) << no_script.body;
  EXPECT_EQ(Field(no_script), "script_id");
  const std::string script = PublishedScript();
  RawResponse updated =
      Api("PUT", "/api/campaigns/" + id,
          R"({"name":"Обзвон","script_id":")" + script + R"(","employee_ids":["2"],"version":1})",
          supervisor_);
  ASSERT_EQ(updated.status, 200) << updated.body;
  RawResponse stale = Api("PUT", "/api/campaigns/" + id,
                          R"({"name":"Другое","employee_ids":["2"],"version":1})", supervisor_);
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(Field(stale), "version");
  RawResponse started = Api("POST", "/api/campaigns/" + id + "/state",
                            R"({"state":"running","version":2})", supervisor_);
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_EQ(Json(started).at("state").as_string(), "running");
  EXPECT_EQ(Json(started).at("script_version").as_integer(), 1) << "the published version pinned";

  // The operator sees the tasks they work; user 3 (with a seat) works none.
  EXPECT_EQ(Json(Api("GET", "/api/campaigns", "", operator_)).at("tasks").size(), 1u);
  GiveSeat(3);
  const auto other_operator = SessionOf(3);
  EXPECT_EQ(Json(Api("GET", "/api/campaigns", "", other_operator)).at("tasks").size(), 0u);
  EXPECT_EQ(Api("GET", "/api/campaigns/" + id, "", other_operator).status, 403);
  EXPECT_EQ(Api("POST", "/api/campaigns/" + id + "/next", "", other_operator).status, 403);

  // Another portal's supervisor: the task is not found, and nothing changes.
  std::unique_ptr<B24Emulator> other;
  const auto foreign = ForeignSupervisor(other);
  EXPECT_EQ(Api("GET", "/api/campaigns/" + id, "", foreign).status, 404);
  EXPECT_EQ(Api("GET", "/api/campaigns/" + id + "/contacts", "", foreign).status, 404);
  EXPECT_EQ(Api("POST", "/api/campaigns/" + id + "/import", "+79001234567", foreign).status, 404);
  EXPECT_EQ(Api("DELETE", "/api/campaigns/" + id + "?version=3", "", foreign).status, 404);
  EXPECT_EQ(Json(Api("GET", "/api/campaigns", "", foreign)).at("tasks").size(), 0u);
  EXPECT_EQ(Count("campaign_contacts"), 0);

  EXPECT_EQ(Api("DELETE", "/api/campaigns/" + id + "?version=2", "", supervisor_).status, 409);
  EXPECT_EQ(Api("DELETE", "/api/campaigns/" + id + "?version=3", "", supervisor_).status, 204);
  EXPECT_EQ(Count("campaign_tasks"), 0);
  EXPECT_EQ(Count("audit_log WHERE action LIKE 'campaign.%'"), 4)
      << "create, update, start, delete";
}

TEST_P(CampaignApiTest, AnImportReportsEachBadLineAndAddsTheRest) {
  RawResponse created = Api("POST", "/api/campaigns", R"({"name":"Импорт"})", supervisor_);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Json(created).at("id").as_string();
  const std::string csv =
      "Телефон;Имя\n"
      "+7 900 123-45-67;Иван\n"
      "8 (900) 123-45-68;\"Петров, Пётр\"\n"
      "привет\n"
      "+79001234567;дубль\n"
      "+79001234569;a;b\n";
  RawResponse dry = Api("POST", "/api/campaigns/" + id + "/import?dry_run=1", csv, supervisor_);
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(Json(dry).at("accepted").as_integer(), 2);
  EXPECT_EQ(Json(dry).at("added").as_integer(), 0);
  EXPECT_EQ(Count("campaign_contacts"), 0) << "a dry run adds nothing";

  RawResponse done = Api("POST", "/api/campaigns/" + id + "/import", csv, supervisor_);
  ASSERT_EQ(done.status, 200) << done.body;
  const value report = Json(done);
  EXPECT_EQ(report.at("added").as_integer(), 2);
  EXPECT_EQ(report.at("rejected").as_integer(), 3);
  EXPECT_EQ(report.at("total").as_integer(), 2);
  EXPECT_TRUE(report.at("header_skipped").as_bool());
  const value& errors = report.at("errors");
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors.at(0).at("line").as_integer(), 4);
  EXPECT_EQ(errors.at(0).at("reason").as_string(), "bad_number");
  EXPECT_EQ(errors.at(1).at("reason").as_string(), "duplicate_in_file");
  EXPECT_EQ(errors.at(2).at("reason").as_string(), "too_many_columns");

  // Again: the numbers are the task's already.
  RawResponse again = Api("POST", "/api/campaigns/" + id + "/import", "89001234567", supervisor_);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json(again).at("errors").at(0).at("reason").as_string(), "duplicate_in_task");
  EXPECT_EQ(Count("campaign_contacts"), 2);

  // Over the line limit: refused whole, nothing added.
  std::string many;
  for (int i = 0; i < 20001; ++i) {
    many += "1\n";
  }
  RawResponse too_many = Api("POST", "/api/campaigns/" + id + "/import", many, supervisor_);
  EXPECT_EQ(too_many.status, 400) << too_many.body;
  EXPECT_EQ(Field(too_many), "body");
  EXPECT_EQ(Api("POST", "/api/campaigns/" + id + "/import?dry_run=yes", "1", supervisor_).status,
            400);
  EXPECT_EQ(Count("campaign_contacts"), 2);

  RawResponse csv_out = Api("GET", "/api/campaigns/" + id + "/export", "", supervisor_);
  ASSERT_EQ(csv_out.status, 200) << csv_out.body;
  EXPECT_NE(csv_out.body.find("+79001234567;Иван;Новый"), std::string::npos) << csv_out.body;
  EXPECT_NE(csv_out.body.find("\"Петров, Пётр\""), std::string::npos) << csv_out.body;
}

TEST_P(CampaignApiTest, OperatorsWorkTheListOneContactEach) {
  const std::string script = PublishedScript();
  GiveSeat(3);
  const auto vera = SessionOf(3);
  const std::string id =
      RunningTask(script, R"("2","3")", "+79001110001\n+79001110002\n+79001110003");
  const std::string base = "/api/campaigns/" + id;

  const value mine = Next(id, operator_);
  ASSERT_TRUE(mine.is_object());
  EXPECT_EQ(mine.at("status").as_string(), "in_work");
  EXPECT_EQ(mine.at("operator_id").as_string(), "2");
  EXPECT_EQ(Next(id, operator_).at("id").as_string(), mine.at("id").as_string())
      << "the open contact is theirs to resume";
  const value hers = Next(id, vera);
  ASSERT_TRUE(hers.is_object());
  EXPECT_NE(hers.at("id").as_string(), mine.at("id").as_string());
  const std::string mine_path = base + "/contacts/" + mine.at("id").as_string();
  const std::string hers_path = base + "/contacts/" + hers.at("id").as_string();

  // Someone else's contact: 409 naming the contact, nothing changes.
  RawResponse taken = Api("POST", hers_path + "/open", "", operator_);
  EXPECT_EQ(taken.status, 409) << taken.body;
  EXPECT_EQ(Field(taken), "contact");
  RawResponse not_mine =
      Api("PUT", hers_path + "/result", R"({"result":"refused","version":2})", operator_);
  EXPECT_EQ(not_mine.status, 409) << not_mine.body;
  EXPECT_EQ(Field(not_mine), "contact");
  EXPECT_EQ(Api("POST", hers_path + "/call", "", operator_).status, 409);

  // Bad input names the field; a stale version is a 409.
  auto result = [&](const std::string& path, const std::string& body,
                    const std::map<std::string, std::string>& who) {
    return Api("PUT", path + "/result", body, who);
  };
  RawResponse no_time = result(mine_path, R"({"result":"call_back","version":2})", operator_);
  EXPECT_EQ(no_time.status, 400) << no_time.body;
  EXPECT_EQ(Field(no_time), "at");
  RawResponse unknown = result(mine_path, R"({"result":"maybe","version":2})", operator_);
  EXPECT_EQ(Field(unknown), "result");
  RawResponse stale = result(mine_path, R"({"result":"refused","version":1})", operator_);
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(Field(stale), "version");
  EXPECT_EQ(Api("POST", base + "/contacts/999999/open", "", operator_).status, 404);
  EXPECT_EQ(Api("POST", "/api/campaigns/abc/next", "", operator_).status, 400);

  // No answer: back to the pool for anyone after the spacing (30 minutes).
  RawResponse no_answer =
      result(mine_path, R"({"result":"no_answer","comment":"Гудки","version":2})", operator_);
  ASSERT_EQ(no_answer.status, 200) << no_answer.body;
  EXPECT_EQ(Json(no_answer).at("status").as_string(), "new");
  EXPECT_EQ(Json(no_answer).at("attempts").as_integer(), 1);
  EXPECT_TRUE(Json(no_answer).at("operator_id").is_null());
  // Refused finishes; the last new contact goes to Борис, then nothing is due for him.
  ASSERT_EQ(result(hers_path, R"({"result":"refused","version":2})", vera).status, 200);
  const value third = Next(id, operator_);
  ASSERT_TRUE(third.is_object());
  EXPECT_EQ(third.at("phone").as_string(), "+79001110003");
  const std::string third_path = base + "/contacts/" + third.at("id").as_string();
  RawResponse later = result(
      third_path,
      R"({"result":"talked","at":)" + std::to_string(4'102'444'800'000LL) + R"(,"version":2})",
      operator_);
  EXPECT_EQ(later.status, 400) << "more than a year ahead: " << later.body;
  ASSERT_EQ(result(third_path, R"({"result":"talked","version":2})", operator_).status, 200);
  RawResponse empty = Api("POST", base + "/next", "", operator_);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_TRUE(Json(empty).at("contact").is_null());
  EXPECT_TRUE(Json(empty).at("next_due_at_ms").is_number()) << "the retry's time";

  // «Завершён» by hand for the talked one; counts and filters for the task page.
  RawResponse finished =
      Api("PUT", third_path + "/status", R"({"status":"done","version":3})", operator_);
  ASSERT_EQ(finished.status, 200) << finished.body;
  const value counts = Counts(id);
  EXPECT_EQ(counts.at("total").as_integer(), 3);
  EXPECT_EQ(counts.at("new").as_integer(), 1);
  EXPECT_EQ(counts.at("in_work").as_integer(), 0);
  EXPECT_EQ(counts.at("done").as_integer(), 2);
  EXPECT_EQ(counts.at("by_result").at("no_answer").as_integer(), 1);
  RawResponse done_list = Api("GET", base + "/contacts?status=done&operator_id=3", "", supervisor_);
  ASSERT_EQ(done_list.status, 200) << done_list.body;
  ASSERT_EQ(Json(done_list).at("contacts").size(), 1u);
  EXPECT_EQ(Json(done_list).at("contacts").at(0).at("result").as_string(), "refused");
  RawResponse bad_filter = Api("GET", base + "/contacts?status=busy", "", supervisor_);
  EXPECT_EQ(bad_filter.status, 400);
  EXPECT_EQ(Field(bad_filter), "status");
  EXPECT_EQ(Field(Api("GET", base + "/contacts?created_from=yesterday", "", supervisor_)),
            "created_from");

  // Deleting chosen contacts: the supervisor only; the counts follow.
  const std::string ids = R"({"ids":[")" + hers.at("id").as_string() + R"("]})";
  EXPECT_EQ(Api("POST", base + "/contacts/delete", ids, operator_).status, 403);
  RawResponse deleted = Api("POST", base + "/contacts/delete", ids, supervisor_);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Json(deleted).at("deleted").as_integer(), 1);
  EXPECT_EQ(Json(deleted).at("counts").at("total").as_integer(), 2);
  EXPECT_EQ(Field(Api("POST", base + "/contacts/delete", R"({"ids":["x"]})", supervisor_)),
            "ids[0]");
}

TEST_P(CampaignApiTest, ClickToCallRingsTheOperatorThenTheContact) {
  const std::string script = PublishedScript();
  const std::string id = RunningTask(script, R"("2")", "+79005550042");
  const value contact = Next(id, operator_);
  ASSERT_TRUE(contact.is_object());
  const std::string path = "/api/campaigns/" + id + "/contacts/" + contact.at("id").as_string();

  RawResponse call = Api("POST", path + "/call", "", operator_);
  ASSERT_EQ(call.status, 202) << call.body << opdesk_->Log();
  const std::string command_id = Json(call).at("command_id").as_string();
  const std::vector<value> sent = Commands("commands/callback");
  ASSERT_EQ(sent.size(), 1u);
  const value body = value::parse(testing::P(sent[0], "json"));
  EXPECT_EQ(body.at("command_id").as_string(), command_id);
  EXPECT_EQ(body.at("from").at("extension").as_string(), "102");
  EXPECT_EQ(body.at("to_number").as_string(), "79005550042");
  EXPECT_EQ(Count("campaign_calls WHERE command_id = '" + command_id +
                  "' AND contact_id = " + contact.at("id").as_string()),
            1)
      << "the call is linked to the task's contact";
  // Mango's result/callback arrives; the page follows it.
  value state;
  EXPECT_TRUE(WaitFor(
      [&] {
        RawResponse r = Api("GET", "/api/campaign-calls/" + command_id, "", operator_);
        state = Json(r);
        return r.status == 200 && state.at("state").as_string() != "pending";
      },
      20s))
      << opdesk_->Log();
  EXPECT_EQ(state.at("state").as_string(), "done") << state.serialize();
  EXPECT_EQ(Api("GET", "/api/campaign-calls/" + command_id, "", supervisor_).status, 404)
      << "only the operator who placed it reads it";

  // Not open with the operator any more: refused, nothing sent.
  ASSERT_EQ(
      Api("PUT", path + "/result", R"({"result":"wrong_number","version":2})", operator_).status,
      200);
  RawResponse closed = Api("POST", path + "/call", "", operator_);
  EXPECT_EQ(closed.status, 409) << closed.body;
  EXPECT_EQ(Commands("commands/callback").size(), 1u);
}

// FEATURES F2 for a task's call: the pinned script names a contact field for the dialed number;
// the call Mango took writes it once into the CRM client of that number.
TEST_P(CampaignApiTest, ACallSavesTheDialedNumberIntoThePinnedScriptsField) {
  std::string body = testing::kCampaignScript;
  body.replace(body.find(R"("next":[]}]})"), std::string(R"("next":[]}]})").size(),
               R"("next":[]}],"settings":{"number_field":{"entity":"contact",)"
               R"("code":"UF_CRM_DIALED"}}})");
  RawResponse created = Api("POST", "/api/settings/scripts", body, supervisor_);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string script = Json(created).at("id").as_string();
  ASSERT_EQ(
      Api("POST", "/api/settings/scripts/" + script + "/publish", R"({"version":1})", supervisor_)
          .status,
      200);
  // The portal's seeded contact has this number.
  const std::string id = RunningTask(script, R"("2")", "+79001234567");
  const value contact = Next(id, operator_);
  ASSERT_TRUE(contact.is_object());
  const std::string path = "/api/campaigns/" + id + "/contacts/" + contact.at("id").as_string();
  ASSERT_EQ(Api("POST", path + "/call", "", operator_).status, 202);

  std::string saved;
  EXPECT_TRUE(WaitFor(
      [&] {
        const value c = b24_->Control("GET", "/_emu/state").at("contacts").at(0);
        if (c.has_field("UF_CRM_DIALED") && c.at("UF_CRM_DIALED").is_string()) {
          saved = c.at("UF_CRM_DIALED").as_string();
        }
        return !saved.empty();
      },
      20s))
      << opdesk_->Log();
  EXPECT_EQ(saved, "+79001234567");
  EXPECT_EQ(Count("jobs WHERE kind = 'script.save_number'"), 1);
  EXPECT_TRUE(WaitFor(
      [&] {
        return Count("script_number_saves WHERE state = 'done' AND call_key LIKE 'campaign:%'") ==
               1;
      },
      20s));
}

TEST_P(CampaignApiTest, AResultLeavesACommentInTheClientsTimeline) {
  const std::string script = PublishedScript();
  // The first number is the portal's seeded contact; nobody in the CRM has the second.
  const std::string id = RunningTask(script, R"("2")", "+79001234567\n+79005550099");
  const value known = Next(id, operator_);
  ASSERT_TRUE(known.is_object());
  const std::string at = std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          (std::chrono::system_clock::now() + std::chrono::hours(24)).time_since_epoch())
          .count());
  RawResponse callback =
      Api("PUT", "/api/campaigns/" + id + "/contacts/" + known.at("id").as_string() + "/result",
          R"({"result":"call_back","at":)" + at + R"(,"comment":"Просил после обеда","version":2})",
          operator_);
  ASSERT_EQ(callback.status, 200) << callback.body;
  std::vector<value> comments;
  ASSERT_TRUE(WaitFor(
      [&] {
        comments = Requests("crm.timeline.comment.add");
        return !comments.empty();
      },
      20s))
      << opdesk_->Log();
  const value& fields = comments[0].at("params").at("fields");
  EXPECT_EQ(testing::P(fields, "ENTITY_TYPE"), "contact");
  const std::string text = testing::P(fields, "COMMENT");
  EXPECT_NE(text.find("Обзвон «Обзвон базы»: Перезвонить"), std::string::npos) << text;
  EXPECT_NE(text.find("Просил после обеда"), std::string::npos) << text;
  EXPECT_TRUE(WaitFor([&] { return Count("campaign_comments WHERE state = 'done'") == 1; }, 20s));

  // A number the CRM does not know: the result is stored, no comment is written.
  const value unknown = Next(id, operator_);
  ASSERT_TRUE(unknown.is_object());
  EXPECT_EQ(unknown.at("phone").as_string(), "+79005550099");
  ASSERT_EQ(
      Api("PUT", "/api/campaigns/" + id + "/contacts/" + unknown.at("id").as_string() + "/result",
          R"({"result":"refused","version":2})", operator_)
          .status,
      200);
  EXPECT_TRUE(
      WaitFor([&] { return Count("campaign_comments WHERE state = 'no_client'") == 1; }, 20s))
      << opdesk_->Log();
  EXPECT_EQ(Requests("crm.timeline.comment.add").size(), 1u);
}

TEST_P(CampaignApiTest, AScriptDeletedUnderARunningTaskStopsWorkClearly) {
  const std::string script = PublishedScript();
  const std::string id = RunningTask(script, R"("2")", "+79001110001\n+79001110002");
  RawResponse gone =
      Api("DELETE", "/api/settings/scripts/" + script + "?version=1", "", supervisor_);
  ASSERT_EQ(gone.status, 204) << gone.body;

  RawResponse next = Api("POST", "/api/campaigns/" + id + "/next", "", operator_);
  EXPECT_EQ(next.status, 409) << next.body;
  EXPECT_EQ(Field(next), "script_id");
  EXPECT_EQ(Count("campaign_contacts WHERE status = 'new'"), 2) << "nothing was claimed";
  const value view = Json(Api("GET", "/api/campaigns/" + id, "", supervisor_));
  EXPECT_TRUE(view.at("script_deleted").as_bool());
  // Pausing and starting again says why too.
  ASSERT_EQ(Api("POST", "/api/campaigns/" + id + "/state", R"({"state":"paused","version":2})",
                supervisor_)
                .status,
            200);
  RawResponse restart = Api("POST", "/api/campaigns/" + id + "/state",
                            R"({"state":"running","version":3})", supervisor_);
  EXPECT_EQ(restart.status, 409) << restart.body;
  EXPECT_EQ(Field(restart), "script_id");

  // Another script: work goes on with its published version.
  const std::string other = PublishedScript("Обзвон 2");
  RawResponse swapped = Api(
      "PUT", "/api/campaigns/" + id,
      R"({"name":"Обзвон базы","script_id":")" + other + R"(","employee_ids":["2"],"version":3})",
      supervisor_);
  ASSERT_EQ(swapped.status, 200) << swapped.body;
  ASSERT_EQ(Api("POST", "/api/campaigns/" + id + "/state", R"({"state":"running","version":4})",
                supervisor_)
                .status,
            200);
  EXPECT_TRUE(Next(id, operator_).is_object());
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignApiTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
