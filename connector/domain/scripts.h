// Call scripts (FEATURES C2, C3, D2, D3, H3): a directed graph of steps. A step's title is the
// text of the navigation button that leads to it; its hint is what the operator reads; its
// fields are CRM fields shown at that step, editable or locked. The draft is edited freely and
// checked for structure only (no dangling links, sizes bounded), so the designer can save
// half-built graphs; publishing checks the whole script (titles, one start, every step
// reachable) and freezes it as a numbered version. Operators always run a published version and
// every run records which.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "connector/domain/clock.h"
#include "connector/domain/crm_catalog.h"

namespace opdesk {

struct ScriptStep {
  std::string id;     // chosen by the designer: A–Z a–z 0–9 _ -, up to 64
  std::string title;  // the navigation button's text
  std::string hint;
  double x = 0;  // position on the canvas
  double y = 0;
  std::vector<FieldRef> fields;
  std::vector<std::string> next;  // ids of the steps the operator can go to from here
  // H7: a common answer (an objection handler): the operator can open it from any step and go
  // back to where they were, so it needs no link from the start.
  bool common = false;
};

struct ScriptGraph {
  std::string start_step;  // "" only when there are no steps
  std::vector<ScriptStep> steps;
  const ScriptStep* Find(const std::string& id) const;
};

struct Script {
  long long id = 0;
  std::string name;
  std::string description;
  ScriptGraph draft;
  long long published_version = 0;  // 0: never published
  long long version = 0;            // of the script row: optimistic concurrency of edits
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

// A published, frozen version: what operators run.
struct ScriptVersion {
  long long script_id = 0;
  long long version = 0;  // 1, 2, 3 … per script
  std::string name;
  std::string description;
  ScriptGraph graph;
  EpochMs published_at_ms = 0;
  std::string published_by;  // "user:<id>"
};

inline constexpr std::size_t kMaxScriptName = 100;
inline constexpr std::size_t kMaxScriptDescription = 2000;
inline constexpr std::size_t kMaxSteps = 300;
inline constexpr std::size_t kMaxStepTitle = 100;
inline constexpr std::size_t kMaxStepHint = 4000;
inline constexpr std::size_t kMaxStepFields = 30;
inline constexpr std::size_t kMaxStepLinks = 30;
inline constexpr double kMaxCoordinate = 1e6;
inline constexpr std::size_t kMaxScriptsPerTenant = 500;

// Name and description. Throws InvalidArgument naming the field.
void ValidateScriptHeader(const std::string& name, const std::string& description);
// Structure: unique well-formed step ids, a start step that exists, links to existing steps only
// (no self-links, no repeats), bounded sizes, well-formed field references. `field` prefixes the
// names in errors ("draft" → "draft.steps[2].next[0]").
void ValidateDraft(const ScriptGraph& graph, const std::string& field = "draft");
// Everything ValidateDraft checks, plus: at least one step, no empty titles, every step reachable
// from the start or from a common answer (which the operator opens anywhere), a start step that
// is not a common answer, and no two next steps of one step with the same title (the operator
// could not tell their buttons apart).
void ValidateForPublish(const ScriptGraph& graph, const std::string& field = "draft");

// The name an imported or duplicated script gets so that it never replaces one: `name` itself
// when free, otherwise "<name> (копия N)" with the smallest free N (an existing "(копия K)"
// suffix is replaced, not stacked).
std::string CopyName(const std::string& name, const std::set<std::string>& taken);

// A run of a script in a call, as the call card records it: which published version, where the
// operator is, and the path so far with time per step and the answers given.
struct ScriptRunStep {
  std::string step_id;
  EpochMs entered_at_ms = 0;
  EpochMs left_at_ms = 0;                                    // 0: the operator is still there
  std::vector<std::pair<std::string, std::string>> answers;  // field code → value as JSON text
};

struct ScriptRun {
  long long id = 0;
  std::string tenant_id;
  std::string call_id;
  std::string user_id;
  long long script_id = 0;
  long long version = 0;
  std::string current_step;
  std::string path_json;  // the path, encoded by the settings codec (EncodeRunPath)
  EpochMs started_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

inline constexpr std::size_t kMaxRunPath = 1000;

// The path names steps of `graph` only, with entry times in order and no step left before it
// was entered; `current_step` is a step of the graph. Throws InvalidArgument naming the field.
void ValidateRunPath(const ScriptGraph& graph, const std::vector<ScriptRunStep>& path,
                     const std::string& current_step);

}  // namespace opdesk
