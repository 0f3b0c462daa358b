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

}  // namespace

void Validate(const IntegrationSettings& s) {
  if (!s.missed_in_ivr_extension.empty() && !Digits(s.missed_in_ivr_extension, 16)) {
    throw InvalidArgument("an extension is 1 to 16 digits", "missed_in_ivr_extension");
  }
  if (!s.missed_in_group_extension.empty() && !Digits(s.missed_in_group_extension, 16)) {
    throw InvalidArgument("an extension is 1 to 16 digits", "missed_in_group_extension");
  }
  if (!s.catch_all_user_id.empty() && !Digits(s.catch_all_user_id, 20)) {
    throw InvalidArgument("a Bitrix24 user id is a number", "catch_all_user_id");
  }
}

calls::FinishPolicy ToFinishPolicy(const IntegrationSettings& s) {
  calls::FinishPolicy p;
  p.responsible_is_last_handler = s.responsible_is_last_handler;
  p.missed_in_ivr_extension = s.missed_in_ivr_extension;
  p.missed_in_group_extension = s.missed_in_group_extension;
  return p;
}

}  // namespace opdesk
