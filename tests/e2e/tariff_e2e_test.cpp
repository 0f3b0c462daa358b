// The tariff end to end, on both backends: the vendor sets plans with `opdesk plan` and the
// admin API, the page shows plan, seats and the portal's app.info, an ended paid period blocks
// all but the Supervisor and one other (at once when the date is past, and by the scheduled check
// while nobody is looking), and a renewal brings everyone back.
#include <soci/soci.h>

#include "tests/e2e/settings_fixture.h"

namespace opdesk::testing {
namespace {

using namespace std::chrono_literals;

TEST_P(SettingsApiTest, TheVendorSetsPlansAndAnEndedPeriodBlocksSeatsUntilRenewal) {
  const std::string role = GiveRole("2", R"({"name":"Оператор"})");
  std::string out;
  ASSERT_EQ(Cli({"plan", "set", "--tenant", emu_->member_id(), "--plan", "standard", "--until",
                 "2099-12-31"},
                &out),
            0)
      << out;
  EXPECT_NE(out.find("standard (7 users)"), std::string::npos) << out;
  EXPECT_NE(out.find("paid until: 2099-12-31"), std::string::npos) << out;
  ASSERT_EQ(
      Call("PUT", "/api/settings/users/3", R"({"role_id":")" + role + R"("})", supervisor_).status,
      200)
      << "a third seat on the standard plan";

  const value tariff = Json(Call("GET", "/api/settings/tariff", "", supervisor_));
  EXPECT_EQ(tariff.at("plan").as_string(), "standard");
  EXPECT_EQ(tariff.at("max_users").as_integer(), 7);
  EXPECT_EQ(tariff.at("seats_used").as_integer(), 3);
  EXPECT_EQ(tariff.at("paid_until").as_string(), "2099-12-31");
  EXPECT_FALSE(tariff.at("lapsed").as_bool());
  // Bitrix24's own view of the subscription (app.info), shown as read.
  EXPECT_EQ(tariff.at("bitrix24").at("status").as_string(), "S");
  EXPECT_FALSE(tariff.at("bitrix24").at("payment_expired").as_bool());
  EXPECT_EQ(tariff.at("bitrix24").at("days").as_integer(), 30);
  // How to order the paid plan, from the vendor's configuration.
  EXPECT_EQ(tariff.at("order_url").as_string(), kOrderUrl);
  EXPECT_EQ(tariff.at("contacts").as_string(), kContacts);

  // The admin API: a date already past applies the fallback at once.
  const std::map<std::string, std::string> admin = {
      {"Authorization", std::string("Bearer ") + kAdminToken},
      {"Content-Type", "application/json"}};
  const std::string target = "/api/admin/tenants/" + emu_->member_id() + "/plan";
  EXPECT_EQ(HttpRequest(opdesk_->port(), "PUT", target, R"({"plan":"free"})",
                        {{"Content-Type", "application/json"}})
                .status,
            401);
  RawResponse lapsed = HttpRequest(opdesk_->port(), "PUT", target,
                                   R"({"plan":"standard","until":"2020-01-31"})", admin);
  ASSERT_EQ(lapsed.status, 200) << lapsed.body;
  EXPECT_TRUE(Json(lapsed).at("lapsed").as_bool());
  EXPECT_EQ(Json(lapsed).at("max_users").as_integer(), 2);
  EXPECT_EQ(Json(lapsed).at("seats_used").as_integer(), 2);
  const value users = Json(Call("GET", "/api/settings/users", "", supervisor_));
  int blocked = 0;
  for (const value& u : users.at("users").as_array()) {
    if (u.at("user_id").as_string() == "1") {
      EXPECT_EQ(u.at("status").as_string(), "active") << "the Supervisor keeps the role";
    }
    if (u.at("status").as_string() == "blocked") {
      ++blocked;
      EXPECT_EQ(u.at("role_id").as_string(), role) << "blocked, not stripped";
    }
  }
  EXPECT_EQ(blocked, 1);
  EXPECT_EQ(HttpRequest(opdesk_->port(), "PUT", target, R"({"plan":"gold"})", admin).status, 400);
  ASSERT_EQ(Cli({"plan", "show", "--tenant", emu_->member_id()}, &out), 0);
  EXPECT_NE(out.find("ended"), std::string::npos) << out;
  EXPECT_EQ(Cli({"plan", "set", "--tenant", emu_->member_id(), "--plan", "standard"}, &out), 2)
      << "a paid plan needs --until";
  EXPECT_EQ(Cli({"plan", "set", "--tenant", "nobody", "--plan", "free"}, &out), 1);

  // Renewal: everyone is back.
  ASSERT_EQ(Cli({"plan", "set", "--tenant", emu_->member_id(), "--plan", "standard", "--until",
                 "2099-12-31"},
                &out),
            0);
  EXPECT_EQ(
      Json(Call("GET", "/api/settings/tariff", "", supervisor_)).at("seats_used").as_integer(), 3);

  // The scheduled check: the period ends while nobody uses the app.
  const long long soon = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count() +
                         1'000;
  storage::InTransaction(*db_, [&](storage::Session& s) {
    s.sql() << "UPDATE tenants SET paid_until_ms = :p WHERE id = :t", soci::use(soon),
        soci::use(emu_->member_id());
  });
  const long long lapses = Count("audit_log WHERE action = 'plan.lapse'");
  EXPECT_TRUE(WaitFor([&] { return Count("audit_log WHERE action = 'plan.lapse'") > lapses; }, 15s))
      << opdesk_->Log();
  EXPECT_EQ(Count("users WHERE role_id <> 0 AND seat_blocked = 0"), 2);
  EXPECT_EQ(Count("users WHERE role_id <> 0"), 3) << "no data lost";
}

}  // namespace
}  // namespace opdesk::testing
