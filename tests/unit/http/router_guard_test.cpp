// Guarded routes: the router runs the route's guard before its handler, a refusal keeps the
// handler from running, and the handler sees the Caller the guard proved.
#include <gtest/gtest.h>

#include <string>

#include "connector/domain/error.h"
#include "connector/http/router.h"

namespace opdesk::http {
namespace {

Response Dispatch(const Router& router, const std::string& method, const std::string& path,
                  Request& req) {
  const RouteMatch match = router.Match(method, path);
  if (match.route == nullptr) {
    throw NotFound("no route");
  }
  return match.route->handler(req);
}

TEST(RouterGuardTest, TheHandlerGetsTheCallerTheGuardProved) {
  Router router;
  router.SetGuard(Guard::kSeat, [](const Request& r) {
    Caller c;
    c.tenant_id = "t1";
    c.user_id = r.Header("X-User");
    c.scope = "frame";
    c.role = Role{};
    c.role->name = "Operator";
    return c;
  });
  router.Add("GET", "/api/things", Guard::kSeat, [](Request&, const Caller& c) {
    return Response::Text(
        200, c.tenant_id + "/" + c.user_id + "/" + c.scope + "/" + (c.role ? c.role->name : "-"));
  });
  Request req;
  req.headers["X-User"] = "7";
  EXPECT_EQ(Dispatch(router, "GET", "/api/things", req).body, "t1/7/frame/Operator");
}

TEST(RouterGuardTest, ARefusalIsThrownAsTheGuardThrewItAndTheHandlerNeverRuns) {
  Router router;
  int guard_runs = 0;
  router.SetGuard(Guard::kSession, [&guard_runs](const Request&) -> Caller {
    ++guard_runs;
    throw Unauthenticated("send Authorization: Bearer <session token>");
  });
  bool handler_ran = false;
  router.Add("POST", "/api/things", Guard::kSession, [&handler_ran](Request&, const Caller&) {
    handler_ran = true;
    return Response::Text(200, "done");
  });
  Request req;
  try {
    Dispatch(router, "POST", "/api/things", req);
    FAIL() << "the guard's refusal must reach the server";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnauthenticated);
    EXPECT_STREQ(e.what(), "send Authorization: Bearer <session token>");
  }
  EXPECT_EQ(guard_runs, 1);
  EXPECT_FALSE(handler_ran);
}

TEST(RouterGuardTest, EachRouteRunsItsOwnGuardOnEveryRequest) {
  Router router;
  std::string ran;
  router.SetGuard(Guard::kAdmin, [&ran](const Request&) {
    ran += "admin;";
    return Caller{};
  });
  router.SetGuard(Guard::kSettingsManager, [&ran](const Request&) {
    ran += "manager;";
    return Caller{};
  });
  router.Add("GET", "/api/admin/x", Guard::kAdmin,
             [](Request&, const Caller&) { return Response::Text(200, "a"); });
  router.Add("PUT", "/api/settings/x", Guard::kSettingsManager,
             [](Request&, const Caller&) { return Response::Text(200, "m"); });
  Request req;
  EXPECT_EQ(Dispatch(router, "GET", "/api/admin/x", req).body, "a");
  EXPECT_EQ(Dispatch(router, "PUT", "/api/settings/x", req).body, "m");
  EXPECT_EQ(Dispatch(router, "GET", "/api/admin/x", req).body, "a");
  EXPECT_EQ(ran, "admin;manager;admin;");
}

TEST(RouterGuardTest, AGuardWithoutACheckRefusesEveryRequest) {
  Router router;
  bool handler_ran = false;
  router.Add("GET", "/api/things", Guard::kSeat, [&handler_ran](Request&, const Caller&) {
    handler_ran = true;
    return Response::Text(200, "done");
  });
  Request req;
  EXPECT_THROW(Dispatch(router, "GET", "/api/things", req), Error);
  EXPECT_FALSE(handler_ran);
}

TEST(RouterGuardTest, PublicRoutesRunNoCheckAndTheTableNamesEachRoutesGuard) {
  Router router;
  router.SetGuard(Guard::kSession, [](const Request&) -> Caller { throw Unauthenticated("no"); });
  router.Add("GET", "/healthz", [](Request&) { return Response::Text(200, "ok"); });
  router.Add("GET", "/api/things", Guard::kSession,
             [](Request&, const Caller&) { return Response::Text(200, "x"); });
  Request req;
  EXPECT_EQ(Dispatch(router, "GET", "/healthz", req).body, "ok");
  ASSERT_EQ(router.routes().size(), 2u);
  EXPECT_EQ(router.routes()[0]->guard, Guard::kNone);
  EXPECT_EQ(router.routes()[1]->guard, Guard::kSession);
  EXPECT_EQ(ToString(router.routes()[1]->guard), "session");
}

}  // namespace
}  // namespace opdesk::http
