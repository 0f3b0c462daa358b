// Local time from the system tz database (TZif files) and the B13 client name built from it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "connector/domain/error.h"
#include "connector/domain/new_client.h"
#include "connector/domain/time_zone.h"

namespace opdesk {
namespace {

// Seconds since the epoch of a UTC wall-clock reading.
long long Utc(int y, int mo, int d, int h, int mi) {
  return DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}
EpochMs UtcMs(int y, int mo, int d, int h, int mi) {
  return Utc(y, mo, d, h, mi) * 1000;
}

std::string Tzif(const std::string& name) {
  std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
  std::stringstream data;
  data << in.rdbuf();
  return data.str();
}

TEST(TimeZoneTest, CivilDaysRoundTrip) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  for (long long days : {-719468LL, -1LL, 0LL, 17595LL, 20000LL, 100000LL}) {
    LocalTime t = CivilFromDays(days);
    EXPECT_EQ(DaysFromCivil(t.year, t.month, t.day), days);
  }
}

TEST(TimeZoneTest, MoscowFollowsItsHistory) {
  const TimeZone& moscow = *LoadTimeZone("Europe/Moscow");
  EXPECT_EQ(moscow.OffsetAt(UtcMs(2018, 3, 5, 13, 30)), 3 * 3600);
  EXPECT_EQ(moscow.OffsetAt(UtcMs(2012, 1, 10, 12, 0)), 4 * 3600) << "2011–2014: permanent UTC+4";
  EXPECT_EQ(moscow.OffsetAt(UtcMs(2005, 7, 1, 12, 0)), 4 * 3600) << "summer time, UTC+4";
  EXPECT_EQ(moscow.OffsetAt(UtcMs(2005, 1, 1, 12, 0)), 3 * 3600);
  EXPECT_EQ(moscow.OffsetAt(UtcMs(2090, 6, 1, 0, 0)), 3 * 3600) << "past the table: the footer";
  const LocalTime t = moscow.ToLocal(UtcMs(2018, 3, 5, 13, 30));
  EXPECT_EQ(t.year, 2018);
  EXPECT_EQ(t.month, 3);
  EXPECT_EQ(t.day, 5);
  EXPECT_EQ(t.hour, 16);
  EXPECT_EQ(t.minute, 30);
}

TEST(TimeZoneTest, NamesOutsideTheDatabaseAreRefused) {
  for (const char* bad : {"", "Europe/Nowhere", "../../etc/passwd", "/etc/localtime", "Europe",
                          "Europe//Moscow", "Europe/./Moscow", "Europe/Moscow "}) {
    EXPECT_THROW(LoadTimeZone(bad), Error) << bad;
  }
  EXPECT_THROW(TimeZone::FromTzif("x", "not a tz file at all, not at all"), Error);
  EXPECT_THROW(TimeZone::FromTzif("x", Tzif("Europe/Moscow").substr(0, 60)), Error);
  EXPECT_EQ(TimeZone::Utc().OffsetAt(UtcMs(2018, 3, 5, 13, 30)), 0);
}

TEST(NewClientTest, NameIsTheCallTimeInTheTenantsZoneAndDirection) {
  const long long at = Utc(2018, 3, 5, 13, 30);
  EXPECT_EQ(NewClientName(at, false, *LoadTimeZone("Europe/Moscow")),
            "Новый (16:30 05.03.2018, входящий вызов)");
  EXPECT_EQ(NewClientName(at, true, *LoadTimeZone("Asia/Yekaterinburg")),
            "Новый (18:30 05.03.2018, исходящий вызов)");
  EXPECT_EQ(NewClientName(Utc(2018, 12, 31, 21, 5), false, *LoadTimeZone("Europe/Moscow")),
            "Новый (00:05 01.01.2019, входящий вызов)")
      << "the local date, not the UTC one";
}

TEST(NewClientTest, PlanTakesTheLinesSourceThePipelineAndThePhone) {
  calls::Call call;
  call.direction = calls::Direction::kInbound;
  call.client_number = "79005550001";
  call.line_number = "74951234567";
  call.started_at = Utc(2018, 3, 5, 13, 30);
  IntegrationSettings s;
  s.crm_source_by_line = {{"74951234567", "WEB"}};
  s.deal_category_id = "1";
  s.deal_stage_id = "C1:NEW";
  NewClientPlan p =
      PlanNewClient(call, calls::ClientAction::kClientAndDeal, s, *LoadTimeZone("Europe/Moscow"));
  EXPECT_EQ(p.phone, "+79005550001");
  EXPECT_EQ(p.source_id, "WEB");
  EXPECT_EQ(p.source_description, "MANGO OFFICE, линия 74951234567");
  EXPECT_EQ(p.deal_category_id, "1");
  EXPECT_EQ(p.deal_stage_id, "C1:NEW");
  EXPECT_EQ(p.name, "Новый (16:30 05.03.2018, входящий вызов)");
  call.line_number = "74959999999";
  EXPECT_EQ(PlanNewClient(call, calls::ClientAction::kLead, s, TimeZone::Utc()).source_id,
            kDefaultCrmSource)
      << "a line without a source of its own";
  EXPECT_EQ(ClientPhone("sip:user@vpbx.mangosip.ru"), "");
  EXPECT_EQ(ClientPhone(""), "");
  EXPECT_EQ(ClientPhone("+7 (900) 555-00-01"), "+79005550001");
}

}  // namespace
}  // namespace opdesk
