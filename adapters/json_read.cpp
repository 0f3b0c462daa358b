#include "adapters/json_read.h"

#include <cpprest/json.h>

#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <system_error>

#include "connector/domain/error.h"

namespace opdesk::adapters {
namespace {

using Json = web::json::value;

const Json kEmptyArray = Json::array();

// Mango caps its ids at 128 bytes; anything far longer is not Mango and would bloat storage.
constexpr std::size_t kMaxPeerIdBytes = 1024;

std::string_view TrimBlanks(std::string_view s) {
  const std::size_t first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

}  // namespace

// --- Lenient reads ---------------------------------------------------------------------------

std::string JsonText(const Json& object, const std::string& key) {
  if (!object.is_object() || !object.has_field(key)) {
    return "";
  }
  const Json& v = object.at(key);
  if (v.is_string()) {
    return v.as_string();
  }
  return v.is_number() ? v.serialize() : "";
}

std::string JsonString(const Json& object, const std::string& key, const std::string& fallback) {
  if (object.is_object() && object.has_field(key) && object.at(key).is_string()) {
    return object.at(key).as_string();
  }
  return fallback;
}

bool JsonTrue(const Json& object, const std::string& key) {
  return object.is_object() && object.has_field(key) && object.at(key).is_boolean() &&
         object.at(key).as_bool();
}

bool JsonFlag(const Json& object, const std::string& key) {
  if (!object.is_object() || !object.has_field(key)) {
    return false;
  }
  const Json& f = object.at(key);
  return f.is_boolean() ? f.as_bool() : (f.is_string() && (f.as_string() == "Y"));
}

long long JsonInt(const Json& object, const std::string& key, long long fallback) {
  if (object.is_object() && object.has_field(key) && object.at(key).is_number()) {
    return object.at(key).as_number().to_int64();
  }
  return fallback;
}

std::string JsonIdText(const Json& object, const std::string& key) {
  if (!object.is_object() || !object.has_field(key)) {
    return "";
  }
  const Json& v = object.at(key);
  if (v.is_string()) {
    return v.as_string();
  }
  return v.is_number() ? std::to_string(v.as_number().to_int64()) : "";
}

std::string DigitsOf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      out.push_back(c);
    }
  }
  return out;
}

std::string AsciiLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return s;
}

// --- Strict reads of our own API ------------------------------------------------------------

Json ParseBody(const std::string& body) {
  Json v = ParseJson(body, "the body must be a JSON object", "body");
  if (!v.is_object()) {
    throw InvalidArgument("the body must be a JSON object", "body");
  }
  return v;
}

Json ParseJson(const std::string& text, const std::string& error, const std::string& field) {
  try {
    return Json::parse(text);
  } catch (const std::exception&) {
    throw InvalidArgument(error, field);
  }
}

int JsonIntIn(const Json& object, const std::string& key, int min, int max) {
  if (!object.is_object() || !object.has_field(key) || !object.at(key).is_integer()) {
    throw InvalidArgument(key + " must be an integer", key);
  }
  const int v = object.at(key).as_integer();
  if (v < min || v > max) {
    throw InvalidArgument(
        key + " must be from " + std::to_string(min) + " to " + std::to_string(max), key);
  }
  return v;
}

Json ParseStored(const std::string& text) {
  try {
    return Json::parse(text);
  } catch (const std::exception& e) {
    throw Internal(std::string("a stored settings document is not JSON: ") + e.what());
  }
}

ObjectReader::ObjectReader(const Json& value, std::string path)
    : value_(value), path_(std::move(path)) {
  if (!value_.is_object()) {
    throw InvalidArgument(
        (path_.empty() ? std::string("the body") : path_) + " must be a JSON object",
        path_.empty() ? "body" : path_);
  }
}

