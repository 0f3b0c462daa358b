// Per-tenant settings of the calls → CRM integration: who a call belongs to (FEATURES B7–B9), what
// is created for new numbers (B1, B2, B4, B6, B10), what happens to calls of employees the CRM
// does not know, and what rings first for a callback request from a CRM form (A4). Defaults are
// what a tenant gets before anyone sets them: nothing is created, calls keep their first handler.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "connector/domain/call_tracker.h"

namespace opdesk {

// What happens to a call of an employee whose extension no portal user has.
enum class UnmappedCalls {
  kRecordWithoutCard,  // registered for the catch-all user (or the installer), no card
  kCatchAllCard,       // the catch-all user gets the card as if the phone were theirs
};

// How the phone of a created client is written (as the CRM shows numbers).
enum class PhoneFormat {
  kPlusDigits,     // +79001234567
  kInternational,  // +7 900 123-45-67
  kNational8,      // 89001234567
};

struct IntegrationSettings {
  bool responsible_is_last_handler = false;  // B7: off → first employee who talked
  std::string missed_in_ivr_extension;       // B8: "" off (the default user, no client)
  std::string missed_in_group_extension;     // B9: "" off (the first employee offered)
  std::string catch_all_user_id;             // calls of unmapped employees; "" → the installer
  UnmappedCalls unmapped_calls = UnmappedCalls::kRecordWithoutCard;

  calls::ClientAction answered_new_number = calls::ClientAction::kNone;  // B1
  calls::ClientAction missed_new_number = calls::ClientAction::kNone;    // B2
  bool outgoing_new_number_creates_client = false;                       // B10
  std::map<std::string, std::string> crm_source_by_line;  // B6: line number → SOURCE STATUS_ID
  std::string deal_category_id = "0";                     // B4: pipeline of created deals
  std::string deal_stage_id;                              // B4: "" → the pipeline's first stage
  // B4 for missed calls: their own pipeline and stage (seed 004 opens a pair under each
  // «Клиента и процесс»). The pair above serves answered calls.
  std::string missed_deal_category_id = "0";
  std::string missed_deal_stage_id;
  calls::RepeatedCallDeal repeated_call_deal = calls::RepeatedCallDeal::kNever;  // B3
  // B6 on/off. Off: no line is written at all (the source is the CRM's "CALL", no description,
  // no field). On: the line's source from crm_source_by_line, the line in the description and,
  // when set, in this user field of created contacts, companies and leads (UF_CRM_…).
  bool line_as_source = true;
  std::string line_number_field;
  PhoneFormat client_phone_format = PhoneFormat::kPlusDigits;

  // B5: route a known caller to the client's responsible while the greeting plays.
  bool route_to_responsible = false;
  int route_greeting_seconds = 5;                             // the route's deadline
  std::map<std::string, int> route_greeting_seconds_by_line;  // per line, overrides the above
  bool route_only_at_work = false;  // only a responsible whose working day is open (CRM's time)

  // ONEXTERNALCALLBACKSTART: ring this employee, or this group on this line, then the client.
  std::string callback_extension;
  std::string callback_group;
  std::string callback_line_number;

  long long version = 0;  // optimistic concurrency; 0 = never saved
};

std::string_view ToString(calls::ClientAction action);  // none, lead, client, client_and_deal
std::optional<calls::ClientAction> ClientActionFromString(std::string_view text);
std::string_view ToString(UnmappedCalls mode);  // record_without_card, catch_all_card
std::optional<UnmappedCalls> UnmappedCallsFromString(std::string_view text);
std::string_view ToString(calls::RepeatedCallDeal mode);  // never, always, if_none_open
std::optional<calls::RepeatedCallDeal> RepeatedCallDealFromString(std::string_view text);
std::string_view ToString(PhoneFormat format);  // plus_digits, international, national_8
std::optional<PhoneFormat> PhoneFormatFromString(std::string_view text);
// The greeting (route deadline) of a line, in seconds.
int RouteGreetingSeconds(const IntegrationSettings& settings, const std::string& line_number);

// Checks the form of every field; throws InvalidArgument naming the first bad one (extensions and
// lines are digits, user and pipeline ids numbers, status ids Bitrix24 codes). Whether sources,
// pipeline and stage exist in the portal is for the caller to check there.
void Validate(const IntegrationSettings& settings);
calls::FinishPolicy ToFinishPolicy(const IntegrationSettings& settings);

// The deal stage family of a pipeline: "DEAL_STAGE" for 0, "DEAL_STAGE_<n>" otherwise.
std::string DealStageEntity(const std::string& category_id);

}  // namespace opdesk
