#include "adapters/megaplan/megaplan_crm.h"

#include <cpprest/json.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "adapters/json_read.h"
#include "adapters/megaplan/api_client.h"
#include "adapters/megaplan/megaplan_crm_impl.h"
#include "connector/storage/megaplan_repositories.h"

namespace opdesk::megaplan {

using adapters::CrmRecord;
using web::json::value;

std::string PhoneKey(const std::string& text) {
  std::string digits = adapters::DigitsOf(text);
  if (digits.size() == 11 && digits[0] == '8') {
    digits[0] = '7';
  }
  if (digits.size() < 5) {
    return "";
  }
  return digits.size() > 10 ? digits.substr(digits.size() - 10) : digits;
}

std::string CanonicalPhone(const std::string& text) {
  std::string digits = adapters::DigitsOf(text);
  if (digits.size() == 11 && digits[0] == '8') {
    digits[0] = '7';
  }
  if (digits.size() == 10) {
    digits = "7" + digits;
  }
  return digits.empty() ? "" : "+" + digits;
}

namespace {

constexpr EpochMs kIndexLifetimeMs = 10 * 60 * 1000;
constexpr EpochMs kDirectoryLifetimeMs = 5 * 60 * 1000;
constexpr int kMaxIndexPages = 200;  // 20,000 contractors

value Ref(const std::string& content_type, const std::string& id) {
  value r = value::object(true);
  r["contentType"] = value::string(content_type);
  r["id"] = value::string(id);
  return r;
}

const value& Data(const value& envelope) {
  static const value kNull = value::null();
  return envelope.is_object() && envelope.has_field("data") ? envelope.at("data") : kNull;
}

std::string Id(const value& entity) {
  return adapters::JsonIdText(entity, "id");
}

// ContractorHuman → contact, ContractorCompany → company, Deal → deal.
std::string EntityOf(const std::string& content_type) {
  if (content_type == "ContractorHuman") {
    return "contact";
  }
  if (content_type == "ContractorCompany") {
    return "company";
  }
  if (content_type == "Deal") {
    return "deal";
  }
  return "";
}

// The path of a record's own endpoints ("contractorHuman/7").
std::string PathOf(const CrmRecord& record) {
  if (record.entity == "contact") {
    return "contractorHuman/" + record.id;
  }
  if (record.entity == "company") {
    return "contractorCompany/" + record.id;
  }
  if (record.entity == "deal") {
    return "deal/" + record.id;
  }
  throw InvalidArgument("Megaplan has no " + record.entity + " records", "entity");
}

std::vector<std::string> PhoneKeysOf(const value& entity) {
  std::vector<std::string> keys;
  if (!entity.is_object() || !entity.has_field("contactInfo") ||
      !entity.at("contactInfo").is_array()) {
    return keys;
  }
  for (const value& c : entity.at("contactInfo").as_array()) {
    if (adapters::JsonText(c, "type") == "phone") {
      const std::string key = PhoneKey(adapters::JsonText(c, "value"));
      if (!key.empty()) {
        keys.push_back(key);
      }
    }
  }
  return keys;
}

std::vector<adapters::Responsible> ResponsiblesOf(const value& entity) {
  std::vector<adapters::Responsible> out;
  if (!entity.is_object() || !entity.has_field("responsibles") ||
      !entity.at("responsibles").is_array()) {
    return out;
  }
  for (const value& r : entity.at("responsibles").as_array()) {
    adapters::Responsible resp;
    resp.id = Id(r);
    const std::string type = adapters::JsonText(r, "contentType");
    // Megaplan lets another client be a client's responsible (seed 004 note 3).
    resp.kind = type == "Employee" || type.empty() ? adapters::ResponsibleKind::kEmployee
                                                   : adapters::ResponsibleKind::kClient;
    if (!resp.id.empty()) {
      out.push_back(resp);
    }
  }
  return out;
}

// Whether a deal status ends its scheme. The attribute is not in the sources read (reference
// §2.2, §5): any of `type` positive/negative/final/closed/success/failure, `isFinal` or `final`
// true counts.
bool IsFinalState(const value& state) {
  if (!state.is_object()) {
    return false;
  }
  static const std::set<std::string> kFinal = {"positive", "negative", "final",
                                               "closed",   "success",  "failure"};
  return kFinal.count(adapters::JsonText(state, "type")) > 0 ||
         adapters::JsonTrue(state, "isFinal") || adapters::JsonTrue(state, "final");
}

std::string Lower(std::string s) {
  // ASCII and the Cyrillic capitals of UTF-8 (А-Я: D0 90–AF → D0 B0–BF / D1 80–8F).
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xD0 && i + 1 < s.size()) {
      unsigned char n = static_cast<unsigned char>(s[i + 1]);
      if (n >= 0x90 && n <= 0x9F) {
        out += static_cast<char>(0xD0);
        out += static_cast<char>(n + 0x20);
        ++i;
        continue;
      }
      if (n >= 0xA0 && n <= 0xAF) {
        out += static_cast<char>(0xD1);
        out += static_cast<char>(n - 0x20);
        ++i;
        continue;
      }
    }
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

std::string OutcomeText(const std::string& status_code) {
  if (status_code == "200") {
    return "разговор состоялся";
  }
  if (status_code == "304") {
    return "пропущен";
  }
  if (status_code == "486") {
    return "занято";
  }
  if (status_code == "603") {
    return "отклонён";
  }
  return "не состоялся (код " + status_code + ")";
}

std::string DurationText(long long s) {
  if (s < 60) {
    return std::to_string(s) + " с";
  }
  return std::to_string(s / 60) + " мин " + std::to_string(s % 60) + " с";
}

}  // namespace

// ---- Impl: the caches ----

MegaplanCrm::Impl::Impl(ApiClient& a, storage::Database& d, const Clock& c)
    : api(a), db(d), clock(c) {}

std::vector<MegaplanCrm::Impl::Client> MegaplanCrm::Impl::Lookup(const std::string& tenant_id,
                                                                 const std::string& phone,
                                                                 std::chrono::milliseconds deadline,
                                                                 bool may_rebuild) {
  const std::string key = PhoneKey(phone);
  if (key.empty()) {
    return {};
  }
  CheckGeneration(tenant_id);
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = index.find(tenant_id);
    if (it != index.end() && clock.NowMs() - it->second.built_at_ms < kIndexLifetimeMs) {
      auto hit = it->second.by_phone.find(key);
      if (hit != it->second.by_phone.end() && !hit->second.empty()) {
        return hit->second;
      }
    }
  }
  // A miss (or a stale index): the v3 search, checked against the number here.
  value params = value::object(true);
  params["q"] = value::string(key);
  params["limit"] = value::number(50);
  value found;
  try {
    found = api.Get(tenant_id, "contractor", params, deadline);
  } catch (const Error& e) {
    // The v3 search unavailable (failing, refused as a request, or absent on this build): API
    // v1's documented Phone search instead (reference §3), when the account gave v1
    // credentials. A refused token is not "unavailable": it still waits for a sign-in.
    if (e.code() != ErrorCode::kUnavailable && e.code() != ErrorCode::kInvalidArgument &&
        e.code() != ErrorCode::kNotFound && e.code() != ErrorCode::kDeadlineExceeded) {
      throw;
    }
    std::optional<std::vector<Client>> v1 = LookupV1(tenant_id, key, deadline);
    if (!v1) {
      throw;
    }
    spdlog::info("event=megaplan_v1_phone_search tenant={} v3_error={} found={}", tenant_id,
                 ToString(e.code()), v1->size());
    return *v1;
  }
  std::vector<Client> clients;
  if (Data(found).is_array()) {
    for (const value& c : Data(found).as_array()) {
      const std::vector<std::string> keys = PhoneKeysOf(c);
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
        Client client{{EntityOf(adapters::JsonText(c, "contentType")), Id(c)}, ResponsiblesOf(c)};
        if (!client.record.entity.empty()) {
          clients.push_back(client);
          Remember(tenant_id, keys, client);
        }
      }
    }
  }
  if (!clients.empty()) {
    return clients;
  }
  bool stale = false;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = index.find(tenant_id);
    stale = it == index.end() || clock.NowMs() - it->second.built_at_ms >= kIndexLifetimeMs;
  }
  if (stale && may_rebuild) {
    Rebuild(tenant_id, deadline);
    std::lock_guard<std::mutex> lock(mu);
    auto hit = index[tenant_id].by_phone.find(key);
    if (hit != index[tenant_id].by_phone.end()) {
      return hit->second;
    }
  }
  return {};
}

