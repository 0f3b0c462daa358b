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
  v["missed_deal_category_id"] = value::string(s.missed_deal_category_id);
  v["missed_deal_stage_id"] = value::string(s.missed_deal_stage_id);
  v["repeated_call_deal"] = value::string(std::string(ToString(s.repeated_call_deal)));
  v["line_as_source"] = value::boolean(s.line_as_source);
  v["line_number_field"] = value::string(s.line_number_field);
  v["client_phone_format"] = value::string(std::string(ToString(s.client_phone_format)));
  v["route_to_responsible"] = value::boolean(s.route_to_responsible);
  v["route_greeting_seconds"] = value::number(s.route_greeting_seconds);
  value greetings = value::object();
  for (const auto& [line, seconds] : s.route_greeting_seconds_by_line) {
    greetings[line] = value::number(seconds);
  }
  v["route_greeting_seconds_by_line"] = greetings;
  v["route_only_at_work"] = value::boolean(s.route_only_at_work);
  return v;
}

// Strict reading of a whole number within [lo, hi].
int Seconds(const value& field, const std::string& key, const std::string& what) {
  if (!field.is_number() || !field.as_number().is_int32()) {
    throw InvalidArgument(what + " must be a whole number of seconds", key);
  }
  return field.as_number().to_int32();
}

const char* const kStringFields[] = {
    "missed_in_ivr_extension", "missed_in_group_extension", "catch_all_user_id",
    "deal_stage_id",           "callback_extension",        "callback_group",
    "callback_line_number",    "missed_deal_stage_id",      "line_number_field"};

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
  if (key == "missed_deal_stage_id") {
    return &s.missed_deal_stage_id;
  }
  if (key == "line_number_field") {
    return &s.line_number_field;
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
  s.missed_deal_category_id = JsonString(v, "missed_deal_category_id", "0");
  s.repeated_call_deal = RepeatedCallDealFromString(JsonString(v, "repeated_call_deal"))
                             .value_or(s.repeated_call_deal);
  if (v.has_field("line_as_source") && v.at("line_as_source").is_boolean()) {
    s.line_as_source = v.at("line_as_source").as_bool();
  }
  s.client_phone_format =
      PhoneFormatFromString(JsonString(v, "client_phone_format")).value_or(s.client_phone_format);
  s.route_to_responsible = JsonTrue(v, "route_to_responsible");
  if (v.has_field("route_greeting_seconds") && v.at("route_greeting_seconds").is_integer()) {
    s.route_greeting_seconds = v.at("route_greeting_seconds").as_integer();
  }
  if (v.has_field("route_greeting_seconds_by_line") &&
      v.at("route_greeting_seconds_by_line").is_object()) {
    for (const auto& [line, seconds] : v.at("route_greeting_seconds_by_line").as_object()) {
      if (seconds.is_integer()) {
        s.route_greeting_seconds_by_line[line] = seconds.as_integer();
      }
    }
  }
  s.route_only_at_work = JsonTrue(v, "route_only_at_work");
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
               key == "outgoing_new_number_creates_client" || key == "line_as_source" ||
               key == "route_to_responsible" || key == "route_only_at_work") {
      if (!field.is_boolean()) {
        throw InvalidArgument(key + " must be true or false", key);
      }
      bool& target = key == "responsible_is_last_handler" ? s.responsible_is_last_handler
                     : key == "outgoing_new_number_creates_client"
                         ? s.outgoing_new_number_creates_client
                     : key == "line_as_source"       ? s.line_as_source
                     : key == "route_to_responsible" ? s.route_to_responsible
                                                     : s.route_only_at_work;
      target = field.as_bool();
    } else if (std::string* target = StringField(s, key)) {
      if (!field.is_string()) {
        throw InvalidArgument(key + " must be a string", key);
      }
      *target = field.as_string();
    } else if (key == "deal_category_id" || key == "missed_deal_category_id") {
      std::string& target =
          key == "deal_category_id" ? s.deal_category_id : s.missed_deal_category_id;
      if (field.is_number() && field.as_number().is_int64() && field.as_number().to_int64() >= 0) {
        target = std::to_string(field.as_number().to_int64());
      } else if (field.is_string()) {
        target = field.as_string();
      } else {
        throw InvalidArgument(key + " must be a pipeline id", key);
      }
    } else if (key == "repeated_call_deal") {
      std::optional<calls::RepeatedCallDeal> mode;
      if (field.is_string()) {
        mode = RepeatedCallDealFromString(field.as_string());
      }
      if (!mode) {
        throw InvalidArgument(key + " must be one of never, always, if_none_open", key);
      }
      s.repeated_call_deal = *mode;
    } else if (key == "client_phone_format") {
      std::optional<PhoneFormat> format;
      if (field.is_string()) {
        format = PhoneFormatFromString(field.as_string());
      }
      if (!format) {
        throw InvalidArgument(key + " must be one of plus_digits, international, national_8", key);
      }
      s.client_phone_format = *format;
    } else if (key == "route_greeting_seconds") {
      s.route_greeting_seconds = Seconds(field, key, key);
    } else if (key == "route_greeting_seconds_by_line") {
      if (!field.is_object()) {
        throw InvalidArgument(key + " must be an object: line number → seconds", key);
      }
      for (const auto& [line, seconds] : field.as_object()) {
        s.route_greeting_seconds_by_line[line] =
            Seconds(seconds, key, "the greeting of line " + line);
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
