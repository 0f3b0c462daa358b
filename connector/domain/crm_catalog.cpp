#include "connector/domain/crm_catalog.h"

#include <algorithm>
#include <set>

#include "connector/domain/error.h"

namespace opdesk {

bool IsCrmEntity(std::string_view entity) {
  return std::find(std::begin(kCrmEntities), std::end(kCrmEntities), entity) !=
         std::end(kCrmEntities);
}

bool CrmCatalog::HasLeadStatus(std::string_view id) const {
  return std::any_of(lead_statuses.begin(), lead_statuses.end(),
                     [&](const CrmStatus& s) { return s.id == id; });
}

const DealCategory* CrmCatalog::FindCategory(std::string_view id) const {
  for (const DealCategory& c : deal_categories) {
    if (c.id == id) {
      return &c;
    }
  }
  return nullptr;
}

bool CrmCatalog::HasDealType(std::string_view id) const {
  return std::any_of(deal_types.begin(), deal_types.end(),
                     [&](const CrmStatus& s) { return s.id == id; });
}

bool CrmCatalog::HasActivityType(std::string_view id) const {
  return std::any_of(activity_types.begin(), activity_types.end(),
                     [&](const CrmStatus& s) { return s.id == id; });
}

const CrmField* CrmCatalog::FindField(std::string_view entity, std::string_view code) const {
  auto it = fields.find(std::string(entity));
  if (it == fields.end()) {
    return nullptr;
  }
  for (const CrmField& f : it->second) {
    if (f.code == code) {
      return &f;
    }
  }
  return nullptr;
}

void CheckFieldRefShape(const FieldRef& ref, const std::string& field) {
  if (!IsCrmEntity(ref.entity)) {
    throw InvalidArgument(field + ".entity must be lead, deal, contact or company",
                          field + ".entity");
  }
  const bool code_ok = !ref.code.empty() && ref.code.size() <= 64 &&
                       std::all_of(ref.code.begin(), ref.code.end(), [](char c) {
                         return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
                       });
  if (!code_ok) {
    throw InvalidArgument(field + ".code must be a CRM field code such as TITLE", field + ".code");
  }
}

void CheckFieldRefs(const std::vector<FieldRef>& refs, const CrmCatalog& catalog,
                    const std::string& field) {
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const std::string at = field + "[" + std::to_string(i) + "]";
    CheckFieldRefShape(refs[i], at);
    if (!seen.emplace(refs[i].entity, refs[i].code).second) {
      throw InvalidArgument(at + " repeats " + refs[i].entity + "." + refs[i].code, at);
    }
    if (catalog.FindField(refs[i].entity, refs[i].code) == nullptr) {
      throw InvalidArgument(at + ": the CRM has no " + refs[i].entity + " field " + refs[i].code,
                            at + ".code");
    }
  }
}

}  // namespace opdesk
