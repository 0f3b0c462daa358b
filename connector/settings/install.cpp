#include "connector/settings/install.h"

#include <chrono>

#include "connector/app/wiring.h"
#include "connector/settings/api.h"
#include "connector/settings/integration_api.h"
#include "connector/settings/mango_api.h"
#include "connector/settings/number_job.h"
#include "connector/settings/plan_timer.h"
#include "connector/settings/service.h"

namespace opdesk::settings {

void Install(app::Wiring& w) {
  SettingsOptions options;
  options.plans = PlanCatalog(w.config.plans.free_max_users, w.config.plans.standard_max_users);
  options.order_url = w.config.tariff.order_url;
  options.contacts = w.config.tariff.contacts;
  auto& service = w.Make<SettingsService>(w.db, w.clock, &w.crm, options, SystemRandomPick());
  w.settings = &service;
  service.SetWake(w.Wake());
  auto& numbers = w.Make<NumberRunner>(w.db, w.crm, w.clock);
  w.workers.Register(kNumberJob,
                     [&numbers](const jobs::Job& j, const NumberJob& p) { numbers.Run(j, p); });

  auto& lapses =
      w.Make<PlanLapseTimer>(service, std::chrono::seconds(w.config.plans.check_interval_seconds));
  w.timers.push_back({[&lapses] { lapses.Start(); }, [&lapses] { lapses.Stop(); }});

  AddSettingsRoutes(w.router, service);
  mango::AddIntegrationSettingsRoutes(w.router, w.db, w.clock, w.crm);
  app::Wiring* wiring = &w;
  mango::MangoSettingsDeps mango_deps{w.db,
                                      w.clock,
                                      w.box,
                                      w.crm,
                                      w.config.public_url,
                                      w.config.mango.directory_refresh_seconds * 1000LL,
                                      w.Wake(),
                                      [wiring](const std::string& tenant_id) {
                                        if (wiring->mango_reconnected) {
                                          wiring->mango_reconnected(tenant_id);
                                        }
                                      },
                                      [wiring] { return wiring->mango_commands; }};
  mango::AddMangoSettingsRoutes(w.router, mango_deps);
  mango::AddMangoCheckRoute(w.router, mango_deps);
}

}  // namespace opdesk::settings
