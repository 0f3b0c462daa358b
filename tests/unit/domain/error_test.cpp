// The error vocabulary and its single mapping to HTTP.
#include "connector/domain/error.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "connector/http/error_response.h"

namespace opdesk {
namespace {

const std::vector<ErrorCode>& AllCodes() {
  static const std::vector<ErrorCode> kAll = {
      ErrorCode::kInvalidArgument,  ErrorCode::kNotFound,         ErrorCode::kUnauthenticated,
      ErrorCode::kPermissionDenied, ErrorCode::kConflict,         ErrorCode::kResourceExhausted,
      ErrorCode::kUnavailable,      ErrorCode::kDeadlineExceeded, ErrorCode::kInternal,
  };
  return kAll;
}

std::string HeaderValue(const http::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) {
      return v;
    }
  }
  return "<absent>";
}

TEST(ErrorCodeTest, ToStringNamesEveryCode) {
  const std::vector<std::pair<ErrorCode, std::string>> expected = {
      {ErrorCode::kInvalidArgument, "INVALID_ARGUMENT"},
      {ErrorCode::kNotFound, "NOT_FOUND"},
      {ErrorCode::kUnauthenticated, "UNAUTHENTICATED"},
      {ErrorCode::kPermissionDenied, "PERMISSION_DENIED"},
      {ErrorCode::kConflict, "CONFLICT"},
      {ErrorCode::kResourceExhausted, "RESOURCE_EXHAUSTED"},
      {ErrorCode::kUnavailable, "UNAVAILABLE"},
      {ErrorCode::kDeadlineExceeded, "DEADLINE_EXCEEDED"},
      {ErrorCode::kInternal, "INTERNAL"},
  };
  ASSERT_EQ(expected.size(), AllCodes().size());
  for (const auto& [code, name] : expected) {
    EXPECT_EQ(ToString(code), name);
  }
}

TEST(ErrorCodeTest, RetryableSetIsExactlyTransientCodesAndInternal) {
  for (ErrorCode code : AllCodes()) {
    const bool expected = code == ErrorCode::kResourceExhausted ||
                          code == ErrorCode::kUnavailable || code == ErrorCode::kDeadlineExceeded ||
                          code == ErrorCode::kInternal;
    EXPECT_EQ(IsRetryable(code), expected) << ToString(code);
  }
}

TEST(ErrorTest, HelpersSetCodeMessageAndField) {
  const Error invalid = InvalidArgument("bad phone", "phone");
  EXPECT_EQ(invalid.code(), ErrorCode::kInvalidArgument);
  EXPECT_STREQ(invalid.what(), "bad phone");
  EXPECT_EQ(invalid.field(), "phone");
  EXPECT_FALSE(invalid.retry_after_ms().has_value());

  EXPECT_EQ(NotFound("x").code(), ErrorCode::kNotFound);
  EXPECT_EQ(Unauthenticated("x").code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(PermissionDenied("x").code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(Conflict("x").code(), ErrorCode::kConflict);
  EXPECT_EQ(ResourceExhausted("x").code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(Unavailable("x").code(), ErrorCode::kUnavailable);
  EXPECT_EQ(DeadlineExceeded("x").code(), ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(Internal("x").code(), ErrorCode::kInternal);
  EXPECT_TRUE(NotFound("x").field().empty());
}

TEST(ErrorTest, WithRetryAfterMsIsChainableAndKeepsTheCode) {
  const Error e = Unavailable("crm down").WithRetryAfterMs(1500);
  EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
  EXPECT_STREQ(e.what(), "crm down");
  ASSERT_TRUE(e.retry_after_ms().has_value());
  EXPECT_EQ(*e.retry_after_ms(), 1500);
}

TEST(ErrorTest, IsCatchableAsRuntimeError) {
  try {
    throw Conflict("stale version");
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "stale version");
    return;
  }
  FAIL() << "opdesk::Error was not caught as std::runtime_error";
}

}  // namespace

namespace http {
namespace {

TEST(HttpStatusForTest, MapsEveryCode) {
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kConflict), 409);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInternal), 500);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kDeadlineExceeded), 504);
}

TEST(ErrorResponseTest, BodyCarriesCodeMessageFieldAndRequestId) {
  const Response r = ErrorResponse(InvalidArgument("phone is empty", "phone"), "req-1");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(r.body, R"({"error":{"code":"INVALID_ARGUMENT","message":"phone is empty",)"
                    R"("field":"phone","request_id":"req-1"}})");
  EXPECT_EQ(HeaderValue(r, "Retry-After"), "<absent>");
}

TEST(ErrorResponseTest, EmptyFieldIsOmitted) {
  const Response r = ErrorResponse(NotFound("no such call"), "req-2");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body,
            R"({"error":{"code":"NOT_FOUND","message":"no such call","request_id":"req-2"}})");
}

TEST(ErrorResponseTest, InternalErrorHidesItsMessage) {
  const Response r = ErrorResponse(Internal("db password=hunter2 at line 7"), "req-3");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body,
            R"({"error":{"code":"INTERNAL","message":"internal error","request_id":"req-3"}})");
  EXPECT_EQ(r.body.find("hunter2"), std::string::npos);
}

TEST(ErrorResponseTest, NonInternalMessagesAreJsonEscaped) {
  const Response r = ErrorResponse(Conflict("say \"hi\"\n"), "r");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find(R"("message":"say \"hi\"\n")"), std::string::npos) << r.body;
}

TEST(ErrorResponseTest, RetryAfterIsSecondsRoundedUp) {
  const std::vector<std::pair<long long, std::string>> cases = {
      {1, "1"}, {999, "1"}, {1000, "1"}, {1001, "2"}, {1500, "2"}, {60000, "60"}, {0, "0"}};
  for (const auto& [ms, seconds] : cases) {
    Error e = ResourceExhausted("slow down");
    e.WithRetryAfterMs(ms);
    const Response r = ErrorResponse(e, "r");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(HeaderValue(r, "Retry-After"), seconds) << "ms=" << ms;
  }
}

TEST(ErrorResponseTest, ExplicitStatusOverloadUsesGivenValues) {
  const Response r = ErrorResponse(405, "METHOD_NOT_ALLOWED", "no", "", "id");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.body, R"({"error":{"code":"METHOD_NOT_ALLOWED","message":"no","request_id":"id"}})");
}

}  // namespace
}  // namespace http
}  // namespace opdesk
