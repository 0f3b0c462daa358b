// Mango notifications as Mango actually sends them (reference mango.md §2): mixed types, spelling
// variants, the documented sequences, and the errors that name the field at fault.
#include <cpprest/json.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "connector/domain/error.h"
#include "webhooks/mango/event_parser.h"

namespace opdesk::mango {
namespace {

// Field name → raw JSON text of its value; an empty text removes the field.
using Fields = std::vector<std::pair<std::string, std::string>>;

std::string Json(std::map<std::string, std::string> base, const Fields& changes) {
  for (const auto& [key, raw] : changes) {
    if (raw.empty()) {
      base.erase(key);
    } else {
      base[key] = raw;
    }
  }
  std::string out = "{";
  for (const auto& [key, raw] : base) {
    out += (out.size() > 1 ? ",\"" : "\"") + key + "\":" + raw;
  }
  return out + "}";
}

// A minimal valid events/call body, changed by `changes`.
std::string CallJson(const Fields& changes = {}) {
  return Json({{"entry_id", R"("E1")"},
               {"call_id", R"("C1")"},
               {"seq", "1"},
               {"call_state", R"("Appeared")"}},
              changes);
}

// The field() of the InvalidArgument that `parse` throws, or "<accepted>".
std::string FieldOf(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    return e.field();
  }
  return "<accepted>";
}

std::string CallFieldOf(const Fields& changes) {
  return FieldOf([&] { ParseCallEvent(CallJson(changes)); });
}

std::string Ids(std::size_t n) {
  return "\"" + std::string(n, 'x') + "\"";
}

// --- events/call: the documented sequences -------------------------------------------------------

TEST(MangoCallEventTest, IvrAppearedHasTheLineNumberAndNoExtension) {
  // The reference's event signing vector (§1.3), as Mango sends it for a call entering the IVR.
  const CallEvent e = ParseCallEvent(
      R"({"entry_id":"MjY4Nzg2ODQwMTo4MQ==","call_id":"MToxMDAwOTU2NTo4MTozMTI2OTQyNDA6MQ==",)"
      R"("timestamp":1488272633,"seq":1,"call_state":"Appeared","location":"ivr",)"
      R"("from":{"number":"74955404444"},)"
      R"("to":{"number":"74952150438","line_number":"74952150438"}})");
  EXPECT_EQ(e.entry_id, "MjY4Nzg2ODQwMTo4MQ==");
  EXPECT_EQ(e.call_id, "MToxMDAwOTU2NTo4MTozMTI2OTQyNDA6MQ==");
  EXPECT_EQ(e.timestamp, 1488272633);
  EXPECT_EQ(e.seq, 1);
  EXPECT_EQ(e.state, CallState::kAppeared);
  EXPECT_EQ(e.location, Location::kIvr);
  EXPECT_EQ(e.location_detail, "ivr");
  EXPECT_EQ(e.from.number, "74955404444");
  EXPECT_EQ(e.to.number, "74952150438");
  EXPECT_EQ(e.to.line_number, "74952150438");
  EXPECT_TRUE(e.to.extension.empty());
  EXPECT_EQ(e.disconnect_reason, 0);
  EXPECT_FALSE(e.to.was_transferred);
}

TEST(MangoCallEventTest, RoutedLegNamesThePreviousLegAndOurCommand) {
  // §2.8 sequence 1: after our commands/route the caller appears on the employee's leg.
  const CallEvent e = ParseCallEvent(
      R"({"entry_id":"E1","call_id":"A2","timestamp":1488272640,"seq":1,"call_state":"Appeared",)"
      R"("location":"abonent","from":{"number":"74955404444","taken_from_call_id":"A1"},)"
      R"("to":{"extension":"123","number":"sip:123@vpbx.mangosip.ru","line_number":"74952150438",)"
      R"("acd_group":"500"},"command_id":"route-7"})");
  EXPECT_EQ(e.call_id, "A2");
  EXPECT_EQ(e.location, Location::kAbonent);
  EXPECT_EQ(e.from.taken_from_call_id, "A1");
  EXPECT_EQ(e.to.extension, "123");
  EXPECT_EQ(e.to.number, "sip:123@vpbx.mangosip.ru");
  EXPECT_EQ(e.to.acd_group, "500");
  EXPECT_EQ(e.command_id, "route-7");
}

TEST(MangoCallEventTest, DisconnectedWithStringReasonAndOneRTransferSpelling) {
  const CallEvent e = ParseCallEvent(
      R"({"entry_id":"E1","call_id":"L1","timestamp":"1488272700","seq":"3",)"
      R"("call_state":"Disconnected","location":"abonent","disconnect_reason":"1110",)"
      R"("from":{"number":"74955404444"},"to":{"extension":101,"was_transfered":true}})");
  EXPECT_EQ(e.state, CallState::kDisconnected);
  EXPECT_EQ(e.disconnect_reason, 1110);
  EXPECT_EQ(e.seq, 3);
  EXPECT_EQ(e.timestamp, 1488272700);
  EXPECT_EQ(e.to.extension, "101");
  EXPECT_TRUE(e.to.was_transferred);
  EXPECT_FALSE(e.from.was_transferred);
}

TEST(MangoCallEventTest, DocumentedTwoRSpellingOfWasTransferredIsRead) {
  const CallEvent e = ParseCallEvent(
      CallJson({{"call_state", R"("Disconnected")"}, {"from", R"({"was_transferred":true})"}}));
  EXPECT_TRUE(e.from.was_transferred);
  EXPECT_FALSE(e.to.was_transferred);
}

TEST(MangoCallEventTest, OnHoldBlindTransferAndCallbackFieldsAreKept) {
  const CallEvent e =
      ParseCallEvent(CallJson({{"call_state", R"("OnHold")"},
                               {"from", R"({"extension":"101","hold_initiator":1})"},
                               {"transfer", R"("blind")"},
                               {"callback_initiator", R"("API")"}}));
  EXPECT_EQ(e.state, CallState::kOnHold);
  EXPECT_TRUE(e.from.hold_initiator);
  EXPECT_FALSE(e.to.hold_initiator);
  EXPECT_EQ(e.transfer, "blind");
  EXPECT_EQ(e.callback_initiator, "API");
}

TEST(MangoCallEventTest, CallStateIsCaseInsensitive) {
  const std::vector<std::pair<std::string, CallState>> cases = {
      {"appeared", CallState::kAppeared},   {"CONNECTED", CallState::kConnected},
      {"Connected", CallState::kConnected}, {"onhold", CallState::kOnHold},
      {"OnHold", CallState::kOnHold},       {"DisConnected", CallState::kDisconnected},
  };
  for (const auto& [text, state] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(ParseCallEvent(CallJson({{"call_state", "\"" + text + "\""}})).state, state);
  }
}

TEST(MangoCallEventTest, UnknownCallStateIsRejectedNamingIt) {
  EXPECT_EQ(CallFieldOf({{"call_state", R"("Ringing")"}}), "call_state");
  EXPECT_EQ(CallFieldOf({{"call_state", R"("On Hold")"}}), "call_state");
  EXPECT_EQ(CallFieldOf({{"call_state", "7"}}), "call_state");
}

// --- events/call: location ----------------------------------------------------------------------

TEST(MangoCallEventTest, IvrMenuItemIsTheIvrWithTheRawValueKept) {
  const CallEvent e = ParseCallEvent(CallJson({{"location", R"("ivr.2")"}}));
  EXPECT_EQ(e.location, Location::kIvr);
  EXPECT_EQ(e.location_detail, "ivr.2");
}

TEST(MangoCallEventTest, QueueAndAbonentLocations) {
  EXPECT_EQ(ParseCallEvent(CallJson({{"location", R"("queue")"}})).location, Location::kQueue);
  EXPECT_EQ(ParseCallEvent(CallJson({{"location", R"("abonent")"}})).location, Location::kAbonent);
}

TEST(MangoCallEventTest, UnfamiliarLocationIsUnknownWithTheRawValueKept) {
  const CallEvent e = ParseCallEvent(CallJson({{"location", R"("conference")"}}));
  EXPECT_EQ(e.location, Location::kUnknown);
  EXPECT_EQ(e.location_detail, "conference");
  // "ivr2" is not the dotted menu form.
  EXPECT_EQ(ParseCallEvent(CallJson({{"location", R"("ivr2")"}})).location, Location::kUnknown);
}

TEST(MangoCallEventTest, AbsentLocationIsUnknownAndEmpty) {
  const CallEvent e = ParseCallEvent(CallJson());
  EXPECT_EQ(e.location, Location::kUnknown);
  EXPECT_EQ(e.location_detail, "");
}

TEST(MangoCallEventTest, MisspeltLocatonKeyFromTheDocIsRead) {
  const CallEvent e = ParseCallEvent(CallJson({{"locaton", R"("queue")"}}));
  EXPECT_EQ(e.location, Location::kQueue);
  EXPECT_EQ(e.location_detail, "queue");
}

TEST(MangoCallEventTest, CorrectLocationKeyWinsOverTheMisspeltOne) {
  const CallEvent e =
      ParseCallEvent(CallJson({{"location", R"("abonent")"}, {"locaton", R"("ivr")"}}));
  EXPECT_EQ(e.location, Location::kAbonent);
}

// --- lenient typing
// -------------------------------------------------------------------------------

TEST(MangoLenientTypingTest, IntegerFieldsAcceptNumbersAndNumericStrings) {
  const std::vector<std::pair<std::string, long long>> cases = {
      {"12", 12},      {R"("1")", 1}, {R"(" 12 ")", 12},
      {R"("\t7")", 7}, {"0", 0},      {"9223372036854775807", 9223372036854775807LL},
  };
  for (const auto& [raw, expected] : cases) {
    SCOPED_TRACE(raw);
    const CallEvent e = ParseCallEvent(CallJson({{"seq", raw}, {"timestamp", raw}}));
    EXPECT_EQ(e.seq, expected);
    EXPECT_EQ(e.timestamp, expected);
  }
}

TEST(MangoLenientTypingTest, IntegerFieldsRejectWhatIsNotAnInteger) {
  for (const std::string raw :
       {R"("12abc")", R"("")", R"("  ")", R"("1.5")", R"("0x10")", "1.5", "true", R"({"n":1})",
        "[1]", "18446744073709551615", R"("99999999999999999999")", "1e3"}) {
    SCOPED_TRACE(raw);
    EXPECT_EQ(CallFieldOf({{"timestamp", raw}}), "timestamp");
  }
}

TEST(MangoLenientTypingTest, StringFieldsAcceptNumbers) {
  const CallEvent e = ParseCallEvent(
      CallJson({{"from", R"({"extension":101,"number":74955404444})"},
                {"to", R"({"extension":"102","acd_group":500,"line_number":74952150438})"}}));
  EXPECT_EQ(e.from.extension, "101");
  EXPECT_EQ(e.from.number, "74955404444");
  EXPECT_EQ(e.to.extension, "102");
  EXPECT_EQ(e.to.acd_group, "500");
  EXPECT_EQ(e.to.line_number, "74952150438");
}

TEST(MangoLenientTypingTest, IdsSentAsNumbersBecomeTheirDigits) {
  const CallEvent e = ParseCallEvent(CallJson({{"entry_id", "12345"}, {"call_id", "678"}}));
  EXPECT_EQ(e.entry_id, "12345");
  EXPECT_EQ(e.call_id, "678");
}

TEST(MangoLenientTypingTest, StringFieldsRejectBooleansArraysAndObjects) {
  EXPECT_EQ(CallFieldOf({{"to", R"({"extension":[1]})"}}), "to.extension");
  EXPECT_EQ(CallFieldOf({{"from", R"({"number":true})"}}), "from.number");
  EXPECT_EQ(CallFieldOf({{"callback_initiator", "{}"}}), "callback_initiator");
}

TEST(MangoLenientTypingTest, BooleansAcceptTheDocumentedSpellings) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"true", true},      {"false", false},      {"1", true},      {"0", false},
      {R"("true")", true}, {R"("false")", false}, {R"("1")", true}, {R"("0")", false},
      {R"("TRUE")", true}, {R"("False")", false},
  };
  for (const auto& [raw, expected] : cases) {
    SCOPED_TRACE(raw);
    const CallEvent e = ParseCallEvent(CallJson({{"to", R"({"hold_initiator":)" + raw + "}"},
                                                 {"from", R"({"was_transfered":)" + raw + "}"}}));
    EXPECT_EQ(e.to.hold_initiator, expected);
    EXPECT_EQ(e.from.was_transferred, expected);
  }
}

