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

bool IsOutcomeUnknown(const Error& error) {
  return std::string_view(error.what()).find("outcome unknown") != std::string_view::npos;
}

}  // namespace opdesk::adapters
