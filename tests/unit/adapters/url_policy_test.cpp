// What opdesk may connect to: every refusal checked against a listener that counts connections,
// so a URL the check lets through by mistake shows up as a connection, not just a return value.
#include "adapters/url_policy.h"

#include <gtest/gtest.h>

#include <thread>

#include "adapters/http_transport.h"
#include "connector/domain/error.h"
#include "tests/support/canary.h"

namespace opdesk::adapters {
namespace {

bool Refused(const std::string& url, bool insecure = false) {
  try {
    CheckOutboundUrl(url, insecure);
    return false;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
    return true;
  }
}

TEST(UrlPolicyTest, UserInfoIsRefusedWhateverTheParserWouldMakeOfIt) {
  // The bypass of the old host allow-list: the host ended at the first ':' for the check, while
  // the client took "oauth.bitrix.info:" as user info and connected to attacker.example.
  EXPECT_TRUE(Refused("https://oauth.bitrix.info:@attacker.example/rest/"));
  EXPECT_TRUE(Refused("https://user:pass@portal.bitrix24.ru/rest/"));
  EXPECT_TRUE(Refused("https://oauth.bitrix.info@attacker.example/"));
  EXPECT_TRUE(Refused("http://a@127.0.0.1:8081/rest/", /*insecure=*/true));
}

TEST(UrlPolicyTest, OnlyHttpsOnPort443ToPublicHosts) {
  EXPECT_FALSE(Refused("https://portal.bitrix24.ru/rest/"));
  EXPECT_FALSE(Refused("https://oauth.bitrix24.tech/oauth/token/?client_secret=x"));
  EXPECT_TRUE(Refused("http://portal.bitrix24.ru/rest/"));
  EXPECT_TRUE(Refused("https://portal.bitrix24.ru:8443/rest/"));
  EXPECT_TRUE(Refused("https://portal.bitrix24.ru:22/"));
  EXPECT_TRUE(Refused("file:///etc/passwd"));
  EXPECT_TRUE(Refused("gopher://portal.bitrix24.ru/"));
  for (const char* host :
       {"127.0.0.1", "10.0.0.5", "172.16.3.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "[::1]", "[fe80::1]", "[fd00::1]", "[::ffff:127.0.0.1]", "localhost",
        "db.internal", "intranet", "2130706433", "0x7f.1", "127.1"}) {
    EXPECT_TRUE(Refused(std::string("https://") + host + "/rest/")) << host;
  }
  EXPECT_FALSE(Refused("https://[2a00:1450:4010::65]/rest/"));
}

TEST(UrlPolicyTest, TheSandboxMayUseLoopbackButNeverUserInfoOrOtherSchemes) {
  EXPECT_FALSE(Refused("http://127.0.0.1:8081/rest/", true));
  EXPECT_TRUE(Refused("ftp://127.0.0.1/", true));
  EXPECT_TRUE(Refused("http://x@127.0.0.1:8081/", true));
}

TEST(UrlPolicyTest, RegistrableDomainsKeepRenamedPortalsAtHome) {
  EXPECT_EQ(RegistrableDomain("a.bitrix24.ru"), "bitrix24.ru");
  EXPECT_EQ(RegistrableDomain("B.Bitrix24.RU."), "bitrix24.ru");
  EXPECT_EQ(RegistrableDomain("crm.shop.com.ru"), "shop.com.ru");
  EXPECT_NE(RegistrableDomain("a.bitrix24.ru"), RegistrableDomain("bitrix24.ru.attacker.example"));
  EXPECT_EQ(RegistrableDomain("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(UrlForLog("https://u:p@h.example/oauth/token/?client_secret=s#f"),
            "https://h.example/oauth/token/");
}

TEST(UrlPolicyTest, TheTransportConnectsNowhereItMayNot) {
  testing::Canary canary;
  const std::string port = std::to_string(canary.port());
  HttpTransport production({false, 4, "opdesk-test"});
  HttpTransport sandbox({true, 4, "opdesk-test"});
  const std::string secret = "client_secret=top-secret-value";
  for (const std::string& url :
       {"http://127.0.0.1:" + port + "/?" + secret, "https://127.0.0.1:" + port + "/?" + secret,
        "https://oauth.bitrix.info:@127.0.0.1:" + port + "/?" + secret,
        "https://localhost:" + port + "/?" + secret, "file:///etc/passwd?" + secret}) {
    HttpCall call;
    call.url = url;
    call.timeout = std::chrono::milliseconds(500);
    try {
      production.Send(call);
      ADD_FAILURE() << "sent to " << url;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
      EXPECT_EQ(std::string(e.what()).find("top-secret-value"), std::string::npos) << e.what();
    }
  }
  HttpCall with_user_info;
  with_user_info.url = "http://oauth.bitrix.info:@127.0.0.1:" + port + "/?" + secret;
  EXPECT_THROW(sandbox.Send(with_user_info), Error);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(canary.connections(), 0);
}

}  // namespace
}  // namespace opdesk::adapters
