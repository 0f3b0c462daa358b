#include "tests/emulators/megaplan/state.h"

namespace mpemu {
namespace {

Json Contact(const std::string& type, const std::string& value, const std::string& comment = "") {
  Json c = Obj();
  c["contentType"] = Json::string("ContactInfo");
  c["type"] = Json::string(type);
  c["value"] = Json::string(value);
  c["comment"] = comment.empty() ? Json::null() : Json::string(comment);
  c["isMain"] = Json::boolean(true);
  return c;
}

Json Employee(const std::string& id, const std::string& first, const std::string& last,
              const std::vector<Json>& contacts, bool working, bool admin) {
  Json e = Obj();
  e["contentType"] = Json::string("Employee");
  e["id"] = Json::string(id);
  e["firstName"] = Json::string(first);
  e["lastName"] = Json::string(last);
  e["name"] = Json::string(first + " " + last);
  e["contactInfo"] = Json::array(contacts);
  e["isWorking"] = Json::boolean(working);
  e["fireInProgress"] = Json::boolean(false);
  e["canLogin"] = Json::boolean(working);
  e["isAdmin"] = Json::boolean(admin);
  return e;
}

Json State_(const std::string& id, const std::string& name, const std::string& type,
            const std::string& program) {
  Json s = Obj();
  s["contentType"] = Json::string("ProgramState");
  s["id"] = Json::string(id);
  s["name"] = Json::string(name);
  s["type"] = Json::string(type);  // active, positive, negative
  s["program"] = Ref("Program", program);
  return s;
}

Json Transition(const std::string& id, const std::string& from, const std::string& to) {
  Json t = Obj();
  t["contentType"] = Json::string("ProgramTransition");
  t["id"] = Json::string(id);
  t["from"] = Ref("ProgramState", from);
  t["to"] = Ref("ProgramState", to);
  return t;
}

Json Field(const std::string& name, const std::string& label) {
  Json f = Obj();
  f["contentType"] = Json::string("ExtraField");
  f["id"] = Json::string(name);
  f["name"] = Json::string(name);
  f["hrName"] = Json::string(label);
  f["type"] = Json::string("StringField");
  return f;
}

}  // namespace

void Seed(State& st) {
  // anna: an administrator; bot: the integration employee; boris: an operator (not an admin).
  st.logins = {{"anna", {"anna-pass", "1000001"}},
               {"bot", {"bot-pass", "1000005"}},
               {"boris", {"boris-pass", "1000002"}}};
  st.tokens.clear();
  st.employees = {
      {"1000001",
       Employee("1000001", "Анна", "Админова",
                {Contact("phone", "101", "внутренний"), Contact("email", "anna@example.ru")}, true,
                true)},
      {"1000002", Employee("1000002", "Борис", "Операторов",
                           {Contact("phone", "+7 (916) 000-11-22", "мобильный"),
                            Contact("phone", "102", "внутренний")},
                           true, false)},
      // Only an e-mail: matched to the PBX's employee by it.
      {"1000003", Employee("1000003", "Вера", "Менеджерова", {Contact("email", "vera@example.ru")},
                           true, false)},
      {"1000004",
       Employee("1000004", "Григорий", "Уволенный", {Contact("phone", "104")}, false, false)},
      {"1000005", Employee("1000005", "Интеграция", "Опдеск", {}, true, false)},
  };
  st.contractors.clear();
  Json ivan = Obj();
  ivan["contentType"] = Json::string("ContractorHuman");
  ivan["id"] = Json::string("1000100");
  ivan["firstName"] = Json::string("Иван");
  ivan["lastName"] = Json::string("Клиентов");
  ivan["contactInfo"] = Json::array({Contact("phone", "+7 (900) 123-45-67")});
  ivan["responsibles"] = Json::array({Ref("Employee", "1000003")});
  st.contractors["1000100"] = ivan;
  Json romashka = Obj();
  romashka["contentType"] = Json::string("ContractorCompany");
  romashka["id"] = Json::string("1000101");
  romashka["name"] = Json::string("ООО Ромашка");
  romashka["contactInfo"] = Json::array({Contact("phone", "8 495 000-00-00")});
  romashka["responsibles"] = Json::array({Ref("Employee", "1000002")});
  st.contractors["1000101"] = romashka;
  st.extra_fields = {
      {"ContractorHuman",
       {Field("Category1000047CustomFieldLiniya", "Линия"),
        Field("Category1000047CustomFieldIstochnik", "Источник")}},
      {"ContractorCompany", {Field("Category1000048CustomFieldLiniya", "Линия")}},
  };
  st.programs.clear();
  Json sales = Obj();
  sales["contentType"] = Json::string("Program");
  sales["id"] = Json::string("1");
  sales["name"] = Json::string("Продажи");
  sales["states"] = Json::array(
      {State_("11", "Новая", "active", "1"), State_("12", "В работе", "active", "1"),
       State_("13", "Успешно", "positive", "1"), State_("14", "Отказ", "negative", "1")});
  sales["transitions"] = Json::array({Transition("101", "11", "12"), Transition("102", "12", "13"),
                                      Transition("103", "11", "14"), Transition("104", "12", "14"),
                                      Transition("105", "11", "13")});
  st.programs["1"] = sales;
  Json repeat = Obj();
  repeat["contentType"] = Json::string("Program");
  repeat["id"] = Json::string("2");
  repeat["name"] = Json::string("Повторные");
  repeat["states"] =
      Json::array({State_("21", "Новая", "active", "2"), State_("22", "Закрыта", "positive", "2")});
  repeat["transitions"] = Json::array({Transition("201", "21", "22")});
  st.programs["2"] = repeat;
  st.deals.clear();
  st.comments.clear();
  st.tasks.clear();
  st.files.clear();
  st.log.clear();
  st.faults.clear();
  st.next_id = 1000200;
}

}  // namespace mpemu
