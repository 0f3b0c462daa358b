#include "oauth/megaplan/sign_in.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include "adapters/json_read.h"
#include "adapters/megaplan/api_client.h"
#include "connector/domain/error.h"
#include "connector/storage/megaplan_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/secret_box.h"

namespace opdesk::megaplan {

SignInResult SignIn(storage::Database& db, const crypto::SecretBox& box, const Clock& clock,
                    adapters::HttpTransport& http, bool allow_insecure,
                    const SignInRequest& request) {
  if (request.url.empty()) {
    throw InvalidArgument("the Megaplan address is required", "url");
  }
  if (request.login.empty()) {
    throw InvalidArgument("the login is required", "login");
  }
  if (request.password.empty()) {
    throw InvalidArgument("the password is required", "password");
  }
  SignInResult result;
  std::string base_url;
  try {
    base_url = NormalizeBaseUrl(request.url, allow_insecure, &result.host);
  } catch (const Error& e) {
    throw InvalidArgument(std::string("the Megaplan address is not allowed: ") + e.what(), "url");
  }
  result.tenant_id = TenantIdOf(result.host);
  const GrantedToken token = PasswordGrant(http, base_url, request.login, request.password);
  const EpochMs now = clock.NowMs();
  result.token_expires_at_ms = now + token.expires_in_s * 1000;
  // Who signed in: GET /api/v3/currentUser. The endpoint is not in the sources read (reference
  // §1.2); an account that does not answer it leaves the default user unset rather than
  // failing the sign-in.
  try {
    const web::json::value me =
        GetWithToken(http, base_url, token.access_token, "currentUser", web::json::value::null());
    if (me.has_field("data") && me.at("data").is_object()) {
      result.employee_id = adapters::JsonIdText(me.at("data"), "id");
      result.is_admin = adapters::JsonTrue(me.at("data"), "isAdmin");
    }
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kUnauthenticated) {
      throw PermissionDenied("Megaplan refused the token it has just issued; nothing was saved");
    }
    spdlog::warn("event=megaplan_current_user_unknown host={} code={}", result.host,
                 ToString(e.code()));
  }
  // API v1 credentials for the v1 Phone search (used only when v3's search is unavailable); an
  // account without v1 leaves them empty.
  const std::optional<V1Credentials> v1 = V1SignIn(http, base_url, request.login, request.password);
  MegaplanAccount account;
  account.tenant_id = result.tenant_id;
  account.host = result.host;
  account.base_url = base_url;
  account.login = request.login;
  account.employee_id = result.employee_id;
  account.token_sealed = box.Seal(token.access_token, TokenAssociatedData(result.tenant_id));
  account.token_expires_at_ms = result.token_expires_at_ms;
  account.state = "connected";
  account.created_at_ms = now;
  account.updated_at_ms = now;
  storage::InTransaction(db, [&](storage::Session& s) {
    std::optional<Tenant> tenant = storage::TenantRepository::Find(s, result.tenant_id);
    result.reconnected = storage::MegaplanAccountRepository::Find(s, result.tenant_id).has_value();
    if (!tenant) {
      Tenant t;
      t.id = result.tenant_id;
      t.kind = TenantKind::kMegaplan;
      t.domain = result.host;
      t.created_at_ms = now;
      t.updated_at_ms = now;
      storage::TenantRepository::Upsert(s, t);
    }
    storage::MegaplanAccountRepository::Save(s, account);
    storage::MegaplanAccountRepository::SaveV1Credentials(
        s, result.tenant_id, v1 ? v1->access_id : "",
        v1 ? box.Seal(v1->secret_key, V1AssociatedData(result.tenant_id)) : "");
    AuditEntry audit = MakeAuditEntry(result.tenant_id, request.actor, "megaplan.sign_in",
                                      "megaplan_account", result.tenant_id, now);
    audit.after_json =
        "{\"login\":" + web::json::value::string(request.login).serialize() +
        ",\"employee_id\":" + web::json::value::string(result.employee_id).serialize() + "}";
    storage::AuditLogRepository::Append(s, audit);
  });
  spdlog::info("event=megaplan_signed_in tenant={} employee={} reconnected={}", result.tenant_id,
               result.employee_id, result.reconnected);
  return result;
}

}  // namespace opdesk::megaplan
