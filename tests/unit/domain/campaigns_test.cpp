// Dialing tasks' rules (FEATURES F3–F5): task checks naming the field, the contact's moves and
// the refusals of illegal ones, retry and callback scheduling, the claim order, number
// normalisation and the import parser's per-line report.
#include "connector/domain/campaigns.h"

#include <gtest/gtest.h>

#include <functional>

#include "connector/domain/error.h"

namespace opdesk::campaigns {
namespace {

constexpr EpochMs kNow = 1'700'000'000'000;
constexpr EpochMs kMinute = 60'000;

Task Sample() {
  Task t;
  t.name = "Обзвон базы";
  t.employee_ids = {"5", "7"};
  t.script_id = 3;
  return t;
}

// The code and field of the Error `f` throws.
std::pair<ErrorCode, std::string> ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return {e.code(), e.field()};
  }
  return {ErrorCode::kInternal, "<no error>"};
}

std::pair<ErrorCode, std::string> Invalid(const std::string& field) {
  return {ErrorCode::kInvalidArgument, field};
}
std::pair<ErrorCode, std::string> Conflicting(const std::string& field) {
  return {ErrorCode::kConflict, field};
}

TEST(CampaignTaskTest, ValidTaskPasses) {
  EXPECT_NO_THROW(ValidateTask(Sample()));
}

TEST(CampaignTaskTest, ErrorsNameTheField) {
  Task t = Sample();
  t.name = "   ";
  EXPECT_EQ(ErrorOf([&] { ValidateTask(t); }), Invalid("name"));
  t = Sample();
  t.name = std::string(201, 'a');
  EXPECT_EQ(ErrorOf([&] { ValidateTask(t); }), Invalid("name"));
  t = Sample();
  t.description = std::string(4001, 'a');
  EXPECT_EQ(ErrorOf([&] { ValidateTask(t); }), Invalid("description"));
  t = Sample();
  t.employee_ids = {"5", "x"};
  EXPECT_EQ(ErrorOf([&] { ValidateTask(t); }), Invalid("employee_ids[1]"));
  t.employee_ids = {"5", "7", "5"};
  EXPECT_EQ(ErrorOf([&] { ValidateTask(t); }), Invalid("employee_ids[2]"));
  t = Sample();
  t.retry.max_attempts = 0;
  EXPECT_EQ(ErrorOf([&] { ValidateTask(t); }), Invalid("retry.max_attempts"));
  t.retry.max_attempts = 21;
  EXPECT_EQ(ErrorOf([&] { ValidateTask(t); }), Invalid("retry.max_attempts"));
  t = Sample();
  t.retry.spacing_minutes = 0;
  EXPECT_EQ(ErrorOf([&] { ValidateTask(t); }), Invalid("retry.spacing_minutes"));
}

TEST(CampaignTaskTest, StartNeedsAPublishedScriptAndEmployees) {
  Task t = Sample();
  EXPECT_NO_THROW(CheckStartable(t, 2));
  EXPECT_EQ(ErrorOf([&] { CheckStartable(t, 0); }), Invalid("script_id"));
  t.script_id = 0;
  EXPECT_EQ(ErrorOf([&] { CheckStartable(t, 2); }), Invalid("script_id"));
  t = Sample();
  t.employee_ids.clear();
  EXPECT_EQ(ErrorOf([&] { CheckStartable(t, 2); }), Invalid("employee_ids"));
}

TEST(CampaignContactTest, OpeningANewContactLocksItToTheOperator) {
  const ContactState opened = Open(ContactState{}, "5", kNow);
  EXPECT_EQ(opened.status, ContactStatus::kInWork);
  EXPECT_EQ(opened.operator_id, "5");
  EXPECT_TRUE(opened.opened);
  // Nobody else may open it now; its operator may open it again.
  EXPECT_EQ(ErrorOf([&] { Open(opened, "7", kNow); }), Conflicting("contact"));
  EXPECT_EQ(Open(opened, "5", kNow), opened);
}

