// The call card's page shell: the bootstrap block is complete, stays inside its <script>
// element whatever the portal sent, the CSP admits the portal's frame SDK and nothing broader
// whatever the config says, and a missing build gives a clear page instead of a crash.
#include "webhooks/bitrix24/callcard_shell.h"

#include <cpprest/json.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "connector/app/ui_dist.h"

namespace opdesk::bitrix24 {
namespace {

std::string HeaderOf(const http::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) {
      return v;
    }
  }
  return "";
}

ShellBootstrap Sample() {
  ShellBootstrap b;
  b.session = "sess.token";
  b.session_expires_at_ms = 1'700'000'000'000;
  b.lang = "ru";
  b.placement = "CALL_CARD";
  b.placement_options =
      R"({"CALL_ID":"c1","PHONE_NUMBER":"+79001234567","CRM_ACTIVITY_ID":"undefined",)"
      R"("CRM_BINDINGS":[{"ENTITY_TYPE":"DEAL","ENTITY_ID":"25"}]})";
  b.api_base = "";
  b.member_id = "m1";
  b.user_id = "2";
  b.user_name = "Борис Операторов";
  b.frame_sdk_url = "https://api.bitrix24.com/api/v1/";
  return b;
}

const std::string kShell =
    "<!doctype html><html lang=\"ru\"><head><title>opdesk</title><!--opdesk-bootstrap--></head>"
    "<body><div id=\"app\"></div></body></html>";

std::string BootstrapText(const std::string& html) {
  const std::string open = "<script id=\"opdesk-bootstrap\" type=\"application/json\">";
  const std::size_t start = html.find(open);
  EXPECT_NE(start, std::string::npos) << html;
  const std::size_t end = html.find("</script>", start);
  return html.substr(start + open.size(), end - start - open.size());
}

TEST(CallCardShellTest, BootstrapCarriesSessionLanguageAndParsedPlacement) {
  const http::Response r = CallCardShell(kShell, "https://a.bitrix24.ru", Sample());
  EXPECT_EQ(r.status, 200);
  const web::json::value b = web::json::value::parse(BootstrapText(r.body));
  EXPECT_EQ(b.at("session").as_string(), "sess.token");
  EXPECT_EQ(b.at("session_expires_at_ms").as_number().to_int64(), 1'700'000'000'000);
  EXPECT_EQ(b.at("lang").as_string(), "ru");
  EXPECT_EQ(b.at("placement").as_string(), "CALL_CARD");
  EXPECT_EQ(b.at("member_id").as_string(), "m1");
  EXPECT_EQ(b.at("user").at("name").as_string(), "Борис Операторов");
  const web::json::value& options = b.at("placement_options");
  EXPECT_EQ(options.at("CALL_ID").as_string(), "c1");
  EXPECT_EQ(options.at("CRM_ACTIVITY_ID").as_string(), "undefined") << "kept as the portal sent it";
  EXPECT_EQ(options.at("CRM_BINDINGS").at(0).at("ENTITY_ID").as_string(), "25");
  EXPECT_EQ(b.at("frame_sdk_url").as_string(), "https://api.bitrix24.com/api/v1/");
  EXPECT_EQ(r.body.find("<!--opdesk-bootstrap-->"), std::string::npos);
}

TEST(CallCardShellTest, ScriptEndInPlacementDataCannotBreakOut) {
  ShellBootstrap b = Sample();
  b.placement_options =
      R"({"CALL_ID":"</script><script>alert(1)</script>","LINE_NAME":"<!-- & \u2028 >"})";
  b.user_name = "</SCRIPT><img src=x onerror=alert(1)>";
  const http::Response r = CallCardShell(kShell, "https://a.bitrix24.ru", b);
  // Exactly one script element, and it is the bootstrap block.
  EXPECT_EQ(r.body.find("<script"), r.body.rfind("<script"));
  EXPECT_EQ(r.body.find("</script>"), r.body.rfind("</script>"));
  EXPECT_EQ(r.body.find("<img"), std::string::npos);
  EXPECT_EQ(r.body.find("<!-- &"), std::string::npos);
  const web::json::value parsed = web::json::value::parse(BootstrapText(r.body));
  EXPECT_EQ(parsed.at("placement_options").at("CALL_ID").as_string(),
            "</script><script>alert(1)</script>")
      << "the same value once parsed";
  EXPECT_EQ(parsed.at("user").at("name").as_string(), "</SCRIPT><img src=x onerror=alert(1)>");
}

