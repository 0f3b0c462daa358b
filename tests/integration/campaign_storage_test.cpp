// Dialing tasks' storage on both backends: tasks with employees, imported numbers, filters and
// counts, and the claim of the next contact — its order (own callbacks, new, due retries) and
// that ten operators claiming at once, each on its own connection, never get the same contact
// and together get every one.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "connector/domain/error.h"
#include "connector/storage/campaign_repository.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using campaigns::CallResult;
using campaigns::ContactStatus;
using storage::CampaignContactRepository;
using storage::CampaignContactRow;
using storage::CampaignTaskRepository;
using storage::Session;

constexpr EpochMs kNow = 1'700'000'000'000;
constexpr const char* kTenant = "b24:acme";

class CampaignStorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    db_ = test_db_->Open(true, 12);
  }

  long long NewTask(int contacts, std::vector<std::string> employees = {"5", "7"}) {
    campaigns::Task t;
    t.name = "Обзвон";
    t.employee_ids = std::move(employees);
    t.state = campaigns::TaskState::kRunning;
    t.created_at_ms = t.updated_at_ms = kNow;
    long long id = 0;
    storage::InTransaction(*db_, [&](Session& s) {
      id = CampaignTaskRepository::Insert(s, kTenant, t, "1");
      std::vector<campaigns::ImportRow> rows;
      for (int i = 0; i < contacts; ++i) {
        rows.push_back(
            {i + 1, "+7900" + std::to_string(1000000 + i), "Клиент " + std::to_string(i)});
      }
      CampaignContactRepository::InsertNumbers(s, kTenant, id, rows, kNow);
    });
    return id;
  }

  std::optional<CampaignContactRow> Claim(long long task, const std::string& user, EpochMs now) {
    std::optional<CampaignContactRow> got;
    storage::InTransaction(*db_, [&](Session& s) {
      got = CampaignContactRepository::ClaimNext(s, kTenant, task, user, now);
    });
    return got;
  }

  void SetResult(long long task, const CampaignContactRow& row, CallResult result,
                 std::optional<EpochMs> at, EpochMs now) {
    storage::InTransaction(*db_, [&](Session& s) {
      CampaignContactRow r = *CampaignContactRepository::Find(s, kTenant, task, row.id, true);
      const long long v = r.version;
      r.state = campaigns::ApplyResult(r.state, {r.state.operator_id}, {result, at},
                                       campaigns::RetryRule{3, 10}, now);
      ASSERT_TRUE(CampaignContactRepository::Save(s, kTenant, r, v, now));
    });
  }

  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
};

TEST_P(CampaignStorageTest, TasksKeepTheirEmployeesAndVersions) {
  const long long id = NewTask(0, {"7", "5"});
  storage::InTransaction(*db_, [&](Session& s) {
    campaigns::Task t = *CampaignTaskRepository::Find(s, kTenant, id);
    EXPECT_EQ(t.employee_ids, (std::vector<std::string>{"7", "5"}));
    EXPECT_EQ(t.version, 1);
    EXPECT_FALSE(CampaignTaskRepository::Find(s, "b24:other", id));
    t.employee_ids = {"9"};
    t.name = "Новое имя";
    EXPECT_TRUE(CampaignTaskRepository::Update(s, kTenant, t, 1));
    EXPECT_FALSE(CampaignTaskRepository::Update(s, kTenant, t, 1));  // stale
    EXPECT_EQ(CampaignTaskRepository::List(s, kTenant, "9").size(), 1u);
    EXPECT_TRUE(CampaignTaskRepository::List(s, kTenant, "5").empty());
    EXPECT_EQ(CampaignTaskRepository::Find(s, kTenant, id)->name, "Новое имя");
  });
}

