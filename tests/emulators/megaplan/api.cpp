// The account's API v3 as opdesk uses it (reference megaplan.md §1–2): the envelope
// {meta:{status, errors}, data, included}, the password grant, bearer tokens that expire, GET
// parameters as one URL-encoded JSON object, ids as strings.
#include <algorithm>
#include <optional>
#include <regex>

#include "tests/emulators/common/util.h"
#include "tests/emulators/megaplan/state.h"

namespace mpemu {

std::string Str(const Json& obj, const std::string& key, const std::string& fallback) {
  if (!obj.is_object() || !obj.has_field(key)) {
    return fallback;
  }
  const Json& v = obj.at(key);
  if (v.is_string()) {
    return v.as_string();
  }
  if (v.is_number()) {
    return std::to_string(v.as_number().to_int64());
  }
  return fallback;
}

Json Obj() {
  return Json::object(true);
}

Json Ref(const std::string& content_type, const std::string& id) {
  Json r = Obj();
  r["contentType"] = Json::string(content_type);
  r["id"] = Json::string(id);
  return r;
}

std::string PhoneKey(const std::string& text) {
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits += c;
    }
  }
  return digits.size() > 10 ? digits.substr(digits.size() - 10) : digits;
}

namespace {

HttpOutcome Envelope(int status, Json data, Json errors = Json::array()) {
  HttpOutcome out;
  out.status = status;
  Json meta = Obj();
  meta["status"] = Json::number(status);
  meta["errors"] = std::move(errors);
  out.body = Obj();
  out.body["meta"] = meta;
  out.body["data"] = std::move(data);
  return out;
}

HttpOutcome Fail(int status, const std::string& message, const std::string& field = "") {
  Json e = Obj();
  e["message"] = Json::string(message);
  e["field"] = field.empty() ? Json::null() : Json::string(field);
  return Envelope(status, Json::null(), Json::array({e}));
}

HttpOutcome List(std::vector<Json> items, const Json& params) {
  int64_t limit = 100;
  if (params.is_object() && params.has_field("limit") && params.at("limit").is_number()) {
    limit = std::clamp<int64_t>(params.at("limit").as_number().to_int64(), 1, 100);
  }
  std::string after;
  if (params.is_object() && params.has_field("pageAfter")) {
    after = Str(params.at("pageAfter"), "id");
  }
  std::vector<Json> page;
  bool started = after.empty();
  bool more = false;
  for (const Json& item : items) {
    if (!started) {
      started = Str(item, "id") == after;
      continue;
    }
    if (static_cast<int64_t>(page.size()) == limit) {
      more = true;
      break;
    }
    page.push_back(item);
  }
  HttpOutcome out = Envelope(200, Json::array(page));
  Json pagination = Obj();
  pagination["count"] = Json::number(static_cast<int64_t>(items.size()));
  pagination["limit"] = Json::number(limit);
  pagination["hasMoreNext"] = Json::boolean(more);
  out.body["meta"]["pagination"] = pagination;
  return out;
}

// multipart/form-data fields (the password grant).
std::map<std::string, std::string> ParseMultipart(const std::string& content_type,
                                                  const std::string& body) {
  std::map<std::string, std::string> out;
  const auto b = content_type.find("boundary=");
  if (b == std::string::npos) {
    return out;
  }
  std::string boundary = content_type.substr(b + 9);
  if (!boundary.empty() && boundary.front() == '"') {
    boundary = boundary.substr(1, boundary.find('"', 1) - 1);
  }
  const std::string delim = "--" + boundary;
  std::size_t pos = body.find(delim);
  while (pos != std::string::npos) {
    pos += delim.size();
    if (body.compare(pos, 2, "--") == 0) {
      break;
    }
    const std::size_t headers_end = body.find("\r\n\r\n", pos);
    const std::size_t next = body.find(delim, pos);
    if (headers_end == std::string::npos || next == std::string::npos) {
      break;
    }
    const std::string headers = body.substr(pos, headers_end - pos);
    std::smatch m;
    if (std::regex_search(headers, m, std::regex("name=\"([^\"]*)\""))) {
      std::size_t value_end = next;
      if (value_end >= 2 && body.compare(value_end - 2, 2, "\r\n") == 0) {
        value_end -= 2;
      }
      out[m[1].str()] = body.substr(headers_end + 4, value_end - headers_end - 4);
    }
    pos = next;
  }
  return out;
}

HttpOutcome AccessToken(State& st, const std::string& content_type, const std::string& body) {
  if (content_type.find("multipart/form-data") == std::string::npos) {
    return Fail(400, "the token request must be multipart/form-data");
  }
  auto form = ParseMultipart(content_type, body);
  HttpOutcome out;
  out.body = Obj();
  if (form["grant_type"] != "password") {
    out.status = 400;
    out.body["error"] = Json::string("unsupported_grant_type");
    return out;
  }
  auto it = st.logins.find(form["username"]);
  if (it == st.logins.end() || it->second.password != form["password"]) {
    out.status = 401;
    out.body["error"] = Json::string("invalid_grant");
    out.body["error_description"] = Json::string("Неверный логин или пароль");
    return out;
  }
  const std::string token = emu::RandomHex(40);
  st.tokens[token] = {it->second.employee_id, emu::NowMs() + st.token_ttl_s * 1000, false};
  out.status = 200;
  out.body["access_token"] = Json::string(token);
  out.body["expires_in"] = Json::number(st.token_ttl_s);
  out.body["token_type"] = Json::string("bearer");
  out.body["scope"] = Json::null();
  out.body["refresh_token"] = Json::string(emu::RandomHex(40));
  return out;
}

// Nested employee references inline (the default) or as references with the employees once in
// `included` (header X-USE-INCLUDED-RESPONSE).
Json Expand(const State& st, const Json& entity, std::map<std::string, Json>* included) {
  if (!entity.is_object()) {
    return entity;
  }
  Json out = entity;
  for (const char* key : {"responsibles", "manager", "owner", "userCreated"}) {
    if (!out.has_field(key)) {
      continue;
    }
    auto expand_one = [&](const Json& ref) -> Json {
      if (Str(ref, "contentType") != "Employee") {
        return ref;
      }
      auto e = st.employees.find(Str(ref, "id"));
      if (e == st.employees.end()) {
        return ref;
      }
      if (included) {
        (*included)["Employee:" + e->first] = e->second;
        return ref;
      }
      return e->second;
    };
    Json& v = out[key];
    if (v.is_array()) {
      std::vector<Json> items;
      for (const Json& r : v.as_array()) {
        items.push_back(expand_one(r));
      }
      v = Json::array(items);
    } else if (v.is_object()) {
      v = expand_one(v);
    }
  }
  return out;
}

HttpOutcome WithIncluded(const State& st, HttpOutcome out, bool use_included) {
  if (!out.body.is_object() || !out.body.has_field("data")) {
    return out;
  }
  std::map<std::string, Json> included;
  Json& data = out.body["data"];
  if (data.is_array()) {
    std::vector<Json> items;
    for (const Json& item : data.as_array()) {
      items.push_back(Expand(st, item, use_included ? &included : nullptr));
    }
    data = Json::array(items);
  } else {
    data = Expand(st, data, use_included ? &included : nullptr);
  }
  if (use_included) {
    std::vector<Json> list;
    for (auto& [k, v] : included) {
      list.push_back(v);
    }
    out.body["included"] = Json::array(list);
  }
  return out;
}

bool PhoneMatches(const Json& entity, const std::string& digits) {
  if (!entity.has_field("contactInfo")) {
    return false;
  }
  for (const Json& c : entity.at("contactInfo").as_array()) {
    if (Str(c, "type") == "phone" && !digits.empty() && PhoneKey(Str(c, "value")) == digits) {
      return true;
    }
  }
  return false;
}

std::string TitleOf(const Json& c) {
  if (Str(c, "contentType") == "ContractorCompany") {
    return Str(c, "name");
  }
  return Str(c, "firstName") + (Str(c, "lastName").empty() ? "" : " " + Str(c, "lastName"));
}

HttpOutcome ListContractors(State& st, const Json& params) {
  const std::string q = Str(params, "q");
  std::vector<Json> items;
  for (auto& [id, c] : st.contractors) {
    if (!q.empty()) {
      const std::string digits = PhoneKey(q);
      const bool by_phone = digits.size() >= 5 && PhoneMatches(c, digits);
      const bool by_name = TitleOf(c).find(q) != std::string::npos;
      if (!by_phone && !by_name) {
        continue;
      }
    }
    items.push_back(c);
  }
  return List(items, params);
}

// Custom fields must be ones the account has for that type; employees must exist.
std::optional<HttpOutcome> CheckContractor(const State& st, const std::string& type,
                                           const Json& body) {
  for (const auto& [key, v] : body.as_object()) {
    if (key.rfind("Category", 0) == 0) {
      const auto& fields =
          st.extra_fields.count(type) ? st.extra_fields.at(type) : std::vector<Json>{};
      bool known = std::any_of(fields.begin(), fields.end(),
                               [&, k = key](const Json& f) { return Str(f, "name") == k; });
      if (!known) {
        return Fail(422, "Неизвестное поле", key);
      }
    }
  }
  if (body.has_field("responsibles")) {
    for (const Json& r : body.at("responsibles").as_array()) {
      if (!st.employees.count(Str(r, "id"))) {
        return Fail(422, "Сотрудник не найден", "responsibles");
      }
    }
  }
  if (body.has_field("contactInfo") && !body.at("contactInfo").is_array()) {
    return Fail(422, "contactInfo must be an array", "contactInfo");
  }
  return std::nullopt;
}

HttpOutcome SaveContractor(State& st, const std::string& type, const std::string& id,
                           const Json& body, const std::string& user) {
  if (auto bad = CheckContractor(st, type, body)) {
    return *bad;
  }
  if (type == "ContractorCompany"
          ? Str(body, "name").empty()
          : (id.empty() && Str(body, "firstName").empty() && Str(body, "lastName").empty())) {
    return Fail(422, "Не заполнено имя", type == "ContractorCompany" ? "name" : "firstName");
  }
  Json entity = id.empty() ? Obj() : st.contractors[id];
  if (id.empty()) {
    entity["contentType"] = Json::string(type);
    entity["id"] = Json::string(st.NextId());
    entity["timeCreated"] = Json::number(emu::NowMs());
    entity["userCreated"] = Ref("Employee", user);
    entity["responsibles"] = Json::array({Ref("Employee", user)});
    entity["contactInfo"] = Json::array();
  }
  for (const auto& [key, v] : body.as_object()) {
    if (key != "id" && key != "contentType") {
      entity[key] = v;
    }
  }
  st.contractors[Str(entity, "id")] = entity;
  return Envelope(200, entity);
}

const Json* FindState(const Json& program, const std::string& state_id) {
  for (const Json& s : program.at("states").as_array()) {
    if (Str(s, "id") == state_id) {
      return &s;
    }
  }
  return nullptr;
}

HttpOutcome CreateDeal(State& st, const Json& body, const std::string& user) {
  if (body.has_field("state")) {
    // Modelled on the uncertain point of reference §2.2: this account refuses a status on
    // creation, so a client must create and then apply a transition.
    return Fail(422, "Статус нельзя задать при создании сделки", "state");
  }
  const std::string program_id = body.has_field("program") ? Str(body.at("program"), "id") : "";
  auto p = st.programs.find(program_id);
  if (p == st.programs.end()) {
    return Fail(422, "Схема не найдена", "program");
  }
  if (!body.has_field("contractor") || !st.contractors.count(Str(body.at("contractor"), "id"))) {
    return Fail(422, "Клиент не найден", "contractor");
  }
  if (body.has_field("manager") && !st.employees.count(Str(body.at("manager"), "id"))) {
    return Fail(422, "Сотрудник не найден", "manager");
  }
  Json deal = Obj();
  deal["contentType"] = Json::string("Deal");
  deal["id"] = Json::string(st.NextId());
  deal["number"] = Json::string(std::to_string(st.deals.size() + 1));
  for (const auto& [key, v] : body.as_object()) {
    deal[key] = v;
  }
  deal["program"] = Ref("Program", program_id);
  deal["state"] = p->second.at("states").as_array().at(0);
  deal["userCreated"] = Ref("Employee", user);
  if (!deal.has_field("manager")) {
    deal["manager"] = Ref("Employee", user);
  }
  deal["timeCreated"] = Json::number(emu::NowMs());
  st.deals[Str(deal, "id")] = deal;
  return Envelope(200, deal);
}

HttpOutcome ApplyTransition(State& st, const std::string& id, const Json& body) {
  auto d = st.deals.find(id);
  if (d == st.deals.end()) {
    return Fail(404, "Сделка не найдена");
  }
  const std::string transition = Str(body, "transition");
  const Json& program = st.programs.at(Str(d->second.at("program"), "id"));
  for (const Json& t : program.at("transitions").as_array()) {
    if (Str(t, "id") == transition) {
      if (Str(t.at("from"), "id") != Str(d->second.at("state"), "id")) {
        return Fail(422, "Переход недоступен из текущего статуса", "transition");
      }
      d->second["state"] = *FindState(program, Str(t.at("to"), "id"));
      return Envelope(200, d->second);
    }
  }
  return Fail(422, "Переход не найден", "transition");
}

// TradeFilter terms the connector sends: contractor equals [ref]; the filter's program.
HttpOutcome ListDeals(State& st, const Json& params) {
  std::string contractor;
  std::string program = "all";
  if (params.has_field("filter")) {
    const Json& f = params.at("filter");
    if (f.has_field("program")) {
      program = Str(f.at("program"), "id", "all");
    }
    if (f.has_field("config") && f.at("config").has_field("termGroup")) {
      for (const Json& term : f.at("config").at("termGroup").at("terms").as_array()) {
        if (Str(term, "field") == "contractor" && term.at("value").is_array() &&
            term.at("value").size() > 0) {
          contractor = Str(term.at("value").at(0), "id");
        }
      }
    }
  }
  std::vector<Json> items;
  for (auto it = st.deals.rbegin(); it != st.deals.rend(); ++it) {
    const Json& d = it->second;
    if (!contractor.empty() && Str(d.at("contractor"), "id") != contractor) {
      continue;
    }
    if (program != "all" && Str(d.at("program"), "id") != program) {
      continue;
    }
    items.push_back(d);
  }
  return List(items, params);
}

HttpOutcome AddComment(State& st, const std::string& type, const std::string& id, const Json& body,
                       const std::string& user) {
  const bool exists = type == "deal" ? st.deals.count(id) > 0 : st.contractors.count(id) > 0;
  if (!exists) {
    return Fail(404, "Объект не найден");
  }
  if (Str(body, "content").empty()) {
    return Fail(422, "Пустой комментарий", "content");
  }
  Json c = Obj();
  c["contentType"] = Json::string("Comment");
  c["id"] = Json::string(st.NextId());
  c["content"] = body.at("content");
  c["subject"] = Ref(type == "deal" ? "Deal" : Str(st.contractors.at(id), "contentType"), id);
  c["owner"] = Ref("Employee", user);
  c["timeCreated"] = Json::number(emu::NowMs());
  st.comments.push_back(c);
  return Envelope(200, c);
}

Json ParseParams(const std::string& query, bool* ok) {
  *ok = true;
  if (query.empty()) {
    return Obj();
  }
  try {
    Json params = Json::parse(emu::UrlDecode(query));
    *ok = params.is_object();
    return params;
  } catch (const std::exception&) {
    *ok = false;
    return Json::null();
  }
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos < path.size()) {
    std::size_t next = path.find('/', pos);
    if (next == std::string::npos) {
      next = path.size();
    }
    if (next > pos) {
      parts.push_back(path.substr(pos, next - pos));
    }
    pos = next + 1;
  }
  return parts;
}