void MegaplanCrm::Impl::Remember(const std::string& tenant_id, const std::vector<std::string>& keys,
                                 const Client& client) {
  std::lock_guard<std::mutex> lock(mu);
  PhoneIndex& idx = index[tenant_id];
  for (const std::string& key : keys) {
    std::vector<Client>& list = idx.by_phone[key];
    auto same = std::find_if(list.begin(), list.end(),
                             [&](const Client& c) { return c.record == client.record; });
    if (same == list.end()) {
      list.push_back(client);
    } else {
      *same = client;
    }
    // People first, then companies: FindClientByPhone's order.
    std::stable_sort(list.begin(), list.end(), [](const Client& a, const Client& b) {
      return a.record.entity == "contact" && b.record.entity != "contact";
    });
  }
}

// API v1's Contractor/list.api with Phone (reference §3: "the phone in any format"). Its answer's
// shape is taken from the reference's field list (Id, Name, PersonType, Responsibles), not from
// a live account: the list is read from data.clients, data.contractors or data itself; a
// person's PersonType is "human" (anything else is a company); responsibles may be objects with
// Id or bare ids. The ids are assumed to be the v3 contractor ids (the same account's records;
// not confirmed by the sources read). The server's Phone filter is trusted: v1's list carries no
// phones to check against. std::nullopt when the account has no v1 credentials.
std::optional<std::vector<MegaplanCrm::Impl::Client>> MegaplanCrm::Impl::LookupV1(
    const std::string& tenant_id, const std::string& key, std::chrono::milliseconds deadline) {
  value answer;
  try {
    answer = api.GetV1(tenant_id, "BumsCrmApiV01/Contractor/list.api", {{"Phone", key}}, deadline);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kNotFound) {
      return std::nullopt;
    }
    throw;
  }
  const value& data = Data(answer);
  const value* list = &data;
  for (const char* name : {"clients", "contractors"}) {
    if (data.is_object() && data.has_field(name) && data.at(name).is_array()) {
      list = &data.at(name);
    }
  }
  std::vector<Client> clients;
  if (!list->is_array()) {
    return clients;
  }
  for (const value& c : list->as_array()) {
    Client client;
    client.record.id = adapters::JsonIdText(c, "Id");
    client.record.entity = adapters::JsonText(c, "PersonType") == "human" ? "contact" : "company";
    if (client.record.id.empty()) {
      continue;
    }
    if (c.has_field("Responsibles") && c.at("Responsibles").is_array()) {
      for (const value& r : c.at("Responsibles").as_array()) {
        adapters::Responsible resp;
        resp.id = r.is_object()   ? adapters::JsonIdText(r, "Id")
                  : r.is_string() ? r.as_string()
                  : r.is_number() ? std::to_string(r.as_number().to_int64())
                                  : "";
        if (!resp.id.empty()) {
          client.responsibles.push_back(resp);
        }
      }
    }
    clients.push_back(client);
  }
  std::stable_sort(clients.begin(), clients.end(), [](const Client& a, const Client& b) {
    return a.record.entity == "contact" && b.record.entity != "contact";
  });
  return clients;
}

