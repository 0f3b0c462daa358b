// The end of a call: the recording events and the summary (reference §2.4, §2.5), computed from
// what the steps recorded on the way.
#include "tests/emulators/mango/call.h"

namespace mangoemu {

void CallScript::RecordingEvent(const std::string& state) {
  Step(state == "Started" ? 0 : 200, "events/recording", [&] {
    Json j = Obj();
    j["recording_id"] = Json::string(recording_id_);
    j["recording_state"] = Json::string(state);
    j["seq"] = Json::number(++recording_seq_);
    j["entry_id"] = Json::string(call_->entry_id);
    j["call_id"] = Json::string(recording_call_id_);
    j["extension"] = Json::string(recording_ext_);
    j["timestamp"] = Json::number(VirtualS());
    if (state == "Completed") {
      j["completion_code"] = Json::number(1000);
      j["recipient"] = Json::string("Cloud");
    }
    return j;
  });
}

void CallScript::Summary(int64_t delay_ms) {
  if (!recording_id_.empty()) {
    RecordingEvent("Completed");
  }
  Step(delay_ms, "events/summary", [&] {
    Json j = Obj();
    j["entry_id"] = Json::string(call_->entry_id);
    j["call_direction"] = Json::number(direction_);
    if (direction_ == 2) {
      j["from"] = outbound_from_.is_null() ? Obj() : outbound_from_;
      j["to"] = outbound_to_.is_null() ? Obj() : outbound_to_;
    } else {
      j["from"] = ClientParty();
      Json to = Obj();
      std::string ext = talk_ms_ > 0 ? answered_ext_ : offered_ext_;
      if (!ext.empty()) {
        to["extension"] = Json::string(ext);
        // A missed group call has no device to name (reference §2.4).
        if (talk_ms_ > 0 || !offered_group_) {
          to["number"] = Json::string(SipOf(ext));
        }
      } else {
        to["number"] = Json::string(opts_.line);
      }
      j["to"] = to;
    }
    j["line_number"] = Json::string(opts_.line);
    int64_t create_s = create_ms_ / 1000;
    j["create_time"] = Json::number(create_s);
    j["forward_time"] = Json::number(direction_ == 2 ? create_s : forward_ms_ / 1000);
    j["talk_time"] = Json::number(talk_ms_ / 1000);
    j["end_time"] = Json::number(VirtualS());
    j["entry_result"] = Json::number(talk_ms_ > 0 ? 1 : 0);
    j["disconnect_reason"] = Json::number(last_reason_);
    return j;
  });
  if (!recording_id_.empty()) {
    Step(3000, "events/record/added", [&] {
      Json j = Obj();
      j["entry_id"] = Json::string(call_->entry_id);
      j["product_id"] = Json::number(400000);
      j["user_id"] = Json::number(-1);
      j["timestamp"] = Json::number(VirtualS());
      j["recording_id"] = Json::string(recording_id_);
      return j;
    });
  }
}

}  // namespace mangoemu
