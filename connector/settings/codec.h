// JSON of the settings objects, one ToJson/FromJson pair per object (docs/API.md has the shapes).
// The same documents are what storage keeps for nested parts (actions, step graphs, field lists,
// the CRM catalog), so a stored object reads back exactly as the API wrote it. Readers are strict:
// unknown fields are refused and errors name the field.
#pragma once

#include <string>
#include <vector>

#include "adapters/json_read.h"
#include "connector/domain/buttons.h"
#include "connector/domain/crm_catalog.h"
#include "connector/domain/roles.h"
#include "connector/domain/scripts.h"

namespace opdesk::settings {

// Request bodies and stored documents are read with the service's one JSON reader.
using Json = web::json::value;
using adapters::ItemPath;
using adapters::ObjectReader;
using adapters::ParseBody;
using adapters::ParseId;
using adapters::ParseIdText;
using adapters::ParseStored;

// Buttons. ButtonFromJson reads name, color and actions (and `version` when `with_version`).
Json ToJson(const Button& button);
Button ButtonFromJson(const Json& body, bool with_version);
Json ActionsToJson(const std::vector<ButtonAction>& actions);
std::vector<ButtonAction> ActionsFromJson(const Json& actions, const std::string& path);

// Field references; `with_editable` for script steps.
Json FieldRefsToJson(const std::vector<FieldRef>& refs, bool with_editable);
std::vector<FieldRef> FieldRefsFromJson(const Json& refs, const std::string& path,
                                        bool with_editable, std::size_t max_items);

// Roles. RoleFromJson reads everything but id and system (and `version` when `with_version`).
Json ToJson(const Role& role);
Role RoleFromJson(const Json& body, bool with_version);

// Scripts.
Json GraphToJson(const ScriptGraph& graph);
// F1/F2: a script's settings ({"call_type", "activity_type", "deal_type", "number_field"}).
Json SettingsToJson(const ScriptSettings& settings);
ScriptSettings SettingsFromJson(const Json& settings, const std::string& path);
ScriptGraph GraphFromJson(const Json& graph, const std::string& path);
Json ToJson(const Script& script);
Json SummaryJson(const Script& script);  // without the draft
Json ToJson(const ScriptVersion& version);
// The export format: {"format": "opdesk.script", "format_version": 1, name, description,
// start_step, steps}.
Json ExportJson(const std::string& name, const std::string& description, const ScriptGraph& graph);
struct ImportedScript {
  std::string name;
  std::string description;
  ScriptGraph graph;
};
ImportedScript ImportFromJson(const Json& document);

// The CRM catalog (API and cache).
Json ToJson(const CrmCatalog& catalog);
CrmCatalog CatalogFromJson(const Json& catalog);

// A script run's path (docs/API.md, PUT /api/callcard/runs/{id}).
Json RunPathToJson(const std::vector<ScriptRunStep>& path);
std::vector<ScriptRunStep> RunPathFromJson(const Json& path, const std::string& field);

// Stored documents: serialize / parse a value made by the functions above.
std::string Encode(const Json& value);

}  // namespace opdesk::settings