TEST(CampaignContactTest, FinishedAndNotYetDueContactsDoNotOpen) {
  ContactState done;
  done.status = ContactStatus::kDone;
  EXPECT_EQ(ErrorOf([&] { Open(done, "5", kNow); }), Conflicting("contact"));
  ContactState retry;
  retry.attempts = 1;
  retry.due_at_ms = kNow + kMinute;
  EXPECT_EQ(ErrorOf([&] { Open(retry, "5", kNow); }), Conflicting("contact"));
  EXPECT_NO_THROW(Open(retry, "5", kNow + kMinute));
}

TEST(CampaignContactTest, ResultsNeedTheContactInWorkWithTheCaller) {
  const RetryRule rule;
  const ContactState fresh;
  EXPECT_EQ(ErrorOf([&] { ApplyResult(fresh, {"5"}, {CallResult::kRefused}, rule, kNow); }),
            Conflicting("contact"));
  const ContactState mine = Open(fresh, "5", kNow);
  EXPECT_EQ(ErrorOf([&] { ApplyResult(mine, {"7"}, {CallResult::kRefused}, rule, kNow); }),
            Conflicting("contact"));
  // A manager does not set results for an operator's call either.
  EXPECT_EQ(ErrorOf([&] {
              ApplyResult(mine, {"7", true}, {CallResult::kRefused}, rule, kNow);
            }),
            Conflicting("contact"));
  EXPECT_EQ(ErrorOf([&] { ApplyResult(mine, {"5"}, {CallResult::kNone}, rule, kNow); }),
            Invalid("result"));
}

TEST(CampaignContactTest, TimesAreCheckedPerResult) {
  const RetryRule rule;
  const ContactState mine = Open(ContactState{}, "5", kNow);
  auto apply = [&](CallResult r, std::optional<EpochMs> at) {
    return ErrorOf([&] { ApplyResult(mine, {"5"}, {r, at}, rule, kNow); });
  };
  EXPECT_EQ(apply(CallResult::kCallBack, std::nullopt), Invalid("at"));
  EXPECT_EQ(apply(CallResult::kCallBack, kNow), Invalid("at"));
  EXPECT_EQ(apply(CallResult::kCallBack, kNow + kMaxScheduleAheadMs + 1), Invalid("at"));
  EXPECT_EQ(apply(CallResult::kTalked, kNow - 1), Invalid("at"));
  EXPECT_EQ(apply(CallResult::kNoAnswer, kNow + kMinute), Invalid("at"));
  EXPECT_EQ(apply(CallResult::kRefused, kNow + kMinute), Invalid("at"));
}

TEST(CampaignContactTest, EachResultMovesTheContactAsTheSeedSays) {
  const RetryRule rule{3, 30};
  const ContactState mine = Open(ContactState{}, "5", kNow);

  const ContactState talked_later =
      ApplyResult(mine, {"5"}, {CallResult::kTalked, kNow + 60 * kMinute}, rule, kNow);
  EXPECT_EQ(talked_later.status, ContactStatus::kInWork);
  EXPECT_EQ(talked_later.operator_id, "5");
  EXPECT_EQ(talked_later.due_at_ms, kNow + 60 * kMinute);
  EXPECT_FALSE(talked_later.opened);

  const ContactState talked_no_remind = ApplyResult(mine, {"5"}, {CallResult::kTalked}, rule, kNow);
  EXPECT_EQ(talked_no_remind.status, ContactStatus::kInWork);
  EXPECT_EQ(talked_no_remind.due_at_ms, 0);
  EXPECT_EQ(ClaimRank(talked_no_remind, "5", kNow + 1000 * kMinute), std::nullopt);

  const ContactState callback =
      ApplyResult(mine, {"5"}, {CallResult::kCallBack, kNow + 5 * kMinute}, rule, kNow);
  EXPECT_EQ(callback.status, ContactStatus::kInWork);
  EXPECT_EQ(callback.result, CallResult::kCallBack);
  EXPECT_EQ(callback.due_at_ms, kNow + 5 * kMinute);

  for (CallResult r : {CallResult::kRefused, CallResult::kWrongNumber}) {
    const ContactState done = ApplyResult(mine, {"5"}, {r}, rule, kNow);
    EXPECT_EQ(done.status, ContactStatus::kDone);
    EXPECT_EQ(done.operator_id, "5");  // who finished it
    EXPECT_EQ(done.result, r);
  }
}

