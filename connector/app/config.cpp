#include "connector/app/config.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <variant>

#include <cpprest/json.h>

#include "connector/domain/error.h"

namespace opdesk::app {
namespace {

namespace json = web::json;

enum class KeyType { kString, kInt, kBool, kList };

using Value = std::variant<std::string, long long, bool, std::vector<std::string>>;

// Thrown by converters and validators, which know what is wrong but not where the value came
// from; the caller adds that (file or environment variable) and turns it into opdesk::Error.
struct BadValue {
  std::string why;
};

// May normalize the value in place; throws BadValue.
using Validator = void (*)(Value& value);
using Assign = void (*)(Config& config, Value&& value);
// For defaults that live inside data_dir, so moving data_dir moves them too.
using DeriveDefault = std::string (*)(std::string_view data_dir);

struct KeyDef {
  std::string_view path;
  KeyType type = KeyType::kString;
  std::string_view default_value = {};  // as environment text; unused when `derive` is set
  DeriveDefault derive = nullptr;
  long long min = 0;  // integer keys only
  long long max = 0;
  Validator validate = nullptr;
  Assign assign = nullptr;
  std::string_view help = {};
};

constexpr std::string_view kEnvPrefix = "OPDESK_";
// main reads this one itself as the default for --config; it names no key.
constexpr std::string_view kConfigPathVariable = "OPDESK_CONFIG";
// The test harnesses keep their settings (database URLs, ports) in OPDESK_TEST_*; they share the
// prefix but are not service settings, so a test run must not trip the unknown-variable check.
constexpr std::string_view kTestVariablePrefix = "OPDESK_TEST_";

// ---- small string helpers -------------------------------------------------------------------

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) {
    return {};
  }
  const size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string joined(dir);
  while (joined.size() > 1 && joined.back() == '/') {
    joined.pop_back();
  }
  if (joined != "/") {
    joined += '/';
  }
  joined += name;
  return joined;
}

std::string EnvName(std::string_view path) {
  std::string name(kEnvPrefix);
  for (char c : path) {
    name += c == '.' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return name;
}

std::string& Str(Value& value) {
  return std::get<std::string>(value);
}
int Int(const Value& value) {
  return static_cast<int>(std::get<long long>(value));
}

// ---- validators -----------------------------------------------------------------------------

// A TCP port written as 1-65535 in decimal, nothing else.
std::optional<int> ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) {
    return std::nullopt;
  }
  int port = 0;
  for (char c : text) {
    if (!IsDigit(c)) {
      return std::nullopt;
    }
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

ListenAddress ParseListen(std::string_view text) {
  const std::string shown = "'" + std::string(text) + "'";
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) {
      throw BadValue{"unterminated '[' in " + shown};
    }
    const std::string_view address = text.substr(1, close - 1);
    if (address.empty() ||
        address.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos) {
      throw BadValue{"bad IPv6 address in " + shown};
    }
    host = text.substr(0, close + 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.starts_with(':')) {
      throw BadValue{"expected [address]:port, got " + shown};
    }
    port = rest.substr(1);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      throw BadValue{"expected host:port (for example 127.0.0.1:8080), got " + shown};
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      throw BadValue{"an IPv6 address must be in brackets (for example [::1]:8080), got " + shown};
    }
    if (host.empty()) {
      throw BadValue{"missing host in " + shown};
    }
    for (char c : host) {
      if (!IsAlnum(c) && c != '.' && c != '-') {
        throw BadValue{"bad host name in " + shown};
      }
    }
  }
  const std::optional<int> port_number = ParsePort(port);
  if (!port_number) {
    throw BadValue{"port must be a number from 1 to 65535, got " + shown};
  }
  return ListenAddress{std::string(host), *port_number};
}

void ValidateListen(Value& value) {
  ParseListen(Str(value));
}

// Checks http(s)://something and returns the length of the scheme part.
size_t CheckHttpUrl(std::string_view url) {
  size_t scheme = 0;
  if (url.starts_with("http://")) {
    scheme = 7;
  } else if (url.starts_with("https://")) {
    scheme = 8;
  } else {
    throw BadValue{"must start with http:// or https://, got '" + std::string(url) + "'"};
  }
  if (url.size() == scheme || url[scheme] == '/') {
    throw BadValue{"missing host in '" + std::string(url) + "'"};
  }
  if (url.find_first_of(" \t\r\n") != std::string_view::npos) {
    throw BadValue{"must not contain whitespace, got '" + std::string(url) + "'"};
  }
  return scheme;
}

