// Typed job kinds: each payload survives its codec, rows queued by the previous (untyped) code
// still decode to the same values, and a row that is not the kind's payload is refused with an
// InvalidArgument naming the kind (the worker pool dead-letters it instead of retrying).
#include <gtest/gtest.h>

#include "connector/callcard/button_actions.h"
#include "connector/calls/call_jobs.h"
#include "connector/campaigns/comment_job.h"
#include "connector/domain/error.h"

namespace opdesk {
namespace {

template <class P>
P RoundTrip(const jobs::JobKind<P>& kind, const P& p) {
  return kind.decode(kind.encode(p));
}

template <class P>
std::string RefusalOf(const jobs::JobKind<P>& kind, const std::string& payload) {
  try {
    kind.decode(payload);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    return e.what();
  }
  ADD_FAILURE() << kind.name << " accepted " << payload;
  return "";
}

TEST(JobKindsTest, KindNamesAreTheOnesStoredInTheJobsTable) {
  EXPECT_STREQ(mango::kRegisterJob.name, "call.register");
  EXPECT_STREQ(mango::kShowJob.name, "call.show");
  EXPECT_STREQ(mango::kHideJob.name, "call.hide");
  EXPECT_STREQ(mango::kCreateClientJob.name, "call.client");
  EXPECT_STREQ(mango::kFinishJob.name, "call.finish");
  EXPECT_STREQ(mango::kRecordJob.name, "call.record");
  EXPECT_STREQ(mango::kCommandResultJob.name, "call.command_result");
  EXPECT_STREQ(mango::kDirectorySyncJob.name, "mango.directory");
  EXPECT_STREQ(mango::kPortalEventJob.name, "b24.event");
  EXPECT_STREQ(callcard::kActionJob.name, "callcard.action");
  EXPECT_STREQ(campaigns::kCommentJob.name, "campaign.comment");
}

TEST(JobKindsTest, ACampaignCommentSurvivesItsCodecAndABadOneIsRefused) {
  const campaigns::CommentJob c = RoundTrip(
      campaigns::kCommentJob, campaigns::CommentJob{"1:2:3", "+79001234567", "5", "Обзвон «А»"});
  EXPECT_EQ(c.key, "1:2:3");
  EXPECT_EQ(c.phone, "+79001234567");
  EXPECT_EQ(c.operator_id, "5");
  EXPECT_EQ(c.text, "Обзвон «А»");
  EXPECT_NE(RefusalOf(campaigns::kCommentJob, "not json").find("campaign.comment"),
            std::string::npos);
  EXPECT_NE(RefusalOf(campaigns::kCommentJob, R"({"key":"1:2:3"})").find("campaign.comment"),
            std::string::npos);
}

TEST(JobKindsTest, EveryPayloadSurvivesItsCodec) {
  const mango::CallStepJob step =
      RoundTrip(mango::kCreateClientJob, mango::CallStepJob{"e-1", "101", true, "lead"});
  EXPECT_EQ(step.entry_id, "e-1");
  EXPECT_EQ(step.extension, "101");
  EXPECT_TRUE(step.show_card);
  EXPECT_EQ(step.client_action, "lead");
  mango::CallStepJob finish{"e-1", "102", false, ""};
  finish.status_code = "486";
  finish.duration_s = 17;
  const mango::CallStepJob finished = RoundTrip(mango::kFinishJob, finish);
  EXPECT_EQ(finished.status_code, "486");
  EXPECT_EQ(finished.duration_s, 17);
  EXPECT_EQ(RoundTrip(mango::kShowJob, mango::CallStepJob{"e-1", "102", true, ""}).status_code, "")
      << "a step without an outcome writes none";
  EXPECT_NE(RefusalOf(mango::kFinishJob, R"({"entry_id":"e","extension":"","status":"200"})")
                .find("duration_s"),
            std::string::npos);
  const mango::RecordJob record = RoundTrip(mango::kRecordJob, mango::RecordJob{"e-2", "rec-9"});
  EXPECT_EQ(record.entry_id, "e-2");
  EXPECT_EQ(record.recording_id, "rec-9");
  const mango::CommandResultJob result =
      RoundTrip(mango::kCommandResultJob, mango::CommandResultJob{"cmd-1", 3101});
  EXPECT_EQ(result.command_id, "cmd-1");
  EXPECT_EQ(result.result, 3101);
  EXPECT_TRUE(RoundTrip(mango::kDirectorySyncJob, mango::DirectorySyncJob{true}).periodic);
  EXPECT_FALSE(RoundTrip(mango::kDirectorySyncJob, mango::DirectorySyncJob{false}).periodic);
  const mango::PortalEventJob event =
      RoundTrip(mango::kPortalEventJob,
                mango::PortalEventJob{"ONEXTERNALCALLSTART", R"({"CALL_ID":"c1"})", "1700000000"});
  EXPECT_EQ(event.event, "ONEXTERNALCALLSTART");
  EXPECT_EQ(event.data_json, R"({"CALL_ID":"c1"})");
  EXPECT_EQ(event.ts, "1700000000");
  const callcard::ActionJob action = RoundTrip(callcard::kActionJob, callcard::ActionJob{"p-1", 2});
  EXPECT_EQ(action.press_id, "p-1");
  EXPECT_EQ(action.index, 2);
}

TEST(JobKindsTest, RowsQueuedBeforeTheKindsWereTypedStillDecode) {
  // Exactly what the untyped enqueue code wrote.
  const mango::CallStepJob show =
      mango::kShowJob.decode(R"({"entry_id":"e-1","extension":"101","show_card":true})");
  EXPECT_EQ(show.entry_id, "e-1");
  EXPECT_TRUE(show.show_card);
  EXPECT_TRUE(show.client_action.empty());
  EXPECT_FALSE(mango::kFinishJob.decode(R"({"entry_id":"e","extension":""})").show_card);
  EXPECT_EQ(mango::kFinishJob.decode(R"({"entry_id":"e","extension":""})").status_code, "")
      << "a finish queued before it carried its outcome reads it from the call";
  EXPECT_EQ(mango::kCreateClientJob
                .decode(R"({"entry_id":"e","extension":"","show_card":false,"action":"deal"})")
                .client_action,
            "deal");
  EXPECT_FALSE(mango::kDirectorySyncJob.decode("{}").periodic);
  const mango::PortalEventJob event = mango::kPortalEventJob.decode(
      R"({"event":"ONEXTERNALCALLBACKSTART","data":{"PHONE_NUMBER":"+7 999"},"ts":"1"})");
  EXPECT_EQ(event.data_json, R"({"PHONE_NUMBER":"+7 999"})");
  EXPECT_EQ(callcard::kActionJob.decode(R"({"press_id":"p","index":0})").index, 0);
}

TEST(JobKindsTest, APayloadOfAnotherShapeIsRefusedNamingTheKind) {
  EXPECT_NE(RefusalOf(mango::kRegisterJob, "not json").find("call"), std::string::npos);
  EXPECT_NE(RefusalOf(mango::kRegisterJob, R"({"extension":"101"})").find("entry_id"),
            std::string::npos);
  EXPECT_NE(RefusalOf(mango::kRecordJob, R"({"entry_id":"e"})").find("recording_id"),
            std::string::npos);
  EXPECT_NE(RefusalOf(mango::kCommandResultJob, R"({"command_id":"c","result":"x"})")
                .find("call.command_result"),
            std::string::npos);
  EXPECT_NE(RefusalOf(callcard::kActionJob, R"({"press_id":"p"})").find("callcard.action"),
            std::string::npos);
  RefusalOf(mango::kPortalEventJob, "[1,2]");
}

TEST(JobKindsTest, TheWorkerHandlerReceivesTheDecodedPayload) {
  mango::RecordJob seen;
  auto handler = jobs::Decoding<mango::RecordJob>(
      mango::kRecordJob, [&](const jobs::Job&, const mango::RecordJob& p) { seen = p; });
  jobs::Job job;
  job.kind = mango::kRecordJob.name;
  job.payload = mango::kRecordJob.encode({"e-7", "r-7"});
  handler(job);
  EXPECT_EQ(seen.entry_id, "e-7");
  EXPECT_EQ(seen.recording_id, "r-7");
  job.payload = "{}";
  EXPECT_THROW(handler(job), Error);
}

}  // namespace
}  // namespace opdesk
