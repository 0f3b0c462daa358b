// The seed portal, /_emu/seed additions and the /_emu/state dump.
#include <cstdlib>
#include <tuple>

#include "tests/emulators/bitrix24/crm_store.h"
#include "tests/emulators/bitrix24/state.h"
#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

namespace {

Json MakeUser(int id, const std::string& name, const std::string& last_name,
              const std::string& inner, bool active, bool admin) {
  Json u = Json::object(true);
  u["ID"] = Json::string(std::to_string(id));
  u["ACTIVE"] = Json::boolean(active);
  u["NAME"] = Json::string(name);
  u["LAST_NAME"] = Json::string(last_name);
  u["EMAIL"] = Json::string("user" + std::to_string(id) + "@example.test");
  u["UF_PHONE_INNER"] = Json::string(inner);
  u["WORK_PHONE"] = Json::string("");
  u["PERSONAL_MOBILE"] = Json::string("");
  u["PERSONAL_GENDER"] = Json::string("");
  u["USER_TYPE"] = Json::string("employee");
  Json dep = Json::array(1);
  dep[0] = Json::number(1);
  u["UF_DEPARTMENT"] = dep;
  u["IS_ONLINE"] = Json::string("Y");
  u["TIME_ZONE"] = Json::string("Europe/Moscow");
  u["ADMIN"] = Json::boolean(admin);  // internal: stripped from user.get answers
  return u;
}

Json MakeDepartment(int id, const std::string& name, int sort, int parent, int head) {
  Json d = Json::object(true);
  d["ID"] = Json::string(std::to_string(id));
  d["NAME"] = Json::string(name);
  d["SORT"] = Json::number(sort);
  if (parent != 0) {
    d["PARENT"] = Json::string(std::to_string(parent));
  }
  if (head != 0) {
    d["UF_HEAD"] = Json::string(std::to_string(head));
  }
  return d;
}

void AddStatus(PortalData& d, const std::string& entity, const std::string& id,
               const std::string& name, int sort, const std::string& semantics, int category) {
  Json s = Json::object(true);
  s["ID"] = Json::string(std::to_string(d.statuses.size() + 1));
  s["ENTITY_ID"] = Json::string(entity);
  s["STATUS_ID"] = Json::string(id);
  s["NAME"] = Json::string(name);
  s["NAME_INIT"] = Json::string(name);
  s["SORT"] = Json::string(std::to_string(sort));
  s["SYSTEM"] = Json::string("Y");
  s["CATEGORY_ID"] = category < 0 ? Json::null() : Json::string(std::to_string(category));
  s["COLOR"] = Json::string("#39A8EF");
  s["SEMANTICS"] = semantics.empty() ? Json::null() : Json::string(semantics);
  Json extra = Json::object(true);
  extra["SEMANTICS"] =
      Json::string(semantics == "S" ? "success" : (semantics == "F" ? "failure" : "process"));
  extra["COLOR"] = Json::string("#39A8EF");
  s["EXTRA"] = extra;
  d.statuses.push_back(s);
}

Json MakeCategory(int id, const std::string& name, int sort) {
  Json c = Json::object(true);
  c["id"] = Json::number(id);
  c["name"] = Json::string(name);
  c["sort"] = Json::number(sort);
  c["entityTypeId"] = Json::number(2);
  c["isDefault"] = Json::string(id == 0 ? "Y" : "N");
  c["originId"] = Json::string("");
  c["originatorId"] = Json::string("");
  return c;
}

Json Phone(const std::string& value) {
  Json p = Json::array(1);
  p[0] = Json::object(true);
  p[0]["VALUE"] = Json::string(value);
  p[0]["VALUE_TYPE"] = Json::string("WORK");
  return p;
}

Json MapToArray(const std::map<int, Json>& m) {
  Json a = Json::array(m.size());
  size_t i = 0;
  for (const auto& [id, v] : m) {
    a[i++] = v;
  }
  return a;
}

Json VecToArray(const std::vector<Json>& v) {
  Json a = Json::array(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    a[i] = v[i];
  }
  return a;
}

}  // namespace

