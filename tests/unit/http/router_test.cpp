// Route matching: literal, {param} and final {rest*} segments; most specific wins; 405 info.
#include "connector/http/router.h"

#include <gtest/gtest.h>

#include <string>

#include "connector/domain/error.h"

namespace opdesk::http {
namespace {

Handler Reply(std::string body) {
  return [body](Request&) { return Response::Text(200, body); };
}

std::string HandlerBody(const RouteMatch& match) {
  if (match.route == nullptr) {
    return "<none>";
  }
  Request req;
  return match.route->handler(req).body;
}

TEST(RouterTest, LiteralRouteMatchesExactly) {
  Router router;
  router.Add("GET", "/healthz", Reply("health"));
  const RouteMatch m = router.Match("GET", "/healthz");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/healthz");
  EXPECT_EQ(HandlerBody(m), "health");
  EXPECT_TRUE(m.params.empty());
  EXPECT_EQ(router.Match("GET", "/healthz/x").route, nullptr);
  EXPECT_EQ(router.Match("GET", "/health").route, nullptr);
  EXPECT_EQ(router.Match("GET", "/").route, nullptr);
}

TEST(RouterTest, ParamBindsOneSegment) {
  Router router;
  router.Add("GET", "/calls/{id}/events", Reply("events"));
  const RouteMatch m = router.Match("GET", "/calls/42/events");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params.at("id"), "42");
  EXPECT_EQ(router.Match("GET", "/calls/42/43/events").route, nullptr);
  EXPECT_EQ(router.Match("GET", "/calls//events").route, nullptr);
}

TEST(RouterTest, MostSpecificRouteWins) {
  Router router;
  // The rest route is added first so that registration order cannot decide.
  router.Add("POST", "/mango/{key}/{rest*}", Reply("rest"));
  router.Add("POST", "/mango/{key}/ping", Reply("ping"));

  const RouteMatch ping = router.Match("POST", "/mango/k/ping");
  ASSERT_NE(ping.route, nullptr);
  EXPECT_EQ(ping.route->pattern, "/mango/{key}/ping");
  EXPECT_EQ(HandlerBody(ping), "ping");
  EXPECT_EQ(ping.params.at("key"), "k");
  EXPECT_EQ(ping.params.count("rest"), 0u);

  const RouteMatch events = router.Match("POST", "/mango/k/events/call");
  ASSERT_NE(events.route, nullptr);
  EXPECT_EQ(events.route->pattern, "/mango/{key}/{rest*}");
  EXPECT_EQ(HandlerBody(events), "rest");
  EXPECT_EQ(events.params.at("key"), "k");
  EXPECT_EQ(events.params.at("rest"), "events/call");
}

TEST(RouterTest, MostSpecificRouteWinsRegardlessOfOrder) {
  Router router;
  router.Add("POST", "/mango/{key}/ping", Reply("ping"));
  router.Add("POST", "/mango/{key}/{rest*}", Reply("rest"));
  EXPECT_EQ(HandlerBody(router.Match("POST", "/mango/k/ping")), "ping");
  EXPECT_EQ(HandlerBody(router.Match("POST", "/mango/k/pong")), "rest");
}

TEST(RouterTest, EarliestSegmentDecidesSpecificity) {
  Router router;
  router.Add("GET", "/{a}/b", Reply("param-then-literal"));
  router.Add("GET", "/a/{b}", Reply("literal-then-param"));
  router.Add("GET", "/{a}/{b}", Reply("params"));
  EXPECT_EQ(HandlerBody(router.Match("GET", "/a/b")), "literal-then-param");
  EXPECT_EQ(HandlerBody(router.Match("GET", "/x/b")), "param-then-literal");
  EXPECT_EQ(HandlerBody(router.Match("GET", "/x/y")), "params");
}

TEST(RouterTest, ParamBeatsRestAtSameSegment) {
  Router router;
  router.Add("GET", "/files/{rest*}", Reply("rest"));
  router.Add("GET", "/files/{name}", Reply("name"));
  EXPECT_EQ(HandlerBody(router.Match("GET", "/files/a")), "name");
  const RouteMatch deep = router.Match("GET", "/files/a/b/c");
  EXPECT_EQ(HandlerBody(deep), "rest");
  EXPECT_EQ(deep.params.at("rest"), "a/b/c");
}

TEST(RouterTest, RestParamNeedsAtLeastOneSegment) {
  Router router;
  router.Add("POST", "/mango/{key}/{rest*}", Reply("rest"));
  EXPECT_EQ(router.Match("POST", "/mango/k").route, nullptr);
  EXPECT_EQ(router.Match("POST", "/mango/k/").route, nullptr);
  const RouteMatch one = router.Match("POST", "/mango/k/x");
  ASSERT_NE(one.route, nullptr);
  EXPECT_EQ(one.params.at("rest"), "x");
}

TEST(RouterTest, TrailingSlashIsTolerated) {
  Router router;
  router.Add("GET", "/admin/dead-letters", Reply("list"));
  router.Add("GET", "/calls/{id}", Reply("call"));
  EXPECT_EQ(HandlerBody(router.Match("GET", "/admin/dead-letters/")), "list");
  const RouteMatch m = router.Match("GET", "/calls/7/");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("id"), "7");
}

