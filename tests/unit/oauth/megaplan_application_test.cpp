// The launch fields opdesk checks before anything is sent anywhere: expirationTime in the forms
// Megaplan may use, and the hosts a launch may name.
#include <gtest/gtest.h>

#include "connector/domain/error.h"
#include "oauth/megaplan/application.h"

namespace opdesk::megaplan {
namespace {

std::string FieldOfError(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    return e.field();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(ParseExpirationTimeTest, TakesUnixSecondsMillisecondsAndIso8601) {
  EXPECT_EQ(ParseExpirationTime("1765000000"), 1765000000000LL);
  EXPECT_EQ(ParseExpirationTime("1765000000123"), 1765000000123LL);
  EXPECT_EQ(ParseExpirationTime("2025-12-06T05:46:40Z"), 1765000000000LL);
  EXPECT_EQ(ParseExpirationTime("2025-12-06T08:46:40+03:00"), 1765000000000LL);
  EXPECT_EQ(ParseExpirationTime("2025-12-06 05:46:40.250Z"), 1765000000000LL);
  EXPECT_EQ(ParseExpirationTime("2025-12-06T05:46:40"), 1765000000000LL);
}

TEST(ParseExpirationTimeTest, RefusesAnythingElse) {
  for (const char* bad : {"", "tomorrow", "2025-13-06T05:46:40Z", "2025-12-06T05:46:40+3",
                          "2025-12-06", "-5", "12345678901234567890"}) {
    EXPECT_EQ(FieldOfError([&] { ParseExpirationTime(bad); }), "expirationTime") << bad;
  }
}

TEST(CheckMegaplanHostTest, AdmitsHostsOfTheConfiguredDomains) {
  const std::vector<std::string> domains = {"megaplan.ru", "127.0.0.1"};
  CheckMegaplanHost("acme.megaplan.ru", domains, "accountId");
  CheckMegaplanHost("MP123456.Megaplan.RU", domains, "accountId");
  CheckMegaplanHost("acme.megaplan.ru:8443", domains, "accountId");
  CheckMegaplanHost("127.0.0.1:8083", domains, "permanentHost");
}

TEST(CheckMegaplanHostTest, RefusesOtherHostsAndAnythingButAHost) {
  const std::vector<std::string> domains = {"megaplan.ru", "127.0.0.1"};
  for (const char* bad : {"", "megaplan.ru.evil.com", "evilmegaplan.ru", "acme.megaplan.ru/api",
                          "https://acme.megaplan.ru", "user@acme.megaplan.ru", "acme.megaplan.ru?x",
                          "127.0.0.2", "1.127.0.0.1", "acme megaplan.ru"}) {
    EXPECT_EQ(FieldOfError([&] { CheckMegaplanHost(bad, domains, "permanentHost"); }),
              "permanentHost")
        << bad;
  }
}

}  // namespace
}  // namespace opdesk::megaplan
