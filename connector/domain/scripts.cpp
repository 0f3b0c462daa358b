#include "connector/domain/scripts.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <deque>
#include <map>

#include "connector/domain/error.h"
#include "connector/domain/text.h"

namespace opdesk {
namespace {

constexpr std::string_view kCopyWord = " (копия ";

bool IsStepId(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
}

[[noreturn]] void Bad(const std::string& field, const std::string& why) {
  throw InvalidArgument(field + " " + why, field);
}

std::string StepField(const std::string& field, std::size_t i) {
  return field + ".steps[" + std::to_string(i) + "]";
}

// "Name (копия 3)" → "Name"; anything else unchanged.
std::string WithoutCopySuffix(const std::string& name) {
  const std::size_t at = name.rfind(kCopyWord);
  if (at == std::string::npos || name.back() != ')') {
    return name;
  }
  const std::string number =
      name.substr(at + kCopyWord.size(), name.size() - at - kCopyWord.size() - 1);
  const bool digits = !number.empty() && std::all_of(number.begin(), number.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
  return digits ? name.substr(0, at) : name;
}

}  // namespace

const ScriptStep* ScriptGraph::Find(const std::string& id) const {
  for (const ScriptStep& s : steps) {
    if (s.id == id) {
      return &s;
    }
  }
  return nullptr;
}

const ScriptStep* ScriptGraph::Pinned() const {
  for (const ScriptStep& s : steps) {
    if (s.pinned) {
      return &s;
    }
  }
  return nullptr;
}

bool IsScriptTag(std::string_view tag) {
  return std::find(std::begin(kScriptTags), std::end(kScriptTags), tag) != std::end(kScriptTags);
}

std::vector<std::string> FindTags(std::string_view text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while ((at = text.find("{{", at)) != std::string_view::npos) {
    const std::size_t end = text.find("}}", at + 2);
    if (end == std::string_view::npos) {
      out.emplace_back(text.substr(at));
      break;
    }
    out.emplace_back(TrimSpaces(text.substr(at + 2, end - at - 2)));
    at = end + 2;
  }
  return out;
}

void CheckTags(std::string_view text, const std::string& field, const std::string& step_id) {
  for (const std::string& tag : FindTags(text)) {
    if (!IsScriptTag(tag)) {
      const std::string shown = Utf8Prefix(tag, 60);
      Bad(field,
          (step_id.empty() ? "" : "(step " + step_id + ") ") + "has an unknown field tag {{" +
              shown + "}}; known tags: CONTACT.NAME, " +
              "CONTACT.LAST_NAME, CONTACT.PHONE, CONTACT.EMAIL, COMPANY.TITLE, LEAD.TITLE, " +
              "DEAL.TITLE, DEAL.OPPORTUNITY, DEAL.STAGE, EMPLOYEE.NAME, CALL.PHONE");
    }
  }
}

bool IsNumberFieldType(const CrmField& field) {
  // Not the multi-value PHONE: each call would add a number to it.
  return !field.multiple && (field.type == "string" || field.type == "phone");
}

void ValidateScriptSettings(const ScriptSettings& st, const std::string& field) {
  if (std::find(std::begin(kCallTypes), std::end(kCallTypes), st.call_type) ==
      std::end(kCallTypes)) {
    Bad(field + ".call_type", "must be any, incoming or outgoing");
  }
  auto id_ok = [](const std::string& id) {
    return id.size() <= 64 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
             return std::isalnum(c) || c == '_' || c == '-' || c == ':';
           });
  };
  if (!id_ok(st.activity_type)) {
    Bad(field + ".activity_type", "must be an id of the CRM's activity types");
  }
  if (!id_ok(st.deal_type)) {
    Bad(field + ".deal_type", "must be an id of the CRM's deal types");
  }
  if (!st.number_field.entity.empty() || !st.number_field.code.empty()) {
    if (st.number_field.entity != "contact" && st.number_field.entity != "deal") {
      Bad(field + ".number_field.entity", "must be contact or deal");
    }
    CheckFieldRefShape(st.number_field, field + ".number_field");
  }
}

std::string CallDirection(std::string_view v) {
  std::string lower;
  for (char c : TrimSpaces(v)) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (lower == "incoming" || lower == "inbound" || lower == "in" || lower == "2") {
    return "incoming";
  }
  if (lower == "outgoing" || lower == "outbound" || lower == "out" || lower == "1") {
    return "outgoing";
  }
  return "";
}

