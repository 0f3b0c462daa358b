#include "webhooks/mango/routes.h"

#include "connector/app/wiring.h"
#include "webhooks/mango/ingest.h"

namespace opdesk::mango {

void InstallWebhooks(app::Wiring& w) {
  auto& webhooks = w.Make<MangoWebhooks>(w.db, w.box, w.clock);
  webhooks.SetWake(w.Wake());
  w.mango_reconnected = [&webhooks](const std::string& tenant_id) { webhooks.Forget(tenant_id); };
  // Mango's notifications are a few kilobytes; 64 KiB leaves room for long SIP headers.
  w.router.Add(
      "POST", "/mango/{tenant_key}/{suffix*}",
      [&webhooks](http::Request& r) { return webhooks.Handle(r); },
      http::RouteOptions{64 * 1024, http::Lane::kIngest});
}

}  // namespace opdesk::mango
