// Reading fields of JSON that peers send (Bitrix24, Mango): a missing key is an empty value, and
// a number where text was expected is taken as written, since both portals and the VPBX mix the
// two. One reader for every adapter, so they agree on what "absent" means.
#pragma once

#include <cpprest/json.h>

#include <string>
#include <string_view>

namespace opdesk::adapters {

// The field of an object as text: a string as is, a number as written, anything else "".
std::string JsonText(const web::json::value& object, const std::string& key);

// Only the digits of `text`: "+7 (495) 000-00-00" → "74950000000".
std::string DigitsOf(std::string_view text);

}  // namespace opdesk::adapters
