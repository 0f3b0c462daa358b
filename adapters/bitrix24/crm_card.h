// The CRM side of the call card (reference bitrix24.md §6.2–6.4): finds whom a call is about,
// reads the fields a role shows together with their descriptions, and writes the operator's edits
// back with the operator's own token. Field descriptions and status lists are cached per portal,
// so opening a card costs one or two REST requests. Blocking: run on the blocking executor.
// The JSON produced follows docs/API.md ("Field with value", matches, sections).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/bitrix24/rest_client.h"
#include "adapters/crm.h"
#include "adapters/json_fwd.h"
#include "connector/domain/crm_catalog.h"

namespace opdesk::bitrix24 {

// entity: "lead", "deal", "contact" or "company"; id: the CRM id as digits.
struct CrmRef {
  std::string entity;
  std::string id;
};

// Throws InvalidArgument naming the field when `entity` is not one of the four CRM entities or
// `id` is not a positive integer.
CrmRef ParseCrmRef(const std::string& entity, const std::string& id);

class CrmCard {
 public:
  static constexpr long long kCatalogTtlMs = 10 * 60 * 1000;

  CrmCard(RestClient& rest, const Clock& clock) : rest_(rest), clock_(clock) {}

  // `[{"entity", "id", "title"}]`: the entity the portal bound the call to first, then every
  // lead, contact and company whose phone is `phone` (at most 20 in all). `by_phone`, when
  // given, receives the records found by the phone (not the bound one unless the phone found it
  // too), in the order found, each with its responsible (ASSIGNED_BY_ID): what the routing cache
  // keeps of a number.
  web::json::value FindMatches(const std::string& tenant_id, const std::string& user_id,
                               const std::string& phone, const std::optional<CrmRef>& bound,
                               std::vector<adapters::ClientResponsibles>* by_phone = nullptr);

  // `{"sections": [...]}`: `ref` and what it is linked to (a contact's company and latest open
  // deal, a deal's contact and company, a company's latest open deal), each with the `fields` of
  // its entity. A linked entity the role shows no field of is left out.
  web::json::value LoadSections(const std::string& tenant_id, const std::string& user_id,
                                const CrmRef& ref, const std::vector<FieldRef>& fields);

  // Validates `values` ({"CODE": value}) against the field descriptions and `allowed` (only
  // editable fields of ref's entity), writes them with the user's token and returns ref's
  // section. A phone or e-mail value is the whole list wanted (docs/API.md): rows keep their id,
  // new ones have none, rows left out are deleted. Errors: InvalidArgument whose field is the CODE
  // at fault (also for a CRM refusal that names a field), PermissionDenied when the CRM refuses the
  // user. `lang` picks ru/en messages.
  web::json::value Save(const std::string& tenant_id, const std::string& user_id, const CrmRef& ref,
                        const web::json::value& values, const std::vector<FieldRef>& allowed,
                        const std::string& lang);

  // The field descriptions of one entity as `[{"code", "label", "type", "multiple", "required",
  // "read_only"}]`, for the settings pages' field pickers.
  web::json::value DescribeFields(const std::string& tenant_id, const std::string& entity);

  // What button templates may say of a client (`{client.*}`, `{deal.title}`): `{"name",
  // "company", "phone", "deal", "responsible_id"}`, read in one batch with the user's token.
  web::json::value ClientFacts(const std::string& tenant_id, const std::string& user_id,
                               const CrmRef& ref);

  // Forgets a portal's cached descriptions (after its settings changed).
  void Invalidate(const std::string& tenant_id);

 private:
  struct Catalog;
  std::shared_ptr<const Catalog> CatalogFor(const std::string& tenant_id);
  web::json::value Section(const Catalog& catalog, const std::string& entity,
                           const web::json::value& record,
                           const std::vector<FieldRef>& fields) const;

  // The steps of Save: the record's current rows when a phone or e-mail list is edited (null
  // otherwise); the checked values in the CRM's terms; the update, and the record read back.
  web::json::value CurrentRowsFor(const std::string& tenant_id, const CrmRef& ref,
                                  const web::json::value& values, const CallOptions& options);
  static web::json::value FieldsToWrite(const Catalog& catalog, const CrmRef& ref,
                                        const web::json::value& values,
                                        const std::vector<FieldRef>& allowed,
                                        const web::json::value& current, const std::string& lang);
  web::json::value WriteAndReadBack(const std::string& tenant_id, const Catalog& catalog,
                                    const CrmRef& ref, const web::json::value& values,
                                    const web::json::value& fields, const CallOptions& options,
                                    const std::string& lang);

  RestClient& rest_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Catalog>> catalogs_;  // guarded by mu_
};

}  // namespace opdesk::bitrix24
