// What follows a dialing task's call (FEATURES F6, F7; seed 001 «Отправлять письмо», «Загрузить
// запись звонка», «Сохранить и создать счёт»): e-mail templates with variables, the checks of an
// e-mail address, of an uploaded call recording (its type read from its content) and of the
// lines of an invoice (quantities and adjusted prices). Pure values and functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opdesk::campaigns {

// ---- e-mail templates ----

inline constexpr std::size_t kMaxTemplateNameLength = 100;
inline constexpr std::size_t kMaxSubjectLength = 255;
inline constexpr std::size_t kMaxEmailBodyLength = 20'000;
inline constexpr std::size_t kMaxTemplates = 200;

// The variables a template may use, written {{NAME}} in its subject or body:
//   CONTACT.NAME   the contact's name in the task (or the CRM's)
//   CONTACT.PHONE  the number called
//   TASK.NAME      the dialing task's name
//   OPERATOR.NAME  the operator's name in the portal
//   CALLBACK.AT    the agreed callback or next call time («06.12.2026 15:30»; "" none)
const std::vector<std::string>& EmailTemplateVariables();

struct EmailTemplate {
  long long id = 0;
  std::string name;
  std::string subject;
  std::string body;
  long long version = 0;
};

// Every {{…}} in `text` must be one of EmailTemplateVariables (spaces inside the braces are
// allowed); throws InvalidArgument naming `field` and the variable ("unknown variable
// {{DEAL.SUM}}") or an unclosed "{{".
void CheckTemplateText(std::string_view text, const std::string& field);
// name 1–100, subject 1–255, body 1–20000 (not blank), their variables known.
void ValidateEmailTemplate(const EmailTemplate& t);

using TemplateValues = std::map<std::string, std::string>;
// The text with each known {{VARIABLE}} replaced by its value ("" when `values` has none).
std::string RenderTemplate(std::string_view text, const TemplateValues& values);

// ---- e-mail addresses ----

// local@domain.tld: one '@', a non-empty local part without spaces or quotes, a domain of
// dot-separated labels (letters, digits, '-') with at least one dot; ≤ 254 bytes.
bool IsValidEmail(std::string_view address);
// Trimmed `address`, or InvalidArgument naming `field`.
std::string CheckedEmail(std::string_view address, const std::string& field);

// ---- call recordings ----

inline constexpr std::size_t kMaxRecordingBytes = 10 * 1024 * 1024;
inline constexpr std::size_t kMaxRecordingNameLength = 200;

// The audio kind the bytes begin with: "mp3" (an ID3 tag or an MPEG audio frame sync), "wav"
// (RIFF….WAVE) or "ogg" (OggS); none for anything else.
std::optional<std::string> SniffAudio(std::string_view head);
// The kind of an upload: `filename` must end in .mp3, .wav or .ogg and the content must be that
// kind; throws InvalidArgument (field "file") for a wrong type, a name that says one thing and a
// content another, an empty file or one above kMaxRecordingBytes.
std::string CheckRecording(std::string_view filename, std::string_view content);
// The MIME type of a kind ("audio/mpeg", "audio/wav", "audio/ogg").
std::string AudioMimeType(std::string_view kind);

// ---- invoices (F7) ----

inline constexpr std::size_t kMaxInvoiceLines = 50;
inline constexpr long long kMaxQuantity = 100'000;
inline constexpr long long kMaxPriceCents = 100'000'000'000LL;  // one billion roubles

struct InvoiceLine {
  std::string product_id;  // the CRM's product id, decimal
  std::string name;        // as shown when chosen (the CRM's name)
  long long quantity = 1;
  long long price_cents = 0;  // the price per unit, possibly adjusted; non-negative
};

// "1500", "1500.5", "1500.50" → cents; throws InvalidArgument naming `field` for a negative, a
// malformed amount, more than two decimals or above kMaxPriceCents.
long long ParsePriceCents(std::string_view text, const std::string& field);
// "1500.50" from cents.
std::string FormatPrice(long long cents);
// 1–kMaxInvoiceLines lines, each with a decimal product_id (no repeats), quantity 1–kMaxQuantity,
// price within 0–kMaxPriceCents; "lines[1].price" names the field. `cancel_date` "" or a valid
// YYYY-MM-DD (field "cancel_date").
void ValidateInvoice(const std::vector<InvoiceLine>& lines, const std::string& cancel_date);

}  // namespace opdesk::campaigns
