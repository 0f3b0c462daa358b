#include "connector/app/tenant_commands.h"

#include <iostream>
#include <map>

#include <cpprest/json.h>

#include "adapters/http_transport.h"
#include "connector/calls/integration_settings.h"
#include "connector/calls/vpbx_connection.h"
#include "connector/domain/error.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/megaplan_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/crypto.h"
#include "oauth/master_key.h"
#include "oauth/megaplan/sign_in.h"
#include "oauth/secret_box.h"

namespace opdesk::app {
namespace {

// --flag value pairs; a flag without a value or an unknown flag is a usage error.
std::map<std::string, std::string> Flags(const std::vector<std::string>& args, std::size_t from,
                                         const std::vector<std::string>& allowed) {
  std::map<std::string, std::string> out;
  for (std::size_t i = from; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (std::find(allowed.begin(), allowed.end(), a) == allowed.end() || i + 1 >= args.size()) {
      throw InvalidArgument("unexpected argument '" + a + "'", a);
    }
    out[a] = args[++i];
  }
  return out;
}

std::unique_ptr<storage::Database> Open(const Config& config) {
  storage::DatabaseOptions options;
  options.url = config.database.url;
  options.pool_size = 1;
  return std::make_unique<storage::Database>(options);
}

std::string WebhookBase(const Config& config, const std::string& tenant_key) {
  return mango::WebhookBaseUrl(config.public_url, tenant_key);
}

int List(const Config& config) {
  auto db = Open(config);
  std::vector<Tenant> tenants;
  storage::WithSession(*db,
                       [&](storage::Session& s) { tenants = storage::TenantRepository::List(s); });
  if (tenants.empty()) {
    std::cout << "no tenants yet: install the app in a Bitrix24 portal or run opdesk tenant "
                 "megaplan first\n";
  }
  for (const Tenant& t : tenants) {
    std::cout << t.id << "\t" << ToString(t.kind) << "\t" << t.domain << "\t" << t.status << "\t"
              << t.plan << "\n";
  }
  return 0;
}

int Show(const Config& config, const std::string& id) {
  auto db = Open(config);
  std::optional<Tenant> tenant;
  std::optional<B24Portal> portal;
  std::optional<MangoConnection> mango;
  std::optional<MegaplanAccount> megaplan;
  long long calls = 0;
  storage::WithSession(*db, [&](storage::Session& s) {
    tenant = storage::TenantRepository::Find(s, id);
    megaplan = storage::MegaplanAccountRepository::Find(s, id);
    portal = storage::B24PortalRepository::Find(s, id);
    mango = storage::MangoConnectionRepository::FindByTenant(s, id);
    calls = storage::CallRepository::CountByTenant(s, id);
  });
  if (!tenant) {
    std::cerr << "opdesk tenant show: no tenant '" << id << "'\n";
    return 1;
  }
  std::cout << "tenant:      " << tenant->id << " (" << ToString(tenant->kind) << ")\n"
            << "domain:      " << tenant->domain << "\n"
            << "plan:        " << tenant->plan << "\n";
  if (portal) {
    std::cout << "bitrix24:    " << portal->state
              << (portal->needs_reauth ? ", needs re-authorization" : "") << ", budget "
              << portal->rate_per_s << "/s burst " << portal->burst << "\n";
  }
  if (megaplan) {
    SystemClock clock;
    const bool expired = megaplan->token_expires_at_ms <= clock.NowMs();
    std::cout << "megaplan:    " << megaplan->base_url << " as " << megaplan->login << ", "
              << (megaplan->state == "refused" ? "token refused: sign in again"
                  : expired                    ? "token expired: sign in again"
                                               : "connected, token for " +
                                  std::to_string((megaplan->token_expires_at_ms - clock.NowMs()) /
                                                 3'600'000) +
                                  " h more")
              << "\n";
  }
  if (mango) {
    std::cout << "mango vpbx:  " << mango->api_key << "\n"
              << "webhook URL: " << WebhookBase(config, mango->tenant_key) << "\n";
  } else {
    std::cout << "mango vpbx:  not connected (opdesk tenant mango --tenant " << id
              << " --api-key KEY --api-salt SALT)\n";
  }
  std::cout << "calls:       " << calls << "\n";
  return 0;
}

int ConnectMango(const Config& config, const std::map<std::string, std::string>& flags) {
  for (const char* required : {"--tenant", "--api-key", "--api-salt"}) {
    if (!flags.count(required) || flags.at(required).empty()) {
      throw InvalidArgument(std::string(required) + " is required", required);
    }
  }
  const std::string& tenant_id = flags.at("--tenant");
  const crypto::MasterKeys keys =
      crypto::LoadMasterKeys(config.crypto.master_key_file, config.crypto.old_master_key_files);
  const crypto::SecretBox box(keys.current, keys.older);
  auto db = Open(config);
  SystemClock clock;
  mango::VpbxConnectResult connected;
  storage::InTransaction(*db, [&](storage::Session& s) {
    connected = mango::ConnectVpbx(s, box, tenant_id, flags.at("--api-key"), flags.at("--api-salt"),
                                   "vendor", clock.NowMs(),
                                   config.mango.directory_refresh_seconds * 1000LL);
  });
  std::cout << (connected.reconnected ? "Mango VPBX reconnected" : "Mango VPBX connected")
            << " to tenant " << tenant_id
            << ".\nEnter this address as «Адрес внешней системы» in the Mango "
            << "account (Интеграции → API коннектор):\n  "
            << WebhookBase(config, connected.connection.tenant_key) << "\n";
  return 0;
}

// `tenant megaplan --url URL --login L --password P`: signs in with the service user's password
// (API v3 password grant), seals the token and creates or updates the tenant "megaplan:<host>".
// The password is used once and never stored; a refused one stores nothing (exit 1).
int ConnectMegaplan(const Config& config, const std::map<std::string, std::string>& flags) {
  for (const char* required : {"--url", "--login", "--password"}) {
    if (!flags.count(required) || flags.at(required).empty()) {
      throw InvalidArgument(std::string(required) + " is required", required);
    }
  }
  const crypto::MasterKeys keys =
      crypto::LoadMasterKeys(config.crypto.master_key_file, config.crypto.old_master_key_files);
  const crypto::SecretBox box(keys.current, keys.older);
  auto db = Open(config);
  SystemClock clock;
  adapters::HttpTransport http({config.allow_insecure_endpoints, 4, "opdesk"});
  const megaplan::SignInResult result =
      megaplan::SignIn(*db, box, clock, http, config.allow_insecure_endpoints,
                       {flags.at("--url"), flags.at("--login"), flags.at("--password"), "cli"});
  const long long hours = (result.token_expires_at_ms - clock.NowMs()) / 3'600'000;
  std::cout << (result.reconnected ? "Megaplan account signed in again: "
                                   : "Megaplan account connected: ")
            << result.tenant_id << "\n"
            << "service user: " << flags.at("--login")
            << (result.employee_id.empty() ? "" : " (employee " + result.employee_id + ")")
            << "\ntoken valid for " << hours
            << " h; sign in again before it ends (the password is not stored).\n";
  if (!result.reconnected) {
    std::cout << "Next: opdesk tenant mango --tenant " << result.tenant_id
              << " --api-key KEY --api-salt SALT\n";
  }
  return 0;
}

// `tenant integration --tenant ID [--set KEY=VALUE ...]`: prints the integration settings as one
// JSON line; with --set, changes those keys through the settings API's own strict reading
// (unknown key or bad value: exit 2 naming it, nothing changed) and writes the same audit entry.
// VALUE is JSON when it reads as JSON (true, 5, {"74950000000":7}), else a string.
int Integration(const Config& config, const std::vector<std::string>& args) {
  std::string tenant_id;
  std::vector<std::pair<std::string, std::string>> changes;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "--tenant" || a == "--set") && i + 1 < args.size()) {
      const std::string& value = args[++i];
      if (a == "--tenant") {
        tenant_id = value;
        continue;
      }
      const auto eq = value.find('=');
      if (eq == std::string::npos || eq == 0) {
        throw InvalidArgument("--set takes KEY=VALUE, got '" + value + "'", "--set");
      }
      changes.emplace_back(value.substr(0, eq), value.substr(eq + 1));
      continue;
    }
    throw InvalidArgument("unexpected argument '" + a + "'", a);
  }
  if (tenant_id.empty()) {
    throw InvalidArgument("--tenant is required", "--tenant");
  }
  auto db = Open(config);
  SystemClock clock;
  bool exists = false;
  IntegrationSettings current;
  storage::WithSession(*db, [&](storage::Session& s) {
    exists = storage::TenantRepository::Find(s, tenant_id).has_value();
    current = mango::LoadIntegrationSettings(s, tenant_id);
  });
  if (!exists) {
    throw NotFound("no tenant " + tenant_id);
  }
  if (changes.empty()) {
    std::cout << mango::IntegrationSettingsReply(current) << "\n";
    return 0;
  }
  web::json::value body = web::json::value::parse(mango::EncodeIntegrationSettings(current));
  for (const auto& [key, text] : changes) {
    web::json::value value;
    try {
      value = web::json::value::parse(text);
    } catch (const std::exception&) {
      value = web::json::value::string(text);
    }
    body[key] = value;
  }
  body["version"] = web::json::value::number(static_cast<int64_t>(current.version));
  long long version = -1;
  const IntegrationSettings wanted =
      mango::ParseIntegrationSettingsBody(body.serialize(), &version);
  IntegrationSettings saved = wanted;
  storage::InTransaction(*db, [&](storage::Session& s) {
    const long long next = storage::IntegrationSettingsRepository::Save(
        s, tenant_id, mango::EncodeIntegrationSettings(wanted), version, clock.NowMs());
    if (next == 0) {
      throw Conflict("the settings were changed meanwhile; run the command again");
    }
    AuditEntry audit = MakeAuditEntry(tenant_id, "cli", "integration.update",
                                      "integration_settings", tenant_id, clock.NowMs());
    audit.before_json = mango::EncodeIntegrationSettings(current);
    audit.after_json = mango::EncodeIntegrationSettings(wanted);
    storage::AuditLogRepository::Append(s, audit);
    saved.version = next;
  });
  std::cout << mango::IntegrationSettingsReply(saved) << "\n";
  return 0;
}

}  // namespace

int RunTenantCommand(const Config& config, const std::vector<std::string>& args) {
  const std::string sub = args.empty() ? "" : args[0];
  if (sub == "list" && args.size() == 1) {
    return List(config);
  }
  if (sub == "show" && args.size() == 2) {
    return Show(config, args[1]);
  }
  if (sub == "mango") {
    return ConnectMango(config, Flags(args, 1, {"--tenant", "--api-key", "--api-salt"}));
  }
  if (sub == "integration") {
    return Integration(config, args);
  }
  if (sub == "megaplan") {
    return ConnectMegaplan(config, Flags(args, 1, {"--url", "--login", "--password"}));
  }
  throw InvalidArgument(
      "usage: opdesk tenant list | tenant show ID | tenant mango --tenant ID --api-key KEY "
      "--api-salt SALT | tenant megaplan --url URL --login L --password P | tenant integration "
      "--tenant ID [--set KEY=VALUE ...]",
      "tenant");
}

}  // namespace opdesk::app