// Stripped so that callers can append "/path" without producing "//path".
void ValidatePublicUrl(Value& value) {
  std::string& url = Str(value);
  CheckHttpUrl(url);
  while (url.ends_with('/')) {
    url.pop_back();
  }
}

// Its origin goes into the call card's Content-Security-Policy header: characters that have no
// place in a URL are refused here, so a typo stops the start instead of weakening the header.
void ValidateFrameSdkUrl(Value& value) {
  const std::string& url = Str(value);
  const size_t scheme = CheckHttpUrl(url);
  if (url.find_first_of("\"'<>\\`;,") != std::string::npos ||
      std::any_of(url.begin(), url.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == '\x7f'; })) {
    throw BadValue{"must be a plain URL (no quotes, '<', '>', '\\', '`', ';' or ','), got '" + url +
                   "'"};
  }
  const std::string_view authority =
      std::string_view(url).substr(scheme, url.find_first_of("/?#", scheme) - scheme);
  if (authority.find('@') != std::string_view::npos) {
    throw BadValue{"must not carry a user name, got '" + url + "'"};
  }
}

void ValidateMangoUrl(Value& value) {
  std::string& url = Str(value);
  CheckHttpUrl(url);
  if (!url.ends_with('/')) {
    url += '/';
  }
}

void ValidateNonEmpty(Value& value) {
  if (Str(value).empty()) {
    throw BadValue{"must not be empty"};
  }
}

// A guessable admin token would open every tenant's outbox to anyone; demand some length.
void ValidateAdminToken(Value& value) {
  if (!Str(value).empty() && Str(value).size() < 24) {
    throw BadValue{"must be empty (admin API off) or at least 24 characters"};
  }
}

// Returns what is wrong with the part after "mysql://", if anything. Deliberately shallow: the
// driver does the real parsing; this only catches the mistakes that would otherwise surface as
// an obscure connection error.
std::optional<std::string> MysqlUrlProblem(std::string_view rest) {
  const size_t at = rest.find('@');
  if (at == std::string_view::npos) {
    return "missing user@ before the host";
  }
  const std::string_view user_info = rest.substr(0, at);
  const std::string_view after = rest.substr(at + 1);
  if (user_info.find('/') != std::string_view::npos || after.find('@') != std::string_view::npos) {
    return "the user and password must not contain '@' or '/'";
  }
  if (user_info.substr(0, user_info.find(':')).empty()) {
    return "missing user";
  }
  const size_t slash = after.find('/');
  if (slash == std::string_view::npos || slash + 1 == after.size()) {
    return "missing database name";
  }
  const std::string_view host_port = after.substr(0, slash);
  std::string_view host;
  std::optional<std::string_view> port;
  if (host_port.starts_with('[')) {
    const size_t close = host_port.find(']');
    if (close == std::string_view::npos) {
      return "unterminated '[' in the host";
    }
    host = host_port.substr(1, close - 1);
    const std::string_view rest_of_host = host_port.substr(close + 1);
    if (!rest_of_host.empty()) {
      if (!rest_of_host.starts_with(':')) {
        return "unexpected text after the host";
      }
      port = rest_of_host.substr(1);
    }
  } else {
    const size_t colon = host_port.find(':');
    host = host_port.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = host_port.substr(colon + 1);
    }
  }
  if (host.empty()) {
    return "missing host";
  }
  if (port && !ParsePort(*port)) {
    return "port must be a number from 1 to 65535";
  }
  return std::nullopt;
}

// Never echoes the URL: it may carry a password, and a malformed one cannot be masked reliably.
void ValidateDatabaseUrl(Value& value) {
  const std::string_view url = Str(value);
  if (url.starts_with("sqlite://")) {
    if (url.size() == std::string_view("sqlite://").size()) {
      throw BadValue{"missing file path after sqlite://"};
    }
    return;
  }
  if (url.starts_with("mysql://")) {
    if (std::optional<std::string> problem = MysqlUrlProblem(url.substr(8))) {
      throw BadValue{"must look like mysql://user[:password]@host[:port]/db: " + *problem};
    }
    return;
  }
  std::string got;
  const size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos && scheme_end > 0 &&
      url.substr(0, scheme_end)
              .find_first_not_of(
                  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") ==
          std::string_view::npos) {
    got = " (got a " + std::string(url.substr(0, scheme_end)) + ":// URL)";
  }
  throw BadValue{"must start with sqlite:// or mysql://" + got};
}

