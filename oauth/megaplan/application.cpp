#include "oauth/megaplan/application.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <optional>

#include "adapters/json_read.h"
#include "adapters/megaplan/api_client.h"
#include "adapters/url_policy.h"
#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/storage/megaplan_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/crypto.h"
#include "oauth/secret_box.h"

namespace opdesk::megaplan {
namespace {

// A token with less than this left is refused: it would end before anything could use it.
constexpr EpochMs kMinimumLifetimeMs = 60 * 1000;
constexpr std::size_t kMaxFieldBytes = 1024;

bool AllDigits(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::string Lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

// Whether the API on `base_url` accepts `token`: PermissionDenied when it refuses it.
void ProveToken(adapters::HttpTransport& http, const std::string& base_url,
                const std::string& token, const std::string& field, std::string* employee_id) {
  try {
    const web::json::value me =
        GetWithToken(http, base_url, token, "currentUser", web::json::value::null());
    if (employee_id != nullptr && me.has_field("data") && me.at("data").is_object()) {
      *employee_id = adapters::JsonIdText(me.at("data"), "id");
    }
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kUnauthenticated || e.code() == ErrorCode::kPermissionDenied) {
      throw PermissionDenied("the account at " + field +
                             " does not accept this applicationToken; the launch is not from it");
    }
    if (e.code() == ErrorCode::kNotFound || e.code() == ErrorCode::kInvalidArgument) {
      throw PermissionDenied("the host in " + field + " does not answer as a Megaplan account");
    }
    throw Unavailable("the Megaplan account at " + field + " cannot be reached: " + e.what());
  }
}

}  // namespace

EpochMs ParseExpirationTime(const std::string& text) {
  if (AllDigits(text) && text.size() <= 16) {
    const long long n = std::stoll(text);
    // 13 digits and more are milliseconds (seconds reach 13 digits only after the year 33658).
    return text.size() >= 13 ? n : n * 1000;
  }
  // ISO 8601: YYYY-MM-DDTHH:MM:SS with an optional fraction and Z or ±HH:MM.
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  int consumed = 0;
  if (text.size() < 19 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
                  &consumed) != 6 ||
      mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    throw InvalidArgument("expirationTime is neither a Unix time nor an ISO 8601 date",
                          "expirationTime");
  }
  std::size_t pos = static_cast<std::size_t>(consumed);
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      ++pos;
    }
  }
  long long offset_s = 0;
  const std::string zone = text.substr(pos);
  if (zone == "Z" || zone.empty()) {
    // No zone: taken as UTC (Megaplan's own zone is unknown here).
  } else if ((zone[0] == '+' || zone[0] == '-') && zone.size() == 6 && zone[3] == ':' &&
             AllDigits(zone.substr(1, 2)) && AllDigits(zone.substr(4, 2))) {
    offset_s = std::stoll(zone.substr(1, 2)) * 3600 + std::stoll(zone.substr(4, 2)) * 60;
    if (zone[0] == '-') {
      offset_s = -offset_s;
    }
  } else {
    throw InvalidArgument("expirationTime has an unknown time zone", "expirationTime");
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return (static_cast<long long>(timegm(&tm)) - offset_s) * 1000;
}

void CheckMegaplanHost(const std::string& host, const std::vector<std::string>& domains,
                       const std::string& field) {
  if (host.empty()) {
    throw InvalidArgument(field + " is required", field);
  }
  if (host.size() > 253 || host.find_first_of("/?#@\\ ") != std::string::npos) {
    throw InvalidArgument(field + " must be a host name, without scheme or path", field);
  }
  const std::string name = Lower(host.substr(0, host.rfind(':')));
  const std::string bare = host.find(':') == std::string::npos ? Lower(host) : name;
  for (const std::string& domain : domains) {
    const std::string d = Lower(domain);
    if (d.empty()) {
      continue;
    }
    if (bare == d || (bare.size() > d.size() + 1 && bare.ends_with("." + d) &&
                      !std::isdigit(static_cast<unsigned char>(d.back())))) {
      return;
    }
  }
  throw InvalidArgument(field + " is not a Megaplan account's host", field);
}