long long MegaplanCrm::Impl::StoredGeneration(const std::string& tenant_id) {
  long long generation = 0;
  storage::WithSession(db, [&](storage::Session& s) {
    generation = storage::MegaplanAccountRepository::IndexGeneration(s, tenant_id);
  });
  return generation;
}

// The index is per process; the entity events reach one process. Every lookup reads the
// account's stored generation (one indexed row): a process that has not applied it drops its
// numbers and marks the index stale, so its next lookups go to the v3 search (and, for a number
// the search does not find, one rebuild). Staleness across processes is thus bounded by the
// event's arrival, not by the index's 10 minutes.
void MegaplanCrm::Impl::CheckGeneration(const std::string& tenant_id) {
  const long long stored = StoredGeneration(tenant_id);
  std::lock_guard<std::mutex> lock(mu);
  PhoneIndex& idx = index[tenant_id];
  if (idx.generation == stored) {
    return;
  }
  if (idx.generation >= 0 || !idx.by_phone.empty()) {
    idx.by_phone.clear();
    idx.built_at_ms = 0;
  }
  idx.generation = stored;
}

void MegaplanCrm::Impl::Forget(const std::string& tenant_id, const CrmRecord& record) {
  std::lock_guard<std::mutex> lock(mu);
  PhoneIndex& idx = index[tenant_id];
  for (auto it = idx.by_phone.begin(); it != idx.by_phone.end();) {
    std::vector<Client>& list = it->second;
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const Client& c) { return c.record == record; }),
               list.end());
    it = list.empty() ? idx.by_phone.erase(it) : std::next(it);
  }
}

void MegaplanCrm::Impl::Rebuild(const std::string& tenant_id, std::chrono::milliseconds deadline) {
  PhoneIndex fresh;
  // Events during the paging raise the stored generation past this one: the next lookup drops
  // what this rebuild read.
  fresh.generation = StoredGeneration(tenant_id);
  std::string after;
  for (int page = 0; page < kMaxIndexPages; ++page) {
    value params = value::object(true);
    params["limit"] = value::number(100);
    if (!after.empty()) {
      // [SDKPY] saw pageAfter refused (422) on /contractor by some builds: the index then
      // covers the first pages only, and the search covers the rest.
      params["pageAfter"] = Ref("ContractorHuman", after);
    }
    value list;
    try {
      list = api.Get(tenant_id, "contractor", params, deadline);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kInvalidArgument && page > 0) {
        break;
      }
      throw;
    }
    if (!Data(list).is_array() || Data(list).size() == 0) {
      break;
    }
    for (const value& c : Data(list).as_array()) {
      Client client{{EntityOf(adapters::JsonText(c, "contentType")), Id(c)}, ResponsiblesOf(c)};
      if (client.record.entity.empty()) {
        continue;
      }
      for (const std::string& key : PhoneKeysOf(c)) {
        fresh.by_phone[key].push_back(client);
      }
      after = client.record.id;
    }
    const value& meta = list.at("meta");
    if (!meta.has_field("pagination") ||
        !adapters::JsonTrue(meta.at("pagination"), "hasMoreNext")) {
      break;
    }
  }
  for (auto& [key, list] : fresh.by_phone) {
    std::stable_sort(list.begin(), list.end(), [](const Client& a, const Client& b) {
      return a.record.entity == "contact" && b.record.entity != "contact";
    });
  }
  fresh.built_at_ms = clock.NowMs();
  std::lock_guard<std::mutex> lock(mu);
  index[tenant_id] = std::move(fresh);
}

std::vector<MegaplanCrm::Impl::Employee> MegaplanCrm::Impl::Employees(
    const std::string& tenant_id) {
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = employees.find(tenant_id);
    if (it != employees.end() && clock.NowMs() - it->second.first < kDirectoryLifetimeMs) {
      return it->second.second;
    }
  }
  std::vector<Employee> list;
  std::string after;
  for (int page = 0; page < 50; ++page) {
    value params = value::object(true);
    params["limit"] = value::number(100);
    if (!after.empty()) {
      params["pageAfter"] = Ref("Employee", after);
    }
    const value got = api.Get(tenant_id, "employee", params);
    if (!Data(got).is_array() || Data(got).size() == 0) {
      break;
    }
    for (const value& e : Data(got).as_array()) {
      Employee emp;
      emp.id = Id(e);
      emp.name = adapters::JsonText(e, "name");
      if (emp.name.empty()) {
        emp.name = adapters::JsonText(e, "firstName") + " " + adapters::JsonText(e, "lastName");
      }
      // Skip the fired and those who cannot sign in (reference §2.3); absent flags mean yes.
      emp.active = !(e.has_field("isWorking") && !adapters::JsonTrue(e, "isWorking")) &&
                   !adapters::JsonTrue(e, "fireInProgress") &&
                   !(e.has_field("canLogin") && !adapters::JsonTrue(e, "canLogin")) &&
                   (adapters::JsonText(e, "fireDay").empty());
      if (e.has_field("contactInfo") && e.at("contactInfo").is_array()) {
        for (const value& c : e.at("contactInfo").as_array()) {
          const std::string type = adapters::JsonText(c, "type");
          const std::string v = adapters::JsonText(c, "value");
          if (type == "email" && emp.email.empty()) {
            emp.email = v;
          }
          // Megaplan has no extension field: a short number among the phones is the internal
          // one (2–6 digits; a full number has more).
          const std::string digits = adapters::DigitsOf(v);
          if (type == "phone" && emp.extension.empty() && digits.size() >= 2 &&
              digits.size() <= 6 && digits == v) {
            emp.extension = digits;
          }
        }
      }
      list.push_back(emp);
      after = emp.id;
    }
    if (!adapters::JsonTrue(got.at("meta").has_field("pagination") ? got.at("meta").at("pagination")
                                                                   : value::object(),
                            "hasMoreNext")) {
      break;
    }
  }
  std::lock_guard<std::mutex> lock(mu);
  employees[tenant_id] = {clock.NowMs(), list};
  return list;
}

