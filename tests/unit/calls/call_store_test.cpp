// The stored call: loading decodes the state with the row's own fields, saving encodes it over
// the row it replaces (keeping what register recorded) or as a new row.
#include "connector/calls/call_store.h"

#include "connector/domain/error.h"
#include "tests/unit/calls/calls_fixture.h"

namespace opdesk::testing {
namespace {

using mango::CallRowLock;
using mango::LoadCall;
using mango::LoadedCallRow;
using mango::SaveCall;

class CallStoreTest : public CallsTest {
 protected:
  std::optional<LoadedCallRow> Load(const std::string& entry_id,
                                    CallRowLock lock = CallRowLock::kNone) {
    std::optional<LoadedCallRow> loaded;
    storage::InTransaction(
        *db_, [&](storage::Session& s) { loaded = LoadCall(s, kTenant, entry_id, lock); });
    return loaded;
  }
};

TEST_F(CallStoreTest, AnUnknownCallIsNotThere) {
  EXPECT_FALSE(Load("nope"));
  EXPECT_FALSE(Load("nope", CallRowLock::kForUpdate));
}

TEST_F(CallStoreTest, LoadDecodesTheStateAndKeepsTheRowsFields) {
  StoreCall("e1", "79001112233");
  storage::InTransaction(*db_, [&](storage::Session& s) {
    storage::CallRepository::SetCrmCallId(s, kTenant, "e1", "CALL-1", clock_.NowMs(), "LEAD:4");
  });
  for (CallRowLock lock : {CallRowLock::kNone, CallRowLock::kForUpdate}) {
    const auto loaded = Load("e1", lock);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->call.entry_id, "e1");
    EXPECT_EQ(loaded->call.client_number, "79001112233");
    EXPECT_EQ(loaded->row.crm_call_id, "CALL-1");
    EXPECT_EQ(loaded->row.crm_entity, "LEAD:4");
  }
}

TEST_F(CallStoreTest, ANewCallIsCreatedNow) {
  calls::Call call;
  call.entry_id = "e2";
  call.client_number = "79005556677";
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(
      *db_, [&](storage::Session& s) { SaveCall(s, kTenant, "e2", std::nullopt, call, now); });
  const StoredCall row = Stored("e2");
  EXPECT_EQ(row.created_at_ms, now);
  EXPECT_EQ(row.updated_at_ms, now);
  EXPECT_FALSE(row.finished);
  EXPECT_EQ(mango::DecodeCall(row.state_json).client_number, "79005556677");
}

TEST_F(CallStoreTest, SavingOverALoadedCallKeepsWhatRegisterRecorded) {
  StoreCall("e3");
  const EpochMs created = clock_.NowMs();
  storage::InTransaction(*db_, [&](storage::Session& s) {
    storage::CallRepository::SetCrmCallId(s, kTenant, "e3", "CALL-3", created, "CONTACT:7");
  });
  clock_.Advance(5'000);
  storage::InTransaction(*db_, [&](storage::Session& s) {
    auto loaded = LoadCall(s, kTenant, "e3", CallRowLock::kForUpdate);
    ASSERT_TRUE(loaded);
    calls::Call call = loaded->call;
    call.finished = true;
    SaveCall(s, kTenant, "e3", loaded, call, clock_.NowMs());
  });
  const StoredCall row = Stored("e3");
  EXPECT_EQ(row.crm_call_id, "CALL-3");
  EXPECT_EQ(row.crm_entity, "CONTACT:7");
  EXPECT_EQ(row.created_at_ms, created);
  EXPECT_EQ(row.updated_at_ms, created + 5'000);
  EXPECT_TRUE(row.finished);
  EXPECT_TRUE(mango::DecodeCall(row.state_json).finished);
}

TEST_F(CallStoreTest, AStateThatIsNotACallIsAnInternalError) {
  storage::InTransaction(*db_, [&](storage::Session& s) {
    StoredCall row;
    row.tenant_id = kTenant;
    row.entry_id = "bad";
    row.state_json = "not json";
    storage::CallRepository::Save(s, row);
  });
  EXPECT_EQ(CodeOf([&] { Load("bad"); }), "INTERNAL");
}

}  // namespace
}  // namespace opdesk::testing
