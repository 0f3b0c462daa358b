#include "connector/domain/after_call.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "connector/domain/error.h"
#include "connector/domain/time_zone.h"

namespace opdesk::campaigns {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

bool Blank(std::string_view s) {
  return Trim(s).empty();
}

bool Known(std::string_view name) {
  const auto& vars = EmailTemplateVariables();
  return std::find(vars.begin(), vars.end(), name) != vars.end();
}

// Calls `on_var(name, begin, end)` for each {{…}} of `text` (name trimmed); returns false at an
// unclosed "{{".
template <class F>
bool ForEachVariable(std::string_view text, F&& on_var) {
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    const std::size_t close = text.find("}}", pos + 2);
    if (close == std::string_view::npos) {
      return false;
    }
    on_var(Trim(text.substr(pos + 2, close - pos - 2)), pos, close + 2);
    pos = close + 2;
  }
  return true;
}

bool EndsWithNoCase(std::string_view s, std::string_view tail) {
  if (s.size() < tail.size()) {
    return false;
  }
  for (std::size_t i = 0; i < tail.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[s.size() - tail.size() + i])) != tail[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

const std::vector<std::string>& EmailTemplateVariables() {
  static const std::vector<std::string> kVars = {"CONTACT.NAME", "CONTACT.PHONE", "TASK.NAME",
                                                 "OPERATOR.NAME", "CALLBACK.AT"};
  return kVars;
}

void CheckTemplateText(std::string_view text, const std::string& field) {
  std::string unknown;
  const bool closed = ForEachVariable(text, [&](std::string_view name, std::size_t, std::size_t) {
    if (unknown.empty() && !Known(name)) {
      unknown = std::string(name);
    }
  });
  if (!unknown.empty()) {
    throw InvalidArgument("unknown variable {{" + unknown + "}} in " + field +
                              "; known: {{CONTACT.NAME}}, {{CONTACT.PHONE}}, {{TASK.NAME}}, "
                              "{{OPERATOR.NAME}}, {{CALLBACK.AT}}",
                          field);
  }
  if (!closed) {
    throw InvalidArgument(field + " has a '{{' without its '}}'", field);
  }
}

void ValidateEmailTemplate(const EmailTemplate& t) {
  if (Blank(t.name) || t.name.size() > kMaxTemplateNameLength) {
    throw InvalidArgument("name is 1 to 100 bytes and not blank", "name");
  }
  if (Blank(t.subject) || t.subject.size() > kMaxSubjectLength) {
    throw InvalidArgument("subject is 1 to 255 bytes and not blank", "subject");
  }
  if (t.subject.find_first_of("\r\n") != std::string::npos) {
    throw InvalidArgument("subject is one line", "subject");
  }
  if (Blank(t.body) || t.body.size() > kMaxEmailBodyLength) {
    throw InvalidArgument("body is 1 to 20000 bytes and not blank", "body");
  }
  CheckTemplateText(t.subject, "subject");
  CheckTemplateText(t.body, "body");
}

std::string RenderTemplate(std::string_view text, const TemplateValues& values) {
  std::string out;
  std::size_t done = 0;
  ForEachVariable(text, [&](std::string_view name, std::size_t begin, std::size_t end) {
    out.append(text.substr(done, begin - done));
    if (auto it = values.find(std::string(name)); it != values.end() && Known(name)) {
      out.append(it->second);
    } else if (!Known(name)) {
      out.append(text.substr(begin, end - begin));  // not ours: left as written
    }
    done = end;
  });
  out.append(text.substr(done));
  return out;
}

bool IsValidEmail(std::string_view a) {
  if (a.empty() || a.size() > 254) {
    return false;
  }
  const std::size_t at = a.find('@');
  if (at == std::string_view::npos || at == 0 || a.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = a.substr(0, at);
  const std::string_view domain = a.substr(at + 1);
  if (local.size() > 64) {
    return false;
  }
  for (char c : local) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' ||
        c == '<' || c == '>' || c == '[' || c == ']' || c == '\\' || u >= 0x7f) {
      return false;
    }
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  if (domain.find('.') == std::string_view::npos) {
    return false;
  }
  std::size_t start = 0;
  while (start <= domain.size()) {
    const std::size_t dot = std::min(domain.find('.', start), domain.size());
    const std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') {
        return false;
      }
    }
    start = dot + 1;
  }
  return true;
}

std::string CheckedEmail(std::string_view address, const std::string& field) {
  const std::string_view a = Trim(address);
  if (!IsValidEmail(a)) {
    throw InvalidArgument(field + " is not an e-mail address (name@example.ru)", field);
  }
  return std::string(a);
}

std::optional<std::string> SniffAudio(std::string_view h) {
  if (h.size() >= 3 && h.substr(0, 3) == "ID3") {
    return "mp3";
  }
  if (h.size() >= 2 && static_cast<unsigned char>(h[0]) == 0xFF &&
      (static_cast<unsigned char>(h[1]) & 0xE0) == 0xE0 &&
      (static_cast<unsigned char>(h[1]) & 0x06) != 0) {  // a frame sync with a layer
    return "mp3";
  }
  if (h.size() >= 12 && h.substr(0, 4) == "RIFF" && h.substr(8, 4) == "WAVE") {
    return "wav";
  }
  if (h.size() >= 4 && h.substr(0, 4) == "OggS") {
    return "ogg";
  }
  return std::nullopt;
}