TEST_P(CampaignStorageTest, ImportedNumbersAreUniquePerTaskAndCounted) {
  const long long id = NewTask(250);  // more than one insert statement
  storage::WithSession(*db_, [&](Session& s) {
    EXPECT_EQ(CampaignContactRepository::Numbers(s, kTenant, id).size(), 250u);
    const storage::CampaignCounts c = CampaignContactRepository::Counts(s, kTenant, id);
    EXPECT_EQ(c.total, 250);
    EXPECT_EQ(c.by_status.at("new"), 250);
    EXPECT_EQ(c.by_status.at("done"), 0);
  });
  EXPECT_THROW(storage::InTransaction(*db_,
                                      [&](Session& s) {
                                        CampaignContactRepository::InsertNumbers(
                                            s, kTenant, id, {{1, "+79001000000", ""}}, kNow);
                                      }),
               Error);
}

TEST_P(CampaignStorageTest, ClaimGivesCallbacksFirstThenNewThenDueRetries) {
  const long long task = NewTask(3);
  // Operator 5 takes contact 1 and asks to call back in 10 minutes; operator 7 takes contact 2
  // and nobody answers (retry after 10 minutes).
  const auto first = Claim(task, "5", kNow);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->phone, "+79001000000");
  EXPECT_EQ(Claim(task, "5", kNow)->id, first->id);  // their open one, again
  SetResult(task, *first, CallResult::kCallBack, kNow + 600'000, kNow);
  const auto second = Claim(task, "7", kNow);
  SetResult(task, *second, CallResult::kNoAnswer, std::nullopt, kNow);

  // Before the callback is due operator 5 gets the last new contact.
  const auto third = Claim(task, "5", kNow + 1000);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->phone, "+79001000002");
  SetResult(task, *third, CallResult::kRefused, std::nullopt, kNow + 1000);
  EXPECT_FALSE(Claim(task, "7", kNow + 2000));  // nothing due for 7

  // At +10 min: operator 7 cannot take 5's callback; 5 gets it before the retry.
  const EpochMs later = kNow + 600'000;
  const auto callback = Claim(task, "5", later);
  ASSERT_TRUE(callback);
  EXPECT_EQ(callback->id, first->id);
  EXPECT_TRUE(callback->state.opened);
  const auto retry = Claim(task, "7", later);
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->id, second->id);
  EXPECT_EQ(retry->state.attempts, 1);
  storage::WithSession(*db_, [&](Session& s) {
    const auto counts = CampaignContactRepository::Counts(s, kTenant, task);
    EXPECT_EQ(counts.by_status.at("in_work"), 2);
    EXPECT_EQ(counts.by_status.at("done"), 1);
    EXPECT_EQ(counts.by_result.at("refused"), 1);
  });
}

TEST_P(CampaignStorageTest, FiltersNarrowTheList) {
  const long long task = NewTask(5);
  const auto a = Claim(task, "5", kNow);
  SetResult(task, *a, CallResult::kRefused, std::nullopt, kNow);
  Claim(task, "7", kNow);
  storage::WithSession(*db_, [&](Session& s) {
    storage::CampaignContactFilter f;
    f.status = ContactStatus::kDone;
    EXPECT_EQ(CampaignContactRepository::List(s, kTenant, task, f).size(), 1u);
    f = {};
    f.operator_id = "7";
    EXPECT_EQ(CampaignContactRepository::List(s, kTenant, task, f).size(), 1u);
    f = {};
    f.result = CallResult::kNone;
    EXPECT_EQ(CampaignContactRepository::List(s, kTenant, task, f).size(), 4u);
    f = {};
    f.query = "1000004";
    EXPECT_EQ(CampaignContactRepository::List(s, kTenant, task, f).size(), 1u);
    f = {};
    f.query = "Клиент 3";
    EXPECT_EQ(CampaignContactRepository::List(s, kTenant, task, f).size(), 1u);
    f = {};
    f.after_id = a->id;
    f.limit = 2;
    EXPECT_EQ(CampaignContactRepository::List(s, kTenant, task, f).size(), 2u);
    EXPECT_TRUE(CampaignContactRepository::List(s, "b24:other", task, {}).empty());
  });
  storage::InTransaction(*db_, [&](Session& s) {
    EXPECT_EQ(CampaignContactRepository::DeleteIds(s, kTenant, task, {a->id, 999999}), 1);
    EXPECT_EQ(CampaignContactRepository::Counts(s, kTenant, task).total, 4);
  });
}

