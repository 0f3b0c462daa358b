// JSON of buttons, field references and roles.
#include "connector/domain/error.h"

#include <cpprest/json.h>
#include "connector/settings/codec.h"

namespace opdesk::settings {
namespace {

Json Str(const std::string& s) {
  return Json::string(s);
}

Json IdJson(long long id) {
  return Json::string(std::to_string(id));
}

Json IdsJson(const std::vector<long long>& ids) {
  Json a = Json::array(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    a[i] = IdJson(ids[i]);
  }
  return a;
}

std::vector<long long> IdsFromJson(const Json& a, const std::string& path) {
  std::vector<long long> ids;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ids.push_back(ParseId(a.at(i), ItemPath(path, i)));
  }
  return ids;
}

}  // namespace

std::string Encode(const Json& value) {
  return value.serialize();
}

Json ActionsToJson(const std::vector<ButtonAction>& actions) {
  Json out = Json::array(actions.size());
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const ButtonAction& a = actions[i];
    Json j = Json::object(true);
    j["kind"] = Str(std::string(ToString(a.kind)));
    switch (a.kind) {
      case ActionKind::kComment:
        j["text"] = Str(a.text);
        break;
      case ActionKind::kCallback:
      case ActionKind::kMeeting:
        j["deadline"] = Str(a.deadline);
        j["text"] = Str(a.text);
        break;
      case ActionKind::kTask:
        j["title"] = Str(a.title);
        j["description"] = Str(a.description);
        j["deadline"] = Str(a.deadline);
        j["responsible"] = Str(a.responsible);
        break;
      case ActionKind::kLeadStatus:
        j["status_id"] = Str(a.status_id);
        break;
      case ActionKind::kDealStage:
        j["category_id"] = Str(a.category_id);
        j["stage_id"] = Str(a.stage_id);
        break;
    }
    out[i] = j;
  }
  return out;
}

std::vector<ButtonAction> ActionsFromJson(const Json& actions, const std::string& path) {
  if (!actions.is_array()) {
    throw InvalidArgument(path + " must be an array", path);
  }
  std::vector<ButtonAction> out;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const std::string at = ItemPath(path, i);
    ObjectReader r(actions.at(i), at);
    ButtonAction a;
    const std::string kind = r.String("kind", true, 32);
    const std::optional<ActionKind> parsed = ActionKindFromString(kind);
    if (!parsed) {
      throw InvalidArgument(
          at + ".kind must be comment, callback, meeting, task, lead_status or deal_stage",
          at + ".kind");
    }
    a.kind = *parsed;
    switch (a.kind) {
      case ActionKind::kComment:
        a.text = r.String("text", false);
        break;
      case ActionKind::kCallback:
      case ActionKind::kMeeting:
        a.deadline = r.String("deadline", true, 1024);
        a.text = r.String("text", false);
        break;
      case ActionKind::kTask:
        a.title = r.String("title", true);
        a.description = r.String("description", false);
        a.deadline = r.String("deadline", false, 1024);
        a.responsible = r.String("responsible", false, 64);
        if (a.responsible.empty()) {
          a.responsible = std::string(kResponsibleOperator);
        }
        break;
      case ActionKind::kLeadStatus:
        a.status_id = r.String("status_id", true, 256);
        break;
      case ActionKind::kDealStage:
        a.category_id = r.String("category_id", true, 64);
        a.stage_id = r.String("stage_id", true, 256);
        break;
    }
    r.Done();
    out.push_back(std::move(a));
  }
  return out;
}

Json ToJson(const Button& b) {
  Json j = Json::object(true);
  j["id"] = IdJson(b.id);
  j["name"] = Str(b.name);
  j["color"] = Str(b.color);
  j["actions"] = ActionsToJson(b.actions);
  j["version"] = Json::number(static_cast<int64_t>(b.version));
  j["updated_at_ms"] = Json::number(static_cast<int64_t>(b.updated_at_ms));
  return j;
}

Button ButtonFromJson(const Json& body, bool with_version) {
  ObjectReader r(body, "");
  Button b;
  b.name = r.String("name", true, 1024);
  b.color = r.String("color", true, 64);
  b.actions = ActionsFromJson(r.Array("actions", true, kMaxButtonActions + 1), "actions");
  if (with_version) {
    b.version = r.Int("version", true);
  }
  r.Get("id");  // echoed back by pages that PUT what they read; the path decides
  r.Get("updated_at_ms");
  r.Done();
  return b;
}

Json FieldRefsToJson(const std::vector<FieldRef>& refs, bool with_editable) {
  Json out = Json::array(refs.size());
  for (std::size_t i = 0; i < refs.size(); ++i) {
    Json j = Json::object(true);
    j["entity"] = Str(refs[i].entity);
    j["code"] = Str(refs[i].code);
    if (with_editable) {
      j["editable"] = Json::boolean(refs[i].editable);
    }
    out[i] = j;
  }
  return out;
}

std::vector<FieldRef> FieldRefsFromJson(const Json& refs, const std::string& path,
                                        bool with_editable, std::size_t max_items) {
  if (!refs.is_array()) {
    throw InvalidArgument(path + " must be an array", path);
  }
  if (refs.size() > max_items) {
    throw InvalidArgument(path + " may have at most " + std::to_string(max_items) + " fields",
                          path);
  }
  std::vector<FieldRef> out;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    ObjectReader r(refs.at(i), ItemPath(path, i));
    FieldRef f;
    f.entity = r.String("entity", true, 32);
    f.code = r.String("code", true, 128);
    f.editable = with_editable ? r.Bool("editable", true) : true;
    r.Done();
    out.push_back(std::move(f));
  }
  return out;
}

Json ToJson(const Role& role) {
  Json j = Json::object(true);
  j["id"] = IdJson(role.id);
  j["name"] = Str(role.name);
  j["system"] = Json::boolean(role.system);
  j["keep_card_open"] = Json::boolean(role.keep_card_open);
  j["may_manage_settings"] = Json::boolean(role.may_manage_settings);
  j["client_fields"] = FieldRefsToJson(role.client_fields, false);
  j["button_ids"] = IdsJson(role.button_ids);
  j["script_ids"] = IdsJson(role.script_ids);
  j["version"] = Json::number(static_cast<int64_t>(role.version));
  j["updated_at_ms"] = Json::number(static_cast<int64_t>(role.updated_at_ms));
  return j;
}

Role RoleFromJson(const Json& body, bool with_version) {
  ObjectReader r(body, "");
  Role role;
  role.name = r.String("name", true, 1024);
  role.keep_card_open = r.Bool("keep_card_open", false);
  role.may_manage_settings = r.Bool("may_manage_settings", false);
  role.client_fields = FieldRefsFromJson(r.Array("client_fields", false, kMaxClientFields),
                                         "client_fields", false, kMaxClientFields);
  role.button_ids = IdsFromJson(r.Array("button_ids", false, kMaxRoleButtons), "button_ids");
  role.script_ids = IdsFromJson(r.Array("script_ids", false, kMaxRoleScripts), "script_ids");
  if (with_version) {
    role.version = r.Int("version", true);
  }
  r.Get("id");
  r.Get("system");
  r.Get("updated_at_ms");
  r.Done();
  return role;
}

}  // namespace opdesk::settings
