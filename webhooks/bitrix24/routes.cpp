#include "webhooks/bitrix24/routes.h"

namespace opdesk::bitrix24 {

void AddRoutes(http::Router& router, Bitrix24App& app) {
  // Frames and events are small forms; anything large is not from a portal.
  const http::RouteOptions form{64 * 1024};
  const http::RouteOptions small{8 * 1024};
  router.Add(
      "POST", "/b24/install", [&app](http::Request& r) { return app.InstallPage(r); }, form);
  router.Add(
      "POST", "/b24/app", [&app](http::Request& r) { return app.Frame(r); }, form);
  router.Add(
      "POST", "/b24/callcard", [&app](http::Request& r) { return app.Frame(r); }, form);
  router.Add(
      "POST", "/b24/events", [&app](http::Request& r) { return app.Event(r); }, form);
  router.Add(
      "POST", "/api/b24/setup", http::Guard::kInstallSession,
      [&app](http::Request& r, const http::Caller& c) { return app.Setup(r, c); }, small);
  router.Add("GET", "/api/b24/status", http::Guard::kInstallSession,
             [&app](http::Request&, const http::Caller& c) { return app.Status(c); });
  router.Add(
      "POST", "/api/session/renew", [&app](http::Request& r) { return app.RenewSession(r); },
      small);
}

}  // namespace opdesk::bitrix24
