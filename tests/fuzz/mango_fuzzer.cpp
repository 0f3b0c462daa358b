// Mango notifications as they reach POST /mango/{key}/{suffix*}: the signed form envelope and the
// event JSON parsers. Input: the suffix ("events/call", "result/callback", …) on the first line,
// then the body, a form (vpbx_api_key=…&sign=…&json=…) or, to reach the JSON parsers directly,
// bare JSON. opdesk::Error is the parsers' documented answer to bad input; anything else is a bug.
#include <string>

#include "connector/domain/error.h"
#include "tests/fuzz/fuzz_check.h"
#include "webhooks/mango/envelope.h"
#include "webhooks/mango/event_parser.h"

namespace {

using namespace opdesk;
using namespace opdesk::mango;

constexpr std::string_view kSalt = "fuzz-salt";
constexpr std::size_t kMaxIdBytes = 1024;  // event_parser.cpp

void CheckId(const std::string& id, bool required) {
  FUZZ_CHECK(id.size() <= kMaxIdBytes);
  FUZZ_CHECK(!required || !id.empty());
}

// A parsed envelope has its three fields, its signature check only ever compares, and
// BuildEnvelope of the same key and json parses back to the same envelope with a valid sign.
void CheckEnvelope(const Envelope& e) {
  FUZZ_CHECK(!e.vpbx_api_key.empty() && !e.sign.empty() && !e.json.empty());
  (void)SignatureMatches(e, kSalt);
  const Envelope again = ParseEnvelope(BuildEnvelope(e.vpbx_api_key, e.json, kSalt));
  FUZZ_CHECK(again.vpbx_api_key == e.vpbx_api_key);
  FUZZ_CHECK(again.json == e.json);
  FUZZ_CHECK(again.sign == MangoSign(e.vpbx_api_key, e.json, kSalt));
  FUZZ_CHECK(SignatureMatches(again, kSalt));
}

void ParseAs(std::string_view suffix, std::string_view json) {
  if (suffix == "events/call") {
    const CallEvent e = ParseCallEvent(json);
    CheckId(e.entry_id, true);
    CheckId(e.call_id, true);
    CheckId(e.command_id, false);
    CheckId(e.from.taken_from_call_id, false);
    CheckId(e.to.taken_from_call_id, false);
    FUZZ_CHECK(e.seq >= 0);
  } else if (suffix == "events/summary") {
    CheckId(ParseSummaryEvent(json).entry_id, true);
  } else if (suffix == "events/recording") {
    const RecordingEvent e = ParseRecordingEvent(json);
    CheckId(e.recording_id, true);
    FUZZ_CHECK(!e.recording_state.empty());
  } else if (suffix == "events/record/added") {
    CheckId(ParseRecordAddedEvent(json).recording_id, true);
  } else if (suffix == "events/dtmf") {
    CheckId(ParseDtmfEvent(json).call_id, true);
  } else if (suffix == "events/sms") {
    CheckId(ParseSmsEvent(json).command_id, true);
  } else if (suffix.rfind("result/", 0) == 0 && suffix.size() > 7) {
    const CommandResult r = ParseCommandResult(suffix.substr(7), json);
    CheckId(r.command_id, true);
    FUZZ_CHECK(r.kind == suffix.substr(7));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [suffix, body] = fuzz::SplitFirstLine(fuzz::AsText(data, size));
  std::string json(body);
  try {
    const Envelope envelope = ParseEnvelope(body);
    CheckEnvelope(envelope);
    json = envelope.json;
  } catch (const Error&) {
    // Not a form: the body goes to the JSON parser as it is.
  }
  try {
    ParseAs(suffix, json);
  } catch (const Error&) {
  }
  return 0;
}
