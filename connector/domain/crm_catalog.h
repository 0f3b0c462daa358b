// What the settings need to know about the tenant's CRM: lead statuses, deal pipelines with their
// stages, and the fields of leads, deals, contacts and companies (reference bitrix24.md §6.3–6.4).
// Read from the portal and cached; buttons, roles and script steps are checked against it.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "connector/domain/clock.h"

namespace opdesk {

// The CRM entities a field or a client can come from.
inline constexpr std::string_view kCrmEntities[] = {"lead", "deal", "contact", "company"};
bool IsCrmEntity(std::string_view entity);

struct CrmStatus {
  std::string id;  // STATUS_ID: "IN_PROCESS", "C1:WON"
  std::string name;
  int sort = 0;
  std::string semantics;  // "" in progress, "S" success, "F" failure
};

struct DealCategory {
  std::string id;  // "0" is the default pipeline
  std::string name;
  std::vector<CrmStatus> stages;
};

struct CrmField {
  std::string code;  // "TITLE", "UF_CRM_1700000000"
  std::string label;
  std::string type;  // the CRM's type name: string, crm_status, crm_multifield, …
  bool multiple = false;
  bool read_only = false;
  bool required = false;
};

// A CRM field shown on the Client tab or in a script step; `editable` is meaningful for steps.
struct FieldRef {
  std::string entity;  // lead, deal, contact, company
  std::string code;
  bool editable = true;
};

struct CrmCatalog {
  std::vector<CrmStatus> lead_statuses;
  std::vector<CrmStatus>
      sources;  // lead and contact sources (SOURCE); the Integration page's lines
  std::vector<DealCategory> deal_categories;
  std::vector<CrmStatus> deal_types;      // DEAL_TYPE: SALE, COMPLEX, … (FEATURES F1)
  std::vector<CrmStatus> activity_types;  // the CRM's activity types: "2" a call … (F1)
  std::map<std::string, std::vector<CrmField>> fields;  // by entity
  EpochMs fetched_at_ms = 0;                            // 0: never read from the CRM

  bool HasLeadStatus(std::string_view id) const;
  const DealCategory* FindCategory(std::string_view id) const;
  bool HasDealType(std::string_view id) const;
  bool HasActivityType(std::string_view id) const;
  const CrmField* FindField(std::string_view entity, std::string_view code) const;
};

// Throws InvalidArgument naming `field` (e.g. "client_fields[2]") when a reference names no
// entity or a field the CRM does not have; duplicates in one list are refused too.
void CheckFieldRefs(const std::vector<FieldRef>& refs, const CrmCatalog& catalog,
                    const std::string& field);
// The shape of a field reference without the CRM: a known entity and a code of A–Z, 0–9, _.
void CheckFieldRefShape(const FieldRef& ref, const std::string& field);

}  // namespace opdesk