ScriptChoice ChooseScripts(const std::vector<ScriptCandidate>& scripts, std::string_view direction,
                           std::string_view deal_type) {
  // Specificity: 2 for a deal type that matches, 1 for a call type that matches, summed.
  std::vector<std::pair<int, long long>> fit;
  for (const ScriptCandidate& c : scripts) {
    int score = 0;
    if (c.settings.call_type != "any") {
      if (c.settings.call_type != direction) {
        continue;
      }
      score += 1;
    }
    if (!c.settings.deal_type.empty()) {
      if (c.settings.deal_type != deal_type) {
        continue;
      }
      score += 2;
    }
    fit.emplace_back(score, c.id);
  }
  ScriptChoice out;
  if (fit.empty()) {
    for (const ScriptCandidate& c : scripts) {
      out.fitting.push_back(c.id);
    }
    out.chosen = scripts.size() == 1 ? scripts.front().id : 0;
    return out;
  }
  std::stable_sort(fit.begin(), fit.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& f : fit) {
    out.fitting.push_back(f.second);
  }
  if (fit.size() == 1 || fit[0].first > fit[1].first) {
    out.chosen = fit[0].second;
  }
  return out;
}

void ValidateScriptHeader(const std::string& name, const std::string& description) {
  CheckText(name, kMaxScriptName, true, "name");
  CheckText(description, kMaxScriptDescription, false, "description");
}

void ValidateDraft(const ScriptGraph& graph, const std::string& field) {
  if (graph.steps.size() > kMaxSteps) {
    Bad(field + ".steps", "may have at most " + std::to_string(kMaxSteps) + " steps");
  }
  ValidateScriptSettings(graph.settings, field + ".settings");
  std::map<std::string, std::size_t> index;
  std::size_t pinned_at = graph.steps.size();
  for (std::size_t i = 0; i < graph.steps.size(); ++i) {
    const ScriptStep& s = graph.steps[i];
    const std::string at = StepField(field, i);
    if (!IsStepId(s.id)) {
      Bad(at + ".id", "must be 1 to 64 of A-Z a-z 0-9 _ -");
    }
    if (!index.emplace(s.id, i).second) {
      Bad(at + ".id", "repeats the id of another step: " + s.id);
    }
    CheckText(s.title, kMaxStepTitle, false, at + ".title");
    CheckText(s.hint, kMaxStepHint, false, at + ".hint");
    CheckTags(s.hint, at + ".hint", s.id);
    if (s.pinned && pinned_at != graph.steps.size()) {
      Bad(at + ".pinned",
          "only one step may be pinned; " + graph.steps[pinned_at].id + " is pinned already");
    }
    if (s.pinned) {
      pinned_at = i;
    }
    if (!std::isfinite(s.x) || std::fabs(s.x) > kMaxCoordinate) {
      Bad(at + ".x", "must be a number within ±1000000");
    }
    if (!std::isfinite(s.y) || std::fabs(s.y) > kMaxCoordinate) {
      Bad(at + ".y", "must be a number within ±1000000");
    }
    if (s.fields.size() > kMaxStepFields) {
      Bad(at + ".fields", "may have at most " + std::to_string(kMaxStepFields) + " fields");
    }
    for (std::size_t f = 0; f < s.fields.size(); ++f) {
      const std::string ref_at = at + ".fields[" + std::to_string(f) + "]";
      CheckFieldRefShape(s.fields[f], ref_at);
      for (std::size_t g = 0; g < f; ++g) {
        if (s.fields[g].entity == s.fields[f].entity && s.fields[g].code == s.fields[f].code) {
          Bad(ref_at, "repeats " + s.fields[f].entity + "." + s.fields[f].code);
        }
      }
    }
    if (s.next.size() > kMaxStepLinks) {
      Bad(at + ".next", "may have at most " + std::to_string(kMaxStepLinks) + " links");
    }
  }
  for (std::size_t i = 0; i < graph.steps.size(); ++i) {
    const ScriptStep& s = graph.steps[i];
    for (std::size_t n = 0; n < s.next.size(); ++n) {
      const std::string at = StepField(field, i) + ".next[" + std::to_string(n) + "]";
      if (!index.count(s.next[n])) {
        Bad(at, "links to a step that does not exist: " + s.next[n]);
      }
      if (s.next[n] == s.id) {
        Bad(at, "links the step to itself");
      }
      if (std::find(s.next.begin(), s.next.begin() + static_cast<long>(n), s.next[n]) !=
          s.next.begin() + static_cast<long>(n)) {
        Bad(at, "repeats a link to " + s.next[n]);
      }
    }
  }
  if (graph.steps.empty()) {
    if (!graph.start_step.empty()) {
      Bad(field + ".start_step", "names a step of an empty script");
    }
  } else if (!index.count(graph.start_step)) {
    Bad(field + ".start_step", "must name one of the steps");
  }
}

