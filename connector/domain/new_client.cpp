#include "connector/domain/new_client.h"

#include <cctype>
#include <cstdio>
#include <tuple>

namespace opdesk {

std::string NewClientName(long long epoch_s, bool outgoing, const TimeZone& zone) {
  const LocalTime t = zone.ToLocal(epoch_s * 1000);
  char when[32];
  std::snprintf(when, sizeof when, "%02d:%02d %02d.%02d.%04d", t.hour, t.minute, t.day, t.month,
                t.year);
  return std::string("Новый (") + when + (outgoing ? ", исходящий вызов)" : ", входящий вызов)");
}

std::string ClientPhone(const std::string& number) {
  if (number.rfind("sip:", 0) == 0) {
    return "";  // a SIP address is not a phone the CRM could call back
  }
  std::string digits;
  for (char c : number) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    }
  }
  return digits.empty() ? "" : "+" + digits;
}

std::string RepeatedCallDealTitle(const calls::Call& call, const TimeZone& zone) {
  const std::string name = NewClientName(call.started_at, false, zone);
  // "Новый (…)" → "Повторный звонок (…)"
  const auto paren = name.find(" (");
  return "Повторный звонок" + (paren == std::string::npos ? std::string() : name.substr(paren));
}

std::string FormatPhone(const std::string& phone, PhoneFormat format) {
  const std::string digits = phone.rfind('+', 0) == 0 ? phone.substr(1) : phone;
  if (format == PhoneFormat::kPlusDigits || digits.size() != 11 || digits[0] != '7') {
    return phone;
  }
  if (format == PhoneFormat::kNational8) {
    return "8" + digits.substr(1);
  }
  // +7 900 123-45-67
  return "+7 " + digits.substr(1, 3) + " " + digits.substr(4, 3) + "-" + digits.substr(7, 2) + "-" +
         digits.substr(9, 2);
}

std::pair<std::string, std::string> DealTarget(const calls::Call& call,
                                               const IntegrationSettings& s) {
  // Missed: the summary says nobody talked. Before the summary the call was answered (its
  // client is created right after the answer).
  const bool missed = call.direction == calls::Direction::kInbound && call.handlers.empty() &&
                      call.outcome && !call.outcome->talked;
  const std::string& category = missed ? s.missed_deal_category_id : s.deal_category_id;
  return {category.empty() ? "0" : category, missed ? s.missed_deal_stage_id : s.deal_stage_id};
}

NewClientPlan PlanNewClient(const calls::Call& call, calls::ClientAction action,
                            const IntegrationSettings& s, const TimeZone& zone) {
  NewClientPlan p;
  p.action = action;
  const bool outgoing = call.direction == calls::Direction::kOutgoing;
  p.name = NewClientName(call.started_at, outgoing, zone);
  p.phone = FormatPhone(ClientPhone(call.client_number), s.client_phone_format);
  p.source_id = kDefaultCrmSource;
  if (s.line_as_source) {
    auto source = s.crm_source_by_line.find(call.line_number);
    if (source != s.crm_source_by_line.end()) {
      p.source_id = source->second;
    }
    if (!call.line_number.empty()) {
      p.source_description = "MANGO OFFICE, линия " + call.line_number;
      p.line_field = s.line_number_field;
      p.line_number = call.line_number;
    }
  }
  std::tie(p.deal_category_id, p.deal_stage_id) = DealTarget(call, s);
  return p;
}

}  // namespace opdesk
