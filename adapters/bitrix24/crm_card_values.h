// The call card's reading of CRM field descriptions and its checks of an operator's edits, shared
// by the files of CrmCard (crm_card*.cpp); not a public interface. An edit is checked here and
// turned into what crm.<entity>.update expects, so the CRM sees only values it accepts; errors
// are InvalidArgument naming the field's code with a message in the operator's language.
#pragma once

#include <functional>
#include <string>

#include "adapters/json_fwd.h"

namespace opdesk::bitrix24::card {

// A CRM field description in the card's terms (docs/API.md "Field with value" types).
std::string CardType(const std::string& code, const web::json::value& desc);
// Whether the card may change a field of `type` so described.
bool CanEdit(const std::string& type, const web::json::value& desc);
// The label a person knows the field by: formLabel, else title.
std::string FieldLabel(const web::json::value& desc);
// The title of a record: TITLE, else the person's name, else "#ID".
std::string TitleOf(const std::string& entity, const web::json::value& record);

// What one edited field is checked against.
struct FieldEdit {
  std::string code;
  std::string type;  // CardType
  const web::json::value& desc;
  const std::string& lang;  // "ru" or "en"
};

// A phone or e-mail list as the operator wants it (rows keep their id, new ones have none) →
// the rows to send: kept and new rows, and each row of `current` (the record as the CRM has it
// now) left out, sent with an empty value so the CRM deletes it.
web::json::value MultifieldRows(const FieldEdit& edit, const web::json::value& wanted,
                                const web::json::value& current);

// Any other field's value → the text to send. `is_choice` says whether an id is one of a list
// field's choices.
web::json::value ScalarValue(const FieldEdit& edit, const web::json::value& wanted,
                             const std::function<bool(const std::string&)>& is_choice);

// The message shown when the field may not be changed in the card.
std::string LockedText(const std::string& lang);

}  // namespace opdesk::bitrix24::card
