// Templates of button actions (FEATURES C4): literal text with {variables} filled in when the
// operator presses the button, and time expressions such as {now+2d 10:00} for deadlines, which
// resolve in the tenant's time zone. The list of variables is fixed and documented (docs/API.md,
// GET /api/settings/template-variables); an unknown variable is a validation error, so a typo is
// caught when the button is saved rather than when the operator presses it.
//
// Syntax: "{name}" is a variable; "{now}", "{now+2d}", "{now+1d 10:00}", "{now+1h+30m}" are time
// expressions (units m, h, d, w; days and weeks are calendar days in the zone, minutes and hours
// are absolute; a time of day replaces the clock time); "{{" and "}}" are literal braces.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "connector/domain/clock.h"
#include "connector/domain/time_zone.h"

namespace opdesk::templates {

struct Variable {
  std::string_view name;     // "client.name"
  std::string_view help_ru;  // what it becomes, for the settings page
  std::string_view help_en;
};

// Every variable a template may use, in the order the settings page lists them.
const std::vector<Variable>& Variables();
bool IsKnownVariable(std::string_view name);

enum class Kind {
  kText,      // literal text with variables and time expressions (rendered as 05.03.2025 10:00)
  kDeadline,  // exactly one time expression, e.g. "{now+1d 10:00}"
};

inline constexpr std::size_t kMaxTextChars = 4000;
inline constexpr std::size_t kMaxDeadlineChars = 64;

// Throws InvalidArgument(field) naming what is wrong: an unknown variable, an unclosed brace, a
// malformed time expression, a deadline that is not one time expression, or a text too long.
// An empty template is valid here; whether it may be empty is the caller's rule.
void Validate(std::string_view text, Kind kind, const std::string& field);

struct Context {
  std::map<std::string, std::string, std::less<>> values;  // "client.name" → "Иван Петров"
  EpochMs now_ms = 0;
  const TimeZone* zone = nullptr;  // required when the template has time expressions
};

// The text with every variable replaced (a variable without a value becomes "") and time
// expressions written as dd.mm.yyyy HH:MM in the context's zone. Throws like Validate.
std::string RenderText(std::string_view text, const Context& context);
// The instant a deadline template names. Throws InvalidArgument for an empty or invalid one.
EpochMs RenderDeadline(std::string_view text, const Context& context);

// "2025-03-05T10:00:00+03:00": the form Bitrix24 takes for deadlines, in the given zone.
std::string FormatIso8601(EpochMs at_ms, const TimeZone& zone);
// "05.03.2025 10:00".
std::string FormatHuman(EpochMs at_ms, const TimeZone& zone);

}  // namespace opdesk::templates
