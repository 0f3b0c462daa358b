#include "connector/callcard/button_actions.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "adapters/json_read.h"
#include "connector/domain/log_escape.h"
#include "connector/domain/messages.h"
#include "connector/jobs/job_store.h"

namespace opdesk::callcard {
namespace {

using web::json::value;

// "<method>: ERROR_CORE (Поле … обязательно)" → "Поле … обязательно".
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

bool Idempotent(const std::string& kind) {
  return kind == "lead_status" || kind == "deal_stage";  // setting the same value twice is harmless
}

}  // namespace

std::string EncodeActionJob(const ActionJob& job) {
  value v = value::object();
  v["press_id"] = value::string(job.press_id);
  v["index"] = value::number(job.index);
  return v.serialize();
}

ActionJob DecodeActionJob(const std::string& payload) {
  try {
    const value v = value::parse(payload);
    if (v.has_string_field("press_id") && v.has_number_field("index") &&
        v.at("index").is_integer()) {
      return {v.at("press_id").as_string(), v.at("index").as_integer()};
    }
  } catch (const web::json::json_exception&) {
  }
  throw InvalidArgument("unreadable payload of a callcard.action job");
}

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
    jobs::NewJob job;
    job.tenant_id = press.tenant_id;
    job.ordering_key = "press:" + press.press_id;
    job.idempotency_key = "press:" + press.press_id + ":" + std::to_string(a.index);
    jobs::Enqueue(s, kActionJob, ActionJob{press.press_id, a.index}, job, now);
  }
  return true;
}

void ButtonActionRunner::Settle(const jobs::Job& job, const std::string& state,
                                const std::string& error, const std::string& result_id) {
  const ActionJob t = DecodeActionJob(job.payload);
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

void ButtonActionRunner::Run(const jobs::Job& job, const ActionJob& t) {
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
        a.error = Message("press.unknown", lang);
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
    const bool maybe_sent = adapters::IsOutcomeUnknown(e);
    if (maybe_sent && !Idempotent(action->kind)) {
      Settle(job, "failed", Message("press.unknown", lang), "");
    } else if (IsRetryable(e.code()) || e.code() == ErrorCode::kUnauthenticated) {
      // Nothing reached the CRM (budget, limits, an outage): try again later, or give up visibly
      // on the last attempt.
      const bool last = job.LastAttempt();
      Settle(job, last ? "failed" : "queued",
             last ? Message("press.gave_up", lang) + ": " + what : "", "");
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
  adapters::RequestOptions options;
  options.as_user = press.user_id;
  const adapters::CrmRecord record{press.entity, press.entity_id};
  const std::string& responsible = a.responsible.empty() ? press.user_id : a.responsible;
  if (a.kind == "comment") {
    return crm_.AddComment(press.tenant_id, record, a.text, options);
  }
  if (a.kind == "callback" || a.kind == "meeting") {
    adapters::ActivityRequest activity;
    activity.title = a.title;
    activity.description = a.text;
    activity.deadline = a.deadline;
    activity.responsible_user_id = responsible;
    return crm_.AddActivity(press.tenant_id, record, activity, options);
  }
  if (a.kind == "task") {
    adapters::TaskRequest task;
    task.title = a.title;
    task.description = a.text;
    task.deadline = a.deadline;
    task.responsible_user_id = responsible;
    if (!press.entity_id.empty()) {
      task.record = record;
    }
    return crm_.AddTask(press.tenant_id, task, options);
  }
  const std::string& lang = press.lang;
  if (a.kind == "lead_status") {
    if (press.entity != "lead") {
      throw InvalidArgument(Message("press.no_lead", lang));
    }
    crm_.SetLeadStatus(press.tenant_id, press.entity_id, a.status_id, options);
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
                                         const adapters::RequestOptions& options) {
  const std::string& lang = press.lang;
  const std::string pipeline = a.category_id.empty() ? "0" : a.category_id;
  std::string deal_id;
  if (press.entity == "deal") {
    if (crm_.DealPipeline(press.tenant_id, press.entity_id, options) != pipeline) {
      throw InvalidArgument(Message("press.other_pipeline", lang));
    }
    deal_id = press.entity_id;
  } else if (press.entity == "contact" || press.entity == "company") {
    const std::vector<std::string> deals = crm_.OpenDeals(
        press.tenant_id, adapters::CrmRecord{press.entity, press.entity_id}, pipeline, options);
    if (deals.empty()) {
      throw InvalidArgument(Message("press.no_deal", lang));
    }
    deal_id = deals.front();
  } else {
    throw InvalidArgument(Message("press.no_deal", lang));
  }
  crm_.SetDealStage(press.tenant_id, deal_id, a.stage_id, options);
  return deal_id;
}

}  // namespace opdesk::callcard
