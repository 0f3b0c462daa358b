// The settings of a tenant as one service (FEATURES C4, D1–D6, E1, E2, H3): buttons, scripts
// with their published versions, roles, users and their seats, the tariff, and the CRM catalog
// they are checked against. Each operation is one transaction that checks the caller's right
// inside it, applies the domain rules (connector/domain), writes through the repositories and
// records the change in the audit log with before and after. Seat changes lock the tenant's row
// first, so concurrent assignments cannot both take the last seat nor remove the last
// Supervisor.
//
// The call card uses: ResolveAccess (seat state, role, supervisors — applying a lapsed plan),
// LoadRoleView (the role's fields, buttons and published scripts), LoadPublishedScript,
// StartRun / SaveRun. Blocking: call from the HTTP executor or worker threads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/crm.h"
#include "connector/domain/buttons.h"
#include "connector/domain/roles.h"
#include "connector/domain/scripts.h"
#include "connector/domain/tariff.h"
#include "connector/settings/access.h"
#include "connector/settings/codec.h"
#include "connector/storage/database.h"
#include "connector/storage/records.h"

namespace opdesk::settings {

// The settings read the CRM through its directory part only (adapters/crm.h).
using CrmDirectory = adapters::CrmDirectory;
using PortalUser = adapters::CrmUser;
using MarketplaceStatus = adapters::MarketplaceStatus;

struct SettingsOptions {
  PlanCatalog plans;
  long long catalog_ttl_ms = 10 * 60 * 1000;       // a cached catalog older than this is re-read
  long long refresh_on_miss_after_ms = 60 * 1000;  // an unknown target re-reads an older one
  long long users_ttl_ms = 10 * 60 * 1000;
  long long marketplace_ttl_ms = 10 * 60 * 1000;
  // The upgrade prompt's way to order the paid plan (config tariff.*); empty when not set.
  std::string order_url;
  std::string contacts;
};

struct UserSeat {
  User user;
  SeatState state = SeatState::kNoRole;
};

// The caller as the settings pages see them (GET /api/settings/me): their name, their seat and
// the role they hold — also while the seat is blocked, so the page can say which one.
struct MeView {
  std::string user_id;
  std::string name;
  SeatState state = SeatState::kNoRole;
  std::optional<Role> role;
};

struct UsersView {
  std::vector<UserSeat> users;
  long long seats_used = 0;
  PlanStatus plan;
  EpochMs synced_at_ms = 0;  // last read of the portal's users; 0: never
};

struct TariffView {
  PlanStatus status;
  long long seats_used = 0;
  std::string time_zone;
  std::optional<MarketplaceStatus> marketplace;  // the app's subscription, when it could be read
};

struct ScriptSummary {
  long long id = 0;
  std::string name;
  long long published_version = 0;
  ScriptSettings settings;  // of the published version (F1: the card's choice)
};

// What the call card shows to a user with an active seat.
struct RoleView {
  Role role;
  std::vector<Button> buttons;         // in the role's order
  std::vector<ScriptSummary> scripts;  // published ones only, in the role's order
};

class SettingsService {
 public:
  // `crm` may be null (no CRM connected): the catalog then comes from the cache only.
  SettingsService(storage::Database& db, const Clock& clock, CrmDirectory* crm,
                  SettingsOptions options, PickIndex pick);

  const SettingsOptions& options() const { return options_; }
  storage::Database& db() { return db_; }

  // ---- access and tariff (service_tariff.cpp) ----
  // For a request: applies a due lapse, then RequireSeat / RequireSettingsManager (access.h).
  // Writes check again inside their transaction.
  Role AuthorizeRead(const std::string& tenant_id, const std::string& user_id);
  Role AuthorizeManager(const std::string& tenant_id, const std::string& user_id);
  // Applies the end of a paid period if it is due (FEATURES E2). Cheap when nothing is due.
  void ApplyPlanOnAccess(const std::string& tenant_id);
  // The call card's seat lookup: applies a due lapse, then reads.
  AccessView ResolveAccess(const std::string& tenant_id, const std::string& user_id);
  // Applies due lapses of every tenant (the scheduled check). Returns how many were applied.
  int ApplyDueLapses();
  TariffView Tariff(const std::string& tenant_id, bool refresh_marketplace);
  // The vendor sets a plan: `until` (YYYY-MM-DD, paid plans only) is the last paid day in the
  // tenant's zone. A renewal restores blocked users in their former order up to the new limit;
  // a smaller plan blocks the excess the way a lapse does.
  TariffView SetPlan(const std::string& tenant_id, const std::string& plan,
                     const std::string& until, const std::string& actor);

  // ---- users and seats (service_users.cpp) ----
  // Applies a due lapse, then reads the caller's seat; never refuses (a user opdesk has not seen
  // has no role).
  MeView Me(const std::string& tenant_id, const std::string& user_id);
  UsersView ListUsers(const std::string& tenant_id, bool refresh);
  // Re-reads the portal's users (names, e-mails, deactivated ones). Unavailable when it cannot.
  void SyncUsers(const std::string& tenant_id);
  // Gives `user_id` the role (0: takes it away). Refuses beyond the seat limit
  // (ResourceExhausted) and taking the Supervisor role from its last active holder (Conflict).
  UserSeat AssignRole(const std::string& tenant_id, const std::string& actor_user_id,
                      const std::string& user_id, long long role_id);
  // The installer holds the Supervisor role (FEATURES A1, D5); inside the caller's transaction.
  void GrantInstallerSupervisor(storage::Session& s, const std::string& tenant_id,
                                const std::string& user_id);

