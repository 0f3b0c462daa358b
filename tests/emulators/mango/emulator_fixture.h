// Shared fixture of the mangoemu tests: the emulator runs as a real process on loopback, and a
// second mangoemu plays opdesk: the first one's webhook base points at its /_emu/inbox/, which
// records and checks every delivery.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <cpprest/json.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "oauth/crypto.h"
#include "tests/support/process.h"
#include "tests/support/raw_http.h"
#include "tests/support/scratch_dir.h"

namespace opdesk::mangoemu_test {

using testing::HttpRequest;
using testing::RawResponse;
using Json = web::json::value;

inline const std::map<std::string, std::string> kForm = {
    {"Content-Type", "application/x-www-form-urlencoded"}};
inline const std::map<std::string, std::string> kJson = {{"Content-Type", "application/json"}};
inline constexpr const char* kKey = "vpbx-test-key";
inline constexpr const char* kSalt = "vpbx-test-salt";

inline Json Parse(const std::string& text) {
  return text.empty() ? Json::null() : Json::parse(text);
}

inline std::string UrlEncode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

inline std::string Form(const std::string& json, const std::string& key = kKey,
                        const std::string& salt = kSalt) {
  return "vpbx_api_key=" + UrlEncode(key) + "&sign=" + crypto::Sha256Hex(key + json + salt) +
         "&json=" + UrlEncode(json);
}

inline std::string S(const Json& obj, const std::string& key) {
  if (!obj.has_field(key)) {
    return "";
  }
  const Json& v = obj.at(key);
  return v.is_string() ? v.as_string() : v.serialize();
}

inline int64_t I(const Json& obj, const std::string& key) {
  return obj.has_field(key) ? static_cast<int64_t>(obj.at(key).as_double()) : -1;
}

// One emulator process on a free port.
class Emu {
 public:
  explicit Emu(std::vector<std::string> extra = {}) : dir_("mangoemu"), port_(testing::FreePort()) {
    std::vector<std::string> argv = {MANGOEMU_BINARY, "--port", std::to_string(port_)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<testing::ChildProcess>(argv, std::map<std::string, std::string>{},
                                                       dir_.path(), dir_ / "emu.log");
    ready_ = testing::WaitFor(
        [&] { return !process_->running() || Raw("GET", "/_emu/stats").status == 200; },
        std::chrono::seconds(15));
  }

  bool ready() const { return ready_; }
  int port() const { return port_; }
  testing::ChildProcess& process() { return *process_; }
  std::string Log() const { return process_->Log(); }

  RawResponse Raw(const std::string& method, const std::string& target,
                  const std::string& body = "",
                  const std::map<std::string, std::string>& headers = {}) {
    return HttpRequest(port_, method, target, body, headers);
  }
  Json Control(const std::string& method, const std::string& path, const std::string& body = "") {
    return Parse(Raw(method, path, body, kJson).body);
  }
  // A signed command to /vpbx/<path>.
  RawResponse Command(const std::string& path, const std::string& json) {
    return Raw("POST", "/vpbx/" + path, Form(json), kForm);
  }

 private:
  testing::ScratchDir dir_;
  int port_;
  std::unique_ptr<testing::ChildProcess> process_;
  bool ready_ = false;
};

class MangoEmuTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sink_ = std::make_unique<Emu>();
    ASSERT_TRUE(sink_->ready()) << sink_->Log();
    std::string base = "http://127.0.0.1:" + std::to_string(sink_->port()) + "/_emu/inbox/";
    emu_ = std::make_unique<Emu>(std::vector<std::string>{"--webhook-base", base, "--lockout-ms",
                                                          "1500", "--rate-scale", "0.5"});
    ASSERT_TRUE(emu_->ready()) << emu_->Log();
  }

  // Starts a scenario and waits until it has sent everything; returns the start answer.
  Json Play(const std::string& name, const std::string& extra = "") {
    std::string body = R"({"name":")" + name + R"(","speed":1000)" + extra + "}";
    Json started = emu_->Control("POST", "/_emu/scenario", body);
    EXPECT_TRUE(started.has_field("entry_id")) << started.serialize();
    if (!started.has_field("entry_id")) {
      return started;
    }
    WaitDone(S(started, "entry_id"));
    return started;
  }

  void WaitDone(const std::string& entry_id) {
    auto r = emu_->Raw("POST", "/_emu/wait",
                       R"({"entry_id":")" + entry_id + R"(","timeout_ms":20000})", kJson);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // Inbox entries (path + parsed json) whose json has `field` == `value`, in arrival order.
  std::vector<Json> Inbox(const std::string& field = "", const std::string& value = "") {
    std::vector<Json> out;
    Json all = sink_->Control("GET", "/_emu/inbox");
    for (const auto& e : all.at("requests").as_array()) {
      if (field.empty() || S(e.at("json"), field) == value) {
        out.push_back(e);
      }
    }
    return out;
  }

  // "path|call_index|state|reason" lines for an entry, with call ids numbered by appearance.
  std::vector<std::string> Flow(const std::string& entry_id) {
    std::map<std::string, int> legs;
    std::vector<std::string> out;
    for (const Json& e : Inbox("entry_id", entry_id)) {
      const Json& j = e.at("json");
      std::string line = e.at("path").as_string();
      if (line == "events/call") {
        std::string id = S(j, "call_id");
        if (legs.count(id) == 0) {
          int n = static_cast<int>(legs.size()) + 1;
          legs[id] = n;
        }
        line += "|L" + std::to_string(legs[id]) + "|" + S(j, "call_state");
        if (j.has_field("disconnect_reason")) {
          line += "|" + S(j, "disconnect_reason");
        }
      }
      out.push_back(line);
    }
    return out;
  }

  Json Summary(const std::string& entry_id) {
    for (const Json& e : Inbox("entry_id", entry_id)) {
      if (e.at("path").as_string() == "events/summary") {
        return e.at("json");
      }
    }
    return Json::null();
  }

  // seq runs 1..n per call_id in delivery order (no duplicates, no shuffle).
  void ExpectSeqPerLeg(const std::string& entry_id) {
    std::map<std::string, int64_t> last;
    for (const Json& e : Inbox("entry_id", entry_id)) {
      if (e.at("path").as_string() != "events/call") {
        continue;
      }
      const Json& j = e.at("json");
      EXPECT_EQ(I(j, "seq"), last[S(j, "call_id")] + 1) << j.serialize();
      last[S(j, "call_id")] = I(j, "seq");
    }
  }

  std::unique_ptr<Emu> sink_;
  std::unique_ptr<Emu> emu_;
};

using V = std::vector<std::string>;

}  // namespace opdesk::mangoemu_test
