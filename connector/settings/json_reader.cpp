#include "connector/settings/json_reader.h"

#include <cmath>

#include "connector/domain/error.h"

namespace opdesk::settings {
namespace {

const Json kEmptyArray = Json::array();

}  // namespace

Json ParseBody(const std::string& body) {
  Json v;
  try {
    v = Json::parse(body);
  } catch (const std::exception&) {
    throw InvalidArgument("the body must be a JSON object", "body");
  }
  if (!v.is_object()) {
    throw InvalidArgument("the body must be a JSON object", "body");
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

}  // namespace opdesk::settings
