// The install page in a real browser (Debian's headless Chromium): the page runs setup through
// opdesk and calls BX24.installFinish only when setup succeeded, telling the admin in Russian what
// happened either way. The portal's SDK is replaced by the emulator's stand-in, which records
// installFinish calls on the page.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/b24emu.h"
#include "tests/support/opdesk_process.h"
#include "tests/support/scratch_dir.h"

namespace opdesk {
namespace {

using namespace std::chrono_literals;

class InstallPageInBrowser : public ::testing::Test {
 protected:
  void SetUp() override {
    emu_ = std::make_unique<testing::B24Emulator>();
    opdesk_ = std::make_unique<testing::Opdesk>(
        "sqlite", std::map<std::string, std::string>{
                      {"OPDESK_BITRIX24_CLIENT_ID", "app.test"},
                      {"OPDESK_BITRIX24_CLIENT_SECRET", "secret.test"},
                      {"OPDESK_BITRIX24_OAUTH_URL", emu_->oauth_url()},
                      {"OPDESK_ALLOW_INSECURE_ENDPOINTS", "true"},
                      {"OPDESK_BITRIX24_FRAME_SDK_URL", emu_->base() + "/_emu/bx24.js"}});
    ASSERT_TRUE(opdesk_->Start()) << opdesk_->Log();
  }

  // Opens the install page the way the portal does (a form POST into the frame) and returns the
  // DOM once the page's script has had time to finish.
  std::string OpenInstallPage() { return OpenFrame("/b24/install", emu_->member_id()); }

  // Posts a frame of the portal's (user 1) to `path` in headless Chromium and returns the DOM.
  std::string OpenFrame(const std::string& path, const std::string& member_id) {
    web::json::value issued = emu_->Control("POST", "/_emu/tokens/issue", R"({"user_id":1})");
    const testing::ScratchDir dir("opdesk-browser");
    std::ofstream(dir / "portal.html")
        << "<!doctype html><html><body><form method=\"post\" action=\"" << opdesk_->url() << path
        << "?DOMAIN=127.0.0.1:" << emu_->port() << "&PROTOCOL=1&LANG=ru&APP_SID=s1\">"
        << Field("AUTH_ID", issued.at("access_token").as_string()) << Field("AUTH_EXPIRES", "3600")
        << Field("REFRESH_ID", issued.at("refresh_token").as_string())
        << Field("SERVER_ENDPOINT", emu_->rest_endpoint()) << Field("member_id", member_id)
        << Field("APPLICATION_TOKEN", "apptoken-1") << Field("status", "L")
        << Field("PLACEMENT", "DEFAULT")
        << "</form><script>document.forms[0].submit();</script></body></html>";
    std::string dom;
    const int status = testing::RunCommand(
        {"/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--user-data-dir=" + dir / "profile", "--virtual-time-budget=20000", "--dump-dom",
         "file://" + dir / "portal.html"},
        {}, dir.path(), &dom, 90s);
    EXPECT_EQ(status, 0) << dom;
    return dom;
  }

  // Attribute values are escaped in the form the page is posted with.
  static std::string Attr(const std::string& value) {
    std::string out;
    for (char c : value) {
      out += c == '"' ? std::string("&quot;") : c == '<' ? std::string("&lt;") : std::string(1, c);
    }
    return out;
  }

  static std::string Field(const std::string& name, const std::string& value) {
    return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Attr(value) + "\">";
  }

  std::unique_ptr<testing::B24Emulator> emu_;
  std::unique_ptr<testing::Opdesk> opdesk_;
};

TEST_F(InstallPageInBrowser, SetupSucceedsThenInstallFinishIsCalledOnce) {
  const std::string dom = OpenInstallPage();
  EXPECT_NE(dom.find("data-install-finished=\"1\""), std::string::npos) << dom;
  // The status line as the script left it (the texts also sit in a JSON block, so match the
  // element, not just the words).
  EXPECT_NE(dom.find("<p id=\"status\" class=\"ok\">Готово. Приложение установлено.</p>"),
            std::string::npos)
      << dom;
  EXPECT_NE(dom.find("Вкладка в карточке звонка"), std::string::npos) << "steps are listed";
  EXPECT_EQ(emu_->CountRequests("placement.bind"), 1);
}

TEST_F(InstallPageInBrowser, FailedSetupNeverCallsInstallFinishAndSaysWhy) {
  emu_->Control("POST", "/_emu/faults",
                R"({"method":"placement.bind","status":403,"error":"ACCESS_DENIED",)"
                R"("description":"Access denied","count":0})");
  const std::string dom = OpenInstallPage();
  EXPECT_EQ(dom.find("data-install-finished"), std::string::npos) << dom;
  EXPECT_NE(dom.find("<p id=\"status\" class=\"fail\">Установка не завершена"), std::string::npos)
      << dom;
  EXPECT_NE(dom.find("ACCESS_DENIED"), std::string::npos) << "the failing step shows its reason";
}

// Names and ids that carry markup are shown as text by every server-rendered page: nothing runs
// (the payloads would retitle the page) and no element is injected.
TEST_F(InstallPageInBrowser, HostileNamesAndIdsAreShownAsText) {
  emu_->Control("POST", "/_emu/seed",
                R"({"users":[{"ID":1,"NAME":"<img src=x onerror=document.title='pwned'>",)"
                R"("LAST_NAME":"\"><script>document.title='pwned2'</script>","ADMIN":true}]})");
  OpenInstallPage();
  const std::string app = OpenFrame("/b24/app", emu_->member_id());
  EXPECT_NE(app.find("&lt;img src=x onerror=document.title='pwned'&gt;"), std::string::npos) << app;
  EXPECT_NE(app.find("&lt;script&gt;document.title='pwned2'&lt;/script&gt;"), std::string::npos)
      << app;
  EXPECT_EQ(app.find("<img"), std::string::npos) << app;
  EXPECT_EQ(app.find("<title>pwned"), std::string::npos) << app;

  const std::string refused = OpenFrame("/b24/app", "<img src=x onerror=document.title='pwned3'>");
  EXPECT_NE(refused.find("&lt;img src=x"), std::string::npos) << refused;
  EXPECT_EQ(refused.find("<img"), std::string::npos) << refused;
  EXPECT_EQ(refused.find("<title>pwned"), std::string::npos) << refused;
}

}  // namespace
}  // namespace opdesk
