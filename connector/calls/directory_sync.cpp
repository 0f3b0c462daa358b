#include "connector/calls/directory_sync.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <set>

#include "adapters/json_read.h"
#include "adapters/mango/user_directory.h"
#include "connector/calls/crm_connection.h"
#include "connector/domain/employee_directory.h"
#include "connector/jobs/job_store.h"
#include "connector/storage/bitrix24_repositories.h"
#include "connector/storage/mango_repositories.h"

namespace opdesk::mango {
namespace {

using web::json::value;

}  // namespace

namespace {

void Enqueue(storage::Session& s, const std::string& tenant_id, EpochMs now, EpochMs run_at,
             bool periodic, const std::optional<std::string>& key) {
  jobs::NewJob job;
  job.tenant_id = tenant_id;
  // On-demand syncs of a VPBX run one at a time, in every process (Mango allows one directory
  // request per 2 s; a second one too soon is answered 429 and retried). The periodic chain has a
  // key of its own: its next run waits in the queue for minutes and must not hold them up.
  job.ordering_key = periodic ? "mango-directory:periodic" : "mango-directory";
  job.run_at_ms = run_at;
  job.max_attempts = 5;
  job.idempotency_key = key;
  jobs::Enqueue(s, kDirectorySyncJob, DirectorySyncJob{periodic}, job, now);
}

}  // namespace

void EnqueueDirectorySyncNow(storage::Session& s, const std::string& tenant_id, EpochMs now) {
  Enqueue(s, tenant_id, now, now, false, std::nullopt);
}

void EnqueuePeriodicDirectorySync(storage::Session& s, const std::string& tenant_id, EpochMs now,
                                  EpochMs refresh_ms) {
  const EpochMs period = std::max<EpochMs>(refresh_ms, 1000);
  const EpochMs slot = now / period + 1;
  Enqueue(s, tenant_id, now, slot * period, true, "mango-directory:" + std::to_string(slot));
}

DirectorySyncResult DirectorySync::Sync(const std::string& tenant_id) {
  DirectorySyncResult result;
  const std::vector<PbxEmployee> employees = RequestUsers(mango_, tenant_id);
  result.employees = static_cast<int>(employees.size());

  CrmConnection crm;
  storage::WithSession(db_, [&](storage::Session& s) { crm = FindCrmConnection(s, tenant_id); });
  std::vector<ProposedLink> links;
  const bool portal_ready = crm.ready;
  if (portal_ready) {
    std::vector<PortalUser> users;
    for (const adapters::CrmUser& u : crm_.ListActiveUsers(tenant_id)) {
      users.push_back({u.id, u.email, u.extension});
    }
    links = MatchEmployees(employees, users);
  }

  const EpochMs now = clock_.NowMs();
  storage::InTransaction(db_, [&](storage::Session& s) {
    std::vector<MangoDirectoryEntry> entries;
    for (const PbxEmployee& e : employees) {
      entries.push_back({tenant_id, e.extension, e.name, e.email, now});
    }
    storage::MangoDirectoryRepository::Replace(s, tenant_id, entries, now);
    if (!portal_ready) {
      return;  // nobody to link to yet; the links wait for the portal
    }
    std::set<std::string> proposed;
    for (const ProposedLink& l : links) {
      proposed.insert(l.extension);
      storage::EmployeeMapRepository::Link(s,
                                           {tenant_id, l.extension, l.crm_user_id, l.source, now});
    }
    for (const EmployeeLink& existing : storage::EmployeeMapRepository::List(s, tenant_id)) {
      if (existing.source != "manual" && !proposed.count(existing.extension)) {
        result.removed += storage::EmployeeMapRepository::Remove(s, tenant_id, existing.extension,
                                                                 existing.source)
                              ? 1
                              : 0;
      }
    }
    result.linked = static_cast<int>(links.size());
  });
  spdlog::info("event=mango_directory_synced tenant={} employees={} linked={} removed={}",
               tenant_id, result.employees, result.linked, result.removed);
  return result;
}

void DirectorySync::Run(const jobs::Job& job, const DirectorySyncJob& sync) {
  const bool periodic = sync.periodic;
  std::optional<MangoConnection> connection;
  storage::WithSession(db_, [&](storage::Session& s) {
    connection = storage::MangoConnectionRepository::FindByTenant(s, job.tenant_id);
  });
  if (!connection) {
    return;  // disconnected since: the chain ends here
  }
  Sync(job.tenant_id);
  if (periodic) {
    const EpochMs now = clock_.NowMs();
    storage::InTransaction(db_, [&](storage::Session& s) {
      EnqueuePeriodicDirectorySync(s, job.tenant_id, now, refresh_ms_);
    });
  }
}

void DirectorySync::SchedulePeriodic() {
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(db_, [&](storage::Session& s) {
    for (const std::string& tenant : storage::MangoConnectionRepository::ListTenants(s)) {
      EnqueuePeriodicDirectorySync(s, tenant, now, refresh_ms_);
    }
  });
}

}  // namespace opdesk::mango