TEST(RouterTest, RootPatternMatchesOnlyRoot) {
  Router router;
  router.Add("GET", "/", Reply("root"));
  EXPECT_EQ(HandlerBody(router.Match("GET", "/")), "root");
  EXPECT_EQ(router.Match("GET", "/x").route, nullptr);
}

TEST(RouterTest, PathWithoutLeadingSlashDoesNotMatch) {
  Router router;
  router.Add("GET", "/healthz", Reply("health"));
  const RouteMatch m = router.Match("GET", "healthz");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allowed_methods.empty());
  EXPECT_EQ(router.Match("GET", "").route, nullptr);
}

TEST(RouterTest, MethodMismatchListsAllowedMethods) {
  Router router;
  router.Add("POST", "/calls/{id}", Reply("post"));
  router.Add("GET", "/calls/{id}", Reply("get"));
  router.Add("DELETE", "/calls/{id}/events", Reply("other path"));
  const RouteMatch m = router.Match("PUT", "/calls/1");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed_methods, "GET, POST");
  EXPECT_TRUE(m.params.empty());
}

TEST(RouterTest, AllowedMethodsListsEachMethodOnce) {
  Router router;
  router.Add("GET", "/a/{x}", Reply("1"));
  router.Add("GET", "/a/b", Reply("2"));
  EXPECT_EQ(router.Match("POST", "/a/b").allowed_methods, "GET");
}

TEST(RouterTest, MatchingMethodLeavesAllowedMethodsEmpty) {
  Router router;
  router.Add("GET", "/x", Reply("get"));
  router.Add("POST", "/x", Reply("post"));
  const RouteMatch m = router.Match("POST", "/x");
  EXPECT_EQ(HandlerBody(m), "post");
  EXPECT_TRUE(m.allowed_methods.empty());
}

TEST(RouterTest, UnknownPathHasNoAllowedMethods) {
  Router router;
  router.Add("GET", "/calls/{id}", Reply("get"));
  const RouteMatch m = router.Match("GET", "/nope");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.allowed_methods.empty());
}

TEST(RouterTest, DuplicateRouteThrows) {
  Router router;
  router.Add("GET", "/calls/{id}", Reply("a"));
  try {
    router.Add("GET", "/calls/{id}", Reply("b"));
    FAIL() << "duplicate route was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
  }
  // The same pattern under another method is not a duplicate.
  EXPECT_NO_THROW(router.Add("POST", "/calls/{id}", Reply("c")));
  EXPECT_EQ(router.routes().size(), 2u);
  EXPECT_EQ(HandlerBody(router.Match("GET", "/calls/1")), "a");
}

TEST(RouterTest, NonFinalRestSegmentThrows) {
  Router router;
  try {
    router.Add("GET", "/a/{rest*}/b", Reply("x"));
    FAIL() << "a non-final {rest*} was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
  }
  EXPECT_TRUE(router.routes().empty());
}

TEST(RouterTest, PatternWithoutLeadingSlashThrows) {
  Router router;
  EXPECT_THROW(router.Add("GET", "calls", Reply("x")), Error);
  EXPECT_THROW(router.Add("GET", "", Reply("x")), Error);
  EXPECT_TRUE(router.routes().empty());
}

TEST(RouterTest, RouteKeepsItsOptions) {
  Router router;
  router.Add("POST", "/upload", Reply("x"), RouteOptions{.max_body_bytes = 1234});
  const RouteMatch m = router.Match("POST", "/upload");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->options.max_body_bytes, 1234u);
  EXPECT_EQ(m.route->method, "POST");
}

}  // namespace
}  // namespace opdesk::http