TEST(MangoLenientTypingTest, BooleansRejectOtherValues) {
  for (const std::string raw : {"2", "-1", "0.5", R"("yes")", R"("2")", "[]"}) {
    SCOPED_TRACE(raw);
    EXPECT_EQ(CallFieldOf({{"to", R"({"hold_initiator":)" + raw + "}"}}), "to.hold_initiator");
    EXPECT_EQ(CallFieldOf({{"from", R"({"was_transfered":)" + raw + "}"}}), "from.was_transfered");
    EXPECT_EQ(CallFieldOf({{"from", R"({"was_transferred":)" + raw + "}"}}),
              "from.was_transferred");
  }
}

TEST(MangoLenientTypingTest, NullOptionalFieldsReadAsAbsent) {
  const CallEvent e = ParseCallEvent(CallJson(
      {{"to", "null"}, {"disconnect_reason", "null"}, {"command_id", "null"}, {"from", "null"}}));
  EXPECT_TRUE(e.to.number.empty());
  EXPECT_EQ(e.disconnect_reason, 0);
  EXPECT_TRUE(e.command_id.empty());
}

TEST(MangoLenientTypingTest, UnknownExtraFieldsAreIgnored) {
  const CallEvent e =
      ParseCallEvent(CallJson({{"dct", R"({"number":"74950000000","type":1})"},
                               {"sip_call_id", R"("abc@host")"},
                               {"task_id", "42"},
                               {"future_field", R"({"nested":[1,2,{"x":null}]})"},
                               {"to", R"({"number":"74952150438","future_party_field":true})"}}));
  EXPECT_EQ(e.call_id, "C1");
  EXPECT_EQ(e.to.number, "74952150438");
}

