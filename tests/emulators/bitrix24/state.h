// In-memory state of the emulated portal and its OAuth server. Everything lives in one `State`
// guarded by one mutex: the emulator serves tests, so simplicity beats concurrency.
#pragma once

#include <cpprest/json.h>

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace b24emu {

using Json = web::json::value;

struct Options {
  int port = 0;
  std::string host = "127.0.0.1";
  std::string domain;  // empty: the host of its own endpoints, as a portal's DOMAIN is
  std::string member_id = "m-test-1";
  std::string client_id = "app.test";
  std::string client_secret = "secret.test";
  std::string application_token = "apptoken-1";
  int access_ttl_s = 3600;
  double rate = 2;
  double burst = 50;
  int threads = 4;
};

// The scopes every emulator token carries; CALL_CARD placements need "telephony".
inline constexpr const char* kScope = "crm,telephony,placement,user_basic,task";

struct AccessToken {
  int user_id = 0;
  double expires_at = 0;
  bool revoked = false;  // set on uninstall: answers invalid_token
};

struct RefreshToken {
  int user_id = 0;
  bool used = false;  // rotation: a refresh token works once
};

struct Fault {
  std::string method;  // lower-case method name or "*"
  int status = 0;      // 0: pure delay
  std::string error;
  std::string description;
  int remaining = 1;  // < 0: unlimited
  double probability = 1.0;
  int delay_ms = 0;
  int operating_reset_in_s = 60;
};

struct Bucket {
  double level = 0;
  double max_level = 0;
  double last_drain_s = 0;
  int64_t rejections = 0;
  double rate = 2;
  double burst = 50;
};

// Everything /_emu/reset puts back to the seed.
struct PortalData {
  std::map<int, Json> users;
  std::map<int, Json> leads, deals, contacts, companies, activities, comments, tasks;
  std::vector<Json> statuses;
  std::vector<Json> categories;
  std::map<std::string, Json> calls;  // CALL_ID -> call record (register + finish + record)
  // voximplant.statistic.get rows seeded by tests (calls finished here add theirs from `calls`).
  std::vector<Json> call_statistics;
  // 30-minute register rule: dedup key -> (CALL_ID, registered at, unix s).
  std::map<std::string, std::pair<std::string, double>> call_dedup;
  std::map<std::string, Json> lines;  // NUMBER -> line
  std::vector<Json> placements;
  std::vector<Json> events;  // event.bind records
  Json options = Json::object(true);
  Json app = Json::object(true);
  std::map<std::string, int> next_id;  // per kind: "lead", "multifield", "stat", ...
  std::map<int, Json> departments;     // department.get rows by ID
  std::map<int, std::string> timeman;  // user → working day (timeman.status STATUS)
  // The product catalog (crm.product.list) and smart invoices with their productRows.
  std::map<int, Json> products;
  std::map<int, Json> invoices;
  bool timeman_enabled = true;  // false: timeman.status answers ACCESS_DENIED
};

struct State {
  std::mutex mu;
  Options opts;
  PortalData data;
  std::string domain;
  bool renamed = false;
  std::string redirect_host;                 // where the rename's 302 points; empty: this emulator
  std::set<std::string> redirected_clients;  // clients that already got the rename 302
  bool uninstalled = false;
  std::map<std::string, AccessToken> access_tokens;
  std::map<std::string, RefreshToken> refresh_tokens;
  Bucket bucket;
  int64_t oauth_refreshes = 0;
  int64_t oauth_invalid_grant = 0;
  std::vector<Fault> faults;
  std::vector<Json> requests;
  int64_t next_seq = 1;
  int64_t total_requests = 0;
  // Per method: (finished at, seconds spent) of calls in the last 10 minutes.
  std::map<std::string, std::deque<std::pair<double, double>>> operating;
  std::vector<Json> echoes;
  std::vector<std::string> oauth_peers;  // other emulated portals sharing this OAuth server

  int NextId(const std::string& kind) { return ++data.next_id[kind]; }
  // Base URL of the REST API as clients should use it (changes after a rename).
  std::string ClientEndpoint() const {
    return "http://127.0.0.1:" + std::to_string(opts.port) +
           (renamed ? "/renamed/rest/" : "/rest/");
  }
  std::string ServerEndpoint() const {
    return "http://127.0.0.1:" + std::to_string(opts.port) + "/rest/";
  }
};

// Fills `data` with the fixed seed portal (users, statuses, pipelines, one contact, one company).
void Seed(State& st);
// Adds objects from a /_emu/seed body; returns an error text or "".
std::string SeedMore(State& st, const Json& body);
// The whole portal state for /_emu/state.
Json DumpState(const State& st);

}  // namespace b24emu
