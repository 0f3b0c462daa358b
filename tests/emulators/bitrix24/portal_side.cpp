// The emulator playing the portal towards opdesk: the install callback (ONAPPINSTALL), iframe
// POSTs, event deliveries and ONAPPUNINSTALL, each built as the reference (§1.3, §1.4, §1.6,
// §3.1) describes. State changes happen under the mutex; the POST itself is asynchronous so no
// listener thread ever blocks on opdesk.
#include <cpprest/http_client.h>

#include "tests/emulators/bitrix24/control.h"
#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

namespace {

using web::http::http_request;
using web::http::http_response;
using web::http::client::http_client;

struct Outgoing {
  std::string url;  // full URL including any query
  std::string form;
};

HttpOutcome Failure(int status, const std::string& text) {
  HttpOutcome out;
  out.status = status;
  out.body = Json::object(true);
  out.body["error"] = Json::string(text);
  return out;
}

// Keys every auth block shares.
void AddPortalAuth(State& st, std::string& form) {
  FormAdd("auth[domain]", st.domain, form);
  FormAdd("auth[server_endpoint]", st.ServerEndpoint(), form);
  FormAdd("auth[client_endpoint]", st.ClientEndpoint(), form);
  FormAdd("auth[member_id]", st.opts.member_id, form);
}

std::string Status(State& st) {
  return Str(st.data.app, "STATUS", "S");
}

pplx::task<HttpOutcome> Send(const Outgoing& out) {
  web::uri uri;
  try {
    uri = web::uri(out.url);
  } catch (const std::exception& e) {
    return pplx::task_from_result(Failure(400, std::string("bad url: ") + e.what()));
  }
  web::http::client::http_client_config config;
  config.set_timeout(std::chrono::seconds(15));
  auto client = std::make_shared<http_client>(web::uri_builder()
                                                  .set_scheme(uri.scheme())
                                                  .set_host(uri.host())
                                                  .set_port(uri.port())
                                                  .to_uri(),
                                              config);
  http_request msg(web::http::methods::POST);
  msg.set_request_uri(uri.resource());
  msg.set_body(out.form, "application/x-www-form-urlencoded");
  Json sent = Json::object(true);
  sent["url"] = Json::string(out.url);
  sent["body"] = Json::string(out.form);
  return client->request(msg)
      .then([client, sent](http_response resp) {
        return resp.extract_string(true).then([resp, sent](std::string body) {
          HttpOutcome o;
          Json r = Json::object(true);
          r["status"] = Json::number(resp.status_code());
          Json headers = Json::object(true);
          for (const auto& [k, v] : resp.headers()) {
            headers[k] = Json::string(v);
          }
          r["headers"] = headers;
          r["body"] = Json::string(body);
          r["sent"] = sent;
          o.body = r;
          return o;
        });
      })
      .then([sent](pplx::task<HttpOutcome> t) {
        try {
          return t.get();
        } catch (const std::exception& e) {
          HttpOutcome o = Failure(502, std::string("request to opdesk failed: ") + e.what());
          o.body["sent"] = sent;
          return o;
        }
      });
}

// Each builder runs under the mutex and returns what to send, or sets `error`.
Outgoing InstallCallback(State& st, const Json& body, std::string* error) {
  Outgoing out{Str(body, "url"), ""};
  if (out.url.empty()) {
    *error = "url is required";
    return out;
  }
  st.uninstalled = false;
  st.data.app["INSTALLED"] = Json::boolean(true);
  IssuedTokens t = IssueTokens(st, 1);
  std::string& f = out.form;
  FormAdd("event", "ONAPPINSTALL", f);
  FormAdd("data[VERSION]", Str(st.data.app, "VERSION", "1"), f);
  FormAdd("data[ACTIVE]", "Y", f);
  FormAdd("data[INSTALLED]", "Y", f);
  FormAdd("data[LANGUAGE_ID]", "ru", f);
  FormAdd("ts", std::to_string(static_cast<int64_t>(NowS())), f);
  FormAdd("auth[access_token]", t.access_token, f);
  FormAdd("auth[expires]", std::to_string(static_cast<int64_t>(t.expires)), f);
  FormAdd("auth[expires_in]", std::to_string(t.expires_in), f);
  FormAdd("auth[scope]", kScope, f);
  AddPortalAuth(st, f);
  FormAdd("auth[status]", Status(st), f);
  FormAdd("auth[application_token]", st.opts.application_token, f);
  FormAdd("auth[refresh_token]", t.refresh_token, f);
  return out;
}

Outgoing Frame(State& st, const Json& body, std::string* error) {
  Outgoing out{Str(body, "url"), ""};
  int user = static_cast<int>(Int(body, "user_id").value_or(1));
  if (out.url.empty() || st.data.users.count(user) == 0) {
    *error = out.url.empty() ? "url is required" : "unknown user_id";
    return out;
  }
  IssuedTokens t = IssueTokens(st, user);
  std::string query;
  FormAdd("DOMAIN", Str(body, "domain", st.domain), query);
  FormAdd("PROTOCOL", Str(body, "protocol", "1"), query);
  FormAdd("LANG", "ru", query);
  FormAdd("APP_SID", RandomHex(32), query);
  out.url += (out.url.find('?') == std::string::npos ? "?" : "&") + query;
  std::string& f = out.form;
  FormAdd("AUTH_ID", Str(body, "auth_id", t.access_token), f);
  FormAdd("AUTH_EXPIRES", std::to_string(t.expires_in), f);
  FormAdd("REFRESH_ID", Str(body, "refresh_id", t.refresh_token), f);
  FormAdd("SERVER_ENDPOINT", Str(body, "server_endpoint", st.ServerEndpoint()), f);
  FormAdd("APPLICATION_TOKEN", Str(body, "application_token", st.opts.application_token), f);
  FormAdd("APPLICATION_SCOPE", kScope, f);
  FormAdd("member_id", Str(body, "member_id", st.opts.member_id), f);
  FormAdd("status", Status(st), f);
  FormAdd("PLACEMENT", Str(body, "placement", "DEFAULT"), f);
  // PLACEMENT_OPTIONS is a JSON *string* inside the form.
  const Json* options = Find(body, "placement_options");
  FormAdd("PLACEMENT_OPTIONS", options == nullptr ? "[]" : options->serialize(), f);
  return out;
}

Outgoing Event(State& st, const Json& body, std::string* error) {
  std::string event = Str(body, "event");
  std::transform(event.begin(), event.end(), event.begin(), ::toupper);
  Outgoing out{Str(body, "url"), ""};
  int64_t handler_id = 0;
  for (const auto& b : st.data.events) {
    if (Str(b, "event") == event && (out.url.empty() || Str(b, "handler") == out.url)) {
      out.url = Str(b, "handler");
      handler_id = Int(b, "id").value_or(0);
      break;
    }
  }
  if (event.empty() || out.url.empty()) {
    *error = event.empty() ? "event is required" : "no url given and no binding for " + event;
    return out;
  }
  std::string& f = out.form;
  FormAdd("event", event, f);
  FormAdd("event_handler_id", std::to_string(handler_id), f);
  if (const Json* data = Find(body, "data")) {
    FormEncode(*data, "data", f);
  }
  FormAdd("ts", std::to_string(static_cast<int64_t>(NowS())), f);
  bool with_auth = Find(body, "with_auth") == nullptr || Truthy(body.at("with_auth"));
  if (with_auth) {
    IssuedTokens t = IssueTokens(st, static_cast<int>(Int(body, "user_id").value_or(1)));
    FormAdd("auth[access_token]", t.access_token, f);
    FormAdd("auth[expires]", std::to_string(static_cast<int64_t>(t.expires)), f);
    FormAdd("auth[expires_in]", std::to_string(t.expires_in), f);
    FormAdd("auth[scope]", kScope, f);
    AddPortalAuth(st, f);
    FormAdd("auth[status]", Status(st), f);
    FormAdd("auth[application_token]", st.opts.application_token, f);
    // Only some events carry a refresh token (ONAPPINSTALL, ONOFFLINEEVENT); opt-in here.
    if (Find(body, "with_refresh_token") != nullptr && Truthy(body.at("with_refresh_token"))) {
      FormAdd("auth[refresh_token]", t.refresh_token, f);
    }
  }
  return out;
}

Outgoing Uninstall(State& st, const Json& body, std::string* error) {
  Outgoing out{Str(body, "url"), ""};
  for (const auto& b : st.data.events) {
    if (out.url.empty() && Str(b, "event") == "ONAPPUNINSTALL") {
      out.url = Str(b, "handler");
    }
  }
  if (out.url.empty()) {
    *error = "no url given and no ONAPPUNINSTALL binding";
    return out;
  }
  bool clean = Int(body, "clean").value_or(0) == 1;
  // API access is revoked before the event leaves the portal.
  st.uninstalled = true;
  st.data.app["INSTALLED"] = Json::boolean(false);
  for (auto& [token, t] : st.access_tokens) {
    t.revoked = true;
  }
  for (auto& [token, t] : st.refresh_tokens) {
    t.used = true;
  }
  st.data.events.clear();
  st.data.placements.clear();
  if (clean) {
    st.data.options = Json::object(true);
  }
  std::string& f = out.form;
  FormAdd("event", "ONAPPUNINSTALL", f);
  FormAdd("data[LANGUAGE_ID]", "ru", f);
  FormAdd("data[CLEAN]", clean ? "1" : "0", f);
  FormAdd("ts", std::to_string(static_cast<int64_t>(NowS())), f);
  AddPortalAuth(st, f);
  FormAdd("auth[application_token]", st.opts.application_token, f);
  return out;
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// GET /_emu/portal/open?url=…&user_id=2[&placement=CALL_CARD&phone=…]: a page for a person's
// browser that posts the frame form to `url` at the top level, as the portal posts it into an
// iframe (a page opened at the top is outside frame-ancestors, so the sandbox can show opdesk's
// pages without a portal around them; the page then runs without a frame bridge).
HttpOutcome OpenPage(State& st, const ControlRequest& req) {
  Json query = Json::object(true);
  ParseFormInto(query, req.query);
  Json body = Json::object(true);
  body["url"] = Json::string(Str(query, "url"));
  body["user_id"] = Json::number(Int(query, "user_id").value_or(2));
  const std::string placement = Str(query, "placement", "CALL_CARD");
  body["placement"] = Json::string(placement);
  if (placement == "CALL_CARD") {
    Json options = Json::object(true);
    options["CALL_ID"] = Json::string("externalCall.sandbox." + RandomHex(8));
    options["PHONE_NUMBER"] = Json::string(Str(query, "phone", "+79001234567"));
    options["LINE_NUMBER"] = Json::string(Str(query, "line", "74950000000"));
    options["CRM_ENTITY_TYPE"] = Json::string(Str(query, "entity_type", "undefined"));
    options["CRM_ENTITY_ID"] = Json::string(Str(query, "entity_id", "undefined"));
    options["CRM_ACTIVITY_ID"] = Json::string("undefined");
    options["CALL_DIRECTION"] = Json::string("incoming");
    options["CALL_STATE"] = Json::string("connected");
    body["placement_options"] = options;
  }
  std::string error;
  Outgoing out;
  {
    std::lock_guard<std::mutex> lock(st.mu);
    out = Frame(st, body, &error);
  }
  if (!error.empty()) {
    return Failure(400, error);
  }
  Json fields = Json::object(true);
  ParseFormInto(fields, out.form);
  std::string inputs;
  for (const auto& [k, v] : fields.as_object()) {
    inputs += "<input type=\"hidden\" name=\"" + HtmlEscape(k) + "\" value=\"" +
              HtmlEscape(AsString(v)) + "\">";
  }
  HttpOutcome page;
  page.text =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>portal</title></head>"
      "<body><form id=\"f\" method=\"post\" action=\"" +
      HtmlEscape(out.url) + "\">" + inputs +
      "<noscript><button>open</button></noscript></form>"
      "<script>document.getElementById('f').submit()</script></body></html>";
  page.text_type = "text/html; charset=utf-8";
  return page;
}

}  // namespace

pplx::task<HttpOutcome> HandlePortalSide(State& st, const ControlRequest& req) {
  if (req.path == "/_emu/portal/open") {
    return pplx::task_from_result(OpenPage(st, req));
  }
  Json body = Json::object(true);
  try {
    if (!req.body.empty()) {
      body = Json::parse(req.body);
    }
  } catch (const std::exception& e) {
    return pplx::task_from_result(Failure(400, std::string("invalid JSON body: ") + e.what()));
  }
  Outgoing out;
  std::string error;
  {
    std::lock_guard<std::mutex> lock(st.mu);
    const std::string& p = req.path;
    if (p == "/_emu/portal/install-callback") {
      out = InstallCallback(st, body, &error);
    } else if (p == "/_emu/portal/frame") {
      out = Frame(st, body, &error);
    } else if (p == "/_emu/portal/event") {
      out = Event(st, body, &error);
    } else if (p == "/_emu/portal/uninstall") {
      out = Uninstall(st, body, &error);
    } else {
      error = "unknown portal action " + p;
    }
  }
  if (!error.empty()) {
    return pplx::task_from_result(Failure(400, error));
  }
  return Send(out);
}

}  // namespace b24emu
