// Scripts: the draft, publishing it as a frozen version, import/export/duplicate (never
// replacing a script), and what the call card reads and records.
#include <cpprest/json.h>
#include <map>

#include "connector/domain/error.h"
#include "connector/settings/codec.h"
#include "connector/settings/number_job.h"
#include "connector/settings/service.h"
#include "connector/storage/repositories.h"
#include "connector/storage/settings_repositories.h"

namespace opdesk::settings {
namespace {

Script ScriptFromRow(const storage::ScriptRow& row) {
  Script s;
  s.id = row.id;
  s.name = row.name;
  s.description = row.description;
  try {
    s.draft = GraphFromJson(ParseStored(row.draft_json), "draft");
  } catch (const Error& e) {
    throw Internal("stored script " + std::to_string(row.id) + " is corrupt: " + e.what());
  }
  s.published_version = row.published_version;
  s.version = row.version;
  s.created_at_ms = row.created_at_ms;
  s.updated_at_ms = row.updated_at_ms;
  return s;
}

ScriptVersion VersionFromRow(const storage::ScriptVersionRow& row, bool with_graph) {
  ScriptVersion v;
  v.script_id = row.script_id;
  v.version = row.version;
  v.name = row.name;
  v.description = row.description;
  if (with_graph) {
    v.graph = GraphFromJson(ParseStored(row.graph_json), "graph");
  }
  v.published_at_ms = row.published_at_ms;
  v.published_by = row.published_by;
  return v;
}

[[noreturn]] void Stale(long long current) {
  throw Conflict("the script was changed by someone else (now version " + std::to_string(current) +
                     "); reload it and try again",
                 "version");
}

// A new script would stay within the tenant's limit (ResourceExhausted otherwise).
void CheckRoomForScript(storage::Session& s, const std::string& tenant_id) {
  if (storage::ScriptRepository::Count(s, tenant_id) >=
      static_cast<long long>(kMaxScriptsPerTenant)) {
    throw ResourceExhausted("a portal may have at most " + std::to_string(kMaxScriptsPerTenant) +
                            " scripts");
  }
}

// Stores `script` (name, description, draft) as a new, unpublished script; returns its id.
long long InsertScript(storage::Session& s, const std::string& tenant_id, const Script& script,
                       EpochMs now) {
  storage::ScriptRow row;
  row.tenant_id = tenant_id;
  row.name = script.name;
  row.description = script.description;
  row.draft_json = Encode(GraphToJson(script.draft));
  row.created_at_ms = now;
  row.updated_at_ms = now;
  return storage::ScriptRepository::Insert(s, row);
}

}  // namespace

std::vector<Script> SettingsService::ListScripts(const std::string& tenant_id) {
  std::vector<Script> out;
  storage::WithSession(db_, [&](storage::Session& s) {
    for (const storage::ScriptRow& row : storage::ScriptRepository::List(s, tenant_id)) {
      out.push_back(ScriptFromRow(row));
    }
  });
  return out;
}

void SettingsService::CheckScriptSettings(const std::string& tenant_id, const ScriptSettings& st,
                                          const std::string& path) {
  if (!st.activity_type.empty()) {
    CheckWithCatalog(tenant_id, [&](const CrmCatalog& c) {
      if (!c.HasActivityType(st.activity_type)) {
        throw InvalidArgument(
            path + ".activity_type: the CRM has no activity type " + st.activity_type,
            path + ".activity_type");
      }
    });
  }
  if (!st.deal_type.empty()) {
    CheckWithCatalog(tenant_id, [&](const CrmCatalog& c) {
      if (!c.HasDealType(st.deal_type)) {
        throw InvalidArgument(path + ".deal_type: the CRM has no deal type " + st.deal_type,
                              path + ".deal_type");
      }
    });
  }
  if (!st.number_field.entity.empty()) {
    CheckWithCatalog(tenant_id, [&](const CrmCatalog& c) {
      const CrmField* f = c.FindField(st.number_field.entity, st.number_field.code);
      if (f == nullptr) {
        throw InvalidArgument(path + ".number_field: the CRM has no " + st.number_field.entity +
                                  " field " + st.number_field.code,
                              path + ".number_field.code");
      }
      if (!IsNumberFieldType(*f)) {
        throw InvalidArgument(path + ".number_field: " + st.number_field.entity + "." +
                                  st.number_field.code + " is a " + f->type +
                                  " field; the number needs a string or phone field",
                              path + ".number_field.code");
      }
      if (f->read_only) {
        throw InvalidArgument(path + ".number_field: " + st.number_field.entity + "." +
                                  st.number_field.code + " is read-only in the CRM",
                              path + ".number_field.code");
      }
    });
  }
}

void SettingsService::CheckStepFields(const std::string& tenant_id, const ScriptGraph& graph,
                                      const std::string& steps_path) {
  const std::size_t cut = steps_path.rfind("steps");
  CheckScriptSettings(
      tenant_id, graph.settings,
      (cut == std::string::npos ? steps_path + "." : steps_path.substr(0, cut)) + "settings");
  for (std::size_t i = 0; i < graph.steps.size(); ++i) {
    if (!graph.steps[i].fields.empty()) {
      CheckWithCatalog(tenant_id, [&](const CrmCatalog& c) {
        CheckFieldRefs(graph.steps[i].fields, c, steps_path + "[" + std::to_string(i) + "].fields");
      });
    }
  }
}

Script SettingsService::GetScript(const std::string& tenant_id, long long id) {
  std::optional<storage::ScriptRow> row;
  storage::WithSession(
      db_, [&](storage::Session& s) { row = storage::ScriptRepository::Find(s, tenant_id, id); });
  if (!row) {
    throw NotFound("no script " + std::to_string(id));
  }
  return ScriptFromRow(*row);
}

Script SettingsService::CreateScript(const std::string& tenant_id, const std::string& actor,
                                     Script script) {
  AuthorizeManager(tenant_id, actor);
  ValidateScriptHeader(script.name, script.description);
  ValidateDraft(script.draft);
  // Step fields are checked one by one against the CRM (each step's own list is checked for
  // repeats by ValidateDraft; across steps a field may appear again).
  CheckStepFields(tenant_id, script.draft, "draft.steps");
  long long id = 0;
  storage::InTransaction(db_, [&](storage::Session& s) {
    RequireSettingsManager(s, tenant_id, actor);
    CheckRoomForScript(s, tenant_id);
    if (storage::ScriptRepository::Names(s, tenant_id).count(script.name)) {
      throw Conflict("a script named '" + script.name + "' exists", "name");
    }
    const EpochMs now = clock_.NowMs();
    id = InsertScript(s, tenant_id, script, now);
    const Json after = ToJson(ScriptFromRow(*storage::ScriptRepository::Find(s, tenant_id, id)));
    AppendAudit(s, tenant_id, "user:" + actor, "script.create", "script", std::to_string(id),
                nullptr, &after, now);
  });
  return GetScript(tenant_id, id);
}

Script SettingsService::UpdateScript(const std::string& tenant_id, const std::string& actor,
                                     long long id, Script script) {
  AuthorizeManager(tenant_id, actor);
  GetScript(tenant_id, id);
  ValidateScriptHeader(script.name, script.description);
  ValidateDraft(script.draft);
  CheckStepFields(tenant_id, script.draft, "draft.steps");
  storage::InTransaction(db_, [&](storage::Session& s) {
    RequireSettingsManager(s, tenant_id, actor);
    std::optional<storage::ScriptRow> stored = storage::ScriptRepository::Find(s, tenant_id, id);
    if (!stored) {
      throw NotFound("no script " + std::to_string(id));
    }
    if (stored->version != script.version) {
      Stale(stored->version);
    }
    if (script.name != stored->name &&
        storage::ScriptRepository::Names(s, tenant_id).count(script.name)) {
      throw Conflict("a script named '" + script.name + "' exists", "name");
    }
    const EpochMs now = clock_.NowMs();
    storage::ScriptRow row = *stored;
    row.name = script.name;
    row.description = script.description;
    row.draft_json = Encode(GraphToJson(script.draft));
    row.updated_at_ms = now;
    if (!storage::ScriptRepository::UpdateDraft(s, row, script.version)) {
      Stale(stored->version);
    }
    const Json before = ToJson(ScriptFromRow(*stored));
    const Json after = ToJson(ScriptFromRow(*storage::ScriptRepository::Find(s, tenant_id, id)));
    AppendAudit(s, tenant_id, "user:" + actor, "script.update", "script", std::to_string(id),
                &before, &after, now);
  });
  return GetScript(tenant_id, id);
}

void SettingsService::DeleteScript(const std::string& tenant_id, const std::string& actor,
                                   long long id, long long version) {
  AuthorizeManager(tenant_id, actor);
  storage::InTransaction(db_, [&](storage::Session& s) {
    RequireSettingsManager(s, tenant_id, actor);
    std::optional<storage::ScriptRow> stored = storage::ScriptRepository::Find(s, tenant_id, id);
    if (!stored) {
      throw NotFound("no script " + std::to_string(id));
    }
    if (!storage::ScriptRepository::Delete(s, tenant_id, id, version)) {
      Stale(stored->version);
    }
    const EpochMs now = clock_.NowMs();
    storage::RoleRepository::RemoveItem(s, tenant_id, "script", id, now);
    const Json before = SummaryJson(ScriptFromRow(*stored));
    AppendAudit(s, tenant_id, "user:" + actor, "script.delete", "script", std::to_string(id),
                &before, nullptr, now);
  });
}

Script SettingsService::PublishScript(const std::string& tenant_id, const std::string& actor,
                                      long long id, long long version) {
  AuthorizeManager(tenant_id, actor);
  const Script seen = GetScript(tenant_id, id);
  if (seen.version != version) {
    Stale(seen.version);
  }
  ValidateForPublish(seen.draft);
  CheckStepFields(tenant_id, seen.draft, "draft.steps");
  storage::InTransaction(db_, [&](storage::Session& s) {
    RequireSettingsManager(s, tenant_id, actor);
    const EpochMs now = clock_.NowMs();
    const long long next = seen.published_version + 1;
    // Holds the row while the version is written: an edit that committed since the draft was
    // validated makes this fail (409); one that comes later waits for the commit.
    std::optional<storage::ScriptRow> current = storage::ScriptRepository::Find(s, tenant_id, id);
    if (!current) {
      throw NotFound("no script " + std::to_string(id));
    }
    if (!storage::ScriptRepository::MarkPublished(s, tenant_id, id, version, seen.published_version,
                                                  next, now)) {
      Stale(current->version);
    }
    // Re-read under the lock: this exact draft becomes the version.
    const Script locked = ScriptFromRow(*storage::ScriptRepository::Find(s, tenant_id, id));
    if (Encode(GraphToJson(locked.draft)) != Encode(GraphToJson(seen.draft))) {
      Stale(locked.version);
    }
    storage::ScriptVersionRow v;
    v.tenant_id = tenant_id;
    v.script_id = id;
    v.version = next;
    v.name = locked.name;
    v.description = locked.description;
    v.graph_json = Encode(GraphToJson(locked.draft));
    v.published_at_ms = now;
    v.published_by = "user:" + actor;
    storage::ScriptRepository::InsertVersion(s, v);
    Json after = SummaryJson(locked);
    after["published_version"] = Json::number(static_cast<int64_t>(next));
    AppendAudit(s, tenant_id, "user:" + actor, "script.publish", "script", std::to_string(id),
                nullptr, &after, now);
  });
  return GetScript(tenant_id, id);
}

std::vector<ScriptVersion> SettingsService::ListScriptVersions(const std::string& tenant_id,
                                                               long long id) {
  GetScript(tenant_id, id);
  std::vector<ScriptVersion> out;
  storage::WithSession(db_, [&](storage::Session& s) {
    for (const auto& row : storage::ScriptRepository::ListVersions(s, tenant_id, id)) {
      out.push_back(VersionFromRow(row, false));
    }
  });
  return out;
}

ScriptVersion SettingsService::GetScriptVersion(const std::string& tenant_id, long long id,
                                                long long version) {
  std::optional<storage::ScriptVersionRow> row;
  storage::WithSession(db_, [&](storage::Session& s) {
    row = storage::ScriptRepository::FindVersion(s, tenant_id, id, version);
  });
  if (!row) {
    throw NotFound("script " + std::to_string(id) + " has no published version " +
                   std::to_string(version));
  }
  return VersionFromRow(*row, true);
}

Script SettingsService::ImportScript(const std::string& tenant_id, const std::string& actor,
                                     const std::string& name, const std::string& description,
                                     ScriptGraph graph) {
  AuthorizeManager(tenant_id, actor);
  ValidateScriptHeader(name, description);
  ValidateDraft(graph, "steps");
  CheckStepFields(tenant_id, graph, "steps");
  Script script;
  script.description = description;
  script.draft = std::move(graph);
  long long id = 0;
  storage::InTransaction(db_, [&](storage::Session& s) {
    RequireSettingsManager(s, tenant_id, actor);
    CheckRoomForScript(s, tenant_id);
    script.name = CopyName(name, storage::ScriptRepository::Names(s, tenant_id));
    const EpochMs now = clock_.NowMs();
    id = InsertScript(s, tenant_id, script, now);
    Json after = SummaryJson(ScriptFromRow(*storage::ScriptRepository::Find(s, tenant_id, id)));
    after["imported_as"] = Json::string(name);
    AppendAudit(s, tenant_id, "user:" + actor, "script.import", "script", std::to_string(id),
                nullptr, &after, now);
  });
  return GetScript(tenant_id, id);
}

Script SettingsService::DuplicateScript(const std::string& tenant_id, const std::string& actor,
                                        long long id) {
  AuthorizeManager(tenant_id, actor);
  const Script original = GetScript(tenant_id, id);
  return ImportScript(tenant_id, actor, original.name, original.description, original.draft);
}

// ---- for the call card ----

std::optional<RoleView> SettingsService::LoadRoleView(const std::string& tenant_id,
                                                      const std::string& user_id) {
  return LoadRoleView(tenant_id, ResolveAccess(tenant_id, user_id));
}

std::optional<RoleView> SettingsService::LoadRoleView(const std::string& tenant_id,
                                                      const AccessView& access) {
  if (access.state != SeatState::kActive || !access.role) {
    return std::nullopt;
  }
  RoleView view;
  view.role = *access.role;
  // The tenant's buttons in one read (at most a few hundred, small); a button or script deleted
  // since the role was read is simply not shown.
  std::map<long long, Button> buttons;
  for (Button& b : ListButtons(tenant_id)) {
    buttons.emplace(b.id, std::move(b));
  }
  for (long long id : view.role.button_ids) {
    if (auto it = buttons.find(id); it != buttons.end()) {
      view.buttons.push_back(it->second);
    }
  }
  storage::WithSession(db_, [&](storage::Session& s) {
    for (long long id : view.role.script_ids) {
      auto row = storage::ScriptRepository::Find(s, tenant_id, id);
      if (row && row->published_version > 0) {
        ScriptSummary summary{row->id, row->name, row->published_version, {}};
        // The bindings of what operators run: the published version's, not the draft's.
        if (auto v = storage::ScriptRepository::FindVersion(s, tenant_id, row->id,
                                                            row->published_version)) {
          summary.settings = VersionFromRow(*v, true).graph.settings;
        }
        view.scripts.push_back(std::move(summary));
      }
    }
  });
  return view;
}

ScriptVersion SettingsService::LoadPublishedScript(const std::string& tenant_id,
                                                   long long script_id, long long version) {
  if (version == 0) {
    const Script script = GetScript(tenant_id, script_id);
    if (script.published_version == 0) {
      throw NotFound("script " + std::to_string(script_id) + " has not been published");
    }
    version = script.published_version;
  }
  return GetScriptVersion(tenant_id, script_id, version);
}

long long SettingsService::StartRun(const std::string& tenant_id, const std::string& user_id,
                                    const std::string& call_id, long long script_id,
                                    long long version, const std::string& phone,
                                    const std::string& record) {
  if (call_id.empty() || call_id.size() > 191) {
    throw InvalidArgument("call_id must be 1 to 191 characters", "call_id");
  }
  const ScriptVersion v = LoadPublishedScript(tenant_id, script_id, version);
  long long id = 0;
  bool queued = false;
  storage::InTransaction(db_, [&](storage::Session& s) {
    RequireSeat(s, tenant_id, user_id);
    storage::ScriptRunRow run;
    run.tenant_id = tenant_id;
    run.call_id = call_id;
    run.user_id = user_id;
    run.script_id = script_id;
    run.version = v.version;
    run.current_step = v.graph.start_step;
    run.started_at_ms = clock_.NowMs();
    run.updated_at_ms = run.started_at_ms;
    id = storage::ScriptRunRepository::Insert(s, run);
    queued =
        QueueNumberSave(s, tenant_id, v.graph.settings,
                        NumberSave{"card:" + call_id, phone, record, user_id}, run.started_at_ms);
  });
  if (queued && wake_) {
    wake_();
  }
  return id;
}

void SettingsService::SaveRun(const std::string& tenant_id, const std::string& user_id,
                              long long run_id, const std::string& current_step,
                              const std::vector<ScriptRunStep>& path) {
  std::optional<storage::ScriptRunRow> run;
  storage::WithSession(db_, [&](storage::Session& s) {
    run = storage::ScriptRunRepository::Find(s, tenant_id, run_id);
  });
  if (!run || run->user_id != user_id) {
    throw NotFound("no script run " + std::to_string(run_id));
  }
  const ScriptVersion v = GetScriptVersion(tenant_id, run->script_id, run->version);
  ValidateRunPath(v.graph, path, current_step);
  storage::InTransaction(db_, [&](storage::Session& s) {
    if (!storage::ScriptRunRepository::SavePath(s, tenant_id, run_id, user_id, current_step,
                                                Encode(RunPathToJson(path)), clock_.NowMs())) {
      throw NotFound("no script run " + std::to_string(run_id));
    }
  });
}

}  // namespace opdesk::settings