void ValidateKeyFileList(Value& value) {
  const std::vector<std::string>& files = std::get<std::vector<std::string>>(value);
  for (size_t i = 0; i < files.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (files[i] == files[j]) {
        throw BadValue{"'" + files[i] + "' is listed twice"};
      }
    }
  }
}

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
     .default_value = "60",
     .min = 1,
     .max = 3600,
     .assign = [](Config& c, Value&& v) { c.jobs.lease_seconds = Int(v); },
     .help = "How long a worker owns a claimed job before others may take it over."},
    {.path = "jobs.poll_interval_ms",
     .type = KeyType::kInt,
     .default_value = "200",
     .min = 10,
     .max = 60000,
     .assign = [](Config& c, Value&& v) { c.jobs.poll_interval_ms = Int(v); },
     .help = "Pause between polls of an empty outbox."},
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

// ---- conversion -----------------------------------------------------------------------------

std::string RangeProblem(const KeyDef& key, std::string_view got) {
  return "must be between " + std::to_string(key.min) + " and " + std::to_string(key.max) +
         ", got " + std::string(got);
}

// Type-independent checks shared by every source, so a default, a file value and an environment
// value are held to the same rules.
void Check(const KeyDef& key, Value& value) {
  if (key.type == KeyType::kInt) {
    const long long number = std::get<long long>(value);
    if (number < key.min || number > key.max) {
      throw BadValue{RangeProblem(key, std::to_string(number))};
    }
  }
  if (key.validate != nullptr) {
    key.validate(value);
  }
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  if (Trim(text).empty()) {
    return items;  // an empty list; keys that need entries say so in their validator
  }
  while (true) {
    const size_t comma = text.find(',');
    const std::string_view item = Trim(text.substr(0, comma));
    if (item.empty()) {
      throw BadValue{"empty entry in the comma-separated list"};
    }
    items.emplace_back(item);
    if (comma == std::string_view::npos) {
      return items;
    }
    text.remove_prefix(comma + 1);
  }
}

// From environment text (and from the table's defaults, which are written the same way).
Value FromText(const KeyDef& key, const std::string& text) {
  switch (key.type) {
    case KeyType::kString:
      return text;
    case KeyType::kInt: {
      long long number = 0;
      const char* end = text.data() + text.size();
      const auto [ptr, ec] = std::from_chars(text.data(), end, number);
      if (ec == std::errc::result_out_of_range && ptr == end) {
        throw BadValue{RangeProblem(key, "'" + text + "'")};
      }
      if (text.empty() || ec != std::errc() || ptr != end) {
        throw BadValue{"expected a decimal integer, got '" + text + "'"};
      }
      return number;
    }
    case KeyType::kBool: {
      const std::string lower = ToLower(text);
      if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") {
        return true;
      }
      if (lower == "false" || lower == "0" || lower == "no" || lower == "off") {
        return false;
      }
      throw BadValue{"expected true/false, 1/0, yes/no or on/off, got '" + text + "'"};
    }
    case KeyType::kList:
      return SplitList(text);
  }
  throw BadValue{"unsupported key type"};
}

Value FromJson(const KeyDef& key, const json::value& value) {
  switch (key.type) {
    case KeyType::kString:
      if (!value.is_string()) {
        throw BadValue{"expected a string"};
      }
      return value.as_string();
    case KeyType::kInt: {
      if (!value.is_number()) {
        throw BadValue{"expected an integer"};
      }
      const json::number& number = value.as_number();
      if (number.is_int64()) {
        return static_cast<long long>(number.to_int64());
      }
      if (number.is_integral()) {  // an unsigned 64-bit value beyond int64
        throw BadValue{RangeProblem(key, value.serialize())};
      }
      // 1e3 or 8.0 are integers written as doubles; 1.5 is not.
      const double real = number.to_double();
      if (!std::isfinite(real) || std::trunc(real) != real) {
        throw BadValue{"expected an integer, got " + value.serialize()};
      }
      if (std::fabs(real) > 1e15) {
        throw BadValue{RangeProblem(key, value.serialize())};
      }
      return static_cast<long long>(real);
    }
    case KeyType::kBool:
      if (!value.is_boolean()) {
        throw BadValue{"expected true or false"};
      }
      return value.as_bool();
    case KeyType::kList: {
      if (value.is_string()) {
        return SplitList(value.as_string());
      }
      if (!value.is_array()) {
        throw BadValue{"expected an array of strings or a comma-separated string"};
      }
      std::vector<std::string> items;
      for (const json::value& element : value.as_array()) {
        if (!element.is_string()) {
          throw BadValue{"expected an array of strings or a comma-separated string"};
        }
        const std::string_view item = Trim(element.as_string());
        if (item.empty()) {
          throw BadValue{"empty entry in the list"};
        }
        items.emplace_back(item);
      }
      return items;
    }
  }
  throw BadValue{"unsupported key type"};
}

