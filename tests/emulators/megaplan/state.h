// The state of one emulated Megaplan account: employees and their logins, bearer tokens,
// contractors (people and companies), deal schemes (Program) with statuses and transitions,
// deals, comments, tasks, the request log and the faults queued through the control API.
#pragma once

#include <cpprest/json.h>

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tests/emulators/common/http_front.h"

namespace mpemu {

using Json = web::json::value;
using emu::HttpOutcome;

struct Options {
  int port = 0;
  int threads = 4;
  int64_t token_ttl_s = 172800;  // 48 h, as the account's password grant answers
};

struct Login {
  std::string password;
  std::string employee_id;
};

struct Token {
  std::string employee_id;
  int64_t expires_at_ms = 0;
  bool revoked = false;
};

// A fault answered instead of the next `count` requests whose path starts with `path`.
struct Fault {
  std::string path;
  std::string method;  // "" any
  int status = 500;
  int count = 1;
  int retry_after_s = 0;  // 429: the Retry-After header
  std::string message;
  std::string field;
};

struct State {
  std::mutex mu;
  Options opts;
  int64_t token_ttl_s = 172800;
  int64_t next_id = 1000200;
  std::map<std::string, Login> logins;
  std::map<std::string, Token> tokens;
  std::map<std::string, Json> employees;    // by id
  std::map<std::string, Json> contractors;  // ContractorHuman and ContractorCompany, by id
  std::map<std::string, std::vector<Json>> extra_fields;  // by contentType
  std::map<std::string, Json> programs;                   // with states and transitions
  std::map<std::string, Json> deals;
  std::vector<Json> comments;
  std::vector<Json> tasks;
  std::vector<Json> files;  // uploads: id, name, size
  std::vector<Json> log;
  std::deque<Fault> faults;

  std::string NextId() { return std::to_string(next_id++); }
};

void Seed(State& st);

// /api/v3/…: the account's API. `query` is the raw query string (URL-encoded JSON).
HttpOutcome HandleApi(State& st, const std::string& method, const std::string& path,
                      const std::string& query, const std::string& content_type,
                      const std::string& authorization, const std::string& body);
// /_emu/…: the control API.
HttpOutcome HandleControl(State& st, const std::string& method, const std::string& path,
                          const std::string& body);

// /_emu/app/…: the marketplace application's launch and entity events (application.cpp); takes
// the lock itself, never while it calls opdesk.
HttpOutcome HandleApplication(State& st, const std::string& method, const std::string& path,
                              const std::string& body);

// /Bums…: API v1's sign-in and signed contractor list by Phone (v1.cpp).
struct V1Headers {
  std::string host;
  std::string date;
  std::string content_type;
  std::string content_md5;
  std::string authorization;  // X-Authorization
};
HttpOutcome HandleV1(State& st, const std::string& method, const std::string& path,
                     const std::string& query, const V1Headers& headers);

// Helpers shared by the two.
std::string Str(const Json& obj, const std::string& key, const std::string& fallback = "");
Json Obj();
Json Ref(const std::string& content_type, const std::string& id);
// The last 10 digits of a phone as people type it ("+7 (900) 123-45-67" → "9001234567").
std::string PhoneKey(const std::string& text);

}  // namespace mpemu

namespace mpemu {
// Rewrites nested employees of an API answer: inline, or once in `included`.
HttpOutcome ApplyIncluded(State& st, HttpOutcome out, bool use_included);
}  // namespace mpemu
