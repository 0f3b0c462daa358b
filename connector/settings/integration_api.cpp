#include "connector/settings/integration_api.h"

#include <algorithm>
#include <set>
#include <vector>

#include "connector/calls/integration_settings.h"
#include "connector/domain/error.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/repositories.h"

namespace opdesk::mango {
namespace {

// Sources, pipelines and stages must exist in the portal (and a lead be something it has): a code
// the CRM does not know would be dropped or refused later, far from the page where it was chosen.
// One request per changed pipeline (answered and missed calls each have one, B4), only when
// something changed.
struct DealPairCheck {
  std::string category;
  std::string stage;
  const char* category_field;
  const char* stage_field;
};

void CheckAgainstPortal(adapters::Crm& crm, const std::string& tenant_id,
                        const IntegrationSettings& wanted, const IntegrationSettings& before) {
  std::set<std::string> new_sources;
  for (const auto& [line, source] : wanted.crm_source_by_line) {
    auto was = before.crm_source_by_line.find(line);
    if (was == before.crm_source_by_line.end() || was->second != source) {
      new_sources.insert(source);
    }
  }
  std::vector<DealPairCheck> pairs;
  auto changed = [&](const std::string& category, const std::string& stage,
                     const std::string& was_category, const std::string& was_stage,
                     const char* category_field, const char* stage_field) {
    if ((category != was_category || stage != was_stage) && (category != "0" || !stage.empty())) {
      pairs.push_back({category, stage, category_field, stage_field});
    }
  };
  changed(wanted.deal_category_id, wanted.deal_stage_id, before.deal_category_id,
          before.deal_stage_id, "deal_category_id", "deal_stage_id");
  changed(wanted.missed_deal_category_id, wanted.missed_deal_stage_id,
          before.missed_deal_category_id, before.missed_deal_stage_id, "missed_deal_category_id",
          "missed_deal_stage_id");
  // A lead chosen now must be something the CRM has (Megaplan has none).
  const char* lead_field = nullptr;
  if (wanted.answered_new_number == calls::ClientAction::kLead &&
      before.answered_new_number != calls::ClientAction::kLead) {
    lead_field = "answered_new_number";
  } else if (wanted.missed_new_number == calls::ClientAction::kLead &&
             before.missed_new_number != calls::ClientAction::kLead) {
    lead_field = "missed_new_number";
  }
  if (new_sources.empty() && pairs.empty() && lead_field == nullptr) {
    return;
  }
  adapters::RequestOptions options;
  options.deadline = std::chrono::seconds(10);
  auto ask = [&](const adapters::ChoicesQuery& query) {
    try {
      return crm.ListChoices(tenant_id, query, options);
    } catch (const Error& e) {
      throw Unavailable(std::string("the portal could not be asked whether these sources and "
                                    "stages exist; nothing was changed (") +
                        e.what() + ")");
    }
  };
  std::size_t next_pair = 0;
  do {
    adapters::ChoicesQuery query;
    query.sources = !new_sources.empty();
    const DealPairCheck* pair = next_pair < pairs.size() ? &pairs[next_pair++] : nullptr;
    if (pair != nullptr) {
      query.pipeline = pair->category;
    }
    const adapters::CrmChoices choices = ask(query);
    if (lead_field != nullptr && !choices.leads) {
      throw InvalidArgument("this CRM has no leads; choose a client, or a client and a deal",
                            lead_field);
    }
    if (query.sources) {
      for (const auto& [line, source] : wanted.crm_source_by_line) {
        if (new_sources.count(source) && !choices.sources.count(source)) {
          throw InvalidArgument(
              "'" + source + "' (line " + line + ") is not a CRM source of the portal",
              "crm_source_by_line");
        }
      }
      new_sources.clear();
    }
    if (pair != nullptr) {
      const bool category_known = std::find(choices.pipelines.begin(), choices.pipelines.end(),
                                            pair->category) != choices.pipelines.end();
      if (!category_known) {
        throw InvalidArgument("pipeline " + pair->category + " does not exist in the portal",
                              pair->category_field);
      }
      if (!pair->stage.empty() && !choices.stages.count(pair->stage)) {
        throw InvalidArgument("stage '" + pair->stage + "' is not in pipeline " + pair->category,
                              pair->stage_field);
      }
    }
  } while (next_pair < pairs.size());
}

}  // namespace

void AddIntegrationSettingsRoutes(http::Router& router, storage::Database& db, const Clock& clock,
                                  adapters::Crm& crm) {
  router.Add("GET", "/api/settings/integration", http::Guard::kSeat,
             [&db](http::Request&, const http::Caller& caller) {
               IntegrationSettings current;
               storage::WithSession(db, [&](storage::Session& s) {
                 current = LoadIntegrationSettings(s, caller.tenant_id);
               });
               return http::Response::Json(200, IntegrationSettingsReply(current));
             });

  router.Add(
      "PUT", "/api/settings/integration", http::Guard::kSettingsManager,
      [&db, &clock, &crm](http::Request& req, const http::Caller& caller) {
        long long version = -1;
        IntegrationSettings wanted = ParseIntegrationSettingsBody(req.body, &version);
        IntegrationSettings before;
        storage::WithSession(db, [&](storage::Session& s) {
          before = LoadIntegrationSettings(s, caller.tenant_id);
        });
        // Outside the transaction: a portal round trip must not hold database locks.
        CheckAgainstPortal(crm, caller.tenant_id, wanted, before);
        IntegrationSettings saved;
        storage::InTransaction(db, [&](storage::Session& s) {
          settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
          const IntegrationSettings current = LoadIntegrationSettings(s, caller.tenant_id);
          const long long next = storage::IntegrationSettingsRepository::Save(
              s, caller.tenant_id, EncodeIntegrationSettings(wanted), version, clock.NowMs());
          if (next == 0) {
            throw Conflict("the settings were changed by someone else (now version " +
                               std::to_string(current.version) + "); reload and try again",
                           "version");
          }
          AuditEntry audit =
              MakeAuditEntry(caller.tenant_id, "user:" + caller.user_id, "integration.update",
                             "integration_settings", caller.tenant_id, clock.NowMs());
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
