// The shared JSON field reader's lenient integer reads and its strict ranged integer and parse.
#include "adapters/json_read.h"

#include <gtest/gtest.h>

#include <cpprest/json.h>

#include "connector/domain/error.h"

namespace opdesk::adapters {
namespace {

using web::json::value;

value Parse(const std::string& text) {
  return value::parse(text);
}

// The message and field of the InvalidArgument `f` throws; "" if it throws nothing.
template <typename F>
std::pair<std::string, std::string> Refusal(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    return {e.what(), e.field()};
  }
  return {"", ""};
}

TEST(JsonReadTest, JsonIntReadsNumbersAndFallsBackOtherwise) {
  const value o = Parse(R"({"n": 42, "neg": -7, "real": 3.9, "s": "12", "b": true, "z": null})");
  EXPECT_EQ(JsonInt(o, "n"), 42);
  EXPECT_EQ(JsonInt(o, "neg"), -7);
  EXPECT_EQ(JsonInt(o, "real"), 3);  // a fraction dropped, as to_int64 does
  EXPECT_EQ(JsonInt(o, "s"), 0);     // a string is not a number here
  EXPECT_EQ(JsonInt(o, "b", 5), 5);
  EXPECT_EQ(JsonInt(o, "z", -1), -1);
  EXPECT_EQ(JsonInt(o, "missing", -1), -1);
  EXPECT_EQ(JsonInt(Parse("[1]"), "n", 9), 9);
  EXPECT_EQ(JsonInt(Parse(R"({"big": 9007199254740993})"), "big"), 9007199254740993LL);
}

TEST(JsonReadTest, JsonTrueIsOnlyTheBooleanTrue) {
  const value o = Parse(R"({"t": true, "f": false, "one": 1, "y": "Y"})");
  EXPECT_TRUE(JsonTrue(o, "t"));
  EXPECT_FALSE(JsonTrue(o, "f"));
  EXPECT_FALSE(JsonTrue(o, "one"));
  EXPECT_FALSE(JsonTrue(o, "y"));
  EXPECT_FALSE(JsonTrue(o, "missing"));
  EXPECT_FALSE(JsonTrue(Parse("true"), "t"));
}

TEST(JsonReadTest, JsonIdTextWritesNumbersAsIntegers) {
  const value o = Parse(R"({"s": "abc", "n": 17, "real": 5.7, "b": true, "o": {}})");
  EXPECT_EQ(JsonIdText(o, "s"), "abc");
  EXPECT_EQ(JsonIdText(o, "n"), "17");
  EXPECT_EQ(JsonIdText(o, "real"), "5");
  EXPECT_EQ(JsonIdText(o, "b"), "");
  EXPECT_EQ(JsonIdText(o, "o"), "");
  EXPECT_EQ(JsonIdText(o, "missing"), "");
  EXPECT_EQ(JsonIdText(Parse("\"x\""), "s"), "");
}

TEST(JsonReadTest, JsonStringFallbackReadsTheOtherSpelling) {
  const value o = Parse(R"({"STATUS": "L", "status": 3})");
  EXPECT_EQ(JsonString(o, "status", JsonString(o, "STATUS")), "L");
  EXPECT_EQ(JsonString(o, "STATUS", "x"), "L");
  EXPECT_EQ(JsonString(o, "missing", "x"), "x");
}

TEST(JsonReadTest, JsonIntInNamesTheFieldAndTheRange) {
  const value o = Parse(R"({"burst": 10, "big": 5000, "real": 1.5, "s": "3"})");
  EXPECT_EQ(JsonIntIn(o, "burst", 1, 1000), 10);
  EXPECT_EQ(Refusal([&] { JsonIntIn(o, "big", 1, 1000); }),
            std::make_pair(std::string("big must be from 1 to 1000"), std::string("big")));
  EXPECT_EQ(Refusal([&] { JsonIntIn(o, "real", 1, 10); }),
            std::make_pair(std::string("real must be an integer"), std::string("real")));
  EXPECT_EQ(Refusal([&] { JsonIntIn(o, "s", 1, 10); }).first, "s must be an integer");
  EXPECT_EQ(Refusal([&] { JsonIntIn(o, "missing", 1, 10); }).first, "missing must be an integer");
  EXPECT_EQ(Refusal([&] { JsonIntIn(Parse("[1]"), "burst", 1, 10); }).first,
            "burst must be an integer");
}

TEST(JsonReadTest, ParseJsonTakesAnyValueAndReportsTheGivenError) {
  EXPECT_TRUE(ParseJson("[1, 2]", "bad", "body").is_array());
  EXPECT_TRUE(ParseJson("{}", "bad", "body").is_object());
  EXPECT_EQ(Refusal([] { ParseJson("{", "the body must be JSON", "body"); }),
            std::make_pair(std::string("the body must be JSON"), std::string("body")));
  EXPECT_EQ(Refusal([] { ParseBody("[1]"); }).first, "the body must be a JSON object");
  EXPECT_EQ(Refusal([] { ParseBody("nope"); }).first, "the body must be a JSON object");
}

}  // namespace
}  // namespace opdesk::adapters
