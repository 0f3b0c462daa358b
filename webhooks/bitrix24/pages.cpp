#include "webhooks/bitrix24/pages.h"

#include "connector/domain/messages.h"

namespace opdesk::bitrix24 {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
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
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string PageLanguage(std::string_view lang) {
  return lang.substr(0, 2) == "en" ? "en" : "ru";
}

std::string Text(std::string_view key, std::string_view lang) {
  return Message(key, lang);
}

http::Response HtmlPage(int status, const std::string& portal_origin, const std::string& lang,
                        const std::string& title, const std::string& body_html) {
  http::Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = "<!doctype html><html lang=\"" + lang +
           "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
           "content=\"width=device-width\"><title>" +
           HtmlEscape(title) +
           "</title><style>body{font:14px/1.5 -apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
           "color:#333;margin:24px}.ok{color:#2a8c28}.fail{color:#c62828}li{margin:4px 0}"
           "</style></head><body>" +
           body_html + "</body></html>";
  // Only the portal may frame us; X-Frame-Options would forbid the portal too.
  r.headers.emplace_back("Content-Security-Policy", portal_origin.empty()
                                                        ? "frame-ancestors 'none'"
                                                        : "frame-ancestors " + portal_origin);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  return r;
}

http::Response ErrorPage(int status, const std::string& lang, const std::string& title_key,
                         const std::string& detail) {
  const std::string title = Text(title_key, lang);
  return HtmlPage(status, "", lang, title,
                  "<h1>" + HtmlEscape(title) + "</h1><p>" + HtmlEscape(detail) + "</p>");
}

http::Response InstallPage(const std::string& portal_origin, const std::string& lang,
                           const std::string& session_token, const std::string& sdk_url) {
  const std::string steps_json = "{\"running\":\"" + HtmlEscape(Text("install.running", lang)) +
                                 "\",\"done\":\"" + HtmlEscape(Text("install.done", lang)) +
                                 "\",\"failed\":\"" + HtmlEscape(Text("install.failed", lang)) +
                                 "\"}";
  std::string body =
      "<h1>" + HtmlEscape(Text("install.title", lang)) + "</h1><p id=\"status\">" +
      HtmlEscape(Text("install.running", lang)) + "</p><ul id=\"steps\"></ul><noscript>" +
      HtmlEscape(Text("install.noscript", lang)) +
      "</noscript>"
      "<meta name=\"opdesk-session\" content=\"" +
      HtmlEscape(session_token) +
      "\">"
      "<script id=\"opdesk-text\" type=\"application/json\">" +
      steps_json +
      "</script>"
      // The portal's own frame SDK: installFinish must be called from inside the frame.
      "<script src=\"" +
      HtmlEscape(sdk_url) +
      "\"></script>"
      "<script>(function(){"
      "var text=JSON.parse(document.getElementById('opdesk-text').textContent);"
      "var token=document.querySelector('meta[name=opdesk-session]').content;"
      "var statusEl=document.getElementById('status'),list=document.getElementById('steps');"
      "function show(steps){list.textContent='';(steps||[]).forEach(function(s){"
      "var li=document.createElement('li');li.className=s.status==='done'?'ok':'fail';"
      "li.textContent=(s.status==='done'?'\\u2713 ':'\\u2717 ')+s.title+(s.error?': '+s.error:'');"
      "list.appendChild(li);});}"
      "fetch('/api/b24/setup',{method:'POST',headers:{'Authorization':'Bearer '+token}})"
      ".then(function(r){return r.json();}).then(function(j){show(j.steps);"
      "if(j.ok){statusEl.textContent=text.done;statusEl.className='ok';"
      "if(window.BX24){BX24.init(function(){BX24.installFinish();});}}"
      "else{statusEl.textContent=text.failed+(j.error?' ('+j.error.message+')':'');"
      "statusEl.className='fail';}})"
      ".catch(function(e){statusEl.textContent=text.failed+' ('+e+')';"
      "statusEl.className='fail';});})();</script>";
  return HtmlPage(200, portal_origin, lang, Text("install.title", lang), body);
}

}  // namespace opdesk::bitrix24
