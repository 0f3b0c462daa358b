#include "connector/settings/api.h"

#include <cpprest/json.h>

#include "connector/domain/error.h"

namespace opdesk::settings {

http::Response JsonReply(int status, const Json& body) {
  return http::Response::Json(status, body.serialize());
}

long long PathId(const http::Request& request, const char* name) {
  try {
    return ParseIdText(request.PathParam(name), name);
  } catch (const Error&) {
    // A malformed id names nothing that exists.
    throw NotFound("no such object: " + request.PathParam(name));
  }
}

long long VersionParam(const http::Request& request) {
  const std::optional<std::string> v = request.QueryParam("version");
  if (!v || v->empty() || v->size() > 18 ||
      v->find_first_not_of("0123456789") != std::string::npos) {
    throw InvalidArgument("send ?version=N with the version you read", "version");
  }
  return std::stoll(*v);
}

void AddSettingsRoutes(http::Router& router, SettingsService& service) {
  AddButtonAndRoleRoutes(router, service);
  AddScriptRoutes(router, service);
  AddPeopleRoutes(router, service);
}

}  // namespace opdesk::settings
