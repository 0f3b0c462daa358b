// What opdesk puts in the CRM for a call from a number it does not know (FEATURES B1, B2, B4, B6,
// B10, B13): a lead, or a contact, or a contact with a deal, named after the call in the tenant's
// time zone, with the CRM source of the line the call came in on.
#pragma once

#include <string>

#include "connector/domain/call_tracker.h"
#include "connector/domain/integration_settings.h"
#include "connector/domain/time_zone.h"

namespace opdesk {

// The CRM source of calls on a line that has none set: Bitrix24's system status "Звонок".
inline constexpr const char* kDefaultCrmSource = "CALL";

struct NewClientPlan {
  calls::ClientAction action = calls::ClientAction::kNone;
  std::string name;                // B13, also the title of a lead or deal
  std::string phone;               // "+79001234567"
  std::string source_id;           // B6
  std::string source_description;  // which Mango line the client came from
  std::string deal_category_id;    // B4
  std::string deal_stage_id;       // B4; "" → the pipeline's first stage
};

// "Новый (16:30 05.03.2018, входящий вызов)" / "… исходящий вызов)" at `epoch_s` in `zone`.
std::string NewClientName(long long epoch_s, bool outgoing, const TimeZone& zone);

// "+" and the digits of a Mango number; "" when it has no digits (hidden or sip: callers).
std::string ClientPhone(const std::string& number);

NewClientPlan PlanNewClient(const calls::Call& call, calls::ClientAction action,
                            const IntegrationSettings& settings, const TimeZone& zone);

}  // namespace opdesk