std::string ObjectReader::PathOf(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

const Json* ObjectReader::Get(const std::string& key, bool null_is_absent) {
  read_.insert(key);
  if (!value_.has_field(key)) {
    return nullptr;
  }
  const Json& v = value_.at(key);
  if (null_is_absent && v.is_null()) {
    return nullptr;
  }
  return &v;
}

std::string ObjectReader::String(const std::string& key, bool required, std::size_t max_bytes) {
  const Json* v = Get(key);
  if (v == nullptr) {
    if (required) {
      throw InvalidArgument(PathOf(key) + " is required", PathOf(key));
    }
    return "";
  }
  if (!v->is_string()) {
    throw InvalidArgument(PathOf(key) + " must be a string", PathOf(key));
  }
  if (v->as_string().size() > max_bytes) {
    throw InvalidArgument(PathOf(key) + " is too long", PathOf(key));
  }
  return v->as_string();
}

bool ObjectReader::Bool(const std::string& key, bool fallback) {
  const Json* v = Get(key);
  if (v == nullptr) {
    return fallback;
  }
  if (!v->is_boolean()) {
    throw InvalidArgument(PathOf(key) + " must be true or false", PathOf(key));
  }
  return v->as_bool();
}

long long ObjectReader::Int(const std::string& key, bool required, long long fallback) {
  // An optional number sent as null is absent ("left_at_ms": null while the step is open).
  const Json* v = Get(key, !required);
  if (v == nullptr) {
    if (required) {
      throw InvalidArgument(PathOf(key) + " is required", PathOf(key));
    }
    return fallback;
  }
  if (!v->is_number() || !v->as_number().is_int64()) {
    throw InvalidArgument(PathOf(key) + " must be an integer", PathOf(key));
  }
  return v->as_number().to_int64();
}

double ObjectReader::Number(const std::string& key, double fallback) {
  const Json* v = Get(key);
  if (v == nullptr) {
    return fallback;
  }
  if (!v->is_number() || !std::isfinite(v->as_double())) {
    throw InvalidArgument(PathOf(key) + " must be a number", PathOf(key));
  }
  return v->as_double();
}

long long ObjectReader::Id(const std::string& key, bool required) {
  const Json* v = Get(key);
  if (v == nullptr) {
    if (required) {
      throw InvalidArgument(PathOf(key) + " is required", PathOf(key));
    }
    return 0;
  }
  return ParseId(*v, PathOf(key));
}

const Json& ObjectReader::Array(const std::string& key, bool required, std::size_t max_items) {
  const Json* v = Get(key);
  if (v == nullptr) {
    if (required) {
      throw InvalidArgument(PathOf(key) + " is required", PathOf(key));
    }
    return kEmptyArray;
  }
  if (!v->is_array()) {
    throw InvalidArgument(PathOf(key) + " must be an array", PathOf(key));
  }
  if (v->size() > max_items) {
    throw InvalidArgument(PathOf(key) + " may have at most " + std::to_string(max_items) + " items",
                          PathOf(key));
  }
  return *v;
}

void ObjectReader::Done() const {
  for (const auto& [key, unused] : value_.as_object()) {
    if (!read_.count(key)) {
      throw InvalidArgument("unknown field '" + PathOf(key) + "'", PathOf(key));
    }
  }
}

long long ParseId(const Json& value, const std::string& field) {
  if (!value.is_string()) {
    throw InvalidArgument(field + " must be an id string such as \"12\"", field);
  }
  return ParseIdText(value.as_string(), field);
}

long long ParseIdText(const std::string& text, const std::string& field) {
  if (text.empty() || text.size() > 18 || text[0] == '0' ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    throw InvalidArgument(field + " must be an id such as \"12\"", field);
  }
  return std::stoll(text);
}

std::string ItemPath(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// --- Strict reads of a peer's event ---------------------------------------------------------

bool PeerReader::Has(const char* key) const {
  return object_.has_field(key) && !object_.at(key).is_null();
}

std::string PeerReader::String(const char* key, Need need) const {
  if (!Has(key)) {
    Missing(key, need);
    return "";
  }
  const Json& v = object_.at(key);
  std::string out;
  if (v.is_string()) {
    out = v.as_string();
  } else if (v.is_number()) {
    // Integers are written from the exact value; serialize() covers the rest (uint64, double).
    out = v.as_number().is_int64() ? std::to_string(v.as_number().to_int64()) : v.serialize();
  } else {
    Fail(key, "must be a string");
  }
  if (need == Need::kRequired && out.empty()) {
    Fail(key, "must not be empty");
  }
  return out;
}

std::string PeerReader::Id(const char* key, Need need) const {
  std::string out = String(key, need);
  if (out.size() > kMaxPeerIdBytes) {
    Fail(key, "is longer than " + std::to_string(kMaxPeerIdBytes) + " bytes");
  }
  return out;
}

long long PeerReader::Integer(const char* key, Need need) const {
  if (!Has(key)) {
    Missing(key, need);
    return 0;
  }
  const Json& v = object_.at(key);
  if (v.is_number()) {
    // is_int64 and not is_integral: a uint64 above INT64_MAX would wrap in to_int64().
    if (v.as_number().is_int64()) {
      return v.as_number().to_int64();
    }
    Fail(key, "must be an integer within 64 bits");
  }
  if (v.is_string()) {
    const std::string text = v.as_string();
    const std::string_view digits = TrimBlanks(text);
    long long n = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (!digits.empty() && ec == std::errc() && end == digits.data() + digits.size()) {
      return n;
    }
  }
  Fail(key, "must be an integer");
}

int PeerReader::Int(const char* key, Need need) const {
  const long long n = Integer(key, need);
  if (n < INT_MIN || n > INT_MAX) {
    Fail(key, "is out of range");
  }
  return static_cast<int>(n);
}

bool PeerReader::Boolean(const char* key) const {
  if (!Has(key)) {
    return false;
  }
  const Json& v = object_.at(key);
  if (v.is_boolean()) {
    return v.as_bool();
  }
  if (v.is_number() && v.as_number().is_int64()) {
    const long long n = v.as_number().to_int64();
    if (n == 0 || n == 1) {
      return n == 1;
    }
  }
  if (v.is_string()) {
    const std::string s = AsciiLower(std::string(TrimBlanks(v.as_string())));
    if (s == "true" || s == "1") {
      return true;
    }
    // Mango leaves unset optional values empty elsewhere (acd_group); read that as "no".
    if (s == "false" || s == "0" || s.empty()) {
      return false;
    }
  }
  Fail(key, "must be a boolean");
}

PeerReader PeerReader::Child(const char* key) const {
  static const Json kEmpty = Json::object();
  if (!Has(key)) {
    return PeerReader(kEmpty, PathOf(key));
  }
  const Json& v = object_.at(key);
  if (!v.is_object()) {
    Fail(key, "must be an object");
  }
  return PeerReader(v, PathOf(key));
}

std::string PeerReader::PathOf(const char* key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + key;
}

void PeerReader::Fail(const char* key, const std::string& what) const {
  const std::string path = PathOf(key);
  throw InvalidArgument(path + " " + what, path);
}

void PeerReader::Missing(const char* key, Need need) const {
  if (need == Need::kRequired) {
    Fail(key, "is required");
  }
}

}  // namespace opdesk::adapters
