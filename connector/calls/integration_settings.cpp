#include "connector/calls/integration_settings.h"

#include <cpprest/json.h>

#include "adapters/json_read.h"
#include "connector/domain/error.h"
#include "connector/storage/mango_repositories.h"

namespace opdesk::mango {
namespace {

using adapters::JsonString;
using adapters::JsonTrue;
using web::json::value;

value Encode(const IntegrationSettings& s) {
  value v = value::object();
  v["responsible_is_last_handler"] = value::boolean(s.responsible_is_last_handler);
  v["missed_in_ivr_extension"] = value::string(s.missed_in_ivr_extension);
  v["missed_in_group_extension"] = value::string(s.missed_in_group_extension);
  v["catch_all_user_id"] = value::string(s.catch_all_user_id);
  v["unmapped_employee_calls"] = value::string(std::string(ToString(s.unmapped_calls)));
  v["answered_new_number"] = value::string(std::string(ToString(s.answered_new_number)));
  v["missed_new_number"] = value::string(std::string(ToString(s.missed_new_number)));
  v["outgoing_new_number_creates_client"] = value::boolean(s.outgoing_new_number_creates_client);
  value sources = value::object();
  for (const auto& [line, source] : s.crm_source_by_line) {
    sources[line] = value::string(source);
  }
  v["crm_source_by_line"] = sources;
  v["deal_category_id"] = value::string(s.deal_category_id);
  v["deal_stage_id"] = value::string(s.deal_stage_id);
  v["callback_extension"] = value::string(s.callback_extension);
  v["callback_group"] = value::string(s.callback_group);
  v["callback_line_number"] = value::string(s.callback_line_number);
  return v;
}

const char* const kStringFields[] = {"missed_in_ivr_extension", "missed_in_group_extension",
                                     "catch_all_user_id",       "deal_stage_id",
                                     "callback_extension",      "callback_group",
                                     "callback_line_number"};

std::string* StringField(IntegrationSettings& s, const std::string& key) {
  if (key == "missed_in_ivr_extension") {
    return &s.missed_in_ivr_extension;
  }
  if (key == "missed_in_group_extension") {
    return &s.missed_in_group_extension;
  }
  if (key == "catch_all_user_id") {
    return &s.catch_all_user_id;
  }
  if (key == "deal_stage_id") {
    return &s.deal_stage_id;
  }
  if (key == "callback_extension") {
    return &s.callback_extension;
  }
  if (key == "callback_group") {
    return &s.callback_group;
  }
  if (key == "callback_line_number") {
    return &s.callback_line_number;
  }
  return nullptr;
}

calls::ClientAction Action(const value& field, const std::string& key) {
  std::optional<calls::ClientAction> a;
  if (field.is_string()) {
    a = ClientActionFromString(field.as_string());
  }
  if (!a) {
    throw InvalidArgument(key + " must be one of none, lead, client, client_and_deal", key);
  }
  return *a;
}

}  // namespace

std::string EncodeIntegrationSettings(const IntegrationSettings& s) {
  return Encode(s).serialize();
}

IntegrationSettings DecodeIntegrationSettings(const std::string& json) {
  const value v = value::parse(json);
  IntegrationSettings s;
  s.responsible_is_last_handler = JsonTrue(v, "responsible_is_last_handler");
  for (const char* key : kStringFields) {
    *StringField(s, key) = JsonString(v, key);
  }
  s.unmapped_calls =
      UnmappedCallsFromString(JsonString(v, "unmapped_employee_calls")).value_or(s.unmapped_calls);
  s.answered_new_number =
      ClientActionFromString(JsonString(v, "answered_new_number")).value_or(s.answered_new_number);
  s.missed_new_number =
      ClientActionFromString(JsonString(v, "missed_new_number")).value_or(s.missed_new_number);
  s.outgoing_new_number_creates_client = JsonTrue(v, "outgoing_new_number_creates_client");
  if (v.has_field("crm_source_by_line") && v.at("crm_source_by_line").is_object()) {
    for (const auto& [line, source] : v.at("crm_source_by_line").as_object()) {
      if (source.is_string()) {
        s.crm_source_by_line[line] = source.as_string();
      }
    }
  }
  s.deal_category_id = JsonString(v, "deal_category_id", "0");
  return s;
}

std::string IntegrationSettingsReply(const IntegrationSettings& s) {
  value v = Encode(s);
  v["version"] = value::number(static_cast<int64_t>(s.version));
  return v.serialize();
}

IntegrationSettings ParseIntegrationSettingsBody(const std::string& body, long long* version) {
  const value v = adapters::ParseBody(body);
  IntegrationSettings s;
  for (const auto& [key, field] : v.as_object()) {
    if (key == "version") {
      if (!field.is_number() || !field.as_number().is_int64() || field.as_number().to_int64() < 0) {
        throw InvalidArgument("version must be the number read before", "version");
      }
      *version = field.as_number().to_int64();
    } else if (key == "responsible_is_last_handler" ||
               key == "outgoing_new_number_creates_client") {
      if (!field.is_boolean()) {
        throw InvalidArgument(key + " must be true or false", key);
      }
      (key == "responsible_is_last_handler" ? s.responsible_is_last_handler
                                            : s.outgoing_new_number_creates_client) =
          field.as_bool();
    } else if (std::string* target = StringField(s, key)) {
      if (!field.is_string()) {
        throw InvalidArgument(key + " must be a string", key);
      }
      *target = field.as_string();
    } else if (key == "deal_category_id") {
      if (field.is_number() && field.as_number().is_int64() && field.as_number().to_int64() >= 0) {
        s.deal_category_id = std::to_string(field.as_number().to_int64());
      } else if (field.is_string()) {
        s.deal_category_id = field.as_string();
      } else {
        throw InvalidArgument("deal_category_id must be a pipeline id", key);
      }
    } else if (key == "unmapped_employee_calls") {
      std::optional<UnmappedCalls> mode;
      if (field.is_string()) {
        mode = UnmappedCallsFromString(field.as_string());
      }
      if (!mode) {
        throw InvalidArgument(key + " must be record_without_card or catch_all_card", key);
      }
      s.unmapped_calls = *mode;
    } else if (key == "answered_new_number") {
      s.answered_new_number = Action(field, key);
    } else if (key == "missed_new_number") {
      s.missed_new_number = Action(field, key);
    } else if (key == "crm_source_by_line") {
      if (!field.is_object()) {
        throw InvalidArgument(key + " must be an object: line number → source id", key);
      }
      for (const auto& [line, source] : field.as_object()) {
        if (!source.is_string()) {
          throw InvalidArgument("the source of line " + line + " must be a string", key);
        }
        s.crm_source_by_line[line] = source.as_string();
      }
    } else {
      throw InvalidArgument("unknown setting '" + key + "'", key);
    }
  }
  if (*version < 0) {
    throw InvalidArgument("version is required (the one read before, 0 for none)", "version");
  }
  Validate(s);
  return s;
}

IntegrationSettings LoadIntegrationSettings(storage::Session& s, const std::string& tenant_id) {
  auto row = storage::IntegrationSettingsRepository::Find(s, tenant_id);
  if (!row) {
    return IntegrationSettings{};
  }
  IntegrationSettings settings = DecodeIntegrationSettings(row->json);
  settings.version = row->version;
  return settings;
}

}  // namespace opdesk::mango