// ---- sources --------------------------------------------------------------------------------

std::string FileLabel(std::string_view file_name) {
  return file_name.empty() ? std::string("the config file")
                           : "config file '" + std::string(file_name) + "'";
}

using Values = std::map<std::string, Value, std::less<>>;

// Depth-first in sorted member order, so the first error reported does not depend on how the
// file is laid out (nor on cpprestsdk's process-wide keep_object_element_order switch).
void WalkObject(const json::object& object, const std::string& prefix, const std::string& label,
                Values& values) {
  std::vector<const std::pair<std::string, json::value>*> members;
  for (const auto& member : object) {
    members.push_back(&member);
  }
  std::sort(members.begin(), members.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* entry : members) {
    const std::string& name = entry->first;
    const json::value& member = entry->second;
    const std::string path = prefix.empty() ? name : prefix + "." + name;
    if (name.empty() || name.find('.') != std::string::npos) {
      // {"database.url": ...} would work by accident of the naming; one spelling is easier to
      // search for and to document.
      throw InvalidArgument(
          label + ": unknown config key '" + path + "' (write sections as nested objects)", path);
    }
    if (const KeyDef* key = FindKey(path)) {
      try {
        Value value = FromJson(*key, member);
        Check(*key, value);
        values.emplace(path, std::move(value));
      } catch (const BadValue& bad) {
        throw InvalidArgument("config key '" + path + "' in " + label + ": " + bad.why, path);
      }
    } else if (IsSection(path)) {
      if (!member.is_object()) {
        throw InvalidArgument(
            "config key '" + path + "' in " + label + ": expected an object (a section)", path);
      }
      WalkObject(member.as_object(), path, label, values);
    } else {
      throw InvalidArgument(label + ": unknown config key '" + path + "'", path);
    }
  }
}

Values ReadFileValues(std::string_view file_text, std::string_view file_name) {
  Values values;
  // An empty (or blank) file is the same as no file: nothing overridden.
  if (Trim(file_text).empty()) {
    return values;
  }
  const std::string label = FileLabel(file_name);
  json::value root;
  try {
    root = json::value::parse(std::string(file_text));
  } catch (const json::json_exception& e) {
    throw InvalidArgument(label + ": invalid JSON: " + e.what());
  }
  if (!root.is_object()) {
    throw InvalidArgument(label + ": the top level must be a JSON object");
  }
  WalkObject(root.as_object(), "", label, values);
  return values;
}

Values ReadEnvValues(const std::map<std::string, std::string>& env) {
  std::set<std::string, std::less<>> known;
  for (const KeyDef& key : kKeys) {
    known.insert(EnvName(key.path));
  }
  // Key names contain '_', so a variable name cannot be mapped back to a key path; instead the
  // names of the known keys are computed and everything else with the prefix is a mistake.
  for (const auto& [name, value] : env) {
    if (!name.starts_with(kEnvPrefix) || name == kConfigPathVariable ||
        name.starts_with(kTestVariablePrefix)) {
      continue;
    }
    if (!known.contains(name)) {
      throw InvalidArgument("unknown environment variable " + name + ": no such config key", name);
    }
  }
  Values values;
  for (const KeyDef& key : kKeys) {
    const std::string name = EnvName(key.path);
    const auto found = env.find(name);
    if (found == env.end()) {
      continue;
    }
    try {
      Value value = FromText(key, found->second);
      Check(key, value);
      values.emplace(std::string(key.path), std::move(value));
    } catch (const BadValue& bad) {
      throw InvalidArgument("environment variable " + name + " (config key '" +
                                std::string(key.path) + "'): " + bad.why,
                            std::string(key.path));
    }
  }
  return values;
}

