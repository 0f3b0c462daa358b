#include "connector/domain/integration_settings.h"

#include <algorithm>
#include <cctype>

#include "connector/domain/error.h"

namespace opdesk {
namespace {

bool Digits(const std::string& s, std::size_t max) {
  return !s.empty() && s.size() <= max &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// Bitrix24 status ids: NEW, CALL, C1:NEW, UC_8Z3K2L …
bool StatusId(const std::string& s) {
  return !s.empty() && s.size() <= 50 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == ':' || c == '-' || c == '.';
  });
}

void Extension(const std::string& value, const char* field) {
  if (!value.empty() && !Digits(value, 16)) {
    throw InvalidArgument("an extension is 1 to 16 digits", field);
  }
}

}  // namespace

std::string_view ToString(calls::ClientAction action) {
  switch (action) {
    case calls::ClientAction::kNone:
      return "none";
    case calls::ClientAction::kLead:
      return "lead";
    case calls::ClientAction::kClient:
      return "client";
    case calls::ClientAction::kClientAndDeal:
      return "client_and_deal";
  }
  return "none";
}

std::optional<calls::ClientAction> ClientActionFromString(std::string_view text) {
  for (calls::ClientAction a :
       {calls::ClientAction::kNone, calls::ClientAction::kLead, calls::ClientAction::kClient,
        calls::ClientAction::kClientAndDeal}) {
    if (ToString(a) == text) {
      return a;
    }
  }
  return std::nullopt;
}

std::string_view ToString(UnmappedCalls mode) {
  return mode == UnmappedCalls::kCatchAllCard ? "catch_all_card" : "record_without_card";
}

std::optional<UnmappedCalls> UnmappedCallsFromString(std::string_view text) {
  if (text == "record_without_card") {
    return UnmappedCalls::kRecordWithoutCard;
  }
  if (text == "catch_all_card") {
    return UnmappedCalls::kCatchAllCard;
  }
  return std::nullopt;
}

std::string_view ToString(calls::RepeatedCallDeal mode) {
  switch (mode) {
    case calls::RepeatedCallDeal::kNever:
      return "never";
    case calls::RepeatedCallDeal::kAlways:
      return "always";
    case calls::RepeatedCallDeal::kIfNoneOpen:
      return "if_none_open";
  }
  return "never";
}

std::optional<calls::RepeatedCallDeal> RepeatedCallDealFromString(std::string_view text) {
  for (calls::RepeatedCallDeal m :
       {calls::RepeatedCallDeal::kNever, calls::RepeatedCallDeal::kAlways,
        calls::RepeatedCallDeal::kIfNoneOpen}) {
    if (ToString(m) == text) {
      return m;
    }
  }
  return std::nullopt;
}

std::string_view ToString(PhoneFormat format) {
  switch (format) {
    case PhoneFormat::kPlusDigits:
      return "plus_digits";
    case PhoneFormat::kInternational:
      return "international";
    case PhoneFormat::kNational8:
      return "national_8";
  }
  return "plus_digits";
}

std::optional<PhoneFormat> PhoneFormatFromString(std::string_view text) {
  for (PhoneFormat f :
       {PhoneFormat::kPlusDigits, PhoneFormat::kInternational, PhoneFormat::kNational8}) {
    if (ToString(f) == text) {
      return f;
    }
  }
  return std::nullopt;
}

int RouteGreetingSeconds(const IntegrationSettings& s, const std::string& line_number) {
  auto it = s.route_greeting_seconds_by_line.find(line_number);
  return it != s.route_greeting_seconds_by_line.end() ? it->second : s.route_greeting_seconds;
}

namespace {

void DealPair(const std::string& category, const std::string& stage, const char* category_field,
              const char* stage_field) {
  if (!Digits(category, 10)) {
    throw InvalidArgument("a pipeline id is a number (0 for the general pipeline)", category_field);
  }
  // Megaplan's statuses (ProgramState) are plain numbers of any scheme; Bitrix24's stages are
  // names, prefixed "C<pipeline>:" outside the general pipeline. Either way the settings API
  // checks the pair against the CRM's own list when it changes.
  if (!stage.empty() && !Digits(stage, 20)) {
    const std::string prefix = "C" + category + ":";
    const bool general = category == "0";
    if (!StatusId(stage) ||
        (general ? stage.find(':') != std::string::npos : stage.rfind(prefix, 0) != 0)) {
      throw InvalidArgument("stage '" + stage + "' is not a stage of pipeline " + category +
                                (general ? "" : " (its stages start with " + prefix + ")"),
                            stage_field);
    }
  }
}

void Greeting(int seconds, const char* field) {
  if (seconds < 1 || seconds > 60) {
    throw InvalidArgument("a greeting lasts 1 to 60 seconds (Mango's scheme needs at least 5)",
                          field);
  }
}

}  // namespace

