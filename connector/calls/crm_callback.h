// Callback requests from CRM forms (ONEXTERNALCALLBACKSTART, FEATURES A4): the portal asks us to
// call a visitor back. The settings name what rings first — an employee's extension
// (commands/callback) or a group's short number on a line (commands/callback_group). We register
// the call first (TYPE 4, the form's line and CRM entity, EXTERNAL_CALL_ID = our command_id, so
// a rerun gets the same CALL_ID), remember command_id → CALL_ID, then send the command once. The
// call Mango then makes carries our command_id: the pipeline finishes that CALL_ID instead of
// registering again. A refusal (an error answer, or a result other than 1000) finishes it with
// FAILED_REASON; a 3xxx is never resent. Without the setting the request is refused loudly: an
// audit entry and a dead letter that says what to set (then retry it).
#pragma once

#include "adapters/json_fwd.h"

#include "adapters/crm.h"
#include "adapters/mango/command_client.h"
#include "connector/calls/employee_resolver.h"
#include "connector/jobs/job.h"

namespace opdesk::mango {

class CrmCallbacks {
 public:
  CrmCallbacks(storage::Database& db, adapters::Crm& crm, CommandClient& mango,
               EmployeeResolver& employees, const Clock& clock)
      : db_(db), crm_(crm), mango_(mango), employees_(employees), clock_(clock) {}

  // `data`: the event's data block (PHONE_NUMBER, CRM_ENTITY_TYPE, CRM_ENTITY_ID, LINE_NUMBER…).
  void Handle(const jobs::Job& job, const web::json::value& data);

 private:
  storage::Database& db_;
  adapters::Crm& crm_;
  CommandClient& mango_;
  EmployeeResolver& employees_;
  const Clock& clock_;
};

}  // namespace opdesk::mango
