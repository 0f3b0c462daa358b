// Seats, supervisors and the tariff on both backends: the installer's Supervisor role, the seat
// limit with its races, the last Supervisor with its race, a paid period ending (scheduled and on
// access) and renewal, and the migration of tenants from before roles existed.
#include <soci/soci.h>

#include <barrier>
#include <thread>

#include "connector/storage/migrations.h"
#include "tests/integration/settings_fixture.h"

namespace opdesk::testing {
namespace {

using settings::SeatState;

TEST_P(SettingsDbTest, TheInstallerHoldsTheSupervisorRoleAndItsSeat) {
  const User installer = UserOf("1");
  EXPECT_EQ(installer.role_id, SupervisorRole());
  EXPECT_FALSE(installer.seat_blocked);
  const settings::AccessView access = service_->ResolveAccess("t1", "1");
  EXPECT_EQ(access.state, SeatState::kActive);
  ASSERT_TRUE(access.role);
  EXPECT_TRUE(access.role->system);
  EXPECT_TRUE(access.role->may_manage_settings);
  ASSERT_EQ(access.supervisors.size(), 1u);
  EXPECT_EQ(access.supervisors[0].name, "User 1");
  EXPECT_EQ(service_->ResolveAccess("t1", "2").state, SeatState::kNoRole);
  EXPECT_EQ(service_->ResolveAccess("t1", "nobody").state, SeatState::kNoRole);
  EXPECT_NE(SupervisorRole("t1"), SupervisorRole("t2")) << "one system role per tenant";
  // Granting again changes nothing.
  storage::InTransaction(
      *db_, [&](storage::Session& s) { service_->GrantInstallerSupervisor(s, "t1", "1"); });
  EXPECT_EQ(UserOf("1").seat_seq, installer.seat_seq);
}

TEST_P(SettingsDbTest, OnlyRolesThatMayManageSettingsChangeThem) {
  const long long operator_role = NewRole("Оператор");
  service_->AssignRole("t1", "1", "2", operator_role);
  EXPECT_EQ(CodeOf([&] { service_->AuthorizeRead("t1", "2"); }), "ok");
  EXPECT_EQ(CodeOf([&] { service_->AuthorizeManager("t1", "2"); }), "PERMISSION_DENIED");
  EXPECT_EQ(CodeOf([&] { service_->AssignRole("t1", "2", "3", operator_role); }),
            "PERMISSION_DENIED");
  EXPECT_EQ(CodeOf([&] { service_->AuthorizeRead("t1", "3"); }), "PERMISSION_DENIED")
      << "no role, no reads";
  EXPECT_EQ(CodeOf([&] { service_->AuthorizeRead("t2", "2"); }), "PERMISSION_DENIED")
      << "a role in t1 means nothing in t2";
}

TEST_P(SettingsDbTest, ARoleBeyondThePlansLimitIsRefusedNamingTheLimit) {
  const long long operator_role = NewRole("Оператор");
  service_->AssignRole("t1", "1", "2", operator_role);  // 2 of 2 on the free plan
  try {
    service_->AssignRole("t1", "1", "3", operator_role);
    FAIL() << "a third seat on the free plan";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kResourceExhausted);
    EXPECT_NE(std::string(e.what()).find("allows 2 users"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("standard"), std::string::npos) << e.what();
  }
  EXPECT_EQ(UserOf("3").role_id, 0) << "nothing changed";
  // Changing the role of a seated user takes no new seat; freeing one lets another in.
  service_->AssignRole("t1", "1", "2", NewRole("Старший", true));
  service_->AssignRole("t1", "1", "2", 0);
  EXPECT_EQ(service_->AssignRole("t1", "1", "3", operator_role).state, SeatState::kActive);
  // The free plan of the other price list: 3 users.
  MakeService(PlanCatalog(3, 7));
  EXPECT_EQ(service_->AssignRole("t1", "1", "4", operator_role).state, SeatState::kActive);
}

TEST_P(SettingsDbTest, TwoConcurrentAssignmentsCannotBothTakeTheLastSeat) {
  const long long operator_role = NewRole("Оператор");
  for (int round = 0; round < 8; ++round) {
    std::barrier start(2);
    std::atomic<int> ok{0};
    std::atomic<int> refused{0};
    auto assign = [&](const std::string& user) {
      start.arrive_and_wait();
      const std::string code =
          CodeOf([&] { service_->AssignRole("t1", "1", user, operator_role); });
      (code == "ok" ? ok : refused) += 1;
      EXPECT_TRUE(code == "ok" || code == "RESOURCE_EXHAUSTED") << code;
    };
    std::thread a(assign, "2");
    std::thread b(assign, "3");
    a.join();
    b.join();
    EXPECT_EQ(ok.load(), 1) << "round " << round;
    EXPECT_EQ(refused.load(), 1) << "round " << round;
    EXPECT_EQ(ActiveSeats(), 2) << "round " << round;
    service_->AssignRole("t1", "1", "2", 0);
    service_->AssignRole("t1", "1", "3", 0);
  }
}

TEST_P(SettingsDbTest, TheLastActiveSupervisorCannotLoseTheRole) {
  EXPECT_EQ(CodeOf([&] { service_->AssignRole("t1", "1", "1", 0); }), "CONFLICT");
  EXPECT_EQ(CodeOf([&] { service_->AssignRole("t1", "1", "1", NewRole("Оператор")); }), "CONFLICT");
  EXPECT_EQ(UserOf("1").role_id, SupervisorRole());
  // With a second Supervisor the first may step down.
  service_->AssignRole("t1", "1", "2", SupervisorRole());
  EXPECT_EQ(CodeOf([&] { service_->AssignRole("t1", "2", "1", 0); }), "ok");
  EXPECT_EQ(CodeOf([&] { service_->AssignRole("t1", "2", "2", 0); }), "CONFLICT");
}

TEST_P(SettingsDbTest, ConcurrentRemovalsNeverLeaveTheTenantWithoutASupervisor) {
  service_->SetPlan("t1", "standard", "2099-12-31", "vendor");
  const long long manager = NewRole("Администратор", true);
  service_->AssignRole("t1", "1", "3", manager);
  for (int round = 0; round < 6; ++round) {
    service_->AssignRole("t1", "3", "2", SupervisorRole());
    std::barrier start(2);
    std::atomic<int> ok{0};
    auto remove = [&](const std::string& user) {
      start.arrive_and_wait();
      const std::string code = CodeOf([&] { service_->AssignRole("t1", "3", user, 0); });
      EXPECT_TRUE(code == "ok" || code == "CONFLICT") << code;
      ok += code == "ok" ? 1 : 0;
    };
    std::thread a(remove, "1");
    std::thread b(remove, "2");
    a.join();
    b.join();
    EXPECT_EQ(ok.load(), 1) << "round " << round;
    std::vector<settings::Supervisor> left;
    storage::WithSession(*db_,
                         [&](storage::Session& s) { left = settings::ActiveSupervisors(s, "t1"); });
    ASSERT_EQ(left.size(), 1u) << "round " << round;
    // Put the installer back for the next round.
    if (left[0].user_id != "1") {
      service_->AssignRole("t1", "3", "1", SupervisorRole());
      service_->AssignRole("t1", "3", "2", 0);
    }
  }
}

TEST_P(SettingsDbTest, AnEndedPaidPeriodKeepsTheSupervisorAndOneRandomOtherWithoutDataLoss) {
  service_->SetPlan("t1", "standard", "2024-01-31", "vendor");  // the fake clock is in 2023
  const long long operator_role = NewRole("Оператор");
  for (const char* user : {"2", "3", "4", "5"}) {
    service_->AssignRole("t1", "1", user, operator_role);
  }
  service_->AssignRole("t1", "1", "6", SupervisorRole());  // a second Supervisor
  EXPECT_EQ(ActiveSeats(), 6);
  std::vector<std::size_t> asked;
  pick_ = [&](std::size_t n) {
    asked.push_back(n);
    return 2;  // of [2, 3, 4, 5, 6] in seat order: user 4
  };
  clock_.Set(1'707'000'000'000);  // 2024-02-03: the period has ended
  EXPECT_EQ(service_->ApplyDueLapses(), 1);
  EXPECT_EQ(service_->ApplyDueLapses(), 0) << "applied once";
  EXPECT_EQ(asked, std::vector<std::size_t>{5});
  EXPECT_EQ(ActiveSeats(), 2);
  EXPECT_EQ(service_->ResolveAccess("t1", "1").state, SeatState::kActive) << "the installer";
  EXPECT_EQ(service_->ResolveAccess("t1", "4").state, SeatState::kActive) << "the random one";
  for (const char* user : {"2", "3", "5", "6"}) {
    const User u = UserOf(user);
    EXPECT_TRUE(u.seat_blocked) << user;
    EXPECT_NE(u.role_id, 0) << user << " keeps the role for the renewal";
    EXPECT_EQ(service_->ResolveAccess("t1", user).state, SeatState::kBlocked) << user;
  }
  EXPECT_EQ(CodeOf([&] { service_->AuthorizeRead("t1", "2"); }), "PERMISSION_DENIED");
  EXPECT_EQ(CodeOf([&] { service_->AssignRole("t1", "1", "7", operator_role); }),
            "RESOURCE_EXHAUSTED")
      << "the free limit applies while unpaid";
  const std::vector<AuditEntry> audit = Audit();
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.front().action, "plan.lapse");
  EXPECT_EQ(audit.front().actor, "system");
  EXPECT_NE(audit.front().after_json->find("\"blocked_users\""), std::string::npos);

