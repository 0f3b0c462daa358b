#include "tests/emulators/bitrix24/util.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <regex>

namespace b24emu {

double NowS() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() / 1e6;
}

std::string IsoTime(double unix_s) {
  time_t t = static_cast<time_t>(unix_s) + 3 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+03:00", &tm);
  return buf;
}

bool IsIso8601(const std::string& text) {
  static const std::regex kIso(
      R"(^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$)");
  return std::regex_match(text, kIso);
}

std::string DigitsOnly(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      out += c;
    }
  }
  return out;
}

std::string ToLower(std::string text) {
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

const Json* Find(const Json& obj, const std::string& key) {
  if (!obj.is_object()) {
    return nullptr;
  }
  auto& o = obj.as_object();
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->second;
}

const Json* FindAnyCase(const Json& obj, const std::string& key) {
  if (const Json* v = Find(obj, key)) {
    return v;
  }
  if (!obj.is_object()) {
    return nullptr;
  }
  std::string lower = ToLower(key);
  for (const auto& [k, v] : obj.as_object()) {
    if (ToLower(k) == lower) {
      return &v;
    }
  }
  return nullptr;
}

std::string AsString(const Json& value) {
  if (value.is_string()) {
    return value.as_string();
  }
  if (value.is_number()) {
    if (value.is_integer()) {
      return std::to_string(value.as_number().to_int64());
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%g", value.as_double());
    return buf;
  }
  if (value.is_boolean()) {
    return value.as_bool() ? "true" : "false";
  }
  if (value.is_null()) {
    return "";
  }
  return value.serialize();
}

std::string Str(const Json& obj, const std::string& key, const std::string& fallback) {
  const Json* v = Find(obj, key);
  return v == nullptr ? fallback : AsString(*v);
}

std::optional<int64_t> AsInt(const Json& value) {
  if (value.is_number()) {
    return value.as_number().to_int64();
  }
  if (value.is_string()) {
    const std::string& s = value.as_string();
    static const std::regex kInt(R"(^\s*[-+]?\d+\s*$)");
    if (std::regex_match(s, kInt)) {
      return std::stoll(s);
    }
  }
  return std::nullopt;
}

std::optional<int64_t> Int(const Json& obj, const std::string& key) {
  const Json* v = Find(obj, key);
  return v == nullptr ? std::nullopt : AsInt(*v);
}

bool NonEmpty(const Json& obj, const std::string& key) {
  const Json* v = Find(obj, key);
  return v != nullptr && !v->is_null() && !AsString(*v).empty();
}

std::vector<Json> AsList(const Json& value) {
  std::vector<Json> out;
  if (value.is_array()) {
    for (const auto& v : value.as_array()) {
      out.push_back(v);
    }
  } else if (value.is_object()) {
    for (const auto& [k, v] : value.as_object()) {
      out.push_back(v);
    }
  } else if (!value.is_null()) {
    out.push_back(value);
  }
  return out;
}

bool Truthy(const Json& value) {
  if (value.is_boolean()) {
    return value.as_bool();
  }
  std::string s = ToLower(AsString(value));
  return s == "1" || s == "y" || s == "true";
}

namespace {

// Splits `a[b][]` into {"a", "b", ""}.
std::vector<std::string> SplitKey(const std::string& key) {
  std::vector<std::string> parts;
  size_t bracket = key.find('[');
  if (bracket == std::string::npos || bracket == 0 || key.back() != ']') {
    parts.push_back(key);
    return parts;
  }
  parts.push_back(key.substr(0, bracket));
  size_t i = bracket;
  while (i < key.size() && key[i] == '[') {
    size_t close = key.find(']', i);
    if (close == std::string::npos) {
      break;
    }
    parts.push_back(key.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  return parts;
}

// PHP turns maps keyed 0..n-1 into lists; mirror that so JSON and form bodies look the same.
void ArraysFromNumericObjects(Json& value) {
  if (!value.is_object()) {
    return;
  }
  auto& obj = value.as_object();
  bool sequential = obj.size() > 0;
  size_t index = 0;
  for (auto& [k, v] : obj) {
    ArraysFromNumericObjects(v);
    if (k != std::to_string(index++)) {
      sequential = false;
    }
  }
  if (!sequential) {
    return;
  }
  Json array = Json::array(obj.size());
  for (size_t i = 0; i < obj.size(); ++i) {
    array[i] = obj.at(std::to_string(i));
  }
  value = array;
}

}  // namespace

void ParseFormInto(Json& root, const std::string& query) {
  if (!root.is_object()) {
    root = Json::object(true);
  }
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    std::string pair = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    pos = amp == std::string::npos ? query.size() + 1 : amp + 1;
    if (pair.empty()) {
      continue;
    }
    size_t eq = pair.find('=');
    std::string key = UrlDecode(pair.substr(0, eq));
    std::string val = eq == std::string::npos ? "" : UrlDecode(pair.substr(eq + 1));
    auto parts = SplitKey(key);
    Json* node = &root;
    for (size_t i = 0; i < parts.size(); ++i) {
      std::string part = parts[i];
      if (!node->is_object()) {
        *node = Json::object(true);
      }
      if (part.empty()) {
        part = std::to_string(node->as_object().size());
      }
      if (i + 1 == parts.size()) {
        (*node)[part] = Json::string(val);
      } else {
        node = &(*node)[part];
      }
    }
  }
  ArraysFromNumericObjects(root);
  if (!root.is_object()) {  // a top level keyed 0..n-1 stays an object of params
    Json obj = Json::object(true);
    for (size_t i = 0; i < root.size(); ++i) {
      obj[std::to_string(i)] = root[i];
    }
    root = obj;
  }
}

void FormAdd(const std::string& key, const std::string& value, std::string& out) {
  if (!out.empty()) {
    out += '&';
  }
  out += UrlEncode(key) + "=" + UrlEncode(value);
}

void FormEncode(const Json& value, const std::string& prefix, std::string& out) {
  if (value.is_object()) {
    for (const auto& [k, v] : value.as_object()) {
      FormEncode(v, prefix.empty() ? k : prefix + "[" + k + "]", out);
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      FormEncode(value.at(i), prefix + "[" + std::to_string(i) + "]", out);
    }
  } else {
    FormAdd(prefix, AsString(value), out);
  }
}

}  // namespace b24emu
