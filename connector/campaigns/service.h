// Dialing tasks (FEATURES F3–F5, F8; seeds 000 and 001): tasks with their script, employees and
// retry rules; the numbers imported into a task with a per-line report; the contacts' list with
// filters, counts and CSV export; working a task — the next contact for an operator (atomic: two
// operators never get the same one), opening one from the list, results, «Новый» / «Завершён» by
// hand — and click-to-call of the operator's contact through Mango commands/callback. Every read
// and write is scoped by the caller's tenant; each write is one transaction, its rights checked
// again inside it. The rules are connector/domain/campaigns.h.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "connector/domain/campaigns.h"
#include "connector/domain/clock.h"
#include "connector/storage/campaign_repository.h"
#include "connector/storage/database.h"

namespace opdesk::mango {
class CommandClient;
class EmployeeResolver;
}  // namespace opdesk::mango

namespace opdesk::settings {
class SettingsService;
}  // namespace opdesk::settings

namespace opdesk::campaigns {

class CrmGroups;

// Who is asking: the user, and whether their role may manage settings (which manages tasks).
struct Caller {
  std::string tenant_id;
  std::string user_id;
  bool manager = false;
};

struct TaskView {
  Task task;
  storage::CampaignCounts counts;
  bool script_exists = true;  // false: the script was deleted; the task hands out nothing
};

struct ImportOutcome {
  ImportReport report;
  bool dry_run = false;
  std::size_t added = 0;  // 0 on a dry run
  long long total = 0;    // the task's contacts afterwards
};

struct NextContact {
  std::optional<storage::CampaignContactRow> contact;  // none: nothing to call now
  EpochMs next_due_at_ms = 0;                          // when something becomes due (0 never)
};

struct CallStarted {
  std::string command_id;
  std::string state;  // "pending" (Mango took it), "done" (it connected) or "failed"
  int code = 0;       // Mango's result code once known; -1 no answer from the PBX
};

// The script version a task's operators run: the one pinned when the task started.
struct PinnedScript {
  long long script_id = 0;
  long long version = 0;
};

// A contact in work with its operator and a time: a callback or the next call (F5).
struct Reminder {
  long long task_id = 0;
  std::string task_name;
  storage::CampaignContactRow contact;
};

inline constexpr std::size_t kMaxReminders = 200;

class CampaignService {
 public:
  // `commands` may be null (no PBX wired): click-to-call answers Unavailable.
  CampaignService(storage::Database& db, const Clock& clock, mango::CommandClient* commands,
                  mango::EmployeeResolver* employees)
      : db_(db), clock_(clock), commands_(commands), employees_(employees) {}
  EpochMs Now() const { return clock_.NowMs(); }
  // Starts queued jobs (the timeline comments) at once in this process.
  void SetWake(std::function<void()> wake) { wake_ = std::move(wake); }
  // The scripts, to save the dialed number into the pinned script's CRM field (F2); null: none.
  void SetScripts(settings::SettingsService* scripts) { scripts_ = scripts; }
  // The CRM groups (crm_groups.h): a chosen CRM contact's number is read when it is handed out,
  // and the task's CRM filter adds its next page when the pool is empty. Null: numbers only.
  void SetCrmGroups(CrmGroups* groups) { crm_groups_ = groups; }

  // Managers see every task, others the tasks they work.
  std::vector<TaskView> ListTasks(const Caller& caller);
  // NotFound for another tenant's or no task; PermissionDenied for a user who neither manages
  // nor works it.
  TaskView GetTask(const Caller& caller, long long task_id);
  // Validates (ValidateTask; the script must be the tenant's: 400 script_id) and stores a draft.
  Task CreateTask(const Caller& caller, Task wanted);
  // Replaces name, description, script, employees and retry rules (not the state) if
  // `expected_version` is stored (409 version). A running task changing its script pins the new
  // script's published version (400 script_id without one).
  Task UpdateTask(const Caller& caller, Task wanted, long long expected_version);
  void DeleteTask(const Caller& caller, long long task_id, long long expected_version);
  // running: pins the script's published version (CheckStartable); paused: stops handing out.
  Task SetState(const Caller& caller, long long task_id, TaskState state,
                long long expected_version);

