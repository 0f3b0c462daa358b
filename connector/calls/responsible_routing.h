// Routing a known caller to the client's responsible while the IVR greeting plays (FEATURES B5,
// seed 004 «Распределять вызовы от клиентов по ответственным сотрудникам»).
//
// The call model asks for a route (job `call.route`, urgent lane, deadline = the line's
// greeting) when an inbound call appears in the greeting. The runner finds the number's client
// and its responsibles (a process-local cache, else one CRM request within the deadline),
// applies seed 004's rules (ChooseResponsible) and sends Mango `commands/route` to the
// responsible's extension. Route jobs of a tenant share one ordering key, so they leave one at a
// time, and the command client keeps Mango's 1 route per 2 s per VPBX; a job whose slot would
// come after its deadline is dropped, never sent late. Any failure leaves the call to the PBX
// scheme: nothing is retried after the greeting, and a 3xxx answer is never repeated.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/crm.h"
#include "adapters/mango/command_client.h"
#include "connector/calls/call_jobs.h"
#include "connector/jobs/job.h"

namespace opdesk::mango {

// Why a call was (not) routed; also the label of the route metric.
enum class RouteOutcome {
  kSent,                 // commands/route went out
  kNoClient,             // the CRM knows no client for the number
  kNoResponsible,        // the first client has no active employee as responsible
  kResponsibleIsClient,  // its only responsibles are other clients (Megaplan)
  kUnmapped,             // the responsible has no extension
  kNotAtWork,            // outside working hours (only when the tenant asks for it)
  kLookupFailed,         // the CRM did not answer in time
  kRefused,              // Mango refused the command (never repeated)
  kDropped,              // the greeting was over before the route could go out
};
const char* ToString(RouteOutcome outcome);

struct RouteChoice {
  RouteOutcome outcome = RouteOutcome::kNoClient;
  std::string user_id;
  std::string extension;
};

// Seed 004's rules, pure: several clients on one number → the first found; several
// responsibles → the first one who is an active employee (fired or blocked users and
// responsibles that are clients are skipped, as the seed says the app ignores a client as
// responsible); that one not mapped to an extension, or (with `only_at_work`) not at work → no
// route. `active` says whether a user may take calls; `extension_of` maps a responsible to an
// extension ("" none).
RouteChoice ChooseResponsible(
    const std::vector<adapters::ClientResponsibles>& clients,
    const std::function<bool(const std::string&)>& active,
    const std::function<std::string(const adapters::Responsible&)>& extension_of,
    bool only_at_work);

// Normalised phone → the number's clients and their responsibles, per tenant, for
// `ttl_ms` (an empty answer for a shorter time: a new client may appear any minute). Warmed by
// lookups and by clients opdesk creates; Forget drops a number whose records changed, and
// ForgetClient every number a CRM record is cached under (its change event came).
class ResponsibleCache {
 public:
  explicit ResponsibleCache(EpochMs ttl_ms = 10 * 60 * 1000, EpochMs empty_ttl_ms = 60 * 1000,
                            std::size_t max_entries = 200'000)
      : ttl_ms_(ttl_ms), empty_ttl_ms_(empty_ttl_ms), max_entries_(max_entries) {}

  std::optional<std::vector<adapters::ClientResponsibles>> Find(const std::string& tenant_id,
                                                                const std::string& phone,
                                                                EpochMs now);
  void Put(const std::string& tenant_id, const std::string& phone,
           std::vector<adapters::ClientResponsibles> clients, EpochMs now);
  // Put, only when the number has no live entry: what another feature read (the call card, with
  // the operator's view) fills a miss but never replaces the router's own lookup.
  bool Warm(const std::string& tenant_id, const std::string& phone,
            std::vector<adapters::ClientResponsibles> clients, EpochMs now);
  void Forget(const std::string& tenant_id, const std::string& phone);
  // Drops the tenant's numbers whose clients include `record`, and its numbers cached as nobody's
  // (the record may have gained one of them). Returns how many entries went.
  std::size_t ForgetClient(const std::string& tenant_id, const adapters::CrmRecord& record);
  std::size_t size() const;

  // The digits of a number, the cache's key ("" for none).
  static std::string Normalise(const std::string& phone);

 private:
  struct Entry {
    std::vector<adapters::ClientResponsibles> clients;
    EpochMs expires_at_ms = 0;
  };
  EpochMs ttl_ms_;
  EpochMs empty_ttl_ms_;
  std::size_t max_entries_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;  // key: tenant + "\n" + digits
};

// The contact, company or lead a CRM change event (ONCRM{CONTACT,COMPANY,LEAD}{UPDATE,DELETE},
// data[FIELDS][ID]) is about, its entity in lower case as FindResponsibles names it; none for
// any other event or one without an id. `data_json`: the event's data as the b24.event job keeps
// it (nested keys flattened: "FIELDS][ID").
std::optional<adapters::CrmRecord> ChangedCrmRecord(const std::string& event,
                                                    const std::string& data_json);

class CallRouter {
 public:
  CallRouter(storage::Database& db, adapters::Crm& crm, CommandClient& mango,
             ResponsibleCache& cache, const Clock& clock)
      : db_(db), crm_(crm), mango_(mango), cache_(cache), clock_(clock) {}

  void Run(const jobs::Job& job, const RouteJob& route);

  // Decides the route without sending it (the lookup, the rules); exposed for tests.
  RouteChoice Decide(const std::string& tenant_id, const std::string& phone, EpochMs deadline_ms,
                     bool only_at_work);

  // Outcomes counted since start, by ToString(RouteOutcome).
  std::map<std::string, long long> Counts() const;
  void Count(RouteOutcome outcome);

 private:
  bool Active(const std::string& tenant_id, const std::string& user_id);

  storage::Database& db_;
  adapters::Crm& crm_;
  CommandClient& mango_;
  ResponsibleCache& cache_;
  const Clock& clock_;

  mutable std::mutex mu_;
  std::map<std::string, long long> counts_;
  struct Users {
    std::set<std::string> active;
    EpochMs expires_at_ms = 0;
  };
  std::map<std::string, Users> users_;  // by tenant, guarded by mu_
};

// A route job for the leg `call_id` of a call appearing in the greeting: urgent, one queue per
// tenant's VPBX, dropped when the line's greeting is over.
jobs::NewJob RouteJobOptions(const std::string& tenant_id, const std::string& entry_id, EpochMs now,
                             int greeting_seconds);

}  // namespace opdesk::mango