std::string DefaultText(const KeyDef& key, std::string_view data_dir) {
  return key.derive != nullptr ? key.derive(data_dir) : std::string(key.default_value);
}

}  // namespace

Config ParseConfig(std::string_view file_text, std::string_view file_name,
                   const std::map<std::string, std::string>& env) {
  Values file_values = ReadFileValues(file_text, file_name);
  Values env_values = ReadEnvValues(env);

  Config config;
  for (const KeyDef& key : kKeys) {
    Value value;
    if (auto found = env_values.find(key.path); found != env_values.end()) {
      value = std::move(found->second);
    } else if (auto in_file = file_values.find(key.path); in_file != file_values.end()) {
      value = std::move(in_file->second);
    } else {
      // Defaults go through the same checks: a derived one depends on data_dir, and a broken
      // table entry should fail loudly rather than start with a half-valid value.
      try {
        value = FromText(key, DefaultText(key, config.data_dir));
        Check(key, value);
      } catch (const BadValue& bad) {
        throw InvalidArgument(
            "config key '" + std::string(key.path) + "' (default value): " + bad.why,
            std::string(key.path));
      }
    }
    key.assign(config, std::move(value));
  }

  if (config.jobs.backoff_max_ms < config.jobs.backoff_base_ms) {
    throw InvalidArgument("config key 'jobs.backoff_max_ms' (" +
                              std::to_string(config.jobs.backoff_max_ms) +
                              ") must be at least jobs.backoff_base_ms (" +
                              std::to_string(config.jobs.backoff_base_ms) + ")",
                          "jobs.backoff_max_ms");
  }
  if (config.plans.standard_max_users < config.plans.free_max_users) {
    throw InvalidArgument("config key 'plans.standard.max_users' (" +
                              std::to_string(config.plans.standard_max_users) +
                              ") must be at least plans.free.max_users (" +
                              std::to_string(config.plans.free_max_users) + ")",
                          "plans.standard.max_users");
  }
  return config;
}

Config LoadConfig(const std::string& path, const std::map<std::string, std::string>& env) {
  if (path.empty()) {
    return ParseConfig("", "", env);
  }
  // stdio rather than iostreams: it reports why a read failed (errno), including EISDIR.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    throw InvalidArgument("cannot read config file '" + path + "': " + std::strerror(errno));
  }
  std::string text;
  char buffer[8192];
  while (true) {
    const size_t read = std::fread(buffer, 1, sizeof(buffer), file.get());
    text.append(buffer, read);
    if (read < sizeof(buffer)) {
      break;
    }
  }
  if (std::ferror(file.get())) {
    throw InvalidArgument("cannot read config file '" + path + "': " + std::strerror(errno));
  }
  return ParseConfig(text, path, env);
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const size_t equals = text.find('=');
    if (equals == std::string_view::npos) {
      continue;
    }
    env.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return env;
}

const std::vector<KeyInfo>& ConfigKeys() {
  static const std::vector<KeyInfo> keys = [] {
    const std::string default_data_dir(FindKey("data_dir")->default_value);
    std::vector<KeyInfo> infos;
    for (const KeyDef& key : kKeys) {
      infos.push_back(KeyInfo{std::string(key.path), EnvName(key.path),
                              std::string(TypeName(key.type)), DefaultText(key, default_data_dir),
                              std::string(key.help)});
    }
    return infos;
  }();
  return keys;
}

std::string MaskDatabaseUrl(std::string_view url) {
  if (url.starts_with("sqlite://")) {
    return std::string(url);
  }
  const size_t scheme_end = url.find("://");
  const size_t authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  // The first '@' ends the user info: passwords may not contain '@', so anything before it that
  // follows the first ':' is the password, even in a URL the validator would reject.
  const size_t at = url.find('@', authority);
  if (at == std::string_view::npos) {
    return std::string(url);
  }
  const size_t colon = url.substr(authority, at - authority).find(':');
  if (colon == std::string_view::npos) {
    return std::string(url);
  }
  std::string masked(url.substr(0, authority + colon + 1));
  masked += "***";
  masked += url.substr(at);
  return masked;
}

}  // namespace opdesk::app
