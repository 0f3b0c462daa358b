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

#include "connector/app/config_detail.h"

namespace opdesk::app {
namespace {

using namespace config_detail;  // NOLINT: the loader is the table's one reader
namespace json = web::json;

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
  for (const KeyDef& key : Keys()) {
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
  for (const KeyDef& key : Keys()) {
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
  for (const KeyDef& key : Keys()) {
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
    for (const KeyDef& key : Keys()) {
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
