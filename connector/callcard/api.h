// The call card's JSON API, /api/callcard/... (docs/API.md, "Call card"; FEATURES C1–C6, E).
// Every route is guarded by the frame's UI session. The context answers every user, seated or not
// (a user without a seat learns whom to ask); everything else needs an active seat, and an object
// the user's role does not show is not found. CRM reads and writes run with the operator's own
// token; button actions are queued in the outbox (button_actions.h) and followed by press id.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "adapters/bitrix24/crm_card.h"
#include "adapters/crm.h"
#include "connector/http/router.h"
#include "connector/settings/service.h"
#include "connector/storage/callcard_records.h"

namespace opdesk::callcard {

class CallcardApi {
 public:
  CallcardApi(storage::Database& db, const Clock& clock, settings::SettingsService& settings,
              bitrix24::CrmCard& card, adapters::Crm& crm)
      : db_(db), clock_(clock), settings_(settings), card_(card), crm_(crm) {}

  // Set by the wiring so that queued actions start at once in this process.
  void SetWake(std::function<void()> wake) { wake_ = std::move(wake); }
  // Set by the wiring: the clients the card finds by phone warm the routing cache (B5).
  void SetRouteWarmer(std::function<void(const std::string&, const std::string&,
                                         const std::vector<adapters::ClientResponsibles>&)>
                          warm) {
    warm_routes_ = std::move(warm);
  }

  http::Response Context(http::Request& request,
                         const http::Caller& caller);  // GET /api/callcard/context
  http::Response Client(http::Request& request,
                        const http::Caller& caller);  // GET /api/callcard/client
  http::Response SaveClient(http::Request& request,
                            const http::Caller& caller);  // PUT /api/callcard/client
  http::Response History(http::Request& request,
                         const http::Caller& caller);  // GET /api/callcard/history
  http::Response Script(http::Request& request,
                        const http::Caller& caller);  // GET /api/callcard/scripts/{id}
  http::Response StartRun(http::Request& request,
                          const http::Caller& caller);  // POST /api/callcard/runs
  http::Response SaveRun(http::Request& request,
                         const http::Caller& caller);  // PUT /api/callcard/runs/{id}
  http::Response Preview(http::Request& request,
                         const http::Caller& caller);  // POST /api/callcard/buttons/{id}/preview
  http::Response Press(http::Request& request,
                       const http::Caller& caller);  // POST /api/callcard/buttons/{id}/press
  http::Response PressState(http::Request& request,
                            const http::Caller& caller);  // GET /api/callcard/presses/{id}

 private:
  // A caller with an active seat (the route's seat guard proved it) and the card's language.
  struct Seated {
    std::string tenant_id;
    std::string user_id;
    Role role;
    std::string lang;
  };
  struct PressContext;
  struct LoadedButton {
    Seated caller;
    Button button;
  };
  static Seated SeatedCaller(const http::Request& request, const http::Caller& caller);
  // The button of the path if the caller's role shows it (NotFound otherwise).
  LoadedButton LoadButton(const http::Request& request, const http::Caller& caller);
  PressContext ReadPressContext(const Seated& caller, const Button& button,
                                const settings::Json& body);
  std::vector<PressedAction> Render(const Button& button, const PressContext& context);
  // Applies the body's `overrides` (one item per action at most) to the rendered actions;
  // InvalidArgument naming the item otherwise. `deadline_hint` is the page's own wording.
  static void ApplyOverrides(const settings::Json& overrides, const TimeZone& zone,
                             const std::string& deadline_hint, std::vector<PressedAction>& actions);
  // Where a supervisor opens the app in the portal.
  std::string SettingsUrl(const std::string& tenant_id);

  storage::Database& db_;
  const Clock& clock_;
  settings::SettingsService& settings_;
  bitrix24::CrmCard& card_;
  adapters::Crm& crm_;
  std::function<void()> wake_;
  std::function<void(const std::string&, const std::string&,
                     const std::vector<adapters::ClientResponsibles>&)>
      warm_routes_;
  std::mutex mu_;
  std::map<std::string, std::string> app_ids_;  // guarded by mu_: tenant → the app's id
};

void AddCallcardRoutes(http::Router& router, CallcardApi& api);

// "ru" unless the request's Accept-Language starts with "en" (the page sends the portal's).
std::string RequestLanguage(const http::Request& request);

}  // namespace opdesk::callcard
