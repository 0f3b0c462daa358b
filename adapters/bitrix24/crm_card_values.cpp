#include "adapters/bitrix24/crm_card_values.h"

#include <cpprest/json.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "adapters/json_read.h"
#include "connector/domain/error.h"
#include "connector/domain/messages.h"

namespace opdesk::bitrix24::card {
namespace {

using adapters::JsonFlag;
using adapters::JsonText;
using web::json::value;

constexpr std::size_t kMaxTextLength = 5000;

bool AllDigits(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool ValidDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return false;
  }
  if (!AllDigits(s.substr(0, 4)) || !AllDigits(s.substr(5, 2)) || !AllDigits(s.substr(8, 2))) {
    return false;
  }
  const int y = std::stoi(s.substr(0, 4));
  const int m = std::stoi(s.substr(5, 2));
  const int d = std::stoi(s.substr(8, 2));
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) {
    return false;
  }
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

// YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]
bool ValidDateTime(const std::string& s) {
  if (s.size() < 16 || !ValidDate(s.substr(0, 10)) || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || !AllDigits(s.substr(11, 2)) || !AllDigits(s.substr(14, 2))) {
    return false;
  }
  if (std::stoi(s.substr(11, 2)) > 23 || std::stoi(s.substr(14, 2)) > 59) {
    return false;
  }
  std::string rest = s.substr(16);
  if (rest.size() >= 3 && rest[0] == ':' && AllDigits(rest.substr(1, 2))) {
    rest = rest.substr(3);
  }
  return rest.empty() || rest == "Z" ||
         (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
          AllDigits(rest.substr(1, 2)) && AllDigits(rest.substr(4, 2)));
}

bool ValidEmail(const std::string& s) {
  const auto at = s.find('@');
  if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos) {
    return false;
  }
  const std::string domain = s.substr(at + 1);
  const auto dot = domain.find('.');
  return dot != std::string::npos && dot > 0 && dot + 1 < domain.size() &&
         s.find_first_of(" \t\r\n<>\"") == std::string::npos;
}

Error Refusal(const FieldEdit& edit, const char* key) {
  // Shown next to the field in the card, in the operator's language.
  return InvalidArgument(Message(std::string("card.") + key, edit.lang, FieldLabel(edit.desc)),
                         edit.code);
}

}  // namespace

std::string TitleOf(const std::string& entity, const value& record) {
  std::string title;
  if (entity == "lead" || entity == "deal" || entity == "company") {
    title = JsonText(record, "TITLE");
  }
  if (title.empty() && (entity == "lead" || entity == "contact")) {
    const std::string name = JsonText(record, "NAME");
    const std::string last = JsonText(record, "LAST_NAME");
    title = name + (name.empty() || last.empty() ? "" : " ") + last;
  }
  if (title.empty()) {
    title = "#" + JsonText(record, "ID");
  }
  return title;
}

// A CRM field description in the card's terms (docs/API.md "Field with value" types).
std::string CardType(const std::string& code, const value& desc) {
  const std::string t = JsonText(desc, "type");
  if (t == "string") {
    return "string";
  }
  if (t == "char" || t == "boolean") {
    return "boolean";
  }
  if (t == "integer" || t == "double" || t == "date" || t == "datetime" || t == "enumeration" ||
      t == "crm_status" || t == "user") {
    return t;
  }
  if (t == "crm_multifield") {
    return code == "PHONE" ? "phone" : (code == "EMAIL" ? "email" : "other");
  }
  return "other";
}

bool CanEdit(const std::string& type, const value& desc) {
  if (JsonFlag(desc, "isReadOnly") || type == "other" || type == "user") {
    return false;
  }
  // Multiple values are edited only for phones and e-mails.
  return !JsonFlag(desc, "isMultiple") || type == "phone" || type == "email";
}

std::string FieldLabel(const value& desc) {
  const std::string label = JsonText(desc, "formLabel");
  return label.empty() ? JsonText(desc, "title") : label;
}

std::string LockedText(const std::string& lang) {
  return Message("card.locked", lang);
}