value MegaplanCrm::Impl::Program(const std::string& tenant_id, const std::string& program_id) {
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = programs.find(tenant_id + "/" + program_id);
    if (it != programs.end() && clock.NowMs() - it->second.first < kDirectoryLifetimeMs) {
      return it->second.second;
    }
  }
  const value program = Data(api.Get(tenant_id, "program/" + program_id, value::object()));
  std::lock_guard<std::mutex> lock(mu);
  programs[tenant_id + "/" + program_id] = {clock.NowMs(), program};
  return program;
}

std::vector<std::pair<std::string, std::string>> MegaplanCrm::Impl::Programs(
    const std::string& tenant_id) {
  std::vector<std::pair<std::string, std::string>> out;
  const value list = api.Get(tenant_id, "program", value::object());
  if (Data(list).is_array()) {
    for (const value& p : Data(list).as_array()) {
      out.emplace_back(Id(p), adapters::JsonText(p, "name"));
    }
  }
  return out;
}

std::string MegaplanCrm::Impl::LineField(const std::string& tenant_id,
                                         const std::string& content_type,
                                         const std::string& wanted) {
  const std::string path = content_type == "ContractorCompany" ? "contractorCompany/extraFields"
                                                               : "contractorHuman/extraFields";
  const value fields = Data(api.Get(tenant_id, path, value::object()));
  if (!fields.is_array()) {
    return "";
  }
  std::string by_label;
  for (const value& f : fields.as_array()) {
    const std::string name = adapters::JsonText(f, "name");
    if (!wanted.empty() && (name == wanted || adapters::JsonText(f, "hrName") == wanted)) {
      return name;
    }
    const std::string label = Lower(adapters::JsonText(f, "hrName"));
    if (by_label.empty() && label.find("линия") != std::string::npos) {
      by_label = name;
    }
  }
  // The settings' field when the account has it; otherwise the one labelled «Линия».
  return by_label;
}