HttpOutcome Route(State& st, const std::string& method, const std::vector<std::string>& p,
                  const Json& params, const Json& body, const std::string& user) {
  const std::size_t n = p.size();
  if (method == "GET" && n == 1 && p[0] == "currentUser") {
    return Envelope(200, st.employees.at(user));
  }
  if (p[0] == "employee") {
    if (method == "GET" && n == 1) {
      std::vector<Json> items;
      for (auto& [id, e] : st.employees) {
        items.push_back(e);
      }
      return List(items, params);
    }
    if (method == "GET" && n == 2) {
      auto e = st.employees.find(p[1]);
      return e == st.employees.end() ? Fail(404, "Сотрудник не найден") : Envelope(200, e->second);
    }
  }
  if (p[0] == "contractor" && method == "GET") {
    if (n == 1) {
      return ListContractors(st, params);
    }
    auto c = st.contractors.find(p[1]);
    return c == st.contractors.end() ? Fail(404, "Клиент не найден") : Envelope(200, c->second);
  }
  if (p[0] == "contractorHuman" || p[0] == "contractorCompany") {
    const std::string type = p[0] == "contractorHuman" ? "ContractorHuman" : "ContractorCompany";
    if (method == "GET" && n == 2 && p[1] == "extraFields") {
      return Envelope(200, Json::array(st.extra_fields[type]));
    }
    if (method == "POST" && n == 1) {
      return SaveContractor(st, type, "", body, user);
    }
    if (n >= 2 && !st.contractors.count(p[1])) {
      return Fail(404, "Клиент не найден");
    }
    if (method == "POST" && n == 2) {
      return SaveContractor(st, type, p[1], body, user);
    }
    if (n == 3 && p[2] == "comments") {
      if (method == "POST") {
        return AddComment(st, p[0], p[1], body, user);
      }
      std::vector<Json> items;
      for (auto it = st.comments.rbegin(); it != st.comments.rend(); ++it) {
        if (Str(it->at("subject"), "id") == p[1]) {
          items.push_back(*it);
        }
      }
      return List(items, params);
    }
  }
  if (p[0] == "program" && method == "GET") {
    if (n == 1) {
      std::vector<Json> items;
      for (auto& [id, prog] : st.programs) {
        Json brief = Ref("Program", id);
        brief["name"] = prog.at("name");
        items.push_back(brief);
      }
      return List(items, params);
    }
    auto prog = st.programs.find(p[1]);
    return prog == st.programs.end() ? Fail(404, "Схема не найдена") : Envelope(200, prog->second);
  }
  if (p[0] == "deal") {
    if (method == "GET" && n == 1) {
      return ListDeals(st, params);
    }
    if (method == "POST" && n == 1) {
      return CreateDeal(st, body, user);
    }
    if (n >= 2 && !st.deals.count(p[1])) {
      return Fail(404, "Сделка не найдена");
    }
    if (method == "GET" && n == 2) {
      return Envelope(200, st.deals.at(p[1]));
    }
    if (method == "POST" && n == 3 && p[2] == "applyTransition") {
      return ApplyTransition(st, p[1], body);
    }
    if (method == "POST" && n == 3 && p[2] == "comments") {
      return AddComment(st, "deal", p[1], body, user);
    }
  }
  if (p[0] == "task" && method == "POST" && n == 1) {
    if (Str(body, "name").empty()) {
      return Fail(422, "Не заполнено название", "name");
    }
    Json task = body;
    task["contentType"] = Json::string("Task");
    task["id"] = Json::string(st.NextId());
    task["owner"] = Ref("Employee", user);
    st.tasks.push_back(task);
    return Envelope(200, task);
  }
  return Fail(404, "Нет такого метода: " + method + " /api/v3/" + p[0]);
}

}  // namespace