std::string CheckRecording(std::string_view filename, std::string_view content) {
  if (filename.empty() || filename.size() > kMaxRecordingNameLength ||
      filename.find_first_of("/\\\r\n") != std::string_view::npos) {
    throw InvalidArgument("the file needs a name of 1 to 200 bytes without '/'", "file");
  }
  std::string named;
  for (const char* kind : {"mp3", "wav", "ogg"}) {
    if (EndsWithNoCase(filename, std::string(".") + kind)) {
      named = kind;
    }
  }
  if (named.empty()) {
    throw InvalidArgument("a call recording is an .mp3, .wav or .ogg file", "file");
  }
  if (content.size() > kMaxRecordingBytes) {
    throw InvalidArgument(
        "the file is larger than " + std::to_string(kMaxRecordingBytes / (1024 * 1024)) + " MB",
        "file");
  }
  if (content.empty()) {
    throw InvalidArgument("the file is empty", "file");
  }
  const std::optional<std::string> sniffed = SniffAudio(content.substr(0, 16));
  if (!sniffed) {
    throw InvalidArgument("the file is not audio (mp3, wav or ogg)", "file");
  }
  if (*sniffed != named) {
    throw InvalidArgument("the file is named ." + named + " but holds " + *sniffed + " audio",
                          "file");
  }
  return named;
}

std::string AudioMimeType(std::string_view kind) {
  if (kind == "wav") {
    return "audio/wav";
  }
  return kind == "ogg" ? "audio/ogg" : "audio/mpeg";
}

long long ParsePriceCents(std::string_view text, const std::string& field) {
  const std::string_view t = Trim(text);
  auto bad = [&]() {
    return InvalidArgument(field + " is an amount ≥ 0 with at most two decimals, e.g. 1500.50",
                           field);
  };
  if (t.empty() || t.front() == '-') {
    throw bad();
  }
  const std::size_t dot = t.find_first_of(".,");
  const std::string_view whole = t.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? "" : t.substr(dot + 1);
  if (whole.empty() || whole.size() > 10 || frac.size() > 2 ||
      (dot != std::string_view::npos && frac.empty())) {
    throw bad();
  }
  long long cents = 0;
  for (char c : whole) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      throw bad();
    }
    cents = cents * 10 + (c - '0');
  }
  cents *= 100;
  for (std::size_t i = 0; i < 2; ++i) {
    const char c = i < frac.size() ? frac[i] : '0';
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      throw bad();
    }
    cents += (c - '0') * (i == 0 ? 10 : 1);
  }
  if (cents > kMaxPriceCents) {
    throw InvalidArgument(field + " is at most 1000000000", field);
  }
  return cents;
}

std::string FormatPrice(long long cents) {
  const long long r = cents % 100;
  return std::to_string(cents / 100) + "." + (r < 10 ? "0" : "") + std::to_string(r);
}

void ValidateInvoice(const std::vector<InvoiceLine>& lines, const std::string& cancel_date) {
  if (lines.empty() || lines.size() > kMaxInvoiceLines) {
    throw InvalidArgument("an invoice has 1 to 50 products", "lines");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const InvoiceLine& l = lines[i];
    const std::string at = "lines[" + std::to_string(i) + "]";
    const bool decimal =
        !l.product_id.empty() && l.product_id.size() <= 18 &&
        std::all_of(l.product_id.begin(), l.product_id.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
        l.product_id != "0";
    if (!decimal) {
      throw InvalidArgument(at + ".product_id is a CRM product's id", at + ".product_id");
    }
    if (!seen.insert(l.product_id).second) {
      throw InvalidArgument(at + ".product_id is chosen twice; change the quantity instead",
                            at + ".product_id");
    }
    if (l.quantity < 1 || l.quantity > kMaxQuantity) {
      throw InvalidArgument(at + ".quantity is 1 to 100000", at + ".quantity");
    }
    if (l.price_cents < 0 || l.price_cents > kMaxPriceCents) {
      throw InvalidArgument(at + ".price is 0 to 1000000000", at + ".price");
    }
  }
  if (!cancel_date.empty()) {
    int y = 0;
    int m = 0;
    int d = 0;
    const bool shaped = cancel_date.size() == 10 && cancel_date[4] == '-' &&
                        cancel_date[7] == '-' &&
                        std::all_of(cancel_date.begin(), cancel_date.end(),
                                    [](char c) { return c == '-' || std::isdigit(c); });
    if (shaped) {
      y = std::stoi(cancel_date.substr(0, 4));
      m = std::stoi(cancel_date.substr(5, 2));
      d = std::stoi(cancel_date.substr(8, 2));
    }
    if (!shaped || !IsValidDate(y, m, d)) {
      throw InvalidArgument("cancel_date is a date YYYY-MM-DD or empty", "cancel_date");
    }
  }
}

}  // namespace opdesk::campaigns
