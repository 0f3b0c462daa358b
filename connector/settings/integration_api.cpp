#include "connector/settings/integration_api.h"

#include <cpprest/json.h>
#include <set>

#include "connector/calls/integration_settings.h"
#include "connector/domain/error.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/repositories.h"

namespace opdesk::mango {
namespace {

using web::json::value;

std::set<std::string> StatusIds(const value& statuses) {
  std::set<std::string> ids;
  if (statuses.is_array()) {
    for (const value& s : statuses.as_array()) {
      if (s.has_field("STATUS_ID") && s.at("STATUS_ID").is_string()) {
        ids.insert(s.at("STATUS_ID").as_string());
      }
    }
  }
  return ids;
}

// Sources, pipeline and stage must exist in the portal: a code the CRM does not know would be
// dropped or refused later, far from the page where it was chosen. One batch request, only when
// one of them changed.
void CheckAgainstPortal(bitrix24::RestClient& rest, const std::string& tenant_id,
                        const IntegrationSettings& wanted, const IntegrationSettings& before) {
  std::set<std::string> new_sources;
  for (const auto& [line, source] : wanted.crm_source_by_line) {
    auto was = before.crm_source_by_line.find(line);
    if (was == before.crm_source_by_line.end() || was->second != source) {
      new_sources.insert(source);
    }
  }
  const bool deal_changed = wanted.deal_category_id != before.deal_category_id ||
                            wanted.deal_stage_id != before.deal_stage_id;
  const bool check_deal =
      deal_changed && (wanted.deal_category_id != "0" || !wanted.deal_stage_id.empty());
  if (new_sources.empty() && !check_deal) {
    return;
  }
  std::vector<std::pair<std::string, std::string>> commands;
  if (!new_sources.empty()) {
    value p = value::object();
    p["filter"]["ENTITY_ID"] = value::string("SOURCE");
    commands.emplace_back("sources", bitrix24::RestClient::BatchCommand("crm.status.list", p));
  }
  if (check_deal) {
    value c = value::object();
    c["entityTypeId"] = value::number(2);
    commands.emplace_back("categories", bitrix24::RestClient::BatchCommand("crm.category.list", c));
    value p = value::object();
    p["filter"]["ENTITY_ID"] = value::string(DealStageEntity(wanted.deal_category_id));
    commands.emplace_back("stages", bitrix24::RestClient::BatchCommand("crm.status.list", p));
  }
  bitrix24::CallOptions options;
  options.deadline = std::chrono::seconds(10);
  bitrix24::BatchResult result;
  try {
    result = rest.Batch(tenant_id, commands, false, options);
  } catch (const Error& e) {
    throw Unavailable(std::string("the portal could not be asked whether these sources and "
                                  "stages exist; nothing was changed (") +
                      e.what() + ")");
  }
  if (!result.errors.empty()) {
    throw Unavailable("the portal refused to list its sources or stages: " +
                      result.errors.begin()->second);
  }
  if (!new_sources.empty()) {
    const std::set<std::string> known = StatusIds(result.results()["sources"]);
    for (const auto& [line, source] : wanted.crm_source_by_line) {
      if (new_sources.count(source) && !known.count(source)) {
        throw InvalidArgument(
            "'" + source + "' (line " + line + ") is not a CRM source of the portal",
            "crm_source_by_line");
      }
    }
  }
  if (check_deal) {
    bool category_known = false;
    const value& categories = result.results()["categories"];
    if (categories.has_field("categories") && categories.at("categories").is_array()) {
      for (const value& c : categories.at("categories").as_array()) {
        const value& id = c.has_field("id") ? c.at("id") : value::null();
        const std::string text = id.is_string() ? id.as_string() : id.serialize();
        category_known = category_known || text == wanted.deal_category_id;
      }
    }
    if (!category_known) {
      throw InvalidArgument("pipeline " + wanted.deal_category_id + " does not exist in the portal",
                            "deal_category_id");
    }
    if (!wanted.deal_stage_id.empty() &&
        !StatusIds(result.results()["stages"]).count(wanted.deal_stage_id)) {
      throw InvalidArgument(
          "stage '" + wanted.deal_stage_id + "' is not in pipeline " + wanted.deal_category_id,
          "deal_stage_id");
    }
  }
}

}  // namespace

IntegrationSettings LoadIntegrationSettings(storage::Session& s, const std::string& tenant_id) {
  auto row = storage::IntegrationSettingsRepository::Find(s, tenant_id);
  if (!row) {
    return IntegrationSettings{};
  }
  IntegrationSettings settings = DecodeIntegrationSettings(row->json);
  settings.version = row->version;
  return settings;
}

void AddIntegrationSettingsRoutes(
    http::Router& router, storage::Database& db, const Clock& clock, bitrix24::RestClient& rest,
    settings::SettingsService& settings,
    std::function<crypto::SessionClaims(const http::Request&)> authenticate) {
  router.Add("GET", "/api/settings/integration",
             [&db, &settings, authenticate](http::Request& req) {
               const crypto::SessionClaims claims = authenticate(req);
               settings.AuthorizeRead(claims.tenant_id, claims.user_id);
               IntegrationSettings current;
               storage::WithSession(db, [&](storage::Session& s) {
                 current = LoadIntegrationSettings(s, claims.tenant_id);
               });
               return http::Response::Json(200, IntegrationSettingsReply(current));
             });

  router.Add(
      "PUT", "/api/settings/integration",
      [&db, &clock, &rest, &settings, authenticate](http::Request& req) {
        const crypto::SessionClaims claims = authenticate(req);
        settings.AuthorizeManager(claims.tenant_id, claims.user_id);
        long long version = -1;
        IntegrationSettings wanted = ParseIntegrationSettingsBody(req.body, &version);
        IntegrationSettings before;
        storage::WithSession(db, [&](storage::Session& s) {
          before = LoadIntegrationSettings(s, claims.tenant_id);
        });
        // Outside the transaction: a portal round trip must not hold database locks.
        CheckAgainstPortal(rest, claims.tenant_id, wanted, before);
        IntegrationSettings saved;
        storage::InTransaction(db, [&](storage::Session& s) {
          settings::RequireSettingsManager(s, claims.tenant_id, claims.user_id);
          const IntegrationSettings current = LoadIntegrationSettings(s, claims.tenant_id);
          const long long next = storage::IntegrationSettingsRepository::Save(
              s, claims.tenant_id, EncodeIntegrationSettings(wanted), version, clock.NowMs());
          if (next == 0) {
            throw Conflict("the settings were changed by someone else (now version " +
                           std::to_string(current.version) + "); reload and try again");
          }
          AuditEntry audit =
              MakeAuditEntry(claims.tenant_id, "user:" + claims.user_id, "integration.update",
                             "integration_settings", claims.tenant_id, clock.NowMs());
          audit.before_json = EncodeIntegrationSettings(current);
          audit.after_json = EncodeIntegrationSettings(wanted);
          storage::AuditLogRepository::Append(s, audit);
          saved = wanted;
          saved.version = next;
        });
        return http::Response::Json(200, IntegrationSettingsReply(saved));
      },
      http::RouteOptions{32 * 1024});
}

}  // namespace opdesk::mango
