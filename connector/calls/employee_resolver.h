// Who an employee is in the portal (issue 4, item 5): an extension maps to a portal user through
// the employee map (manual links win over the directory sync's), else through the internal number
// the CRM keeps for its users (remembered as a "crm" link). A call of an extension nobody has goes
// to the catch-all user — with the card when the settings say so, otherwise recorded without one
// (for the installer when no catch-all user is set). Blocking: used by outbox jobs.
#pragma once

#include <string>

#include "adapters/crm.h"
#include "connector/domain/clock.h"
#include "connector/storage/database.h"

namespace opdesk::mango {

class EmployeeResolver {
 public:
  EmployeeResolver(storage::Database& db, adapters::Crm& crm, const Clock& clock)
      : db_(db), crm_(crm), clock_(clock) {}

  struct Resolved {
    std::string user_id;
    bool mapped = false;     // the portal knows the employee
    bool show_card = false;  // mapped, or the catch-all user takes unmapped calls with the card
  };
  // `extension` empty: the tenant's default user (catch-all, else the installer), no card.
  Resolved Resolve(const std::string& tenant_id, const std::string& extension);

  // The portal user for an extension; empty when nobody has it.
  std::string UserForExtension(const std::string& tenant_id, const std::string& extension);
  // The extension of a portal user (map first, then the CRM's internal number); empty if none.
  std::string ExtensionForUser(const std::string& tenant_id, const std::string& user_id);

 private:
  storage::Database& db_;
  adapters::Crm& crm_;
  const Clock& clock_;
};

}  // namespace opdesk::mango
