// Service configuration: one optional JSON file plus OPDESK_* environment overrides.
// Every key is described once (path, type, default, help, validation) in config.cpp, so env
// names, defaults, `--help` text and checks cannot drift apart. Bad input throws
// opdesk::Error (kInvalidArgument) naming the key; main turns that into exit status 2.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace opdesk::app {

struct ListenAddress {
  // As written in `listen`; an IPv6 literal keeps its brackets ("[::1]") so it can be put into
  // a URL unchanged.
  std::string host;
  int port = 0;
};

// The parsed, validated configuration. ParseConfig fills every field; the defaults live in the
// key table (see ConfigKeys), not here, so there is exactly one place to change them.
struct Config {
  ListenAddress listen;
  std::string public_url;  // no trailing slash
  std::string data_dir;

  struct Database {
    std::string url;  // sqlite://PATH or mysql://user[:password]@host[:port]/db
    int pool_size = 0;
  } database;

  struct Crypto {
    std::string master_key_file;
    // Retired keys kept during a rotation: they open and verify, never seal or sign.
    std::vector<std::string> old_master_key_files;
  } crypto;

  struct Bitrix24 {
    std::string client_id;
    std::string client_secret;
    // The auth server: token exchanges go here and nowhere else (ends with '/').
    std::string oauth_url;
    // BX24.js: the install page calls installFinish through it, the call card's frame bridge
    // runs on it (its origin is the one foreign script source the card's CSP allows).
    std::string frame_sdk_url;
    // After a clean uninstall: when the portal's data is deleted a second time.
    long long uninstall_purge_after_ms = 120'000;
  } bitrix24;

  struct Megaplan {
    // opdesk's application in Megaplan's marketplace: launches and events must name it ("" off).
    std::string application_uuid;
    // Domains a launch's accountId and permanentHost must belong to.
    std::vector<std::string> application_host_domains;
  } megaplan;

  struct Mango {
    std::string api_url;  // always ends with '/'
    int directory_refresh_seconds = 0;
  } mango;

  struct Ui {
    // The built front end (settings-ui/dist). Empty: found at start next to the binary
    // (../share/opdesk/ui) or in the source tree it was built from (see ResolveUiDistDir).
    std::string dist_dir;
  } ui;

  bool allow_insecure_endpoints = false;

  struct Log {
    std::string level;   // trace, debug, info, warn, error, critical or off
    std::string format;  // text or json
  } log;

  struct Http {
    int threads = 0;
    int max_body_bytes = 0;
  } http;

  struct Jobs {
    int workers = 0;  // 0: this process runs no outbox workers
    int max_attempts = 0;
    int lease_seconds = 0;
    int poll_interval_ms = 0;
    int nice = 0;
    int backoff_base_ms = 0;
    int backoff_max_ms = 0;
    int retention_hours = 0;
    int dead_retention_days = 0;
  } jobs;

  struct Retention {
    int events_days = 0;  // stored inbound events (their presence dedupes redeliveries)
  } retention;

  int shutdown_timeout_seconds = 0;

  struct Admin {
    std::string token;  // empty: the vendor admin API is disabled
  } admin;

  // The tariff's plans (FEATURES E1): seats of the free and standard plans ("unlimited" has
  // none), and how often the end of paid periods is checked.
  struct Plans {
    int free_max_users = 0;
    int standard_max_users = 0;
    int check_interval_seconds = 0;
  } plans;

  // Dialing tasks (FEATURES F5): how often callbacks whose time has come are looked for.
  struct Campaigns {
    int reminder_interval_seconds = 0;
  } campaigns;

  // How a portal orders the paid plan: shown on the upgrade prompt of the Users page.
  struct Tariff {
    std::string order_url;  // https, or empty (no link)
    std::string contacts;   // free text: chat, phone, e-mail; may be empty
  } tariff;
};

// Parses the config file text (empty = no file) and applies the environment on top of it.
// `file_name` only appears in error messages. `env` maps variable names to values; variables not
// starting with OPDESK_ are ignored. Throws opdesk::Error whose field() is the offending key path
// (or the unknown variable's name).
Config ParseConfig(std::string_view file_text, std::string_view file_name,
                   const std::map<std::string, std::string>& env);

// Reads the file at `path` (none if empty) and calls ParseConfig.
Config LoadConfig(const std::string& path, const std::map<std::string, std::string>& env);

// A copy of this process's environment.
std::map<std::string, std::string> ProcessEnvironment();

struct KeyInfo {
  std::string path;           // "database.url"
  std::string env_name;       // "OPDESK_DATABASE_URL"
  std::string type;           // "string", "integer", "boolean" or "list"
  std::string default_value;  // as it would be written in the environment
  std::string help;
};

// Every config key in a stable order, for docs and `--help`.
const std::vector<KeyInfo>& ConfigKeys();

// The URL with any password replaced by "***", safe to log; sqlite URLs are returned unchanged.
std::string MaskDatabaseUrl(std::string_view url);

}  // namespace opdesk::app
