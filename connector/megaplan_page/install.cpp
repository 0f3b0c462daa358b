#include "connector/megaplan_page/install.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <string>

#include "adapters/json_read.h"
#include "adapters/megaplan/api_client.h"
#include "connector/app/wiring.h"
#include "connector/domain/error.h"
#include "connector/domain/keyed_rate_limit.h"
#include "connector/domain/log_escape.h"
#include "connector/settings/access.h"
#include "connector/settings/service.h"
#include "connector/storage/megaplan_repositories.h"
#include "connector/storage/repositories.h"
#include "oauth/megaplan/sign_in.h"
#include "oauth/session_token.h"
#include "webhooks/bitrix24/callcard_shell.h"
#include "webhooks/bitrix24/pages.h"

namespace opdesk::megaplan_page {
namespace {

using web::json::value;

// A UI session of the page. Megaplan has no frame that could renew it, so it lasts an hour and
// the page asks for the password again after that.
constexpr EpochMs kSessionTtlMs = 60LL * 60 * 1000;

// "en" when the request asks for English first, else "ru" (the page is Russian first).
std::string LangOf(const http::Request& r) {
  const std::string accept = r.Header("Accept-Language");
  return accept.rfind("en", 0) == 0 ? "en" : "ru";
}

const char* Say(const std::string& lang, const char* ru, const char* en) {
  return lang == "en" ? en : ru;
}

// A host as the tenant id carries it: letters, digits, '.', '-' and one ":port"; anything else
// names no account (and is never fetched: the address comes from the stored row).
bool PlausibleHost(const std::string& host) {
  if (host.empty() || host.size() > 253) {
    return false;
  }
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == ':';
  });
}

std::optional<MegaplanAccount> AccountOfHost(storage::Database& db, const std::string& host) {
  if (!PlausibleHost(host)) {
    return std::nullopt;
  }
  std::optional<MegaplanAccount> account;
  storage::WithSession(db, [&](storage::Session& s) {
    account = storage::MegaplanAccountRepository::Find(s, megaplan::TenantIdOf(host));
  });
  return account;
}

// The caller's tenant's account; NotFound for a tenant that is not a Megaplan account.
MegaplanAccount AccountOfTenant(storage::Database& db, const std::string& tenant_id) {
  std::optional<MegaplanAccount> account;
  storage::WithSession(db, [&](storage::Session& s) {
    account = storage::MegaplanAccountRepository::Find(s, tenant_id);
  });
  if (!account) {
    throw NotFound("this tenant has no Megaplan account");
  }
  return *account;
}

value AccountJson(const MegaplanAccount& a, EpochMs now) {
  value v = value::object();
  v["tenant_id"] = value::string(a.tenant_id);
  v["host"] = value::string(a.host);
  v["url"] = value::string(a.base_url);
  v["login"] = value::string(a.login);
  v["employee_id"] = value::string(a.employee_id);
  v["token"] = value::string(MegaplanTokenState(a, now));
  v["token_expires_at_ms"] = value::number(static_cast<int64_t>(a.token_expires_at_ms));
  v["seconds_left"] =
      value::number(static_cast<int64_t>(std::max<EpochMs>(0, a.token_expires_at_ms - now) / 1000));
  v["last_error"] = value::string(a.last_error);
  v["updated_at_ms"] = value::number(static_cast<int64_t>(a.updated_at_ms));
  return v;
}

struct Credentials {
  std::string login;
  std::string password;
};

Credentials ReadCredentials(adapters::ObjectReader& reader) {
  Credentials c;
  c.login = reader.String("login", false, 256);
  c.password = reader.String("password", false, 1024);
  if (c.login.empty()) {
    throw InvalidArgument("the login is required", "login");
  }
  if (c.password.empty()) {
    throw InvalidArgument("the password is required", "password");
  }
  return c;
}

// Who signed in, from GET /api/v3/currentUser (the employee card).
// NOTE: the reference (megaplan.md §2.3) lists no attribute for administrator rights; the
// account's own /api/v3/docs is the authority. We read `isAdmin` (the boolean the account API
// documentation's Employee carries, and what the emulator answers) and fail closed: an answer
// without it, or with anything but `true`, is not an administrator. A wrong guess therefore
// refuses an administrator (who can still connect with `opdesk tenant megaplan`), never admits
// someone else.
struct SignedInUser {
  std::string id;
  std::string name;
  bool admin = false;
};

