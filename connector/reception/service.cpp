#include "connector/reception/service.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "adapters/json_read.h"
#include "adapters/mango/command_client.h"
#include "connector/calls/call_codec.h"
#include "connector/calls/employee_resolver.h"
#include "connector/domain/log_escape.h"
#include "connector/reception/codec.h"
#include "connector/settings/access.h"
#include "connector/storage/mango_repositories.h"
#include "connector/storage/reception_repository.h"
#include "connector/storage/repositories.h"
#include "oauth/crypto.h"

namespace opdesk::reception {
namespace {

constexpr EpochMs kDepartmentUsersTtlMs = 60'000;
// A call whose summary never came stops counting as a busy line after this.
constexpr EpochMs kOpenCallWindowMs = 4 * 3600 * 1000;
constexpr int kMaxOpenCalls = 1000;

std::string NewCommandId() {
  return "rcp-" + crypto::HexEncode(crypto::RandomBytes(16));
}

}  // namespace

ReceptionSettings ReceptionService::LoadSettings(const std::string& tenant_id) {
  std::optional<storage::ReceptionSettingsRepository::Row> row;
  storage::WithSession(db_, [&](storage::Session& s) {
    row = storage::ReceptionSettingsRepository::Find(s, tenant_id);
  });
  if (!row) {
    return ReceptionSettings{};
  }
  ReceptionSettings settings = DecodeStoredSettings(row->json);
  settings.version = row->version;
  return settings;
}

ReceptionSettings ReceptionService::SaveSettings(const std::string& tenant_id,
                                                 const std::string& user_id,
                                                 ReceptionSettings wanted,
                                                 long long expected_version) {
  Validate(wanted);
  wanted.version = 0;
  storage::InTransaction(db_, [&](storage::Session& s) {
    settings::RequireSettingsManager(s, tenant_id, user_id);
    const auto before = storage::ReceptionSettingsRepository::Find(s, tenant_id);
    const long long next = storage::ReceptionSettingsRepository::Save(
        s, tenant_id, EncodeSettings(wanted), expected_version, clock_.NowMs());
    if (next == 0) {
      throw Conflict("the reception settings were changed by someone else (now version " +
                         std::to_string(before ? before->version : 0) + "); reload and try again",
                     "version");
    }
    AuditEntry audit = MakeAuditEntry(tenant_id, "user:" + user_id, "reception.update",
                                      "reception_settings", tenant_id, clock_.NowMs());
    if (before) {
      audit.before_json = before->json;
    }
    audit.after_json = EncodeSettings(wanted);
    storage::AuditLogRepository::Append(s, audit);
    wanted.version = next;
  });
  return wanted;
}

adapters::CrmOrgChart& ReceptionService::OrgChart() {
  if (org_chart_ == nullptr) {
    throw Unavailable("the connected CRM has no departments to choose managers from");
  }
  return *org_chart_;
}

std::vector<adapters::CrmDepartment> ReceptionService::Departments(const std::string& tenant_id) {
  return OrgChart().ListDepartments(tenant_id);
}

std::vector<adapters::CrmUser> ReceptionService::DepartmentUsers(const std::string& tenant_id,
                                                                 const std::string& department_id) {
  return CachedDepartmentUsers(tenant_id, department_id);
}

std::vector<adapters::CrmUser> ReceptionService::CachedDepartmentUsers(
    const std::string& tenant_id, const std::string& department_id) {
  const std::string key = tenant_id + "\n" + department_id;
  const EpochMs now = clock_.NowMs();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = department_users_.find(key);
    if (it != department_users_.end() && now - it->second.at_ms < kDepartmentUsersTtlMs) {
      return it->second.users;
    }
  }
  std::vector<adapters::CrmUser> users = OrgChart().DepartmentUsers(tenant_id, department_id);
  std::lock_guard<std::mutex> lock(mu_);
  department_users_[key] = CachedUsers{now, users};
  return users;
}

