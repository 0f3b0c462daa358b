// CRM storage helpers shared by the CRM methods, telephony (lead auto-creation, phone lookup)
// and the control API's seeding.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tests/emulators/bitrix24/state.h"

namespace b24emu {

// kind: "lead", "deal", "contact", "company" (also accepts LEAD/CONTACT/… names); null if unknown.
std::map<int, Json>* EntityMap(PortalData& data, const std::string& kind);
// CRM entity type ids: 1 lead, 2 deal, 3 contact, 4 company; "" for others.
std::string KindFromTypeId(int type_id);
int TypeIdFromKind(const std::string& kind);
bool EntityExists(PortalData& data, const std::string& kind, int id);

// Creates an entity from `fields` with the portal's defaults; returns its id or 0 and sets
// `error` when the fields are rejected.
int AddEntity(State& st, const std::string& kind, const Json& fields, int user_id,
              std::string* error);
// Applies `fields` to an existing entity: multifields are added, changed by ID, deleted by empty
// VALUE or DELETE=Y; other fields are overwritten.
void UpdateEntity(State& st, const std::string& kind, Json& entity, const Json& fields);

// Leads, contacts and companies whose PHONE digits equal `digits`, as (KIND, id), in the order
// contacts, companies, leads (the portal prefers a contact when binding a call).
std::vector<std::pair<std::string, int>> FindByPhone(PortalData& data, const std::string& digits,
                                                     const std::vector<std::string>& kinds = {
                                                         "CONTACT", "COMPANY", "LEAD"});

}  // namespace b24emu
