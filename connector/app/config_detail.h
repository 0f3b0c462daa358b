// Inside the config loader (config.cpp): the key table's types, shared by the table
// (config_keys.cpp), its validators (config_validators.cpp) and the loader, which reads the file
// and the environment. Not for use outside those files.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "connector/app/config.h"

namespace opdesk::app::config_detail {

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

// ---- the key table (config_keys.cpp) ----------------------------------------------------------

std::span<const KeyDef> Keys();
const KeyDef* FindKey(std::string_view path);
// True when `path` is a prefix of some key ("database" of "database.url").
bool IsSection(std::string_view path);
std::string_view TypeName(KeyType type);

// ---- helpers and validators (config_validators.cpp) -------------------------------------------

std::string_view Trim(std::string_view text);
std::string ToLower(std::string_view text);
bool IsDigit(char c);
bool IsAlnum(char c);
std::string JoinPath(std::string_view dir, std::string_view name);
std::string EnvName(std::string_view path);
std::string& Str(Value& value);
int Int(const Value& value);
std::optional<int> ParsePort(std::string_view text);
ListenAddress ParseListen(std::string_view text);
void ValidateListen(Value& value);
size_t CheckHttpUrl(std::string_view url);
void ValidatePublicUrl(Value& value);
void ValidateFrameSdkUrl(Value& value);
void ValidateMangoUrl(Value& value);
void ValidateOrderUrl(Value& value);
void ValidateContacts(Value& value);
void ValidateNonEmpty(Value& value);
void ValidateAdminToken(Value& value);
std::optional<std::string> MysqlUrlProblem(std::string_view rest);
void ValidateDatabaseUrl(Value& value);
void ValidateKeyFileList(Value& value);

}  // namespace opdesk::app::config_detail