TEST(CampaignContactTest, NoAnswerRetriesAfterTheSpacingUntilTheLastAttempt) {
  const RetryRule rule{2, 30};
  ContactState c = Open(ContactState{}, "5", kNow);
  c = ApplyResult(c, {"5"}, {CallResult::kNoAnswer}, rule, kNow);
  EXPECT_EQ(c.status, ContactStatus::kNew);
  EXPECT_EQ(c.attempts, 1);
  EXPECT_EQ(c.operator_id, "");
  EXPECT_EQ(c.due_at_ms, kNow + 30 * kMinute);
  EXPECT_EQ(ClaimRank(c, "7", kNow + 30 * kMinute - 1), std::nullopt);
  EXPECT_EQ(ClaimRank(c, "7", kNow + 30 * kMinute), 3);
  // Anyone may take the retry; the second unanswered call is the last one.
  c = Open(c, "7", kNow + 30 * kMinute);
  c = ApplyResult(c, {"7"}, {CallResult::kNoAnswer}, rule, kNow + 31 * kMinute);
  EXPECT_EQ(c.status, ContactStatus::kDone);
  EXPECT_EQ(c.attempts, 2);
  EXPECT_EQ(c.result, CallResult::kNoAnswer);
}

TEST(CampaignContactTest, ClaimOrderIsOwnOpenThenCallbacksThenNewThenRetries) {
  ContactState open = Open(ContactState{}, "5", kNow);
  EXPECT_EQ(ClaimRank(open, "5", kNow), 0);
  EXPECT_EQ(ClaimRank(open, "7", kNow), std::nullopt);
  ContactState callback =
      ApplyResult(open, {"5"}, {CallResult::kCallBack, kNow + kMinute}, RetryRule{}, kNow);
  EXPECT_EQ(ClaimRank(callback, "5", kNow), std::nullopt);
  EXPECT_EQ(ClaimRank(callback, "5", kNow + kMinute), 1);
  EXPECT_EQ(ClaimRank(callback, "7", kNow + kMinute), std::nullopt);  // stays with its operator
  EXPECT_EQ(ClaimRank(ContactState{}, "7", kNow), 2);
  ContactState done;
  done.status = ContactStatus::kDone;
  EXPECT_EQ(ClaimRank(done, "7", kNow), std::nullopt);
}

TEST(CampaignContactTest, ReleaseAndFinishByHand) {
  const ContactState mine = Open(ContactState{}, "5", kNow);
  const ContactState released = Release(mine, {"5"});
  EXPECT_EQ(released.status, ContactStatus::kNew);
  EXPECT_EQ(released.operator_id, "");
  EXPECT_EQ(released.due_at_ms, 0);
  EXPECT_EQ(ErrorOf([&] { Release(mine, {"7"}); }), Conflicting("contact"));
  EXPECT_EQ(Release(mine, {"7", true}).status, ContactStatus::kNew);  // a manager may

  const ContactState done = Finish(mine, {"5"});
  EXPECT_EQ(done.status, ContactStatus::kDone);
  EXPECT_EQ(ErrorOf([&] { Finish(mine, {"7"}); }), Conflicting("contact"));
  EXPECT_EQ(ErrorOf([&] { Release(done, {"5"}); }), Conflicting("contact"));
  EXPECT_EQ(ErrorOf([&] { Finish(ContactState{}, {"5"}); }), Conflicting("contact"));
  EXPECT_EQ(Finish(ContactState{}, {"1", true}).operator_id, "1");
}

