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

// Checks the form of every field; throws InvalidArgument naming the first bad one (extensions and
// lines are digits, user and pipeline ids numbers, status ids Bitrix24 codes). Whether sources,
// pipeline and stage exist in the portal is for the caller to check there.
void Validate(const IntegrationSettings& settings);
calls::FinishPolicy ToFinishPolicy(const IntegrationSettings& settings);

// The deal stage family of a pipeline: "DEAL_STAGE" for 0, "DEAL_STAGE_<n>" otherwise.
std::string DealStageEntity(const std::string& category_id);

}  // namespace opdesk
