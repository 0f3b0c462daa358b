// Secret masking for access logs.
#include "connector/http/redact.h"

#include <gtest/gtest.h>

#include <string>

namespace opdesk::http {
namespace {

TEST(IsSecretNameTest, CredentialNamesAreSecret) {
  for (const char* name :
       {"access_token", "refresh_token", "auth[access_token]", "auth[refresh_token]", "AUTH_ID",
        "REFRESH_ID", "APPLICATION_TOKEN", "sign", "vpbx_api_key", "password", "code",
        "client_secret", "api_key", "apikey", "salt", "key", "tenant_key", "data[key]"}) {
    EXPECT_TRUE(IsSecretName(name)) << name;
  }
}

TEST(IsSecretNameTest, OrdinaryNamesStayVisible) {
  for (const char* name : {"status_code", "member_id", "DOMAIN", "event", "limit", "id", "phone",
                           "lang", "keyboard", "monkey", "zip_code"}) {
    EXPECT_FALSE(IsSecretName(name)) << name;
  }
}

TEST(IsSecretNameTest, MatchIsCaseInsensitive) {
  EXPECT_TRUE(IsSecretName("Access_Token"));
  EXPECT_TRUE(IsSecretName("CODE"));
  EXPECT_TRUE(IsSecretName("Tenant_KEY"));
  EXPECT_TRUE(IsSecretName("PASSWORD"));
}

TEST(MaskSecretTest, ShortValuesAreFullyMasked) {
  EXPECT_EQ(MaskSecret(""), "***");
  EXPECT_EQ(MaskSecret("a"), "***");
  EXPECT_EQ(MaskSecret("12345678"), "***");
}

TEST(MaskSecretTest, LongValuesKeepLastFour) {
  EXPECT_EQ(MaskSecret("123456789"), "***6789");
  EXPECT_EQ(MaskSecret("abcdefghijklmnopqrstuvwxyz"), "***wxyz");
}

TEST(RedactQueryTest, MasksSecretValuesAndKeepsTheRest) {
  EXPECT_EQ(RedactQuery("a=1&access_token=xyz"), "a=1&access_token=***");
  EXPECT_EQ(RedactQuery("event=ONCRMLEADADD&auth[access_token]=0123456789abcdef&member_id=m42"),
            "event=ONCRMLEADADD&auth[access_token]=***cdef&member_id=m42");
}

TEST(RedactQueryTest, BitrixInstallParamsAreMasked) {
  const std::string in =
      "DOMAIN=portal.bitrix24.ru&AUTH_ID=aaaaaaaaaaaa1111&REFRESH_ID=bbbbbbbbbbbb2222"
      "&APPLICATION_TOKEN=cccccccccccc3333&member_id=m1&status_code=200";
  EXPECT_EQ(RedactQuery(in),
            "DOMAIN=portal.bitrix24.ru&AUTH_ID=***1111&REFRESH_ID=***2222"
            "&APPLICATION_TOKEN=***3333&member_id=m1&status_code=200");
}

TEST(RedactQueryTest, MangoAndOAuthParamsAreMasked) {
  EXPECT_EQ(RedactQuery("vpbx_api_key=k1k2k3k4k5k6&sign=ffffffffffff0000&json=%7B%7D"),
            "vpbx_api_key=***k5k6&sign=***0000&json=%7B%7D");
  EXPECT_EQ(RedactQuery("code=oauthcode12345&state=xyz&password=pw"),
            "code=***2345&state=xyz&password=***");
}

TEST(RedactQueryTest, KeepsSeparatorsAndOddPairsIntact) {
  EXPECT_EQ(RedactQuery(""), "");
  EXPECT_EQ(RedactQuery("a=1&&b=2&"), "a=1&&b=2&");
  EXPECT_EQ(RedactQuery("token&x=1"), "token&x=1");  // no value to mask
  EXPECT_EQ(RedactQuery("token="), "token=***");
  EXPECT_EQ(RedactQuery("token=a=b"), "token=***");
}

TEST(RedactPathTest, MasksSegmentsBoundToSecretParams) {
  EXPECT_EQ(RedactPath("/mango/abcdefghijkl/events/call", "/mango/{tenant_key}/{rest*}"),
            "/mango/***ijkl/events/call");
  EXPECT_EQ(RedactPath("/mango/short/ping", "/mango/{tenant_key}/ping"), "/mango/***/ping");
}

TEST(RedactPathTest, LeavesOrdinaryParamsAndLiteralsAlone) {
  EXPECT_EQ(RedactPath("/calls/123456789012", "/calls/{id}"), "/calls/123456789012");
  // A literal segment that happens to look secret is part of the route, not a value.
  EXPECT_EQ(RedactPath("/oauth/token", "/oauth/token"), "/oauth/token");
  EXPECT_EQ(RedactPath("/a/b", "/{member_id}/{event}"), "/a/b");
}

TEST(RedactPathTest, TrailingSlashIsKept) {
  EXPECT_EQ(RedactPath("/mango/abcdefghijkl/", "/mango/{tenant_key}"), "/mango/***ijkl/");
}

}  // namespace
}  // namespace opdesk::http

namespace opdesk::http {
namespace {

TEST(IsSecretNameTest, WordsInsideOrdinaryFieldNamesStayVisible) {
  EXPECT_FALSE(IsSecretName("ASSIGNED_BY_ID"));
  EXPECT_FALSE(IsSecretName("author_id"));
  EXPECT_FALSE(IsSecretName("keyboard"));
  EXPECT_FALSE(IsSecretName("status_code"));
  EXPECT_TRUE(IsSecretName("auth[refresh_token]"));
  EXPECT_TRUE(IsSecretName("tenant_key"));
  EXPECT_TRUE(IsSecretName("Authorization"));
}

}  // namespace
}  // namespace opdesk::http