void Validate(const IntegrationSettings& s) {
  Extension(s.missed_in_ivr_extension, "missed_in_ivr_extension");
  Extension(s.missed_in_group_extension, "missed_in_group_extension");
  if (!s.catch_all_user_id.empty() && !Digits(s.catch_all_user_id, 20)) {
    throw InvalidArgument("a Bitrix24 user id is a number", "catch_all_user_id");
  }
  if (s.unmapped_calls == UnmappedCalls::kCatchAllCard && s.catch_all_user_id.empty()) {
    throw InvalidArgument("catch_all_card needs catch_all_user_id: whose card would it be?",
                          "unmapped_employee_calls");
  }
  if (s.crm_source_by_line.size() > 200) {
    throw InvalidArgument("at most 200 lines may have a source", "crm_source_by_line");
  }
  for (const auto& [line, source] : s.crm_source_by_line) {
    if (!Digits(line, 20)) {
      throw InvalidArgument("'" + line + "' is not a line number (digits only)",
                            "crm_source_by_line");
    }
    if (!StatusId(source)) {
      throw InvalidArgument("the source of line " + line + " is not a Bitrix24 status id",
                            "crm_source_by_line");
    }
  }
  DealPair(s.deal_category_id, s.deal_stage_id, "deal_category_id", "deal_stage_id");
  DealPair(s.missed_deal_category_id, s.missed_deal_stage_id, "missed_deal_category_id",
           "missed_deal_stage_id");
  if (!s.line_number_field.empty() &&
      (s.line_number_field.rfind("UF_CRM_", 0) != 0 || s.line_number_field.size() > 50 ||
       !std::all_of(s.line_number_field.begin(), s.line_number_field.end(), [](unsigned char c) {
         return std::isupper(c) || std::isdigit(c) || c == '_';
       }))) {
    throw InvalidArgument("a user field code looks like UF_CRM_LINE (capitals, digits, _)",
                          "line_number_field");
  }
  Greeting(s.route_greeting_seconds, "route_greeting_seconds");
  if (s.route_greeting_seconds_by_line.size() > 200) {
    throw InvalidArgument("at most 200 lines may have a greeting",
                          "route_greeting_seconds_by_line");
  }
  for (const auto& [line, seconds] : s.route_greeting_seconds_by_line) {
    if (!Digits(line, 20)) {
      throw InvalidArgument("'" + line + "' is not a line number (digits only)",
                            "route_greeting_seconds_by_line");
    }
    Greeting(seconds, "route_greeting_seconds_by_line");
  }
  Extension(s.callback_extension, "callback_extension");
  if (!s.callback_group.empty() && !Digits(s.callback_group, 16)) {
    throw InvalidArgument("a group short number is 1 to 16 digits", "callback_group");
  }
  if (!s.callback_extension.empty() && !s.callback_group.empty()) {
    throw InvalidArgument("set callback_extension or callback_group, not both", "callback_group");
  }
  if (!s.callback_line_number.empty() && !Digits(s.callback_line_number, 20)) {
    throw InvalidArgument("a line number is digits only", "callback_line_number");
  }
  if (!s.callback_group.empty() && s.callback_line_number.empty()) {
    throw InvalidArgument("a group callback needs the line to call from (Mango requires it)",
                          "callback_line_number");
  }
}

calls::FinishPolicy ToFinishPolicy(const IntegrationSettings& s) {
  calls::FinishPolicy p;
  p.responsible_is_last_handler = s.responsible_is_last_handler;
  p.missed_in_ivr_extension = s.missed_in_ivr_extension;
  p.missed_in_group_extension = s.missed_in_group_extension;
  p.answered_new_number = s.answered_new_number;
  p.missed_new_number = s.missed_new_number;
  p.outgoing_new_number = s.outgoing_new_number_creates_client;
  p.repeated_call_deal = s.repeated_call_deal;
  p.route_to_responsible = s.route_to_responsible;
  return p;
}

std::string DealStageEntity(const std::string& category_id) {
  return category_id == "0" || category_id.empty() ? "DEAL_STAGE" : "DEAL_STAGE_" + category_id;
}

}  // namespace opdesk