// --- events/call: refusals ----------------------------------------------------------------------

TEST(MangoCallEventTest, EachMissingRequiredFieldIsNamed) {
  for (const std::string field : {"entry_id", "call_id", "seq", "call_state"}) {
    SCOPED_TRACE(field);
    EXPECT_EQ(CallFieldOf({{field, ""}}), field);
    EXPECT_EQ(CallFieldOf({{field, "null"}}), field);
  }
}

TEST(MangoCallEventTest, EmptyRequiredIdsAreRejected) {
  EXPECT_EQ(CallFieldOf({{"entry_id", R"("")"}}), "entry_id");
  EXPECT_EQ(CallFieldOf({{"call_id", R"("")"}}), "call_id");
  EXPECT_EQ(CallFieldOf({{"call_state", R"("")"}}), "call_state");
}

TEST(MangoCallEventTest, WronglyTypedRequiredFieldsAreNamed) {
  EXPECT_EQ(CallFieldOf({{"entry_id", "{}"}}), "entry_id");
  EXPECT_EQ(CallFieldOf({{"call_id", R"(["C1"])"}}), "call_id");
  EXPECT_EQ(CallFieldOf({{"seq", R"("x")"}}), "seq");
  EXPECT_EQ(CallFieldOf({{"seq", "true"}}), "seq");
  EXPECT_EQ(CallFieldOf({{"call_state", "false"}}), "call_state");
}

