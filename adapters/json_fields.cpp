#include "adapters/json_fields.h"

#include <cctype>

namespace opdesk::adapters {

std::string JsonText(const web::json::value& object, const std::string& key) {
  if (!object.is_object() || !object.has_field(key)) {
    return "";
  }
  const web::json::value& v = object.at(key);
  if (v.is_string()) {
    return v.as_string();
  }
  return v.is_number() ? v.serialize() : "";
}

std::string DigitsOf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace opdesk::adapters
