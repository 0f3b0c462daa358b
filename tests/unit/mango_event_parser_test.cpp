// Mango notifications as Mango actually sends them: mixed types, spelling variants, and the
// errors that name the field at fault.
#include <gtest/gtest.h>

#include "connector/domain/error.h"
#include "webhooks/mango/event_parser.h"

namespace opdesk::mango {
namespace {

std::string FieldOf(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    return e.field();
  }
  return "<accepted>";
}

TEST(MangoEventParserTest, IvrLegWithTheLineNumber) {
  CallEvent e = ParseCallEvent(
      R"({"entry_id":"E1","call_id":"C1","timestamp":1488272633,"seq":1,"call_state":"Appeared",)"
      R"("location":"ivr","from":{"number":"74955404444"},)"
      R"("to":{"number":"74952150438","line_number":"74952150438"}})");
  EXPECT_EQ(e.entry_id, "E1");
  EXPECT_EQ(e.call_id, "C1");
  EXPECT_EQ(e.seq, 1);
  EXPECT_EQ(e.state, CallState::kAppeared);
  EXPECT_EQ(e.location, Location::kIvr);
  EXPECT_EQ(e.from.number, "74955404444");
  EXPECT_EQ(e.to.line_number, "74952150438");
  EXPECT_TRUE(e.to.extension.empty());
}

TEST(MangoEventParserTest, NumbersAsStringsAndStringsAsNumbersAreAccepted) {
  CallEvent e = ParseCallEvent(
      R"({"entry_id":"E1","call_id":"C2","timestamp":"1488272640","seq":" 3 ",)"
      R"("call_state":"disconnected","location":"abonent","disconnect_reason":"1110",)"
      R"("to":{"extension":101,"acd_group":500,"was_transfered":"true"},)"
      R"("from":{"number":74955404444,"hold_initiator":1}})");
  EXPECT_EQ(e.seq, 3);
  EXPECT_EQ(e.timestamp, 1488272640);
  EXPECT_EQ(e.state, CallState::kDisconnected);
  EXPECT_EQ(e.disconnect_reason, 1110);
  EXPECT_EQ(e.to.extension, "101");
  EXPECT_EQ(e.to.acd_group, "500");
  EXPECT_TRUE(e.to.was_transferred) << "the one-r spelling counts";
  EXPECT_EQ(e.from.number, "74955404444");
  EXPECT_TRUE(e.from.hold_initiator);
}

TEST(MangoEventParserTest, LocationVariants) {
  auto location = [](const std::string& json_location) {
    return ParseCallEvent(R"({"entry_id":"E","call_id":"C","seq":1,"call_state":"Appeared",)" +
                          json_location + "}");
  };
  EXPECT_EQ(location(R"("location":"ivr.2")").location, Location::kIvr);
  EXPECT_EQ(location(R"("location":"ivr.2")").location_detail, "ivr.2");
  EXPECT_EQ(location(R"("location":"queue")").location, Location::kQueue);
  EXPECT_EQ(location(R"("locaton":"abonent")").location, Location::kAbonent);
  EXPECT_EQ(location(R"("location":"somewhere")").location, Location::kUnknown);
}

TEST(MangoEventParserTest, RequiredFieldsAndBadValuesAreNamed) {
  EXPECT_EQ(FieldOf([] { ParseCallEvent(R"({"call_id":"C","seq":1,"call_state":"Appeared"})"); }),
            "entry_id");
  EXPECT_EQ(FieldOf([] { ParseCallEvent(R"({"entry_id":"E","seq":1,"call_state":"Appeared"})"); }),
            "call_id");
  EXPECT_EQ(
      FieldOf([] { ParseCallEvent(R"({"entry_id":"E","call_id":"C","call_state":"Appeared"})"); }),
      "seq");
  EXPECT_EQ(FieldOf([] {
              ParseCallEvent(R"({"entry_id":"E","call_id":"C","seq":"x","call_state":"Appeared"})");
            }),
            "seq");
  EXPECT_EQ(FieldOf([] {
              ParseCallEvent(R"({"entry_id":"E","call_id":"C","seq":-1,"call_state":"Appeared"})");
            }),
            "seq");
  EXPECT_EQ(FieldOf([] {
              ParseCallEvent(R"({"entry_id":"E","call_id":"C","seq":1,"call_state":"Ringing"})");
            }),
            "call_state");
  EXPECT_EQ(
      FieldOf([] {
        ParseCallEvent(
            R"({"entry_id":"E","call_id":"C","seq":1,"call_state":"Appeared","to":{"extension":[1]}})");
      }),
      "to.extension");
  EXPECT_EQ(
      FieldOf([] {
        ParseCallEvent(
            R"({"entry_id":"E","call_id":"C","seq":1,"call_state":"Appeared","disconnect_reason":99999999999})");
      }),
      "disconnect_reason");
  EXPECT_EQ(FieldOf([] { ParseCallEvent("{not json"); }), "json");
  EXPECT_EQ(FieldOf([] { ParseCallEvent("[1,2]"); }), "json");
  EXPECT_EQ(FieldOf([] {
              ParseCallEvent(R"({"entry_id":")" + std::string(2000, 'x') +
                             R"(","call_id":"C","seq":1,"call_state":"Appeared"})");
            }),
            "entry_id");
}

TEST(MangoEventParserTest, SummaryWithoutConversation) {
  SummaryEvent s = ParseSummaryEvent(
      R"({"entry_id":"E1","call_direction":"1","from":{"number":"74955404444"},)"
      R"("line_number":"74952150438","create_time":1488272633,"forward_time":0,"talk_time":0,)"
      R"("end_time":1488272650,"entry_result":1,"disconnect_reason":1170})");
  EXPECT_EQ(s.call_direction, 1);
  EXPECT_EQ(s.talk_time, 0);
  EXPECT_EQ(s.entry_result, 1);
  EXPECT_EQ(s.disconnect_reason, 1170);
  EXPECT_EQ(FieldOf([] { ParseSummaryEvent(R"({"talk_time":0})"); }), "entry_id");
}

TEST(MangoEventParserTest, RecordingsAndResults) {
  RecordingEvent r = ParseRecordingEvent(
      R"({"recording_id":"R1","recording_state":"Completed","seq":2,"entry_id":"E1",)"
      R"("call_id":"C1","extension":"101","completion_code":"1000","recipient":"Cloud"})");
  EXPECT_EQ(r.recording_state, "Completed");
  EXPECT_EQ(r.completion_code, 1000);
  EXPECT_EQ(r.recipient, "Cloud");
  RecordAddedEvent a =
      ParseRecordAddedEvent(R"({"recording_id":"R1","entry_id":"E1","user_id":-1})");
  EXPECT_EQ(a.user_id, "-1");
  CommandResult c = ParseCommandResult("route", R"({"command_id":"c-1","result":"1000"})");
  EXPECT_EQ(c.kind, "route");
  EXPECT_EQ(c.result, 1000);
  EXPECT_EQ(FieldOf([] { ParseCommandResult("route", R"({"result":1000})"); }), "command_id");
  EXPECT_EQ(FieldOf([] { ParseRecordingEvent(R"({"recording_state":"Started"})"); }),
            "recording_id");
  DtmfEvent d = ParseDtmfEvent(R"({"call_id":"C1","seq":1,"dtmf":"12","location":"ivr.1"})");
  EXPECT_EQ(d.dtmf, "12");
  SmsEvent sms = ParseSmsEvent(R"({"command_id":"s-1","reason":"1000"})");
  EXPECT_EQ(sms.reason, 1000);
}

}  // namespace
}  // namespace opdesk::mango
