// Form and query decoding, JSON quoting and header lookup.
#include "connector/http/message.h"

#include <gtest/gtest.h>

#include <string>

namespace opdesk::http {
namespace {

using Pair = std::pair<std::string, std::string>;

TEST(ParseFormTest, DecodesPlusAndPercentEscapes) {
  const Params p = ParseForm("name=John+Smith&phone=%2B7+495&note=a%26b%3Dc");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0], Pair("name", "John Smith"));
  EXPECT_EQ(p[1], Pair("phone", "+7 495"));
  EXPECT_EQ(p[2], Pair("note", "a&b=c"));
}

TEST(ParseFormTest, DecodesCyrillicUtf8) {
  const Params p = ParseForm("text=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].second, "Привет");
}

TEST(ParseFormTest, HexDigitsAreCaseInsensitive) {
  EXPECT_EQ(ParseForm("k=%d0%9f%2f%2F")[0].second, "П//");
}

TEST(ParseFormTest, KeepsRepeatsAndOrder) {
  const Params p = ParseForm("b=2&a=1&b=3");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0], Pair("b", "2"));
  EXPECT_EQ(p[1], Pair("a", "1"));
  EXPECT_EQ(p[2], Pair("b", "3"));
  EXPECT_EQ(FindParam(p, "b"), "2");
}

TEST(ParseFormTest, KeepsBracketKeysVerbatim) {
  const Params p =
      ParseForm("auth%5Baccess_token%5D=abc&auth[domain]=x.bitrix24.ru&data[FIELDS][ID]=5");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0], Pair("auth[access_token]", "abc"));
  EXPECT_EQ(p[1], Pair("auth[domain]", "x.bitrix24.ru"));
  EXPECT_EQ(p[2], Pair("data[FIELDS][ID]", "5"));
  EXPECT_EQ(FindParam(p, "auth[access_token]"), "abc");
}

TEST(ParseFormTest, SkipsEmptyPairs) {
  const Params p = ParseForm("&a=1&&b=2&");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0], Pair("a", "1"));
  EXPECT_EQ(p[1], Pair("b", "2"));
  EXPECT_TRUE(ParseForm("").empty());
  EXPECT_TRUE(ParseForm("&&").empty());
}

TEST(ParseFormTest, KeyWithoutValueHasEmptyValue) {
  const Params p = ParseForm("flag&x=&y=a=b");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0], Pair("flag", ""));
  EXPECT_EQ(p[1], Pair("x", ""));
  EXPECT_EQ(p[2], Pair("y", "a=b"));  // only the first '=' separates
}

TEST(ParseFormTest, MalformedEscapesAreKeptLiterally) {
  EXPECT_EQ(ParseForm("a=%2")[0].second, "%2");
  EXPECT_EQ(ParseForm("a=%")[0].second, "%");
  EXPECT_EQ(ParseForm("a=%zz1")[0].second, "%zz1");
  EXPECT_EQ(ParseForm("a=%G1%41")[0].second, "%G1A");
  EXPECT_EQ(ParseForm("a=100%")[0].second, "100%");
  EXPECT_EQ(ParseForm("a=%%41")[0].second, "%A");
}

TEST(PercentDecodeTest, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(PercentDecode("a+b%20c", true), "a b c");
  EXPECT_EQ(PercentDecode("a+b%20c", false), "a+b c");
  EXPECT_EQ(PercentDecode("%2B", true), "+");
}

TEST(PercentDecodeTest, DecodesEscapeAtTheVeryEnd) {
  EXPECT_EQ(PercentDecode("ab%41", false), "abA");
  EXPECT_EQ(PercentDecode("%41", false), "A");
  EXPECT_EQ(PercentDecode("ab%4", false), "ab%4");
}

TEST(PercentDecodeTest, DecodesNulByte) {
  const std::string out = PercentDecode("a%00b", false);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1], '\0');
}

TEST(FindParamTest, MissingNameIsNullopt) {
  const Params p = ParseForm("a=1");
  EXPECT_FALSE(FindParam(p, "b").has_value());
  EXPECT_FALSE(FindParam(p, "A").has_value());  // names are case-sensitive
  ASSERT_TRUE(FindParam(ParseForm("e="), "e").has_value());
  EXPECT_EQ(*FindParam(ParseForm("e="), "e"), "");
}

TEST(JsonQuoteTest, EscapesQuotesBackslashAndWhitespaceControls) {
  EXPECT_EQ(JsonQuote(""), "\"\"");
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("say \"hi\""), R"("say \"hi\"")");
  EXPECT_EQ(JsonQuote("C:\\tmp"), R"("C:\\tmp")");
  EXPECT_EQ(JsonQuote("a\nb\rc\td"), R"("a\nb\rc\td")");
}

TEST(JsonQuoteTest, EscapesOtherControlCharsAsUnicode) {
  EXPECT_EQ(JsonQuote("\x01"), R"("\u0001")");
  EXPECT_EQ(JsonQuote("\x1f"), R"("\u001f")");
  EXPECT_EQ(JsonQuote("\b\f"), R"("\u0008\u000c")");
  EXPECT_EQ(JsonQuote(std::string_view("a\0b", 3)), R"("a\u0000b")");
}

TEST(JsonQuoteTest, PassesUtf8AndPrintableAsciiThrough) {
  EXPECT_EQ(JsonQuote("Привет, мир"), "\"Привет, мир\"");
  EXPECT_EQ(JsonQuote("€ 😀"), "\"€ 😀\"");
  EXPECT_EQ(JsonQuote("/<>'~ \x7f"), "\"/<>'~ \x7f\"");
}

TEST(RequestTest, HeaderLookupIsCaseInsensitive) {
  Request req;
  req.headers["Content-Type"] = "application/json";
  req.headers["X-Request-Id"] = "abc";
  EXPECT_EQ(req.Header("content-type"), "application/json");
  EXPECT_EQ(req.Header("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(req.Header("x-request-id"), "abc");
  EXPECT_EQ(req.Header("Authorization"), "");
  req.headers["x-request-id"] = "def";  // same key, other case: replaces
  EXPECT_EQ(req.headers.size(), 2u);
  EXPECT_EQ(req.Header("X-Request-Id"), "def");
}

TEST(RequestTest, PathAndQueryParams) {
  Request req;
  req.path_params["id"] = "42";
  req.query_params = ParseForm("limit=10&limit=20");
  EXPECT_EQ(req.PathParam("id"), "42");
  EXPECT_EQ(req.PathParam("missing"), "");
  EXPECT_EQ(req.QueryParam("limit"), "10");
  EXPECT_FALSE(req.QueryParam("offset").has_value());
}

TEST(ResponseTest, FactoriesSetStatusBodyAndContentType) {
  const Response json = Response::Json(201, "{}");
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.body, "{}");
  EXPECT_EQ(json.content_type, "application/json; charset=utf-8");
  const Response text = Response::Text(200, "ok");
  EXPECT_EQ(text.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(Response::Text(200, "x", "text/csv").content_type, "text/csv");
}

}  // namespace
}  // namespace opdesk::http
