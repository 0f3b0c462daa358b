// Serving the built front end: safe paths only, content types, a year of immutable caching for
// fingerprinted assets and none for the HTML shell, ETag revalidation, and gzip twins.
#include "connector/http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "connector/domain/error.h"

namespace opdesk::http {
namespace {

namespace fs = std::filesystem;

std::string HeaderOf(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) {
      return v;
    }
  }
  return "";
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("opdesk-static-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(root_ / "assets");
    Write("callcard.html", "<!doctype html><title>card</title>");
    Write("assets/callcard-CsEKVI2V.js", "console.log('plain')");
    Write("assets/callcard-CsEKVI2V.js.gz", "GZIPPED");
    Write("assets/callcard-44kZ7rNU.css", "body{}");
    Write("assets/logo.svg", "<svg/>");
    fs::create_directories(root_.parent_path() / "outside");
    std::ofstream(root_.parent_path() / "secret.txt") << "secret";
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(root_ / rel, std::ios::binary) << text;
  }
  Response Get(const std::string& rel, Headers headers = {}) {
    Request request;
    request.method = "GET";
    request.path = "/ui/" + rel;
    request.headers = std::move(headers);
    return StaticFiles(root_.string()).Serve(request, rel);
  }

  fs::path root_;
};

TEST(StaticPathTest, OnlyPlainRelativePathsAreSafe) {
  EXPECT_TRUE(IsSafeRelativePath("callcard.html"));
  EXPECT_TRUE(IsSafeRelativePath("assets/a-b.js"));
  EXPECT_TRUE(IsSafeRelativePath("assets/..hidden"));
  for (const char* bad : {"", "/etc/passwd", "../secret.txt", "assets/../../secret.txt", "..", ".",
                          "assets/./a.js", "assets//a.js", "assets/", "a\\..\\b"}) {
    EXPECT_FALSE(IsSafeRelativePath(bad)) << bad;
  }
  EXPECT_FALSE(IsSafeRelativePath(std::string("a\0b", 3)));
}

TEST(StaticPathTest, FingerprintsAreViteHashesUnderAssets) {
  EXPECT_TRUE(IsFingerprinted("assets/callcard-CsEKVI2V.js"));
  EXPECT_TRUE(IsFingerprinted("assets/esm-Bnd-rwya.js"));
  EXPECT_TRUE(IsFingerprinted("assets/callcard-44kZ7rNU.css"));
  EXPECT_FALSE(IsFingerprinted("assets/logo.svg"));
  EXPECT_FALSE(IsFingerprinted("callcard-CsEKVI2V.js"));
  EXPECT_FALSE(IsFingerprinted("assets/a-b.js"));
}

TEST(StaticPathTest, ContentTypesFollowTheExtension) {
  EXPECT_EQ(ContentTypeFor("a/b.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("b.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("i.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("f.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("x.d/file"), "application/octet-stream");
}

TEST_F(StaticFilesTest, FingerprintedAssetsAreImmutableForAYear) {
  const Response r = Get("assets/callcard-44kZ7rNU.css");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "body{}");
  EXPECT_EQ(r.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_FALSE(HeaderOf(r, "ETag").empty());
}

TEST_F(StaticFilesTest, TheShellIsNeverStoredAndOtherFilesAreRevalidated) {
  EXPECT_EQ(HeaderOf(Get("callcard.html"), "Cache-Control"), "no-store");
  EXPECT_EQ(HeaderOf(Get("assets/logo.svg"), "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, AMatchingETagAnswersNotModified) {
  const std::string etag = HeaderOf(Get("assets/logo.svg"), "ETag");
  const Response again = Get("assets/logo.svg", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(Get("assets/logo.svg", {{"If-None-Match", "\"other\""}}).status, 200);
}

TEST_F(StaticFilesTest, GzipTwinGoesOnlyToClientsThatAcceptIt) {
  const Response packed = Get("assets/callcard-CsEKVI2V.js", {{"Accept-Encoding", "gzip, br"}});
  EXPECT_EQ(packed.body, "GZIPPED");
  EXPECT_EQ(HeaderOf(packed, "Content-Encoding"), "gzip");
  EXPECT_EQ(HeaderOf(packed, "Vary"), "Accept-Encoding");
  const Response plain = Get("assets/callcard-CsEKVI2V.js");
  EXPECT_EQ(plain.body, "console.log('plain')");
  EXPECT_EQ(HeaderOf(plain, "Content-Encoding"), "");
  // No twin: the plain file even for a gzip client.
  EXPECT_EQ(Get("assets/callcard-44kZ7rNU.css", {{"Accept-Encoding", "gzip"}}).body, "body{}");
}

TEST_F(StaticFilesTest, TraversalAndMissingFilesAreNotFound) {
  for (const char* bad : {"../secret.txt", "assets/../../secret.txt", "assets", "nope.js",
                          "/etc/passwd", "assets/%2e%2e/x"}) {
    EXPECT_THROW(Get(bad), Error) << bad;
  }
  EXPECT_FALSE(StaticFiles(root_.string()).Read("../secret.txt"));
  EXPECT_EQ(*StaticFiles(root_.string()).Read("callcard.html"),
            "<!doctype html><title>card</title>");
  EXPECT_FALSE(StaticFiles("").Read("callcard.html"));
}

TEST_F(StaticFilesTest, TheRouteServesUnderUi) {
  Router router;
  StaticFiles files(root_.string());
  AddStaticRoutes(router, files);
  RouteMatch match = router.Match("GET", "/ui/assets/logo.svg");
  ASSERT_NE(match.route, nullptr);
  Request request;
  request.path_params = match.params;
  EXPECT_EQ(match.route->handler(request).body, "<svg/>");
  match = router.Match("GET", "/ui/../secret.txt");
  ASSERT_NE(match.route, nullptr);
  request.path_params = match.params;
  EXPECT_THROW(match.route->handler(request), Error);
}

}  // namespace
}  // namespace opdesk::http