TEST(MangoCallEventTest, NegativeSeqIsRejected) {
  EXPECT_EQ(CallFieldOf({{"seq", "-1"}}), "seq");
  EXPECT_EQ(CallFieldOf({{"seq", R"("-5")"}}), "seq");
  EXPECT_EQ(ParseCallEvent(CallJson({{"seq", "0"}})).seq, 0);
}

TEST(MangoCallEventTest, PartyThatIsNotAnObjectIsNamed) {
  EXPECT_EQ(CallFieldOf({{"from", R"("74955404444")"}}), "from");
  EXPECT_EQ(CallFieldOf({{"to", "[]"}}), "to");
}

TEST(MangoCallEventTest, DisconnectReasonBeyondIntRangeIsRejected) {
  for (const std::string raw : {"99999999999", R"("3000000000")", "-3000000000",
                                "18446744073709551615", "9223372036854775807"}) {
    SCOPED_TRACE(raw);
    EXPECT_EQ(CallFieldOf({{"disconnect_reason", raw}}), "disconnect_reason");
  }
  EXPECT_EQ(ParseCallEvent(CallJson({{"disconnect_reason", "2147483647"}})).disconnect_reason,
            2147483647);
}

TEST(MangoCallEventTest, IdsUpTo1024BytesAreKeptAndLongerOnesRejected) {
  EXPECT_EQ(ParseCallEvent(CallJson({{"entry_id", Ids(1024)}})).entry_id.size(), 1024u);
  EXPECT_EQ(CallFieldOf({{"entry_id", Ids(1025)}}), "entry_id");
  EXPECT_EQ(CallFieldOf({{"call_id", Ids(2000)}}), "call_id");
  EXPECT_EQ(CallFieldOf({{"command_id", Ids(1025)}}), "command_id");
  EXPECT_EQ(CallFieldOf({{"from", R"({"taken_from_call_id":)" + Ids(1025) + "}"}}),
            "from.taken_from_call_id");
}

