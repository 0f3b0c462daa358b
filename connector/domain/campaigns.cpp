#include "connector/domain/campaigns.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "connector/domain/error.h"
#include "connector/domain/new_client.h"
#include "connector/domain/text.h"

namespace opdesk::campaigns {
namespace {

bool IsDecimalId(const std::string& s) {
  return !s.empty() && s.size() <= 32 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Error LockedElsewhere() {
  return Conflict("the contact is in work with another operator", "contact");
}

bool MayTouch(const ContactState& c, const Actor& actor) {
  return actor.manager || c.operator_id == actor.user_id;
}

}  // namespace

const char* ToString(TaskState state) {
  switch (state) {
    case TaskState::kDraft:
      return "draft";
    case TaskState::kRunning:
      return "running";
    case TaskState::kPaused:
      return "paused";
  }
  return "draft";
}

std::optional<TaskState> TaskStateFrom(const std::string& text) {
  for (TaskState s : {TaskState::kDraft, TaskState::kRunning, TaskState::kPaused}) {
    if (text == ToString(s)) {
      return s;
    }
  }
  return std::nullopt;
}

void ValidateTask(const Task& task) {
  CheckText(task.name, kMaxNameLength, true, "name");
  CheckText(task.description, kMaxDescriptionLength, false, "description");
  if (task.employee_ids.size() > kMaxEmployees) {
    throw InvalidArgument("a task has at most 500 employees", "employee_ids");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < task.employee_ids.size(); ++i) {
    const std::string field = "employee_ids[" + std::to_string(i) + "]";
    if (!IsDecimalId(task.employee_ids[i])) {
      throw InvalidArgument("an employee is a portal user id", field);
    }
    if (!seen.insert(task.employee_ids[i]).second) {
      throw InvalidArgument("employee " + task.employee_ids[i] + " is listed twice", field);
    }
  }
  if (task.retry.max_attempts < 1 || task.retry.max_attempts > kMaxAttemptsLimit) {
    throw InvalidArgument("max_attempts is 1 to 20", "retry.max_attempts");
  }
  if (task.retry.spacing_minutes < 1 || task.retry.spacing_minutes > kMaxSpacingMinutes) {
    throw InvalidArgument("spacing_minutes is 1 to 10080 (a week)", "retry.spacing_minutes");
  }
  if (task.script_id < 0) {
    throw InvalidArgument("script_id is a script's id", "script_id");
  }
}

void CheckStartable(const Task& task, long long published_version) {
  if (task.script_id == 0) {
    throw InvalidArgument("choose the task's script before starting it", "script_id");
  }
  if (published_version <= 0) {
    throw InvalidArgument("the task's script has no published version; publish it first",
                          "script_id");
  }
  if (task.employee_ids.empty()) {
    throw InvalidArgument("add at least one employee before starting the task", "employee_ids");
  }
}

bool IsEmployee(const Task& task, const std::string& user_id) {
  return std::find(task.employee_ids.begin(), task.employee_ids.end(), user_id) !=
         task.employee_ids.end();
}

const char* ToString(ContactSource source) {
  switch (source) {
    case ContactSource::kNumber:
      return "number";
    case ContactSource::kCrmContact:
      return "crm_contact";
    case ContactSource::kCrmFilter:
      return "crm_filter";
  }
  return "number";
}

std::optional<ContactSource> ContactSourceFrom(const std::string& text) {
  for (ContactSource s :
       {ContactSource::kNumber, ContactSource::kCrmContact, ContactSource::kCrmFilter}) {
    if (text == ToString(s)) {
      return s;
    }
  }
  return std::nullopt;
}

const char* ToString(ContactStatus status) {
  switch (status) {
    case ContactStatus::kNew:
      return "new";
    case ContactStatus::kInWork:
      return "in_work";
    case ContactStatus::kDone:
      return "done";
  }
  return "new";
}

std::optional<ContactStatus> ContactStatusFrom(const std::string& text) {
  for (ContactStatus s : {ContactStatus::kNew, ContactStatus::kInWork, ContactStatus::kDone}) {
    if (text == ToString(s)) {
      return s;
    }
  }
  return std::nullopt;
}

const char* RussianName(ContactStatus status) {
  switch (status) {
    case ContactStatus::kNew:
      return "Новый";
    case ContactStatus::kInWork:
      return "В работе";
    case ContactStatus::kDone:
      return "Завершён";
  }
  return "";
}

const char* ToString(CallResult result) {
  switch (result) {
    case CallResult::kNone:
      return "";
    case CallResult::kTalked:
      return "talked";
    case CallResult::kNoAnswer:
      return "no_answer";
    case CallResult::kCallBack:
      return "call_back";
    case CallResult::kRefused:
      return "refused";
    case CallResult::kWrongNumber:
      return "wrong_number";
  }
  return "";
}

std::optional<CallResult> CallResultFrom(const std::string& text) {
  for (CallResult r : {CallResult::kNone, CallResult::kTalked, CallResult::kNoAnswer,
                       CallResult::kCallBack, CallResult::kRefused, CallResult::kWrongNumber}) {
    if (text == ToString(r)) {
      return r;
    }
  }
  return std::nullopt;
}

const char* RussianName(CallResult result) {
  switch (result) {
    case CallResult::kNone:
      return "";
    case CallResult::kTalked:
      return "Поговорили";
    case CallResult::kNoAnswer:
      return "Не дозвонились";
    case CallResult::kCallBack:
      return "Перезвонить";
    case CallResult::kRefused:
      return "Отказ";
    case CallResult::kWrongNumber:
      return "Неверный номер";
  }
  return "";
}

ContactState Open(const ContactState& contact, const std::string& operator_id, EpochMs now) {
  if (operator_id.empty()) {
    throw InvalidArgument("an operator opens a contact", "operator_id");
  }
  ContactState next = contact;
  switch (contact.status) {
    case ContactStatus::kDone:
      throw Conflict("the contact is finished", "contact");
    case ContactStatus::kInWork:
      if (contact.operator_id != operator_id) {
        throw LockedElsewhere();
      }
      break;  // their own: a callback, a reminder, or the one they have open
    case ContactStatus::kNew:
      if (contact.due_at_ms > now) {
        throw Conflict("the contact is waiting for its next attempt", "contact");
      }
      next.status = ContactStatus::kInWork;
      next.operator_id = operator_id;
      next.due_at_ms = 0;
      break;
  }
  next.opened = true;
  return next;
}

ContactState ApplyResult(const ContactState& contact, const Actor& actor, const ResultInput& input,
                         const RetryRule& retry, EpochMs now) {
  if (contact.status != ContactStatus::kInWork) {
    throw Conflict(contact.status == ContactStatus::kDone
                       ? "the contact is finished"
                       : "open the contact before setting its result",
                   "contact");
  }
  if (contact.operator_id != actor.user_id) {
    throw LockedElsewhere();
  }
  const bool takes_time =
      input.result == CallResult::kTalked || input.result == CallResult::kCallBack;
  if (input.result == CallResult::kNone) {
    throw InvalidArgument("choose the call's result", "result");
  }
  if (input.at && !takes_time) {
    throw InvalidArgument(std::string("«") + RussianName(input.result) + "» takes no time", "at");
  }
  if (input.result == CallResult::kCallBack && !input.at) {
    throw InvalidArgument("«Перезвонить» needs the time to call back", "at");
  }
  if (input.at && *input.at <= now) {
    throw InvalidArgument("the time must be in the future", "at");
  }
  if (input.at && *input.at - now > kMaxScheduleAheadMs) {
    throw InvalidArgument("the time is more than a year ahead", "at");
  }
  ContactState next = contact;
  next.result = input.result;
  next.opened = false;
  switch (input.result) {
    case CallResult::kNone:
      break;
    case CallResult::kTalked:
    case CallResult::kCallBack:
      next.due_at_ms = input.at.value_or(0);
      break;
    case CallResult::kNoAnswer:
      next.attempts = contact.attempts + 1;
      if (next.attempts >= retry.max_attempts) {
        next.status = ContactStatus::kDone;
        next.due_at_ms = 0;
      } else {
        next.status = ContactStatus::kNew;
        next.operator_id.clear();
        next.due_at_ms = now + static_cast<EpochMs>(retry.spacing_minutes) * 60'000;
      }
      break;
    case CallResult::kRefused:
    case CallResult::kWrongNumber:
      next.status = ContactStatus::kDone;
      next.due_at_ms = 0;
      break;
  }
  return next;
}

ContactState Release(const ContactState& contact, const Actor& actor) {
  if (contact.status == ContactStatus::kDone) {
    throw Conflict("the contact is finished", "contact");
  }
  if (contact.status == ContactStatus::kNew) {
    return contact;
  }
  if (!MayTouch(contact, actor)) {
    throw LockedElsewhere();
  }
  ContactState next = contact;
  next.status = ContactStatus::kNew;
  next.operator_id.clear();
  next.due_at_ms = 0;
  next.opened = false;
  return next;
}

ContactState Finish(const ContactState& contact, const Actor& actor) {
  if (contact.status == ContactStatus::kDone) {
    return contact;
  }
  if (contact.status == ContactStatus::kInWork && !MayTouch(contact, actor)) {
    throw LockedElsewhere();
  }
  if (contact.status == ContactStatus::kNew && !actor.manager) {
    throw Conflict("open the contact before finishing it", "contact");
  }
  ContactState next = contact;
  next.status = ContactStatus::kDone;
  next.due_at_ms = 0;
  next.opened = false;
  if (next.operator_id.empty()) {
    next.operator_id = actor.user_id;
  }
  return next;
}

std::optional<int> ClaimRank(const ContactState& c, const std::string& operator_id, EpochMs now) {
  if (c.status == ContactStatus::kInWork && c.operator_id == operator_id) {
    if (c.opened) {
      return 0;
    }
    if (c.due_at_ms > 0 && c.due_at_ms <= now) {
      return 1;
    }
    return std::nullopt;
  }
  if (c.status == ContactStatus::kNew && c.due_at_ms <= now) {
    return c.attempts == 0 ? 2 : 3;
  }
  return std::nullopt;
}

std::optional<std::string> NormaliseNumber(std::string_view text) {
  const std::string_view t = TrimSpaces(text);
  if (t.empty()) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    const bool allowed = (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '(' || c == ')' ||
                         c == '.' || (c == '+' && i == 0);
    if (!allowed) {
      return std::nullopt;
    }
  }
  std::string plus = ClientPhone(std::string(t));
  if (plus.empty()) {
    return std::nullopt;
  }
  std::string digits = plus.substr(1);
  const bool had_plus = t.front() == '+';
  if (!had_plus && digits.size() == 11 && digits[0] == '8') {
    digits[0] = '7';  // 8 900 123-45-67: the Russian trunk prefix
  } else if (!had_plus && digits.size() == 10 && digits[0] == '9') {
    digits = "7" + digits;  // 900 123-45-67: a Russian mobile without its country code
  }
  if (digits.size() < 11 || digits.size() > 15) {
    return std::nullopt;
  }
  return "+" + digits;
}

std::string ResultComment(const std::string& task_name, const ContactState& after,
                          const std::string& comment, const TimeZone& zone) {
  std::string text = "Обзвон «" + task_name + "»: " + RussianName(after.result);
  const bool scheduled =
      after.result == CallResult::kTalked || after.result == CallResult::kCallBack;
  if (scheduled && after.due_at_ms > 0) {
    const LocalTime t = zone.ToLocal(after.due_at_ms);
    char when[32];
    std::snprintf(when, sizeof when, "%02d.%02d.%04d %02d:%02d", t.day, t.month, t.year, t.hour,
                  t.minute);
    text += after.result == CallResult::kTalked ? ", следующий звонок " : " ";
    text += when;
  } else if (after.result == CallResult::kTalked) {
    text += ", не напоминать";
  } else if (after.result == CallResult::kNoAnswer) {
    text += " (попытка " + std::to_string(after.attempts) + ")";
  }
  text += ".";
  if (!TrimSpaces(comment).empty()) {
    text += " " + std::string(TrimSpaces(comment));
  }
  return text;
}

std::string ReminderText(const std::string& task_name, const std::string& phone,
                         const std::string& name, CallResult result, EpochMs due_at_ms,
                         const TimeZone& zone, const std::string& link) {
  const LocalTime t = zone.ToLocal(due_at_ms);
  char when[32];
  std::snprintf(when, sizeof when, "%02d.%02d.%04d %02d:%02d", t.day, t.month, t.year, t.hour,
                t.minute);
  std::string who = phone.empty() ? name : phone;
  if (!phone.empty() && !name.empty()) {
    who += " (" + name + ")";
  }
  std::string text =
      result == CallResult::kTalked ? "Напоминание о звонке: " : "Пора перезвонить: ";
  text += who + " — обзвон «" + task_name + "», " + when + ".";
  if (!link.empty()) {
    text += " [URL=" + link + "]Открыть обзвон[/URL]";
  }
  return text;
}

namespace {

// Splits one line into fields: separators ',', ';' and tab outside quotes; "" inside quotes is a
// quote. False for an unbalanced quote.
bool SplitLine(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string cur;
  bool quoted = false;
  bool was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur.push_back(c);
      }
      continue;
    }
    if (c == '"' && TrimSpaces(cur).empty() && !was_quoted) {
      cur.clear();
      quoted = true;
      was_quoted = true;
    } else if (c == ',' || c == ';' || c == '\t') {
      fields.emplace_back(TrimSpaces(cur));
      cur.clear();
      was_quoted = false;
    } else if (c == '"') {
      return false;
    } else {
      cur.push_back(c);
    }
  }
  if (quoted) {
    return false;
  }
  fields.emplace_back(was_quoted ? cur : std::string(TrimSpaces(cur)));
  // Trailing empty fields ("+7900…;;") are a spreadsheet's habit, not columns.
  while (fields.size() > 1 && fields.back().empty()) {
    fields.pop_back();
  }
  return true;
}

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

