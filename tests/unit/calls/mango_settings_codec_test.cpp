// The settings API's body (strict: each bad field named, unknown fields refused) and what is
// stored (lenient: old documents keep their meaning).
#include <gtest/gtest.h>

#include "connector/calls/integration_settings.h"
#include "connector/domain/error.h"

namespace opdesk::mango {
namespace {

std::string FieldOf(const std::string& body) {
  long long version = -1;
  try {
    ParseIntegrationSettingsBody(body, &version);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << body;
    return e.field();
  }
  return "";
}

TEST(IntegrationSettingsCodecTest, FullBodyRoundTrips) {
  const std::string body =
      R"({"version":3,"responsible_is_last_handler":true,"missed_in_ivr_extension":"103",)"
      R"("missed_in_group_extension":"","catch_all_user_id":"3",)"
      R"("unmapped_employee_calls":"catch_all_card","answered_new_number":"client_and_deal",)"
      R"("missed_new_number":"lead","outgoing_new_number_creates_client":true,)"
      R"("crm_source_by_line":{"74951234567":"WEB"},"deal_category_id":1,)"
      R"("deal_stage_id":"C1:NEW","callback_extension":"","callback_group":"500",)"
      R"("callback_line_number":"74951234567"})";
  long long version = -1;
  IntegrationSettings s = ParseIntegrationSettingsBody(body, &version);
  EXPECT_EQ(version, 3);
  EXPECT_EQ(s.answered_new_number, calls::ClientAction::kClientAndDeal);
  EXPECT_EQ(s.missed_new_number, calls::ClientAction::kLead);
  EXPECT_TRUE(s.outgoing_new_number_creates_client);
  EXPECT_EQ(s.unmapped_calls, UnmappedCalls::kCatchAllCard);
  EXPECT_EQ(s.crm_source_by_line.at("74951234567"), "WEB");
  EXPECT_EQ(s.deal_category_id, "1") << "a number is taken as the id";
  IntegrationSettings back = DecodeIntegrationSettings(EncodeIntegrationSettings(s));
  EXPECT_EQ(EncodeIntegrationSettings(back), EncodeIntegrationSettings(s));
}

TEST(IntegrationSettingsCodecTest, BadBodiesNameTheField) {
  EXPECT_EQ(FieldOf("[]"), "body");
  EXPECT_EQ(FieldOf("{not json"), "body");
  EXPECT_EQ(FieldOf(R"({"answered_new_number":"none"})"), "version");
  EXPECT_EQ(FieldOf(R"({"version":0,"answered_new_number":"contact"})"), "answered_new_number");
  EXPECT_EQ(FieldOf(R"({"version":0,"missed_new_number":1})"), "missed_new_number");
  EXPECT_EQ(FieldOf(R"({"version":0,"outgoing_new_number_creates_client":"yes"})"),
            "outgoing_new_number_creates_client");
  EXPECT_EQ(FieldOf(R"({"version":0,"crm_source_by_line":["CALL"]})"), "crm_source_by_line");
  EXPECT_EQ(FieldOf(R"({"version":0,"crm_source_by_line":{"74951234567":5}})"),
            "crm_source_by_line");
  EXPECT_EQ(FieldOf(R"({"version":0,"deal_category_id":-1})"), "deal_category_id");
  EXPECT_EQ(FieldOf(R"({"version":0,"deal_stage_id":"C2:NEW"})"), "deal_stage_id");
  EXPECT_EQ(FieldOf(R"({"version":0,"unmapped_employee_calls":"drop"})"),
            "unmapped_employee_calls");
  EXPECT_EQ(FieldOf(R"({"version":0,"callback_group":"500"})"), "callback_line_number");
  EXPECT_EQ(FieldOf(R"({"version":0,"callback_extension":102})"), "callback_extension");
  EXPECT_EQ(FieldOf(R"({"version":0,"answered_new_numbr":"none"})"), "answered_new_numbr");
  EXPECT_EQ(FieldOf(R"({"version":0})"), "");
}

TEST(IntegrationSettingsCodecTest, StoredSettingsOfAnOlderVersionKeepTheirMeaning) {
  IntegrationSettings s = DecodeIntegrationSettings(
      R"({"responsible_is_last_handler":true,"missed_in_ivr_extension":"103",)"
      R"("missed_in_group_extension":"","catch_all_user_id":"3"})");
  EXPECT_TRUE(s.responsible_is_last_handler);
  EXPECT_EQ(s.missed_in_ivr_extension, "103");
  EXPECT_EQ(s.catch_all_user_id, "3");
  EXPECT_EQ(s.answered_new_number, calls::ClientAction::kNone);
  EXPECT_EQ(s.unmapped_calls, UnmappedCalls::kRecordWithoutCard);
  EXPECT_EQ(s.deal_category_id, "0");
  EXPECT_TRUE(s.crm_source_by_line.empty());
}

}  // namespace
}  // namespace opdesk::mango