// --- the body as a whole ------------------------------------------------------------------------

TEST(MangoEventParserTest, InvalidJsonIsNamedJson) {
  for (const std::string body :
       {"{not json", "", "{\"entry_id\":\"E1\"", "{} trailing", "{'a':1}"}) {
    SCOPED_TRACE(body);
    EXPECT_EQ(FieldOf([&] { ParseCallEvent(body); }), "json");
    EXPECT_EQ(FieldOf([&] { ParseCommandResult("route", body); }), "json");
  }
}

TEST(MangoEventParserTest, NonObjectTopLevelIsNamedJsonByEveryParser) {
  for (const std::string body : {"[1,2]", R"("text")", "42", "null", "true"}) {
    SCOPED_TRACE(body);
    EXPECT_EQ(FieldOf([&] { ParseCallEvent(body); }), "json");
    EXPECT_EQ(FieldOf([&] { ParseSummaryEvent(body); }), "json");
    EXPECT_EQ(FieldOf([&] { ParseRecordingEvent(body); }), "json");
    EXPECT_EQ(FieldOf([&] { ParseRecordAddedEvent(body); }), "json");
    EXPECT_EQ(FieldOf([&] { ParseDtmfEvent(body); }), "json");
    EXPECT_EQ(FieldOf([&] { ParseSmsEvent(body); }), "json");
    EXPECT_EQ(FieldOf([&] { ParseCommandResult("callback", body); }), "json");
  }
}

// --- events/summary -----------------------------------------------------------------------------

TEST(MangoSummaryEventTest, CallEndedInIvrHasTalkTimeZeroYetEntryResultOne) {
  // The doc's own Example 2 (§2.4): caller dropped in the IVR, never forwarded.
  const SummaryEvent s = ParseSummaryEvent(
      R"({"entry_id":"E1","call_direction":"1","from":{"number":"74955404444"},)"
      R"("to":{"number":"74952150438"},"line_number":"74952150438","create_time":1488272633,)"
      R"("forward_time":0,"talk_time":0,"end_time":1488272650,"entry_result":1,)"
      R"("disconnect_reason":1170})");
  EXPECT_EQ(s.entry_id, "E1");
  EXPECT_EQ(s.call_direction, 1);
  EXPECT_EQ(s.from.number, "74955404444");
  EXPECT_EQ(s.line_number, "74952150438");
  EXPECT_EQ(s.create_time, 1488272633);
  EXPECT_EQ(s.forward_time, 0);
  EXPECT_EQ(s.talk_time, 0);
  EXPECT_EQ(s.end_time, 1488272650);
  EXPECT_EQ(s.entry_result, 1);
  EXPECT_EQ(s.disconnect_reason, 1170);
}