// The transitions from a deal's status to `target`, shortest first; empty when it is there.
std::vector<std::string> MegaplanCrm::Impl::PathTo(const value& program, const std::string& from,
                                                   const std::string& target) {
  if (from == target) {
    return {};
  }
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> edges;
  if (program.has_field("transitions") && program.at("transitions").is_array()) {
    for (const value& t : program.at("transitions").as_array()) {
      if (!t.has_field("from") || !t.has_field("to")) {
        continue;
      }
      edges[Id(t.at("from"))].emplace_back(Id(t), Id(t.at("to")));
    }
  }
  std::map<std::string, std::pair<std::string, std::string>> came;  // state → (prev, transition)
  std::vector<std::string> queue = {from};
  came[from] = {"", ""};
  for (std::size_t i = 0; i < queue.size(); ++i) {
    for (const auto& [transition, to] : edges[queue[i]]) {
      if (!came.count(to)) {
        came[to] = {queue[i], transition};
        queue.push_back(to);
      }
    }
  }
  if (!came.count(target)) {
    throw InvalidArgument("the deal scheme has no way from status " + from + " to " + target,
                          "stage");
  }
  std::vector<std::string> path;
  for (std::string s = target; s != from; s = came[s].first) {
    path.push_back(came[s].second);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

void MegaplanCrm::Impl::MoveDeal(const std::string& tenant_id, const std::string& deal_id,
                                 const std::string& program_id, const std::string& from,
                                 const std::string& target) {
  for (const std::string& transition : PathTo(Program(tenant_id, program_id), from, target)) {
    value body = value::object(true);
    body["transition"] = value::string(transition);
    api.Post(tenant_id, "deal/" + deal_id + "/applyTransition", body, true);
  }
}

// ---- MegaplanCrm ----

MegaplanCrm::MegaplanCrm(ApiClient& api, storage::Database& db, const Clock& clock)
    : impl_(std::make_unique<Impl>(api, db, clock)) {}

MegaplanCrm::~MegaplanCrm() = default;

void MegaplanCrm::AddLine(const std::string&, const std::string&, const std::string&) {
  // Megaplan keeps no list of PBX lines; the line goes into each call's comment.
}

void MegaplanCrm::ShowCall(const std::string&, const std::string&, const std::string&) {
  // No call card placement in Megaplan (issue: a card-pop is not required there).
}

void MegaplanCrm::HideCall(const std::string&, const std::string&, const std::string&) {}

adapters::RegisteredCall MegaplanCrm::RegisterCall(const std::string& tenant_id,
                                                   const adapters::CallRegistration& call) {
  if (call.external_id.empty()) {
    throw InvalidArgument("a Megaplan call needs its external id", "external_id");
  }
  MegaplanCall row;
  row.tenant_id = tenant_id;
  row.call_id = "mp:" + call.external_id;
  std::optional<MegaplanCall> existing;
  storage::WithSession(impl_->db, [&](storage::Session& s) {
    existing = storage::MegaplanCallRepository::Find(s, tenant_id, row.call_id);
  });
  if (existing) {  // a rerun: the same call back
    return {existing->call_id, adapters::RecordFromStoredKey(existing->record_key)};
  }
  std::optional<CrmRecord> bound = call.record;
  if (!bound && !PhoneKey(call.phone).empty()) {
    bound = FindClientByPhone(tenant_id, call.phone);
  }
  row.phone = call.phone;
  row.direction = call.type == adapters::CallType::kOutgoing   ? "outgoing"
                  : call.type == adapters::CallType::kCallback ? "callback"
                                                               : "incoming";
  row.line_number = call.line_number;
  row.user_id = call.user_id;
  row.record_key = bound ? adapters::StoredRecordKey(*bound) : "";
  row.started_at_s = call.started_at_s;
  row.created_at_ms = impl_->clock.NowMs();
  storage::InTransaction(impl_->db, [&](storage::Session& s) {
    row = storage::MegaplanCallRepository::Insert(s, row);
  });
  return {row.call_id, adapters::RecordFromStoredKey(row.record_key)};
}

void MegaplanCrm::FinishCall(const std::string& tenant_id, const adapters::CallFinish& finish) {
  std::optional<MegaplanCall> row;
  storage::WithSession(impl_->db, [&](storage::Session& s) {
    row = storage::MegaplanCallRepository::Find(s, tenant_id, finish.call_id);
  });
  if (!row || row->finish_state == "done") {
    throw NotFound("no open Megaplan call " + finish.call_id);
  }
  std::optional<CrmRecord> target = adapters::RecordFromStoredKey(row->record_key);
  if (!target) {
    // A new number: the client opdesk created for it meanwhile (queued before the finish).
    target = FindClientByPhone(tenant_id, row->phone);
  }
  const std::string entry = finish.call_id.substr(3);
  if (!target) {
    // Megaplan keeps calls only in a client's history: a number nobody knows, for which the
    // settings create nothing, leaves no trace there.
    storage::InTransaction(impl_->db, [&](storage::Session& s) {
      storage::MegaplanCallRepository::SetFinish(s, tenant_id, finish.call_id, "done", "", "");
    });
    return;
  }
  const std::string marker = "ID звонка: " + entry;
  if (row->finish_state == "sending") {
    // An earlier attempt may have written the comment before its answer was lost.
    value params = value::object(true);
    params["limit"] = value::number(50);
    const value comments = impl_->api.Get(tenant_id, PathOf(*target) + "/comments", params);
    if (Data(comments).is_array()) {
      for (const value& c : Data(comments).as_array()) {
        if (adapters::JsonText(c, "content").find(marker) != std::string::npos) {
          storage::InTransaction(impl_->db, [&](storage::Session& s) {
            storage::MegaplanCallRepository::SetFinish(s, tenant_id, finish.call_id, "done", Id(c),
                                                       adapters::StoredRecordKey(*target));
          });
          return;
        }
      }
    }
  }
  std::string responsible = finish.user_id;
  for (const Impl::Employee& e : impl_->Employees(tenant_id)) {
    if (e.id == finish.user_id) {
      responsible = e.name;
    }
  }
  const std::string title = row->direction == "outgoing"   ? "Исходящий звонок"
                            : row->direction == "callback" ? "Обратный звонок"
                                                           : "Входящий звонок";
  std::string text = title + "<br>Номер: " + CanonicalPhone(row->phone);
  if (!row->line_number.empty()) {
    text += "<br>Линия: " + CanonicalPhone(row->line_number);
  }
  text += "<br>Длительность: " + DurationText(finish.duration_s) +
          "<br>Результат: " + OutcomeText(finish.status_code);
  if (!finish.failed_reason.empty()) {
    text += " (" + finish.failed_reason + ")";
  }
  text += "<br>Ответственный: " + responsible + "<br>" + marker;
  storage::InTransaction(impl_->db, [&](storage::Session& s) {
    storage::MegaplanCallRepository::SetFinish(s, tenant_id, finish.call_id, "sending", "",
                                               adapters::StoredRecordKey(*target));
  });
  value body = value::object(true);
  body["content"] = value::string(text);
  // Contractor comments answered 500 on some builds ([SDKPY], reference §2.4): that is
  // retried like any 5xx and, if it persists, dead-letters with the account's answer.
  const value created = impl_->api.Post(tenant_id, PathOf(*target) + "/comments", body, false);
  storage::InTransaction(impl_->db, [&](storage::Session& s) {
    storage::MegaplanCallRepository::SetFinish(s, tenant_id, finish.call_id, "done",
                                               Id(Data(created)),
                                               adapters::StoredRecordKey(*target));
  });
}

void MegaplanCrm::AttachRecording(const std::string& tenant_id, const std::string& call_id,
                                  const std::string& filename, const std::string& path) {
  std::optional<MegaplanCall> row;
  storage::WithSession(impl_->db, [&](storage::Session& s) {
    row = storage::MegaplanCallRepository::Find(s, tenant_id, call_id);
  });
  if (!row) {
    throw NotFound("no Megaplan call " + call_id);
  }
  if (row->finish_state != "done") {
    throw Unavailable("the call's comment is not written yet; the recording waits");
  }
  const std::optional<CrmRecord> target = adapters::RecordFromStoredKey(row->record_key);
  if (!target) {
    return;  // no client to keep it with (see FinishCall)
  }
  // The upload endpoint is not described in the sources read (reference §2.4 "/api/v3/file,
  // not examined"): an answer without a file id is an error rather than a comment without it.
  const value uploaded = impl_->api.PostFile(tenant_id, "file", filename, path);
  const value& data = Data(uploaded);
  const std::string file_id = data.is_array() && data.size() > 0 ? Id(data.at(0)) : Id(data);
  if (file_id.empty()) {
    throw Unavailable("Megaplan's upload answer names no file");
  }
  value body = value::object(true);
  body["content"] = value::string("Запись разговора: " + filename);
  body["attaches"] = value::array({Ref("File", file_id)});
  impl_->api.Post(tenant_id, PathOf(*target) + "/comments", body, false);
}

bool MegaplanCrm::RefreshClient(const std::string& tenant_id, const std::string& contractor_id,
                                long long generation) {
  value found;
  bool gone = false;
  try {
    found = Data(impl_->api.Get(tenant_id, "contractor/" + contractor_id, value::object()));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kNotFound) {
      throw;
    }
    gone = true;
  }
  // Both kinds share the id space of /contractor; the old entries go whatever the kind.
  impl_->Forget(tenant_id, {"contact", contractor_id});
  impl_->Forget(tenant_id, {"company", contractor_id});
  if (!gone && found.is_object()) {
    Impl::Client client{{EntityOf(adapters::JsonText(found, "contentType")), Id(found)},
                        ResponsiblesOf(found)};
    if (!client.record.entity.empty() && client.record.id == contractor_id) {
      impl_->Remember(tenant_id, PhoneKeysOf(found), client);
    } else {
      gone = true;
    }
  }
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    Impl::PhoneIndex& idx = impl_->index[tenant_id];
    if (idx.generation == generation - 1) {
      idx.generation = generation;
    }
  }
  return !gone;
}