// The concurrency promise of FEATURES F4: ten operators press «Приступить к работе» at once, over
// and over, each on its own connection; every contact is handed out exactly once.
TEST_P(CampaignStorageTest, TenOperatorsNeverGetTheSameContact) {
  constexpr int kOperators = 10;
  constexpr int kContacts = 300;
  std::vector<std::string> employees;
  for (int i = 0; i < kOperators; ++i) {
    employees.push_back(std::to_string(100 + i));
  }
  const long long task = NewTask(kContacts, employees);
  std::mutex mu;
  std::map<long long, std::string> given;  // contact → operator
  std::vector<std::string> twice;
  std::atomic<int> failures{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kOperators; ++i) {
    threads.emplace_back([&, i] {
      const std::string user = employees[i];
      while (!go.load()) {
        std::this_thread::yield();
      }
      for (;;) {
        std::optional<CampaignContactRow> got;
        try {
          got = Claim(task, user, kNow);
          if (got) {
            // Finish it at once, so the operator's next press takes another.
            SetResult(task, *got, CallResult::kRefused, std::nullopt, kNow);
          }
        } catch (const Error&) {
          ++failures;
          continue;
        }
        if (!got) {
          return;
        }
        std::lock_guard<std::mutex> lock(mu);
        auto [it, fresh] = given.emplace(got->id, user);
        if (!fresh) {
          twice.push_back(std::to_string(got->id) + " to " + it->second + " and " + user);
        }
      }
    });
  }
  go = true;
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_TRUE(twice.empty()) << twice.front();
  EXPECT_EQ(given.size(), static_cast<std::size_t>(kContacts));
  EXPECT_EQ(failures.load(), 0);
  std::set<std::string> operators;
  for (const auto& [id, user] : given) {
    operators.insert(user);
  }
  EXPECT_GT(operators.size(), 1u);  // they really worked side by side
  storage::WithSession(*db_, [&](Session& s) {
    EXPECT_EQ(CampaignContactRepository::Counts(s, kTenant, task).by_status.at("done"), kContacts);
  });
}

TEST_P(CampaignStorageTest, CrmContactsAreKeyedByTheirIdAndWriteTheirNumberWhenRead) {
  const long long task = NewTask(1);  // +79001000000
  storage::InTransaction(*db_, [&](Session& s) {
    CampaignContactRepository::InsertCrmContacts(s, kTenant, task,
                                                 campaigns::ContactSource::kCrmContact,
                                                 {{"10", "Иван", ""}, {"11", "Пётр", ""}}, kNow);
    CampaignContactRepository::InsertCrmContacts(s, kTenant, task,
                                                 campaigns::ContactSource::kCrmFilter,
                                                 {{"12", "Анна", "+79005550000"}}, kNow);
  });
  // The same CRM contact again, from the filter this time: refused by the task's unique key.
  EXPECT_THROW(storage::InTransaction(*db_,
                                      [&](Session& s) {
                                        CampaignContactRepository::InsertCrmContacts(
                                            s, kTenant, task, campaigns::ContactSource::kCrmFilter,
                                            {{"10", "Иван", "+79001112233"}}, kNow);
                                      }),
               Error);
  storage::InTransaction(*db_, [&](Session& s) {
    EXPECT_EQ(CampaignContactRepository::CrmIds(s, kTenant, task),
              (std::set<std::string>{"10", "11", "12"}));
    EXPECT_EQ(CampaignContactRepository::AllNumbers(s, kTenant, task),
              (std::set<std::string>{"+79001000000", "+79005550000"}));
    EXPECT_EQ(CampaignContactRepository::CountSource(s, kTenant, task,
                                                     campaigns::ContactSource::kCrmContact),
              2);
    EXPECT_TRUE(CampaignContactRepository::CrmIds(s, "b24:other", task).empty());
    // The number read at call time is stored with the row.
    storage::CampaignContactFilter f;
    auto rows = CampaignContactRepository::List(s, kTenant, task, f);
    ASSERT_EQ(rows.size(), 4u);
    CampaignContactRow ivan = rows[1];
    EXPECT_EQ(ivan.source, campaigns::ContactSource::kCrmContact);
    EXPECT_EQ(ivan.crm_contact_id, "10");
    EXPECT_EQ(ivan.phone, "");
    ivan.phone = "+79001234567";
    ivan.name = "Иван Петров";
    ASSERT_TRUE(CampaignContactRepository::Save(s, kTenant, ivan, ivan.version, kNow));
    const auto again = CampaignContactRepository::Find(s, kTenant, task, ivan.id);
    EXPECT_EQ(again->phone, "+79001234567");
    EXPECT_EQ(again->name, "Иван Петров");
  });
}

