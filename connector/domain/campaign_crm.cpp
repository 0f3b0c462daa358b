#include "connector/domain/campaign_crm.h"

#include "connector/domain/campaigns.h"
#include "connector/domain/error.h"
#include "connector/domain/text.h"

namespace opdesk::campaigns {
namespace {

constexpr std::pair<FilterOp, const char*> kOps[] = {
    {FilterOp::kEq, "eq"},         {FilterOp::kContains, "contains"},
    {FilterOp::kEmpty, "empty"},   {FilterOp::kNotEmpty, "not_empty"},
    {FilterOp::kBefore, "before"}, {FilterOp::kAfter, "after"}};

bool IsDateType(const std::string& type) {
  return type == "date" || type == "datetime";
}

bool IsNumberType(const std::string& type) {
  return type == "integer" || type == "double";
}

bool IsDate(const std::string& v) {
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') {
    return false;
  }
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (v[i] < '0' || v[i] > '9') {
      return false;
    }
  }
  const int month = (v[5] - '0') * 10 + (v[6] - '0');
  const int day = (v[8] - '0') * 10 + (v[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool IsNumber(const std::string& v) {
  std::size_t i = v.empty() || v[0] != '-' ? 0 : 1;
  bool digits = false, dot = false;
  for (; i < v.size(); ++i) {
    if (v[i] >= '0' && v[i] <= '9') {
      digits = true;
    } else if (v[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits && v.size() <= 20;
}

}  // namespace

const char* ToString(FilterOp op) {
  for (const auto& [o, name] : kOps) {
    if (o == op) {
      return name;
    }
  }
  return "eq";
}

std::optional<FilterOp> FilterOpFrom(const std::string& text) {
  for (const auto& [o, name] : kOps) {
    if (text == name) {
      return o;
    }
  }
  return std::nullopt;
}

void ValidateFilter(const std::vector<FilterCondition>& conditions,
                    const std::vector<FilterField>& fields) {
  const std::string list = "crm_filter.conditions";
  if (conditions.empty()) {
    throw InvalidArgument("a CRM filter needs at least one condition", list);
  }
  if (conditions.size() > kMaxFilterConditions) {
    throw InvalidArgument("a CRM filter holds at most 10 conditions", list);
  }
  std::set<std::pair<std::string, FilterOp>> seen;
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    const FilterCondition& c = conditions[i];
    const std::string at = list + "[" + std::to_string(i) + "].";
    const FilterField* field = nullptr;
    for (const FilterField& f : fields) {
      if (f.id == c.field) {
        field = &f;
        break;
      }
    }
    if (field == nullptr) {
      throw InvalidArgument("the CRM has no contact field \"" + Utf8Prefix(c.field, 60) + "\"",
                            at + "field");
    }
    if (!seen.insert({c.field, c.op}).second) {
      throw InvalidArgument("the field " + c.field + " has this condition already", at + "field");
    }
    const bool needs_value = c.op != FilterOp::kEmpty && c.op != FilterOp::kNotEmpty;
    if (!needs_value) {
      if (!c.value.empty()) {
        throw InvalidArgument("«пусто» and «не пусто» take no value", at + "value");
      }
      continue;
    }
    CheckText(c.value, kMaxFilterValueLength, true, at + "value");
    const bool date = IsDateType(field->type);
    const bool number = IsNumberType(field->type);
    if ((c.op == FilterOp::kBefore || c.op == FilterOp::kAfter) && !date && !number) {
      throw InvalidArgument("before / after compare dates and numbers; " + c.field + " is neither",
                            at + "op");
    }
    if (c.op == FilterOp::kContains && (date || number)) {
      throw InvalidArgument("contains looks for text; " + c.field + " is a date or a number",
                            at + "op");
    }
    if (date && !IsDate(c.value)) {
      throw InvalidArgument("a date is written YYYY-MM-DD", at + "value");
    }
    if (number && !IsNumber(c.value)) {
      throw InvalidArgument(c.field + " is a number", at + "value");
    }
  }
}

std::optional<std::string> FirstPhone(const std::vector<std::string>& phones) {
  for (const std::string& p : phones) {
    if (auto n = NormaliseNumber(p)) {
      return n;
    }
  }
  return std::nullopt;
}

MaterialisePlan Materialise(const std::vector<PageContact>& page,
                            const std::set<std::string>& known_ids,
                            const std::set<std::string>& known_numbers) {
  MaterialisePlan plan;
  std::set<std::string> ids = known_ids;
  std::set<std::string> numbers = known_numbers;
  for (const PageContact& c : page) {
    const std::optional<std::string> phone = FirstPhone(c.phones);
    if (!phone) {
      ++plan.without_phone;
      continue;
    }
    if (ids.count(c.crm_id) > 0 || numbers.count(*phone) > 0) {
      ++plan.duplicates;
      continue;
    }
    ids.insert(c.crm_id);
    numbers.insert(*phone);
    plan.add.push_back({c.crm_id, Utf8Prefix(c.name, kMaxContactNameLength), *phone});
  }
  return plan;
}

std::string CrmDedupeKey(const std::string& crm_id) {
  return "contact:" + crm_id;
}

bool IsCrmId(const std::string& text) {
  if (text.empty() || text.size() > 18 || text[0] == '0') {
    return false;
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace opdesk::campaigns
