#include "connector/app/tenant_commands.h"

#include <iostream>
#include <map>

#include "connector/calls/vpbx_connection.h"
#include "connector/domain/error.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/crypto.h"
#include "oauth/master_key.h"
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
    std::cout << "no tenants yet: install the app in a Bitrix24 portal first\n";
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
  long long calls = 0;
  storage::WithSession(*db, [&](storage::Session& s) {
    tenant = storage::TenantRepository::Find(s, id);
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
  throw InvalidArgument(
      "usage: opdesk tenant list | tenant show ID | tenant mango --tenant ID --api-key KEY "
      "--api-salt SALT",
      "tenant");
}

}  // namespace opdesk::app
