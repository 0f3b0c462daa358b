#include <algorithm>

#include "tests/emulators/bitrix24/methods.h"
#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

MethodResult Ok(Json result) {
  MethodResult r;
  r.result = std::move(result);
  return r;
}

MethodResult Fail(int status, const std::string& error, const std::string& description) {
  MethodResult r;
  r.status = status;
  r.error = error;
  r.description = description;
  return r;
}

namespace {

bool IsNumber(const std::string& s) {
  return AsInt(Json::string(s)).has_value();
}

// -1, 0, 1 comparing numerically when both sides are integers, else as strings.
int Compare(const std::string& a, const std::string& b) {
  if (IsNumber(a) && IsNumber(b)) {
    int64_t x = std::stoll(a), y = std::stoll(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  return a < b ? -1 : (a > b ? 1 : 0);
}

std::vector<std::string> FieldValues(const Json& row, const std::string& field) {
  std::vector<std::string> out;
  const Json* v = Find(row, field);
  if (v == nullptr) {
    return out;
  }
  if (v->is_array()) {  // multifields match on any VALUE
    for (const auto& item : v->as_array()) {
      out.push_back(item.is_object() ? Str(item, "VALUE") : AsString(item));
    }
  } else if (v->is_boolean()) {
    out.push_back(v->as_bool() ? "Y" : "N");
  } else {
    out.push_back(AsString(*v));
  }
  return out;
}

bool MatchOne(const std::string& op, const std::string& have, const std::string& want) {
  int c = Compare(have, want);
  if (op == ">=")
    return c >= 0;
  if (op == "<=")
    return c <= 0;
  if (op == ">")
    return c > 0;
  if (op == "<")
    return c < 0;
  if (op == "%")
    return ToLower(have).find(ToLower(want)) != std::string::npos;
  return have == want;
}

std::string NormalizeBool(const std::string& v) {
  std::string l = ToLower(v);
  if (l == "true" || l == "y")
    return "Y";
  if (l == "false" || l == "n")
    return "N";
  return v;
}

bool Matches(const Json& row, const Json& filter) {
  if (!filter.is_object()) {
    return true;
  }
  static const char* kOps[] = {">=", "<=", "!=", "!@", "=%", ">", "<", "!", "=", "%", "@"};
  for (const auto& [raw_key, want] : filter.as_object()) {
    std::string op, key = raw_key;
    for (const char* candidate : kOps) {
      std::string c = candidate;
      if (key.rfind(c, 0) == 0) {
        op = c;
        key = key.substr(c.size());
        break;
      }
    }
    bool negate = !op.empty() && op[0] == '!';
    std::string base = negate ? op.substr(1) : op;
    if (base == "=%")
      base = "%";
    std::vector<std::string> wants;
    for (const auto& w : AsList(want)) {
      wants.push_back(NormalizeBool(AsString(w)));
    }
    bool hit = false;
    std::vector<std::string> haves = FieldValues(row, key);
    if (haves.empty() && wants.size() == 1 && wants.front().empty()) {
      haves.push_back("");  // a missing field or an empty multifield is "" ("=FIELD": "" finds it)
    }
    for (const auto& have_raw : haves) {
      std::string have = NormalizeBool(have_raw);
      for (const auto& w : wants) {
        hit = hit || MatchOne(base == "@" ? "=" : base, have, w);
      }
    }
    if (hit == negate) {
      return false;
    }
  }
  return true;
}

}  // namespace

MethodResult ListRows(std::vector<Json> rows, const Json& filter, const Json& order,
                      const Json& select, const Json* start,
                      const std::vector<std::string>& multifields) {
  std::vector<Json> kept;
  for (auto& row : rows) {
    if (Matches(row, filter)) {
      kept.push_back(row);
    }
  }
  std::vector<std::pair<std::string, bool>> keys;  // field, descending
  if (order.is_object()) {
    for (const auto& [k, v] : order.as_object()) {
      keys.emplace_back(k, ToLower(AsString(v)) == "desc");
    }
  }
  keys.emplace_back("ID", false);
  std::stable_sort(kept.begin(), kept.end(), [&](const Json& a, const Json& b) {
    for (const auto& [field, desc] : keys) {
      int c = Compare(Str(a, field), Str(b, field));
      if (c != 0) {
        return desc ? c > 0 : c < 0;
      }
    }
    return false;
  });
  std::vector<std::string> fields;
  for (const auto& f : AsList(select)) {
    fields.push_back(AsString(f));
  }
  bool all_scalars = fields.empty() || std::find(fields.begin(), fields.end(), "*") != fields.end();
  int64_t offset = 0;
  bool no_count = false;
  if (start != nullptr) {
    auto s = AsInt(*start);
    if (s && *s == -1) {
      no_count = true;
    } else if (s && *s > 0) {
      offset = *s;
    }
  }
  MethodResult r = Ok(Json::array());
  r.is_list = true;
  size_t n = 0;
  for (size_t i = static_cast<size_t>(offset); i < kept.size() && n < 50; ++i, ++n) {
    Json out = Json::object(true);
    for (const auto& [k, v] : kept[i].as_object()) {
      bool multi = std::find(multifields.begin(), multifields.end(), k) != multifields.end();
      bool named = std::find(fields.begin(), fields.end(), k) != fields.end();
      if (k == "ID" || named || (all_scalars && !multi)) {
        out[k] = v;
      }
    }
    r.result[n] = out;
  }
  if (!no_count) {
    r.total = static_cast<int64_t>(kept.size());
    if (offset + 50 < static_cast<int64_t>(kept.size())) {
      r.next = offset + 50;
    }
  }
  return r;
}

}  // namespace b24emu
