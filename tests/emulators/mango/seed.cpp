#include "tests/emulators/mango/state.h"

namespace mangoemu {

std::vector<Employee> SeedEmployees() {
  return {
      {"101", "Анна Админова", "anna@example.ru"},
      {"102", "Борис Операторов", "boris@example.ru"},
      {"103", "Вера Менеджерова", "vera@example.ru"},
      // No e-mail: a dismissed employee whose account was cleaned up.
      {"104", "Григорий Уволенный", ""},
  };
}

std::string SipOf(const std::string& extension) {
  return "sip:" + extension + "@vpbx400000.mangosip.ru";
}

}  // namespace mangoemu