ImportReport ParseImport(std::string_view text, const std::set<std::string>& existing) {
  if (text.size() > kMaxImportBytes) {
    throw InvalidArgument("the list is over 2 MiB; split it", "body");
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  if (!IsValidUtf8(text)) {
    throw InvalidArgument("the list is not UTF-8 text; save the file as UTF-8", "body");
  }
  ImportReport report;
  auto fail = [&](int line, const char* reason, std::string_view raw) {
    ++report.error_count;
    if (report.errors.size() < kMaxReportedErrors) {
      report.errors.push_back({line, reason, Utf8Prefix(raw, 100)});
    }
  };
  std::set<std::string> in_file;
  std::vector<std::string> fields;
  std::size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (static_cast<std::size_t>(line_no) > kMaxImportLines) {
      throw InvalidArgument("the list has more than 20000 lines; split it", "body");
    }
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    report.lines = static_cast<std::size_t>(line_no);
    if (TrimSpaces(line).empty()) {
      fail(line_no, "empty", line);
      continue;
    }
    if (line.size() > kMaxImportLineLength) {
      fail(line_no, "too_long", line);
      continue;
    }
    if (!SplitLine(line, fields)) {
      fail(line_no, "bad_quotes", line);
      continue;
    }
    if (line_no == 1 && !HasDigit(fields[0])) {
      report.header_skipped = true;
      continue;
    }
    if (fields.size() > 2) {
      fail(line_no, "too_many_columns", line);
      continue;
    }
    const std::optional<std::string> phone = NormaliseNumber(fields[0]);
    if (!phone) {
      fail(line_no, "bad_number", line);
      continue;
    }
    std::string name = fields.size() > 1 ? fields[1] : std::string();
    if (Utf8Length(name) > kMaxContactNameLength) {
      fail(line_no, "too_long", line);
      continue;
    }
    if (existing.count(*phone) != 0) {
      fail(line_no, "duplicate_in_task", line);
      continue;
    }
    if (!in_file.insert(*phone).second) {
      fail(line_no, "duplicate_in_file", line);
      continue;
    }
    report.accepted.push_back({line_no, *phone, std::move(name)});
  }
  return report;
}

std::string CsvCell(std::string_view text) {
  std::string cell(text);
  const bool formula =
      !cell.empty() &&
      (cell[0] == '=' || cell[0] == '@' ||
       ((cell[0] == '+' || cell[0] == '-') &&
        !std::all_of(cell.begin() + 1, cell.end(), [](char c) { return c >= '0' && c <= '9'; })));
  if (formula) {
    cell.insert(cell.begin(), '\'');
  }
  if (cell.find_first_of(",;\"\r\n\t") == std::string::npos) {
    return cell;
  }
  std::string quoted = "\"";
  for (char c : cell) {
    quoted.push_back(c);
    if (c == '"') {
      quoted.push_back('"');
    }
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace opdesk::campaigns