std::map<std::string, LineState> ReceptionService::CurrentLines(const std::string& tenant_id) {
  std::vector<StoredCall> rows;
  storage::WithSession(db_, [&](storage::Session& s) {
    rows = storage::ReceptionCallRepository::OpenSince(
        s, tenant_id, clock_.NowMs() - kOpenCallWindowMs, kMaxOpenCalls);
  });
  std::vector<calls::Call> open;
  open.reserve(rows.size());
  for (const StoredCall& row : rows) {
    open.push_back(mango::DecodeCall(row.state_json));
  }
  return LineStates(open);
}

std::vector<ManagerRow> ReceptionService::Managers(const std::string& tenant_id,
                                                   const std::string& service_type) {
  const ReceptionSettings settings = LoadSettings(tenant_id);
  const bool known = std::any_of(settings.service_types.begin(), settings.service_types.end(),
                                 [&](const ServiceType& t) { return t.id == service_type; });
  if (!known) {
    throw NotFound("no service type '" + service_type + "' in the reception settings");
  }
  std::vector<ManagerRow> rows;
  std::map<std::string, std::size_t> index;  // user id → row
  for (const DepartmentSetup* d : DepartmentsServing(settings, service_type)) {
    const std::set<std::string> chosen(d->manager_ids.begin(), d->manager_ids.end());
    for (const adapters::CrmUser& u : CachedDepartmentUsers(tenant_id, d->department_id)) {
      if (!d->all_users && !chosen.count(u.id)) {
        continue;
      }
      auto [it, fresh] = index.emplace(u.id, rows.size());
      if (fresh) {
        ManagerRow row;
        row.manager.user_id = u.id;
        row.manager.name = u.name;
        row.manager.extension = u.extension;
        rows.push_back(std::move(row));
      }
      rows[it->second].department_ids.push_back(d->department_id);
    }
  }
  if (rows.empty()) {
    return rows;
  }
  std::vector<std::string> ids;
  for (ManagerRow& row : rows) {
    ids.push_back(row.manager.user_id);
    // The employee map wins over the CRM's internal number, as for every call.
    const std::string mapped = employees_.ExtensionForUser(tenant_id, row.manager.user_id);
    if (!mapped.empty()) {
      row.manager.extension = mapped;
    }
  }
  try {
    for (const adapters::CrmPresence& p : OrgChart().Presence(tenant_id, ids)) {
      auto it = index.find(p.user_id);
      if (it != index.end()) {
        rows[it->second].manager.work_day = WorkDayFrom(p.work_day);
        rows[it->second].manager.online = p.online;
      }
    }
  } catch (const Error& e) {
    // The list still helps without presence: line states are our own.
    spdlog::warn("event=reception_presence_failed tenant={} error={}", tenant_id,
                 LogQuoted(e.what()));
  }
  const std::map<std::string, LineState> lines = CurrentLines(tenant_id);
  for (ManagerRow& row : rows) {
    if (auto it = lines.find(row.manager.extension);
        !row.manager.extension.empty() && it != lines.end()) {
      row.manager.line = it->second;
    }
  }
  std::vector<Manager> managers;
  for (const ManagerRow& row : rows) {
    managers.push_back(row.manager);
  }
  OrderManagers(managers);
  std::vector<ManagerRow> ordered;
  for (const Manager& m : managers) {
    ManagerRow row = rows[index.at(m.user_id)];
    row.manager = m;
    ordered.push_back(std::move(row));
  }
  return ordered;
}

