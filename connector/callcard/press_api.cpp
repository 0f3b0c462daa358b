// /api/callcard/buttons/{id}/preview|press and /api/callcard/presses/{id} (FEATURES C4, C5):
// a button's templates are rendered for this call and client, the operator may move a callback
// or meeting and edit texts, and the press is stored with its actions queued in one transaction.
// The page's press_id makes a repeated press (double click, network retry) the same press.
#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "adapters/json_read.h"
#include "connector/callcard/api.h"
#include "connector/callcard/button_actions.h"
#include "connector/domain/log_escape.h"
#include "connector/domain/messages.h"
#include "connector/domain/templates.h"
#include "connector/storage/repositories.h"

namespace opdesk::callcard {
namespace {

using settings::Json;

// The previews' and refusals' texts from the message table ("press.<key>").
std::string T(const std::string& lang, const char* key) {
  return Message(std::string("press.") + key, lang);
}

bool Uses(const Button& b, std::string_view prefix) {
  for (const ButtonAction& a : b.actions) {
    for (const std::string* t : {&a.text, &a.title, &a.description}) {
      if (t->find(prefix) != std::string::npos) {
        return true;
      }
    }
    if (a.responsible == kResponsibleClientOwner) {
      return true;
    }
  }
  return false;
}

bool ValidPressId(const std::string& id) {
  if (id.size() < 8 || id.size() > 64) {
    return false;
  }
  return std::all_of(id.begin(), id.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '_'; });
}

}  // namespace

// Everything a press needs that is not in the button: who, which call, which record, and the
// values its templates may use.
struct CallcardApi::PressContext {
  std::string tenant_id;
  std::string user_id;
  std::string lang;
  std::string call_id;
  std::string entity;  // "" when no CRM record is selected
  std::string entity_id;
  std::string client_responsible;  // the record's ASSIGNED_BY_ID
  std::shared_ptr<const TimeZone> zone;
  templates::Context values;
};

CallcardApi::PressContext CallcardApi::ReadPressContext(const Seated& c, const Button& button,
                                                        const Json& body) {
  settings::ObjectReader r(body, "");
  PressContext p;
  p.tenant_id = c.tenant_id;
  p.user_id = c.user_id;
  p.lang = c.lang;
  p.call_id = r.String("call_id", false, 191);
  p.entity = r.String("entity", false, 16);
  p.entity_id = r.String("entity_id", false, 32);
  const std::string phone = r.String("phone", false, 64);
  const std::string line = r.String("line", false, 64);
  const std::string direction = r.String("direction", false, 16);
  r.Get("press_id");
  r.Get("overrides");
  r.Done();
  if (p.entity.empty() != p.entity_id.empty()) {
    throw InvalidArgument("entity and entity_id go together",
                          p.entity.empty() ? "entity" : "entity_id");
  }
  if (!p.entity.empty()) {
    const bitrix24::CrmRef ref = bitrix24::ParseCrmRef(p.entity, p.entity_id);
    p.entity = ref.entity;
  }

  std::optional<Tenant> tenant;
  std::optional<User> me;
  storage::WithSession(db_, [&](storage::Session& s) {
    tenant = storage::TenantRepository::Find(s, p.tenant_id);
    me = storage::UserRepository::Find(s, p.tenant_id, p.user_id);
  });
  p.zone = LoadTimeZone(tenant ? tenant->time_zone : "Europe/Moscow");
  const EpochMs now = clock_.NowMs();
  auto& v = p.values.values;
  v["operator.name"] = me ? me->name : "";
  v["call.phone"] = phone;
  v["call.line"] = line;
  v["call.direction"] = direction == "outgoing" ? T(p.lang, "direction.outgoing")
                        : direction.empty()     ? ""
                                                : T(p.lang, "direction.incoming");
  const std::string human = templates::FormatHuman(now, *p.zone);  // "05.03.2025 16:30"
  v["call.date"] = human.substr(0, 10);
  v["call.time"] = human.size() > 11 ? human.substr(11) : "";
  p.values.now_ms = now;
  p.values.zone = p.zone.get();

  if (!p.entity.empty() && (Uses(button, "{client.") || Uses(button, "{deal."))) {
    const web::json::value client =
        card_.ClientFacts(p.tenant_id, p.user_id, bitrix24::CrmRef{p.entity, p.entity_id});
    v["client.name"] = adapters::JsonText(client, "name");
    v["client.company"] = adapters::JsonText(client, "company");
    v["client.phone"] = adapters::JsonText(client, "phone");
    v["deal.title"] = adapters::JsonText(client, "deal");
    p.client_responsible = adapters::JsonText(client, "responsible_id");
    if (!p.client_responsible.empty()) {
      std::optional<User> owner;
      storage::WithSession(db_, [&](storage::Session& s) {
        owner = storage::UserRepository::Find(s, p.tenant_id, p.client_responsible);
      });
      v["client.responsible"] = owner ? owner->name : "";
    }
  }
  return p;
}

