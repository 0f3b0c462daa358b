#include "webhooks/mango/routes.h"

#include "connector/app/wiring.h"
#include "webhooks/mango/ingest.h"

namespace opdesk::mango {

void InstallWebhooks(app::Wiring& w) {
  auto& webhooks = w.Make<MangoWebhooks>(w.db, w.box, w.clock);
  webhooks.SetWake(w.Wake());
  w.mango_reconnected = [&webhooks](const std::string& tenant_id) { webhooks.Forget(tenant_id); };
  // Mango's notifications are a few kilobytes; 64 KiB leaves room for long SIP headers.
  w.router.SetGuard(http::Guard::kMangoSignature,
                    [&webhooks](const http::Request& r) { return webhooks.Verify(r); });
  w.router.Add(
      "POST", "/mango/{tenant_key}/{suffix*}", http::Guard::kMangoSignature,
      [&webhooks](http::Request& r, const http::Caller& c) { return webhooks.Handle(r, c); },
      http::RouteOptions{64 * 1024, http::Lane::kIngest});
}

}  // namespace opdesk::mango
