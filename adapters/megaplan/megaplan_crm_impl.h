// MegaplanCrm's caches (not a public header): the phone index, the employees and the deal
// schemes, per tenant and per process.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/json_fwd.h"
#include "adapters/megaplan/megaplan_crm.h"

namespace opdesk::megaplan {

struct MegaplanCrm::Impl {
  struct Client {
    adapters::CrmRecord record;
    std::vector<adapters::Responsible> responsibles;
  };
  struct PhoneIndex {
    EpochMs built_at_ms = 0;  // 0: never built (only what searches and creations added)
    // The account's index generation (megaplan_accounts.index_generation) this index is up to
    // date with; -1: not known yet. Entity events raise the stored generation; a process that
    // sees another one than it applied drops its index (see Lookup).
    long long generation = -1;
    std::map<std::string, std::vector<Client>> by_phone;  // PhoneKey → clients
  };
  struct Employee {
    std::string id;
    std::string name;
    std::string email;
    bool active = true;
    std::string extension;
  };

  Impl(ApiClient& a, storage::Database& d, const Clock& c);

  // The clients of a number: the index when fresh, else the v3 search, else (when
  // `may_rebuild`) a rebuilt index. Routing during a greeting must not page the whole account.
  std::vector<Client> Lookup(const std::string& tenant_id, const std::string& phone,
                             std::chrono::milliseconds deadline, bool may_rebuild = true);
  // API v1's Phone search (when v3's is unavailable); std::nullopt without v1 credentials.
  std::optional<std::vector<Client>> LookupV1(const std::string& tenant_id, const std::string& key,
                                              std::chrono::milliseconds deadline);
  void Remember(const std::string& tenant_id, const std::vector<std::string>& keys,
                const Client& client);
  void Rebuild(const std::string& tenant_id, std::chrono::milliseconds deadline);
  // Drops the tenant's index when the stored generation is not the one it applied.
  void CheckGeneration(const std::string& tenant_id);
  long long StoredGeneration(const std::string& tenant_id);
  // Takes a client out of every number of the tenant's index.
  void Forget(const std::string& tenant_id, const adapters::CrmRecord& record);
  std::vector<Employee> Employees(const std::string& tenant_id);
  web::json::value Program(const std::string& tenant_id, const std::string& program_id);
  std::vector<std::pair<std::string, std::string>> Programs(const std::string& tenant_id);
  // The system name of the custom field the line goes to ("" none).
  std::string LineField(const std::string& tenant_id, const std::string& content_type,
                        const std::string& wanted);
  static std::vector<std::string> PathTo(const web::json::value& program, const std::string& from,
                                         const std::string& target);
  void MoveDeal(const std::string& tenant_id, const std::string& deal_id,
                const std::string& program_id, const std::string& from, const std::string& target);

  ApiClient& api;
  storage::Database& db;
  const Clock& clock;
  std::mutex mu;
  std::map<std::string, PhoneIndex> index;
  std::map<std::string, std::pair<EpochMs, std::vector<Employee>>> employees;
  std::map<std::string, std::pair<EpochMs, web::json::value>> programs;
};

}  // namespace opdesk::megaplan
