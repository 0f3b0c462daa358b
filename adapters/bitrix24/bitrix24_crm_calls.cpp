// Bitrix24Crm: the telephony methods (reference bitrix24.md §4).
#include <cctype>
#include <ctime>

#include <cpprest/json.h>

#include "adapters/bitrix24/bitrix24_crm.h"
#include "adapters/bitrix24/bitrix24_crm_util.h"

namespace opdesk::bitrix24 {
namespace {

using web::json::value;

std::string Iso8601Utc(long long epoch_s) {
  std::time_t t = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
  return buf;
}

// Bitrix24 wants digits (a leading + allowed); a hidden caller has no number at all.
std::string PhoneForCrm(const std::string& number) {
  std::string digits;
  for (char c : number) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    }
  }
  return digits.empty() ? "0" : digits;
}

int TypeOf(adapters::CallType type) {
  switch (type) {
    case adapters::CallType::kOutgoing:
      return 1;
    case adapters::CallType::kIncoming:
      return 2;
    case adapters::CallType::kCallback:
      return 4;
  }
  return 2;
}

std::string EntityTypeName(const std::string& entity) {
  std::string out = entity;
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string EntityOfTypeName(const std::string& type) {
  std::string out = type;
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// What register bound the call to; none for a new number. Bitrix24 answers null or 0 for
// "nothing", the emulator "" and 0.
std::optional<adapters::CrmRecord> BoundRecord(const value& result) {
  if (!result.has_field("CRM_ENTITY_TYPE") || !result.at("CRM_ENTITY_TYPE").is_string() ||
      result.at("CRM_ENTITY_TYPE").as_string().empty() || !result.has_field("CRM_ENTITY_ID")) {
    return std::nullopt;
  }
  const value& id = result.at("CRM_ENTITY_ID");
  const std::string text = id.is_string() ? id.as_string() : id.is_number() ? id.serialize() : "";
  if (text.empty() || text == "0") {
    return std::nullopt;
  }
  return adapters::CrmRecord{EntityOfTypeName(result.at("CRM_ENTITY_TYPE").as_string()), text};
}

}  // namespace

void Bitrix24Crm::AddLine(const std::string& tenant_id, const std::string& number,
                          const std::string& name) {
  value params = value::object();
  params["NUMBER"] = value::string(number);
  params["NAME"] = value::string(name);
  // Leads for outgoing calls to new numbers follow FEATURES B10, not the line's own switch.
  params["CRM_AUTO_CREATE"] = value::string("N");
  try {
    rest_.Call(tenant_id, "telephony.externalLine.add", params);
  } catch (const Error& e) {
    if (std::string(e.what()).find("already exists") == std::string::npos) {
      throw;
    }
  }
}

adapters::RegisteredCall Bitrix24Crm::RegisterCall(const std::string& tenant_id,
                                                   const adapters::CallRegistration& call) {
  value params = value::object();
  params["USER_ID"] = value::string(call.user_id);
  params["PHONE_NUMBER"] = value::string(PhoneForCrm(call.phone));
  params["TYPE"] = value::number(TypeOf(call.type));
  if (call.started_at_s > 0) {
    params["CALL_START_DATE"] = value::string(Iso8601Utc(call.started_at_s));
  }
  params["CRM_CREATE"] = value::number(0);
  params["SHOW"] = value::number(call.show_card ? 1 : 0);
  params["LINE_NUMBER"] = value::string(call.line_number);
  params["EXTERNAL_CALL_ID"] = value::string(call.external_id);
  if (call.record) {
    params["CRM_ENTITY_TYPE"] = value::string(EntityTypeName(call.record->entity));
    params["CRM_ENTITY_ID"] = value::string(call.record->id);
  }
  // Same EXTERNAL_CALL_ID (and parameters) within 30 minutes returns the same CALL_ID: safe to
  // resend.
  const value result = rest_.Call(tenant_id, "telephony.externalCall.register", params);
  return {result.at("CALL_ID").as_string(), BoundRecord(result)};
}

void Bitrix24Crm::ShowCall(const std::string& tenant_id, const std::string& call_id,
                           const std::string& user_id) {
  value params = value::object();
  params["CALL_ID"] = value::string(call_id);
  params["USER_ID"] = value::string(user_id);
  rest_.Call(tenant_id, "telephony.externalCall.show", params);
}

void Bitrix24Crm::HideCall(const std::string& tenant_id, const std::string& call_id,
                           const std::string& user_id) {
  value params = value::object();
  params["CALL_ID"] = value::string(call_id);
  params["USER_ID"] = value::string(user_id);
  rest_.Call(tenant_id, "telephony.externalCall.hide", params);
}

void Bitrix24Crm::FinishCall(const std::string& tenant_id, const adapters::CallFinish& finish) {
  value params = value::object();
  params["CALL_ID"] = value::string(finish.call_id);
  params["USER_ID"] = value::string(finish.user_id);
  params["DURATION"] = value::number(static_cast<int64_t>(finish.duration_s));
  params["STATUS_CODE"] = value::string(finish.status_code);
  if (!finish.failed_reason.empty()) {
    params["FAILED_REASON"] = value::string(finish.failed_reason);
  }
  // The default differs between documentation versions: always say it.
  params["ADD_TO_CHAT"] = value::number(1);
  CallOptions options;
  options.idempotent = false;
  rest_.Call(tenant_id, "telephony.externalCall.finish", params, options);
}

void Bitrix24Crm::AttachRecording(const std::string& tenant_id, const std::string& call_id,
                                  const std::string& filename, const std::string& path) {
  value params = value::object();
  params["CALL_ID"] = value::string(call_id);
  params["FILENAME"] = value::string(filename);
  value slot;
  try {
    // Without FILE_CONTENT the portal answers an upload URL; a repeat replaces the record.
    slot = rest_.Call(tenant_id, "telephony.externalCall.attachRecord", params);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kNotFound) {
      throw Unavailable(std::string("the CRM has not finished the call yet: ") + e.what());
    }
    throw;
  }
  if (!slot.is_object() || !slot.has_field("uploadUrl") || !slot.at("uploadUrl").is_string()) {
    throw Unavailable("the portal gave no upload URL for the recording");
  }
  const std::string field = slot.has_field("fieldName") && slot.at("fieldName").is_string()
                                ? slot.at("fieldName").as_string()
                                : "file";
  rest_.UploadFile(tenant_id, slot.at("uploadUrl").as_string(), field, filename, "audio/mpeg",
                   path);
}

}  // namespace opdesk::bitrix24