SignedInUser ReadCurrentUser(const value& envelope) {
  SignedInUser user;
  if (!envelope.has_field("data") || !envelope.at("data").is_object()) {
    return user;
  }
  const value& data = envelope.at("data");
  user.id = adapters::JsonIdText(data, "id");
  user.admin = adapters::JsonTrue(data, "isAdmin");
  user.name = adapters::JsonText(data, "name");
  if (user.name.empty()) {
    const std::string first = adapters::JsonText(data, "firstName");
    const std::string last = adapters::JsonText(data, "lastName");
    user.name = first + (first.empty() || last.empty() ? "" : " ") + last;
  }
  return user;
}

struct CheckAnswer {
  bool ok = false;
  std::string code;
  std::string message;
};

CheckAnswer CheckToken(megaplan::ApiClient& api, const MegaplanAccount& account, EpochMs now,
                       const std::string& lang) {
  CheckAnswer a;
  try {
    const value me = api.Get(account.tenant_id, "currentUser", value::object(),
                             std::chrono::milliseconds(10'000));
    const SignedInUser user = ReadCurrentUser(me);
    a.ok = true;
    a.code = "ok";
    const long long hours = std::max<EpochMs>(0, account.token_expires_at_ms - now) / 3'600'000;
    a.message = std::string(Say(lang, "Мегаплан принимает токен интеграции (сотрудник ",
                                "Megaplan accepts the integration's token (employee ")) +
                (user.name.empty() ? user.id : user.name) +
                Say(lang, "); он действует ещё ", "); it works for another ") +
                std::to_string(hours) + Say(lang, " ч.", " h.");
  } catch (const Error& e) {
    switch (e.code()) {
      case ErrorCode::kUnauthenticated:
        a.code = MegaplanTokenState(account, now) == "expired" ? "token_expired" : "token_refused";
        a.message = a.code == "token_expired"
                        ? Say(lang,
                              "Срок токена интеграции истёк. Нажмите «Войти заново» и введите "
                              "логин и пароль сотрудника интеграции.",
                              "The integration's token has ended. Press «Sign in again» and enter "
                              "the integration employee's login and password.")
                        : Say(lang,
                              "Мегаплан отклонил токен интеграции. Нажмите «Войти заново» и "
                              "введите логин и пароль сотрудника интеграции.",
                              "Megaplan refused the integration's token. Press «Sign in again» "
                              "and enter the integration employee's login and password.");
        break;
      case ErrorCode::kPermissionDenied:
        a.code = "forbidden";
        a.message = Say(lang,
                        "Мегаплан отказал сотруднику интеграции в доступе. Проверьте его права: "
                        "они должны охватывать всех клиентов и сделки.",
                        "Megaplan denied the integration employee access. Check their rights: "
                        "they must cover every client and deal.");
        break;
      case ErrorCode::kResourceExhausted:
        a.code = "rate_limited";
        a.message = Say(lang,
                        "Мегаплан просит подождать (слишком много запросов). Повторите "
                        "проверку через минуту.",
                        "Megaplan asks to wait (too many requests). Check again in a minute.");
        break;
      default:
        a.code = "unavailable";
        a.message = Say(lang, "Мегаплан сейчас не отвечает. Повторите проверку позже.",
                        "Megaplan does not answer now. Check again later.");
        break;
    }
  }
  return a;
}

}  // namespace

void Install(app::Wiring& w) {
  if (w.settings == nullptr || w.megaplan_api == nullptr) {
    throw Internal("megaplan_page::Install needs the settings service and the Megaplan API");
  }
  storage::Database& db = w.db;
  const Clock& clock = w.clock;
  settings::SettingsService& service = *w.settings;
  megaplan::ApiClient& api = *w.megaplan_api;
  const crypto::SecretBox& box = w.box;
  const crypto::SessionTokenSigner& sessions = w.sessions;
  adapters::HttpTransport& http_out = w.http_out;
  const bool allow_insecure = w.config.allow_insecure_endpoints;
  const http::StaticFiles& ui_files = w.ui_files;
  // Password guesses: per client address, then per account (a client's refused guesses must not
  // use up the account's share).
  auto& per_client = w.Make<KeyedRateLimit>(clock, 0.1, 10.0);
  auto& per_account = w.Make<KeyedRateLimit>(clock, 0.5, 30.0);

  w.router.Add("GET", "/megaplan/{host}", [&db, &ui_files](http::Request& r) {
    // Russian, the account's language, unless the address asks for English (?lang=en): a
    // browser's own Accept-Language says little about a Russian CRM's admin page.
    const std::string lang = r.QueryParam("lang").value_or("") == "en" ? "en" : "ru";
    const std::optional<MegaplanAccount> account = AccountOfHost(db, r.PathParam("host"));
    if (!account) {
      return bitrix24::ErrorPage(
          404, lang, "error.megaplan_unknown",
          Say(lang, "Подключите его командой opdesk tenant megaplan (см. README).",
              "Connect it with opdesk tenant megaplan (see README)."));
    }
    bitrix24::ShellBootstrap boot;
    boot.lang = lang;
    boot.placement = "MEGAPLAN";
    boot.placement_options =
        "{\"host\":" + value::string(account->host).serialize() + ",\"crm\":\"megaplan\"}";
    boot.member_id = account->tenant_id;
    return bitrix24::CallCardShell(ui_files.Read("settings.html"), "", boot, "settings.html");
  });

  w.router.Add(
      "POST", "/api/megaplan/sign-in",
      [&db, &clock, &service, &sessions, &http_out, &per_client, &per_account](http::Request& r) {
        const std::string lang = LangOf(r);
        const value body = adapters::ParseBody(r.body);
        adapters::ObjectReader reader(body, "");
        const std::string host = reader.String("host", true, 300);
        const Credentials credentials = ReadCredentials(reader);
        reader.Done();
        const std::optional<MegaplanAccount> account = AccountOfHost(db, host);
        if (!account) {
          throw Error(ErrorCode::kNotFound, "this Megaplan account is not connected to opdesk",
                      "host");
        }
        if (!per_client.Allow(r.ClientAddress()) || !per_account.Allow(account->tenant_id)) {
          spdlog::warn("event=megaplan_page_signin_limited tenant={} client={}",
                       LogValue(account->tenant_id), LogValue(r.ClientAddress()));
          throw ResourceExhausted(Say(lang, "Слишком много попыток входа. Подождите минуту.",
                                      "Too many sign-in attempts. Wait a minute."));
        }
        // The stored address only: the request names which account, never where it is.
        megaplan::GrantedToken token;
        try {
          token = megaplan::PasswordGrant(http_out, account->base_url, credentials.login,
                                          credentials.password);
        } catch (const Error& e) {
          if (e.code() == ErrorCode::kPermissionDenied) {
            spdlog::info("event=megaplan_page_signin_refused tenant={}",
                         LogValue(account->tenant_id));
            throw Error(ErrorCode::kPermissionDenied,
                        Say(lang,
                            "Мегаплан не принял логин или пароль. Проверьте их и попробуйте ещё "
                            "раз; ничего не сохранено.",
                            "Megaplan refused the login or password. Check them and try again; "
                            "nothing was saved."),
                        "password");
          }
          throw Unavailable(Say(lang, "Мегаплан сейчас не отвечает; попробуйте войти позже.",
                                "Megaplan does not answer now; try to sign in later."));
        }
        SignedInUser user;
        try {
          user = ReadCurrentUser(megaplan::GetWithToken(
              http_out, account->base_url, token.access_token, "currentUser", value::null()));
        } catch (const Error&) {
          throw Unavailable(Say(lang, "Мегаплан не сказал, кто вошёл; попробуйте ещё раз позже.",
                                "Megaplan would not say who signed in; try again later."));
        }
        if (user.id.empty() || !user.admin) {
          spdlog::info("event=megaplan_page_signin_not_admin tenant={} employee={}",
                       LogValue(account->tenant_id), LogValue(user.id));
          throw Error(ErrorCode::kPermissionDenied,
                      Say(lang,
                          "Настройки интеграции может открыть только администратор Мегаплана. "
                          "Войдите под учётной записью администратора аккаунта.",
                          "Only a Megaplan administrator may open the integration settings. "
                          "Sign in as an administrator of the account."),
                      "login");
        }
        // The token of this sign-in is dropped here: only the integration's token is kept.
        const EpochMs now = clock.NowMs();
        storage::InTransaction(db, [&](storage::Session& s) {
          service.GrantInstallerSupervisor(s, account->tenant_id, user.id);
          User row = storage::UserRepository::Find(s, account->tenant_id, user.id).value_or(User{});
          row.tenant_id = account->tenant_id;
          row.user_id = user.id;
          row.name = user.name;
          row.status = "active";
          row.updated_at_ms = now;
          storage::UserRepository::Upsert(s, row);
          AuditEntry audit =
              MakeAuditEntry(account->tenant_id, "user:" + user.id, "megaplan.page_sign_in",
                             "megaplan_account", account->tenant_id, now);
          audit.after_json = "{\"login\":" + value::string(credentials.login).serialize() + "}";
          storage::AuditLogRepository::Append(s, audit);
        });
        crypto::SessionClaims claims;
        claims.tenant_id = account->tenant_id;
        claims.user_id = user.id;
        claims.scope = "frame";
        claims.issued_at_ms = now;
        claims.expires_at_ms = now + kSessionTtlMs;
        value out = value::object();
        out["session"] = value::string(sessions.Issue(claims));
        out["session_expires_at_ms"] = value::number(static_cast<int64_t>(claims.expires_at_ms));
        out["tenant_id"] = value::string(account->tenant_id);
        value u = value::object();
        u["id"] = value::string(user.id);
        u["name"] = value::string(user.name);
        out["user"] = u;
        spdlog::info("event=megaplan_page_signed_in tenant={} employee={}",
                     LogValue(account->tenant_id), LogValue(user.id));
        return http::Response::Json(200, out.serialize());
      },
      http::RouteOptions{4 * 1024});

  w.router.Add("GET", "/api/megaplan/account", http::Guard::kSeat,
               [&db, &clock](http::Request&, const http::Caller& caller) {
                 const MegaplanAccount account = AccountOfTenant(db, caller.tenant_id);
                 return http::Response::Json(200, AccountJson(account, clock.NowMs()).serialize());
               });

  w.router.Add(
      "POST", "/api/megaplan/account/sign-in", http::Guard::kSettingsManager,
      [&db, &clock, &box, &http_out, allow_insecure](http::Request& r, const http::Caller& caller) {
        const std::string lang = LangOf(r);
        const value body = adapters::ParseBody(r.body);
        adapters::ObjectReader reader(body, "");
        const Credentials credentials = ReadCredentials(reader);
        reader.Done();
        const MegaplanAccount account = AccountOfTenant(db, caller.tenant_id);
        megaplan::SignInRequest request;
        request.url = account.base_url;  // the stored address, never one from the request
        request.login = credentials.login;
        request.password = credentials.password;
        request.actor = "user:" + caller.user_id;
        try {
          megaplan::SignIn(db, box, clock, http_out, allow_insecure, request);
        } catch (const Error& e) {
          if (e.code() == ErrorCode::kPermissionDenied) {
            throw Error(ErrorCode::kPermissionDenied,
                        Say(lang,
                            "Мегаплан не принял логин или пароль сотрудника интеграции; токен "
                            "не изменён.",
                            "Megaplan refused the integration employee's login or password; the "
                            "token is unchanged."),
                        "password");
          }
          throw;
        }
        return http::Response::Json(
            200, AccountJson(AccountOfTenant(db, caller.tenant_id), clock.NowMs()).serialize());
      },
      http::RouteOptions{4 * 1024});

  w.router.Add(
      "POST", "/api/megaplan/check", http::Guard::kSettingsManager,
      [&db, &clock, &api](http::Request& r, const http::Caller& caller) {
        const MegaplanAccount account = AccountOfTenant(db, caller.tenant_id);
        const CheckAnswer a = CheckToken(api, account, clock.NowMs(), LangOf(r));
        // Re-read: a 401 just now marked the account refused.
        const MegaplanAccount after = AccountOfTenant(db, caller.tenant_id);
        value out = value::object();
        out["ok"] = value::boolean(a.ok);
        out["code"] = value::string(a.code);
        out["message"] = value::string(a.message);
        out["account"] = AccountJson(after, clock.NowMs());
        return http::Response::Json(200, out.serialize());
      },
      http::RouteOptions{1024});
}

}  // namespace opdesk::megaplan_page
