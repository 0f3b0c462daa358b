// Small helpers shared by every part of the emulator: time, ids, form encoding, the Mango
// signature, lenient JSON field access, and a joinable pool of background threads.
#pragma once

#include <cpprest/json.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "tests/emulators/common/util.h"

namespace mangoemu {

using Json = web::json::value;

using emu::NowMs;
using emu::RandomHex;

using emu::UrlDecode;
using emu::UrlEncode;
std::map<std::string, std::string> ParseForm(const std::string& body);

// sign = sha256_hex(key + json + salt), reference §1.2.
std::string Sign(const std::string& key, const std::string& json, const std::string& salt);
// Case-insensitive constant-time comparison of a received sign with the expected one.
bool SignMatches(const std::string& received, const std::string& expected);
// The three-field envelope, URL-encoded, ready to POST.
std::string Envelope(const std::string& key, const std::string& json, const std::string& salt);

// Field access that accepts numbers and strings alike (Mango mixes both).
const Json* Find(const Json& obj, const std::string& key);
std::string Str(const Json& obj, const std::string& key, const std::string& fallback = "");
int64_t Int(const Json& obj, const std::string& key, int64_t fallback);
double Num(const Json& obj, const std::string& key, double fallback);
bool Bool(const Json& obj, const std::string& key, bool fallback);
Json Obj();  // an object that keeps insertion order, so payloads read like Mango's

// Background threads that shutdown can join: players, webhook posts and /_emu/wait waiters
// block, so they never run on the cpprestsdk pool.
class Workers {
 public:
  ~Workers() { JoinAll(); }
  void Spawn(std::function<void()> fn);
  void JoinAll();

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> finished;
  };
  std::mutex mu_;
  std::list<Worker> workers_;
};

}  // namespace mangoemu