void Seed(State& st) {
  PortalData& d = st.data;
  d = PortalData{};
  d.users[1] = MakeUser(1, "Анна", "Админова", "101", true, true);
  d.users[2] = MakeUser(2, "Борис", "Операторов", "102", true, false);
  d.users[3] = MakeUser(3, "Вера", "Менеджерова", "103", true, false);
  d.users[4] = MakeUser(4, "Григорий", "Уволенный", "104", false, false);
  d.next_id["user"] = 4;
  // Вера (103) is also in the sales department, Анна (101) in the service centre; everyone's
  // day is open but the fired user's.
  Json sales = Json::array(2);
  sales[0] = Json::number(1);
  sales[1] = Json::number(2);
  d.users[3]["UF_DEPARTMENT"] = sales;
  Json service = Json::array(2);
  service[0] = Json::number(1);
  service[1] = Json::number(3);
  d.users[1]["UF_DEPARTMENT"] = service;
  d.departments[1] = MakeDepartment(1, "Компания", 500, 0, 1);
  d.departments[2] = MakeDepartment(2, "Отдел продаж", 100, 1, 3);
  d.departments[3] = MakeDepartment(3, "Сервисный центр", 200, 1, 0);
  d.timeman = {{1, "OPENED"}, {2, "OPENED"}, {3, "OPENED"}, {4, "CLOSED"}};
  AddStatus(d, "STATUS", "NEW", "Не обработан", 10, "", -1);
  AddStatus(d, "STATUS", "IN_PROCESS", "В работе", 20, "", -1);
  AddStatus(d, "STATUS", "PROCESSED", "Обработан", 30, "", -1);
  AddStatus(d, "STATUS", "JUNK", "Некачественный лид", 40, "F", -1);
  AddStatus(d, "STATUS", "CONVERTED", "Качественный лид", 50, "S", -1);
  AddStatus(d, "SOURCE", "CALL", "Звонок", 10, "", -1);
  AddStatus(d, "SOURCE", "WEB", "Веб-сайт", 20, "", -1);
  AddStatus(d, "DEAL_TYPE", "SALE", "Продажа", 10, "", -1);
  AddStatus(d, "DEAL_TYPE", "COMPLEX", "Комплексная продажа", 20, "", -1);
  AddStatus(d, "DEAL_TYPE", "SERVICE", "Сервисное обслуживание", 30, "", -1);
  AddStatus(d, "DEAL_STAGE", "NEW", "Новая", 10, "", 0);
  AddStatus(d, "DEAL_STAGE", "PREPARATION", "Подготовка документов", 20, "", 0);
  AddStatus(d, "DEAL_STAGE", "EXECUTING", "В работе", 30, "", 0);
  AddStatus(d, "DEAL_STAGE", "WON", "Сделка успешна", 40, "S", 0);
  AddStatus(d, "DEAL_STAGE", "LOSE", "Сделка провалена", 50, "F", 0);
  AddStatus(d, "DEAL_STAGE_1", "C1:NEW", "Новая", 10, "", 1);
  AddStatus(d, "DEAL_STAGE_1", "C1:WON", "Сделка успешна", 20, "S", 1);
  AddStatus(d, "DEAL_STAGE_1", "C1:LOSE", "Сделка провалена", 30, "F", 1);
  d.categories = {MakeCategory(0, "Общая", 100), MakeCategory(1, "Повторные", 200)};
  std::string error;
  Json contact = Json::object(true);
  contact["NAME"] = Json::string("Иван");
  contact["LAST_NAME"] = Json::string("Клиентов");
  contact["ASSIGNED_BY_ID"] = Json::string("3");
  contact["PHONE"] = Phone("+79001234567");
  AddEntity(st, "contact", contact, 1, &error);
  Json company = Json::object(true);
  company["TITLE"] = Json::string("ООО Ромашка");
  company["ASSIGNED_BY_ID"] = Json::string("2");
  company["PHONE"] = Phone("+74950000000");
  AddEntity(st, "company", company, 1, &error);
  // Three products for invoices (crm.product.list).
  const std::tuple<int, const char*, const char*> kProducts[] = {
      {1, "Тариф «Старт»", "10000.00"},
      {2, "Тариф «Бизнес»", "20000.00"},
      {3, "Настройка телефонии", "4500.00"}};
  for (const auto& [id, name, price] : kProducts) {
    Json p = Json::object(true);
    p["ID"] = Json::string(std::to_string(id));
    p["NAME"] = Json::string(name);
    p["PRICE"] = Json::string(price);
    p["CURRENCY_ID"] = Json::string("RUB");
    d.products[id] = p;
  }
  d.next_id["product"] = 3;
  Json app = Json::object(true);
  app["ID"] = Json::number(7);
  app["CODE"] = Json::string("opdesk.mango");
  app["VERSION"] = Json::number(1);
  app["STATUS"] = Json::string("S");
  app["INSTALLED"] = Json::boolean(true);
  app["PAYMENT_EXPIRED"] = Json::string("N");
  app["DAYS"] = Json::number(30);
  app["LANGUAGE_ID"] = Json::string("ru");
  app["LICENSE"] = Json::string("ru_pro100");
  app["LICENSE_TYPE"] = Json::string("pro100");
  app["LICENSE_FAMILY"] = Json::string("pro");
  d.app = app;
}

