// The reception wizard's rules (FEATURES G1–G4, seed 003): what the settings say (service types,
// the departments serving each and their managers, where an inquiry goes, how a call is handed
// over), how the managers of a service type are ordered for the operator (free and at work
// first, busiest last), what a line is doing from the stored calls, what Mango's transfer result
// codes mean in words, and what an inquiry must hold. Pure values and functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "connector/domain/call_tracker.h"

namespace opdesk::reception {

inline constexpr std::size_t kMaxServiceTypes = 100;
inline constexpr std::size_t kMaxDepartments = 500;
inline constexpr std::size_t kMaxManagersPerDepartment = 200;

struct ServiceType {
  std::string id;  // chosen by the page; letters, digits, '-', '_' (1–64)
  std::string name;
  bool operator==(const ServiceType&) const = default;
};

// A portal department as the settings keep it: the service types it serves and its managers,
// every user of the department (`all_users`) or the chosen ones.
struct DepartmentSetup {
  std::string department_id;
  std::vector<std::string> service_type_ids;
  bool all_users = true;
  std::vector<std::string> manager_ids;  // used when !all_users
  bool operator==(const DepartmentSetup&) const = default;
};

enum class InquiryTarget { kLead, kDeal };
enum class TransferMethod { kBlind, kHold };  // "hold": consultative

struct ReceptionSettings {
  std::vector<ServiceType> service_types;
  std::vector<DepartmentSetup> departments;
  InquiryTarget inquiry_target = InquiryTarget::kLead;
  TransferMethod transfer_method = TransferMethod::kBlind;
  long long version = 0;  // 0: never saved
};

const char* ToString(InquiryTarget target);   // "lead", "deal"
const char* ToString(TransferMethod method);  // "blind", "hold"
std::optional<InquiryTarget> InquiryTargetFrom(const std::string& text);
std::optional<TransferMethod> TransferMethodFrom(const std::string& text);

// Throws InvalidArgument naming the field ("service_types[1].name", "departments[0].manager_ids")
// for empty or duplicate ids and names, a department serving an unknown type, a chosen list that
// is empty, and lists over their limits.
void Validate(const ReceptionSettings& settings);

// The departments that serve `service_type_id`, in the settings' order.
std::vector<const DepartmentSetup*> DepartmentsServing(const ReceptionSettings& settings,
                                                       const std::string& service_type_id);

// ---- managers (G2) ----

// The working day as the CRM's time tracking says (Bitrix24 timeman.status); unknown where the
// portal keeps none or would not tell.
enum class WorkDay { kUnknown, kOpened, kPaused, kClosed, kExpired };
const char* ToString(WorkDay day);  // "unknown", "opened", "paused", "closed", "expired"
WorkDay WorkDayFrom(const std::string& crm_status);  // "OPENED" → kOpened; others → kUnknown

// What the manager's phone line is doing, from opdesk's own calls.
enum class LineState { kFree, kRinging, kTalking };
const char* ToString(LineState state);  // "free", "ringing", "talking"

struct Manager {
  std::string user_id;
  std::string name;
  std::string extension;  // "" none known: a transfer to them is refused
  WorkDay work_day = WorkDay::kUnknown;
  std::optional<bool> online;  // none: unknown
  LineState line = LineState::kFree;
};

// How available a manager is, lower first: a free line before a ringing one before a talking
// one; among free lines an open working day (or an unknown one) before a paused day before a
// closed one, and online before offline. Talking managers come last whatever their day says.
int Availability(const Manager& manager);

// Sorts by Availability, then by name, then by user id (a stable order across refreshes).
void OrderManagers(std::vector<Manager>& managers);

// Extension → what its line is doing, from the calls not yet finished: a leg connected or on
// hold and not ended is talking; a leg that appeared and neither connected nor ended is ringing.
std::map<std::string, LineState> LineStates(const std::vector<calls::Call>& open_calls);

// ---- transfer (G3) ----

// The operator's live leg of a call: connected now, not ended, and on `extension`; nullptr when
// the operator is not on the call now.
const calls::Leg* OperatorLeg(const calls::Call& call, const std::string& extension);

enum class TransferOutcome { kPending, kDone, kFailed };
const char* ToString(TransferOutcome outcome);  // "pending", "done", "failed"
// 0: no result yet; 1000 (and 1001): done; anything else failed.
TransferOutcome OutcomeOfResult(int result);
// Mango's result code in words (reference mango.md §3.3, §3.10), in "ru" or "en".
std::string ResultMeaning(int code, const std::string& lang);

// ---- inquiry (G4) ----

inline constexpr std::size_t kMaxRequestId = 64;

struct Inquiry {
  std::string request_id;  // the page's key: the same id creates one record
  std::string topic;
  std::string todo;
  std::string name;
  std::string company;
  std::string email;
  std::string phone;
  std::string manager_user_id;
  std::string service_type_id;
};

// Throws InvalidArgument naming the field: request_id (1–64 of letters, digits, '-', '_'),
// topic (required), user_id (the manager: a decimal id), email (when given, one '@' with text on
// both sides and a dot in the domain), service_type (one of the settings' types), lengths.
void ValidateInquiry(const Inquiry& inquiry, const ReceptionSettings& settings);

}  // namespace opdesk::reception
