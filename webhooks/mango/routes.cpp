#include "webhooks/mango/routes.h"

namespace opdesk::mango {

void AddRoutes(http::Router& router, MangoWebhooks& webhooks) {
  // Mango's notifications are a few kilobytes; 64 KiB leaves room for long SIP headers.
  router.Add(
      "POST", "/mango/{tenant_key}/{suffix*}",
      [&webhooks](http::Request& r) { return webhooks.Handle(r); },
      http::RouteOptions{64 * 1024, http::Lane::kIngest});
}

}  // namespace opdesk::mango