std::vector<PressedAction> CallcardApi::Render(const Button& button, const PressContext& p) {
  std::vector<PressedAction> out;
  for (std::size_t i = 0; i < button.actions.size(); ++i) {
    const ButtonAction& a = button.actions[i];
    PressedAction x;
    x.index = static_cast<int>(i);
    x.kind = std::string(ToString(a.kind));
    switch (a.kind) {
      case ActionKind::kComment:
        x.text = templates::RenderText(a.text, p.values);
        break;
      case ActionKind::kCallback:
      case ActionKind::kMeeting:
        x.title = T(p.lang, a.kind == ActionKind::kCallback ? "callback.title" : "meeting.title");
        x.deadline =
            templates::FormatIso8601(templates::RenderDeadline(a.deadline, p.values), *p.zone);
        x.text = templates::RenderText(a.text, p.values);
        x.responsible = p.user_id;
        break;
      case ActionKind::kTask:
        x.title = templates::RenderText(a.title, p.values);
        x.text = templates::RenderText(a.description, p.values);
        if (!a.deadline.empty()) {
          x.deadline =
              templates::FormatIso8601(templates::RenderDeadline(a.deadline, p.values), *p.zone);
        }
        x.responsible = a.responsible == kResponsibleOperator ? p.user_id
                        : a.responsible == kResponsibleClientOwner
                            ? (p.client_responsible.empty() ? p.user_id : p.client_responsible)
                            : a.responsible;
        break;
      case ActionKind::kLeadStatus:
        x.status_id = a.status_id;
        break;
      case ActionKind::kDealStage:
        x.category_id = a.category_id;
        x.stage_id = a.stage_id;
        break;
    }
    if (p.entity.empty() && a.kind != ActionKind::kTask) {
      x.state = "failed";
      x.error = T(p.lang, "no_record");
    }
    out.push_back(std::move(x));
  }
  return out;
}

CallcardApi::LoadedButton CallcardApi::LoadButton(const http::Request& request,
                                                  const http::Caller& caller) {
  LoadedButton b{SeatedCaller(request, caller), {}};
  const long long id = settings::ParseIdText(request.PathParam("id"), "id");
  if (std::find(b.caller.role.button_ids.begin(), b.caller.role.button_ids.end(), id) ==
      b.caller.role.button_ids.end()) {
    throw NotFound("the role has no button " + std::to_string(id));
  }
  b.button = settings_.GetButton(b.caller.tenant_id, id);
  return b;
}

http::Response CallcardApi::Preview(http::Request& request, const http::Caller& caller) {
  const LoadedButton b = LoadButton(request, caller);
  const PressContext p = ReadPressContext(b.caller, b.button, settings::ParseBody(request.body));
  const std::vector<PressedAction> actions = Render(b.button, p);
  const CrmCatalog catalog = settings_.Catalog(p.tenant_id);
  Json list = Json::array(actions.size());
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const PressedAction& a = actions[i];
    Json j = Json::object(true);
    j["index"] = Json::number(a.index);
    j["kind"] = Json::string(a.kind);
    Json editable = Json::array();
    std::string summary;
    if (a.kind == "comment") {
      summary = a.text.empty() ? T(p.lang, "comment.empty") : T(p.lang, "comment");
      j["text"] = Json::string(a.text);
      editable[0] = Json::string("text");
    } else if (a.kind == "callback" || a.kind == "meeting") {
      summary = T(p.lang, a.kind.c_str()) + " " +
                templates::FormatHuman(
                    templates::RenderDeadline(b.button.actions[i].deadline, p.values), *p.zone);
      j["deadline"] = Json::string(a.deadline);
      j["text"] = Json::string(a.text);
      editable[0] = Json::string("deadline");
      editable[1] = Json::string("text");
    } else if (a.kind == "task") {
      summary = T(p.lang, "task") + " «" + a.title + "»";
      if (!a.deadline.empty()) {
        summary += " " + T(p.lang, "task.until") + " " +
                   templates::FormatHuman(
                       templates::RenderDeadline(b.button.actions[i].deadline, p.values), *p.zone);
        j["deadline"] = Json::string(a.deadline);
      }
      j["text"] = Json::string(a.text);
    } else if (a.kind == "lead_status") {
      std::string name = a.status_id;
      for (const CrmStatus& st : catalog.lead_statuses) {
        name = st.id == a.status_id ? st.name : name;
      }
      summary = T(p.lang, "lead_status") + " " + name;
    } else if (a.kind == "deal_stage") {
      std::string name = a.stage_id;
      if (const DealCategory* cat = catalog.FindCategory(a.category_id)) {
        for (const CrmStatus& st : cat->stages) {
          name = st.id == a.stage_id ? st.name + " (" + cat->name + ")" : name;
        }
      }
      summary = T(p.lang, "deal_stage") + " " + name;
    }
    if (a.state == "failed") {
      summary += " — " + a.error;
    }
    j["summary"] = Json::string(summary);
    j["editable"] = editable;
    list[i] = j;
  }
  Json out = Json::object(true);
  out["actions"] = list;
  return http::Response::Json(200, out.serialize());
}

