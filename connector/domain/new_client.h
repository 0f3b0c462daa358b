// What opdesk puts in the CRM for a call from a number it does not know (FEATURES B1, B2, B4, B6,
// B10, B13): a lead, or a contact, or a contact with a deal, named after the call in the tenant's
// time zone, with the CRM source of the line the call came in on.
#pragma once

#include <string>
#include <utility>

#include "connector/domain/call_tracker.h"
#include "connector/domain/integration_settings.h"
#include "connector/domain/time_zone.h"

namespace opdesk {

// The CRM source of calls on a line that has none set: Bitrix24's system status "Звонок".
inline constexpr const char* kDefaultCrmSource = "CALL";

struct NewClientPlan {
  calls::ClientAction action = calls::ClientAction::kNone;
  std::string name;                // B13, also the title of a lead or deal
  std::string phone;               // as the tenant's phone format says (+79001234567 …)
  std::string source_id;           // B6
  std::string source_description;  // which Mango line the client came from
  std::string line_field{};        // B6: the user field that gets the line ("" none)
  std::string line_number{};       // B6: what goes in it
  std::string deal_category_id;    // B4
  std::string deal_stage_id;       // B4; "" → the pipeline's first stage
};

// "Новый (16:30 05.03.2018, входящий вызов)" / "… исходящий вызов)" at `epoch_s` in `zone`.
std::string NewClientName(long long epoch_s, bool outgoing, const TimeZone& zone);

// "+" and the digits of a Mango number; "" when it has no digits (hidden or sip: callers).
std::string ClientPhone(const std::string& number);

// A client phone ("+digits", see ClientPhone) written as `format` says. Russian numbers (11
// digits starting with 7) take the format; others stay "+digits".
std::string FormatPhone(const std::string& plus_digits, PhoneFormat format);

// The deal pipeline and stage for a call (B4): answered calls have their pair, missed ones theirs.
// A call counts as missed when its summary says nobody talked.
std::pair<std::string, std::string> DealTarget(const calls::Call& call,
                                               const IntegrationSettings& settings);

// The title of a known client's deal for a repeated call (B3):
// "Повторный звонок (16:30 05.03.2018, входящий вызов)".
std::string RepeatedCallDealTitle(const calls::Call& call, const TimeZone& zone);

NewClientPlan PlanNewClient(const calls::Call& call, calls::ClientAction action,
                            const IntegrationSettings& settings, const TimeZone& zone);

}  // namespace opdesk
