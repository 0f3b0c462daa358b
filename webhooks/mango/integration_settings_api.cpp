#include "webhooks/mango/integration_settings_api.h"

#include <cpprest/json.h>

#include "connector/domain/error.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/repositories.h"

namespace opdesk::mango {
namespace {

using web::json::value;

std::string Encode(const IntegrationSettings& s) {
  value v = value::object();
  v["responsible_is_last_handler"] = value::boolean(s.responsible_is_last_handler);
  v["missed_in_ivr_extension"] = value::string(s.missed_in_ivr_extension);
  v["missed_in_group_extension"] = value::string(s.missed_in_group_extension);
  v["catch_all_user_id"] = value::string(s.catch_all_user_id);
  return v.serialize();
}

IntegrationSettings Decode(const std::string& json) {
  const value v = value::parse(json);
  IntegrationSettings s;
  auto str = [&](const char* k) {
    return v.has_field(k) && v.at(k).is_string() ? v.at(k).as_string() : std::string();
  };
  s.responsible_is_last_handler =
      v.has_field("responsible_is_last_handler") && v.at("responsible_is_last_handler").as_bool();
  s.missed_in_ivr_extension = str("missed_in_ivr_extension");
  s.missed_in_group_extension = str("missed_in_group_extension");
  s.catch_all_user_id = str("catch_all_user_id");
  return s;
}

std::string Reply(const IntegrationSettings& s) {
  value v = value::parse(Encode(s));
  v["version"] = value::number(static_cast<int64_t>(s.version));
  return v.serialize();
}

// The request body: every field typed, unknown fields refused (a typo must not pass silently).
IntegrationSettings ParseBody(const std::string& body, long long* version) {
  value v;
  try {
    v = value::parse(body);
  } catch (const std::exception&) {
    throw InvalidArgument("the body must be a JSON object", "body");
  }
  if (!v.is_object()) {
    throw InvalidArgument("the body must be a JSON object", "body");
  }
  IntegrationSettings s;
  for (const auto& [key, field] : v.as_object()) {
    if (key == "version") {
      if (!field.is_number() || !field.as_number().is_int64() || field.as_number().to_int64() < 0) {
        throw InvalidArgument("version must be the number read before", "version");
      }
      *version = field.as_number().to_int64();
    } else if (key == "responsible_is_last_handler") {
      if (!field.is_boolean()) {
        throw InvalidArgument(key + " must be true or false", key);
      }
      s.responsible_is_last_handler = field.as_bool();
    } else if (key == "missed_in_ivr_extension" || key == "missed_in_group_extension" ||
               key == "catch_all_user_id") {
      if (!field.is_string()) {
        throw InvalidArgument(key + " must be a string", key);
      }
      (key == "missed_in_ivr_extension"     ? s.missed_in_ivr_extension
       : key == "missed_in_group_extension" ? s.missed_in_group_extension
                                            : s.catch_all_user_id) = field.as_string();
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

}  // namespace

IntegrationSettings LoadIntegrationSettings(storage::Session& s, const std::string& tenant_id) {
  auto row = storage::IntegrationSettingsRepository::Find(s, tenant_id);
  if (!row) {
    return IntegrationSettings{};
  }
  IntegrationSettings settings = Decode(row->json);
  settings.version = row->version;
  return settings;
}

void AddIntegrationSettingsRoutes(
    http::Router& router, storage::Database& db, const Clock& clock,
    settings::SettingsService& settings,
    std::function<crypto::SessionClaims(const http::Request&)> authenticate) {
  router.Add("GET", "/api/settings/integration",
             [&db, &settings, authenticate](http::Request& req) {
               const crypto::SessionClaims claims = authenticate(req);
               settings.AuthorizeRead(claims.tenant_id, claims.user_id);
               IntegrationSettings settings;
               storage::WithSession(db, [&](storage::Session& s) {
                 settings = LoadIntegrationSettings(s, claims.tenant_id);
               });
               return http::Response::Json(200, Reply(settings));
             });

  router.Add(
      "PUT", "/api/settings/integration",
      [&db, &clock, &settings, authenticate](http::Request& req) {
        const crypto::SessionClaims claims = authenticate(req);
        settings.AuthorizeManager(claims.tenant_id, claims.user_id);
        long long version = -1;
        IntegrationSettings wanted = ParseBody(req.body, &version);
        IntegrationSettings saved;
        storage::InTransaction(db, [&](storage::Session& s) {
          settings::RequireSettingsManager(s, claims.tenant_id, claims.user_id);
          const IntegrationSettings before = LoadIntegrationSettings(s, claims.tenant_id);
          const long long next = storage::IntegrationSettingsRepository::Save(
              s, claims.tenant_id, Encode(wanted), version, clock.NowMs());
          if (next == 0) {
            throw Conflict("the settings were changed by someone else (now version " +
                           std::to_string(before.version) + "); reload and try again");
          }
          AuditEntry audit =
              MakeAuditEntry(claims.tenant_id, "user:" + claims.user_id, "integration.update",
                             "integration_settings", claims.tenant_id, clock.NowMs());
          audit.before_json = Encode(before);
          audit.after_json = Encode(wanted);
          storage::AuditLogRepository::Append(s, audit);
          saved = wanted;
          saved.version = next;
        });
        return http::Response::Json(200, Reply(saved));
      },
      http::RouteOptions{8 * 1024});
}

}  // namespace opdesk::mango
