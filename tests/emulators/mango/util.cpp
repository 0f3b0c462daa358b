#include "tests/emulators/mango/util.h"

#include <cctype>
#include <chrono>
#include <random>

#include "oauth/crypto.h"

namespace mangoemu {

std::map<std::string, std::string> ParseForm(const std::string& body) {
  std::map<std::string, std::string> form;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t amp = body.find('&', pos);
    std::string pair = body.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    pos = amp == std::string::npos ? body.size() : amp + 1;
    if (pair.empty()) {
      continue;
    }
    size_t eq = pair.find('=');
    form[UrlDecode(pair.substr(0, eq))] =
        eq == std::string::npos ? "" : UrlDecode(pair.substr(eq + 1));
  }
  return form;
}

std::string Sign(const std::string& key, const std::string& json, const std::string& salt) {
  return opdesk::crypto::Sha256Hex(key + json + salt);
}

bool SignMatches(const std::string& received, const std::string& expected) {
  std::string lower = received;
  for (auto& c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return opdesk::crypto::ConstantTimeEquals(lower, expected);
}

std::string Envelope(const std::string& key, const std::string& json, const std::string& salt) {
  return "vpbx_api_key=" + UrlEncode(key) + "&sign=" + Sign(key, json, salt) +
         "&json=" + UrlEncode(json);
}

const Json* Find(const Json& obj, const std::string& key) {
  if (!obj.is_object()) {
    return nullptr;
  }
  const auto& o = obj.as_object();
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->second;
}

std::string Str(const Json& obj, const std::string& key, const std::string& fallback) {
  const Json* v = Find(obj, key);
  if (v == nullptr) {
    return fallback;
  }
  if (v->is_string()) {
    return v->as_string();
  }
  if (v->is_number()) {
    return v->serialize();
  }
  return fallback;
}

int64_t Int(const Json& obj, const std::string& key, int64_t fallback) {
  const Json* v = Find(obj, key);
  if (v == nullptr) {
    return fallback;
  }
  if (v->is_number()) {
    return static_cast<int64_t>(v->as_double());
  }
  if (v->is_string()) {
    try {
      return std::stoll(v->as_string());
    } catch (const std::exception&) {
      return fallback;
    }
  }
  return fallback;
}

double Num(const Json& obj, const std::string& key, double fallback) {
  const Json* v = Find(obj, key);
  return v != nullptr && v->is_number() ? v->as_double() : fallback;
}

bool Bool(const Json& obj, const std::string& key, bool fallback) {
  const Json* v = Find(obj, key);
  return v != nullptr && v->is_boolean() ? v->as_bool() : fallback;
}

Json Obj() {
  return Json::object(true);
}

void Workers::Spawn(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  // Reap finished threads so a long sandbox run does not pile up thread stacks.
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (it->finished->load()) {
      it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
  auto finished = std::make_shared<std::atomic<bool>>(false);
  std::thread t([fn = std::move(fn), finished] {
    fn();
    finished->store(true);
  });
  workers_.push_back(Worker{std::move(t), finished});
}

void Workers::JoinAll() {
  while (true) {
    std::list<Worker> batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      batch.swap(workers_);
    }
    if (batch.empty()) {
      return;
    }
    for (auto& w : batch) {
      w.thread.join();
    }
  }
}

}  // namespace mangoemu