  // ---- CRM catalog (service_catalog.cpp) ----
  CrmCatalog Catalog(const std::string& tenant_id);
  CrmCatalog RefreshCatalog(const std::string& tenant_id);
  // The cached catalog whatever its age, never asking the CRM (names for display); nullopt
  // when none was read yet.
  std::optional<CrmCatalog> CachedCatalog(const std::string& tenant_id);

  // ---- buttons and roles (service_objects.cpp); `actor` is the caller's user id ----
  std::vector<Button> ListButtons(const std::string& tenant_id);
  Button GetButton(const std::string& tenant_id, long long id);
  Button CreateButton(const std::string& tenant_id, const std::string& actor, Button button);
  Button UpdateButton(const std::string& tenant_id, const std::string& actor, long long id,
                      Button button);
  void DeleteButton(const std::string& tenant_id, const std::string& actor, long long id,
                    long long version);
  std::vector<Role> ListRoles(const std::string& tenant_id);
  Role GetRole(const std::string& tenant_id, long long id);
  Role CreateRole(const std::string& tenant_id, const std::string& actor, Role role);
  Role UpdateRole(const std::string& tenant_id, const std::string& actor, long long id, Role role);
  void DeleteRole(const std::string& tenant_id, const std::string& actor, long long id,
                  long long version);

  // ---- scripts (service_scripts.cpp) ----
  std::vector<Script> ListScripts(const std::string& tenant_id);
  Script GetScript(const std::string& tenant_id, long long id);
  Script CreateScript(const std::string& tenant_id, const std::string& actor, Script script);
  Script UpdateScript(const std::string& tenant_id, const std::string& actor, long long id,
                      Script script);
  void DeleteScript(const std::string& tenant_id, const std::string& actor, long long id,
                    long long version);
  // Publishes the draft as it is at `version` (409 if it changed since), atomically.
  Script PublishScript(const std::string& tenant_id, const std::string& actor, long long id,
                       long long version);
  std::vector<ScriptVersion> ListScriptVersions(const std::string& tenant_id, long long id);
  ScriptVersion GetScriptVersion(const std::string& tenant_id, long long id, long long version);
  // A new script that never replaces one: "(копия N)" when the name is taken.
  Script ImportScript(const std::string& tenant_id, const std::string& actor,
                      const std::string& name, const std::string& description, ScriptGraph graph);
  Script DuplicateScript(const std::string& tenant_id, const std::string& actor, long long id);

  // ---- for the call card ----
  std::optional<RoleView> LoadRoleView(const std::string& tenant_id, const std::string& user_id);
  // The same for a seat already resolved (ResolveAccess), without reading it again.
  std::optional<RoleView> LoadRoleView(const std::string& tenant_id, const AccessView& access);
  // The latest published version (`version` 0) or that version; NotFound when unpublished.
  ScriptVersion LoadPublishedScript(const std::string& tenant_id, long long script_id,
                                    long long version);
  // F2: when the version names a number field and `phone` is given, queues the save of the
  // call's number (number_job.h) once per call in the same transaction; `record` is the
  // card's client ("CONTACT:7") when it knows it.
  long long StartRun(const std::string& tenant_id, const std::string& user_id,
                     const std::string& call_id, long long script_id, long long version,
                     const std::string& phone = "", const std::string& record = "");
  // Starts queued jobs at once in this process (the wiring's wake).
  void SetWake(std::function<void()> wake) { wake_ = std::move(wake); }
  void SaveRun(const std::string& tenant_id, const std::string& user_id, long long run_id,
               const std::string& current_step, const std::vector<ScriptRunStep>& path);

 private:
  // Inside a transaction that holds the tenant's row (service_tariff.cpp).
  bool ApplyLapseLocked(storage::Session& s, const Tenant& tenant, EpochMs now);
  std::vector<std::string> EnforceLimitLocked(storage::Session& s, const std::string& tenant_id,
                                              int limit);
  std::vector<std::string> RestoreLocked(storage::Session& s, const std::string& tenant_id,
                                         int limit);
  // Runs `check` on the cached catalog; when it refuses and the cache is older than
  // refresh_on_miss_after_ms, re-reads the CRM once and checks again (service_catalog.cpp).
  void CheckWithCatalog(const std::string& tenant_id,
                        const std::function<void(const CrmCatalog&)>& check);
  // The CRM fields of every step exist in the portal; InvalidArgument naming the field under
  // `steps_path` ("draft.steps" → "draft.steps[2].fields[0].code") otherwise.
  // Also checks the script's settings (F1/F2) under the sibling path ("draft.settings").
  void CheckStepFields(const std::string& tenant_id, const ScriptGraph& graph,
                       const std::string& steps_path);
  // The settings' activity type, deal type and number field exist in the CRM; the number field
  // is a string or phone field of the contact or the deal.
  void CheckScriptSettings(const std::string& tenant_id, const ScriptSettings& settings,
                           const std::string& path);
  // The portal users named by (field, user id) pairs exist (re-reading the users once when
  // not); InvalidArgument naming the field otherwise.
  void CheckPortalUsers(const std::string& tenant_id,
                        const std::vector<std::pair<std::string, std::string>>& named);
  std::optional<MarketplaceStatus> Marketplace(const std::string& tenant_id, bool refresh);

  storage::Database& db_;
  const Clock& clock_;
  CrmDirectory* crm_;
  SettingsOptions options_;
  PickIndex pick_;
  std::function<void()> wake_;
};

// A random PickIndex for production.
PickIndex SystemRandomPick();

// Appends an audit entry with before/after documents (null when absent).
void AppendAudit(storage::Session& s, const std::string& tenant_id, const std::string& actor,
                 const std::string& action, const std::string& object_type,
                 const std::string& object_id, const Json* before, const Json* after, EpochMs now);

}  // namespace opdesk::settings
