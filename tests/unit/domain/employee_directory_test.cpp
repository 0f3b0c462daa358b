// Who is linked to whom when the Mango directory meets the portal's users: the internal number
// first, then the e-mail, and nobody when a match is ambiguous.
#include <gtest/gtest.h>

#include "connector/domain/employee_directory.h"

namespace opdesk {
namespace {

std::string Links(const std::vector<ProposedLink>& links) {
  std::string out;
  for (const ProposedLink& l : links) {
    out += (out.empty() ? "" : " ") + l.extension + "=" + l.crm_user_id + "/" + l.source;
  }
  return out;
}

TEST(EmployeeDirectoryTest, InternalNumberFirstThenEmail) {
  std::vector<PbxEmployee> pbx = {{"101", "Анна", "anna@example.ru"},
                                  {"102", "Борис", "BORIS@example.ru"},
                                  {"105", "Дмитрий", "Dmitry@Example.ru"},
                                  {"106", "Никто", "nobody@example.ru"},
                                  {"107", "Без почты", ""}};
  std::vector<PortalUser> portal = {{"1", "anna@example.ru", "101"},
                                    {"2", "someone@example.ru", "102"},
                                    {"5", "dmitry@example.ru", ""},
                                    {"9", "", "109"}};
  EXPECT_EQ(Links(MatchEmployees(pbx, portal)), "101=1/crm 102=2/crm 105=5/pbx 109=9/crm")
      << "102 goes by its internal number although its e-mail is another user's; 109 is linked "
         "though the PBX did not list it";
}

TEST(EmployeeDirectoryTest, AmbiguousMatchesLinkNobody) {
  std::vector<PbxEmployee> pbx = {{"101", "", "shared@example.ru"}, {"102", "", ""}};
  std::vector<PortalUser> portal = {{"1", "shared@example.ru", ""},
                                    {"2", "shared@example.ru", ""},
                                    {"3", "", "102"},
                                    {"4", "", " 102 "}};
  EXPECT_EQ(Links(MatchEmployees(pbx, portal)), "");
}

}  // namespace
}  // namespace opdesk
