#include "tests/emulators/mango/call.h"

#include <algorithm>
#include <chrono>

#include "oauth/crypto.h"
#include "tests/emulators/mango/webhook.h"

namespace mangoemu {

CallScript::CallScript(State& st, std::shared_ptr<Call> call, ScenarioOptions opts, bool dry)
    : st_(st), call_(std::move(call)), opts_(std::move(opts)), dry_(dry), rng_(opts_.seed) {
  virtual_ms_ = opts_.start_time_s > 0 ? opts_.start_time_s * 1000 : NowMs();
  create_ms_ = virtual_ms_;
  // Shuffling reorders events inside windows of 3-5 (size drawn from the seed).
  window_ = opts_.shuffle ? std::uniform_int_distribution<size_t>(3, 5)(rng_) : 1;
  if (opts_.speed <= 0) {
    opts_.speed = 1;
  }
}

Json CallScript::ClientParty() const {
  Json p = Obj();
  p["number"] = Json::string(opts_.client);
  return p;
}

Json CallScript::LineTo() const {
  Json p = Obj();
  p["number"] = Json::string(opts_.line);
  p["line_number"] = Json::string(opts_.line);
  return p;
}

Json CallScript::EmployeeTo(const std::string& ext, bool group) const {
  Json p = Obj();
  p["extension"] = Json::string(ext);
  p["number"] = Json::string(SipOf(ext));
  p["line_number"] = Json::string(opts_.line);
  if (group) {
    p["acd_group"] = Json::string(kGroup);
  }
  return p;
}

Json CallScript::EmployeeParty(const std::string& ext) const {
  Json p = Obj();
  p["extension"] = Json::string(ext);
  p["number"] = Json::string(SipOf(ext));
  return p;
}

Json CallScript::With(Json party, const std::string& key, Json value) {
  party[key] = std::move(value);
  return party;
}

std::string CallScript::NewCallId() {
  // Derived from the entry id so a replay with the same entry_id is byte-identical.
  ++leg_counter_;
  return opdesk::crypto::Base64Encode("1:" + call_->entry_id +
                                      ":81:" + std::to_string(leg_counter_) + ":1");
}

Leg& CallScript::LegRef(const std::string& call_id) {
  Leg* leg = call_->FindLeg(call_id);
  if (leg == nullptr) {
    throw std::logic_error("scenario refers to an unknown leg " + call_id);
  }
  return *leg;
}

Leg CallScript::LegCopy(const std::string& call_id) {
  std::unique_lock<std::mutex> lock(st_.mu, std::defer_lock);
  if (!dry_) {
    lock.lock();
  }
  return LegRef(call_id);
}

std::vector<std::string> CallScript::LiveLegs() {
  std::unique_lock<std::mutex> lock(st_.mu, std::defer_lock);
  if (!dry_) {
    lock.lock();
  }
  std::vector<std::string> out;
  for (const auto& l : call_->legs) {
    if (l.state != "Disconnected") {
      out.push_back(l.call_id);
    }
  }
  return out;
}

void CallScript::Sleep(std::unique_lock<std::mutex>& lock, int64_t delay_ms) {
  if (dry_) {
    virtual_ms_ += delay_ms;
    return;
  }
  auto start = std::chrono::steady_clock::now();
  auto scaled = std::chrono::microseconds(static_cast<int64_t>(delay_ms * 1000.0 / opts_.speed));
  call_->cv.wait_until(lock, start + scaled,
                       [&] { return st_.stopping || call_->interrupt.has_value(); });
  if (st_.stopping) {
    throw Stopped{};
  }
  if (call_->interrupt.has_value()) {
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    virtual_ms_ += std::min<int64_t>(delay_ms, static_cast<int64_t>(waited.count() * opts_.speed));
    throw Interrupted{};
  }
  virtual_ms_ += delay_ms;
}

void CallScript::Step(int64_t delay_ms, const std::string& path,
                      const std::function<Json()>& build) {
  {
    std::unique_lock<std::mutex> lock(st_.mu, std::defer_lock);
    if (!dry_) {
      lock.lock();
    }
    Sleep(lock, delay_ms);
    outbox_.push_back(Pending{path, build().serialize()});
    emitted_ += opts_.duplicate ? 2 : 1;
  }
  if (outbox_.size() >= window_) {
    Flush();
  }
}

void CallScript::Flush() {
  if (opts_.shuffle) {
    std::shuffle(outbox_.begin(), outbox_.end(), rng_);
    window_ = std::uniform_int_distribution<size_t>(3, 5)(rng_);
  }
  std::vector<Pending> batch;
  batch.swap(outbox_);
  if (dry_) {
    return;
  }
  for (const auto& p : batch) {
    for (int copy = 0; copy < (opts_.duplicate ? 2 : 1); ++copy) {
      int status = DeliverWebhook(st_, p.path, p.json, call_->entry_id);
      std::lock_guard<std::mutex> lock(st_.mu);
      ++call_->events_sent;
      if (status >= 200 && status <= 299) {
        ++call_->events_acknowledged;
      }
    }
  }
}

void CallScript::Wait(int64_t delay_ms) {
  Flush();
  std::unique_lock<std::mutex> lock(st_.mu, std::defer_lock);
  if (!dry_) {
    lock.lock();
  }
  Sleep(lock, delay_ms);
}

Json CallScript::CallEvent(Leg& leg, const std::string& state) {
  ++leg.seq;
  leg.state = state;
  Json ev = Obj();
  ev["entry_id"] = Json::string(call_->entry_id);
  ev["call_id"] = Json::string(leg.call_id);
  ev["timestamp"] = Json::number(VirtualS());
  ev["seq"] = Json::number(leg.seq);
  ev["call_state"] = Json::string(state);
  ev["location"] = Json::string(leg.location);
  ev["from"] = leg.from;
  ev["to"] = leg.to;
  for (const auto& [k, v] : leg.extra.as_object()) {
    ev[k] = v;
  }
  return ev;
}

std::string CallScript::Appear(int64_t delay_ms, const std::string& location, Json from, Json to,
                               Json extra) {
  std::string id = NewCallId();
  Step(delay_ms, "events/call", [&] {
    Leg leg;
    leg.call_id = id;
    leg.location = location;
    leg.from = from;
    leg.to = to;
    leg.extra = extra;
    call_->legs.push_back(leg);
    if (!dry_) {
      st_.leg_entry[id] = call_->entry_id;
    }
    std::string to_ext = Str(to, "extension");
    if (location == "abonent" && direction_ == 1 && forward_ms_ == 0) {
      forward_ms_ = virtual_ms_;
    }
    if (!to_ext.empty() && offered_ext_.empty()) {
      offered_ext_ = to_ext;
      offered_group_ = Find(to, "acd_group") != nullptr;
    }
    if (direction_ == 2 && outbound_from_.is_null() && Find(from, "extension") != nullptr &&
        to_ext.empty()) {
      outbound_from_ = EmployeeParty(Str(from, "extension"));
      outbound_to_ = Obj();
      outbound_to_["number"] = Json::string(Str(to, "number"));
    }
    return CallEvent(call_->legs.back(), "Appeared");
  });
  return id;
}

void CallScript::Reappear(int64_t delay_ms, const std::string& call_id, Json from, Json extra) {
  Step(delay_ms, "events/call", [&] {
    Leg& leg = LegRef(call_id);
    leg.from = from;
    leg.extra = extra;
    return CallEvent(leg, "Appeared");
  });
}

void CallScript::Connect(int64_t delay_ms, const std::string& call_id, Json from) {
  bool start_recording = false;
  Step(delay_ms, "events/call", [&] {
    Leg& leg = LegRef(call_id);
    if (!from.is_null()) {
      leg.from = from;
    }
    if (talk_ms_ == 0) {
      talk_ms_ = virtual_ms_;
      answered_ext_ = Str(leg.to, "extension");
    }
    if (opts_.recorded && recording_id_.empty()) {
      start_recording = true;
      recording_id_ = opdesk::crypto::Base64Encode("rec:" + call_->entry_id + ":1");
      recording_call_id_ = call_id;
      recording_ext_ = direction_ == 1 ? Str(leg.to, "extension") : Str(leg.from, "extension");
      if (!dry_) {
        st_.recordings[recording_id_] = call_->entry_id;
      }
    }
    return CallEvent(leg, "Connected");
  });
  if (start_recording) {
    RecordingEvent("Started");
  }
}

void CallScript::Hold(int64_t delay_ms, const std::string& call_id, bool initiator_is_to) {
  Step(delay_ms, "events/call", [&] {
    Leg& leg = LegRef(call_id);
    Json ev = CallEvent(leg, "OnHold");
    const char* side = initiator_is_to ? "to" : "from";
    ev[side]["hold_initiator"] = Json::boolean(true);
    return ev;
  });
}

void CallScript::Disconnect(int64_t delay_ms, const std::string& call_id, int reason,
                            const std::string& transferred_side) {
  Step(delay_ms, "events/call", [&] {
    Leg& leg = LegRef(call_id);
    last_reason_ = reason;
    Json ev = CallEvent(leg, "Disconnected");
    if (!transferred_side.empty()) {
      ev[transferred_side]["was_transferred"] = Json::boolean(true);
    }
    ev["disconnect_reason"] = Json::number(reason);
    return ev;
  });
}

void CallScript::DisconnectOthers(int64_t delay_ms, const std::string& keep, int reason) {
  for (const std::string& id : LiveLegs()) {
    if (id != keep) {
      Disconnect(delay_ms, id, reason);
      delay_ms = 0;
    }
  }
}

void CallScript::Result(int64_t delay_ms, const std::string& kind, const std::string& command_id,
                        int result) {
  Step(delay_ms, "result/" + kind, [&] {
    Json j = Obj();
    j["command_id"] = Json::string(command_id);
    j["result"] = Json::number(result);
    return j;
  });
}

}  // namespace mangoemu