TransferState ReceptionService::Transfer(const std::string& tenant_id,
                                         const std::string& operator_user_id,
                                         const TransferRequest& request) {
  if (commands_ == nullptr) {
    throw Unavailable("no PBX is connected to transfer calls");
  }
  if (request.manager_user_id == operator_user_id) {
    throw InvalidArgument("the call is yours already; choose another manager", "user_id");
  }
  std::optional<StoredCall> row;
  storage::WithSession(db_, [&](storage::Session& s) {
    row = storage::ReceptionCallRepository::FindByCrmCallId(s, tenant_id, request.crm_call_id);
  });
  if (!row) {
    throw NotFound("no call " + request.crm_call_id + " of this portal is known to the PBX");
  }
  const calls::Call call = mango::DecodeCall(row->state_json);
  if (call.finished) {
    throw Conflict("the call has ended", "call");
  }
  const std::string initiator = employees_.ExtensionForUser(tenant_id, operator_user_id);
  const calls::Leg* leg = OperatorLeg(call, initiator);
  if (leg == nullptr) {
    throw Conflict(initiator.empty()
                       ? "you have no PBX extension, so the PBX cannot transfer on your behalf"
                       : "you are not talking on this call now (extension " + initiator + ")",
                   "call");
  }
  const std::string target = employees_.ExtensionForUser(tenant_id, request.manager_user_id);
  if (target.empty()) {
    throw InvalidArgument("the manager has no PBX extension (internal number) to transfer to",
                          "user_id");
  }
  TransferMethod method = TransferMethod::kBlind;
  if (request.method) {
    method = *request.method;
  } else {
    method = LoadSettings(tenant_id).transfer_method;
  }
  TransferState state;
  state.command_id = NewCommandId();
  storage::InTransaction(db_, [&](storage::Session& s) {
    storage::SentCommandRepository::Insert(
        s, {tenant_id, state.command_id, "transfer", request.crm_call_id, operator_user_id, 0,
            clock_.NowMs()});
  });
  web::json::value command = web::json::value::object();
  command["command_id"] = web::json::value::string(state.command_id);
  command["call_id"] = web::json::value::string(leg->call_id);
  command["method"] = web::json::value::string(ToString(method));
  command["to_number"] = web::json::value::string(target);
  command["initiator"] = web::json::value::string(initiator);
  mango::CommandReply reply;
  try {
    reply = commands_->Probe(tenant_id, "commands/transfer", command.serialize(),
                             std::chrono::seconds(10));
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kResourceExhausted || e.code() == ErrorCode::kNotFound) {
      // Not sent: forget it, so the operator may press again.
      storage::InTransaction(db_, [&](storage::Session& s) {
        storage::SentCommandRepository::Delete(s, tenant_id, state.command_id);
      });
      throw;
    }
    // The request may or may not have reached the PBX; never resent (Mango's lock-out rule).
    state.outcome = TransferOutcome::kFailed;
    state.code = -1;
    storage::InTransaction(db_, [&](storage::Session& s) {
      storage::SentCommandRepository::SetResult(s, tenant_id, state.command_id, -1);
    });
    spdlog::warn("event=reception_transfer_unanswered tenant={} command_id={} error={}", tenant_id,
                 state.command_id, LogQuoted(e.what()));
    return state;
  }
  if (reply.http_status == 429) {
    storage::InTransaction(db_, [&](storage::Session& s) {
      storage::SentCommandRepository::Delete(s, tenant_id, state.command_id);
    });
    throw ResourceExhausted("the PBX takes one transfer per 2 seconds; try again in a moment")
        .WithRetryAfterMs(2'000);
  }
  if (reply.http_status == 200 && (reply.code == 0 || reply.code == 1000)) {
    spdlog::info("event=reception_transfer_sent tenant={} command_id={} method={}", tenant_id,
                 state.command_id, ToString(method));
    return state;  // pending: result/transfer follows
  }
  state.outcome = TransferOutcome::kFailed;
  state.code = reply.code != 0 ? reply.code : -1;
  storage::InTransaction(db_, [&](storage::Session& s) {
    storage::SentCommandRepository::SetResult(s, tenant_id, state.command_id, state.code);
  });
  spdlog::warn("event=reception_transfer_refused tenant={} command_id={} http={} code={}",
               tenant_id, state.command_id, reply.http_status, reply.code);
  return state;
}

TransferState ReceptionService::TransferStateOf(const std::string& tenant_id,
                                                const std::string& command_id) {
  std::optional<SentCommand> sent;
  storage::WithSession(db_, [&](storage::Session& s) {
    sent = storage::SentCommandRepository::Find(s, tenant_id, command_id);
  });
  if (!sent || sent->kind != "transfer") {
    throw NotFound("no transfer " + command_id);
  }
  TransferState state;
  state.command_id = command_id;
  state.code = sent->result;
  state.outcome = OutcomeOfResult(sent->result);
  return state;
}

