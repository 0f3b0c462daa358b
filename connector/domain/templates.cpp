#include "connector/domain/templates.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>

#include "connector/domain/error.h"
#include "connector/domain/text.h"

namespace opdesk::templates {
namespace {

constexpr std::string_view kNow = "now";
constexpr int kMaxTerms = 5;
constexpr long long kMaxAmount = 9999;

struct TimeExpression {
  long long minutes = 0;  // absolute shift
  long long days = 0;     // calendar shift in the zone
  bool has_time_of_day = false;
  int hour = 0;
  int minute = 0;
};

struct Piece {
  enum class Type { kLiteral, kVariable, kTime } type = Type::kLiteral;
  std::string text;  // literal text or variable name
  TimeExpression time;
};

[[noreturn]] void Bad(const std::string& field, const std::string& why) {
  throw InvalidArgument(field + ": " + why, field);
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || c == '_' || c == '.';
}

// "now", "now+2d", "now + 1h - 30m 10:00".
std::optional<TimeExpression> ParseTime(std::string_view e, const std::string& field) {
  if (e.substr(0, kNow.size()) != kNow) {
    return std::nullopt;
  }
  TimeExpression t;
  std::size_t i = kNow.size();
  auto skip_spaces = [&] {
    while (i < e.size() && e[i] == ' ') {
      ++i;
    }
  };
  int terms = 0;
  while (true) {
    skip_spaces();
    if (i >= e.size() || (e[i] != '+' && e[i] != '-')) {
      break;
    }
    const long long sign = e[i] == '-' ? -1 : 1;
    ++i;
    skip_spaces();
    long long amount = 0;
    std::size_t digits = 0;
    while (i < e.size() && e[i] >= '0' && e[i] <= '9' && digits < 5) {
      amount = amount * 10 + (e[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0 || amount > kMaxAmount || i >= e.size()) {
      Bad(field,
          "in {" + std::string(e) + "} a shift is a number up to 9999 and a unit m, h, d or w");
    }
    switch (e[i]) {
      case 'm':
        t.minutes += sign * amount;
        break;
      case 'h':
        t.minutes += sign * amount * 60;
        break;
      case 'd':
        t.days += sign * amount;
        break;
      case 'w':
        t.days += sign * amount * 7;
        break;
      default:
        Bad(field, "in {" + std::string(e) + "} the unit must be m, h, d or w");
    }
    ++i;
    if (++terms > kMaxTerms) {
      Bad(field, "in {" + std::string(e) + "} at most 5 shifts are allowed");
    }
  }
  skip_spaces();
  if (i < e.size()) {
    const std::string_view rest = e.substr(i);
    int hour = -1;
    int minute = -1;
    if (rest.size() == 5 && rest[2] == ':' && std::isdigit(static_cast<unsigned char>(rest[0])) &&
        std::isdigit(static_cast<unsigned char>(rest[1])) &&
        std::isdigit(static_cast<unsigned char>(rest[3])) &&
        std::isdigit(static_cast<unsigned char>(rest[4]))) {
      hour = (rest[0] - '0') * 10 + (rest[1] - '0');
      minute = (rest[3] - '0') * 10 + (rest[4] - '0');
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
      Bad(field, "in {" + std::string(e) + "} the time of day must be HH:MM, e.g. 10:00");
    }
    t.has_time_of_day = true;
    t.hour = hour;
    t.minute = minute;
  }
  return t;
}

std::vector<Piece> Parse(std::string_view text, const std::string& field) {
  std::vector<Piece> pieces;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) {
      pieces.push_back({Piece::Type::kLiteral, literal, {}});
      literal.clear();
    }
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '}') {
      literal += '}';
      if (i + 1 < text.size() && text[i + 1] == '}') {
        ++i;  // "}}" is one literal brace
      }
      continue;
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      ++i;
      continue;
    }
    const std::size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos) {
      Bad(field, "a '{' is not closed; write {{ for a literal brace");
    }
    const std::string_view inner = TrimSpaces(text.substr(i + 1, close - i - 1));
    if (inner.find('{') != std::string_view::npos) {
      Bad(field, "a '{' is not closed before the next one; write {{ for a literal brace");
    }
    flush();
    if (auto time = ParseTime(inner, field)) {
      pieces.push_back({Piece::Type::kTime, std::string(inner), *time});
    } else {
      if (inner.empty() || !std::all_of(inner.begin(), inner.end(), IsNameChar) ||
          !IsKnownVariable(inner)) {
        Bad(field,
            "unknown variable {" + std::string(inner) + "}; see the list of template variables");
      }
      pieces.push_back({Piece::Type::kVariable, std::string(inner), {}});
    }
    i = close;
  }
  flush();
  return pieces;
}

