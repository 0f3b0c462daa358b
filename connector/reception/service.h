// The reception wizard (FEATURES G1–G4, seed 003): its settings, the managers of a service type
// with presence (the CRM) and line state (opdesk's own calls), the transfer of the operator's
// call to a manager through Mango commands/transfer, and an inquiry as a lead or deal with a task
// for the manager. Blocking (CRM and PBX round trips): used by the handlers on the blocking
// executor. Every read and write is scoped by the caller's tenant.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/crm.h"
#include "connector/domain/clock.h"
#include "connector/domain/reception.h"
#include "connector/storage/database.h"

namespace opdesk::mango {
class CommandClient;
class EmployeeResolver;
}  // namespace opdesk::mango

namespace opdesk::reception {

struct ManagerRow {
  Manager manager;
  std::vector<std::string> department_ids;
};

struct TransferRequest {
  std::string crm_call_id;  // the card's call (the CRM's CALL_ID)
  std::string manager_user_id;
  std::optional<TransferMethod> method;  // none: the settings' default
};

struct TransferState {
  std::string command_id;
  TransferOutcome outcome = TransferOutcome::kPending;
  int code = 0;  // Mango's result code once known; -1 no answer from the PBX
};

struct InquiryResult {
  bool created = false;  // false: this request id was accepted before
  std::string state;     // "done", "failed"
  std::string record;    // "LEAD:12" / "DEAL:7"
  std::string task_id;
  std::string error;
};

class ReceptionService {
 public:
  // `org_chart` and `inquiries` may be null (a CRM without them): the wizard then lists no
  // managers and accepts no inquiries (Unavailable), but transfers still work.
  ReceptionService(storage::Database& db, const Clock& clock, adapters::Crm& crm,
                   adapters::CrmOrgChart* org_chart, adapters::CrmInquiries* inquiries,
                   mango::CommandClient* commands, mango::EmployeeResolver& employees)
      : db_(db),
        clock_(clock),
        crm_(crm),
        org_chart_(org_chart),
        inquiries_(inquiries),
        commands_(commands),
        employees_(employees) {}

  ReceptionSettings LoadSettings(const std::string& tenant_id);
  // Validates, then stores if `expected_version` is the stored one (Conflict on field "version"
  // otherwise), with an audit entry, after checking again inside the transaction that the user
  // may manage settings.
  ReceptionSettings SaveSettings(const std::string& tenant_id, const std::string& user_id,
                                 ReceptionSettings wanted, long long expected_version);

  std::vector<adapters::CrmDepartment> Departments(const std::string& tenant_id);
  std::vector<adapters::CrmUser> DepartmentUsers(const std::string& tenant_id,
                                                 const std::string& department_id);

  // G2: the managers of the departments serving the type, ordered for the operator.
  // NotFound for a type the settings do not have.
  std::vector<ManagerRow> Managers(const std::string& tenant_id, const std::string& service_type);

  // G3: sends commands/transfer on behalf of the operator; the result arrives later
  // (TransferStateOf), or at once when the PBX refuses the request.
  TransferState Transfer(const std::string& tenant_id, const std::string& operator_user_id,
                         const TransferRequest& request);
  TransferState TransferStateOf(const std::string& tenant_id, const std::string& command_id);

  // G4: once per request id.
  InquiryResult AcceptInquiry(const std::string& tenant_id, const std::string& operator_user_id,
                              const Inquiry& inquiry, const std::string& lang);

 private:
  adapters::CrmOrgChart& OrgChart();
  // Cached for a minute: the settings page and the wizard ask often, the portal's budget is small.
  std::vector<adapters::CrmUser> CachedDepartmentUsers(const std::string& tenant_id,
                                                       const std::string& department_id);
  std::map<std::string, LineState> CurrentLines(const std::string& tenant_id);

  storage::Database& db_;
  const Clock& clock_;
  adapters::Crm& crm_;
  adapters::CrmOrgChart* org_chart_;
  adapters::CrmInquiries* inquiries_;
  mango::CommandClient* commands_;
  mango::EmployeeResolver& employees_;

  struct CachedUsers {
    EpochMs at_ms = 0;
    std::vector<adapters::CrmUser> users;
  };
  std::mutex mu_;
  std::map<std::string, CachedUsers> department_users_;  // guarded by mu_; tenant \n department
};

}  // namespace opdesk::reception
