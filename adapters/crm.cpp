#include "adapters/crm.h"

#include <cctype>

namespace opdesk::adapters {

std::string StoredRecordKey(const CrmRecord& record) {
  std::string type = record.entity;
  for (char& c : type) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return type + ":" + record.id;
}

std::optional<CrmRecord> RecordFromStoredKey(const std::string& key) {
  const auto colon = key.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == key.size()) {
    return std::nullopt;
  }
  std::string type = key.substr(0, colon);
  for (char& c : type) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return CrmRecord{type, key.substr(colon + 1)};
}

void Crm::SetFieldValue(const std::string&, const CrmRecord&, const std::string& code,
                        const std::string&, const RequestOptions&) {
  throw InvalidArgument("this CRM cannot write the field " + code + " from a script", "code");
}

bool IsOutcomeUnknown(const Error& error) {
  return std::string_view(error.what()).find("outcome unknown") != std::string_view::npos;
}

}  // namespace opdesk::adapters
