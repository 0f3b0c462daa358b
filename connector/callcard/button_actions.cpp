#include "connector/callcard/button_actions.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "adapters/json_read.h"
#include "connector/domain/log_escape.h"
#include "connector/jobs/job_store.h"

namespace opdesk::callcard {
namespace {

using web::json::value;

int TypeId(const std::string& entity) {
  if (entity == "lead") {
    return 1;
  }
  if (entity == "deal") {
    return 2;
  }
  return entity == "contact" ? 3 : 4;
}

// Task bindings name CRM objects by prefix: L_4, D_10, C_7, CO_5.
std::string TaskBinding(const std::string& entity, const std::string& id) {
  const char* prefix = entity == "lead"      ? "L_"
                       : entity == "deal"    ? "D_"
                       : entity == "contact" ? "C_"
                                             : "CO_";
  return prefix + id;
}

// Our own reasons, in the language of the press.
std::string Reason(const std::string& lang, const char* key) {
  struct Pair {
    const char* key;
    const char* ru;
    const char* en;
  };
  static const Pair kReasons[] = {
      {"unknown",
       "CRM не ответила, и повторять запрос нельзя: проверьте в CRM, создано ли действие",
       "The CRM did not answer and the request must not be repeated: check in the CRM whether it "
       "was done"},
      {"no_lead", "У звонка нет лида: статус лида не изменён",
       "The call has no lead: the lead status was not changed"},
      {"no_deal", "Нет открытой сделки в нужной воронке: стадия не изменена",
       "No open deal in the pipeline: the stage was not changed"},
      {"other_pipeline", "Сделка в другой воронке: стадия не изменена",
       "The deal is in another pipeline: the stage was not changed"},
      {"gave_up", "CRM недоступна слишком долго; действие не выполнено",
       "The CRM was unavailable for too long; the action was not done"},
  };
  for (const Pair& p : kReasons) {
    if (std::string(p.key) == key) {
      return lang == "en" ? p.en : p.ru;
    }
  }
  return key;
}

// "crm.lead.update: ERROR_CORE (Поле … обязательно)" → "Поле … обязательно".
std::string CrmReason(const std::string& what) {
  const auto open = what.find(" (");
  if (open != std::string::npos && what.back() == ')') {
    return what.substr(open + 2, what.size() - open - 3);
  }
  return what;
}

value EncodeAction(const PressedAction& a) {
  value v = value::object();
  v["index"] = value::number(a.index);
  v["kind"] = value::string(a.kind);
  v["text"] = value::string(a.text);
  v["title"] = value::string(a.title);
  v["deadline"] = value::string(a.deadline);
  v["responsible"] = value::string(a.responsible);
  v["status_id"] = value::string(a.status_id);
  v["category_id"] = value::string(a.category_id);
  v["stage_id"] = value::string(a.stage_id);
  v["state"] = value::string(a.state);
  v["error"] = value::string(a.error);
  v["result_id"] = value::string(a.result_id);
  return v;
}

PressedAction DecodeAction(const value& v) {
  PressedAction a;
  a.index = v.at("index").as_integer();
  a.kind = adapters::JsonText(v, "kind");
  a.text = adapters::JsonText(v, "text");
  a.title = adapters::JsonText(v, "title");
  a.deadline = adapters::JsonText(v, "deadline");
  a.responsible = adapters::JsonText(v, "responsible");
  a.status_id = adapters::JsonText(v, "status_id");
  a.category_id = adapters::JsonText(v, "category_id");
  a.stage_id = adapters::JsonText(v, "stage_id");
  a.state = adapters::JsonText(v, "state");
  a.error = adapters::JsonText(v, "error");
  a.result_id = adapters::JsonText(v, "result_id");
  return a;
}

std::string EncodeActions(const ButtonPress& press) {
  value doc = value::object();
  doc["lang"] = value::string(press.lang);
  value list = value::array(press.actions.size());
  for (std::size_t i = 0; i < press.actions.size(); ++i) {
    list[i] = EncodeAction(press.actions[i]);
  }
  doc["actions"] = list;
  return doc.serialize();
}

struct Target {
  std::string press_id;
  int index = 0;
};

Target ParseTarget(const jobs::Job& job) {
  const value v = value::parse(job.payload);
  return {v.at("press_id").as_string(), v.at("index").as_integer()};
}

bool Idempotent(const std::string& kind) {
  return kind == "lead_status" || kind == "deal_stage";  // setting the same value twice is harmless
}

}  // namespace

storage::PressRow EncodePress(const ButtonPress& p) {
  return {p.tenant_id, p.press_id,  p.user_id,        p.button_id,     p.call_id,
          p.entity,    p.entity_id, EncodeActions(p), p.created_at_ms, p.updated_at_ms};
}

ButtonPress DecodePress(const storage::PressRow& r) {
  ButtonPress p;
  p.tenant_id = r.tenant_id;
  p.press_id = r.press_id;
  p.user_id = r.user_id;
  p.button_id = r.button_id;
  p.call_id = r.call_id;
  p.entity = r.entity;
  p.entity_id = r.entity_id;
  p.created_at_ms = r.created_at_ms;
  p.updated_at_ms = r.updated_at_ms;
  const value doc = value::parse(r.actions_json);
  p.lang = adapters::JsonText(doc, "lang") == "en" ? "en" : "ru";
  for (const auto& a : doc.at("actions").as_array()) {
    p.actions.push_back(DecodeAction(a));
  }
  return p;
}

std::string PressReply(const ButtonPress& press) {
  value v = value::object();
  v["press_id"] = value::string(press.press_id);
  value list = value::array(press.actions.size());
  for (std::size_t i = 0; i < press.actions.size(); ++i) {
    const PressedAction& a = press.actions[i];
    value item = value::object();
    item["index"] = value::number(a.index);
    item["kind"] = value::string(a.kind);
    // "sending" is ours; the page knows queued, done and failed.
    item["state"] = value::string(a.state == "sending" ? "queued" : a.state);
    if (!a.error.empty()) {
      item["error"] = value::string(a.error);
    }
    list[i] = item;
  }
  v["actions"] = list;
  return v.serialize();
}

bool StorePress(storage::Session& s, const ButtonPress& press, EpochMs now) {
  storage::PressRow row = EncodePress(press);
  row.created_at_ms = row.updated_at_ms = now;
  if (!storage::ButtonPressRepository::Insert(s, row)) {
    return false;
  }
  for (const PressedAction& a : press.actions) {
    value payload = value::object();
    payload["press_id"] = value::string(press.press_id);
    payload["index"] = value::number(a.index);
    jobs::NewJob job;
    job.tenant_id = press.tenant_id;
    job.kind = kActionJob;
    job.payload = payload.serialize();
    job.ordering_key = "press:" + press.press_id;
    job.idempotency_key = "press:" + press.press_id + ":" + std::to_string(a.index);
    jobs::JobStore::Enqueue(s, job, now);
  }
  return true;
}

void ButtonActionRunner::Settle(const jobs::Job& job, const std::string& state,
                                const std::string& error, const std::string& result_id) {
  const Target t = ParseTarget(job);
  storage::InTransaction(db_, [&](storage::Session& s) {
    auto row = storage::ButtonPressRepository::Lock(s, job.tenant_id, t.press_id);
    if (!row) {
      return;
    }
    ButtonPress press = DecodePress(*row);
    for (PressedAction& a : press.actions) {
      if (a.index == t.index) {
        a.state = state;
        a.error = error;
        a.result_id = result_id;
      }
    }
    storage::ButtonPressRepository::SaveActions(s, job.tenant_id, t.press_id, EncodeActions(press),
                                                clock_.NowMs());
  });
}

void ButtonActionRunner::Run(const jobs::Job& job) {
  const Target t = ParseTarget(job);
  std::optional<ButtonPress> press;
  std::string lang = "ru";
  bool skip = false;
  // Claim the action: queued → sending, in one transaction, so a crash after this point is seen.
  storage::InTransaction(db_, [&](storage::Session& s) {
    auto row = storage::ButtonPressRepository::Lock(s, job.tenant_id, t.press_id);
    if (!row) {
      skip = true;  // the tenant's data was deleted (uninstall with CLEAN)
      return;
    }
    press = DecodePress(*row);
    lang = press->lang;
    for (PressedAction& a : press->actions) {
      if (a.index != t.index) {
        continue;
      }
      if (a.state == "done" || a.state == "failed") {
        skip = true;
      } else if (a.state == "sending" && !Idempotent(a.kind)) {
        a.state = "failed";
        a.error = Reason(lang, "unknown");
      } else {
        a.state = "sending";
      }
    }
    storage::ButtonPressRepository::SaveActions(s, job.tenant_id, t.press_id, EncodeActions(*press),
                                                clock_.NowMs());
  });
  if (skip || !press) {
    return;
  }
  const PressedAction* action = nullptr;
  for (const PressedAction& a : press->actions) {
    action = a.index == t.index ? &a : action;
  }
  if (action == nullptr || action->state == "failed") {
    return;
  }
  try {
    const std::string id = Perform(*press, *action);
    Settle(job, "done", "", id);
    spdlog::info("event=callcard_action_done tenant={} press={} index={} kind={} id={}",
                 job.tenant_id, LogValue(t.press_id), t.index, action->kind, LogValue(id));
  } catch (const Error& e) {
    const std::string what = e.what();
    const bool maybe_sent = what.find("outcome unknown") != std::string::npos;
    if (maybe_sent && !Idempotent(action->kind)) {
      Settle(job, "failed", Reason(lang, "unknown"), "");
    } else if (IsRetryable(e.code()) || e.code() == ErrorCode::kUnauthenticated) {
      // Nothing reached the CRM (budget, limits, an outage): try again later, or give up visibly
      // on the last attempt.
      const bool last = job.max_attempts > 0 && job.attempts >= job.max_attempts;
      Settle(job, last ? "failed" : "queued", last ? Reason(lang, "gave_up") + ": " + what : "",
             "");
      if (!last) {
        throw;
      }
    } else {
      Settle(job, "failed", CrmReason(what), "");
      spdlog::warn("event=callcard_action_failed tenant={} press={} index={} kind={} error={}",
                   job.tenant_id, LogValue(t.press_id), t.index, action->kind, LogQuoted(what));
    }
  }
}

std::string ButtonActionRunner::Perform(const ButtonPress& press, const PressedAction& a) {
  bitrix24::CallOptions options;
  options.user_id = press.user_id;
  options.idempotent = Idempotent(a.kind);
  if (a.kind == "comment") {
    value params = value::object();
    params["fields"]["ENTITY_ID"] = value::string(press.entity_id);
    params["fields"]["ENTITY_TYPE"] = value::string(press.entity);
    params["fields"]["COMMENT"] = value::string(a.text);
    const value r = rest_.Call(press.tenant_id, "crm.timeline.comment.add", params, options);
    return r.is_number() ? r.serialize() : (r.is_string() ? r.as_string() : "");
  }
  if (a.kind == "callback" || a.kind == "meeting") {
    value params = value::object();
    params["ownerTypeId"] = value::number(TypeId(press.entity));
    params["ownerId"] = value::string(press.entity_id);
    params["deadline"] = value::string(a.deadline);
    params["title"] = value::string(a.title);
    params["description"] = value::string(a.text);
    params["responsibleId"] = value::string(a.responsible.empty() ? press.user_id : a.responsible);
    params["pingOffsets"][0] = value::number(0);
    params["pingOffsets"][1] = value::number(15);
    const value r = rest_.Call(press.tenant_id, "crm.activity.todo.add", params, options);
    return r.is_object() && r.has_field("id") ? r.at("id").serialize() : "";
  }
  if (a.kind == "task") {
    value params = value::object();
    value& f = params["fields"];
    f["TITLE"] = value::string(a.title);
    f["DESCRIPTION"] = value::string(a.text);
    if (!a.deadline.empty()) {
      f["DEADLINE"] = value::string(a.deadline);
    }
    f["RESPONSIBLE_ID"] = value::string(a.responsible.empty() ? press.user_id : a.responsible);
    if (!press.entity_id.empty()) {
      f["UF_CRM_TASK"][0] = value::string(TaskBinding(press.entity, press.entity_id));
    }
    const value r = rest_.Call(press.tenant_id, "tasks.task.add", params, options);
    if (r.is_object() && r.has_field("task") && r.at("task").has_field("id")) {
      const value& id = r.at("task").at("id");
      return id.is_string() ? id.as_string() : id.serialize();
    }
    return "";
  }
  const std::string& lang = press.lang;
  if (a.kind == "lead_status") {
    if (press.entity != "lead") {
      throw InvalidArgument(Reason(lang, "no_lead"));
    }
    value params = value::object();
    params["id"] = value::string(press.entity_id);
    params["fields"]["STATUS_ID"] = value::string(a.status_id);
    rest_.Call(press.tenant_id, "crm.lead.update", params, options);
    return press.entity_id;
  }
  if (a.kind == "deal_stage") {
    return MoveDeal(press, a, options);
  }
  throw Internal("unknown button action kind '" + a.kind + "'");
}

// The deal to move: the card's own deal, or the latest open deal of its contact or company in
// the action's pipeline.
std::string ButtonActionRunner::MoveDeal(const ButtonPress& press, const PressedAction& a,
                                         const bitrix24::CallOptions& options) {
  const std::string& lang = press.lang;
  std::string deal_id;
  if (press.entity == "deal") {
    value get = value::object();
    get["id"] = value::string(press.entity_id);
    const value deal = rest_.Call(press.tenant_id, "crm.deal.get", get, options);
    const std::string category = adapters::JsonText(deal, "CATEGORY_ID").empty()
                                     ? "0"
                                     : adapters::JsonText(deal, "CATEGORY_ID");
    if (category != (a.category_id.empty() ? "0" : a.category_id)) {
      throw InvalidArgument(Reason(lang, "other_pipeline"));
    }
    deal_id = press.entity_id;
  } else if (press.entity == "contact" || press.entity == "company") {
    value list = value::object();
    list["filter"][press.entity == "contact" ? "CONTACT_ID" : "COMPANY_ID"] =
        value::string(press.entity_id);
    list["filter"]["CATEGORY_ID"] = value::string(a.category_id.empty() ? "0" : a.category_id);
    list["filter"]["CLOSED"] = value::string("N");
    list["order"]["ID"] = value::string("DESC");
    list["select"][0] = value::string("ID");
    const value deals = rest_.Call(press.tenant_id, "crm.deal.list", list, options);
    if (!deals.is_array() || deals.size() == 0) {
      throw InvalidArgument(Reason(lang, "no_deal"));
    }
    deal_id = adapters::JsonText(deals.at(0), "ID");
  } else {
    throw InvalidArgument(Reason(lang, "no_deal"));
  }
  value params = value::object();
  params["id"] = value::string(deal_id);
  params["fields"]["STAGE_ID"] = value::string(a.stage_id);
  rest_.Call(press.tenant_id, "crm.deal.update", params, options);
  return deal_id;
}

}  // namespace opdesk::callcard
