#include "connector/calls/install.h"

#include <spdlog/spdlog.h>

#include "adapters/mango/command_client.h"
#include "connector/app/wiring.h"
#include "connector/calls/call_pipeline.h"
#include "connector/calls/click_to_call.h"
#include "connector/calls/client_creator.h"
#include "connector/calls/crm_callback.h"
#include "connector/calls/directory_sync.h"
#include "connector/calls/employee_resolver.h"
#include "connector/calls/responsible_routing.h"
#include "connector/jobs/job_store.h"

namespace opdesk::mango {
namespace {

// A CRM that refused opdesk's credentials (a Megaplan token that expired or was revoked: the
// password grant gives no refresh opdesk can use, and the password is never stored) needs a
// person to sign in again. The call's jobs wait for that without using up their attempts, so
// no call is lost while /readyz, /metrics and the «Мегаплан» page ask for the sign-in; the
// jobs' own deadlines still bound the wait.
constexpr long long kSignInWaitMs = 30'000;

template <typename Payload, typename Handler>
auto WaitingForSignIn(Handler handler) {
  return [handler](const jobs::Job& j, const Payload& p) {
    try {
      handler(j, p);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kUnauthenticated) {
        throw jobs::NotYet(e.what(), kSignInWaitMs);
      }
      throw;
    }
  };
}

}  // namespace

void InstallCalls(app::Wiring& w) {
  jobs::WorkerPool& workers = w.workers;
  auto& commands = w.Make<CommandClient>(w.db, w.box, w.clock, w.http_out, w.config.mango.api_url);
  w.mango_commands = &commands;
  auto& employees = w.Make<EmployeeResolver>(w.db, w.crm, w.clock);

  auto& calls = w.Make<CallPipeline>(w.db, w.crm, commands, employees, w.clock);
  workers.Register(kRegisterJob, WaitingForSignIn<CallStepJob>(
                                     [&calls](const jobs::Job& j, const CallStepJob& p) {
                                       calls.Register(j, p);
                                     }));
  workers.Register(kShowJob,
                   [&calls](const jobs::Job& j, const CallStepJob& p) { calls.Show(j, p); });
  workers.Register(kHideJob,
                   [&calls](const jobs::Job& j, const CallStepJob& p) { calls.Hide(j, p); });
  workers.Register(kFinishJob,
                   WaitingForSignIn<CallStepJob>(
                       [&calls](const jobs::Job& j, const CallStepJob& p) { calls.Finish(j, p); }));
  workers.Register(kRecordJob,
                   WaitingForSignIn<RecordJob>([&calls](const jobs::Job& j, const RecordJob& p) {
                     calls.AttachRecord(j, p);
                   }));

  auto& route_cache = w.Make<ResponsibleCache>();
  w.warm_routes = [&route_cache, &clock = w.clock](
                      const std::string& tenant_id, const std::string& phone,
                      const std::vector<adapters::ClientResponsibles>& clients) {
    route_cache.Warm(tenant_id, phone, clients, clock.NowMs());
  };
  auto& router = w.Make<CallRouter>(w.db, w.crm, commands, route_cache, w.clock);
  workers.Register(kRouteJob,
                   [&router](const jobs::Job& j, const RouteJob& p) { router.Run(j, p); });
  w.metrics.AddProvider([&router, &route_cache, &db = w.db](std::string& out) {
    out +=
        "# HELP opdesk_routes_total Calls routed to the responsible (B5), by outcome since start "
        "(dropped: the greeting was over before the route could go out).\n";
    out += "# TYPE opdesk_routes_total counter\n";
    std::map<std::string, long long> counts = router.Counts();
    for (const char* outcome : {"sent", "no_client", "no_responsible", "responsible_is_client",
                                "unmapped", "not_at_work", "lookup_failed", "refused", "dropped"}) {
      out += std::string("opdesk_routes_total{outcome=\"") + outcome + "\"} " +
             std::to_string(counts[outcome]) + "\n";
    }
    long long dropped = -1;
    try {
      storage::WithSession(db, [&](storage::Session& s) {
        dropped = jobs::JobStore::CountInState(s, kRouteJob.name, jobs::kDropped);
      });
    } catch (const std::exception&) {
      dropped = -1;
    }
    if (dropped >= 0) {
      out +=
          "# HELP opdesk_route_jobs_dropped Route jobs dropped unclaimed because the greeting "
          "was over (kept for jobs.retention_hours).\n";
      out += "# TYPE opdesk_route_jobs_dropped gauge\n";
      out += "opdesk_route_jobs_dropped " + std::to_string(dropped) + "\n";
    }
    out += "# HELP opdesk_route_cache_entries Numbers in the phone → responsible cache.\n";
    out += "# TYPE opdesk_route_cache_entries gauge\n";
    out += "opdesk_route_cache_entries " + std::to_string(route_cache.size()) + "\n";
  });

  auto& clients = w.Make<ClientCreator>(w.db, w.crm, employees, w.clock, &route_cache);
  workers.Register(kCreateClientJob, WaitingForSignIn<CallStepJob>(
                                         [&clients](const jobs::Job& j, const CallStepJob& p) {
                                           clients.Run(j, p);
                                         }));

  auto& crm_callbacks = w.Make<CrmCallbacks>(w.db, w.crm, commands, employees, w.clock);
  auto& click_to_call =
      w.Make<ClickToCall>(w.db, w.crm, commands, employees, crm_callbacks, w.clock);
  workers.Register(
      kPortalEventJob, [&click_to_call, &route_cache](const jobs::Job& j, const PortalEventJob& p) {
        // A contact, company or lead changed or went: its numbers are looked up afresh on the next
        // call, so a new phone or responsible is routed at once, not when the cache entry expires.
        if (std::optional<adapters::CrmRecord> record = ChangedCrmRecord(p.event, p.data_json)) {
          const std::size_t dropped = route_cache.ForgetClient(j.tenant_id, *record);
          spdlog::debug("event=route_cache_forget tenant={} record={}:{} entries={}", j.tenant_id,
                        record->entity, record->id, dropped);
          return;
        }
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
