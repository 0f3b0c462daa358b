#include "connector/campaigns/install.h"

#include <chrono>

#include "connector/app/wiring.h"
#include "connector/calls/employee_resolver.h"
#include "connector/campaigns/after_jobs.h"
#include "connector/campaigns/after_service.h"
#include "connector/campaigns/api.h"
#include "connector/campaigns/comment_job.h"
#include "connector/campaigns/crm_api.h"
#include "connector/campaigns/crm_groups.h"
#include "connector/campaigns/reminder_job.h"
#include "connector/campaigns/service.h"

namespace opdesk::campaigns {

void Install(app::Wiring& w) {
  auto& employees = w.Make<mango::EmployeeResolver>(w.db, w.crm, w.clock);
  auto& service = w.Make<CampaignService>(w.db, w.clock, w.mango_commands, &employees);
  service.SetWake(w.Wake());
  service.SetScripts(w.settings);
  auto& crm_groups = w.Make<CrmGroups>(w.db, w.clock, w.crm_contacts);
  service.SetCrmGroups(&crm_groups);
  auto& comments = w.Make<CommentRunner>(w.db, w.crm, w.clock);
  w.workers.Register(kCommentJob,
                     [&comments](const jobs::Job& j, const CommentJob& p) { comments.Run(j, p); });
  auto& reminders = w.Make<ReminderRunner>(w.db, w.b24_rest, w.crm, w.clock);
  w.workers.Register(kReminderJob, [&reminders](const jobs::Job& j, const ReminderJob& p) {
    reminders.Run(j, p);
  });
  auto& sweep = w.Make<ReminderSweep>(
      w.db, w.clock, std::chrono::seconds(w.config.campaigns.reminder_interval_seconds), w.Wake());
  w.timers.push_back({[&sweep] { sweep.Start(); }, [&sweep] { sweep.Stop(); }});
  AddCampaignRoutes(w.router, service, *w.settings);
  AddCrmRoutes(w.router, crm_groups);

  // After the call (F6, F7): e-mail, recordings and invoices as typed outbox jobs.
  auto& after = w.Make<AfterCallService>(
      w.db, w.clock, w.crm, w.crm_after_call,
      PlanCatalog(w.config.plans.free_max_users, w.config.plans.standard_max_users));
  after.SetWake(w.Wake());
  auto& runner = w.Make<AfterCallRunner>(w.db, w.crm, w.crm_after_call, w.clock);
  w.workers.Register(kEmailJob,
                     [&runner](const jobs::Job& j, const EmailJob& p) { runner.RunEmail(j, p); });
  w.workers.Register(kRecordingJob, [&runner](const jobs::Job& j, const RecordingJob& p) {
    runner.RunRecording(j, p);
  });
  w.workers.Register(
      kInvoiceJob, [&runner](const jobs::Job& j, const InvoiceJob& p) { runner.RunInvoice(j, p); });
  AddAfterCallRoutes(w.router, after);
}

}  // namespace opdesk::campaigns
