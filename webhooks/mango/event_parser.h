// Parses the json of Mango notifications into plain values (connector/domain/mango_events.h).
// Lenient where Mango is inconsistent (reference mango.md §2.1): numbers may come as strings and
// strings as numbers, `was_transfered` is accepted for `was_transferred`, `ivr.N` is an IVR
// location, a doc example's `locaton` is read too. Strict where it matters: required fields, ids
// within bounds. Errors are InvalidArgument naming the JSON field ("json" for the whole body).
#pragma once

#include <string_view>

#include "connector/domain/mango_events.h"

namespace opdesk::mango {

CallEvent ParseCallEvent(std::string_view json);
SummaryEvent ParseSummaryEvent(std::string_view json);
RecordingEvent ParseRecordingEvent(std::string_view json);
RecordAddedEvent ParseRecordAddedEvent(std::string_view json);
DtmfEvent ParseDtmfEvent(std::string_view json);
SmsEvent ParseSmsEvent(std::string_view json);
// `kind` is the path after result/, e.g. "callback", "route", "call/hangup".
CommandResult ParseCommandResult(std::string_view kind, std::string_view json);

}  // namespace opdesk::mango
