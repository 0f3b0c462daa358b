// Button templates and time zones: the documented variables, strict validation, and deadlines
// such as {now+2d 10:00} resolved in the tenant's zone.
#include <gtest/gtest.h>

#include "connector/domain/error.h"
#include "connector/domain/templates.h"
#include "connector/domain/time_zone.h"

namespace opdesk {
namespace {

using templates::Kind;

// 2025-03-05 13:30:00 UTC = 16:30 in Moscow (UTC+3, no daylight saving since 2014).
constexpr EpochMs kNow = 1'741'181'400'000;

std::string FieldOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    return e.field();
  }
  ADD_FAILURE() << "no error";
  return "";
}

templates::Context MoscowContext(const TimeZone& zone) {
  templates::Context c;
  c.now_ms = kNow;
  c.zone = &zone;
  c.values["client.name"] = "Иван Клиентов";
  c.values["operator.name"] = "Анна";
  c.values["call.phone"] = "+79001234567";
  c.values["call.line"] = "+74950000000";
  return c;
}

TEST(TemplatesTest, EveryDocumentedVariableIsAcceptedAndUnknownOnesAreRefused) {
  for (const auto& v : templates::Variables()) {
    EXPECT_NO_THROW(templates::Validate("{" + std::string(v.name) + "}", Kind::kText, "text"))
        << v.name;
    EXPECT_FALSE(v.help_ru.empty());
    EXPECT_FALSE(v.help_en.empty());
  }
  EXPECT_EQ(FieldOf([] { templates::Validate("Hello {client.nmae}", Kind::kText, "a.text"); }),
            "a.text");
  EXPECT_EQ(FieldOf([] { templates::Validate("{Client.Name}", Kind::kText, "t"); }), "t");
  EXPECT_EQ(FieldOf([] { templates::Validate("{}", Kind::kText, "t"); }), "t");
  EXPECT_EQ(FieldOf([] { templates::Validate("unclosed {client.name", Kind::kText, "t"); }), "t");
  EXPECT_EQ(FieldOf([] { templates::Validate("{a{client.name}", Kind::kText, "t"); }), "t");
  EXPECT_NO_THROW(templates::Validate("", Kind::kText, "t"));
  EXPECT_NO_THROW(templates::Validate("{{not a variable}} :}", Kind::kText, "t"));
}

TEST(TemplatesTest, TimeExpressionsAreCheckedWhenSaved) {
  for (const char* ok : {"{now}", "{now+2d}", "{now+1d 10:00}", "{now + 1h - 30m}", "{now+1w}",
                         "{now 18:30}", " {now+2d 09:05} "}) {
    EXPECT_NO_THROW(templates::Validate(ok, Kind::kDeadline, "deadline")) << ok;
  }
  for (const char* bad : {"{now+2}", "{now+2y}", "{now+1d 25:00}", "{now+1d 10:60}",
                          "{now+1d 9:00}", "{now+99999d}", "{now+1m+1m+1m+1m+1m+1m}"}) {
    EXPECT_EQ(FieldOf([&] { templates::Validate(bad, Kind::kDeadline, "deadline"); }), "deadline")
        << bad;
  }
  // A deadline is one time expression and nothing else.
  EXPECT_EQ(FieldOf([] { templates::Validate("tomorrow", Kind::kDeadline, "d"); }), "d");
  EXPECT_EQ(FieldOf([] { templates::Validate("{now} {now}", Kind::kDeadline, "d"); }), "d");
  EXPECT_EQ(FieldOf([] { templates::Validate("{client.name}", Kind::kDeadline, "d"); }), "d");
  EXPECT_EQ(FieldOf([] { templates::Validate("at {now+1d}", Kind::kDeadline, "d"); }), "d");
}

TEST(TemplatesTest, TextRendersVariablesAndTimesInTheTenantsZone) {
  const auto moscow = LoadTimeZone("Europe/Moscow");
  const templates::Context c = MoscowContext(*moscow);
  EXPECT_EQ(templates::RenderText("Перезвонить {client.name} ({call.phone}) до {now+1d 10:00}, "
                                  "звонил {operator.name}; {{braces}}",
                                  c),
            "Перезвонить Иван Клиентов (+79001234567) до 06.03.2025 10:00, звонил Анна; "
            "{braces}");
  EXPECT_EQ(templates::RenderText("{deal.title}|{now}", c), "|05.03.2025 16:30")
      << "a known variable without a value is empty";
}

TEST(TemplatesTest, DeadlinesResolveInTheTenantsZone) {
  const auto moscow = LoadTimeZone("Europe/Moscow");
  const templates::Context c = MoscowContext(*moscow);
  const EpochMs tomorrow_ten = templates::RenderDeadline("{now+1d 10:00}", c);
  EXPECT_EQ(templates::FormatIso8601(tomorrow_ten, *moscow), "2025-03-06T10:00:00+03:00");
  EXPECT_EQ(tomorrow_ten, 1'741'244'400'000) << "07:00 UTC";
  EXPECT_EQ(templates::FormatIso8601(templates::RenderDeadline("{now+2h}", c), *moscow),
            "2025-03-05T18:30:00+03:00");
  EXPECT_EQ(templates::FormatIso8601(templates::RenderDeadline("{now+1w-1d 09:00}", c), *moscow),
            "2025-03-11T09:00:00+03:00");
  // The same template in another zone gives another instant: 10:00 there.
  const auto yekaterinburg = LoadTimeZone("Asia/Yekaterinburg");
  templates::Context e = MoscowContext(*yekaterinburg);
  EXPECT_EQ(
      templates::FormatIso8601(templates::RenderDeadline("{now+1d 10:00}", e), *yekaterinburg),
      "2025-03-06T10:00:00+05:00");
  EXPECT_THROW(templates::RenderDeadline("", c), Error);
}

TEST(TimeZoneTest, DaylightSavingGapsAndOverlapsAreResolved) {
  const auto berlin = LoadTimeZone("Europe/Berlin");
  // 2025-03-30 02:30 does not exist in Berlin (clocks jump 02:00 → 03:00).
  const EpochMs gap = berlin->FromLocal({2025, 3, 30, 2, 30, 0});
  EXPECT_EQ(templates::FormatIso8601(gap, *berlin), "2025-03-30T03:30:00+02:00");
  // 2025-10-26 02:30 happens twice; the earlier one is taken.
  const EpochMs overlap = berlin->FromLocal({2025, 10, 26, 2, 30, 0});
  EXPECT_EQ(templates::FormatIso8601(overlap, *berlin), "2025-10-26T02:30:00+02:00");
  // Summer and winter offsets.
  EXPECT_EQ(berlin->OffsetAt(1'751'328'000'000), 7200);  // 2025-07-01
  EXPECT_EQ(berlin->OffsetAt(1'735'689'600'000), 3600);  // 2025-01-01
  // Moscow has kept UTC+3 since 2014, also beyond the file's last transition.
  EXPECT_EQ(LoadTimeZone("Europe/Moscow")->OffsetAt(4'102'444'800'000), 10800);  // 2100
}

TEST(TimeZoneTest, UnknownOrMalformedZoneNamesAreRefused) {
  EXPECT_THROW(LoadTimeZone("Mars/Olympus"), Error);
  EXPECT_THROW(LoadTimeZone("../../etc/passwd"), Error);
  EXPECT_THROW(LoadTimeZone(""), Error);
  EXPECT_THROW(TimeZone::FromTzif("x", "not a tz file at all, but long enough to be read...."),
               Error);
  EXPECT_EQ(LoadTimeZone("UTC")->OffsetAt(kNow), 0);
}

}  // namespace
}  // namespace opdesk
