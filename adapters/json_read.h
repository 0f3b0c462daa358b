// Reading typed fields out of JSON, one module for every reader in the service.
//
// Lenient reads (peers' JSON: Bitrix24, Mango, our own stored documents) never throw: a missing
// key or a value of another type reads as empty/false/the fallback. Strict reads throw
// InvalidArgument naming the field by its path ("actions[1].deadline", "from.extension"):
// ObjectReader for our own API's request bodies (typed, unknown fields refused), PeerReader for a
// peer's event whose fields we need (numbers and strings accepted for one another, as peers mix
// them). Only const access: cpprestsdk's non-const operator[] would insert what it looks up.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "adapters/json_fwd.h"

namespace opdesk::adapters {

// --- Lenient reads ---------------------------------------------------------------------------

// The field of an object as text: a string as is, a number as written, anything else "".
std::string JsonText(const web::json::value& object, const std::string& key);
// The field if it is a string, else `fallback`.
std::string JsonString(const web::json::value& object, const std::string& key,
                       const std::string& fallback = "");
// Whether the field is the boolean true.
bool JsonTrue(const web::json::value& object, const std::string& key);
// A Bitrix24 flag: the boolean true or the string "Y".
bool JsonFlag(const web::json::value& object, const std::string& key);
// The field if it is a number (as cpprestsdk's to_int64 gives it: a fraction dropped), else
// `fallback`.
long long JsonInt(const web::json::value& object, const std::string& key, long long fallback = 0);
// The field as an id's text: a string as is, a number as its integer (see JsonInt), else "".
std::string JsonIdText(const web::json::value& object, const std::string& key);

// Only the digits of `text`: "+7 (495) 000-00-00" → "74950000000".
std::string DigitsOf(std::string_view text);

// --- Strict reads of our own API ------------------------------------------------------------

// The request body as a JSON object; InvalidArgument(field "body") otherwise.
web::json::value ParseBody(const std::string& body);
// Any JSON value; InvalidArgument(`error`, `field`) if `text` is not JSON.
web::json::value ParseJson(const std::string& text, const std::string& error,
                           const std::string& field);
// A required integer field within [min, max] (a JSON integer, as cpprestsdk's as_integer reads
// it); InvalidArgument naming `key` ("burst must be an integer", "... must be from 1 to 1000").
int JsonIntIn(const web::json::value& object, const std::string& key, int min, int max);
// A stored settings document (our own JSON); Internal if it does not parse.
web::json::value ParseStored(const std::string& text);

// Reads the members of one object. Getters mark a member as read; Done() refuses the rest.
class ObjectReader {
 public:
  // `path` is the object's own path ("" for the body, "actions[2]" for a nested one).
  ObjectReader(const web::json::value& value, std::string path);

  std::string String(const std::string& key, bool required, std::size_t max_bytes = 64 * 1024);
  bool Bool(const std::string& key, bool fallback);
  long long Int(const std::string& key, bool required, long long fallback = 0);
  double Number(const std::string& key, double fallback);
  // An id written as a decimal string ("12"), as every id of the API is. 0 when absent.
  long long Id(const std::string& key, bool required);
  // The member, or nullptr when absent (or JSON null and `null_is_absent`).
  const web::json::value* Get(const std::string& key, bool null_is_absent = false);
  const web::json::value& Array(const std::string& key, bool required, std::size_t max_items);
  void Done() const;

  std::string PathOf(const std::string& key) const;

 private:
  const web::json::value& value_;
  std::string path_;
  std::set<std::string> read_;
};

// "12" → 12; InvalidArgument(field) for anything but a positive decimal id.
long long ParseId(const web::json::value& value, const std::string& field);
long long ParseIdText(const std::string& text, const std::string& field);
// The path of element `i` of array `path`.
std::string ItemPath(const std::string& path, std::size_t i);

// --- Strict reads of a peer's event ---------------------------------------------------------

enum class Need { kOptional, kRequired };

// Reads the fields of one JSON object, naming each by its dotted path ("from.extension") in errors.
// Absent and null are the same (Mango sends null for some unset optional fields).
class PeerReader {
 public:
  PeerReader(const web::json::value& object, std::string prefix)
      : object_(object), prefix_(std::move(prefix)) {}

  bool Has(const char* key) const;
  // A string, or a number written out (an extension may arrive as 101).
  std::string String(const char* key, Need need = Need::kOptional) const;
  // An id we key storage on: a string as above, at most 1024 bytes.
  std::string Id(const char* key, Need need = Need::kOptional) const;
  // A JSON integer within int64, or a string holding one (blanks around it allowed).
  long long Integer(const char* key, Need need = Need::kOptional) const;
  // An integer that must fit the int fields of the domain types (codes, enums).
  int Int(const char* key, Need need = Need::kOptional) const;
  // true/false, 1/0, or those as strings; absent or empty is false.
  bool Boolean(const char* key) const;
  // A nested object; an absent one reads as empty so its optional fields default.
  PeerReader Child(const char* key) const;

  std::string PathOf(const char* key) const;
  [[noreturn]] void Fail(const char* key, const std::string& what) const;

 private:
  void Missing(const char* key, Need need) const;

  const web::json::value& object_;
  std::string prefix_;
};

// Lower-case ASCII letters only; the rest of `s` as is.
std::string AsciiLower(std::string s);

}  // namespace opdesk::adapters
