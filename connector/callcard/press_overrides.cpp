// The operator's changes to a press before it is stored (FEATURES C5): a callback or a meeting
// moved to another time, the text of a comment, callback or meeting edited.
#include <cpprest/json.h>

#include "connector/callcard/api.h"
#include "connector/domain/templates.h"
#include "connector/settings/codec.h"

namespace opdesk::callcard {
namespace {

using settings::Json;

// "2026-03-05T10:00" (or with seconds) as typed in the card, in the tenant's zone.
std::optional<EpochMs> ParseLocalInput(const std::string& text, const TimeZone& zone) {
  if (text.size() != 16 && text.size() != 19) {
    return std::nullopt;
  }
  auto num = [&](std::size_t pos, std::size_t n) -> int {
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
        return -1;
      }
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' ||
      (text.size() == 19 && text[16] != ':')) {
    return std::nullopt;
  }
  LocalTime t;
  t.year = num(0, 4);
  t.month = num(5, 2);
  t.day = num(8, 2);
  t.hour = num(11, 2);
  t.minute = num(14, 2);
  t.second = text.size() == 19 ? num(17, 2) : 0;
  if (t.year < 2000 || !IsValidDate(t.year, t.month, t.day) || t.hour < 0 || t.hour > 23 ||
      t.minute < 0 || t.minute > 59 || t.second < 0 || t.second > 59) {
    return std::nullopt;
  }
  return zone.FromLocal(t);
}

}  // namespace

void CallcardApi::ApplyOverrides(const Json& overrides, const TimeZone& zone,
                                 const std::string& deadline_hint,
                                 std::vector<PressedAction>& actions) {
  if (!overrides.is_array() || overrides.size() > actions.size()) {
    throw InvalidArgument("overrides must be a list, one item per action at most", "overrides");
  }
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    const std::string path = settings::ItemPath("overrides", i);
    settings::ObjectReader r(overrides.at(i), path);
    const long long index = r.Int("index", true);
    const Json* deadline = r.Get("deadline", true);
    const Json* text = r.Get("text", true);
    r.Done();
    if (index < 0 || index >= static_cast<long long>(actions.size())) {
      throw InvalidArgument("no action with this index", path + ".index");
    }
    PressedAction& a = actions[static_cast<std::size_t>(index)];
    const bool timed = a.kind == "callback" || a.kind == "meeting";
    if (deadline != nullptr) {
      const auto at = deadline->is_string() && timed ? ParseLocalInput(deadline->as_string(), zone)
                                                     : std::nullopt;
      if (!at) {
        throw InvalidArgument(timed ? deadline_hint : "only a callback or a meeting may be moved",
                              path + ".deadline");
      }
      a.deadline = templates::FormatIso8601(*at, zone);
    }
    if (text != nullptr) {
      if (!text->is_string() || text->as_string().size() > templates::kMaxTextChars ||
          !(timed || a.kind == "comment")) {
        throw InvalidArgument("only a comment, callback or meeting text may be changed, up to " +
                                  std::to_string(templates::kMaxTextChars) + " bytes",
                              path + ".text");
      }
      a.text = text->as_string();
    }
  }
}

}  // namespace opdesk::callcard
