#include "connector/campaigns/service.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <tuple>

#include "adapters/mango/command_client.h"
#include "connector/calls/employee_resolver.h"
#include "connector/campaigns/codec.h"
#include "connector/campaigns/comment_job.h"
#include "connector/campaigns/crm_groups.h"
#include "connector/domain/error.h"
#include "connector/domain/log_escape.h"
#include "connector/domain/time_zone.h"
#include "connector/jobs/job_kind.h"
#include "connector/settings/access.h"
#include "connector/settings/number_job.h"
#include "connector/settings/service.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/records.h"
#include "connector/storage/repositories.h"
#include "connector/storage/settings_repositories.h"
#include "oauth/crypto.h"

namespace opdesk::campaigns {
namespace {

using storage::CampaignContactRepository;
using storage::CampaignContactRow;
using storage::CampaignTaskRepository;
using storage::Session;

constexpr long long kNoScript = -1;

Error TaskNotFound(long long id) {
  return NotFound("no dialing task " + std::to_string(id));
}

Error StaleTask(const Task& stored) {
  return Conflict("the task was changed by someone else (now version " +
                      std::to_string(stored.version) + "); reload and try again",
                  "version");
}

Error StaleContact() {
  return Conflict("the contact was changed meanwhile; reload it", "version");
}

Error ScriptGone() {
  return Conflict(
      "the task's script was deleted; a manager must choose another script before work goes on",
      "script_id");
}

void Audit(Session& s, const Caller& caller, const std::string& action, long long task_id,
           const std::string& before, const std::string& after, EpochMs now) {
  AuditEntry audit = MakeAuditEntry(caller.tenant_id, "user:" + caller.user_id, action,
                                    "campaign_task", std::to_string(task_id), now);
  audit.before_json = before;
  audit.after_json = after;
  storage::AuditLogRepository::Append(s, audit);
}

// The tenant's zone for the times a comment names; Moscow when none is stored, UTC when the
// stored one is not installed.
TimeZone ZoneOf(Session& s, const std::string& tenant_id) {
  const auto tenant = storage::TenantRepository::Find(s, tenant_id);
  try {
    return *LoadTimeZone(tenant && !tenant->time_zone.empty() ? tenant->time_zone
                                                              : "Europe/Moscow");
  } catch (const Error&) {
    return TimeZone::Utc();
  }
}

CampaignContactRow LoadContact(Session& s, const std::string& tenant_id, long long task_id,
                               long long contact_id) {
  auto row = CampaignContactRepository::Find(s, tenant_id, task_id, contact_id, true);
  if (!row) {
    throw NotFound("no contact " + std::to_string(contact_id) + " in this task");
  }
  return *row;
}

}  // namespace

void CampaignService::RequireManager(Session& s, const Caller& caller) {
  settings::RequireSettingsManager(s, caller.tenant_id, caller.user_id);
}

Task CampaignService::LoadTask(Session& s, const Caller& caller, long long task_id, bool lock) {
  auto task = CampaignTaskRepository::Find(s, caller.tenant_id, task_id, lock);
  if (!task) {
    throw TaskNotFound(task_id);
  }
  if (!caller.manager && !IsEmployee(*task, caller.user_id)) {
    throw PermissionDenied("you do not work this dialing task; ask a supervisor to add you");
  }
  return *task;
}

Task CampaignService::LoadWorkableTask(Session& s, const Caller& caller, long long task_id) {
  settings::RequireSeat(s, caller.tenant_id, caller.user_id);
  Task task = LoadTask(s, caller, task_id, false);
  if (!IsEmployee(task, caller.user_id)) {
    throw PermissionDenied("you do not work this dialing task; ask a supervisor to add you");
  }
  if (task.state != TaskState::kRunning) {
    throw Conflict("the task is not running", "state");
  }
  if (PublishedVersion(s, caller.tenant_id, task.script_id) == kNoScript) {
    throw ScriptGone();
  }
  return task;
}

long long CampaignService::PublishedVersion(Session& s, const std::string& tenant_id,
                                            long long script_id) {
  auto script = storage::ScriptRepository::Find(s, tenant_id, script_id);
  return script ? script->published_version : kNoScript;
}

std::vector<TaskView> CampaignService::ListTasks(const Caller& caller) {
  std::vector<TaskView> out;
  storage::WithSession(db_, [&](Session& s) {
    for (Task& t :
         CampaignTaskRepository::List(s, caller.tenant_id, caller.manager ? "" : caller.user_id)) {
      TaskView v;
      v.counts = CampaignContactRepository::Counts(s, caller.tenant_id, t.id);
      v.script_exists =
          t.script_id == 0 || PublishedVersion(s, caller.tenant_id, t.script_id) != kNoScript;
      v.task = std::move(t);
      out.push_back(std::move(v));
    }
  });
  return out;
}

TaskView CampaignService::GetTask(const Caller& caller, long long task_id) {
  TaskView v;
  storage::WithSession(db_, [&](Session& s) {
    v.task = LoadTask(s, caller, task_id, false);
    v.counts = CampaignContactRepository::Counts(s, caller.tenant_id, task_id);
    v.script_exists = v.task.script_id == 0 ||
                      PublishedVersion(s, caller.tenant_id, v.task.script_id) != kNoScript;
  });
  return v;
}

Task CampaignService::CreateTask(const Caller& caller, Task wanted) {
  ValidateTask(wanted);
  const EpochMs now = clock_.NowMs();
  wanted.state = TaskState::kDraft;
  wanted.script_version = 0;
  wanted.version = 1;
  wanted.created_at_ms = wanted.updated_at_ms = now;
  storage::InTransaction(db_, [&](Session& s) {
    RequireManager(s, caller);
    if (wanted.script_id != 0 &&
        PublishedVersion(s, caller.tenant_id, wanted.script_id) == kNoScript) {
      throw InvalidArgument("no script " + std::to_string(wanted.script_id), "script_id");
    }
    wanted.id = CampaignTaskRepository::Insert(s, caller.tenant_id, wanted, caller.user_id);
    Audit(s, caller, "campaign.create", wanted.id, "", EncodeTask(wanted), now);
  });
  return wanted;
}

Task CampaignService::UpdateTask(const Caller& caller, Task wanted, long long expected_version) {
  ValidateTask(wanted);
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(db_, [&](Session& s) {
    RequireManager(s, caller);
    const Task stored = LoadTask(s, caller, wanted.id, true);
    if (stored.version != expected_version) {
      throw StaleTask(stored);
    }
    wanted.state = stored.state;
    wanted.script_version = stored.script_version;
    wanted.created_at_ms = stored.created_at_ms;
    if (wanted.script_id != stored.script_id) {
      const long long published =
          wanted.script_id == 0 ? 0 : PublishedVersion(s, caller.tenant_id, wanted.script_id);
      if (published == kNoScript) {
        throw InvalidArgument("no script " + std::to_string(wanted.script_id), "script_id");
      }
      if (stored.state == TaskState::kRunning) {
        CheckStartable(wanted, published);
        wanted.script_version = published;
      } else {
        wanted.script_version = 0;
      }
    } else if (stored.state == TaskState::kRunning && wanted.employee_ids.empty()) {
      throw InvalidArgument("a running task needs at least one employee", "employee_ids");
    }
    wanted.updated_at_ms = now;
    if (!CampaignTaskRepository::Update(s, caller.tenant_id, wanted, expected_version)) {
      throw StaleTask(stored);
    }
    wanted.version = expected_version + 1;
    Audit(s, caller, "campaign.update", wanted.id, EncodeTask(stored), EncodeTask(wanted), now);
  });
  return wanted;
}

void CampaignService::DeleteTask(const Caller& caller, long long task_id,
                                 long long expected_version) {
  storage::InTransaction(db_, [&](Session& s) {
    RequireManager(s, caller);
    const Task stored = LoadTask(s, caller, task_id, true);
    if (stored.version != expected_version ||
        !CampaignTaskRepository::Delete(s, caller.tenant_id, task_id, expected_version)) {
      throw StaleTask(stored);
    }
    Audit(s, caller, "campaign.delete", task_id, EncodeTask(stored), "", clock_.NowMs());
  });
}

Task CampaignService::SetState(const Caller& caller, long long task_id, TaskState state,
                               long long expected_version) {
  if (state == TaskState::kDraft) {
    throw InvalidArgument("a task goes to \"running\" or \"paused\"", "state");
  }
  Task out;
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(db_, [&](Session& s) {
    RequireManager(s, caller);
    const Task stored = LoadTask(s, caller, task_id, true);
    if (stored.version != expected_version) {
      throw StaleTask(stored);
    }
    out = stored;
    out.state = state;
    out.updated_at_ms = now;
    if (state == TaskState::kRunning) {
      const long long published = PublishedVersion(s, caller.tenant_id, stored.script_id);
      if (stored.script_id != 0 && published == kNoScript) {
        throw ScriptGone();
      }
      CheckStartable(stored, published);
      out.script_version = published;  // the version operators run from now on
    }
    if (!CampaignTaskRepository::Update(s, caller.tenant_id, out, expected_version)) {
      throw StaleTask(stored);
    }
    out.version = expected_version + 1;
    Audit(s, caller, state == TaskState::kRunning ? "campaign.start" : "campaign.pause", task_id,
          EncodeTask(stored), EncodeTask(out), now);
  });
  return out;
}

ImportOutcome CampaignService::Import(const Caller& caller, long long task_id,
                                      std::string_view text, bool dry_run) {
  ImportOutcome out;
  out.dry_run = dry_run;
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(db_, [&](Session& s) {
    RequireManager(s, caller);
    // The task row's lock orders concurrent imports into one task (SQLite: the write lock).
    LoadTask(s, caller, task_id, true);
    const std::set<std::string> existing =
        CampaignContactRepository::Numbers(s, caller.tenant_id, task_id);
    out.report = ParseImport(text, existing);
    const long long total = CampaignContactRepository::Counts(s, caller.tenant_id, task_id).total;
    if (static_cast<std::size_t>(total) + out.report.accepted.size() > kMaxContactsPerTask) {
      throw Conflict("a task holds at most 100000 contacts; it has " + std::to_string(total),
                     "body");
    }
    out.total = total;
    if (dry_run || out.report.accepted.empty()) {
      return;
    }
    CampaignContactRepository::InsertNumbers(s, caller.tenant_id, task_id, out.report.accepted,
                                             now);
    out.added = out.report.accepted.size();
    out.total = total + static_cast<long long>(out.added);
    AuditEntry audit = MakeAuditEntry(caller.tenant_id, "user:" + caller.user_id, "campaign.import",
                                      "campaign_task", std::to_string(task_id), now);
    audit.after_json = "{\"added\":" + std::to_string(out.added) +
                       ",\"rejected\":" + std::to_string(out.report.error_count) + "}";
    storage::AuditLogRepository::Append(s, audit);
  });
  return out;
}

std::vector<CampaignContactRow> CampaignService::ListContacts(
    const Caller& caller, long long task_id, const storage::CampaignContactFilter& f) {
  std::vector<CampaignContactRow> out;
  storage::WithSession(db_, [&](Session& s) {
    LoadTask(s, caller, task_id, false);
    out = CampaignContactRepository::List(s, caller.tenant_id, task_id, f);
  });
  return out;
}

long long CampaignService::DeleteContacts(const Caller& caller, long long task_id,
                                          const std::vector<long long>& ids) {
  long long deleted = 0;
  storage::InTransaction(db_, [&](Session& s) {
    RequireManager(s, caller);
    LoadTask(s, caller, task_id, true);
    deleted = CampaignContactRepository::DeleteIds(s, caller.tenant_id, task_id, ids);
    AuditEntry audit =
        MakeAuditEntry(caller.tenant_id, "user:" + caller.user_id, "campaign.contacts_delete",
                       "campaign_task", std::to_string(task_id), clock_.NowMs());
    audit.after_json = "{\"deleted\":" + std::to_string(deleted) + "}";
    storage::AuditLogRepository::Append(s, audit);
  });
  return deleted;
}

std::string CampaignService::ExportCsv(const Caller& caller, long long task_id,
                                       storage::CampaignContactFilter f) {
  std::string csv = "\xEF\xBB\xBF";
  csv += "id;phone;name;status;result;attempts;operator_id;due_at;last_call_at;comment\r\n";
  auto when = [](EpochMs ms) { return ms > 0 ? std::to_string(ms) : std::string(); };
  storage::WithSession(db_, [&](Session& s) {
    LoadTask(s, caller, task_id, false);
    f.limit = 1000;
    for (;;) {
      const auto page = CampaignContactRepository::List(s, caller.tenant_id, task_id, f);
      for (const CampaignContactRow& r : page) {
        csv += std::to_string(r.id) + ";" + CsvCell(r.phone) + ";" + CsvCell(r.name) + ";" +
               RussianName(r.state.status) + ";" + RussianName(r.state.result) + ";" +
               std::to_string(r.state.attempts) + ";" + CsvCell(r.state.operator_id) + ";" +
               when(r.state.due_at_ms) + ";" + when(r.last_call_at_ms) + ";" + CsvCell(r.comment) +
               "\r\n";
      }
      if (page.size() < 1000) {
        break;
      }
      f.after_id = page.back().id;
    }
  });
  return csv;
}

PinnedScript CampaignService::Script(const Caller& caller, long long task_id) {
  PinnedScript out;
  storage::WithSession(db_, [&](Session& s) {
    settings::RequireSeat(s, caller.tenant_id, caller.user_id);
    const Task task = LoadTask(s, caller, task_id, false);
    if (!IsEmployee(task, caller.user_id)) {
      throw PermissionDenied("you do not work this dialing task; ask a supervisor to add you");
    }
    if (task.script_id == 0) {
      throw Conflict("the task has no script; a manager must choose one", "script_id");
    }
    if (PublishedVersion(s, caller.tenant_id, task.script_id) == kNoScript) {
      throw ScriptGone();
    }
    if (task.script_version == 0) {
      throw Conflict("the task has not been started yet; its script version is pinned then",
                     "state");
    }
    out = {task.script_id, task.script_version};
  });
  return out;
}

std::vector<Reminder> CampaignService::Reminders(const Caller& caller) {
  std::vector<Reminder> out;
  storage::WithSession(db_, [&](Session& s) {
    settings::RequireSeat(s, caller.tenant_id, caller.user_id);
    for (const Task& t : CampaignTaskRepository::List(s, caller.tenant_id, caller.user_id)) {
      if (!IsEmployee(t, caller.user_id)) {
        continue;
      }
      storage::CampaignContactFilter f;
      f.status = ContactStatus::kInWork;
      f.operator_id = caller.user_id;
      f.due_from_ms = 1;
      f.limit = static_cast<int>(kMaxReminders);
      for (CampaignContactRow& row :
           CampaignContactRepository::List(s, caller.tenant_id, t.id, f)) {
        out.push_back({t.id, t.name, std::move(row)});
      }
    }
  });
  std::sort(out.begin(), out.end(), [](const Reminder& a, const Reminder& b) {
    return std::tie(a.contact.state.due_at_ms, a.contact.id) <
           std::tie(b.contact.state.due_at_ms, b.contact.id);
  });
  if (out.size() > kMaxReminders) {
    out.resize(kMaxReminders);
  }
  return out;
}

NextContact CampaignService::Next(const Caller& caller, long long task_id) {
  NextContact out;
  bool refilled = false;
  // Bounded: each round either hands a contact out, finishes a CRM contact that cannot be
  // called, or reads the filter's next page once.
  for (int round = 0; round < 20; ++round) {
    out = NextContact{};
    const EpochMs now = clock_.NowMs();
    storage::InTransaction(db_, [&](Session& s) {
      LoadWorkableTask(s, caller, task_id);
      out.contact =
          CampaignContactRepository::ClaimNext(s, caller.tenant_id, task_id, caller.user_id, now);
      if (!out.contact) {
        out.next_due_at_ms =
            CampaignContactRepository::NextDueAt(s, caller.tenant_id, task_id, caller.user_id);
      }
    });
    if (crm_groups_ == nullptr) {
      break;
    }
    if (!out.contact) {
      if (refilled || !crm_groups_->Refill(caller.tenant_id, task_id)) {
        break;
      }
      refilled = true;
      continue;
    }
    if (crm_groups_->ReadNumber(caller.tenant_id, *out.contact)) {
      break;
    }
  }
  return out;
}

CampaignContactRow CampaignService::Open(const Caller& caller, long long task_id,
                                         long long contact_id) {
  CampaignContactRow row;
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(db_, [&](Session& s) {
    LoadWorkableTask(s, caller, task_id);
    row = LoadContact(s, caller.tenant_id, task_id, contact_id);
    const long long v = row.version;
    row.state = campaigns::Open(row.state, caller.user_id, now);
    if (!CampaignContactRepository::Save(s, caller.tenant_id, row, v, now)) {
      throw StaleContact();
    }
    row.version = v + 1;
    row.updated_at_ms = now;
  });
  if (crm_groups_ != nullptr) {
    // A chosen CRM contact: its number now; finished (and shown so) when it has none.
    crm_groups_->ReadNumber(caller.tenant_id, row);
  }
  return row;
}

CampaignContactRow CampaignService::SetResult(const Caller& caller, long long task_id,
                                              long long contact_id, const ResultInput& input,
                                              const std::string& comment,
                                              long long expected_version) {
  CampaignContactRow row;
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(db_, [&](Session& s) {
    settings::RequireSeat(s, caller.tenant_id, caller.user_id);
    const Task task = LoadTask(s, caller, task_id, false);
    row = LoadContact(s, caller.tenant_id, task_id, contact_id);
    if (row.version != expected_version) {
      throw StaleContact();
    }
    row.state = ApplyResult(row.state, {caller.user_id, caller.manager}, input, task.retry, now);
    row.comment = comment;
    row.last_call_at_ms = now;
    if (!CampaignContactRepository::Save(s, caller.tenant_id, row, expected_version, now)) {
      throw StaleContact();
    }
    row.version = expected_version + 1;
    row.updated_at_ms = now;
    if (!row.phone.empty()) {
      CommentJob job;
      job.key = std::to_string(task_id) + ":" + std::to_string(contact_id) + ":" +
                std::to_string(row.version);
      job.phone = row.phone;
      job.operator_id = caller.user_id;
      job.text = ResultComment(task.name, row.state, comment, ZoneOf(s, caller.tenant_id));
      jobs::NewJob options;
      options.tenant_id = caller.tenant_id;
      options.ordering_key = "campaign-contact:" + std::to_string(contact_id);
      options.idempotency_key = "campaign.comment:" + job.key;
      jobs::Enqueue(s, kCommentJob, job, options, now);
    }
  });
  if (wake_ && !row.phone.empty()) {
    wake_();
  }
  return row;
}

CampaignContactRow CampaignService::SetStatus(const Caller& caller, long long task_id,
                                              long long contact_id, ContactStatus status,
                                              long long expected_version) {
  if (status == ContactStatus::kInWork) {
    throw InvalidArgument("a contact goes «В работе» by opening it", "status");
  }
  CampaignContactRow row;
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(db_, [&](Session& s) {
    settings::RequireSeat(s, caller.tenant_id, caller.user_id);
    LoadTask(s, caller, task_id, false);
    row = LoadContact(s, caller.tenant_id, task_id, contact_id);
    if (row.version != expected_version) {
      throw StaleContact();
    }
    const Actor actor{caller.user_id, caller.manager};
    row.state =
        status == ContactStatus::kNew ? Release(row.state, actor) : Finish(row.state, actor);
    if (!CampaignContactRepository::Save(s, caller.tenant_id, row, expected_version, now)) {
      throw StaleContact();
    }
    row.version = expected_version + 1;
    row.updated_at_ms = now;
  });
  return row;
}

CallStarted CampaignService::Call(const Caller& caller, long long task_id, long long contact_id) {
  if (commands_ == nullptr || employees_ == nullptr) {
    throw Unavailable("no PBX is connected to place calls");
  }
  CampaignContactRow row;
  Task task;
  storage::WithSession(db_, [&](Session& s) {
    settings::RequireSeat(s, caller.tenant_id, caller.user_id);
    task = LoadTask(s, caller, task_id, false);
    auto found = CampaignContactRepository::Find(s, caller.tenant_id, task_id, contact_id);
    if (!found) {
      throw NotFound("no contact " + std::to_string(contact_id) + " in this task");
    }
    row = *found;
  });
  if (row.state.status != ContactStatus::kInWork || row.state.operator_id != caller.user_id) {
    throw Conflict(row.state.status == ContactStatus::kInWork
                       ? "the contact is in work with another operator"
                       : "open the contact before calling it",
                   "contact");
  }
  if (row.phone.empty()) {
    throw Conflict("the contact has no number to call", "contact");
  }
  const std::string extension = employees_->ExtensionForUser(caller.tenant_id, caller.user_id);
  if (extension.empty()) {
    throw Conflict("you have no PBX extension (internal number) to call from", "contact");
  }
  CallStarted out;
  out.command_id = "cmp-" + crypto::HexEncode(crypto::RandomBytes(16));
  const EpochMs now = clock_.NowMs();
  storage::InTransaction(db_, [&](Session& s) {
    // Kind "campaign": no CRM call is registered for it, so a failed result only records itself.
    storage::SentCommandRepository::Insert(
        s, {caller.tenant_id, out.command_id, "campaign", "", caller.user_id, 0, now});
    storage::CampaignCallRepository::Insert(
        s, {caller.tenant_id, out.command_id, task_id, contact_id, caller.user_id, row.phone, now});
  });
  web::json::value command = web::json::value::object();
  command["command_id"] = web::json::value::string(out.command_id);
  command["from"]["extension"] = web::json::value::string(extension);
  command["to_number"] = web::json::value::string(row.phone.substr(row.phone[0] == '+' ? 1 : 0));
  auto forget = [&] {
    storage::InTransaction(db_, [&](Session& s) {
      storage::SentCommandRepository::Delete(s, caller.tenant_id, out.command_id);
      storage::CampaignCallRepository::Delete(s, caller.tenant_id, out.command_id);
    });
  };
  mango::CommandReply reply;
  try {
    reply = commands_->Probe(caller.tenant_id, "commands/callback", command.serialize(),
                             std::chrono::seconds(10));
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kResourceExhausted || e.code() == ErrorCode::kNotFound) {
      forget();  // not sent: the operator may press again
      throw;
    }
    // It may have reached the PBX: never resent (a second ring, and Mango's lock-out rule).
    out.state = "failed";
    out.code = -1;
    storage::InTransaction(db_, [&](Session& s) {
      storage::SentCommandRepository::SetResult(s, caller.tenant_id, out.command_id, -1);
    });
    spdlog::warn("event=campaign_call_unanswered tenant={} command_id={} error={}",
                 caller.tenant_id, out.command_id, LogQuoted(e.what()));
    return out;
  }
  if (reply.http_status == 429) {
    forget();
    throw ResourceExhausted("the PBX asks to wait; press again in a moment")
        .WithRetryAfterMs(2'000);
  }
  const int code = reply.code;
  if (reply.http_status == 200 && (code == 0 || code == 1000)) {
    out.state = "pending";  // result/callback follows
    spdlog::info("event=campaign_call_sent tenant={} task={} contact={} command_id={}",
                 caller.tenant_id, task_id, contact_id, out.command_id);
    SaveDialedNumber(caller, task, row, out.command_id);
    return out;
  }
  out.state = "failed";
  out.code = code != 0 ? code : -1;
  storage::InTransaction(db_, [&](Session& s) {
    storage::SentCommandRepository::SetResult(s, caller.tenant_id, out.command_id, out.code);
  });
  spdlog::warn("event=campaign_call_refused tenant={} command_id={} http={} code={}",
               caller.tenant_id, out.command_id, reply.http_status, code);
  return out;
}

// FEATURES F2: the pinned script may name a CRM field for the number dialed; the call Mango took
// queues its save once (settings/number_job.h). A script that cannot be read saves nothing: the
// call itself is placed already and must not fail for it.
void CampaignService::SaveDialedNumber(const Caller& caller, const Task& task,
                                       const CampaignContactRow& row,
                                       const std::string& command_id) {
  if (scripts_ == nullptr || task.script_id == 0 || task.script_version == 0) {
    return;
  }
  try {
    const ScriptVersion version =
        scripts_->GetScriptVersion(caller.tenant_id, task.script_id, task.script_version);
    const std::string record =
        row.source == ContactSource::kCrmContact && !row.crm_contact_id.empty()
            ? "CONTACT:" + row.crm_contact_id
            : "";
    bool queued = false;
    storage::InTransaction(db_, [&](Session& s) {
      queued = settings::QueueNumberSave(
          s, caller.tenant_id, version.graph.settings,
          settings::NumberSave{"campaign:" + command_id, row.phone, record, caller.user_id},
          clock_.NowMs());
    });
    if (queued && wake_) {
      wake_();
    }
  } catch (const Error& e) {
    spdlog::warn("event=campaign_number_save_skipped tenant={} command_id={} error={}",
                 caller.tenant_id, command_id, LogQuoted(e.what()));
  }
}

CallStarted CampaignService::CallState(const Caller& caller, const std::string& command_id) {
  std::optional<SentCommand> sent;
  storage::WithSession(db_, [&](Session& s) {
    sent = storage::SentCommandRepository::Find(s, caller.tenant_id, command_id);
  });
  // Only the operator who placed it reads it (another user's command is as good as absent).
  if (!sent || sent->kind != "campaign" || sent->crm_user_id != caller.user_id) {
    throw NotFound("no call " + command_id);
  }
  CallStarted out;
  out.command_id = command_id;
  out.code = sent->result;
  out.state = sent->result == 0 ? "pending" : (sent->result == 1000 ? "done" : "failed");
  return out;
}

}  // namespace opdesk::campaigns