TEST_P(CampaignStorageTest, AFilterPageMovesTheCursorOnceAndOnlyFromWhereItWasRead) {
  const long long task = NewTask(0);
  storage::InTransaction(*db_, [&](Session& s) {
    storage::CampaignCrmFilterRow row;
    row.task_id = task;
    row.conditions_json = R"([{"field":"NAME","op":"contains","value":"Ив"}])";
    row.updated_at_ms = kNow;
    EXPECT_TRUE(storage::CampaignCrmFilterRepository::Put(s, kTenant, row, 0));
    EXPECT_FALSE(storage::CampaignCrmFilterRepository::Put(s, kTenant, row, 0));  // exists
  });
  // Two operators read the first page; the second to write finds the cursor moved.
  storage::InTransaction(*db_, [&](Session& s) {
    EXPECT_TRUE(storage::CampaignCrmFilterRepository::Advance(s, kTenant, task, 1, "", "50", false,
                                                              48, 2, kNow));
    EXPECT_FALSE(storage::CampaignCrmFilterRepository::Advance(s, kTenant, task, 1, "", "50", false,
                                                               48, 2, kNow));
    EXPECT_FALSE(storage::CampaignCrmFilterRepository::Advance(s, kTenant, task, 2, "50", "90",
                                                               true, 1, 0, kNow))
        << "a page read with other conditions";
    EXPECT_TRUE(storage::CampaignCrmFilterRepository::Advance(s, kTenant, task, 1, "50", "90", true,
                                                              1, 0, kNow));
    const auto f = storage::CampaignCrmFilterRepository::Find(s, kTenant, task);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->cursor_id, "90");
    EXPECT_TRUE(f->exhausted);
    EXPECT_EQ(f->taken, 49);
    EXPECT_EQ(f->skipped, 2);
    EXPECT_FALSE(storage::CampaignCrmFilterRepository::Advance(s, kTenant, task, 1, "90", "95",
                                                               false, 1, 0, kNow))
        << "an exhausted filter gives no more";
    // New conditions start over and keep the counts; a stale version changes nothing.
    storage::CampaignCrmFilterRow changed = *f;
    changed.conditions_json = R"([{"field":"NAME","op":"eq","value":"Пётр"}])";
    EXPECT_FALSE(storage::CampaignCrmFilterRepository::Put(s, kTenant, changed, 7));
    EXPECT_TRUE(storage::CampaignCrmFilterRepository::Put(s, kTenant, changed, 1));
    const auto g = storage::CampaignCrmFilterRepository::Find(s, kTenant, task);
    EXPECT_EQ(g->version, 2);
    EXPECT_EQ(g->cursor_id, "");
    EXPECT_FALSE(g->exhausted);
    EXPECT_EQ(g->taken, 49);
    EXPECT_EQ(g->conditions_json, changed.conditions_json);
    EXPECT_FALSE(storage::CampaignCrmFilterRepository::Find(s, "b24:other", task));
    EXPECT_FALSE(storage::CampaignCrmFilterRepository::Delete(s, kTenant, task, 1));
    EXPECT_TRUE(storage::CampaignCrmFilterRepository::Delete(s, kTenant, task, 2));
    EXPECT_FALSE(storage::CampaignCrmFilterRepository::Find(s, kTenant, task));
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignStorageTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
