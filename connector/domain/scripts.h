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
#include <string_view>
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
  // F1: «закрепить вверху»: the runner shows this step's text above the current step at every
  // step. At most one step of a script is pinned.
  bool pinned = false;
};

// F1: what a script is for, chosen by the call card among the role's scripts
// (ChooseScripts), and F2: the CRM field the number of the call is saved into.
inline constexpr std::string_view kCallTypes[] = {"any", "incoming", "outgoing"};
struct ScriptSettings {
  std::string call_type = "any";  // any | incoming | outgoing
  std::string activity_type;      // an id of the CRM's activity types; "" none
  std::string deal_type;          // an id of the CRM's deal types (DEAL_TYPE); "" any
  // F2: a string or phone field of the contact or the deal; entity "" when none.
  FieldRef number_field{"", "", false};
};

struct ScriptGraph {
  std::string start_step;  // "" only when there are no steps
  std::vector<ScriptStep> steps;
  ScriptSettings settings;  // travels with the draft into every published version
  const ScriptStep* Find(const std::string& id) const;
  const ScriptStep* Pinned() const;  // the pinned step, if any
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

// ---- field tags (F1) ----
// A step's text may hold tags such as {{CONTACT.NAME}}: the runner replaces them with the CRM
// values of the call's client, deal and operator (as text, never as markup). The set is fixed
// (docs/API.md «Field tags»); an unknown tag is refused when the draft is saved or published.
inline constexpr std::string_view kScriptTags[] = {
    "CONTACT.NAME",  "CONTACT.LAST_NAME", "CONTACT.PHONE", "CONTACT.EMAIL",
    "COMPANY.TITLE", "LEAD.TITLE",        "DEAL.TITLE",    "DEAL.OPPORTUNITY",
    "DEAL.STAGE",    "EMPLOYEE.NAME",     "CALL.PHONE",
};
bool IsScriptTag(std::string_view tag);
// The tags of `text` in order ("{{ X }}" is read as X); a "{{" without its "}}" is returned
// as the rest of the text so that validation refuses it.
std::vector<std::string> FindTags(std::string_view text);
// Throws InvalidArgument naming `field` and the tag when `text` holds an unknown tag.
void CheckTags(std::string_view text, const std::string& field, const std::string& step_id = "");

// F2: a field that can take the number: a single-value string or phone field.
bool IsNumberFieldType(const CrmField& field);

// The shape of the settings without the CRM: a known call type, ids of bounded length, a
// number field of the contact or the deal. The ids are checked against the CRM by the service.
void ValidateScriptSettings(const ScriptSettings& settings, const std::string& field);

// F1: the card's choice. Of the role's scripts (in the role's order), those whose call type
// fits the call's direction and whose deal type is the deal's (a script without a deal type
// fits any deal; one with a deal type fits only when the deal's type is known and equal),
// ordered: the most specific first (a deal type match before a call type match before "any"),
// the role's order among equals. `chosen` is the one to open without asking: the single most
// specific one when no other is as specific; otherwise none and the operator picks from
// `fitting`. Scripts that fit nothing are left out; when none fits, `fitting` is every script
// (the behaviour before F1) and `chosen` is the only one if there is one.
struct ScriptCandidate {
  long long id = 0;
  ScriptSettings settings;
};
struct ScriptChoice {
  std::vector<long long> fitting;
  long long chosen = 0;  // 0: let the operator pick
};
// The call's direction as the placement gives it ("incoming", "inbound", "2" …) → "incoming",
// "outgoing" or "" when unknown.
std::string CallDirection(std::string_view placement_value);
ScriptChoice ChooseScripts(const std::vector<ScriptCandidate>& scripts, std::string_view direction,
                           std::string_view deal_type);

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
