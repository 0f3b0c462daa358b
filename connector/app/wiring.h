// What the features share, built once by Serve() and handed to each feature's Install(Wiring&),
// which registers that feature's routes (with their guards), job kinds and timers; Serve() then
// reads as the list of features. A feature that serves later ones (the settings service, the
// Bitrix24 app, the Mango webhooks) leaves a pointer here, so the order of the list matters and
// Install() says what it needs. Objects a feature builds are owned here and outlive the server
// and the workers that call them.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "connector/app/config.h"
#include "connector/domain/clock.h"
#include "connector/http/metrics.h"
#include "connector/http/router.h"
#include "connector/http/static_files.h"
#include "connector/jobs/worker_pool.h"
#include "connector/storage/database.h"

namespace opdesk {
namespace adapters {
class Crm;
class CrmContacts;
class CrmInquiries;
class CrmAfterCall;
class CrmOrgChart;
class HttpTransport;
struct ClientResponsibles;
}  // namespace adapters
namespace crypto {
class SecretBox;
class SessionTokenSigner;
}  // namespace crypto
namespace bitrix24 {
class PortalRateLimiter;
class TokenStore;
class RestClient;
class SignIn;
}  // namespace bitrix24
namespace settings {
class SettingsService;
}
namespace megaplan {
class MegaplanCrm;
}
namespace mango {
class CommandClient;
}
namespace megaplan {
class ApiClient;
}
}  // namespace opdesk

namespace opdesk::app {

// Something that runs beside the requests and the workers: started before the server, stopped
// before the workers drain (either may be empty).
struct Timer {
  std::function<void()> start;
  std::function<void()> stop;
};

// Owns the objects the features build; they go in reverse order of their making, since later
// ones may use earlier ones.
class Objects {
 public:
  Objects() = default;
  Objects(const Objects&) = delete;
  Objects& operator=(const Objects&) = delete;
  ~Objects() {
    while (!owned_.empty()) {
      owned_.pop_back();
    }
  }

  template <typename T, typename... Args>
  T& Make(Args&&... args) {
    auto object = std::make_shared<T>(std::forward<Args>(args)...);
    T& ref = *object;
    owned_.push_back(std::move(object));
    return ref;
  }

 private:
  std::vector<std::shared_ptr<void>> owned_;
};

struct Wiring {
  // ---- shared parts, built by Serve() ----
  const Config& config;
  storage::Database& db;
  const Clock& clock;
  http::Router& router;
  http::Metrics& metrics;
  jobs::WorkerPool& workers;
  const crypto::SecretBox& box;
  const crypto::SessionTokenSigner& sessions;
  adapters::HttpTransport& http_out;
  bitrix24::PortalRateLimiter& b24_limiter;
  bitrix24::TokenStore& b24_tokens;
  bitrix24::RestClient& b24_rest;  // the portal's REST client (the call card's CRM side)
  adapters::Crm& crm;              // the CRM every feature talks to
  // The CRM's departments and presence, and its inquiries (the reception wizard); null when the
  // CRM has none.
  adapters::CrmOrgChart* crm_org_chart = nullptr;
  adapters::CrmInquiries* crm_inquiries = nullptr;
  // The CRM's contacts for the dialing tasks' CRM groups (Bitrix24; Megaplan tenants refused).
  adapters::CrmContacts* crm_contacts = nullptr;
  // E-mail, recordings and invoices after a dialing task's call (F6, F7); null when the CRM has
  // none (Megaplan tenants are refused by the dialing tasks themselves).
  adapters::CrmAfterCall* crm_after_call = nullptr;
  // Megaplan's API v3 with the accounts' sealed tokens (the «Мегаплан» page's checks).
  megaplan::ApiClient* megaplan_api = nullptr;
  std::string ui_dist_dir;
  std::function<bool()> draining;     // the server is shutting down
  const http::StaticFiles& ui_files;  // the built front end, served under /ui/

  megaplan::MegaplanCrm* megaplan_crm = nullptr;  // Megaplan's CRM (its entity events)

  // ---- left by features for later ones (null until their Install ran) ----
  settings::SettingsService* settings = nullptr;  // settings::Install
  bitrix24::SignIn* b24_sign_in = nullptr;        // bitrix24::Install
  // Tells the Mango webhooks that a tenant's VPBX was reconnected (mango::InstallWebhooks).
  std::function<void(const std::string& tenant_id)> mango_reconnected = nullptr;
  mango::CommandClient* mango_commands = nullptr;  // mango::InstallCalls
  // Puts what another feature read of a number's clients into the routing cache (B5); set by
  // mango::InstallCalls, used by the call card's lookups.
  std::function<void(const std::string& tenant_id, const std::string& phone,
                     const std::vector<adapters::ClientResponsibles>& clients)>
      warm_routes = nullptr;
  // Runs the portal's events that the Bitrix24 app queues (mango::InstallCalls).

  // Started before the server, stopped (in reverse order) before the workers drain.
  std::vector<Timer> timers = {};

  // The features' objects, living as long as the wiring.
  Objects objects = {};

  template <typename T, typename... Args>
  T& Make(Args&&... args) {
    return objects.Make<T>(std::forward<Args>(args)...);
  }
  // Queued jobs start at once in this process.
  std::function<void()> Wake() const {
    jobs::WorkerPool* pool = &workers;
    return [pool] { pool->Wake(); };
  }
};

}  // namespace opdesk::app
