// The table of config keys: type, default, range, validator, where the value goes, help text.
#include <limits>

#include "connector/app/config_detail.h"

namespace opdesk::app::config_detail {
namespace {

template <const std::string_view* kChoices, size_t kCount>
void ValidateChoice(Value& value) {
  std::string& text = Str(value);
  // Lower-cased because LOG_LEVEL=INFO is a common habit and there is no ambiguity.
  text = ToLower(text);
  std::string listed;
  for (size_t i = 0; i < kCount; ++i) {
    if (text == kChoices[i]) {
      return;
    }
    listed += (i == 0 ? "" : ", ") + std::string(kChoices[i]);
  }
  throw BadValue{"must be one of " + listed + ", got '" + text + "'"};
}

constexpr std::string_view kLogLevels[] = {"trace", "debug",    "info", "warn",
                                           "error", "critical", "off"};
constexpr std::string_view kLogFormats[] = {"text", "json"};

// ---- the key table ----------------------------------------------------------------------------

constexpr long long kIntMax = std::numeric_limits<int>::max();

// Order matters twice: it is the order of --help and docs, and data_dir must come before the keys
// whose defaults derive from it.
constexpr KeyDef kKeys[] = {
    {.path = "listen",
     .type = KeyType::kString,
     .default_value = "127.0.0.1:8080",
     .validate = ValidateListen,
     .assign = [](Config& c, Value&& v) { c.listen = ParseListen(Str(v)); },
     .help = "Address the HTTP server listens on, host:port (IPv6 as [addr]:port)."},
    {.path = "public_url",
     .type = KeyType::kString,
     .default_value = "http://127.0.0.1:8080",
     .validate = ValidatePublicUrl,
     .assign = [](Config& c, Value&& v) { c.public_url = std::move(Str(v)); },
     .help = "Base URL under which Bitrix24 and Mango reach this service (http:// or https://)."},
    {.path = "data_dir",
     .type = KeyType::kString,
     .default_value = "./var",
     .validate = ValidateNonEmpty,
     .assign = [](Config& c, Value&& v) { c.data_dir = std::move(Str(v)); },
     .help = "Directory for local state: the SQLite database and the master key by default."},
    {.path = "database.url",
     .type = KeyType::kString,
     .derive =
         [](std::string_view data_dir) { return "sqlite://" + JoinPath(data_dir, "opdesk.db"); },
     .validate = ValidateDatabaseUrl,
     .assign = [](Config& c, Value&& v) { c.database.url = std::move(Str(v)); },
     .help = "sqlite://PATH or mysql://user[:password]@host[:port]/db; default follows data_dir."},
    {.path = "database.pool_size",
     .type = KeyType::kInt,
     .default_value = "8",
     .min = 1,
     .max = 256,
     .assign = [](Config& c, Value&& v) { c.database.pool_size = Int(v); },
     .help = "Number of database connections."},
    {.path = "crypto.master_key_file",
     .type = KeyType::kString,
     .derive = [](std::string_view data_dir) { return JoinPath(data_dir, "master.key"); },
     .validate = ValidateNonEmpty,
     .assign = [](Config& c, Value&& v) { c.crypto.master_key_file = std::move(Str(v)); },
     .help = "File holding the key that encrypts stored secrets; default follows data_dir."},
    {.path = "bitrix24.client_id",
     .type = KeyType::kString,
     .default_value = "",
     .assign = [](Config& c, Value&& v) { c.bitrix24.client_id = std::move(Str(v)); },
     .help = "OAuth client id of the Bitrix24 application."},
    {.path = "bitrix24.client_secret",
     .type = KeyType::kString,
     .default_value = "",
     .assign = [](Config& c, Value&& v) { c.bitrix24.client_secret = std::move(Str(v)); },
     .help = "OAuth client secret of the Bitrix24 application."},
    {.path = "bitrix24.oauth_url",
     .type = KeyType::kString,
     .default_value = "https://oauth.bitrix.info/",
     .validate = ValidateMangoUrl,
     .assign = [](Config& c, Value&& v) { c.bitrix24.oauth_url = std::move(Str(v)); },
     .help = "Bitrix24's OAuth server, the only place the client secret and refresh tokens are "
             "sent (https://oauth.bitrix24.tech/ for the Russian region); never taken from a "
             "request."},
    {.path = "bitrix24.frame_sdk_url",
     .type = KeyType::kString,
     .default_value = "https://api.bitrix24.com/api/v1/",
     .validate = ValidateFrameSdkUrl,
     .assign = [](Config& c, Value&& v) { c.bitrix24.frame_sdk_url = std::move(Str(v)); },
     .help = "Bitrix24's frame SDK (BX24.js), loaded by the install page and by the call card "
             "inside a portal; the card's CSP allows its origin."},
    {.path = "bitrix24.uninstall_purge_after_ms",
     .type = KeyType::kInt,
     .default_value = "120000",
     .min = 1000,
     .max = 86'400'000,
     .assign = [](Config& c, Value&& v) { c.bitrix24.uninstall_purge_after_ms = Int(v); },
     .help = "After a clean uninstall (the administrator asked for the data to go), the portal's"
             " data is deleted once more this long after the first delete: rows that work"
             " already under way wrote meanwhile go too. Skipped if the app was installed again."},
    {.path = "megaplan.application_uuid",
     .type = KeyType::kString,
     .default_value = "",
     .assign = [](Config& c, Value&& v) { c.megaplan.application_uuid = std::move(Str(v)); },
     .help = "The uuid of opdesk's application in Megaplan's marketplace; launches and entity "
             "events must name it. Empty: the application routes refuse everything."},
    {.path = "megaplan.application_host_domains",
     .type = KeyType::kList,
     .default_value = "megaplan.ru",
     .assign =
         [](Config& c, Value&& v) {
           c.megaplan.application_host_domains = std::move(std::get<std::vector<std::string>>(v));
         },
     .help = "Domains (comma-separated) a Megaplan application launch's accountId and "
             "permanentHost must belong to before opdesk sends the token there."},
    {.path = "mango.api_url",
     .type = KeyType::kString,
     .default_value = "https://app.mango-office.ru/vpbx/",
     .validate = ValidateMangoUrl,
     .assign = [](Config& c, Value&& v) { c.mango.api_url = std::move(Str(v)); },
     .help = "Base URL of the Mango Office VPBX API."},
    {.path = "ui.dist_dir",
     .type = KeyType::kString,
     .default_value = "",
     .assign = [](Config& c, Value&& v) { c.ui.dist_dir = std::move(Str(v)); },
     .help = "Directory of the built front end (settings-ui/dist); empty: ../share/opdesk/ui "
             "next to the binary, else the source tree's settings-ui/dist."},
    {.path = "mango.directory_refresh_seconds",
     .type = KeyType::kInt,
     .default_value = "300",
     .min = 10,
     .max = 86400,
     .assign = [](Config& c, Value&& v) { c.mango.directory_refresh_seconds = Int(v); },
     .help = "How often the VPBX's user directory is fetched to link extensions to portal users."},
    {.path = "allow_insecure_endpoints",
     .type = KeyType::kBool,
     .default_value = "false",
     .assign = [](Config& c, Value&& v) { c.allow_insecure_endpoints = std::get<bool>(v); },
     .help = "Allow plain-http or private-network peer endpoints (development only)."},
    {.path = "log.level",
     .type = KeyType::kString,
     .default_value = "info",
     .validate = ValidateChoice<kLogLevels, std::size(kLogLevels)>,
     .assign = [](Config& c, Value&& v) { c.log.level = std::move(Str(v)); },
     .help = "trace, debug, info, warn, error, critical or off."},
    {.path = "log.format",
     .type = KeyType::kString,
     .default_value = "text",
     .validate = ValidateChoice<kLogFormats, std::size(kLogFormats)>,
     .assign = [](Config& c, Value&& v) { c.log.format = std::move(Str(v)); },
     .help = "text or json (one object per line)."},
    {.path = "http.threads",
     .type = KeyType::kInt,
     .default_value = "4",
     .min = 1,
     .max = 64,
     .assign = [](Config& c, Value&& v) { c.http.threads = Int(v); },
     .help = "Size of the HTTP server's I/O thread pool."},
    {.path = "http.max_body_bytes",
     .type = KeyType::kInt,
     .default_value = "1048576",
     .min = 1024,
     .max = 67108864,
     .assign = [](Config& c, Value&& v) { c.http.max_body_bytes = Int(v); },
     .help = "Default limit on a request body, per route."},
    {.path = "jobs.workers",
     .type = KeyType::kInt,
     .default_value = "16",
     .min = 0,
     .max = 64,
     .assign = [](Config& c, Value&& v) { c.jobs.workers = Int(v); },
     .help = "Outbox worker threads (mostly waiting on the CRM and the PBX); 0: none here."},
    {.path = "jobs.max_attempts",
     .type = KeyType::kInt,
     .default_value = "10",
     .min = 1,
     .max = 1000,
     .assign = [](Config& c, Value&& v) { c.jobs.max_attempts = Int(v); },
     .help = "Attempts before a job is dead-lettered."},
    {.path = "jobs.lease_seconds",
     .type = KeyType::kInt,
     .default_value = "3",
     .min = 1,
     .max = 3600,
     .assign = [](Config& c, Value&& v) { c.jobs.lease_seconds = Int(v); },
     .help = "How long a worker owns a claimed job without renewing it (renewed every third of"
             " it while the job runs); after a crash, its jobs are taken over this soon."},
    {.path = "jobs.poll_interval_ms",
     .type = KeyType::kInt,
     .default_value = "200",
     .min = 10,
     .max = 60000,
     .assign = [](Config& c, Value&& v) { c.jobs.poll_interval_ms = Int(v); },
     .help = "Pause between polls of an empty outbox."},
    {.path = "jobs.nice",
     .type = KeyType::kInt,
     .default_value = "5",
     .min = 0,
     .max = 19,
     .assign = [](Config& c, Value&& v) { c.jobs.nice = Int(v); },
     .help = "How far below the webhook threads the outbox's threads run (Linux nice): on"
             " saturated cores, acknowledging events comes first and the CRM work catches up;"
             " 0: equal."},
    {.path = "jobs.backoff_base_ms",
     .type = KeyType::kInt,
     .default_value = "1000",
     .min = 1,
     .max = 3600000,
     .assign = [](Config& c, Value&& v) { c.jobs.backoff_base_ms = Int(v); },
     .help = "First retry delay; later delays grow exponentially."},
    {.path = "jobs.backoff_max_ms",
     .type = KeyType::kInt,
     .default_value = "600000",
     .min = 1,
     .max = kIntMax,
     .assign = [](Config& c, Value&& v) { c.jobs.backoff_max_ms = Int(v); },
     .help = "Upper bound of the retry delay; at least jobs.backoff_base_ms."},
    {.path = "jobs.retention_hours",
     .type = KeyType::kInt,
     .default_value = "72",
     .min = 1,
     .max = 87600,
     .assign = [](Config& c, Value&& v) { c.jobs.retention_hours = Int(v); },
     .help = "How long finished jobs are kept."},
    {.path = "shutdown_timeout_seconds",
     .type = KeyType::kInt,
     .default_value = "10",
     .min = 1,
     .max = 300,
     .assign = [](Config& c, Value&& v) { c.shutdown_timeout_seconds = Int(v); },
     .help = "How long shutdown waits for requests and jobs in flight."},
    {.path = "admin.token",
     .type = KeyType::kString,
     .default_value = "",
     .validate = ValidateAdminToken,
     .assign = [](Config& c, Value&& v) { c.admin.token = std::move(Str(v)); },
     .help = "Bearer token of the vendor admin API (/api/admin/...); empty disables it."},
    {.path = "plans.free.max_users",
     .type = KeyType::kInt,
     .default_value = "2",
     .min = 1,
     .max = 100000,
     .assign = [](Config& c, Value&& v) { c.plans.free_max_users = Int(v); },
     .help = "Users who may hold a role on the free plan (and after a paid period ends)."},
    {.path = "plans.standard.max_users",
     .type = KeyType::kInt,
     .default_value = "7",
     .min = 1,
     .max = 100000,
     .assign = [](Config& c, Value&& v) { c.plans.standard_max_users = Int(v); },
     .help = "Users who may hold a role on the standard plan; at least plans.free.max_users."},
    {.path = "plans.check_interval_seconds",
     .type = KeyType::kInt,
     .default_value = "300",
     .min = 1,
     .max = 86400,
     .assign = [](Config& c, Value&& v) { c.plans.check_interval_seconds = Int(v); },
     .help = "How often ended paid periods are looked for (each access also checks)."},
    {.path = "campaigns.reminder_interval_seconds",
     .type = KeyType::kInt,
     .default_value = "30",
     .min = 1,
     .max = 3600,
     .assign = [](Config& c, Value&& v) { c.campaigns.reminder_interval_seconds = Int(v); },
     .help = "How often dialing tasks' callbacks whose time has come are looked for (each is "
             "notified to its operator once)."},
    {.path = "tariff.order_url",
     .type = KeyType::kString,
     .default_value = "",
     .validate = ValidateOrderUrl,
     .assign = [](Config& c, Value&& v) { c.tariff.order_url = std::move(Str(v)); },
     .help = "Where a portal orders the paid plan (https); the upgrade prompt links to it. Empty: "
             "no link."},
    {.path = "tariff.contacts",
     .type = KeyType::kString,
     .default_value = "",
     .validate = ValidateContacts,
     .assign = [](Config& c, Value&& v) { c.tariff.contacts = std::move(Str(v)); },
     .help = "How to reach the vendor about the paid plan (chat, phone, e-mail), shown on the "
             "upgrade prompt; up to 300 characters."},

    // ---- master key rotation and retention --------------------------------------------------
    {.path = "crypto.old_master_key_files",
     .type = KeyType::kList,
     .default_value = "",
     .validate = ValidateKeyFileList,
     .assign =
         [](Config& c, Value&& v) {
           c.crypto.old_master_key_files = std::move(std::get<std::vector<std::string>>(v));
         },
     .help = "Retired master key files (comma-separated), still used to open stored secrets and "
             "verify UI sessions made under them; only the current key seals and signs."},
    {.path = "jobs.dead_retention_days",
     .type = KeyType::kInt,
     .default_value = "14",
     .min = 1,
     .max = 3650,
     .assign = [](Config& c, Value&& v) { c.jobs.dead_retention_days = Int(v); },
     .help = "How long dead-lettered jobs are kept for inspection and retry."},
    {.path = "retention.events_days",
     .type = KeyType::kInt,
     .default_value = "30",
     .min = 1,
     .max = 3650,
     .assign = [](Config& c, Value&& v) { c.retention.events_days = Int(v); },
     .help = "How long received Bitrix24 and Mango events are kept (repeats within it are "
             "recognised and ignored)."},
};

}  // namespace

std::span<const KeyDef> Keys() {
  return kKeys;
}

const KeyDef* FindKey(std::string_view path) {
  for (const KeyDef& key : kKeys) {
    if (key.path == path) {
      return &key;
    }
  }
  return nullptr;
}

bool IsSection(std::string_view path) {
  for (const KeyDef& key : kKeys) {
    if (key.path.size() > path.size() && key.path.starts_with(path) &&
        key.path[path.size()] == '.') {
      return true;
    }
  }
  return false;
}

std::string_view TypeName(KeyType type) {
  switch (type) {
    case KeyType::kString:
      return "string";
    case KeyType::kInt:
      return "integer";
    case KeyType::kBool:
      return "boolean";
    case KeyType::kList:
      return "list";
  }
  return "?";
}

}  // namespace opdesk::app::config_detail