void ValidateForPublish(const ScriptGraph& graph, const std::string& field) {
  ValidateDraft(graph, field);
  if (graph.steps.empty()) {
    Bad(field + ".steps", "must have at least one step to publish");
  }
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < graph.steps.size(); ++i) {
    index[graph.steps[i].id] = i;
    if (TrimSpaces(graph.steps[i].title).empty()) {
      Bad(StepField(field, i) + ".title", "must not be empty: it is the navigation button's text");
    }
  }
  for (std::size_t i = 0; i < graph.steps.size(); ++i) {
    const ScriptStep& s = graph.steps[i];
    std::map<std::string, std::string> titles;
    for (std::size_t n = 0; n < s.next.size(); ++n) {
      const std::string title(TrimSpaces(graph.steps[index[s.next[n]]].title));
      auto [it, fresh] = titles.emplace(title, s.next[n]);
      if (!fresh) {
        Bad(StepField(field, i) + ".next[" + std::to_string(n) + "]",
            "leads to two steps titled \"" + title + "\" (" + it->second + ", " + s.next[n] +
                "); the operator could not tell their buttons apart");
      }
    }
  }
  if (graph.steps[index[graph.start_step]].common) {
    Bad(field + ".start_step", "is a common answer; the call must start with a step of the script");
  }
  std::vector<bool> reached(graph.steps.size(), false);
  std::deque<std::size_t> queue{index[graph.start_step]};
  reached[queue.front()] = true;
  for (std::size_t i = 0; i < graph.steps.size(); ++i) {
    if (graph.steps[i].common && !reached[i]) {
      reached[i] = true;
      queue.push_back(i);
    }
  }
  while (!queue.empty()) {
    const ScriptStep& s = graph.steps[queue.front()];
    queue.pop_front();
    for (const std::string& n : s.next) {
      const std::size_t j = index[n];
      if (!reached[j]) {
        reached[j] = true;
        queue.push_back(j);
      }
    }
  }
  for (std::size_t i = 0; i < graph.steps.size(); ++i) {
    if (!reached[i]) {
      Bad(StepField(field, i), "(" + graph.steps[i].id + ") cannot be reached from the start step");
    }
  }
}

std::string CopyName(const std::string& name, const std::set<std::string>& taken) {
  if (!taken.count(name)) {
    return name;
  }
  const std::string base = WithoutCopySuffix(name);
  for (long long n = 1;; ++n) {
    const std::string suffix = std::string(kCopyWord) + std::to_string(n) + ")";
    // Keep the result within the name limit by shortening the base, never the suffix.
    const std::size_t room = kMaxScriptName - Utf8Length(suffix);
    const std::string candidate = Utf8Prefix(base, room) + suffix;
    if (!taken.count(candidate)) {
      return candidate;
    }
  }
}

void ValidateRunPath(const ScriptGraph& graph, const std::vector<ScriptRunStep>& path,
                     const std::string& current_step) {
  if (graph.Find(current_step) == nullptr) {
    Bad("current_step", "is not a step of this script version: " + current_step);
  }
  if (path.size() > kMaxRunPath) {
    Bad("path", "may have at most " + std::to_string(kMaxRunPath) + " entries");
  }
  EpochMs last_entered = 0;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const ScriptRunStep& p = path[i];
    const std::string at = "path[" + std::to_string(i) + "]";
    const ScriptStep* step = graph.Find(p.step_id);
    if (step == nullptr) {
      Bad(at + ".step_id", "is not a step of this script version: " + p.step_id);
    }
    if (p.entered_at_ms <= 0 || p.entered_at_ms < last_entered) {
      Bad(at + ".entered_at_ms", "must be a time after the previous entry");
    }
    if (p.left_at_ms != 0 && p.left_at_ms < p.entered_at_ms) {
      Bad(at + ".left_at_ms", "is before the step was entered");
    }
    if (p.answers.size() > kMaxStepFields) {
      Bad(at + ".answers", "has more answers than a step has fields");
    }
    last_entered = p.entered_at_ms;
  }
}

}  // namespace opdesk