TEST(MangoSummaryEventTest, AnsweredOutboundCallKeepsWhoTalked) {
  const SummaryEvent s = ParseSummaryEvent(
      R"({"entry_id":"E2","call_direction":2,"from":{"extension":"101","number":"sip:101@x"},)"
      R"("to":{"number":"79001234567"},"line_number":"74951234567","create_time":"100",)"
      R"("forward_time":"100","talk_time":"105","end_time":"160","entry_result":"1",)"
      R"("disconnect_reason":"1110","sip_call_id":12345})");
  EXPECT_EQ(s.call_direction, 2);
  EXPECT_EQ(s.from.extension, "101");
  EXPECT_EQ(s.to.number, "79001234567");
  EXPECT_EQ(s.talk_time, 105);
  EXPECT_EQ(s.end_time, 160);
  EXPECT_EQ(s.disconnect_reason, 1110);
}

TEST(MangoSummaryEventTest, EntryIdIsRequired) {
  EXPECT_EQ(FieldOf([] { ParseSummaryEvent(R"({"talk_time":0})"); }), "entry_id");
  EXPECT_EQ(FieldOf([] { ParseSummaryEvent(R"({"entry_id":true})"); }), "entry_id");
  EXPECT_EQ(FieldOf([] { ParseSummaryEvent(R"({"entry_id":)" + Ids(1025) + "}"); }), "entry_id");
  EXPECT_EQ(FieldOf([] { ParseSummaryEvent(R"({"entry_id":"E","talk_time":"soon"})"); }),
            "talk_time");
  EXPECT_EQ(FieldOf([] { ParseSummaryEvent(R"({"entry_id":"E","to":{"extension":{}}})"); }),
            "to.extension");
}

// --- events/recording and events/record/added ---------------------------------------------------

TEST(MangoRecordingEventTest, CompletedRecordingCarriesCodeAndRecipient) {
  const RecordingEvent r = ParseRecordingEvent(
      R"({"recording_id":"R1","recording_state":"Completed","seq":"2","entry_id":"E1",)"
      R"("call_id":"C1","extension":101,"timestamp":1488272700,"completion_code":"1000",)"
      R"("recipient":"Cloud"})");
  EXPECT_EQ(r.recording_id, "R1");
  EXPECT_EQ(r.recording_state, "Completed");
  EXPECT_EQ(r.seq, 2);
  EXPECT_EQ(r.entry_id, "E1");
  EXPECT_EQ(r.call_id, "C1");
  EXPECT_EQ(r.extension, "101");
  EXPECT_EQ(r.timestamp, 1488272700);
  EXPECT_EQ(r.completion_code, 1000);
  EXPECT_EQ(r.recipient, "Cloud");
}

TEST(MangoRecordingEventTest, StartedByOurCommandEchoesIt) {
  const RecordingEvent r = ParseRecordingEvent(
      R"({"recording_id":"R2","recording_state":"Started","seq":1,"call_id":"C1",)"
      R"("command_id":"rec-1"})");
  EXPECT_EQ(r.recording_state, "Started");
  EXPECT_EQ(r.command_id, "rec-1");
  EXPECT_EQ(r.completion_code, 0);
}

TEST(MangoRecordingEventTest, RecordingIdAndStateAreRequired) {
  EXPECT_EQ(FieldOf([] { ParseRecordingEvent(R"({"recording_state":"Started"})"); }),
            "recording_id");
  EXPECT_EQ(FieldOf([] { ParseRecordingEvent(R"({"recording_id":"R1"})"); }), "recording_state");
  EXPECT_EQ(
      FieldOf([] {
        ParseRecordingEvent(R"({"recording_id":)" + Ids(1025) + R"(,"recording_state":"Started"})");
      }),
      "recording_id");
  EXPECT_EQ(FieldOf([] {
              ParseRecordingEvent(
                  R"({"recording_id":"R1","recording_state":"Completed","completion_code":"ok"})");
            }),
            "completion_code");
}

TEST(MangoRecordAddedEventTest, UnknownUserIsMinusOneAsText) {
  const RecordAddedEvent a =
      ParseRecordAddedEvent(R"({"recording_id":"R1","entry_id":"E1","product_id":123,"user_id":-1,)"
                            R"("timestamp":"1488272760"})");
  EXPECT_EQ(a.recording_id, "R1");
  EXPECT_EQ(a.entry_id, "E1");
  EXPECT_EQ(a.user_id, "-1");
  EXPECT_EQ(a.timestamp, 1488272760);
}