  // Numbers pasted or uploaded (campaigns::ParseImport). Accepted lines are added together in
  // one transaction, rejected ones reported; `dry_run` adds nothing. 409 when the task would
  // exceed kMaxContactsPerTask.
  ImportOutcome Import(const Caller& caller, long long task_id, std::string_view text,
                       bool dry_run);
  std::vector<storage::CampaignContactRow> ListContacts(const Caller& caller, long long task_id,
                                                        const storage::CampaignContactFilter& f);
  long long DeleteContacts(const Caller& caller, long long task_id,
                           const std::vector<long long>& ids);
  // The contacts matching `f` as CSV (UTF-8 with BOM, ';'), every page of them.
  std::string ExportCsv(const Caller& caller, long long task_id, storage::CampaignContactFilter f);

  // «Приступить к работе»: the operator's next contact (must work a running task whose script
  // still exists: 409 script_id otherwise, nothing claimed). The order: the task's own pool
  // (ClaimRank), and only when it has nothing for the operator, one page of the task's CRM filter
  // added to the pool and the claim tried again (at most one CRM request a call). A chosen CRM
  // contact's number is read from the CRM as it is handed out; one the CRM deleted or without a
  // number is finished with the reason as its comment and the next one taken.
  NextContact Next(const Caller& caller, long long task_id);
  // List mode: opens this contact for the operator (409 contact when someone else has it).
  storage::CampaignContactRow Open(const Caller& caller, long long task_id, long long contact_id);
  // Stores the result and, for a contact with a number, queues its timeline comment in the CRM
  // (comment_job.h) in the same transaction.
  storage::CampaignContactRow SetResult(const Caller& caller, long long task_id,
                                        long long contact_id, const ResultInput& input,
                                        const std::string& comment, long long expected_version);
  // «Новый» or «Завершён» by hand.
  storage::CampaignContactRow SetStatus(const Caller& caller, long long task_id,
                                        long long contact_id, ContactStatus status,
                                        long long expected_version);
  // Rings the operator's extension, then the contact's number (Mango commands/callback); the
  // command is linked to the task and contact. The contact must be open with this operator.
  CallStarted Call(const Caller& caller, long long task_id, long long contact_id);
  // The pinned script of a task the caller works (an active seat and one of its employees, 403
  // otherwise, managers included): 409 script_id when none is chosen or it was deleted, 409 state
  // before the task ever started (no version pinned yet).
  PinnedScript Script(const Caller& caller, long long task_id);
  // The caller's callbacks and next calls over every task they work (their contacts in work with
  // a time), earliest first, at most kMaxReminders; the due ones are those at or before now.
  std::vector<Reminder> Reminders(const Caller& caller);
  // The call's state from Mango's result/callback: "pending", "done" (1000) or "failed".
  CallStarted CallState(const Caller& caller, const std::string& command_id);

 private:
  // The task, NotFound / PermissionDenied as GetTask says; `work` also needs the caller to be
  // one of its employees (managers included).
  Task LoadTask(storage::Session& s, const Caller& caller, long long task_id, bool lock);
  // A task the caller may take contacts of now: a seat, one of its employees, running, and its
  // script still published.
  Task LoadWorkableTask(storage::Session& s, const Caller& caller, long long task_id);
  void RequireManager(storage::Session& s, const Caller& caller);
  void SaveDialedNumber(const Caller& caller, const Task& task,
                        const storage::CampaignContactRow& row, const std::string& command_id);
  long long PublishedVersion(storage::Session& s, const std::string& tenant_id,
                             long long script_id);

  storage::Database& db_;
  const Clock& clock_;
  mango::CommandClient* commands_;
  mango::EmployeeResolver* employees_;
  std::function<void()> wake_;
  CrmGroups* crm_groups_ = nullptr;
  settings::SettingsService* scripts_ = nullptr;
};

}  // namespace opdesk::campaigns
