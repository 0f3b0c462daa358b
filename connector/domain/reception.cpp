#include "connector/domain/reception.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "connector/domain/error.h"

namespace opdesk::reception {
namespace {

bool IsKeyText(const std::string& s, std::size_t max) {
  if (s.empty() || s.size() > max) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

bool IsDecimalId(const std::string& s) {
  return !s.empty() && s.size() <= 32 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool Blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

std::string Item(const std::string& list, std::size_t i) {
  return list + "[" + std::to_string(i) + "]";
}

void MaxLength(const std::string& value, std::size_t max, const std::string& field) {
  if (value.size() > max) {
    throw InvalidArgument(field + " is longer than " + std::to_string(max) + " bytes", field);
  }
}

bool LooksLikeEmail(const std::string& e) {
  const auto at = e.find('@');
  if (at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos) {
    return false;
  }
  const std::string domain = e.substr(at + 1);
  const auto dot = domain.find('.');
  return dot != std::string::npos && dot > 0 && dot + 1 < domain.size() &&
         e.find_first_of(" \t\r\n,;<>") == std::string::npos;
}

}  // namespace

const char* ToString(InquiryTarget target) {
  return target == InquiryTarget::kDeal ? "deal" : "lead";
}

const char* ToString(TransferMethod method) {
  return method == TransferMethod::kHold ? "hold" : "blind";
}

std::optional<InquiryTarget> InquiryTargetFrom(const std::string& text) {
  if (text == "lead") {
    return InquiryTarget::kLead;
  }
  if (text == "deal") {
    return InquiryTarget::kDeal;
  }
  return std::nullopt;
}

std::optional<TransferMethod> TransferMethodFrom(const std::string& text) {
  if (text == "blind") {
    return TransferMethod::kBlind;
  }
  if (text == "hold") {
    return TransferMethod::kHold;
  }
  return std::nullopt;
}

void Validate(const ReceptionSettings& settings) {
  if (settings.service_types.size() > kMaxServiceTypes) {
    throw InvalidArgument("at most " + std::to_string(kMaxServiceTypes) + " service types",
                          "service_types");
  }
  std::set<std::string> ids;
  std::set<std::string> names;
  for (std::size_t i = 0; i < settings.service_types.size(); ++i) {
    const ServiceType& t = settings.service_types[i];
    const std::string path = Item("service_types", i);
    if (!IsKeyText(t.id, 64)) {
      throw InvalidArgument("a service type id is 1 to 64 letters, digits, '-' or '_'",
                            path + ".id");
    }
    if (!ids.insert(t.id).second) {
      throw InvalidArgument("service type id '" + t.id + "' is used twice", path + ".id");
    }
    if (Blank(t.name)) {
      throw InvalidArgument("a service type needs a name", path + ".name");
    }
    MaxLength(t.name, 200, path + ".name");
    if (!names.insert(t.name).second) {
      throw InvalidArgument("service type '" + t.name + "' is named twice", path + ".name");
    }
  }
  if (settings.departments.size() > kMaxDepartments) {
    throw InvalidArgument("at most " + std::to_string(kMaxDepartments) + " departments",
                          "departments");
  }
  std::set<std::string> departments;
  for (std::size_t i = 0; i < settings.departments.size(); ++i) {
    const DepartmentSetup& d = settings.departments[i];
    const std::string path = Item("departments", i);
    if (!IsDecimalId(d.department_id)) {
      throw InvalidArgument("a department id is the portal's decimal id", path + ".department_id");
    }
    if (!departments.insert(d.department_id).second) {
      throw InvalidArgument("department " + d.department_id + " is listed twice",
                            path + ".department_id");
    }
    std::set<std::string> served;
    for (std::size_t j = 0; j < d.service_type_ids.size(); ++j) {
      const std::string& t = d.service_type_ids[j];
      if (!ids.count(t)) {
        throw InvalidArgument("'" + t + "' is not one of the service types",
                              Item(path + ".service_type_ids", j));
      }
      if (!served.insert(t).second) {
        throw InvalidArgument("'" + t + "' is listed twice", Item(path + ".service_type_ids", j));
      }
    }
    if (d.manager_ids.size() > kMaxManagersPerDepartment) {
      throw InvalidArgument("at most " + std::to_string(kMaxManagersPerDepartment) + " managers",
                            path + ".manager_ids");
    }
    if (!d.all_users && d.manager_ids.empty()) {
      throw InvalidArgument("choose at least one manager or take all the department's users",
                            path + ".manager_ids");
    }
    std::set<std::string> managers;
    for (std::size_t j = 0; j < d.manager_ids.size(); ++j) {
      if (!IsDecimalId(d.manager_ids[j]) || !managers.insert(d.manager_ids[j]).second) {
        throw InvalidArgument("a manager is a portal user's id, listed once",
                              Item(path + ".manager_ids", j));
      }
    }
  }
}

std::vector<const DepartmentSetup*> DepartmentsServing(const ReceptionSettings& settings,
                                                       const std::string& service_type_id) {
  std::vector<const DepartmentSetup*> out;
  for (const DepartmentSetup& d : settings.departments) {
    if (std::find(d.service_type_ids.begin(), d.service_type_ids.end(), service_type_id) !=
        d.service_type_ids.end()) {
      out.push_back(&d);
    }
  }
  return out;
}

const char* ToString(WorkDay day) {
  switch (day) {
    case WorkDay::kOpened:
      return "opened";
    case WorkDay::kPaused:
      return "paused";
    case WorkDay::kClosed:
      return "closed";
    case WorkDay::kExpired:
      return "expired";
    case WorkDay::kUnknown:
      break;
  }
  return "unknown";
}

WorkDay WorkDayFrom(const std::string& crm_status) {
  if (crm_status == "OPENED") {
    return WorkDay::kOpened;
  }
  if (crm_status == "PAUSED") {
    return WorkDay::kPaused;
  }
  if (crm_status == "CLOSED") {
    return WorkDay::kClosed;
  }
  if (crm_status == "EXPIRED") {
    return WorkDay::kExpired;
  }
  return WorkDay::kUnknown;
}

const char* ToString(LineState state) {
  switch (state) {
    case LineState::kRinging:
      return "ringing";
    case LineState::kTalking:
      return "talking";
    case LineState::kFree:
      break;
  }
  return "free";
}

int Availability(const Manager& m) {
  if (m.line == LineState::kTalking) {
    return 60;
  }
  if (m.line == LineState::kRinging) {
    return 50;
  }
  int day = 0;
  switch (m.work_day) {
    case WorkDay::kOpened:
      day = 0;
      break;
    case WorkDay::kUnknown:
      day = 10;
      break;
    case WorkDay::kPaused:
      day = 20;
      break;
    case WorkDay::kClosed:
    case WorkDay::kExpired:
      day = 30;
      break;
  }
  return day + (m.online == false ? 5 : 0);
}

void OrderManagers(std::vector<Manager>& managers) {
  std::stable_sort(managers.begin(), managers.end(), [](const Manager& a, const Manager& b) {
    return std::make_tuple(Availability(a), a.name, a.user_id) <
           std::make_tuple(Availability(b), b.name, b.user_id);
  });
}

std::map<std::string, LineState> LineStates(const std::vector<calls::Call>& open_calls) {
  std::map<std::string, LineState> out;
  for (const calls::Call& call : open_calls) {
    if (call.finished) {
      continue;
    }
    for (const auto& [id, leg] : call.legs) {
      if (leg.ended || leg.extension.empty() || leg.state == mango::CallState::kDisconnected) {
        continue;
      }
      LineState state = LineState::kFree;
      if (leg.state == mango::CallState::kConnected || leg.state == mango::CallState::kOnHold) {
        state = LineState::kTalking;
      } else if (leg.state == mango::CallState::kAppeared) {
        state = LineState::kRinging;
      }
      LineState& have = out[leg.extension];
      have = std::max(have, state);
    }
  }
  return out;
}

const calls::Leg* OperatorLeg(const calls::Call& call, const std::string& extension) {
  if (call.finished || extension.empty()) {
    return nullptr;
  }
  for (const auto& [id, leg] : call.legs) {
    if (leg.extension == extension && !leg.ended && leg.state == mango::CallState::kConnected) {
      return &leg;
    }
  }
  return nullptr;
}

const char* ToString(TransferOutcome outcome) {
  switch (outcome) {
    case TransferOutcome::kDone:
      return "done";
    case TransferOutcome::kFailed:
      return "failed";
    case TransferOutcome::kPending:
      break;
  }
  return "pending";
}

TransferOutcome OutcomeOfResult(int result) {
  if (result == 0) {
    return TransferOutcome::kPending;
  }
  return result == 1000 || result == 1001 ? TransferOutcome::kDone : TransferOutcome::kFailed;
}

std::string ResultMeaning(int code, const std::string& lang) {
  const bool en = lang == "en";
  auto say = [en](const char* ru, const char* english) { return std::string(en ? english : ru); };
  if (code == 1000 || code == 1001) {
    return say("Звонок переведён", "The call was transferred");
  }
  if (code >= 2000 && code < 3000) {
    return say("АТС отказала по балансу или тарифу (ограничение биллинга)",
               "The PBX refused: a billing restriction (balance or tariff)");
  }
  if (code >= 3200 && code < 3300) {
    return say("Неверный номер: у менеджера нет такого внутреннего номера в АТС",
               "Wrong number: the PBX has no such extension for the manager");
  }
  if (code == 3310) {
    return say("АТС не нашла этот звонок", "The PBX did not find this call");
  }
  if (code >= 3000 && code < 4000) {
    return say("АТС отклонила запрос как неверный", "The PBX refused the request as malformed");
  }
  if (code == 4001 || code == 4000) {
    return say("АТС не умеет выполнить такой перевод", "The PBX cannot carry out this transfer");
  }
  if (code == 4100) {
    return say("Перевод невозможен для этого звонка сейчас",
               "The transfer is not possible for this call now");
  }
  if (code == 4101) {
    return say("Звонок уже завершён", "The call has already ended");
  }
  if (code == 4200) {
    return say("Менеджер сейчас недоступен", "The manager cannot be reached now");
  }
  if (code >= 5000 && code < 6000) {
    return say("Сбой на стороне АТС, попробуйте ещё раз", "The PBX failed; try again");
  }
  return say("АТС не выполнила перевод", "The PBX did not carry out the transfer");
}

void ValidateInquiry(const Inquiry& q, const ReceptionSettings& settings) {
  if (!IsKeyText(q.request_id, kMaxRequestId)) {
    throw InvalidArgument("request_id is 1 to 64 letters, digits, '-' or '_'", "request_id");
  }
  if (Blank(q.topic)) {
    throw InvalidArgument("the topic is required", "topic");
  }
  MaxLength(q.topic, 255, "topic");
  MaxLength(q.todo, 4000, "todo");
  MaxLength(q.name, 100, "name");
  MaxLength(q.company, 255, "company");
  MaxLength(q.email, 254, "email");
  MaxLength(q.phone, 32, "phone");
  if (!q.email.empty() && !LooksLikeEmail(q.email)) {
    throw InvalidArgument("'" + q.email + "' is not an e-mail address", "email");
  }
  if (!IsDecimalId(q.manager_user_id)) {
    throw InvalidArgument("choose the manager the inquiry goes to", "user_id");
  }
  if (!q.service_type_id.empty()) {
    const bool known = std::any_of(settings.service_types.begin(), settings.service_types.end(),
                                   [&](const ServiceType& t) { return t.id == q.service_type_id; });
    if (!known) {
      throw InvalidArgument("'" + q.service_type_id + "' is not one of the service types",
                            "service_type");
    }
  }
}

}  // namespace opdesk::reception