std::string SeedMore(State& st, const Json& body) {
  if (!body.is_object()) {
    return "body must be a JSON object";
  }
  for (const auto& u : AsList(body.has_field("users") ? body.at("users") : Json::null())) {
    int id = static_cast<int>(Int(u, "ID").value_or(st.NextId("user")));
    st.data.next_id["user"] = std::max(st.data.next_id["user"], id);
    Json user =
        MakeUser(id, Str(u, "NAME"), Str(u, "LAST_NAME"), Str(u, "UF_PHONE_INNER"), true, false);
    for (const auto& [k, v] : u.as_object()) {
      user[k] = v;
    }
    user["ID"] = Json::string(std::to_string(id));
    if (user.has_field("ACTIVE")) {
      user["ACTIVE"] = Json::boolean(Truthy(user.at("ACTIVE")));
    }
    st.data.users[id] = user;
  }
  for (const auto& p : AsList(body.has_field("products") ? body.at("products") : Json::null())) {
    const int id = static_cast<int>(Int(p, "ID").value_or(st.NextId("product")));
    st.data.next_id["product"] = std::max(st.data.next_id["product"], id);
    Json product = p;
    product["ID"] = Json::string(std::to_string(id));
    st.data.products[id] = product;
  }
  const std::pair<const char*, const char*> kLists[] = {
      {"lead", "leads"}, {"deal", "deals"}, {"contact", "contacts"}, {"company", "companies"}};
  for (const auto& [kind, key_name] : kLists) {
    std::string key = key_name;
    for (const auto& e : AsList(body.has_field(key) ? body.at(key) : Json::null())) {
      std::string error;
      if (AddEntity(st, kind, e, static_cast<int>(Int(e, "ASSIGNED_BY_ID").value_or(1)), &error) ==
          0) {
        return key + ": " + error;
      }
    }
  }
  // A client's history as the portal would have it: activities (calls with PROVIDER_ID
  // VOXIMPLANT_CALL and TYPE_ID 2, to-dos…), timeline comments and call statistics rows.
  for (const auto& [key, map] :
       {std::pair<const char*, std::map<int, Json>*>{"activities", &st.data.activities},
        {"comments", &st.data.comments}}) {
    for (const auto& row : AsList(body.has_field(key) ? body.at(key) : Json::null())) {
      const int id = static_cast<int>(Int(row, "ID").value_or(
          st.NextId(std::string(key) == "comments" ? "comment" : "activity")));
      Json r = row;
      r["ID"] = Json::string(std::to_string(id));
      (*map)[id] = r;
    }
  }
  for (const auto& row :
       AsList(body.has_field("call_statistics") ? body.at("call_statistics") : Json::null())) {
    st.data.call_statistics.push_back(row);
  }
  for (const auto& l : AsList(body.has_field("lines") ? body.at("lines") : Json::null())) {
    Json line = Json::object(true);
    line["NUMBER"] = Json::string(Str(l, "NUMBER"));
    line["NAME"] = Json::string(Str(l, "NAME", Str(l, "NUMBER")));
    line["CRM_AUTO_CREATE"] = Json::string(Str(l, "CRM_AUTO_CREATE", "Y"));
    line["ID"] = Json::number(st.NextId("line"));
    st.data.lines[Str(l, "NUMBER")] = line;
  }
  // Directories as crm.status.list and crm.category.list return them: a new lead status, a
  // pipeline (entityTypeId 2) and its stages (ENTITY_ID DEAL_STAGE_<id>, STATUS_ID C<id>:…).
  for (const auto& c :
       AsList(body.has_field("categories") ? body.at("categories") : Json::null())) {
    const auto id = Int(c, "id");
    if (!id || *id <= 0 || Str(c, "name").empty()) {
      return "categories: each needs a positive id and a name";
    }
    st.data.categories.push_back(MakeCategory(static_cast<int>(*id), Str(c, "name"),
                                              static_cast<int>(Int(c, "sort").value_or(500))));
  }
  for (const auto& x : AsList(body.has_field("statuses") ? body.at("statuses") : Json::null())) {
    const std::string entity = Str(x, "ENTITY_ID");
    if (entity.empty() || Str(x, "STATUS_ID").empty()) {
      return "statuses: each needs ENTITY_ID and STATUS_ID";
    }
    int category = -1;
    if (entity.rfind("DEAL_STAGE", 0) == 0) {
      category = entity == "DEAL_STAGE" ? 0 : std::atoi(entity.substr(11).c_str());
    }
    AddStatus(st.data, entity, Str(x, "STATUS_ID"), Str(x, "NAME", Str(x, "STATUS_ID")),
              static_cast<int>(Int(x, "SORT").value_or(100)), Str(x, "SEMANTICS"), category);
  }
  for (const auto& x :
       AsList(body.has_field("departments") ? body.at("departments") : Json::null())) {
    const auto id = Int(x, "ID");
    if (!id || *id <= 0 || Str(x, "NAME").empty()) {
      return "departments: each needs a positive ID and a NAME";
    }
    st.data.departments[static_cast<int>(*id)] = MakeDepartment(
        static_cast<int>(*id), Str(x, "NAME"), static_cast<int>(Int(x, "SORT").value_or(500)),
        static_cast<int>(Int(x, "PARENT").value_or(0)),
        static_cast<int>(Int(x, "UF_HEAD").value_or(0)));
  }
  for (const char* key : {"options", "app"}) {
    if (body.has_field(key) && body.at(key).is_object()) {
      Json& target = std::string(key) == "app" ? st.data.app : st.data.options;
      for (const auto& [k, v] : body.at(key).as_object()) {
        target[k] = v;
      }
    }
  }
  return "";
}

