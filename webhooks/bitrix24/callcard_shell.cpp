#include "webhooks/bitrix24/callcard_shell.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "webhooks/bitrix24/pages.h"

namespace opdesk::bitrix24 {
namespace {

constexpr std::string_view kPlaceholder = "<!--opdesk-bootstrap-->";

// The placement options as a JSON object: the portal sends a JSON string (reference §5.2). Any
// other shape is dropped rather than passed to the page half-understood.
web::json::value PlacementOptions(const std::string& text) {
  if (text.empty()) {
    return web::json::value::object();
  }
  try {
    web::json::value parsed = web::json::value::parse(text);
    if (parsed.is_object()) {
      return parsed;
    }
  } catch (const std::exception&) {
  }
  spdlog::warn("event=b24_placement_options_unreadable length={}", text.size());
  return web::json::value::object();
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-';
}

}  // namespace

std::optional<std::string> ScriptOrigin(std::string_view url) {
  for (const char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' ||
        c == '`') {
      return std::nullopt;
    }
  }
  std::string_view scheme;
  if (url.starts_with("https://")) {
    scheme = "https://";
  } else if (url.starts_with("http://")) {
    scheme = "http://";
  } else {
    return std::nullopt;
  }
  const std::string_view rest = url.substr(scheme.size());
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  const std::size_t colon = authority.find(':');
  const std::string_view host = authority.substr(0, colon);
  if (host.empty() || host.front() == '.' || host.front() == '-' ||
      !std::all_of(host.begin(), host.end(), IsHostChar)) {
    return std::nullopt;
  }
  std::string origin(scheme);
  for (const char c : host) {
    origin.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoi(std::string(port)) > 65535) {
      return std::nullopt;
    }
    origin += ':';
    origin += port;
  }
  return origin;
}

std::string ScriptSafeJson(std::string_view json) {
  std::string out;
  out.reserve(json.size() + 16);
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string BootstrapJson(const ShellBootstrap& b) {
  web::json::value user = web::json::value::object();
  user["id"] = web::json::value::string(b.user_id);
  user["name"] = web::json::value::string(b.user_name);
  web::json::value root = web::json::value::object();
  root["session"] = web::json::value::string(b.session);
  root["session_expires_at_ms"] =
      web::json::value::number(static_cast<int64_t>(b.session_expires_at_ms));
  root["lang"] = web::json::value::string(b.lang);
  root["placement"] = web::json::value::string(b.placement);
  root["placement_options"] = PlacementOptions(b.placement_options);
  root["api_base"] = web::json::value::string(b.api_base);
  root["member_id"] = web::json::value::string(b.member_id);
  root["user"] = user;
  // Only a URL whose origin the CSP can name; the page without one simply has no bridge.
  root["frame_sdk_url"] =
      web::json::value::string(ScriptOrigin(b.frame_sdk_url) ? b.frame_sdk_url : "");
  return ScriptSafeJson(root.serialize());
}

http::Response CallCardShell(const std::optional<std::string>& shell_html,
                             const std::string& frame_ancestor, const ShellBootstrap& bootstrap,
                             std::string_view file) {
  if (!shell_html) {
    spdlog::error("event=ui_shell_missing file={} hint=\"npm run build in settings-ui\"", file);
    http::Response page = ErrorPage(503, bootstrap.lang, "error.ui_missing",
                                    Text("error.ui_missing_hint", bootstrap.lang));
    return page;
  }
  const std::string block = "<script id=\"opdesk-bootstrap\" type=\"application/json\">" +
                            BootstrapJson(bootstrap) + "</script>";
  std::string html = *shell_html;
  if (const std::size_t at = html.find(kPlaceholder); at != std::string::npos) {
    html.replace(at, kPlaceholder.size(), block);
  } else if (const std::size_t head = html.find("</head>"); head != std::string::npos) {
    html.insert(head, block);
  } else {
    html.insert(0, block);
  }
  if (bootstrap.lang == "en") {
    if (const std::size_t lang = html.find("<html lang=\"ru\""); lang != std::string::npos) {
      html.replace(lang, 15, "<html lang=\"en\"");
    }
  }
  http::Response r;
  r.status = 200;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(html);
  // Only the portal may frame the card; the page loads its own files plus the portal's frame SDK
  // (BX24.js) and talks only to opdesk (the SDK speaks to the parent window through postMessage).
  const std::optional<std::string> sdk_origin = ScriptOrigin(bootstrap.frame_sdk_url);
  if (!sdk_origin && !bootstrap.frame_sdk_url.empty()) {
    spdlog::warn("event=ui_frame_sdk_url_refused length={}", bootstrap.frame_sdk_url.size());
  }
  r.headers.emplace_back("Content-Security-Policy",
                         "frame-ancestors " + (frame_ancestor.empty() ? "'none'" : frame_ancestor) +
                             "; default-src 'self'; script-src 'self'" +
                             (sdk_origin ? " " + *sdk_origin : "") +
                             "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src "
                             "'self' data:; connect-src 'self'; object-src 'none'; base-uri "
                             "'none'; form-action 'self'");
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace opdesk::bitrix24
