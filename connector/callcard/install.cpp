#include "connector/callcard/install.h"

#include "adapters/bitrix24/crm_card.h"
#include "connector/app/wiring.h"
#include "connector/callcard/api.h"
#include "connector/callcard/button_actions.h"
#include "connector/domain/error.h"

namespace opdesk::callcard {

void Install(app::Wiring& w) {
  if (w.settings == nullptr) {
    throw Internal("callcard::Install needs the settings service");
  }
  auto& button_actions = w.Make<ButtonActionRunner>(w.db, w.crm, w.clock);
  w.workers.Register(kActionJob, [&button_actions](const jobs::Job& j, const ActionJob& p) {
    button_actions.Run(j, p);
  });

  auto& crm_card = w.Make<bitrix24::CrmCard>(w.b24_rest, w.clock);
  auto& api = w.Make<CallcardApi>(w.db, w.clock, *w.settings, crm_card, w.crm);
  api.SetWake(w.Wake());
  if (w.warm_routes) {
    api.SetRouteWarmer(w.warm_routes);
  }
  AddCallcardRoutes(w.router, api);
}

}  // namespace opdesk::callcard
