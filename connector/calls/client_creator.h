// Creates what a call from a new number asks for (FEATURES B1, B2, B4, B6, B8, B10, B13): a lead,
// a contact, or a contact and a deal, for the call's responsible employee (who is the creator
// too); and for a known number the deal B3 asks for (always, or when the client has no open
// deal). An answered call's job runs right after the answer, a missed call's at the summary;
// both after the call's register and before its finish (same ordering key), so the card never
// waits for it and the finish, which binds the call to whatever the CRM finds by the number,
// puts the call on the new client.
//
// At most one creation per entry_id, and none for a number the CRM knows, under retries, restarts
// and repeated events:
//   - a call register bound to a CRM entity needs nothing (no request at all);
//   - `call_clients` records the outcome; once "done", a rerun does nothing;
//   - before adding, the CRM must know no client for the number;
//   - the record says "sending" before the add goes out; a rerun after that (timeout, SIGKILL)
//     first looks for what it may have created (the origin mark carries the entry_id) and adds
//     only what is missing;
//   - a per-number lock keeps two calls from the same new number from both adding a client.
// The adds go out as one request (Crm::CreateClient), never resent blindly.
#pragma once

#include <functional>
#include <optional>

#include "adapters/crm.h"
#include "connector/calls/call_jobs.h"
#include "connector/calls/employee_resolver.h"
#include "connector/calls/responsible_routing.h"
#include "connector/domain/integration_settings.h"
#include "connector/domain/time_zone.h"
#include "connector/jobs/job.h"
#include "connector/storage/mango_records.h"
#include "connector/storage/records.h"

namespace opdesk::mango {

inline constexpr const char* kOriginatorId = "opdesk";

class ClientCreator {
 public:
  ClientCreator(storage::Database& db, adapters::Crm& crm, EmployeeResolver& employees,
                const Clock& clock, ResponsibleCache* routes = nullptr)
      : db_(db), crm_(crm), employees_(employees), clock_(clock), routes_(routes) {}

  void Run(const jobs::Job& job, const CallStepJob& step);

 private:
  // Everything after the number's lock is taken: look, then add what is missing. Sets
  // `outcome_unknown` while an add is out without an answer.
  void CreateLocked(calls::ClientAction action, calls::RepeatedCallDeal repeated,
                    const calls::Call& call, const std::string& extension,
                    const std::optional<Tenant>& tenant, const IntegrationSettings& settings,
                    CallClient& record, bool& outcome_unknown,
                    const std::function<void(const std::string&)>& finish);
  // B3: a deal for the known client `known` (always, or when it has no open deal).
  void RepeatDealLocked(calls::RepeatedCallDeal repeated, const adapters::CrmRecord& known,
                        const calls::Call& call, const std::string& extension, const TimeZone& zone,
                        const IntegrationSettings& settings, CallClient& record,
                        bool& outcome_unknown,
                        const std::function<void(const std::string&)>& finish);
  // The creator and responsible: the employee's portal user (seed 004), "" creator when the
  // employee is not mapped (the default user then creates).
  void Responsible(const std::string& tenant_id, const std::string& extension,
                   adapters::NewClient& wanted);

  storage::Database& db_;
  adapters::Crm& crm_;
  EmployeeResolver& employees_;
  const Clock& clock_;
  ResponsibleCache* routes_;  // warmed with the clients created here (B5); may be null
};

}  // namespace opdesk::mango