TEST(CallCardShellTest, ScriptSafeJsonEscapesMarkupAndLineSeparators) {
  EXPECT_EQ(ScriptSafeJson(R"({"a":"</script>&"})"), R"({"a":"\u003c/script\u003e\u0026"})");
  EXPECT_EQ(ScriptSafeJson("\"\xE2\x80\xA8\xE2\x80\xA9\""), "\"\\u2028\\u2029\"");
  EXPECT_EQ(ScriptSafeJson("\"Привет\""), "\"Привет\"");
}

TEST(CallCardShellTest, UnreadablePlacementOptionsBecomeAnEmptyObject) {
  for (const char* bad : {"", "not json", "[1,2]", "\"text\""}) {
    ShellBootstrap b = Sample();
    b.placement_options = bad;
    const web::json::value parsed =
        web::json::value::parse(BootstrapText(CallCardShell(kShell, "https://x", b).body));
    EXPECT_TRUE(parsed.at("placement_options").is_object()) << bad;
    EXPECT_EQ(parsed.at("placement_options").size(), 0u) << bad;
  }
}

TEST(CallCardShellTest, OnlyThePortalMayFrameItAndNothingIsCached) {
  const http::Response r = CallCardShell(kShell, "https://a.bitrix24.ru", Sample());
  const std::string csp = HeaderOf(r, "Content-Security-Policy");
  EXPECT_EQ(csp.rfind("frame-ancestors https://a.bitrix24.ru;", 0), 0u) << csp;
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-store");
  EXPECT_EQ(HeaderOf(r, "X-Frame-Options"), "");
}

// The directive's value, e.g. "'self' https://x" for "script-src"; "" when it is absent.
std::string Directive(const std::string& csp, const std::string& name) {
  const std::size_t at = csp.find("; " + name + " ");
  if (at == std::string::npos) {
    return "";
  }
  const std::size_t start = at + name.size() + 3;
  return csp.substr(start, csp.find(';', start) - start);
}

TEST(CallCardShellTest, ScriptsComeFromOpdeskAndTheFrameSdkOriginOnly) {
  const http::Response r = CallCardShell(kShell, "https://a.bitrix24.ru", Sample());
  const std::string csp = HeaderOf(r, "Content-Security-Policy");
  EXPECT_EQ(Directive(csp, "script-src"), "'self' https://api.bitrix24.com") << csp;
  EXPECT_EQ(Directive(csp, "default-src"), "'self'") << csp;
  EXPECT_EQ(Directive(csp, "connect-src"), "'self'")
      << "the SDK talks to the portal by postMessage";

  ShellBootstrap local = Sample();
  local.frame_sdk_url = "http://127.0.0.1:8081/_emu/bx24.js";
  EXPECT_EQ(
      Directive(HeaderOf(CallCardShell(kShell, "https://x", local), "Content-Security-Policy"),
                "script-src"),
      "'self' http://127.0.0.1:8081");
}

TEST(CallCardShellTest, ScriptOriginKeepsSchemeHostAndPortOnly) {
  EXPECT_EQ(ScriptOrigin("https://api.bitrix24.com/api/v1/"), "https://api.bitrix24.com");
  EXPECT_EQ(ScriptOrigin("https://API.Bitrix24.com"), "https://api.bitrix24.com");
  EXPECT_EQ(ScriptOrigin("http://127.0.0.1:8081/_emu/bx24.js?v=1#x"), "http://127.0.0.1:8081");
  EXPECT_EQ(ScriptOrigin("https://cdn.example.test?x=1"), "https://cdn.example.test");
}