TEST(MangoRecordAddedEventTest, RecordingIdIsRequired) {
  EXPECT_EQ(FieldOf([] { ParseRecordAddedEvent(R"({"entry_id":"E1"})"); }), "recording_id");
  EXPECT_EQ(FieldOf([] { ParseRecordAddedEvent(R"({"recording_id":)" + Ids(1025) + "}"); }),
            "recording_id");
}

// --- events/dtmf and events/sms -----------------------------------------------------------------

TEST(MangoDtmfEventTest, DigitsCollectedInAMenuItem) {
  const DtmfEvent d = ParseDtmfEvent(
      R"({"seq":1,"dtmf":"12","timestamp":1488272640,"call_id":"C1","entry_id":"E1",)"
      R"("location":"ivr.2","initiator":"74955404444","from_number":"74955404444",)"
      R"("to_number":"74952150438","line_number":"74952150438"})");
  EXPECT_EQ(d.call_id, "C1");
  EXPECT_EQ(d.entry_id, "E1");
  EXPECT_EQ(d.seq, 1);
  EXPECT_EQ(d.dtmf, "12");
  EXPECT_EQ(d.location, "ivr.2");
  EXPECT_EQ(d.initiator, "74955404444");
  EXPECT_EQ(d.from_number, "74955404444");
  EXPECT_EQ(d.to_number, "74952150438");
  EXPECT_EQ(d.line_number, "74952150438");
  EXPECT_EQ(d.timestamp, 1488272640);
}

TEST(MangoDtmfEventTest, DigitsSentAsANumberAreText) {
  EXPECT_EQ(ParseDtmfEvent(R"({"call_id":"C1","dtmf":5})").dtmf, "5");
}

TEST(MangoDtmfEventTest, CallIdIsRequiredForDeduplication) {
  EXPECT_EQ(FieldOf([] { ParseDtmfEvent(R"({"dtmf":"1"})"); }), "call_id");
}

TEST(MangoSmsEventTest, DeliveryResultWithReasonAsString) {
  const SmsEvent s =
      ParseSmsEvent(R"({"command_id":"sms-1","timestamp":"1488272640","reason":"4301"})");
  EXPECT_EQ(s.command_id, "sms-1");
  EXPECT_EQ(s.timestamp, 1488272640);
  EXPECT_EQ(s.reason, 4301);
}

TEST(MangoSmsEventTest, CommandIdIsRequired) {
  EXPECT_EQ(FieldOf([] { ParseSmsEvent(R"({"reason":1000})"); }), "command_id");
}

// --- result/<kind> ------------------------------------------------------------------------------

TEST(MangoCommandResultTest, KindIsKeptAndResultMayBeAString) {
  const CommandResult c =
      ParseCommandResult("call/hangup", R"({"command_id":"h-1","result":"1000"})");
  EXPECT_EQ(c.kind, "call/hangup");
  EXPECT_EQ(c.command_id, "h-1");
  EXPECT_EQ(c.result, 1000);
  EXPECT_EQ(ParseCommandResult("route", R"({"command_id":"r-1","result":3310})").result, 3310);
}

TEST(MangoCommandResultTest, CommandIdAndResultAreRequired) {
  EXPECT_EQ(FieldOf([] { ParseCommandResult("route", R"({"result":1000})"); }), "command_id");
  EXPECT_EQ(FieldOf([] { ParseCommandResult("route", R"({"command_id":"r-1"})"); }), "result");
  EXPECT_EQ(FieldOf([] { ParseCommandResult("route", R"({"command_id":"r-1","result":"ok"})"); }),
            "result");
  EXPECT_EQ(
      FieldOf([] { ParseCommandResult("route", R"({"command_id":"r-1","result":99999999999})"); }),
      "result");
  EXPECT_EQ(FieldOf([] {
              ParseCommandResult("route", R"({"command_id":)" + Ids(1025) + R"(,"result":1000})");
            }),
            "command_id");
}

}  // namespace
}  // namespace opdesk::mango
