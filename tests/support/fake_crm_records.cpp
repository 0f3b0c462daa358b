// FakeCrm: calls, clients and deals, the call card's actions.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "tests/support/fake_crm.h"

namespace opdesk::testing {
namespace {

std::string RecordText(const std::optional<adapters::CrmRecord>& r) {
  return r ? r->entity + ":" + r->id : "";
}

const char* TypeText(adapters::CallType type) {
  switch (type) {
    case adapters::CallType::kOutgoing:
      return "outgoing";
    case adapters::CallType::kIncoming:
      return "incoming";
    case adapters::CallType::kCallback:
      return "callback";
  }
  return "?";
}

}  // namespace

// ---- calls ----

void FakeCrm::AddLine(const std::string& tenant_id, const std::string& number,
                      const std::string& name) {
  std::lock_guard lock(mu_);
  auto after = Enter({"AddLine", tenant_id, "", {{"number", number}, {"name", name}}});
  if (std::find(lines_.begin(), lines_.end(), number) == lines_.end()) {
    lines_.push_back(number);
  }
  if (after) {
    throw *after;
  }
}

adapters::RegisteredCall FakeCrm::RegisterCall(const std::string& tenant_id,
                                               const adapters::CallRegistration& call) {
  std::lock_guard lock(mu_);
  auto after = Enter({"RegisterCall",
                      tenant_id,
                      "",
                      {{"user", call.user_id},
                       {"phone", call.phone},
                       {"type", TypeText(call.type)},
                       {"started_at_s", std::to_string(call.started_at_s)},
                       {"show", call.show_card ? "1" : "0"},
                       {"line", call.line_number},
                       {"external_id", call.external_id},
                       {"record", RecordText(call.record)}}});
  std::string id;
  auto known = calls_by_external_.find(call.external_id);
  if (known != calls_by_external_.end()) {
    id = known->second;  // the same key: the same call, as the CRM promises
  } else {
    id = "CALL-" + NextId();
    CrmCallState state;
    state.registration = call;
    state.bound = call.record ? call.record : FindByPhoneLocked(call.phone);
    if (call.show_card) {
      state.shown_to.push_back(call.user_id);
    }
    crm_calls_[id] = state;
    calls_by_external_[call.external_id] = id;
  }
  if (after) {
    throw *after;
  }
  return {id, crm_calls_[id].bound};
}

void FakeCrm::ShowCall(const std::string& tenant_id, const std::string& call_id,
                       const std::string& user_id) {
  std::lock_guard lock(mu_);
  auto after = Enter({"ShowCall", tenant_id, "", {{"call_id", call_id}, {"user", user_id}}});
  auto it = crm_calls_.find(call_id);
  if (it == crm_calls_.end()) {
    throw NotFound("no call " + call_id);
  }
  it->second.shown_to.push_back(user_id);
  if (after) {
    throw *after;
  }
}

void FakeCrm::HideCall(const std::string& tenant_id, const std::string& call_id,
                       const std::string& user_id) {
  std::lock_guard lock(mu_);
  auto after = Enter({"HideCall", tenant_id, "", {{"call_id", call_id}, {"user", user_id}}});
  auto it = crm_calls_.find(call_id);
  if (it == crm_calls_.end()) {
    throw NotFound("no call " + call_id);
  }
  it->second.hidden_from.push_back(user_id);
  if (after) {
    throw *after;
  }
}

void FakeCrm::FinishCall(const std::string& tenant_id, const adapters::CallFinish& finish) {
  std::lock_guard lock(mu_);
  auto after = Enter({"FinishCall",
                      tenant_id,
                      "",
                      {{"call_id", finish.call_id},
                       {"user", finish.user_id},
                       {"duration_s", std::to_string(finish.duration_s)},
                       {"status", finish.status_code},
                       {"reason", finish.failed_reason}}});
  auto it = crm_calls_.find(finish.call_id);
  if (it == crm_calls_.end() || it->second.finish) {
    throw NotFound("no open call " + finish.call_id);
  }
  it->second.finish = finish;
  if (after) {
    throw *after;
  }
}

void FakeCrm::AttachRecording(const std::string& tenant_id, const std::string& call_id,
                              const std::string& filename, const std::string& path) {
  std::lock_guard lock(mu_);
  auto after =
      Enter({"AttachRecording", tenant_id, "", {{"call_id", call_id}, {"filename", filename}}});
  auto it = crm_calls_.find(call_id);
  if (it == crm_calls_.end() || !it->second.finish) {
    throw Unavailable("the CRM has not finished call " + call_id + " yet");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  it->second.recording_name = filename;
  it->second.recording = content.str();
  if (after) {
    throw *after;
  }
}

// ---- clients ----

std::optional<adapters::CrmRecord> FakeCrm::FindClientByPhone(const std::string& tenant_id,
                                                              const std::string& phone) {
  std::lock_guard lock(mu_);
  auto after = Enter({"FindClientByPhone", tenant_id, "", {{"phone", phone}}});
  if (after) {
    throw *after;
  }
  return FindByPhoneLocked(phone);
}

adapters::FoundClient FakeCrm::FindCreatedClient(const std::string& tenant_id,
                                                 const adapters::ClientLookup& lookup) {
  std::lock_guard lock(mu_);
  auto after = Enter({"FindCreatedClient",
                      tenant_id,
                      "",
                      {{"origin", lookup.origin.origin},
                       {"phone", lookup.phone},
                       {"lead", lookup.lead ? "1" : "0"},
                       {"company", lookup.company ? "1" : "0"},
                       {"contact", lookup.contact ? "1" : "0"},
                       {"deal", lookup.deal ? "1" : "0"}}});
  if (after) {
    throw *after;
  }
  adapters::FoundClient out;
  for (const Record& r : records_) {
    if (r.origin != lookup.origin.origin) {
      continue;
    }
    if (r.entity == "lead" && lookup.lead && out.lead_id.empty()) {
      out.lead_id = r.id;
    } else if (r.entity == "company" && lookup.company && out.company_id.empty()) {
      out.company_id = r.id;
    } else if (r.entity == "contact" && lookup.contact && out.contact_id.empty()) {
      out.contact_id = r.id;
    } else if (r.entity == "deal" && lookup.deal && out.deal_id.empty()) {
      out.deal_id = r.id;
    }
  }
  out.known = FindByPhoneLocked(lookup.phone);
  return out;
}

adapters::CreatedClient FakeCrm::CreateClient(const std::string& tenant_id,
                                              const adapters::NewClient& c) {
  std::lock_guard lock(mu_);
  auto after = Enter({"CreateClient",
                      tenant_id,
                      "",
                      {{"origin", c.origin.origin},
                       {"lead", c.lead ? "1" : "0"},
                       {"company", c.company ? "1" : "0"},
                       {"contact", c.contact ? "1" : "0"},
                       {"deal", c.deal ? "1" : "0"},
                       {"name", c.name},
                       {"phone", c.phone},
                       {"source", c.source_id},
                       {"responsible", c.responsible_user_id},
                       {"pipeline", c.deal_category_id},
                       {"stage", c.deal_stage_id},
                       {"deal_contact", c.deal_contact_id},
                       {"deal_company", c.deal_company_id},
                       {"creator", c.creator_user_id},
                       {"line_field", c.line_field},
                       {"line", c.line_number}}});
  adapters::CreatedClient out;
  // As one request with halt: the adds run in order and stop at the first refusal.
  const std::map<std::string, bool> wanted_by_entity = {
      {"lead", c.lead}, {"company", c.company}, {"contact", c.contact}, {"deal", c.deal}};
  for (const char* entity : {"lead", "company", "contact", "deal"}) {
    const bool wanted = wanted_by_entity.at(entity);
    if (!wanted) {
      continue;
    }
    auto refused = refused_adds_.find(entity);
    if (refused != refused_adds_.end()) {
      out.error = refused->second;
      refused_adds_.erase(refused);  // once: a later retry gets through
      break;
    }
    Record r;
    r.entity = entity;
    r.id = NextId();
    r.name = c.name;
    r.origin = c.origin.origin;
    r.source_id = c.source_id;
    r.responsible = c.responsible_user_id;
    r.creator = c.creator_user_id;
    if (r.entity == "deal") {
      r.owner = c.contact || !c.deal_contact_id.empty()
                    ? "contact:" + (c.contact ? out.contact_id : c.deal_contact_id)
                    : "company:" + (c.company ? out.company_id : c.deal_company_id);
      r.pipeline = c.deal_category_id;
      r.stage = c.deal_stage_id;
    } else {
      r.phone = c.phone;
      r.line_field = c.line_field;
      r.line = c.line_field.empty() ? "" : c.line_number;
    }
    records_.push_back(r);
    std::map<std::string, std::string*> ids = {{"lead", &out.lead_id},
                                               {"company", &out.company_id},
                                               {"contact", &out.contact_id},
                                               {"deal", &out.deal_id}};
    *ids.at(r.entity) = r.id;
  }
  if (after) {
    throw *after;
  }
  return out;
}

std::vector<adapters::ClientResponsibles> FakeCrm::FindResponsibles(
    const std::string& tenant_id, const std::string& phone,
    const adapters::RequestOptions& options) {
  std::lock_guard lock(mu_);
  auto after = Enter({"FindResponsibles", tenant_id, options.as_user, {{"phone", phone}}});
  std::vector<adapters::ClientResponsibles> out;
  std::string wanted;
  for (char ch : phone) {
    if (ch >= '0' && ch <= '9') {
      wanted.push_back(ch);
    }
  }
  for (const Record& r : records_) {
    std::string digits;
    for (char ch : r.phone) {
      if (ch >= '0' && ch <= '9') {
        digits.push_back(ch);
      }
    }
    if (r.entity == "deal" || wanted.empty() || digits != wanted) {
      continue;
    }
    adapters::ClientResponsibles client{{r.entity, r.id}, r.responsibles};
    if (client.responsibles.empty() && !r.responsible.empty()) {
      adapters::Responsible one;
      one.id = r.responsible;
      for (const adapters::CrmUser& u : users_) {
        if (u.id == r.responsible) {
          one.extension = u.extension;
        }
      }
      client.responsibles.push_back(one);
    }
    out.push_back(client);
  }
  if (after) {
    throw *after;
  }
  return out;
}

std::vector<std::string> FakeCrm::OpenDeals(const std::string& tenant_id,
                                            const adapters::CrmRecord& client,
                                            const std::string& pipeline,
                                            const adapters::RequestOptions& options) {
  std::lock_guard lock(mu_);
  auto after = Enter({"OpenDeals",
                      tenant_id,
                      options.as_user,
                      {{"client", client.entity + ":" + client.id}, {"pipeline", pipeline}}});
  if (after) {
    throw *after;
  }
  std::vector<std::string> ids;
  for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
    if (it->entity == "deal" && it->owner == client.entity + ":" + client.id &&
        (pipeline.empty() || it->pipeline == pipeline) && !it->closed) {
      ids.push_back(it->id);
    }
  }
  return ids;
}

std::string FakeCrm::DealPipeline(const std::string& tenant_id, const std::string& deal_id,
                                  const adapters::RequestOptions& options) {
  std::lock_guard lock(mu_);
  auto after = Enter({"DealPipeline", tenant_id, options.as_user, {{"deal", deal_id}}});
  if (after) {
    throw *after;
  }
  for (const Record& r : records_) {
    if (r.entity == "deal" && r.id == deal_id) {
      return r.pipeline.empty() ? "0" : r.pipeline;
    }
  }
  throw NotFound("no deal " + deal_id);
}

// ---- the call card's actions ----

std::string FakeCrm::AddComment(const std::string& tenant_id, const adapters::CrmRecord& record,
                                const std::string& text, const adapters::RequestOptions& options) {
  std::lock_guard lock(mu_);
  auto after = Enter({"AddComment",
                      tenant_id,
                      options.as_user,
                      {{"record", record.entity + ":" + record.id}, {"text", text}}});
  Timeline t;
  t.kind = "comment";
  t.id = NextId();
  t.record = record;
  t.as_user = options.as_user;
  t.text = text;
  timeline_.push_back(t);
  if (after) {
    throw *after;
  }
  return t.id;
}

std::string FakeCrm::AddActivity(const std::string& tenant_id, const adapters::CrmRecord& record,
                                 const adapters::ActivityRequest& a,
                                 const adapters::RequestOptions& options) {
  std::lock_guard lock(mu_);
  auto after = Enter({"AddActivity",
                      tenant_id,
                      options.as_user,
                      {{"record", record.entity + ":" + record.id},
                       {"title", a.title},
                       {"deadline", a.deadline},
                       {"responsible", a.responsible_user_id}}});
  Timeline t;
  t.kind = "activity";
  t.id = NextId();
  t.record = record;
  t.as_user = options.as_user;
  t.title = a.title;
  t.text = a.description;
  t.deadline = a.deadline;
  t.responsible = a.responsible_user_id;
  timeline_.push_back(t);
  if (after) {
    throw *after;
  }
  return t.id;
}

std::string FakeCrm::AddTask(const std::string& tenant_id, const adapters::TaskRequest& task,
                             const adapters::RequestOptions& options) {
  std::lock_guard lock(mu_);
  auto after = Enter({"AddTask",
                      tenant_id,
                      options.as_user,
                      {{"record", RecordText(task.record)},
                       {"title", task.title},
                       {"deadline", task.deadline},
                       {"responsible", task.responsible_user_id}}});
  Timeline t;
  t.kind = "task";
  t.id = NextId();
  t.record = task.record;
  t.as_user = options.as_user;
  t.title = task.title;
  t.text = task.description;
  t.deadline = task.deadline;
  t.responsible = task.responsible_user_id;
  timeline_.push_back(t);
  if (after) {
    throw *after;
  }
  return t.id;
}

void FakeCrm::SetLeadStatus(const std::string& tenant_id, const std::string& lead_id,
                            const std::string& status_id, const adapters::RequestOptions& options) {
  std::lock_guard lock(mu_);
  auto after = Enter(
      {"SetLeadStatus", tenant_id, options.as_user, {{"lead", lead_id}, {"status", status_id}}});
  for (Record& r : records_) {
    if (r.entity == "lead" && r.id == lead_id) {
      r.status = status_id;
      if (after) {
        throw *after;
      }
      return;
    }
  }
  throw NotFound("no lead " + lead_id);
}

void FakeCrm::SetDealStage(const std::string& tenant_id, const std::string& deal_id,
                           const std::string& stage_id, const adapters::RequestOptions& options) {
  std::lock_guard lock(mu_);
  auto after =
      Enter({"SetDealStage", tenant_id, options.as_user, {{"deal", deal_id}, {"stage", stage_id}}});
  for (Record& r : records_) {
    if (r.entity == "deal" && r.id == deal_id) {
      r.stage = stage_id;
      if (after) {
        throw *after;
      }
      return;
    }
  }
  throw NotFound("no deal " + deal_id);
}

void FakeCrm::SeedHistory(const adapters::CrmRecord& client, adapters::ClientHistory history) {
  std::lock_guard lock(mu_);
  histories_[client.entity + ":" + client.id] = std::move(history);
}

adapters::ClientHistory FakeCrm::ReadClientHistory(const std::string& tenant_id,
                                                   const adapters::CrmRecord& client, int page,
                                                   const adapters::RequestOptions& options) {
  std::lock_guard lock(mu_);
  auto after =
      Enter({"ReadClientHistory",
             tenant_id,
             options.as_user,
             {{"client", client.entity + ":" + client.id}, {"page", std::to_string(page)}}});
  if (after) {
    throw *after;
  }
  const std::string key = client.entity + ":" + client.id;
  adapters::ClientHistory all;
  if (const auto it = histories_.find(key); it != histories_.end()) {
    all = it->second;
  }
  for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
    if (it->entity == "deal" && it->owner == key) {
      adapters::HistoryDeal d;
      d.id = it->id;
      d.title = it->name;
      d.category_id = it->pipeline;
      d.stage_id = it->stage;
      d.closed = it->closed;
      all.deals.push_back(std::move(d));
    }
  }
  const std::size_t from = static_cast<std::size_t>(std::max(page - 1, 0)) *
                           static_cast<std::size_t>(adapters::kHistoryPageSize);
  adapters::ClientHistory out;
  auto slice = [&](const auto& list, auto& into) {
    for (std::size_t i = from; i < list.size() && i < from + adapters::kHistoryPageSize; ++i) {
      into.push_back(list[i]);
    }
    out.more = out.more || list.size() > from + adapters::kHistoryPageSize;
  };
  slice(all.calls, out.calls);
  slice(all.activities, out.activities);
  slice(all.comments, out.comments);
  slice(all.deals, out.deals);
  return out;
}

}  // namespace opdesk::testing
