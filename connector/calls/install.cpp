#include "connector/calls/install.h"

#include "adapters/mango/command_client.h"
#include "connector/app/wiring.h"
#include "connector/calls/call_pipeline.h"
#include "connector/calls/click_to_call.h"
#include "connector/calls/client_creator.h"
#include "connector/calls/crm_callback.h"
#include "connector/calls/directory_sync.h"
#include "connector/calls/employee_resolver.h"

namespace opdesk::mango {

void InstallCalls(app::Wiring& w) {
  jobs::WorkerPool& workers = w.workers;
  auto& commands = w.Make<CommandClient>(w.db, w.box, w.clock, w.http_out, w.config.mango.api_url);
  w.mango_commands = &commands;
  auto& employees = w.Make<EmployeeResolver>(w.db, w.crm, w.clock);

  auto& calls = w.Make<CallPipeline>(w.db, w.crm, commands, employees, w.clock);
  workers.Register(kRegisterJob,
                   [&calls](const jobs::Job& j, const CallStepJob& p) { calls.Register(j, p); });
  workers.Register(kShowJob,
                   [&calls](const jobs::Job& j, const CallStepJob& p) { calls.Show(j, p); });
  workers.Register(kHideJob,
                   [&calls](const jobs::Job& j, const CallStepJob& p) { calls.Hide(j, p); });
  workers.Register(kFinishJob,
                   [&calls](const jobs::Job& j, const CallStepJob& p) { calls.Finish(j, p); });
  workers.Register(kRecordJob,
                   [&calls](const jobs::Job& j, const RecordJob& p) { calls.AttachRecord(j, p); });

  auto& clients = w.Make<ClientCreator>(w.db, w.crm, employees, w.clock);
  workers.Register(kCreateClientJob,
                   [&clients](const jobs::Job& j, const CallStepJob& p) { clients.Run(j, p); });

  auto& crm_callbacks = w.Make<CrmCallbacks>(w.db, w.crm, commands, employees, w.clock);
  auto& click_to_call =
      w.Make<ClickToCall>(w.db, w.crm, commands, employees, crm_callbacks, w.clock);
  workers.Register(kPortalEventJob, [&click_to_call](const jobs::Job& j, const PortalEventJob& p) {
    click_to_call.HandlePortalEvent(j, p);
  });
  workers.Register(kCommandResultJob,
                   [&click_to_call](const jobs::Job& j, const CommandResultJob& p) {
                     click_to_call.HandleCommandResult(j, p);
                   });

  auto& directory = w.Make<DirectorySync>(w.db, w.crm, commands, w.clock,
                                          w.config.mango.directory_refresh_seconds * 1000LL);
  workers.Register(kDirectorySyncJob, [&directory](const jobs::Job& j, const DirectorySyncJob& p) {
    directory.Run(j, p);
  });
  // Keeps every connected VPBX's employee directory fresh (idempotent across restarts).
  w.timers.push_back({[&directory] { directory.SchedulePeriodic(); }, nullptr});
}

}  // namespace opdesk::mango
