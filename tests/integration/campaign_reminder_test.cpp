// The callback reminders' sweep on both backends (FEATURES F5): two opdesk processes — two
// connection pools on one database — sweeping at once queue exactly one `campaign.reminder` job
// per callback whose time has come, none for a callback still ahead, a contact back in the pool
// or finished, and one more for a callback moved to a new time.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <thread>

#include "connector/campaigns/reminder_job.h"
#include "connector/storage/campaign_repository.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using campaigns::CallResult;
using storage::CampaignContactRepository;
using storage::CampaignContactRow;
using storage::Session;

constexpr EpochMs kNow = 1'700'000'000'000;
constexpr const char* kTenant = "b24:acme";

class CampaignReminderTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    db_ = test_db_->Open(true, 4);
  }

  // A running task whose `contacts` numbers are all claimed by operator 5 and given a callback
  // at kNow + 1 minute + i ms.
  long long TaskWithCallbacks(int contacts) {
    campaigns::Task t;
    t.name = "Весна";
    t.employee_ids = {"5"};
    t.state = campaigns::TaskState::kRunning;
    t.created_at_ms = t.updated_at_ms = kNow;
    long long id = 0;
    storage::InTransaction(*db_, [&](Session& s) {
      id = storage::CampaignTaskRepository::Insert(s, kTenant, t, "1");
      std::vector<campaigns::ImportRow> rows;
      for (int i = 0; i < contacts; ++i) {
        rows.push_back({i + 1, "+7900" + std::to_string(3000000 + i), ""});
      }
      CampaignContactRepository::InsertNumbers(s, kTenant, id, rows, kNow);
    });
    for (int i = 0; i < contacts; ++i) {
      storage::InTransaction(*db_, [&](Session& s) {
        auto row = CampaignContactRepository::ClaimNext(s, kTenant, id, "5", kNow);
        ASSERT_TRUE(row);
        const long long v = row->version;
        row->state =
            campaigns::ApplyResult(row->state, {"5"}, {CallResult::kCallBack, kNow + 60'000 + i},
                                   campaigns::RetryRule{}, kNow);
        ASSERT_TRUE(CampaignContactRepository::Save(s, kTenant, *row, v, kNow));
      });
    }
    return id;
  }

  long long Count(const std::string& from_where) {
    long long n = 0;
    storage::WithSession(
        *db_, [&](Session& s) { s.sql() << "SELECT COUNT(*) FROM " + from_where, soci::into(n); });
    return n;
  }

  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
};

TEST_P(CampaignReminderTest, TwoProcessesSweepingAtOnceQueueEachDueCallbackOnce) {
  constexpr int kContacts = 120;
  TaskWithCallbacks(kContacts);
  FakeClock before(kNow + 59'999);
  EXPECT_EQ(campaigns::QueueDueReminders(*db_, before), 0) << "not before their time";

  FakeClock after(kNow + 60'000 + kContacts);
  std::unique_ptr<storage::Database> other = test_db_->Open(false, 4);
  std::atomic<int> queued{0};
  std::vector<std::thread> sweeps;
  for (storage::Database* db : {db_.get(), other.get()}) {
    for (int t = 0; t < 2; ++t) {
      sweeps.emplace_back([&, db] {
        for (int round = 0; round < 5; ++round) {
          queued += campaigns::QueueDueReminders(*db, after);
        }
      });
    }
  }
  for (std::thread& t : sweeps) {
    t.join();
  }
  EXPECT_EQ(queued.load(), kContacts);
  EXPECT_EQ(Count("jobs WHERE kind = 'campaign.reminder'"), kContacts);
  EXPECT_EQ(Count("campaign_contacts WHERE reminded_due_ms = due_at_ms"), kContacts);
  EXPECT_EQ(campaigns::QueueDueReminders(*db_, after), 0);
}

TEST_P(CampaignReminderTest, OnlyCallbacksStillInWorkAreQueuedAndAMovedOneAgain) {
  const long long task = TaskWithCallbacks(3);
  std::vector<CampaignContactRow> rows;
  storage::WithSession(
      *db_, [&](Session& s) { rows = CampaignContactRepository::List(s, kTenant, task, {}); });
  ASSERT_EQ(rows.size(), 3u);
  // The first back in the pool, the second finished by hand.
  storage::InTransaction(*db_, [&](Session& s) {
    CampaignContactRow a = rows[0];
    a.state = campaigns::Release(a.state, {"5"});
    ASSERT_TRUE(CampaignContactRepository::Save(s, kTenant, a, a.version, kNow));
    CampaignContactRow b = rows[1];
    b.state = campaigns::Finish(b.state, {"5"});
    ASSERT_TRUE(CampaignContactRepository::Save(s, kTenant, b, b.version, kNow));
  });
  FakeClock due(kNow + 120'000);
  EXPECT_EQ(campaigns::QueueDueReminders(*db_, due), 1);
  std::string payload;
  storage::WithSession(*db_, [&](Session& s) {
    s.sql() << "SELECT payload FROM jobs WHERE kind = 'campaign.reminder'", soci::into(payload);
  });
  const campaigns::ReminderJob job = campaigns::DecodeReminderJob(payload);
  EXPECT_EQ(job.contact_id, rows[2].id);
  EXPECT_EQ(job.operator_id, "5");
  EXPECT_EQ(job.due_at_ms, rows[2].state.due_at_ms);

  // Handed out again and given a later time: that time is queued once more.
  storage::InTransaction(*db_, [&](Session& s) {
    auto row = CampaignContactRepository::ClaimNext(s, kTenant, task, "5", due.NowMs());
    ASSERT_TRUE(row);
    ASSERT_EQ(row->id, rows[2].id);
    const long long v = row->version;
    row->state =
        campaigns::ApplyResult(row->state, {"5"}, {CallResult::kTalked, due.NowMs() + 60'000},
                               campaigns::RetryRule{}, due.NowMs());
    ASSERT_TRUE(CampaignContactRepository::Save(s, kTenant, *row, v, due.NowMs()));
  });
  EXPECT_EQ(campaigns::QueueDueReminders(*db_, due), 0);
  FakeClock later(due.NowMs() + 60'000);
  EXPECT_EQ(campaigns::QueueDueReminders(*db_, later), 1);
  EXPECT_EQ(Count("jobs WHERE kind = 'campaign.reminder'"), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignReminderTest, ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
