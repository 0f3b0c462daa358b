// Bitrix24 error answers: which ones the client handles itself, and what the rest become.
#include <gtest/gtest.h>

#include "adapters/bitrix24/rest_errors.h"

namespace opdesk::bitrix24 {
namespace {

TEST(RestErrorsTest, ClientHandledKindsAreRecognised) {
  EXPECT_EQ(ClassifyRestError(401, "expired_token"), RestErrorKind::kTokenExpired);
  EXPECT_EQ(ClassifyRestError(401, "invalid_token"), RestErrorKind::kTokenExpired);
  EXPECT_EQ(ClassifyRestError(503, "QUERY_LIMIT_EXCEEDED"), RestErrorKind::kRateLimited);
  EXPECT_EQ(ClassifyRestError(429, "OPERATION_TIME_LIMIT"), RestErrorKind::kMethodPaused);
  EXPECT_EQ(ClassifyRestError(302, ""), RestErrorKind::kPortalMoved);
  EXPECT_EQ(ClassifyRestError(400, "ERROR_CORE"), RestErrorKind::kFinal);
  EXPECT_EQ(ClassifyRestError(503, "OVERLOAD_LIMIT"), RestErrorKind::kFinal);
}

TEST(RestErrorsTest, FinalErrorsMapToTheVocabulary) {
  EXPECT_EQ(ToError(401, "NO_AUTH_FOUND", "", "profile").code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(ToError(403, "ACCESS_DENIED", "", "x").code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(ToError(403, "WRONG_AUTH_TYPE", "", "x").code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(ToError(404, "ERROR_METHOD_NOT_FOUND", "", "x").code(), ErrorCode::kNotFound);
  EXPECT_EQ(ToError(400, "", "Call is not found (call should be registered prior to finishing",
                    "telephony.externalCall.finish")
                .code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(ToError(400, "ERROR_CORE", "Unsupported phone number format", "x").code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(ToError(503, "OVERLOAD_LIMIT", "", "x").code(), ErrorCode::kUnavailable);
  EXPECT_EQ(ToError(500, "INTERNAL_SERVER_ERROR", "", "x").code(), ErrorCode::kUnavailable);
}

TEST(RestErrorsTest, MessageKeepsMethodCodeAndPortalText) {
  Error e = ToError(400, "ERROR_CORE", "User is not found or is not active",
                    "telephony.externalCall.register");
  const std::string text = e.what();
  EXPECT_NE(text.find("telephony.externalCall.register"), std::string::npos);
  EXPECT_NE(text.find("ERROR_CORE"), std::string::npos);
  EXPECT_NE(text.find("User is not found or is not active"), std::string::npos);
}

}  // namespace
}  // namespace opdesk::bitrix24