  // Renewal restores the blocked users in the order they first took their seats, up to the
  // new limit (3 seats in this catalog: two come back, the later ones wait).
  MakeService(PlanCatalog(2, 4));
  service_->SetPlan("t1", "standard", "2024-12-31", "vendor");
  EXPECT_EQ(ActiveSeats(), 4);
  EXPECT_FALSE(UserOf("2").seat_blocked);
  EXPECT_FALSE(UserOf("3").seat_blocked);
  EXPECT_TRUE(UserOf("5").seat_blocked);
  EXPECT_TRUE(UserOf("6").seat_blocked);
  service_->SetPlan("t1", "unlimited", "2024-12-31", "vendor");
  EXPECT_EQ(ActiveSeats(), 6) << "everyone is back";
  EXPECT_EQ(UserOf("6").role_id, SupervisorRole());
}

TEST_P(SettingsDbTest, AnEndedPaidPeriodIsAppliedOnAccessWithoutTheScheduledCheck) {
  service_->SetPlan("t1", "standard", "2024-01-31", "vendor");
  const long long operator_role = NewRole("Оператор");
  for (const char* user : {"2", "3", "4"}) {
    service_->AssignRole("t1", "1", user, operator_role);
  }
  clock_.Set(1'707'000'000'000);
  // The call card's seat lookup applies it.
  const settings::AccessView three = service_->ResolveAccess("t1", "3");
  EXPECT_EQ(ActiveSeats(), 2);
  EXPECT_EQ(three.state, SeatState::kBlocked) << "pick 0 keeps user 2";
  const settings::TariffView tariff = service_->Tariff("t1", false);
  EXPECT_TRUE(tariff.status.lapsed);
  EXPECT_EQ(tariff.status.max_users, 2);
  EXPECT_EQ(tariff.seats_used, 2);
  ASSERT_TRUE(tariff.marketplace) << "app.info is read and shown";
  EXPECT_EQ(tariff.marketplace->status, "S");
  EXPECT_EQ(tariff.marketplace->days, 30);
}

TEST_P(SettingsDbTest, ADowngradeBlocksTheExcessAndAnUnknownPlanOrDateIsRefused) {
  service_->SetPlan("t1", "standard", "2099-01-01", "vendor");
  const long long operator_role = NewRole("Оператор");
  for (const char* user : {"2", "3", "4"}) {
    service_->AssignRole("t1", "1", user, operator_role);
  }
  service_->SetPlan("t1", "free", "", "vendor");
  EXPECT_EQ(ActiveSeats(), 2);
  EXPECT_EQ(UserOf("1").seat_blocked, false);
  EXPECT_EQ(CodeOf([&] { service_->SetPlan("t1", "gold", "2099-01-01", "vendor"); }),
            "INVALID_ARGUMENT");
  EXPECT_EQ(CodeOf([&] { service_->SetPlan("t1", "standard", "", "vendor"); }), "INVALID_ARGUMENT");
  EXPECT_EQ(CodeOf([&] { service_->SetPlan("t1", "standard", "tomorrow", "vendor"); }),
            "INVALID_ARGUMENT");
  EXPECT_EQ(CodeOf([&] { service_->SetPlan("nope", "free", "", "vendor"); }), "NOT_FOUND");
}

TEST_P(SettingsDbTest, PortalUsersAreReadFromTheCrmAndDeactivatedOnesTakeNoRole) {
  {
    std::lock_guard lock(crm_.mu);
    crm_.users.push_back({"10", "Григорий Уволенный", "g@example.test", false});
    crm_.users[1].name = "Борис Операторов";
  }
  const settings::UsersView view = service_->ListUsers("t1", true);
  EXPECT_EQ(view.users.size(), 10u);
  EXPECT_EQ(UserOf("2").name, "Борис Операторов");
  EXPECT_EQ(UserOf("10").status, "fired");
  EXPECT_EQ(view.seats_used, 1);
  EXPECT_EQ(view.plan.max_users, 2);
  EXPECT_EQ(CodeOf([&] { service_->AssignRole("t1", "1", "10", NewRole("Оператор")); }),
            "INVALID_ARGUMENT");
  EXPECT_EQ(CodeOf([&] { service_->AssignRole("t1", "1", "999", 0); }), "NOT_FOUND");
  // A refresh that fails is reported; a list older than its time-to-live is served anyway.
  {
    std::lock_guard lock(crm_.mu);
    crm_.down = true;
  }
  EXPECT_EQ(CodeOf([&] { service_->ListUsers("t1", true); }), "UNAVAILABLE");
  clock_.Advance(3'600'000);
  EXPECT_EQ(service_->ListUsers("t1", false).users.size(), 10u);
}

class SettingsMigrationTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SettingsMigrationTest, TenantsFromBeforeRolesGetTheirSupervisorRole) {
  TestDatabase test_db(GetParam());
  auto db = test_db.Open(/*migrate=*/false);
  FakeClock clock;
  storage::Migrate(*db, clock, 6);
  storage::InTransaction(*db, [](storage::Session& s) {
    s.sql() << "INSERT INTO tenants (id, kind, created_at_ms, updated_at_ms) VALUES"
               " ('old', 'bitrix24', 1, 1)";
    s.sql() << "INSERT INTO users (tenant_id, user_id, name, created_at_ms, updated_at_ms, role)"
               " VALUES ('old', '1', 'Анна', 1, 1, 'supervisor'), ('old', '2', 'Борис', 1, 1, '')";
  });
  storage::Migrate(*db, clock);
  std::optional<storage::RoleRow> role;
  std::optional<User> anna;
  std::optional<User> boris;
  storage::WithSession(*db, [&](storage::Session& s) {
    role = storage::RoleRepository::FindSystem(s, "old", "supervisor");
    anna = storage::UserRepository::Find(s, "old", "1");
    boris = storage::UserRepository::Find(s, "old", "2");
  });
  ASSERT_TRUE(role);
  EXPECT_EQ(role->name, "Супервайзер");
  EXPECT_TRUE(role->may_manage_settings);
  ASSERT_TRUE(anna);
  EXPECT_EQ(anna->role_id, role->id);
  EXPECT_FALSE(anna->seat_blocked);
  ASSERT_TRUE(boris);
  EXPECT_EQ(boris->role_id, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, SettingsDbTest, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Backends, SettingsMigrationTest, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk::testing