TEST(CampaignCommentTest, TheTimelineCommentSaysTheResultAndWhenInTheTenantsZone) {
  const TimeZone moscow = TimeZone::FixedOffset("MSK", 3 * 3600);
  ContactState c;
  c.result = CallResult::kCallBack;
  c.due_at_ms = 1'741'244'400'000;  // 2025-03-06 07:00 UTC
  EXPECT_EQ(ResultComment("Весна", c, "  просил после обеда ", moscow),
            "Обзвон «Весна»: Перезвонить 06.03.2025 10:00. просил после обеда");
  c.result = CallResult::kTalked;
  EXPECT_EQ(ResultComment("Весна", c, "", moscow),
            "Обзвон «Весна»: Поговорили, следующий звонок 06.03.2025 10:00.");
  c.due_at_ms = 0;
  EXPECT_EQ(ResultComment("Весна", c, "", moscow), "Обзвон «Весна»: Поговорили, не напоминать.");
  c.result = CallResult::kNoAnswer;
  c.attempts = 2;
  c.due_at_ms = 1'741'244'400'000;
  EXPECT_EQ(ResultComment("Весна", c, "", moscow), "Обзвон «Весна»: Не дозвонились (попытка 2).");
}

TEST(CampaignReminderTest, TheNotificationNamesTheContactTheTaskAndTheTimeWithALink) {
  const TimeZone moscow = TimeZone::FixedOffset("MSK", 3 * 3600);
  const EpochMs at = 1'741'244'400'000;  // 2025-03-06 07:00 UTC
  EXPECT_EQ(ReminderText("Весна", "+79001234567", "Иван", CallResult::kCallBack, at, moscow,
                         "https://b24.example/marketplace/app/7/"),
            "Пора перезвонить: +79001234567 (Иван) — обзвон «Весна», 06.03.2025 10:00."
            " [URL=https://b24.example/marketplace/app/7/]Открыть обзвон[/URL]");
  EXPECT_EQ(ReminderText("Весна", "+79001234567", "", CallResult::kTalked, at, moscow, ""),
            "Напоминание о звонке: +79001234567 — обзвон «Весна», 06.03.2025 10:00.");
  EXPECT_EQ(
      ReminderText("Весна", "", "ООО Ромашка", CallResult::kCallBack, at, TimeZone::Utc(), ""),
      "Пора перезвонить: ООО Ромашка — обзвон «Весна», 06.03.2025 07:00.");
}

TEST(CampaignNumberTest, NumbersAreNormalisedLikeTheCallPipelineDoes) {
  EXPECT_EQ(NormaliseNumber("+7 (900) 123-45-67"), "+79001234567");
  EXPECT_EQ(NormaliseNumber("8 900 123 45 67"), "+79001234567");
  EXPECT_EQ(NormaliseNumber("9001234567"), "+79001234567");
  EXPECT_EQ(NormaliseNumber("79001234567"), "+79001234567");
  EXPECT_EQ(NormaliseNumber("+44 20 7946 0958"), "+442079460958");
  EXPECT_EQ(NormaliseNumber("+8 900 123 45 67"), "+89001234567");  // a '+' is taken as written
  EXPECT_EQ(NormaliseNumber("12345"), std::nullopt);
  EXPECT_EQ(NormaliseNumber("+1234567890123456"), std::nullopt);
  EXPECT_EQ(NormaliseNumber("8900abc4567"), std::nullopt);
  EXPECT_EQ(NormaliseNumber("79001+234567"), std::nullopt);
  EXPECT_EQ(NormaliseNumber("sip:100@pbx"), std::nullopt);
  EXPECT_EQ(NormaliseNumber("  "), std::nullopt);
}

