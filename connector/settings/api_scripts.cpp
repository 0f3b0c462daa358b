// /api/settings/scripts: drafts, publishing, versions, export/import, duplicate.
#include "connector/domain/error.h"

#include <cpprest/json.h>
#include "connector/settings/api.h"
#include "connector/settings/codec.h"

namespace opdesk::settings {
namespace {

// {name, description?, draft?, version?}; the draft is required on PUT, the version too.
Script ScriptFromBody(const std::string& body, bool is_update) {
  const Json json = ParseBody(body);
  ObjectReader r(json, "");
  Script s;
  s.name = r.String("name", true, 1024);
  s.description = r.String("description", false, 16 * 1024);
  if (const Json* draft = r.Get("draft", !is_update)) {
    s.draft = GraphFromJson(*draft, "draft");
  } else if (is_update) {
    throw InvalidArgument("draft is required", "draft");
  }
  if (is_update) {
    s.version = r.Int("version", true);
  }
  r.Get("id");
  r.Get("published_version");
  r.Get("updated_at_ms");
  r.Done();
  return s;
}

}  // namespace

void AddScriptRoutes(http::Router& router, SettingsService& service) {
  SettingsService* svc = &service;
  const http::RouteOptions small{kSmallBody};
  const http::RouteOptions script{kScriptBody};

  router.Add("GET", "/api/settings/scripts", http::Guard::kSeat,
             [svc](http::Request&, const http::Caller& c) {
               const std::vector<Script> scripts = svc->ListScripts(c.tenant_id);
               Json a = Json::array(scripts.size());
               for (std::size_t i = 0; i < scripts.size(); ++i) {
                 a[i] = SummaryJson(scripts[i]);
               }
               Json body = Json::object(true);
               body["scripts"] = a;
               return JsonReply(200, body);
             });
  router.Add(
      "POST", "/api/settings/scripts", http::Guard::kSettingsManager,
      [svc](http::Request& req, const http::Caller& c) {
        Script s = ScriptFromBody(req.body, false);
        return JsonReply(201, ToJson(svc->CreateScript(c.tenant_id, c.user_id, std::move(s))));
      },
      script);
  router.Add("GET", "/api/settings/scripts/{id}", http::Guard::kSeat,
             [svc](http::Request& req, const http::Caller& c) {
               return JsonReply(200, ToJson(svc->GetScript(c.tenant_id, PathId(req, "id"))));
             });
  router.Add(
      "PUT", "/api/settings/scripts/{id}", http::Guard::kSettingsManager,
      [svc](http::Request& req, const http::Caller& c) {
        const long long id = PathId(req, "id");
        svc->GetScript(c.tenant_id, id);
        Script s = ScriptFromBody(req.body, true);
        return JsonReply(200, ToJson(svc->UpdateScript(c.tenant_id, c.user_id, id, std::move(s))));
      },
      script);
  router.Add(
      "DELETE", "/api/settings/scripts/{id}", http::Guard::kSettingsManager,
      [svc](http::Request& req, const http::Caller& c) {
        const long long id = PathId(req, "id");
        svc->DeleteScript(c.tenant_id, c.user_id, id, VersionParam(req));
        return http::Response::Json(204, "");
      },
      small);
  router.Add(
      "POST", "/api/settings/scripts/{id}/publish", http::Guard::kSettingsManager,
      [svc](http::Request& req, const http::Caller& c) {
        const long long id = PathId(req, "id");
        svc->GetScript(c.tenant_id, id);
        const Json body = ParseBody(req.body);
        ObjectReader r(body, "");
        const long long version = r.Int("version", true);
        r.Done();
        return JsonReply(200, ToJson(svc->PublishScript(c.tenant_id, c.user_id, id, version)));
      },
      small);
  router.Add("GET", "/api/settings/scripts/{id}/versions", http::Guard::kSeat,
             [svc](http::Request& req, const http::Caller& c) {
               const std::vector<ScriptVersion> versions =
                   svc->ListScriptVersions(c.tenant_id, PathId(req, "id"));
               Json a = Json::array(versions.size());
               for (std::size_t i = 0; i < versions.size(); ++i) {
                 Json v = Json::object(true);
                 v["version"] = Json::number(static_cast<int64_t>(versions[i].version));
                 v["name"] = Json::string(versions[i].name);
                 v["published_at_ms"] =
                     Json::number(static_cast<int64_t>(versions[i].published_at_ms));
                 v["published_by"] = Json::string(versions[i].published_by);
                 a[i] = v;
               }
               Json body = Json::object(true);
               body["versions"] = a;
               return JsonReply(200, body);
             });
  router.Add("GET", "/api/settings/scripts/{id}/versions/{version}", http::Guard::kSeat,
             [svc](http::Request& req, const http::Caller& c) {
               return JsonReply(200, ToJson(svc->GetScriptVersion(c.tenant_id, PathId(req, "id"),
                                                                  PathId(req, "version"))));
             });
  router.Add("GET", "/api/settings/scripts/{id}/export", http::Guard::kSeat,
             [svc](http::Request& req, const http::Caller& c) {
               const long long id = PathId(req, "id");
               http::Response r;
               if (const auto v = req.QueryParam("version")) {
                 const ScriptVersion version =
                     svc->GetScriptVersion(c.tenant_id, id, ParseIdText(*v, "version"));
                 r = JsonReply(200, ExportJson(version.name, version.description, version.graph));
               } else {
                 const Script s = svc->GetScript(c.tenant_id, id);
                 r = JsonReply(200, ExportJson(s.name, s.description, s.draft));
               }
               r.headers.emplace_back("Content-Disposition", "attachment; filename=\"script-" +
                                                                 std::to_string(id) + ".json\"");
               return r;
             });
  router.Add(
      "POST", "/api/settings/scripts/import", http::Guard::kSettingsManager,
      [svc](http::Request& req, const http::Caller& c) {
        ImportedScript in = ImportFromJson(ParseBody(req.body));
        return JsonReply(201, ToJson(svc->ImportScript(c.tenant_id, c.user_id, in.name,
                                                       in.description, std::move(in.graph))));
      },
      script);
  router.Add(
      "POST", "/api/settings/scripts/{id}/duplicate", http::Guard::kSettingsManager,
      [svc](http::Request& req, const http::Caller& c) {
        return JsonReply(201,
                         ToJson(svc->DuplicateScript(c.tenant_id, c.user_id, PathId(req, "id"))));
      },
      small);
}

}  // namespace opdesk::settings