EpochMs Resolve(const TimeExpression& t, const Context& context) {
  if (context.zone == nullptr) {
    throw Internal("a time expression was rendered without a time zone");
  }
  const TimeZone& zone = *context.zone;
  LocalTime local = zone.ToLocal(context.now_ms + t.minutes * 60'000);
  const LocalTime date = CivilFromDays(DaysFromCivil(local.year, local.month, local.day) + t.days);
  local.year = date.year;
  local.month = date.month;
  local.day = date.day;
  if (t.has_time_of_day) {
    local.hour = t.hour;
    local.minute = t.minute;
  }
  local.second = 0;
  return zone.FromLocal(local);
}

}  // namespace

const std::vector<Variable>& Variables() {
  static const std::vector<Variable> kVariables = {
      {"client.name", "имя клиента: контакт, компания или лид",
       "client's name: contact, company or lead"},
      {"client.company", "компания клиента", "client's company"},
      {"client.phone", "телефон клиента из CRM", "client's phone in the CRM"},
      {"client.responsible", "ответственный за клиента", "the client's responsible employee"},
      {"deal.title", "название открытой сделки клиента", "title of the client's open deal"},
      {"operator.name", "имя оператора, нажавшего кнопку",
       "name of the operator pressing the button"},
      {"call.phone", "номер собеседника", "the other party's number"},
      {"call.line", "линия, на которую позвонили", "the line that was called"},
      {"call.direction", "входящий или исходящий", "incoming or outgoing"},
      {"call.date", "дата начала звонка, 05.03.2025", "date the call started, 05.03.2025"},
      {"call.time", "время начала звонка, 16:30", "time the call started, 16:30"},
  };
  return kVariables;
}

bool IsKnownVariable(std::string_view name) {
  const auto& all = Variables();
  return std::any_of(all.begin(), all.end(), [&](const Variable& v) { return v.name == name; });
}

void Validate(std::string_view text, Kind kind, const std::string& field) {
  CheckText(text, kind == Kind::kText ? kMaxTextChars : kMaxDeadlineChars, false, field);
  const std::vector<Piece> pieces = Parse(text, field);
  if (kind == Kind::kDeadline && !TrimSpaces(text).empty()) {
    const auto times = std::count_if(pieces.begin(), pieces.end(),
                                     [](const Piece& p) { return p.type == Piece::Type::kTime; });
    const bool only_spaces_besides = std::all_of(pieces.begin(), pieces.end(), [](const Piece& p) {
      return p.type == Piece::Type::kTime ||
             (p.type == Piece::Type::kLiteral && TrimSpaces(p.text).empty());
    });
    if (times != 1 || !only_spaces_besides) {
      Bad(field, "a deadline is one time expression, e.g. {now+1d 10:00}");
    }
  }
}

std::string RenderText(std::string_view text, const Context& context) {
  std::string out;
  for (const Piece& p : Parse(text, "template")) {
    switch (p.type) {
      case Piece::Type::kLiteral:
        out += p.text;
        break;
      case Piece::Type::kVariable:
        if (auto it = context.values.find(p.text); it != context.values.end()) {
          out += it->second;
        }
        break;
      case Piece::Type::kTime:
        out += FormatHuman(Resolve(p.time, context), *context.zone);
        break;
    }
  }
  return out;
}

EpochMs RenderDeadline(std::string_view text, const Context& context) {
  if (TrimSpaces(text).empty()) {
    throw InvalidArgument("the deadline template is empty", "deadline");
  }
  Validate(text, Kind::kDeadline, "deadline");
  for (const Piece& p : Parse(text, "deadline")) {
    if (p.type == Piece::Type::kTime) {
      return Resolve(p.time, context);
    }
  }
  throw Internal("a validated deadline had no time expression");
}

std::string FormatIso8601(EpochMs at_ms, const TimeZone& zone) {
  const LocalTime t = zone.ToLocal(at_ms);
  const int offset = zone.OffsetAt(at_ms);
  const int abs = offset < 0 ? -offset : offset;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", t.year, t.month, t.day,
                t.hour, t.minute, t.second, offset < 0 ? '-' : '+', abs / 3600, abs % 3600 / 60);
  return buf;
}

std::string FormatHuman(EpochMs at_ms, const TimeZone& zone) {
  const LocalTime t = zone.ToLocal(at_ms);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d.%02d.%04d %02d:%02d", t.day, t.month, t.year, t.hour,
                t.minute);
  return buf;
}

}  // namespace opdesk::templates