TEST(CampaignImportTest, AcceptsNumbersWithNamesAndReportsEachBadLine) {
  const std::string text =
      "\xEF\xBB\xBFТелефон;Имя\r\n"             // 1 header
      "+7 900 123-45-67;Иван Петров\r\n"        // 2
      "89001234568,\"Петров, Иван\"\n"          // 3 quoted separator
      "\n"                                      // 4 empty
      "not a number;Кто-то\n"                   // 5
      "+79001234569;a;b\n"                      // 6 too many columns
      "9001234567\n"                            // 7 duplicate of line 2
      "+79005550000\n"                          // 8 already in the task
      "\"+79001234570;oops\n"                   // 9 unbalanced quote
      "+79001234571\t\"He said \"\"hi\"\"\"\n"  // 10 tab, quotes inside
      "+79001234572;;\n";                       // 11 trailing empty fields
  const ImportReport report = ParseImport(text, {"+79005550000"});
  EXPECT_TRUE(report.header_skipped);
  EXPECT_EQ(report.lines, 11u);
  ASSERT_EQ(report.accepted.size(), 4u);
  EXPECT_EQ(report.accepted[0].line, 2);
  EXPECT_EQ(report.accepted[0].phone, "+79001234567");
  EXPECT_EQ(report.accepted[0].name, "Иван Петров");
  EXPECT_EQ(report.accepted[1].phone, "+79001234568");
  EXPECT_EQ(report.accepted[1].name, "Петров, Иван");
  EXPECT_EQ(report.accepted[2].name, "He said \"hi\"");
  EXPECT_EQ(report.accepted[3].line, 11);
  std::vector<std::pair<int, std::string>> errors;
  for (const ImportLineError& e : report.errors) {
    errors.emplace_back(e.line, e.reason);
  }
  const std::vector<std::pair<int, std::string>> expected = {{4, "empty"},
                                                             {5, "bad_number"},
                                                             {6, "too_many_columns"},
                                                             {7, "duplicate_in_file"},
                                                             {8, "duplicate_in_task"},
                                                             {9, "bad_quotes"}};
  EXPECT_EQ(errors, expected);
  EXPECT_EQ(report.error_count, 6u);
  EXPECT_EQ(report.errors[1].text, "not a number;Кто-то");
}

TEST(CampaignImportTest, AFirstLineWithANumberIsData) {
  const ImportReport report = ParseImport("+79001234567\n+79001234568", {});
  EXPECT_FALSE(report.header_skipped);
  EXPECT_EQ(report.accepted.size(), 2u);
  EXPECT_TRUE(report.errors.empty());
}

TEST(CampaignImportTest, SizeLimitsRefuseTheWholeText) {
  EXPECT_EQ(ErrorOf([] { ParseImport(std::string(kMaxImportBytes + 1, '1'), {}); }),
            Invalid("body"));
  std::string many;
  for (std::size_t i = 0; i <= kMaxImportLines; ++i) {
    many += "1\n";
  }
  EXPECT_EQ(ErrorOf([&] { ParseImport(many, {}); }), Invalid("body"));
  EXPECT_EQ(ErrorOf([] { ParseImport("+79001234567;\xC3\x28\n", {}); }), Invalid("body"));
}

TEST(CampaignImportTest, TheReportIsBoundedButCountsEveryError) {
  std::string text;
  for (std::size_t i = 0; i < kMaxReportedErrors + 5; ++i) {
    text += "x1\n";
  }
  const ImportReport report = ParseImport(text, {});
  EXPECT_EQ(report.errors.size(), kMaxReportedErrors);
  EXPECT_EQ(report.error_count, kMaxReportedErrors + 5);
}

TEST(CampaignCsvTest, CellsAreQuotedAndFormulasDefused) {
  EXPECT_EQ(CsvCell("+79001234567"), "+79001234567");
  EXPECT_EQ(CsvCell("Петров, Иван"), "\"Петров, Иван\"");
  EXPECT_EQ(CsvCell("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(CsvCell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
  EXPECT_EQ(CsvCell("-2+3"), "'-2+3");
}

}  // namespace
}  // namespace opdesk::campaigns
