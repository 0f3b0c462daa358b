// Server-rendered pages shown inside Bitrix24 frames: the install page (runs setup through the
// backend, then BX24.installFinish) and error pages. The app and call-card frames are the built
// front end's shells (callcard_shell.h).
// Texts come from the service's ru/en message table (connector/domain/messages.h; Russian unless
// the portal says LANG=en); everything inserted is HTML-escaped. Frames may only be embedded by the
// portal itself (CSP frame-ancestors).
#pragma once

#include <string>
#include <string_view>

#include "connector/http/message.h"

namespace opdesk::bitrix24 {

std::string HtmlEscape(std::string_view text);
// "en" for English portals, otherwise "ru".
std::string PageLanguage(std::string_view lang);
// The UI text for `key` in `lang` ("ru" or "en") from the message table; the key itself if unknown.
std::string Text(std::string_view key, std::string_view lang);

// `portal_origin` ("https://portal.bitrix24.ru", or http:// for an on-premise portal on plain
// http) is the only one that may frame the page; empty: nobody may.
http::Response HtmlPage(int status, const std::string& portal_origin, const std::string& lang,
                        const std::string& title, const std::string& body_html);
http::Response ErrorPage(int status, const std::string& lang, const std::string& title_key,
                         const std::string& detail);
http::Response InstallPage(const std::string& portal_origin, const std::string& lang,
                           const std::string& session_token, const std::string& sdk_url);

}  // namespace opdesk::bitrix24
