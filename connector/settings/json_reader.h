// Strict reading of JSON request bodies for the settings API: every field typed, unknown fields
// refused (a typo must not pass silently), and every error names the field by its path
// ("actions[1].deadline"), so the page can show it next to the input.
#pragma once

#include <cpprest/json.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace opdesk::settings {

using Json = web::json::value;

// The request body as a JSON object; InvalidArgument(field "body") otherwise.
Json ParseBody(const std::string& body);
// A stored document (our own JSON); Internal if it does not parse.
Json ParseStored(const std::string& text);

// Reads the members of one object. Getters mark a member as read; Done() refuses the rest.
class ObjectReader {
 public:
  // `path` is the object's own path ("" for the body, "actions[2]" for a nested one).
  ObjectReader(const Json& value, std::string path);

  std::string String(const std::string& key, bool required, std::size_t max_bytes = 64 * 1024);
  bool Bool(const std::string& key, bool fallback);
  long long Int(const std::string& key, bool required, long long fallback = 0);
  double Number(const std::string& key, double fallback);
  // An id written as a decimal string ("12"), as every id of the API is. 0 when absent.
  long long Id(const std::string& key, bool required);
  // The member, or nullptr when absent (or JSON null and `null_is_absent`).
  const Json* Get(const std::string& key, bool null_is_absent = false);
  const Json& Array(const std::string& key, bool required, std::size_t max_items);
  void Done() const;

  std::string PathOf(const std::string& key) const;

 private:
  const Json& value_;
  std::string path_;
  std::set<std::string> read_;
};

// "12" → 12; InvalidArgument(field) for anything but a positive decimal id.
long long ParseId(const Json& value, const std::string& field);
long long ParseIdText(const std::string& text, const std::string& field);
// The path of element `i` of array `path`.
std::string ItemPath(const std::string& path, std::size_t i);

}  // namespace opdesk::settings