Json DumpState(const State& st) {
  const PortalData& d = st.data;
  Json s = Json::object(true);
  s["domain"] = Json::string(st.domain);
  s["uninstalled"] = Json::boolean(st.uninstalled);
  s["users"] = MapToArray(d.users);
  s["leads"] = MapToArray(d.leads);
  s["deals"] = MapToArray(d.deals);
  s["contacts"] = MapToArray(d.contacts);
  s["companies"] = MapToArray(d.companies);
  s["activities"] = MapToArray(d.activities);
  s["comments"] = MapToArray(d.comments);
  s["tasks"] = MapToArray(d.tasks);
  s["departments"] = MapToArray(d.departments);
  Json timeman = Json::object(true);
  for (const auto& [user, status] : d.timeman) {
    timeman[std::to_string(user)] = Json::string(status);
  }
  s["timeman"] = timeman;
  s["timeman_enabled"] = Json::boolean(d.timeman_enabled);
  Json calls = Json::array(d.calls.size());
  size_t i = 0;
  for (const auto& [id, c] : d.calls) {
    calls[i++] = c;
  }
  s["calls"] = calls;
  Json lines = Json::array(d.lines.size());
  i = 0;
  for (const auto& [n, l] : d.lines) {
    lines[i++] = l;
  }
  s["lines"] = lines;
  s["placements"] = VecToArray(d.placements);
  s["event_bindings"] = VecToArray(d.events);
  s["options"] = d.options;
  s["app"] = d.app;
  s["statuses"] = VecToArray(d.statuses);
  s["categories"] = VecToArray(d.categories);
  s["products"] = MapToArray(d.products);
  s["invoices"] = MapToArray(d.invoices);
  return s;
}

}  // namespace b24emu