ApplicationResult ConnectApplication(storage::Database& db, const crypto::SecretBox& box,
                                     const Clock& clock, adapters::HttpTransport& http,
                                     const ApplicationOptions& options,
                                     const ApplicationLaunch& launch) {
  if (options.application_uuid.empty()) {
    throw NotFound(
        "opdesk is not set up as a Megaplan application (megaplan.application_uuid is empty)");
  }
  const std::pair<const char*, const std::string*> fields[] = {
      {"accountId", &launch.account_id},
      {"uniqueAccountId", &launch.unique_account_id},
      {"applicationToken", &launch.application_token},
      {"expirationTime", &launch.expiration_time},
      {"applicationUuid", &launch.application_uuid},
      {"permanentHost", &launch.permanent_host},
      {"userSign", &launch.user_sign}};
  for (const auto& [name, value] : fields) {
    if (value->empty()) {
      throw InvalidArgument(std::string(name) + " is required", name);
    }
    if (value->size() > kMaxFieldBytes) {
      throw InvalidArgument(std::string(name) + " is too long", name);
    }
  }
  if (!crypto::ConstantTimeEquals(launch.application_uuid, options.application_uuid)) {
    throw PermissionDenied("applicationUuid names another application than opdesk");
  }
  const EpochMs now = clock.NowMs();
  const EpochMs expires_at = ParseExpirationTime(launch.expiration_time);
  if (expires_at <= now + kMinimumLifetimeMs) {
    throw Unauthenticated(
        "the applicationToken has expired (expirationTime is past); open the "
        "application in Megaplan again");
  }
  // Both hosts are the request's data: each must be a Megaplan host that the outbound policy
  // admits before opdesk sends the token anywhere.
  CheckMegaplanHost(launch.account_id, options.host_domains, "accountId");
  CheckMegaplanHost(launch.permanent_host, options.host_domains, "permanentHost");
  const std::string scheme = options.allow_insecure ? "http://" : "https://";
  ApplicationResult result;
  std::string permanent_host;
  std::string account_host;
  std::string base_url;
  try {
    base_url =
        NormalizeBaseUrl(scheme + launch.permanent_host, options.allow_insecure, &permanent_host);
  } catch (const Error& e) {
    throw InvalidArgument(std::string("permanentHost is not allowed: ") + e.what(),
                          "permanentHost");
  }
  std::string account_url;
  try {
    account_url =
        NormalizeBaseUrl(scheme + launch.account_id, options.allow_insecure, &account_host);
  } catch (const Error& e) {
    throw InvalidArgument(std::string("accountId is not allowed: ") + e.what(), "accountId");
  }

  // Known account: the same unique id as before (the tenant may have been made by a password
  // sign-in with either host, which has no unique id yet).
  std::optional<MegaplanAccount> known;
  storage::WithSession(db, [&](storage::Session& s) {
    known = storage::MegaplanAccountRepository::FindByApplication(s, account_host, "");
    if (!known) {
      known = storage::MegaplanAccountRepository::FindByApplication(s, permanent_host, "");
    }
  });
  if (known && !known->unique_account_id.empty() &&
      known->unique_account_id != launch.unique_account_id) {
    throw PermissionDenied("uniqueAccountId does not match the account connected at " +
                           account_host);
  }

  std::string employee_id;
  ProveToken(http, base_url, launch.application_token, "permanentHost", &employee_id);
  if (account_url != base_url) {
    ProveToken(http, account_url, launch.application_token, "accountId", nullptr);
  }

  result.host = known ? known->host : account_host;
  result.tenant_id = known ? known->tenant_id : TenantIdOf(account_host);
  result.base_url = base_url;
  result.token_expires_at_ms = expires_at;
  result.reconnected = known.has_value();

  MegaplanAccount account;
  account.tenant_id = result.tenant_id;
  account.host = result.host;
  account.base_url = base_url;
  account.login = known ? known->login : "";
  // The service user of a password sign-in stays the default responsible; otherwise the
  // employee the application token acts as.
  account.employee_id = known && !known->employee_id.empty() ? known->employee_id : employee_id;
  account.token_sealed = box.Seal(launch.application_token, TokenAssociatedData(result.tenant_id));
  account.token_expires_at_ms = expires_at;
  account.state = "connected";
  account.account_host = account_host;
  account.unique_account_id = launch.unique_account_id;
  account.created_at_ms = now;
  account.updated_at_ms = now;
  storage::InTransaction(db, [&](storage::Session& s) {
    if (!storage::TenantRepository::Find(s, result.tenant_id)) {
      Tenant t;
      t.id = result.tenant_id;
      t.kind = TenantKind::kMegaplan;
      t.domain = result.host;
      t.created_at_ms = now;
      t.updated_at_ms = now;
      storage::TenantRepository::Upsert(s, t);
    }
    storage::MegaplanAccountRepository::SaveApplication(s, account);
    AuditEntry audit =
        MakeAuditEntry(result.tenant_id, "megaplan-application", "megaplan.application_launch",
                       "megaplan_account", result.tenant_id, now);
    audit.after_json =
        "{\"account_host\":" + web::json::value::string(account_host).serialize() +
        ",\"permanent_host\":" + web::json::value::string(permanent_host).serialize() + "}";
    storage::AuditLogRepository::Append(s, audit);
  });
  spdlog::info("event=megaplan_application_connected tenant={} reconnected={} expires_at_ms={}",
               LogValue(result.tenant_id), result.reconnected, expires_at);
  return result;
}

}  // namespace opdesk::megaplan
