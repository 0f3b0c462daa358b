// Bitrix24Crm: what the call card's buttons do (reference bitrix24.md §6.5): a timeline comment,
// a to-do (crm.activity.todo.add) for a callback or a meeting, a task bound to the record, a
// lead's status, a deal's stage. The adds are never resent; the updates are safe to resend.
#include <cpprest/json.h>

#include "adapters/bitrix24/bitrix24_crm.h"
#include "adapters/bitrix24/bitrix24_crm_util.h"

namespace opdesk::bitrix24 {
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

}  // namespace

std::string Bitrix24Crm::AddComment(const std::string& tenant_id, const adapters::CrmRecord& record,
                                    const std::string& text,
                                    const adapters::RequestOptions& options) {
  value params = value::object();
  params["fields"]["ENTITY_ID"] = value::string(record.id);
  params["fields"]["ENTITY_TYPE"] = value::string(record.entity);
  params["fields"]["COMMENT"] = value::string(text);
  const value r = rest_.Call(tenant_id, "crm.timeline.comment.add", params,
                             ToCallOptions(options, /*idempotent=*/false));
  return r.is_number() ? r.serialize() : (r.is_string() ? r.as_string() : "");
}

void Bitrix24Crm::SetFieldValue(const std::string& tenant_id, const adapters::CrmRecord& record,
                                const std::string& code, const std::string& value,
                                const adapters::RequestOptions& options) {
  if (record.entity != "contact" && record.entity != "deal") {
    throw InvalidArgument("a number is saved into a contact or a deal, not a " + record.entity,
                          "entity");
  }
  web::json::value params = web::json::value::object();
  params["id"] = web::json::value::string(record.id);
  params["fields"][code] = web::json::value::string(value);
  // The same value written twice is one value: safe to resend.
  static_cast<void>(rest_.Call(tenant_id, "crm." + record.entity + ".update", params,
                               ToCallOptions(options, /*idempotent=*/true)));
}

std::string Bitrix24Crm::AddActivity(const std::string& tenant_id,
                                     const adapters::CrmRecord& record,
                                     const adapters::ActivityRequest& a,
                                     const adapters::RequestOptions& options) {
  value params = value::object();
  params["ownerTypeId"] = value::number(TypeId(record.entity));
  params["ownerId"] = value::string(record.id);
  params["deadline"] = value::string(a.deadline);
  params["title"] = value::string(a.title);
  params["description"] = value::string(a.description);
  params["responsibleId"] = value::string(a.responsible_user_id);
  params["pingOffsets"][0] = value::number(0);
  params["pingOffsets"][1] = value::number(15);
  const value r = rest_.Call(tenant_id, "crm.activity.todo.add", params,
                             ToCallOptions(options, /*idempotent=*/false));
  return r.is_object() && r.has_field("id") ? r.at("id").serialize() : "";
}

std::string Bitrix24Crm::AddTask(const std::string& tenant_id, const adapters::TaskRequest& t,
                                 const adapters::RequestOptions& options) {
  value params = value::object();
  value& f = params["fields"];
  f["TITLE"] = value::string(t.title);
  f["DESCRIPTION"] = value::string(t.description);
  if (!t.deadline.empty()) {
    f["DEADLINE"] = value::string(t.deadline);
  }
  f["RESPONSIBLE_ID"] = value::string(t.responsible_user_id);
  if (t.record) {
    f["UF_CRM_TASK"][0] = value::string(TaskBinding(t.record->entity, t.record->id));
  }
  const value r =
      rest_.Call(tenant_id, "tasks.task.add", params, ToCallOptions(options, /*idempotent=*/false));
  if (r.is_object() && r.has_field("task") && r.at("task").has_field("id")) {
    const value& id = r.at("task").at("id");
    return id.is_string() ? id.as_string() : id.serialize();
  }
  return "";
}

void Bitrix24Crm::SetLeadStatus(const std::string& tenant_id, const std::string& lead_id,
                                const std::string& status_id,
                                const adapters::RequestOptions& options) {
  value params = value::object();
  params["id"] = value::string(lead_id);
  params["fields"]["STATUS_ID"] = value::string(status_id);
  rest_.Call(tenant_id, "crm.lead.update", params, ToCallOptions(options, /*idempotent=*/true));
}

void Bitrix24Crm::SetDealStage(const std::string& tenant_id, const std::string& deal_id,
                               const std::string& stage_id,
                               const adapters::RequestOptions& options) {
  value params = value::object();
  params["id"] = value::string(deal_id);
  params["fields"]["STAGE_ID"] = value::string(stage_id);
  rest_.Call(tenant_id, "crm.deal.update", params, ToCallOptions(options, /*idempotent=*/true));
}

}  // namespace opdesk::bitrix24
