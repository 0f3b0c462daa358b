// JSON of scripts (draft graphs, versions, the export format), run paths and the CRM catalog.
#include "connector/domain/error.h"

#include <cpprest/json.h>
#include "connector/settings/codec.h"

namespace opdesk::settings {
namespace {

constexpr const char* kExportFormat = "opdesk.script";
constexpr int kExportFormatVersion = 1;

Json Str(const std::string& s) {
  return Json::string(s);
}

Json Int(long long v) {
  return Json::number(static_cast<int64_t>(v));
}

Json StepsJson(const ScriptGraph& g) {
  Json steps = Json::array(g.steps.size());
  for (std::size_t i = 0; i < g.steps.size(); ++i) {
    const ScriptStep& s = g.steps[i];
    Json j = Json::object(true);
    j["id"] = Str(s.id);
    j["title"] = Str(s.title);
    j["hint"] = Str(s.hint);
    j["x"] = Json::number(s.x);
    j["y"] = Json::number(s.y);
    j["fields"] = FieldRefsToJson(s.fields, true);
    Json next = Json::array(s.next.size());
    for (std::size_t n = 0; n < s.next.size(); ++n) {
      next[n] = Str(s.next[n]);
    }
    j["next"] = next;
    j["common"] = Json::boolean(s.common);
    j["pinned"] = Json::boolean(s.pinned);
    steps[i] = j;
  }
  return steps;
}

std::vector<ScriptStep> StepsFromJson(const Json& steps, const std::string& path) {
  std::vector<ScriptStep> out;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::string at = ItemPath(path, i);
    ObjectReader r(steps.at(i), at);
    ScriptStep s;
    s.id = r.String("id", true, 256);
    s.title = r.String("title", false, 4096);
    s.hint = r.String("hint", false, 64 * 1024);
    s.x = r.Number("x", 0);
    s.y = r.Number("y", 0);
    s.fields = FieldRefsFromJson(r.Array("fields", false, kMaxStepFields), at + ".fields", true,
                                 kMaxStepFields);
    const Json& next = r.Array("next", false, kMaxStepLinks);
    for (std::size_t n = 0; n < next.size(); ++n) {
      if (!next.at(n).is_string()) {
        throw InvalidArgument(ItemPath(at + ".next", n) + " must be a step id",
                              ItemPath(at + ".next", n));
      }
      s.next.push_back(next.at(n).as_string());
    }
    s.common = r.Bool("common", false);
    s.pinned = r.Bool("pinned", false);
    r.Done();
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

Json SettingsToJson(const ScriptSettings& st) {
  Json j = Json::object(true);
  j["call_type"] = Str(st.call_type);
  j["activity_type"] = Str(st.activity_type);
  j["deal_type"] = Str(st.deal_type);
  if (st.number_field.entity.empty()) {
    j["number_field"] = Json::null();
  } else {
    Json f = Json::object(true);
    f["entity"] = Str(st.number_field.entity);
    f["code"] = Str(st.number_field.code);
    j["number_field"] = f;
  }
  return j;
}

ScriptSettings SettingsFromJson(const Json& settings, const std::string& path) {
  ObjectReader r(settings, path);
  ScriptSettings st;
  st.call_type = r.String("call_type", false, 64);
  if (st.call_type.empty()) {
    st.call_type = "any";
  }
  st.activity_type = r.String("activity_type", false, 256);
  st.deal_type = r.String("deal_type", false, 256);
  if (const Json* f = r.Get("number_field", true)) {
    ObjectReader fr(*f, r.PathOf("number_field"));
    st.number_field.entity = fr.String("entity", true, 64);
    st.number_field.code = fr.String("code", true, 256);
    st.number_field.editable = false;
    fr.Done();
  }
  r.Done();
  return st;
}

Json GraphToJson(const ScriptGraph& g) {
  Json j = Json::object(true);
  j["start_step"] = Str(g.start_step);
  j["steps"] = StepsJson(g);
  j["settings"] = SettingsToJson(g.settings);
  return j;
}

ScriptGraph GraphFromJson(const Json& graph, const std::string& path) {
  ObjectReader r(graph, path);
  ScriptGraph g;
  g.start_step = r.String("start_step", false, 256);
  g.steps = StepsFromJson(r.Array("steps", false, kMaxSteps), r.PathOf("steps"));
  if (const Json* st = r.Get("settings", true)) {
    g.settings = SettingsFromJson(*st, r.PathOf("settings"));
  }
  r.Done();
  return g;
}

Json ToJson(const Script& s) {
  Json j = SummaryJson(s);
  j["draft"] = GraphToJson(s.draft);
  return j;
}

Json SummaryJson(const Script& s) {
  Json j = Json::object(true);
  j["id"] = Str(std::to_string(s.id));
  j["name"] = Str(s.name);
  j["description"] = Str(s.description);
  j["published_version"] = s.published_version > 0 ? Int(s.published_version) : Json::null();
  j["version"] = Int(s.version);
  j["updated_at_ms"] = Int(s.updated_at_ms);
  return j;
}

Json ToJson(const ScriptVersion& v) {
  Json j = Json::object(true);
  j["id"] = Str(std::to_string(v.script_id));
  j["name"] = Str(v.name);
  j["description"] = Str(v.description);
  j["version"] = Int(v.version);
  j["published_at_ms"] = Int(v.published_at_ms);
  j["published_by"] = Str(v.published_by);
  j["start_step"] = Str(v.graph.start_step);
  j["steps"] = StepsJson(v.graph);
  j["settings"] = SettingsToJson(v.graph.settings);
  return j;
}

Json ExportJson(const std::string& name, const std::string& description, const ScriptGraph& graph) {
  Json j = Json::object(true);
  j["format"] = Str(kExportFormat);
  j["format_version"] = Int(kExportFormatVersion);
  j["name"] = Str(name);
  j["description"] = Str(description);
  j["start_step"] = Str(graph.start_step);
  j["steps"] = StepsJson(graph);
  j["settings"] = SettingsToJson(graph.settings);
  return j;
}

ImportedScript ImportFromJson(const Json& document) {
  ObjectReader r(document, "");
  if (r.String("format", true, 64) != kExportFormat) {
    throw InvalidArgument(std::string("format must be \"") + kExportFormat + "\"", "format");
  }
  if (r.Int("format_version", true) != kExportFormatVersion) {
    throw InvalidArgument("format_version 1 is the only one this opdesk reads", "format_version");
  }
  ImportedScript out;
  out.name = r.String("name", true, 1024);
  out.description = r.String("description", false, 16 * 1024);
  out.graph.start_step = r.String("start_step", false, 256);
  out.graph.steps = StepsFromJson(r.Array("steps", false, kMaxSteps), "steps");
  if (const Json* st = r.Get("settings", true)) {
    out.graph.settings = SettingsFromJson(*st, "settings");
  }
  r.Done();
  return out;
}

Json ToJson(const CrmCatalog& c) {
  auto status = [](const CrmStatus& s) {
    Json j = Json::object(true);
    j["id"] = Str(s.id);
    j["name"] = Str(s.name);
    j["sort"] = Int(s.sort);
    j["semantics"] = Str(s.semantics);
    return j;
  };
  Json j = Json::object(true);
  Json leads = Json::array(c.lead_statuses.size());
  for (std::size_t i = 0; i < c.lead_statuses.size(); ++i) {
    leads[i] = status(c.lead_statuses[i]);
  }
  j["lead_statuses"] = leads;
  Json sources = Json::array(c.sources.size());
  for (std::size_t i = 0; i < c.sources.size(); ++i) {
    sources[i] = status(c.sources[i]);
  }
  j["sources"] = sources;
  Json cats = Json::array(c.deal_categories.size());
  for (std::size_t i = 0; i < c.deal_categories.size(); ++i) {
    const DealCategory& d = c.deal_categories[i];
    Json cat = Json::object(true);
    cat["id"] = Str(d.id);
    cat["name"] = Str(d.name);
    Json stages = Json::array(d.stages.size());
    for (std::size_t k = 0; k < d.stages.size(); ++k) {
      stages[k] = status(d.stages[k]);
    }
    cat["stages"] = stages;
    cats[i] = cat;
  }
  j["deal_categories"] = cats;
  auto statuses = [&](const std::vector<CrmStatus>& list) {
    Json a = Json::array(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      a[i] = status(list[i]);
    }
    return a;
  };
  j["deal_types"] = statuses(c.deal_types);
  j["activity_types"] = statuses(c.activity_types);
  Json fields = Json::object(true);
  for (const auto& [entity, list] : c.fields) {
    Json a = Json::array(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      const CrmField& f = list[i];
      Json fj = Json::object(true);
      fj["code"] = Str(f.code);
      fj["label"] = Str(f.label);
      fj["type"] = Str(f.type);
      fj["multiple"] = Json::boolean(f.multiple);
      fj["read_only"] = Json::boolean(f.read_only);
      fj["required"] = Json::boolean(f.required);
      a[i] = fj;
    }
    fields[entity] = a;
  }
  j["fields"] = fields;
  j["fetched_at_ms"] = Int(c.fetched_at_ms);
  return j;
}

CrmCatalog CatalogFromJson(const Json& j) {
  // Our own cache document: read leniently, written only by ToJson above.
  auto str = [](const Json& v, const char* k) {
    return v.has_field(k) && v.at(k).is_string() ? v.at(k).as_string() : std::string();
  };
  auto status = [&](const Json& v) {
    CrmStatus s;
    s.id = str(v, "id");
    s.name = str(v, "name");
    s.sort = v.has_field("sort") && v.at("sort").is_integer() ? v.at("sort").as_integer() : 0;
    s.semantics = str(v, "semantics");
    return s;
  };
  CrmCatalog c;
  if (!j.is_object()) {
    return c;
  }
  if (j.has_field("lead_statuses") && j.at("lead_statuses").is_array()) {
    for (const Json& s : j.at("lead_statuses").as_array()) {
      c.lead_statuses.push_back(status(s));
    }
  }
  if (j.has_field("sources") && j.at("sources").is_array()) {
    for (const Json& s : j.at("sources").as_array()) {
      c.sources.push_back(status(s));
    }
  }
  if (j.has_field("deal_categories") && j.at("deal_categories").is_array()) {
    for (const Json& d : j.at("deal_categories").as_array()) {
      DealCategory cat;
      cat.id = str(d, "id");
      cat.name = str(d, "name");
      if (d.has_field("stages") && d.at("stages").is_array()) {
        for (const Json& s : d.at("stages").as_array()) {
          cat.stages.push_back(status(s));
        }
      }
      c.deal_categories.push_back(std::move(cat));
    }
  }
  auto read_statuses = [&](const char* key, std::vector<CrmStatus>& list) {
    if (j.has_field(key) && j.at(key).is_array()) {
      for (const Json& s : j.at(key).as_array()) {
        list.push_back(status(s));
      }
    }
  };
  read_statuses("deal_types", c.deal_types);
  read_statuses("activity_types", c.activity_types);
  if (j.has_field("fields") && j.at("fields").is_object()) {
    for (const auto& [entity, list] : j.at("fields").as_object()) {
      if (!list.is_array()) {
        continue;
      }
      for (const Json& f : list.as_array()) {
        auto flag = [&](const char* k) {
          return f.has_field(k) && f.at(k).is_boolean() && f.at(k).as_bool();
        };
        c.fields[entity].push_back({str(f, "code"), str(f, "label"), str(f, "type"),
                                    flag("multiple"), flag("read_only"), flag("required")});
      }
    }
  }
  if (j.has_field("fetched_at_ms") && j.at("fetched_at_ms").is_number()) {
    c.fetched_at_ms = j.at("fetched_at_ms").as_number().to_int64();
  }
  return c;
}

Json RunPathToJson(const std::vector<ScriptRunStep>& path) {
  Json out = Json::array(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    const ScriptRunStep& p = path[i];
    Json j = Json::object(true);
    j["step_id"] = Str(p.step_id);
    j["entered_at_ms"] = Int(p.entered_at_ms);
    j["left_at_ms"] = Int(p.left_at_ms);
    Json answers = Json::object(true);
    for (const auto& [code, value] : p.answers) {
      answers[code] = ParseStored(value);
    }
    j["answers"] = answers;
    out[i] = j;
  }
  return out;
}

std::vector<ScriptRunStep> RunPathFromJson(const Json& path, const std::string& field) {
  if (!path.is_array()) {
    throw InvalidArgument(field + " must be an array", field);
  }
  if (path.size() > kMaxRunPath) {
    throw InvalidArgument(field + " may have at most " + std::to_string(kMaxRunPath) + " entries",
                          field);
  }
  std::vector<ScriptRunStep> out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string at = ItemPath(field, i);
    ObjectReader r(path.at(i), at);
    ScriptRunStep p;
    p.step_id = r.String("step_id", true, 256);
    p.entered_at_ms = r.Int("entered_at_ms", true);
    p.left_at_ms = r.Int("left_at_ms", false, 0);
    if (const Json* answers = r.Get("answers", true)) {
      if (!answers->is_object()) {
        throw InvalidArgument(at + ".answers must be an object of field code → value",
                              at + ".answers");
      }
      for (const auto& [code, value] : answers->as_object()) {
        p.answers.emplace_back(code, value.serialize());
      }
    }
    r.Done();
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace opdesk::settings