http::Response CallcardApi::Press(http::Request& request, const http::Caller& caller) {
  const LoadedButton b = LoadButton(request, caller);
  const Json body = settings::ParseBody(request.body);
  const std::string press_id = body.has_field("press_id") && body.at("press_id").is_string()
                                   ? body.at("press_id").as_string()
                                   : "";
  if (!ValidPressId(press_id)) {
    throw InvalidArgument("press_id must be 8 to 64 letters, digits, '-' or '_'", "press_id");
  }
  const std::string& tenant = b.caller.tenant_id;
  // A press already stored (a double click, a retried request): its state, nothing new.
  auto existing = [&]() -> std::optional<http::Response> {
    std::optional<storage::PressRow> row;
    storage::WithSession(db_, [&](storage::Session& s) {
      row = storage::ButtonPressRepository::Find(s, tenant, press_id);
    });
    if (!row) {
      return std::nullopt;
    }
    if (row->user_id != b.caller.user_id || row->button_id != std::to_string(b.button.id)) {
      throw Conflict("press_id " + press_id + " belongs to another press");
    }
    return http::Response::Json(200, PressReply(DecodePress(*row)));
  };
  if (auto done = existing()) {
    return *done;
  }

  PressContext p = ReadPressContext(b.caller, b.button, body);
  ButtonPress press;
  press.tenant_id = tenant;
  press.press_id = press_id;
  press.user_id = p.user_id;
  press.button_id = std::to_string(b.button.id);
  press.call_id = p.call_id;
  press.entity = p.entity;
  press.entity_id = p.entity_id;
  press.lang = p.lang;
  press.actions = Render(b.button, p);

  if (const Json* overrides = body.has_field("overrides") ? &body.at("overrides") : nullptr;
      overrides != nullptr && !overrides->is_null()) {
    ApplyOverrides(*overrides, *p.zone, T(p.lang, "deadline.bad"), press.actions);
  }
  for (std::size_t i = 0; i < press.actions.size(); ++i) {
    const PressedAction& a = press.actions[i];
    if (a.kind == "comment" && a.state != "failed" && a.text.empty()) {
      throw InvalidArgument(T(p.lang, "comment.required"),
                            settings::ItemPath("overrides", i) + ".text");
    }
  }

  bool stored = false;
  storage::InTransaction(
      db_, [&](storage::Session& s) { stored = StorePress(s, press, clock_.NowMs()); });
  if (!stored) {
    if (auto done = existing()) {
      return *done;  // the same press raced in from a second request
    }
  }
  if (wake_) {
    wake_();
  }
  spdlog::info("event=callcard_pressed tenant={} user={} button={} press={} actions={}", tenant,
               p.user_id, LogValue(press.button_id), LogValue(press_id), press.actions.size());
  return http::Response::Json(200, PressReply(press));
}

http::Response CallcardApi::PressState(http::Request& request, const http::Caller& caller) {
  const std::string press_id = request.PathParam("id");
  std::optional<storage::PressRow> row;
  if (ValidPressId(press_id)) {
    storage::WithSession(db_, [&](storage::Session& s) {
      row = storage::ButtonPressRepository::Find(s, caller.tenant_id, press_id);
    });
  }
  if (!row || row->user_id != caller.user_id) {
    throw NotFound("no press " + press_id);
  }
  return http::Response::Json(200, PressReply(DecodePress(*row)));
}

}  // namespace opdesk::callcard