value MultifieldRows(const FieldEdit& edit, const value& wanted, const value& current) {
  const std::string& code = edit.code;
  if (!wanted.is_array()) {
    throw Refusal(edit, "list");
  }
  std::set<std::string> existing;
  if (current.is_object() && current.has_field(code) && current.at(code).is_array()) {
    for (const auto& row : current.at(code).as_array()) {
      existing.insert(JsonText(row, "ID"));
    }
  }
  std::set<std::string> mentioned;
  value items = value::array();
  std::size_t n = 0;
  std::size_t kept = 0;
  for (const auto& item : wanted.as_array()) {
    if (!item.is_object()) {
      throw Refusal(edit, "list");
    }
    const std::string id = JsonText(item, "id");
    const std::string text = JsonText(item, "value");
    std::string vtype = JsonText(item, "value_type");
    if (!id.empty() && existing.count(id) == 0) {
      throw Refusal(edit, "list");  // not a row of this record (or deleted meanwhile)
    }
    mentioned.insert(id);
    value out = value::object();
    if (!id.empty()) {
      out["ID"] = value::string(id);
    }
    if (text.empty()) {
      if (id.empty()) {
        continue;  // an empty new row is no value
      }
      out["VALUE"] = value::string("");  // the CRM deletes a row sent with an empty value
    } else {
      if (edit.type == "phone") {
        const std::size_t d = adapters::DigitsOf(text).size();
        if (d < 5 || d > 20 || text.find_first_not_of("0123456789+-() .") != std::string::npos) {
          throw Refusal(edit, "phone");
        }
      } else if (!ValidEmail(text)) {
        throw Refusal(edit, "email");
      }
      static const std::set<std::string> kTypes = {"WORK",  "MOBILE",  "FAX",  "HOME",
                                                   "PAGER", "MAILING", "OTHER"};
      if (vtype.empty() || kTypes.count(vtype) == 0) {
        vtype = "WORK";
      }
      out["VALUE"] = value::string(text);
      out["VALUE_TYPE"] = value::string(vtype);
      ++kept;
    }
    items[n++] = out;
  }
  for (const std::string& id : existing) {
    if (mentioned.count(id) == 0) {
      value gone = value::object();
      gone["ID"] = value::string(id);
      gone["VALUE"] = value::string("");  // the CRM deletes a row sent with an empty value
      items[n++] = gone;
    }
  }
  if (JsonFlag(edit.desc, "isRequired") && kept == 0) {
    throw Refusal(edit, "required");
  }
  return items;
}

value ScalarValue(const FieldEdit& edit, const value& wanted,
                  const std::function<bool(const std::string&)>& is_choice) {
  const std::string& type = edit.type;
  if (wanted.is_null() || (wanted.is_string() && wanted.as_string().empty())) {
    if (JsonFlag(edit.desc, "isRequired")) {
      throw Refusal(edit, "required");
    }
    return value::string("");
  }
  if (type == "boolean") {
    if (!wanted.is_boolean()) {
      throw Refusal(edit, "boolean");
    }
    const bool on = wanted.as_bool();
    return value::string(JsonText(edit.desc, "type") == "char" ? (on ? "Y" : "N")
                                                               : (on ? "1" : "0"));
  }
  std::string text;
  if (wanted.is_string()) {
    text = wanted.as_string();
  } else if (wanted.is_number() && (type == "integer" || type == "double")) {
    text = wanted.serialize();
  } else {
    throw Refusal(edit, type == "integer" ? "integer" : (type == "double" ? "number" : "text"));
  }
  if (text.size() > kMaxTextLength) {
    throw Refusal(edit, "too_long");
  }
  if (type == "integer") {
    const std::string body = text[0] == '-' ? text.substr(1) : text;
    if (!AllDigits(body) || body.size() > 18) {
      throw Refusal(edit, "integer");
    }
  } else if (type == "double") {
    char* end = nullptr;
    const double d = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(d)) {
      throw Refusal(edit, "number");
    }
  } else if (type == "date") {
    if (!ValidDate(text)) {
      throw Refusal(edit, "date");
    }
  } else if (type == "datetime") {
    if (!ValidDateTime(text)) {
      throw Refusal(edit, "datetime");
    }
  } else if (type == "enumeration" || type == "crm_status") {
    if (!is_choice(text)) {
      throw Refusal(edit, "choice");
    }
  }
  return value::string(text);
}

}  // namespace opdesk::bitrix24::card
