// What follows a dialing task's call, stored on both backends: e-mail templates with versions
// and a task's default, the actions by idempotency key with their state moves (only from the
// state a run expects), and recordings kept in chunks until the CRM has them.
#include <gtest/gtest.h>

#include "connector/storage/campaign_after_repository.h"
#include "tests/support/test_database.h"

namespace opdesk {
namespace {

using storage::AfterActionRepository;
using storage::AfterActionRow;
using storage::EmailTemplateRepository;
using storage::RecordingRepository;
using storage::Session;

constexpr EpochMs kNow = 1'700'000'000'000;
constexpr const char* kTenant = "b24:acme";

class CampaignAfterStorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    db_ = test_db_->Open(true, 4);
  }
  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> db_;
};

TEST_P(CampaignAfterStorageTest, TemplatesKeepVersionsAndATaskDefault) {
  storage::InTransaction(*db_, [&](Session& s) {
    campaigns::EmailTemplate t{0, "Письмо", "Тема {{TASK.NAME}}", "Здравствуйте!", 0};
    const long long a = EmailTemplateRepository::Insert(s, kTenant, t, "1", kNow);
    const long long b = EmailTemplateRepository::Insert(s, kTenant, t, "1", kNow);
    EmailTemplateRepository::Insert(s, "b24:other", t, "1", kNow);
    EXPECT_EQ(EmailTemplateRepository::Count(s, kTenant), 2);
    EXPECT_FALSE(EmailTemplateRepository::Find(s, "b24:other", a)) << "another tenant's id";
    t.id = a;
    t.body = "Новый текст";
    EXPECT_FALSE(EmailTemplateRepository::Update(s, kTenant, t, 2, kNow)) << "stale version";
    EXPECT_TRUE(EmailTemplateRepository::Update(s, kTenant, t, 1, kNow));
    const auto stored = EmailTemplateRepository::Find(s, kTenant, a);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->body, "Новый текст");
    EXPECT_EQ(stored->version, 2);
    EmailTemplateRepository::SetTaskDefault(s, kTenant, 7, b);
    EXPECT_EQ(EmailTemplateRepository::TaskDefault(s, kTenant, 7), b);
    EmailTemplateRepository::SetTaskDefault(s, kTenant, 7, a);
    EXPECT_EQ(EmailTemplateRepository::TaskDefault(s, kTenant, 7), a);
    EXPECT_TRUE(EmailTemplateRepository::Delete(s, kTenant, a, 2));
    EXPECT_EQ(EmailTemplateRepository::TaskDefault(s, kTenant, 7), 0) << "cleared with it";
    ASSERT_EQ(EmailTemplateRepository::List(s, kTenant).size(), 1u);
  });
}

TEST_P(CampaignAfterStorageTest, ActionsAreKeyedOnceAndMoveOnlyFromTheExpectedState) {
  storage::InTransaction(*db_, [&](Session& s) {
    AfterActionRow a;
    a.key = "email:1:2:req-1";
    a.kind = "email";
    a.task_id = 1;
    a.contact_id = 2;
    a.operator_id = "5";
    a.state = "queued";
    a.detail = R"({"to":"a@b.ru"})";
    a.created_at_ms = kNow;
    a.updated_at_ms = kNow;
    EXPECT_TRUE(AfterActionRepository::Insert(s, kTenant, a));
    EXPECT_FALSE(AfterActionRepository::Insert(s, kTenant, a)) << "the same key twice";
    EXPECT_TRUE(AfterActionRepository::Insert(s, "b24:other", a)) << "keys are per tenant";
    EXPECT_TRUE(AfterActionRepository::Move(s, kTenant, a.key, "queued", "sending", "", "", kNow));
    EXPECT_FALSE(AfterActionRepository::Move(s, kTenant, a.key, "queued", "sending", "", "", kNow))
        << "a second run does not start it again";
    EXPECT_TRUE(
        AfterActionRepository::Move(s, kTenant, a.key, "sending", "done", "77", "", kNow + 5));
    a.key = "invoice:1:2:req-2";
    a.kind = "invoice";
    a.created_at_ms = kNow + 10;
    EXPECT_TRUE(AfterActionRepository::Insert(s, kTenant, a));
    const auto list = AfterActionRepository::ForContact(s, kTenant, 1, 2);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].kind, "invoice") << "newest first";
    EXPECT_EQ(list[1].state, "done");
    EXPECT_EQ(list[1].crm_id, "77");
    EXPECT_EQ(list[1].detail, R"({"to":"a@b.ru"})");
    EXPECT_TRUE(AfterActionRepository::ForContact(s, kTenant, 1, 3).empty());
  });
}

TEST_P(CampaignAfterStorageTest, RecordingsKeepTheirChunksUntilDropped) {
  storage::InTransaction(*db_, [&](Session& s) {
    storage::RecordingRow r;
    r.task_id = 1;
    r.contact_id = 2;
    r.filename = "call.mp3";
    r.kind = "mp3";
    r.size_bytes = 3;
    r.created_at_ms = kNow;
    // Chunks as large as a real one (1 MB of base64) pass the server's packet limit.
    const std::vector<std::string> chunks = {std::string(1024 * 1024, 'A'), "SUQz"};
    const long long id = RecordingRepository::Insert(s, kTenant, r, chunks);
    EXPECT_EQ(RecordingRepository::Chunks(s, kTenant, id), chunks);
    EXPECT_TRUE(RecordingRepository::Chunks(s, "b24:other", id).empty());
    const auto found = RecordingRepository::Find(s, kTenant, id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->filename, "call.mp3");
    RecordingRepository::DropContent(s, kTenant, id);
    EXPECT_TRUE(RecordingRepository::Chunks(s, kTenant, id).empty());
    EXPECT_TRUE(RecordingRepository::Find(s, kTenant, id)) << "the row stays for the history";
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignAfterStorageTest,
                         ::testing::ValuesIn(testing::Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace opdesk
