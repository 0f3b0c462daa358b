// The CRM catalog and the marketplace status, read from the CRM and cached per tenant: settings
// are checked against the cache, which is re-read when it is old, when asked, and once when a
// check fails on a cache older than a minute (a stage added in the CRM a moment ago).
#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/settings/codec.h"
#include "connector/settings/service.h"
#include "connector/storage/settings_repositories.h"

namespace opdesk::settings {
namespace {

constexpr const char* kCatalogKind = "catalog";
constexpr const char* kMarketplaceKind = "app_info";

Json MarketplaceJson(const MarketplaceStatus& m) {
  Json j = Json::object(true);
  j["status"] = Json::string(m.status);
  j["payment_expired"] = Json::boolean(m.payment_expired);
  j["days"] = Json::number(static_cast<int64_t>(m.days));
  j["license"] = Json::string(m.license);
  return j;
}

MarketplaceStatus MarketplaceFromJson(const Json& j, EpochMs fetched_at_ms) {
  MarketplaceStatus m;
  m.status = j.has_field("status") && j.at("status").is_string() ? j.at("status").as_string() : "";
  m.payment_expired = j.has_field("payment_expired") && j.at("payment_expired").is_boolean() &&
                      j.at("payment_expired").as_bool();
  m.days =
      j.has_field("days") && j.at("days").is_number() ? j.at("days").as_number().to_int64() : 0;
  m.license =
      j.has_field("license") && j.at("license").is_string() ? j.at("license").as_string() : "";
  m.fetched_at_ms = fetched_at_ms;
  return m;
}

}  // namespace

CrmCatalog SettingsService::RefreshCatalog(const std::string& tenant_id) {
  if (crm_ == nullptr) {
    throw Unavailable("no CRM is connected to read statuses and fields from");
  }
  CrmCatalog catalog = crm_->FetchCatalog(tenant_id);
  catalog.fetched_at_ms = clock_.NowMs();
  storage::InTransaction(db_, [&](storage::Session& s) {
    storage::CrmCacheRepository::Save(s, tenant_id, kCatalogKind, Encode(ToJson(catalog)),
                                      catalog.fetched_at_ms);
  });
  return catalog;
}

CrmCatalog SettingsService::Catalog(const std::string& tenant_id) {
  std::optional<storage::CrmCacheRepository::Entry> cached;
  storage::WithSession(db_, [&](storage::Session& s) {
    cached = storage::CrmCacheRepository::Find(s, tenant_id, kCatalogKind);
  });
  const bool fresh = cached && clock_.NowMs() - cached->fetched_at_ms < options_.catalog_ttl_ms;
  if (fresh || (cached && crm_ == nullptr)) {
    return CatalogFromJson(ParseStored(cached->body_json));
  }
  try {
    return RefreshCatalog(tenant_id);
  } catch (const Error& e) {
    if (!cached) {
      throw Unavailable(std::string("the CRM's statuses and fields could not be read: ") +
                        e.what());
    }
    spdlog::warn("event=crm_catalog_refresh_failed tenant={} error={}", tenant_id,
                 LogQuoted(e.what()));
    return CatalogFromJson(ParseStored(cached->body_json));
  }
}

std::optional<CrmCatalog> SettingsService::CachedCatalog(const std::string& tenant_id) {
  std::optional<storage::CrmCacheRepository::Entry> cached;
  storage::WithSession(db_, [&](storage::Session& s) {
    cached = storage::CrmCacheRepository::Find(s, tenant_id, kCatalogKind);
  });
  if (!cached) {
    return std::nullopt;
  }
  return CatalogFromJson(ParseStored(cached->body_json));
}

void SettingsService::CheckWithCatalog(const std::string& tenant_id,
                                       const std::function<void(const CrmCatalog&)>& check) {
  const CrmCatalog catalog = Catalog(tenant_id);
  try {
    check(catalog);
  } catch (const Error& e) {
    const bool old = clock_.NowMs() - catalog.fetched_at_ms >= options_.refresh_on_miss_after_ms;
    if (e.code() != ErrorCode::kInvalidArgument || crm_ == nullptr || !old) {
      throw;
    }
    check(RefreshCatalog(tenant_id));
  }
}

std::optional<MarketplaceStatus> SettingsService::Marketplace(const std::string& tenant_id,
                                                              bool refresh) {
  std::optional<storage::CrmCacheRepository::Entry> cached;
  storage::WithSession(db_, [&](storage::Session& s) {
    cached = storage::CrmCacheRepository::Find(s, tenant_id, kMarketplaceKind);
  });
  const bool stale =
      !cached || clock_.NowMs() - cached->fetched_at_ms >= options_.marketplace_ttl_ms;
  if (crm_ != nullptr && (refresh || stale)) {
    try {
      MarketplaceStatus m = crm_->FetchMarketplaceStatus(tenant_id);
      m.fetched_at_ms = clock_.NowMs();
      storage::InTransaction(db_, [&](storage::Session& s) {
        storage::CrmCacheRepository::Save(s, tenant_id, kMarketplaceKind,
                                          Encode(MarketplaceJson(m)), m.fetched_at_ms);
      });
      return m;
    } catch (const Error& e) {
      spdlog::warn("event=app_info_failed tenant={} error={}", tenant_id, LogQuoted(e.what()));
    }
  }
  if (!cached) {
    return std::nullopt;
  }
  return MarketplaceFromJson(ParseStored(cached->body_json), cached->fetched_at_ms);
}

}  // namespace opdesk::settings
