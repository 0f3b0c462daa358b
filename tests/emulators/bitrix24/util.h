// Small helpers shared by every part of the emulator: time, ids, parameter access, and the
// PHP-style form encoding Bitrix24 uses in both directions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/emulators/bitrix24/state.h"
#include "tests/emulators/common/util.h"

namespace b24emu {

double NowS();
using emu::NowMs;
// ISO-8601 with the portal's fixed +03:00 offset, as a Russian cloud portal answers.
std::string IsoTime(double unix_s);
bool IsIso8601(const std::string& text);
using emu::RandomHex;
std::string DigitsOnly(const std::string& text);
std::string ToLower(std::string text);

// Parameter access on a parsed params object. Values arrive as strings from forms and as
// numbers or strings from JSON, so the getters accept both.
const Json* Find(const Json& obj, const std::string& key);
// Like Find, but also matches the key in another letter case (old CRM methods accept `ID`/`id`).
const Json* FindAnyCase(const Json& obj, const std::string& key);
std::string AsString(const Json& value);
std::string Str(const Json& obj, const std::string& key, const std::string& fallback = "");
std::optional<int64_t> AsInt(const Json& value);
std::optional<int64_t> Int(const Json& obj, const std::string& key);
bool NonEmpty(const Json& obj, const std::string& key);
// An array value, or the values of an object keyed "0","1",… / "n0", or a single scalar.
std::vector<Json> AsList(const Json& value);
bool Truthy(const Json& value);  // 1, "1", "Y", "true", true

// URL encoding and PHP-style nested forms (`a[b][0][C]=v`, `a[]=v`).
using emu::UrlDecode;
using emu::UrlEncode;
// Adds the pairs of `query` into the object `root`; objects keyed 0..n-1 become arrays.
void ParseFormInto(Json& root, const std::string& query);
// Flattens `value` into `prefix[key]=…` pairs appended to `out` (joined with '&').
void FormEncode(const Json& value, const std::string& prefix, std::string& out);
void FormAdd(const std::string& key, const std::string& value, std::string& out);

}  // namespace b24emu
