// Dialing tasks (FEATURES F3–F5, F8; seeds 000 and 001): a task is a list of contacts that the
// task's employees call one by one with a script. Its rules as pure values and functions: what a
// task must hold, the contact's states (Новый / В работе / Завершён) and the moves between them
// (opening locks the contact to the operator; a result schedules a retry or a callback or
// finishes it), which contact an operator gets next, and the parser of a pasted or uploaded list
// of numbers with its per-line report.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "connector/domain/clock.h"
#include "connector/domain/time_zone.h"

namespace opdesk::campaigns {

inline constexpr std::size_t kMaxNameLength = 200;
inline constexpr std::size_t kMaxDescriptionLength = 4000;
inline constexpr std::size_t kMaxEmployees = 500;
inline constexpr int kMaxAttemptsLimit = 20;
inline constexpr int kMaxSpacingMinutes = 7 * 24 * 60;
inline constexpr std::size_t kMaxContactsPerTask = 100'000;
inline constexpr std::size_t kMaxContactNameLength = 200;
inline constexpr std::size_t kMaxCommentLength = 4000;
// A callback or next call further ahead than this is a typo, not a plan.
inline constexpr EpochMs kMaxScheduleAheadMs = 366LL * 24 * 3600 * 1000;

// ---- the task (F3) ----

enum class TaskState { kDraft, kRunning, kPaused };
const char* ToString(TaskState state);  // "draft", "running", "paused"
std::optional<TaskState> TaskStateFrom(const std::string& text);

// No-answer retries: a contact nobody answered goes back to the common pool `spacing_minutes`
// later, until `max_attempts` unanswered calls finish it.
struct RetryRule {
  int max_attempts = 3;      // 1–kMaxAttemptsLimit
  int spacing_minutes = 60;  // 1–kMaxSpacingMinutes
  bool operator==(const RetryRule&) const = default;
};

struct Task {
  long long id = 0;
  std::string name;
  std::string description;
  long long script_id = 0;       // 0: none chosen yet
  long long script_version = 0;  // the published version pinned when the task started; 0 before
  std::vector<std::string> employee_ids;  // portal user ids, decimal
  RetryRule retry;
  TaskState state = TaskState::kDraft;
  long long version = 0;
  EpochMs created_at_ms = 0;
  EpochMs updated_at_ms = 0;
};

// Throws InvalidArgument naming the field: name (1–200, not blank), description (≤ 4000),
// employee_ids (decimal ids, no repeats, ≤ 500; "employee_ids[2]" for one entry),
// retry.max_attempts, retry.spacing_minutes.
void ValidateTask(const Task& task);

// What starting needs beyond ValidateTask: a script with a published version and at least one
// employee. Throws InvalidArgument naming script_id / employee_ids.
void CheckStartable(const Task& task, long long published_version);

bool IsEmployee(const Task& task, const std::string& user_id);

// ---- contacts (F3, F4, F5) ----

// Where a contact came from: a number typed or imported, a chosen CRM contact (its numbers read
// at call time), or a CRM filter (evaluated at call time).
enum class ContactSource { kNumber, kCrmContact, kCrmFilter };
const char* ToString(ContactSource source);  // "number", "crm_contact", "crm_filter"
std::optional<ContactSource> ContactSourceFrom(const std::string& text);

enum class ContactStatus { kNew, kInWork, kDone };
const char* ToString(ContactStatus status);  // "new", "in_work", "done"
std::optional<ContactStatus> ContactStatusFrom(const std::string& text);
const char* RussianName(ContactStatus status);  // «Новый», «В работе», «Завершён»

enum class CallResult { kNone, kTalked, kNoAnswer, kCallBack, kRefused, kWrongNumber };
// "", "talked", "no_answer", "call_back", "refused", "wrong_number"
const char* ToString(CallResult result);
std::optional<CallResult> CallResultFrom(const std::string& text);
// «Поговорили», «Не дозвонились», «Перезвонить», «Отказ», «Неверный номер»; "" for kNone.
const char* RussianName(CallResult result);

// The part of a contact the moves read and write.
struct ContactState {
  ContactStatus status = ContactStatus::kNew;
  CallResult result = CallResult::kNone;
  int attempts = 0;         // unanswered calls so far
  std::string operator_id;  // the operator it is locked to ("" none); kept when done: who did it
  // When it is offered again: a new or retried contact to anyone from then; a contact in work to
  // its operator from then (a callback or the next call); 0 with kInWork: never by itself.
  EpochMs due_at_ms = 0;
  bool opened = false;  // the operator has it open now, its result not yet set
  bool operator==(const ContactState&) const = default;
};

// Who asks to move a contact: its operator, or a manager (who may release or finish any).
struct Actor {
  std::string user_id;
  bool manager = false;
};

// Opening («Приступить к работе» handing it out, or a click in the list): a new contact that is
// due, or the operator's own contact in work, becomes «В работе», locked to the operator, open.
// Conflict (field "contact") when it is locked to someone else, finished, or not yet due.
ContactState Open(const ContactState& contact, const std::string& operator_id, EpochMs now);

struct ResultInput {
  CallResult result = CallResult::kNone;
  std::optional<EpochMs> at{};  // Перезвонить: required; Поговорили: the next call, none = «не
                                // напоминать»; refused for the others
};

// Setting the result of a call: the contact must be in work and locked to `actor` (Conflict,
// field "contact", otherwise). Throws InvalidArgument naming "result" (none) or "at" (missing,
// not in the future, too far ahead, or given where the result takes none).
//   Поговорили with a time → stays in work with its operator, due then (a reminder);
//   Поговорили «не напоминать» → stays in work with its operator, never offered by itself
//     (the operator or a manager finishes it);
//   Не дозвонились → one more attempt; with attempts left back to «Новый» for anyone after the
//     task's spacing, otherwise «Завершён»;
//   Перезвонить → stays in work with its operator, due at that time (a callback);
//   Отказ, Неверный номер → «Завершён».
ContactState ApplyResult(const ContactState& contact, const Actor& actor, const ResultInput& input,
                         const RetryRule& retry, EpochMs now);

// «Новый» by hand (the seed's left half of the status bar): back to the common pool at once.
// The contact's operator or a manager; Conflict when it is done or locked to someone else.
ContactState Release(const ContactState& contact, const Actor& actor);
// «Завершён» by hand: its operator or a manager; a done contact stays as it is.
ContactState Finish(const ContactState& contact, const Actor& actor);

// Which contact an operator is given next (the claim's order, which the storage mirrors):
// 0 their own open contact (they resume it), 1 their callbacks and reminders that are due
// (earliest first), 2 new contacts never called (in the list's order), 3 retries whose spacing
// has passed (earliest first); nullopt: not for this operator now.
std::optional<int> ClaimRank(const ContactState& contact, const std::string& operator_id,
                             EpochMs now);

// The comment a result leaves in the CRM client's timeline (F6): «Обзвон «Весна»: Перезвонить
// 06.03.2025 10:00. <the operator's comment>» — the time in `zone`; «не напоминать» for a talk
// without a next call.
std::string ResultComment(const std::string& task_name, const ContactState& after,
                          const std::string& comment, const TimeZone& zone);

// The Bitrix24 notification of a callback or next call whose time has come (F5): «Пора
// перезвонить: +79001234567 (Иван) — обзвон «Весна», 06.03.2025 10:00.» — «Напоминание о
// звонке» for a talk's next call; with `link` (the app's page in the portal) a BB-code link
// «Открыть обзвон» after it.
std::string ReminderText(const std::string& task_name, const std::string& phone,
                         const std::string& name, CallResult result, EpochMs due_at_ms,
                         const TimeZone& zone, const std::string& link);

// ---- numbers and the import (F3) ----

// A number as dialed and compared: "+" and digits via the call pipeline's ClientPhone, with the
// Russian national forms written as +7 (8 900 …, 900 … with 10 digits). nullopt for text that
// is not a phone number: letters, fewer than 10 or more than 15 digits, misplaced '+'.
std::optional<std::string> NormaliseNumber(std::string_view text);

inline constexpr std::size_t kMaxImportBytes = 2 * 1024 * 1024;
inline constexpr std::size_t kMaxImportLines = 20'000;
inline constexpr std::size_t kMaxImportLineLength = 1024;
inline constexpr std::size_t kMaxReportedErrors = 1000;

struct ImportRow {
  int line = 0;       // 1-based line of the text
  std::string phone;  // normalised
  std::string name;   // optional second column
};

struct ImportLineError {
  int line = 0;
  std::string reason;  // "empty", "bad_number", "too_many_columns", "duplicate_in_file",
                       // "duplicate_in_task", "too_long", "bad_quotes"
  std::string text;    // the line as given, cut to 100 characters
};

struct ImportReport {
  std::vector<ImportRow> accepted;
  std::vector<ImportLineError> errors;  // at most kMaxReportedErrors
  std::size_t error_count = 0;          // all of them
  std::size_t lines = 0;                // lines read, a header included
  bool header_skipped = false;
};

// Parses a pasted list or a CSV file: one contact per line, the number and optionally a name,
// separated by ',', ';' or a tab (quoted fields with "" inside are CSV's); a first line without
// digits is a header and skipped; a UTF-8 BOM and CR line ends are accepted; a last empty line
// is not an error. Numbers already in the task (`existing`, normalised) are reported, not
// accepted. Throws InvalidArgument (field "body") when the text is over kMaxImportBytes or
// kMaxImportLines, or not UTF-8.
ImportReport ParseImport(std::string_view text, const std::set<std::string>& existing);

// Text for a CSV cell: quoted when it holds a separator, a quote or a line break; a leading = or
// @, or + or - not followed by digits only, is prefixed with ' so a spreadsheet does not run it
// as a formula (a number such as +79001234567 stays as it is).
std::string CsvCell(std::string_view text);

}  // namespace opdesk::campaigns