HttpOutcome HandleApi(State& st, const std::string& method, const std::string& path,
                      const std::string& query, const std::string& content_type,
                      const std::string& authorization, const std::string& body) {
  std::lock_guard<std::mutex> lock(st.mu);
  bool params_ok = true;
  const Json params = ParseParams(query, &params_ok);
  Json entry = Obj();
  entry["method"] = Json::string(method);
  entry["path"] = Json::string(path);
  entry["params"] = params;
  entry["at_ms"] = Json::number(emu::NowMs());
  HttpOutcome out = [&]() -> HttpOutcome {
    for (auto it = st.faults.begin(); it != st.faults.end(); ++it) {
      if (path.rfind(it->path, 0) == 0 && (it->method.empty() || it->method == method)) {
        HttpOutcome fault =
            Fail(it->status, it->message.empty() ? "injected fault" : it->message, it->field);
        if (it->retry_after_s > 0) {
          fault.headers["Retry-After"] = std::to_string(it->retry_after_s);
        }
        if (--it->count <= 0) {
          st.faults.erase(it);
        }
        entry["fault"] = Json::boolean(true);
        return fault;
      }
    }
    if (path == "/api/v3/auth/access_token" && method == "POST") {
      return AccessToken(st, content_type, body);
    }
    const std::string bearer = "Bearer ";
    std::string token;
    if (authorization.size() > bearer.size() &&
        std::equal(bearer.begin(), bearer.end(), authorization.begin(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      token = authorization.substr(bearer.size());
    }
    auto t = st.tokens.find(token);
    if (t == st.tokens.end() || t->second.revoked || t->second.expires_at_ms <= emu::NowMs()) {
      return Fail(401, "Требуется авторизация");
    }
    entry["user"] = Json::string(t->second.employee_id);
    if (!params_ok) {
      return Fail(422, "GET parameters must be one URL-encoded JSON object");
    }
    if (path == "/api/v3/file" && method == "POST") {
      // An upload (multipart): the file is kept by size and name only.
      if (content_type.find("multipart/form-data") == std::string::npos) {
        return Fail(422, "an upload must be multipart/form-data");
      }
      std::smatch m;
      std::string name = "file";
      if (std::regex_search(body, m, std::regex("filename=\"([^\"]*)\""))) {
        name = m[1].str();
      }
      Json file = Ref("File", st.NextId());
      file["name"] = Json::string(name);
      file["size"] = Json::number(static_cast<int64_t>(body.size()));
      st.files.push_back(file);
      entry["upload"] = file;
      return Envelope(200, Json::array({file}));
    }
    Json json_body = Obj();
    if (method == "POST" && !body.empty()) {
      try {
        json_body = Json::parse(body);
      } catch (const std::exception&) {
        return Fail(422, "body is not JSON");
      }
      if (!json_body.is_object()) {
        return Fail(422, "body must be a JSON object");
      }
    }
    entry["body"] = json_body;
    const std::vector<std::string> parts = Split(path.substr(std::string("/api/v3/").size()));
    if (parts.empty()) {
      return Fail(404, "no entity");
    }
    return Route(st, method, parts, params, json_body, t->second.employee_id);
  }();
  entry["status"] = Json::number(out.status);
  st.log.push_back(entry);
  return out;
}

// Exposed for the server: the included-response rewrite needs the state's employees.
HttpOutcome ApplyIncluded(State& st, HttpOutcome out, bool use_included) {
  std::lock_guard<std::mutex> lock(st.mu);
  return WithIncluded(st, std::move(out), use_included);
}

}  // namespace mpemu