TEST(CallCardShellTest, AFrameSdkUrlThatCouldBendTheHeaderIsLeftOut) {
  for (const char* url : {"",
                          "api.bitrix24.com/api/v1/",
                          "javascript:alert(1)",
                          "https://",
                          "https:///api/v1/",
                          "https://a.test; script-src *",
                          "https://a.test 'unsafe-inline'",
                          "https://a.test'unsafe-eval'",
                          "https://a.test/\" onload=\"x",
                          "https://a.test/x y",
                          "https://a.test\r\nSet-Cookie: x=1",
                          "https://*.bitrix24.com/",
                          "https://a.test,https://b.test",
                          "https://u:p@a.test/",
                          "https://a.test:99999/",
                          "https://a.test:/",
                          "https://a.test:8o/",
                          "https://-a.test/",
                          "https://[::1]/",
                          "https://a.test/<script>",
                          "https://a.test/\\x",
                          "https://a.test/`x`",
                          "https://a.tést/"}) {
    EXPECT_EQ(ScriptOrigin(url), std::nullopt) << url;
    ShellBootstrap b = Sample();
    b.frame_sdk_url = url;
    const http::Response r = CallCardShell(kShell, "https://a.bitrix24.ru", b);
    const std::string csp = HeaderOf(r, "Content-Security-Policy");
    EXPECT_EQ(Directive(csp, "script-src"), "'self'") << url << " → " << csp;
    EXPECT_EQ(csp.find_first_of("\r\n\"*,"), std::string::npos) << url << " → " << csp;
    EXPECT_EQ(csp.find("a.test"), std::string::npos) << url << " → " << csp;
    const web::json::value parsed = web::json::value::parse(BootstrapText(r.body));
    EXPECT_EQ(parsed.at("frame_sdk_url").as_string(), "") << "the page then runs without a bridge";
  }
}

TEST(CallCardShellTest, EnglishPortalsGetAnEnglishDocument) {
  ShellBootstrap b = Sample();
  b.lang = "en";
  const http::Response r = CallCardShell(kShell, "https://x", b);
  EXPECT_NE(r.body.find("<html lang=\"en\""), std::string::npos);
}

TEST(CallCardShellTest, WithoutABuildTheCardExplainsInsteadOfFailing) {
  const http::Response ru = CallCardShell(std::nullopt, "https://x", Sample());
  EXPECT_EQ(ru.status, 503);
  EXPECT_NE(ru.body.find("Интерфейс opdesk не собран"), std::string::npos) << ru.body;
  EXPECT_NE(ru.body.find("ui.dist_dir"), std::string::npos);
  ShellBootstrap b = Sample();
  b.lang = "en";
  EXPECT_NE(CallCardShell(std::nullopt, "https://x", b).body.find("not built"), std::string::npos);
}

TEST(UiDistDirTest, ConfiguredWinsThenInstalledThenSourceTree) {
  namespace fs = std::filesystem;
  const fs::path base = fs::temp_directory_path() / ("opdesk-uidist-" + std::to_string(::getpid()));
  fs::create_directories(base / "prefix/bin");
  fs::create_directories(base / "src/settings-ui/dist");
  const std::string exe = (base / "prefix/bin/opdesk").string();
  const std::string src = (base / "src").string();
  EXPECT_EQ(app::ResolveUiDistDir("/etc/ui", exe, src), "/etc/ui");
  // Nothing built anywhere: the installed place, so the 503 page points somewhere sensible.
  EXPECT_EQ(app::ResolveUiDistDir("", exe, src), (base / "prefix/share/opdesk/ui").string());
  std::ofstream(base / "src/settings-ui/dist/callcard.html") << "x";
  EXPECT_EQ(app::ResolveUiDistDir("", exe, src), src + "/settings-ui/dist");
  fs::create_directories(base / "prefix/share/opdesk/ui");
  std::ofstream(base / "prefix/share/opdesk/ui/callcard.html") << "x";
  EXPECT_EQ(app::ResolveUiDistDir("", exe, src), (base / "prefix/share/opdesk/ui").string());
  fs::remove_all(base);
}

}  // namespace
}  // namespace opdesk::bitrix24