InquiryResult ReceptionService::AcceptInquiry(const std::string& tenant_id,
                                              const std::string& operator_user_id,
                                              const Inquiry& inquiry, const std::string& lang) {
  const ReceptionSettings settings = LoadSettings(tenant_id);
  ValidateInquiry(inquiry, settings);
  if (inquiries_ == nullptr) {
    throw Unavailable("the connected CRM does not take inquiries");
  }
  const EpochMs now = clock_.NowMs();
  std::optional<storage::InquiryRow> earlier;
  storage::InTransaction(db_, [&](storage::Session& s) {
    storage::InquiryRow row{
        tenant_id, inquiry.request_id, operator_user_id, "sending", "", "", "", now, now};
    if (!storage::InquiryRepository::Insert(s, row)) {
      earlier = storage::InquiryRepository::Find(s, tenant_id, inquiry.request_id);
    }
  });
  if (earlier) {
    if (earlier->state == "sending") {
      throw Conflict("this inquiry is being accepted right now", "request_id");
    }
    return InquiryResult{false, earlier->state, earlier->record, earlier->task_id, earlier->error};
  }
  const bool en = lang == "en";
  std::string about;
  auto line = [&](const char* ru, const char* english, const std::string& value) {
    if (!value.empty()) {
      about += std::string(en ? english : ru) + ": " + value + "\n";
    }
  };
  line("Что сделать", "What to do", inquiry.todo);
  line("Имя", "Name", inquiry.name);
  line("Компания", "Company", inquiry.company);
  line("E-mail", "E-mail", inquiry.email);
  line("Телефон", "Phone", inquiry.phone);
  for (const ServiceType& t : settings.service_types) {
    if (t.id == inquiry.service_type_id) {
      line("Тип услуги", "Service type", t.name);
    }
  }
  adapters::InquiryRecord record;
  record.deal = settings.inquiry_target == InquiryTarget::kDeal;
  record.title = inquiry.topic;
  record.comments = about;
  record.name = inquiry.name;
  record.company = inquiry.company;
  record.email = inquiry.email;
  record.phone = inquiry.phone;
  record.responsible_user_id = inquiry.manager_user_id;
  record.origin = {"opdesk", "reception:" + inquiry.request_id};
  adapters::RequestOptions options;
  options.as_user = operator_user_id;
  options.deadline = std::chrono::seconds(15);
  storage::InquiryRow row{
      tenant_id, inquiry.request_id, operator_user_id, "sending", "", "", "", now, now};
  adapters::CrmRecord added;
  try {
    added = inquiries_->AddInquiry(tenant_id, record, options);
  } catch (const Error& e) {
    if (adapters::IsOutcomeUnknown(e)) {
      row.state = "failed";
      row.error = e.what();
      row.updated_at_ms = clock_.NowMs();
      storage::InTransaction(
          db_, [&](storage::Session& s) { storage::InquiryRepository::Update(s, row); });
      throw Unavailable(std::string("the CRM did not answer; check in the CRM whether the ") +
                        (record.deal ? "deal" : "lead") + " was added (" + e.what() + ")");
    }
    // Refused or not sent: nothing was added, so the operator may accept again.
    storage::InTransaction(db_, [&](storage::Session& s) {
      storage::InquiryRepository::Delete(s, tenant_id, inquiry.request_id);
    });
    throw;
  }
  row.record = StoredRecordKey(added);
  row.state = "done";
  adapters::TaskRequest task;
  task.title = (en ? "Inquiry: " : "Обращение: ") + inquiry.topic;
  task.description = about;
  task.responsible_user_id = inquiry.manager_user_id;
  task.record = added;
  try {
    row.task_id = crm_.AddTask(tenant_id, task, options);
  } catch (const Error& e) {
    // The record is there and assigned to the manager; the task is the extra notice.
    row.error = std::string("the task for the manager was not created: ") + e.what();
    spdlog::warn("event=reception_task_failed tenant={} request_id={} error={}", tenant_id,
                 LogValue(inquiry.request_id), LogQuoted(e.what()));
  }
  row.updated_at_ms = clock_.NowMs();
  storage::InTransaction(db_,
                         [&](storage::Session& s) { storage::InquiryRepository::Update(s, row); });
  return InquiryResult{true, row.state, row.record, row.task_id, row.error};
}

}  // namespace opdesk::reception
