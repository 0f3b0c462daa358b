#include "connector/settings/mango_api.h"

#include <cpprest/json.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>

#include "adapters/json_read.h"
#include "connector/calls/directory_sync.h"
#include "connector/calls/vpbx_connection.h"
#include "connector/domain/error.h"
#include "connector/settings/access.h"
#include "connector/settings/integration_api.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/repositories.h"

namespace opdesk::mango {
namespace {

using web::json::value;

bool Digits(const std::string& s, std::size_t max) {
  return !s.empty() && s.size() <= max &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::string ConnectionReply(storage::Session& s, const MangoSettingsDeps& d,
                            const std::string& tenant_id) {
  std::optional<MangoConnection> c = storage::MangoConnectionRepository::FindByTenant(s, tenant_id);
  const std::vector<MangoDirectoryEntry> directory =
      storage::MangoDirectoryRepository::List(s, tenant_id);
  value v = value::object();
  v["connected"] = value::boolean(c.has_value());
  v["api_key"] = c ? value::string(c->api_key) : value::null();
  v["webhook_url"] = c ? value::string(WebhookBaseUrl(d.public_url, c->tenant_key)) : value::null();
  v["connected_at_ms"] = value::number(static_cast<int64_t>(c ? c->created_at_ms : 0));
  v["updated_at_ms"] = value::number(static_cast<int64_t>(c ? c->updated_at_ms : 0));
  value dir = value::object();
  dir["employees"] = value::number(static_cast<int64_t>(directory.size()));
  dir["synced_at_ms"] =
      value::number(static_cast<int64_t>(directory.empty() ? 0 : directory.front().synced_at_ms));
  v["directory"] = dir;
  return v.serialize();
}

std::string EmployeesReply(storage::Session& s, const std::string& tenant_id) {
  struct Row {
    MangoDirectoryEntry pbx;
    std::optional<EmployeeLink> link;
  };
  std::map<std::string, Row> rows;
  EpochMs synced = 0;
  for (const MangoDirectoryEntry& e : storage::MangoDirectoryRepository::List(s, tenant_id)) {
    rows[e.extension].pbx = e;
    synced = std::max(synced, e.synced_at_ms);
  }
  for (const EmployeeLink& l : storage::EmployeeMapRepository::List(s, tenant_id)) {
    rows[l.extension].link = l;
  }
  value list = value::array();
  std::size_t i = 0;
  for (const auto& [extension, row] : rows) {
    value e = value::object();
    e["extension"] = value::string(extension);
    e["in_pbx_directory"] = value::boolean(!row.pbx.extension.empty());
    e["mango_name"] = value::string(row.pbx.name);
    e["mango_email"] = value::string(row.pbx.email);
    e["crm_user_id"] = row.link ? value::string(row.link->crm_user_id) : value::null();
    e["source"] = row.link ? value::string(row.link->source) : value::null();
    e["updated_at_ms"] =
        value::number(static_cast<int64_t>(row.link ? row.link->updated_at_ms : 0));
    list[i++] = e;
  }
  value v = value::object();
  v["employees"] = list;
  v["synced_at_ms"] = value::number(static_cast<int64_t>(synced));
  return v.serialize();
}

std::string LinkJson(const std::optional<EmployeeLink>& l) {
  if (!l) {
    return "null";
  }
  value v = value::object();
  v["crm_user_id"] = value::string(l->crm_user_id);
  v["source"] = value::string(l->source);
  return v.serialize();
}

std::string ValidExtension(const http::Request& req) {
  const std::string extension = req.PathParam("extension");
  if (!Digits(extension, 16)) {
    throw InvalidArgument("an extension is 1 to 16 digits", "extension");
  }
  return extension;
}

// A manual link must name a user who can take calls: Bitrix24 refuses register and finish for
// inactive or unknown users, far from this page.
void RequireActivePortalUser(adapters::Crm& crm, const std::string& tenant_id,
                             const std::string& user_id) {
  adapters::RequestOptions options;
  options.deadline = std::chrono::seconds(10);
  bool active = false;
  try {
    active = crm.IsActiveUser(tenant_id, user_id, options);
  } catch (const Error& e) {
    throw Unavailable(std::string("the portal could not be asked about user ") + user_id +
                      "; nothing was changed (" + e.what() + ")");
  }
  if (!active) {
    throw InvalidArgument("user " + user_id + " is not an active user of the portal",
                          "crm_user_id");
  }
}

}  // namespace

void AddMangoSettingsRoutes(http::Router& router, MangoSettingsDeps deps_in) {
  auto d = std::make_shared<MangoSettingsDeps>(std::move(deps_in));

  router.Add("GET", "/api/settings/mango", http::Guard::kSession,
             [d](http::Request&, const http::Caller& caller) {
               std::string reply;
               storage::WithSession(d->db, [&](storage::Session& s) {
                 settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
                 reply = ConnectionReply(s, *d, caller.tenant_id);
               });
               return http::Response::Json(200, reply);
             });

  router.Add(
      "PUT", "/api/settings/mango", http::Guard::kSession,
      [d](http::Request& req, const http::Caller& caller) {
        const value body = adapters::ParseBody(req.body);
        std::string api_key, api_salt;
        for (const auto& [key, field] : body.as_object()) {
          if (key != "api_key" && key != "api_salt") {
            throw InvalidArgument("unknown field '" + key + "'", key);
          }
          if (!field.is_string()) {
            throw InvalidArgument(key + " must be a string", key);
          }
          (key == "api_key" ? api_key : api_salt) = field.as_string();
        }
        ValidateVpbxCredentials(api_key, api_salt);
        std::string reply;
        storage::InTransaction(d->db, [&](storage::Session& s) {
          settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
          ConnectVpbx(s, d->box, caller.tenant_id, api_key, api_salt, "user:" + caller.user_id,
                      d->clock.NowMs(), d->directory_refresh_ms);
          reply = ConnectionReply(s, *d, caller.tenant_id);
        });
        if (d->reconnected) {
          d->reconnected(caller.tenant_id);
        }
        if (d->wake) {
          d->wake();
        }
        return http::Response::Json(200, reply);
      },
      http::RouteOptions{4 * 1024});

  router.Add("GET", "/api/settings/mango/employees", http::Guard::kSession,
             [d](http::Request&, const http::Caller& caller) {
               std::string reply;
               storage::WithSession(d->db, [&](storage::Session& s) {
                 settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
                 reply = EmployeesReply(s, caller.tenant_id);
               });
               return http::Response::Json(200, reply);
             });

  router.Add(
      "PUT", "/api/settings/mango/employees/{extension}", http::Guard::kSession,
      [d](http::Request& req, const http::Caller& caller) {
        const std::string extension = ValidExtension(req);
        const value body = adapters::ParseBody(req.body);
        std::string user_id;
        for (const auto& [key, field] : body.as_object()) {
          if (key != "crm_user_id") {
            throw InvalidArgument("unknown field '" + key + "'", key);
          }
          if (field.is_string()) {
            user_id = field.as_string();
          } else if (field.is_number() && field.as_number().is_int64()) {
            user_id = std::to_string(field.as_number().to_int64());
          } else {
            throw InvalidArgument("crm_user_id must be a Bitrix24 user id", key);
          }
        }
        if (!Digits(user_id, 20)) {
          throw InvalidArgument("crm_user_id must be a Bitrix24 user id", "crm_user_id");
        }
        storage::WithSession(d->db, [&](storage::Session& s) {
          settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
        });
        RequireActivePortalUser(d->crm, caller.tenant_id, user_id);
        std::string reply;
        storage::InTransaction(d->db, [&](storage::Session& s) {
          settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
          const EpochMs now = d->clock.NowMs();
          const std::optional<EmployeeLink> before =
              storage::EmployeeMapRepository::Find(s, caller.tenant_id, extension);
          const EmployeeLink link{caller.tenant_id, extension, user_id, "manual", now};
          storage::EmployeeMapRepository::Link(s, link);
          AuditEntry audit = MakeAuditEntry(caller.tenant_id, "user:" + caller.user_id,
                                            "employee_map.link", "extension", extension, now);
          audit.before_json = LinkJson(before);
          audit.after_json = LinkJson(link);
          storage::AuditLogRepository::Append(s, audit);
          reply = EmployeesReply(s, caller.tenant_id);
        });
        return http::Response::Json(200, reply);
      },
      http::RouteOptions{4 * 1024});

  router.Add("DELETE", "/api/settings/mango/employees/{extension}", http::Guard::kSession,
             [d](http::Request& req, const http::Caller& caller) {
               const std::string extension = ValidExtension(req);
               std::string reply;
               storage::InTransaction(d->db, [&](storage::Session& s) {
                 settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
                 const EpochMs now = d->clock.NowMs();
                 const std::optional<EmployeeLink> before =
                     storage::EmployeeMapRepository::Find(s, caller.tenant_id, extension);
                 if (!before || before->source != "manual") {
                   throw NotFound("extension " + extension + " has no manual link");
                 }
                 storage::EmployeeMapRepository::Remove(s, caller.tenant_id, extension, "manual");
                 AuditEntry audit =
                     MakeAuditEntry(caller.tenant_id, "user:" + caller.user_id,
                                    "employee_map.unlink", "extension", extension, now);
                 audit.before_json = LinkJson(before);
                 storage::AuditLogRepository::Append(s, audit);
                 // The automatic link (if any) comes back with the next sync; run one now.
                 if (storage::MangoConnectionRepository::FindByTenant(s, caller.tenant_id)) {
                   EnqueueDirectorySyncNow(s, caller.tenant_id, now);
                 }
                 reply = EmployeesReply(s, caller.tenant_id);
               });
               if (d->wake) {
                 d->wake();
               }
               return http::Response::Json(200, reply);
             });

  router.Add("POST", "/api/settings/mango/employees/refresh", http::Guard::kSession,
             [d](http::Request&, const http::Caller& caller) {
               storage::InTransaction(d->db, [&](storage::Session& s) {
                 settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
                 if (!storage::MangoConnectionRepository::FindByTenant(s, caller.tenant_id)) {
                   throw NotFound("no Mango VPBX is connected to this portal");
                 }
                 EnqueueDirectorySyncNow(s, caller.tenant_id, d->clock.NowMs());
               });
               if (d->wake) {
                 d->wake();
               }
               return http::Response::Json(202, "{\"status\":\"queued\"}");
             });
}

}  // namespace opdesk::mango
