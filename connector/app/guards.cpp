#include "connector/app/guards.h"

#include "connector/app/admin_auth.h"
#include "connector/domain/error.h"
#include "connector/settings/service.h"
#include "oauth/bitrix24/sign_in.h"

namespace opdesk::app {
namespace {

http::Caller FromClaims(const crypto::SessionClaims& claims) {
  http::Caller caller;
  caller.tenant_id = claims.tenant_id;
  caller.user_id = claims.user_id;
  caller.scope = claims.scope;
  return caller;
}

}  // namespace

void SetUpGuards(http::Router& router, SessionCheck session, settings::SettingsService& settings,
                 const std::string& admin_token) {
  using http::Guard;
  router.SetGuard(Guard::kSession,
                  [session](const http::Request& r) { return FromClaims(session(r, false)); });
  router.SetGuard(Guard::kInstallSession,
                  [session](const http::Request& r) { return FromClaims(session(r, true)); });
  // A seat and a manager's role are read after applying a due end of a paid period.
  router.SetGuard(Guard::kSeat, [session, &settings](const http::Request& r) {
    http::Caller caller = FromClaims(session(r, false));
    caller.role = settings.AuthorizeRead(caller.tenant_id, caller.user_id);
    return caller;
  });
  router.SetGuard(Guard::kSettingsManager, [session, &settings](const http::Request& r) {
    http::Caller caller = FromClaims(session(r, false));
    caller.role = settings.AuthorizeManager(caller.tenant_id, caller.user_id);
    return caller;
  });
  router.SetGuard(Guard::kAdmin, [admin_token](const http::Request& r) {
    RequireAdmin(r, admin_token);
    return http::Caller{};
  });
}

void InstallGuards(Wiring& w) {
  if (w.b24_sign_in == nullptr || w.settings == nullptr) {
    throw Internal("app::InstallGuards needs the Bitrix24 sign-in and the settings service");
  }
  const bitrix24::SignIn* b24 = w.b24_sign_in;
  SetUpGuards(
      w.router,
      [b24](const http::Request& r, bool install_allowed) {
        return b24->RequireSession(r, install_allowed);
      },
      *w.settings, w.config.admin.token);
}

}  // namespace opdesk::app
