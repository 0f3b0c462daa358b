#include "connector/reception/install.h"

#include "connector/app/wiring.h"
#include "connector/calls/employee_resolver.h"
#include "connector/reception/api.h"
#include "connector/reception/service.h"

namespace opdesk::reception {

void Install(app::Wiring& w) {
  auto& employees = w.Make<mango::EmployeeResolver>(w.db, w.crm, w.clock);
  auto& service = w.Make<ReceptionService>(w.db, w.clock, w.crm, w.crm_org_chart, w.crm_inquiries,
                                           w.mango_commands, employees);
  AddReceptionRoutes(w.router, service);
}

}  // namespace opdesk::reception
