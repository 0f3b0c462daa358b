// Dialing tasks' CRM contact groups (FEATURES F3): chosen CRM contacts, whose numbers are read
// when an operator gets them, and a CRM filter over the contacts' fields, evaluated page by page
// when the task's own pool runs dry. The rules as pure values: what a filter may say (checked
// against the CRM's own field list), which number of a CRM contact is dialed, and which contacts
// of a fetched page become task contacts.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace opdesk::campaigns {

inline constexpr std::size_t kMaxFilterConditions = 10;
inline constexpr std::size_t kMaxFilterValueLength = 200;
inline constexpr std::size_t kMaxChosenContacts = 200;  // ids a request adds at once
inline constexpr std::size_t kMaxCrmQueryLength = 100;

// eq: equals; contains: holds the text; empty / not_empty: no value / some value (no value
// given); before / after: on or before / on or after a date (YYYY-MM-DD) or a number.
enum class FilterOp { kEq, kContains, kEmpty, kNotEmpty, kBefore, kAfter };
const char* ToString(FilterOp op);  // "eq", "contains", "empty", "not_empty", "before", "after"
std::optional<FilterOp> FilterOpFrom(const std::string& text);

struct FilterCondition {
  std::string field;  // the CRM's field id: "NAME", "BIRTHDATE", "UF_CRM_…"
  FilterOp op = FilterOp::kEq;
  std::string value;
  bool operator==(const FilterCondition&) const = default;
};

// A field as the CRM's field list describes it (crm.contact.fields): id and type.
struct FilterField {
  std::string id;
  std::string type;  // "string", "date", "datetime", "integer", "double", "crm_multifield", …
};

// Throws InvalidArgument naming the member: "crm_filter.conditions" (none, or more than
// kMaxFilterConditions), "crm_filter.conditions[i].field" (not in `fields`, or used twice with
// the same operator), "crm_filter.conditions[i].value" (missing for eq / contains / before /
// after, given for empty / not_empty, over kMaxFilterValueLength characters, not a date
// YYYY-MM-DD or a number where the field is one), "crm_filter.conditions[i].op" (before / after
// on a field that is neither a date nor a number, contains on a date or number).
void ValidateFilter(const std::vector<FilterCondition>& conditions,
                    const std::vector<FilterField>& fields);

// The number dialed for a CRM contact: the first of its numbers that is a phone number
// (NormaliseNumber); nullopt when it has none.
std::optional<std::string> FirstPhone(const std::vector<std::string>& phones);

// Why a CRM contact is finished without a call (shown as its comment).
inline constexpr const char* kNoPhoneReason = "У контакта в CRM нет телефона";
inline constexpr const char* kDeletedReason = "Контакт удалён из CRM";

// A contact of a fetched page as the filter offers it.
struct PageContact {
  std::string crm_id;
  std::string name;
  std::vector<std::string> phones;
};

struct Materialised {
  std::string crm_id;
  std::string name;
  std::string phone;  // normalised
};

struct MaterialisePlan {
  std::vector<Materialised> add;  // in the page's order
  std::size_t duplicates = 0;     // a CRM contact or a number the task has already
  std::size_t without_phone = 0;  // no number to dial: not added
};

// Which contacts of a page become task contacts: each with a number (FirstPhone), whose CRM id
// is not in `known_ids` and whose number is not in `known_numbers` (nor earlier in the page).
MaterialisePlan Materialise(const std::vector<PageContact>& page,
                            const std::set<std::string>& known_ids,
                            const std::set<std::string>& known_numbers);

// The dedupe key of a task contact that is a CRM contact (chosen or from the filter), so one
// CRM contact is in a task once: "contact:<id>".
std::string CrmDedupeKey(const std::string& crm_id);

// A CRM contact id as typed: decimal, 1–18 digits.
bool IsCrmId(const std::string& text);

}  // namespace opdesk::campaigns