std::optional<CrmRecord> MegaplanCrm::FindClientByPhone(const std::string& tenant_id,
                                                        const std::string& phone) {
  const std::vector<Impl::Client> clients =
      impl_->Lookup(tenant_id, phone, std::chrono::milliseconds(15'000));
  if (clients.empty()) {
    return std::nullopt;
  }
  return clients.front().record;
}

adapters::FoundClient MegaplanCrm::FindCreatedClient(const std::string& tenant_id,
                                                     const adapters::ClientLookup& lookup) {
  adapters::FoundClient found;
  std::vector<std::pair<std::string, std::string>> created;
  storage::WithSession(impl_->db, [&](storage::Session& s) {
    created = storage::MegaplanCreatedRepository::Find(s, tenant_id, lookup.origin.origin);
  });
  for (const auto& [kind, id] : created) {
    if (kind == "contact") {
      found.contact_id = id;
    } else if (kind == "company") {
      found.company_id = id;
    } else if (kind == "deal") {
      found.deal_id = id;
    }
  }
  found.known = FindClientByPhone(tenant_id, lookup.phone);
  return found;
}

adapters::CreatedClient MegaplanCrm::CreateClient(const std::string& tenant_id,
                                                  const adapters::NewClient& client) {
  adapters::CreatedClient out;
  if (client.lead) {
    out.error = InvalidArgument("Megaplan has no leads: choose a client (and a deal)", "lead");
    return out;
  }
  const std::string phone = CanonicalPhone(client.phone);
  auto remember = [&](const std::string& kind, const std::string& id) {
    storage::InTransaction(impl_->db, [&](storage::Session& s) {
      storage::MegaplanCreatedRepository::Remember(s, tenant_id, client.origin.origin, kind, id,
                                                   impl_->clock.NowMs());
    });
  };
  auto contacts = [&]() {
    value info = value::object(true);
    info["contentType"] = value::string("ContactInfo");
    info["type"] = value::string("phone");
    info["value"] = value::string(phone);
    info["isMain"] = value::boolean(true);
    return value::array({info});
  };
  const std::string responsible =
      !client.responsible_user_id.empty()
          ? client.responsible_user_id
          : (!client.creator_user_id.empty() ? client.creator_user_id
                                             : impl_->api.IntegrationEmployee(tenant_id));
  try {
    auto add = [&](const std::string& type, const std::string& path, value body) {
      body["contentType"] = value::string(type);
      if (!phone.empty()) {
        body["contactInfo"] = contacts();
      }
      if (!responsible.empty()) {
        body["responsibles"] = value::array({Ref("Employee", responsible)});
      }
      // B6: the line into the account's own field, found through its extra fields. The
      // creator (seed 004: the employee who answered) is the responsible here: whether API v3
      // lets `userCreated` be set is not in the sources read, so it is not sent.
      if (!client.line_number.empty()) {
        const std::string field = impl_->LineField(tenant_id, type, client.line_field);
        if (!field.empty()) {
          body[field] = value::string(CanonicalPhone(client.line_number));
        }
      }
      const value created = Data(impl_->api.Post(tenant_id, path, body, false));
      const std::string id = Id(created);
      if (id.empty()) {
        throw Unavailable("Megaplan created a " + type + " but named no id");
      }
      impl_->Remember(tenant_id, PhoneKeysOf(created),
                      {{EntityOf(type), id}, ResponsiblesOf(created)});
      return id;
    };
    if (client.company) {
      value body = value::object(true);
      body["name"] = value::string(client.name);
      out.company_id = add("ContractorCompany", "contractorCompany", body);
      remember("company", out.company_id);
    }
    if (client.contact) {
      value body = value::object(true);
      body["firstName"] = value::string(client.name);
      out.contact_id = add("ContractorHuman", "contractorHuman", body);
      remember("contact", out.contact_id);
    }
    if (client.deal) {
      std::string program = client.deal_category_id;
      if (program.empty() || program == "0") {
        const auto programs = impl_->Programs(tenant_id);
        if (programs.empty()) {
          throw InvalidArgument("the Megaplan account has no deal scheme", "deal_category_id");
        }
        program = programs.front().first;
      }
      std::string contractor_type = "ContractorHuman";
      std::string contractor = !out.contact_id.empty() ? out.contact_id : client.deal_contact_id;
      if (contractor.empty()) {
        contractor_type = "ContractorCompany";
        contractor = !out.company_id.empty() ? out.company_id : client.deal_company_id;
      }
      value body = value::object(true);
      body["contentType"] = value::string("Deal");
      body["program"] = Ref("Program", program);
      body["contractor"] = Ref(contractor_type, contractor);
      body["name"] = value::string(client.name);
      body["description"] = value::string("Звонок " + phone);
      if (!responsible.empty()) {
        body["manager"] = Ref("Employee", responsible);
      }
      // The status is reached by transitions after creation: whether `state` may be set on
      // creation is not confirmed (reference §2.2) and the emulated account refuses it.
      const value created = Data(impl_->api.Post(tenant_id, "deal", body, false));
      out.deal_id = Id(created);
      remember("deal", out.deal_id);
      if (!client.deal_stage_id.empty() && created.has_field("state")) {
        impl_->MoveDeal(tenant_id, out.deal_id, program, Id(created.at("state")),
                        client.deal_stage_id);
      }
    }
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kInvalidArgument || e.code() == ErrorCode::kPermissionDenied) {
      out.error = InvalidArgument(e.what(), e.field());
    } else {
      out.error = Unavailable(e.what());
    }
  }
  return out;
}

std::vector<adapters::ClientResponsibles> MegaplanCrm::FindResponsibles(
    const std::string& tenant_id, const std::string& phone,
    const adapters::RequestOptions& options) {
  std::vector<adapters::ClientResponsibles> out;
  // Within the greeting: the index and one search, never a rebuild of the index.
  for (const Impl::Client& c : impl_->Lookup(tenant_id, phone, options.deadline, false)) {
    out.push_back({c.record, c.responsibles});
  }
  return out;
}

std::vector<std::string> MegaplanCrm::OpenDeals(const std::string& tenant_id,
                                                const CrmRecord& client,
                                                const std::string& pipeline,
                                                const adapters::RequestOptions& options) {
  const std::string type = client.entity == "company" ? "ContractorCompany" : "ContractorHuman";
  value term = value::object(true);
  term["contentType"] = value::string("FilterTermRef");
  term["field"] = value::string("contractor");  // assumed name (reference §5)
  term["comparison"] = value::string("equals");
  term["value"] = value::array({Ref(type, client.id)});
  value group = value::object(true);
  group["contentType"] = value::string("FilterTermGroup");
  group["join"] = value::string("and");
  group["terms"] = value::array({term});
  value config = value::object(true);
  config["contentType"] = value::string("FilterConfig");
  config["termGroup"] = group;
  value filter = value::object(true);
  filter["contentType"] = value::string("TradeFilter");
  filter["id"] = value::null();
  filter["program"] = Ref("Program", pipeline.empty() || pipeline == "0" ? "all" : pipeline);
  filter["config"] = config;
  value params = value::object(true);
  params["filter"] = filter;
  params["fields"] = value::array({value::string("state"), value::string("program"),
                                   value::string("contractor"), value::string("timeCreated")});
  params["limit"] = value::number(100);
  const value list = impl_->api.Get(tenant_id, "deal", params, options.deadline);
  std::vector<std::pair<long long, std::string>> open;
  if (Data(list).is_array()) {
    for (const value& d : Data(list).as_array()) {
      // The filter's field name is an assumption: the answer is checked here as well.
      if (!d.has_field("contractor") || Id(d.at("contractor")) != client.id) {
        continue;
      }
      if (!pipeline.empty() && pipeline != "0" && d.has_field("program") &&
          Id(d.at("program")) != pipeline) {
        continue;
      }
      bool final_state = d.has_field("state") && IsFinalState(d.at("state"));
      if (!final_state && d.has_field("state") && d.has_field("program") &&
          !d.at("state").has_field("type")) {
        const value program = impl_->Program(tenant_id, Id(d.at("program")));
        for (const value& s : program.at("states").as_array()) {
          if (Id(s) == Id(d.at("state"))) {
            final_state = IsFinalState(s);
          }
        }
      }
      if (!final_state) {
        long long n = 0;
        try {
          n = std::stoll(Id(d));
        } catch (const std::exception&) {
        }
        open.emplace_back(n, Id(d));
      }
    }
  }
  std::sort(open.begin(), open.end(), [](auto& a, auto& b) { return a.first > b.first; });
  std::vector<std::string> ids;
  for (auto& [n, id] : open) {
    ids.push_back(id);
  }
  return ids;
}

std::string MegaplanCrm::DealPipeline(const std::string& tenant_id, const std::string& deal_id,
                                      const adapters::RequestOptions& options) {
  const value deal =
      Data(impl_->api.Get(tenant_id, "deal/" + deal_id, value::object(), options.deadline));
  return deal.has_field("program") ? Id(deal.at("program")) : "";
}

std::string MegaplanCrm::AddComment(const std::string& tenant_id, const CrmRecord& record,
                                    const std::string& text, const adapters::RequestOptions&) {
  value body = value::object(true);
  body["content"] = value::string(text);
  return Id(Data(impl_->api.Post(tenant_id, PathOf(record) + "/comments", body, false)));
}

std::string MegaplanCrm::AddActivity(const std::string& tenant_id, const CrmRecord& record,
                                     const adapters::ActivityRequest& activity,
                                     const adapters::RequestOptions& options) {
  // Megaplan has no to-dos on clients: a task about the record.
  adapters::TaskRequest task;
  task.title = activity.title;
  task.description = activity.description;
  task.deadline = activity.deadline;
  task.responsible_user_id = activity.responsible_user_id;
  task.record = record;
  return AddTask(tenant_id, task, options);
}

std::string MegaplanCrm::AddTask(const std::string& tenant_id, const adapters::TaskRequest& task,
                                 const adapters::RequestOptions&) {
  value body = value::object(true);
  body["contentType"] = value::string("Task");
  body["name"] = value::string(task.title);
  body["statement"] = value::string(task.description);
  if (!task.responsible_user_id.empty()) {
    body["responsible"] = Ref("Employee", task.responsible_user_id);
  }
  if (!task.deadline.empty()) {
    body["deadline"] = value::string(task.deadline);  // the shape of deadlines is not confirmed
  }
  if (task.record) {
    const std::string type = task.record->entity == "deal"      ? "Deal"
                             : task.record->entity == "company" ? "ContractorCompany"
                                                                : "ContractorHuman";
    body["subject"] = Ref(type, task.record->id);
  }
  return Id(Data(impl_->api.Post(tenant_id, "task", body, false)));
}

void MegaplanCrm::SetLeadStatus(const std::string&, const std::string&, const std::string&,
                                const adapters::RequestOptions&) {
  throw InvalidArgument("Megaplan has no leads", "lead");
}

void MegaplanCrm::SetDealStage(const std::string& tenant_id, const std::string& deal_id,
                               const std::string& stage_id,
                               const adapters::RequestOptions& options) {
  const value deal =
      Data(impl_->api.Get(tenant_id, "deal/" + deal_id, value::object(), options.deadline));
  if (!deal.has_field("state") || !deal.has_field("program")) {
    throw Unavailable("Megaplan's deal " + deal_id + " came without its status");
  }
  impl_->MoveDeal(tenant_id, deal_id, Id(deal.at("program")), Id(deal.at("state")), stage_id);
}

std::string MegaplanCrm::FindUserByExtension(const std::string& tenant_id,
                                             const std::string& extension) {
  for (const Impl::Employee& e : impl_->Employees(tenant_id)) {
    if (e.active && !extension.empty() && e.extension == extension) {
      return e.id;
    }
  }
  return "";
}

std::string MegaplanCrm::UserExtension(const std::string& tenant_id, const std::string& user_id) {
  for (const Impl::Employee& e : impl_->Employees(tenant_id)) {
    if (e.id == user_id) {
      return e.extension;
    }
  }
  return "";
}

bool MegaplanCrm::IsActiveUser(const std::string& tenant_id, const std::string& user_id,
                               const adapters::RequestOptions&) {
  for (const Impl::Employee& e : impl_->Employees(tenant_id)) {
    if (e.id == user_id) {
      return e.active;
    }
  }
  return false;
}

std::vector<adapters::CrmUser> MegaplanCrm::FetchUsers(const std::string& tenant_id) {
  std::vector<adapters::CrmUser> out;
  for (const Impl::Employee& e : impl_->Employees(tenant_id)) {
    out.push_back({e.id, e.name, e.email, e.active, e.extension});
  }
  return out;
}

std::vector<adapters::CrmUser> MegaplanCrm::ListActiveUsers(const std::string& tenant_id) {
  std::vector<adapters::CrmUser> out;
  for (const adapters::CrmUser& u : FetchUsers(tenant_id)) {
    if (u.active) {
      out.push_back(u);
    }
  }
  return out;
}

adapters::MarketplaceStatus MegaplanCrm::FetchMarketplaceStatus(const std::string&) {
  // A password-connected account has no marketplace subscription: "L" (local), as a boxed
  // Bitrix24 install reads.
  adapters::MarketplaceStatus status;
  status.status = "L";
  status.fetched_at_ms = impl_->clock.NowMs();
  return status;
}

CrmCatalog MegaplanCrm::FetchCatalog(const std::string& tenant_id) {
  CrmCatalog catalog;
  for (const auto& [id, name] : impl_->Programs(tenant_id)) {
    DealCategory category;
    category.id = id;
    category.name = name;
    const value program = impl_->Program(tenant_id, id);
    int sort = 0;
    if (program.has_field("states") && program.at("states").is_array()) {
      for (const value& s : program.at("states").as_array()) {
        const std::string type = adapters::JsonText(s, "type");
        category.stages.push_back({Id(s), adapters::JsonText(s, "name"), sort += 10,
                                   type == "positive" ? "S"
                                   : IsFinalState(s)  ? "F"
                                                      : ""});
      }
    }
    catalog.deal_categories.push_back(category);
  }
  for (const auto& [entity, path] :
       {std::pair<std::string, std::string>{"contact", "contractorHuman"},
        {"company", "contractorCompany"}}) {
    const value fields = Data(impl_->api.Get(tenant_id, path + "/extraFields", value::object()));
    if (fields.is_array()) {
      for (const value& f : fields.as_array()) {
        catalog.fields[entity].push_back({adapters::JsonText(f, "name"),
                                          adapters::JsonText(f, "hrName"),
                                          adapters::JsonText(f, "type"), false, false, false});
      }
    }
  }
  catalog.fetched_at_ms = impl_->clock.NowMs();
  return catalog;
}

adapters::ClientHistory MegaplanCrm::ReadClientHistory(const std::string& tenant_id,
                                                       const CrmRecord& client, int page,
                                                       const adapters::RequestOptions& options) {
  adapters::ClientHistory history;
  if (page > 1) {
    return history;  // one page: the newest comments and deals
  }
  value params = value::object(true);
  params["limit"] = value::number(adapters::kHistoryPageSize);
  const value comments =
      impl_->api.Get(tenant_id, PathOf(client) + "/comments", params, options.deadline);
  if (Data(comments).is_array()) {
    for (const value& c : Data(comments).as_array()) {
      history.comments.push_back({Id(c), adapters::JsonText(c, "timeCreated"),
                                  c.has_field("owner") ? Id(c.at("owner")) : "",
                                  adapters::JsonText(c, "content")});
    }
  }
  return history;
}

adapters::CrmChoices MegaplanCrm::ListChoices(const std::string& tenant_id,
                                              const adapters::ChoicesQuery& query,
                                              const adapters::RequestOptions&) {
  adapters::CrmChoices choices;
  choices.leads = false;  // Megaplan keeps clients and deals; it has no leads
  for (const auto& [id, name] : impl_->Programs(tenant_id)) {
    choices.pipelines.push_back(id);
  }
  // A scheme the account does not list has no statuses to ask for (its card would be a 404,
  // which the settings would take for an unreachable CRM rather than a wrong choice).
  if (query.pipeline && !query.pipeline->empty() &&
      std::find(choices.pipelines.begin(), choices.pipelines.end(), *query.pipeline) !=
          choices.pipelines.end()) {
    const value program = impl_->Program(tenant_id, *query.pipeline);
    if (program.has_field("states") && program.at("states").is_array()) {
      for (const value& s : program.at("states").as_array()) {
        choices.stages.insert(Id(s));
      }
    }
  }
  return choices;
}

}  // namespace opdesk::megaplan
