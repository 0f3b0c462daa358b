#include "connector/domain/new_client.h"

#include <cctype>
#include <cstdio>

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

NewClientPlan PlanNewClient(const calls::Call& call, calls::ClientAction action,
                            const IntegrationSettings& s, const TimeZone& zone) {
  NewClientPlan p;
  p.action = action;
  const bool outgoing = call.direction == calls::Direction::kOutgoing;
  p.name = NewClientName(call.started_at, outgoing, zone);
  p.phone = ClientPhone(call.client_number);
  auto source = s.crm_source_by_line.find(call.line_number);
  p.source_id = source != s.crm_source_by_line.end() ? source->second : kDefaultCrmSource;
  if (!call.line_number.empty()) {
    p.source_description = "MANGO OFFICE, линия " + call.line_number;
  }
  p.deal_category_id = s.deal_category_id.empty() ? "0" : s.deal_category_id;
  p.deal_stage_id = s.deal_stage_id;
  return p;
}

}  // namespace opdesk
