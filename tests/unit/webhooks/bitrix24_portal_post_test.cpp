// The forms Bitrix24 POSTs to the app (webhooks/bitrix24/portal_post.h): frame sign-in fields and
// their limits, and PHP-style event forms. Inputs found by fuzzing (tests/fuzz) are kept here.
#include <gtest/gtest.h>

#include <string>

#include "connector/domain/error.h"
#include "webhooks/bitrix24/portal_post.h"

namespace opdesk::bitrix24 {
namespace {

constexpr char kFrame[] = "AUTH_ID=a1b2&REFRESH_ID=r1&member_id=m1&PLACEMENT=DEFAULT";

http::Request Frame(const std::string& body, const std::string& query = "") {
  http::Request request;
  request.method = "POST";
  request.path = "/b24/app";
  request.query = query;
  request.query_params = http::ParseForm(query);
  request.body = body;
  return request;
}

std::string FieldOf(const http::Request& request) {
  try {
    ParseFramePost(request);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    return e.field();
  }
  return "(accepted)";
}

TEST(PortalPostTest, FrameReadsItsFields) {
  const FramePost f = ParseFramePost(
      Frame(std::string(kFrame) + "&AUTH_EXPIRES=1800", "DOMAIN=portal.bitrix24.ru&LANG=en"));
  EXPECT_EQ(f.domain, "portal.bitrix24.ru");
  EXPECT_EQ(f.lang, "en");
  EXPECT_EQ(f.member_id, "m1");
  EXPECT_EQ(f.auth_id, "a1b2");
  EXPECT_EQ(f.refresh_id, "r1");
  EXPECT_EQ(f.auth_expires_s, 1800);
  EXPECT_EQ(f.placement, "DEFAULT");
}

TEST(PortalPostTest, FrameWithoutAuthExpiresGetsAnHour) {
  EXPECT_EQ(ParseFramePost(Frame(kFrame)).auth_expires_s, 3600);
}

// The token store adds AUTH_EXPIRES * 1000 to the clock: a huge value overflowed (undefined
// behaviour) and a zero or negative one stored a token that had always expired.
TEST(PortalPostTest, FrameWithAuthExpiresOutOfRangeIsRefused) {
  for (const std::string bad :
       {"9223372036854775807", "9223372036854", "604801", "0", "-3600", "-9223372036854775808"}) {
    EXPECT_EQ(FieldOf(Frame(std::string(kFrame) + "&AUTH_EXPIRES=" + bad)), "AUTH_EXPIRES") << bad;
  }
  EXPECT_EQ(ParseFramePost(Frame(std::string(kFrame) + "&AUTH_EXPIRES=604800")).auth_expires_s,
            604800);
  EXPECT_EQ(FieldOf(Frame(std::string(kFrame) + "&AUTH_EXPIRES=soon")), "AUTH_EXPIRES");
  EXPECT_EQ(FieldOf(Frame(std::string(kFrame) + "&AUTH_EXPIRES=99999999999999999999")),
            "AUTH_EXPIRES");
}

TEST(PortalPostTest, FrameNamesTheFirstMissingField) {
  EXPECT_EQ(FieldOf(Frame("AUTH_ID=a1b2")), "member_id");
  EXPECT_EQ(FieldOf(Frame("member_id=m1")), "AUTH_ID");
}

TEST(PortalPostTest, EventReadsPhpStyleKeys) {
  const EventPost e = ParseEventPost(
      "event=onappuninstall&data%5BCLEAN%5D=0&data[FIELDS][ID]=12&auth[member_id]=m1&ts=17");
  EXPECT_EQ(e.event, "ONAPPUNINSTALL");
  EXPECT_EQ(e.data.at("CLEAN"), "0");
  EXPECT_EQ(e.data.at("FIELDS][ID"), "12");
  EXPECT_EQ(e.auth.at("member_id"), "m1");
  EXPECT_EQ(e.ts, "17");
}

TEST(PortalPostTest, EventWithoutANameIsRefused) {
  try {
    ParseEventPost("data[CLEAN]=0");
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "event");
  }
}

}  // namespace
}  // namespace opdesk::bitrix24
