// The Mango user directory answer (config/users/request): numbers as strings or numbers,
// employees without an extension left out, anything else a retry.
#include <gtest/gtest.h>

#include "adapters/mango/user_directory.h"
#include "connector/domain/error.h"

namespace opdesk::mango {
namespace {

TEST(MangoUserDirectoryTest, ExtensionsAsStringsOrNumbersAndOnlyThoseWithOne) {
  std::vector<PbxEmployee> users = ParseUsersReply(
      R"({"users":[{"general":{"name":"Анна","email":"anna@example.ru"},)"
      R"("telephony":{"extension":101,"numbers":[]}},)"
      R"({"general":{"name":"Борис","email":"boris@example.ru"},"telephony":{"extension":"102"}},)"
      R"({"general":{"name":"Без номера"},"telephony":{}},)"
      R"({"general":{"name":"Без телефонии"}},"not a user"]})");
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].extension, "101");
  EXPECT_EQ(users[0].email, "anna@example.ru");
  EXPECT_EQ(users[1].extension, "102");
  EXPECT_EQ(users[1].name, "Борис");
  EXPECT_THROW(ParseUsersReply("{}"), Error);
  EXPECT_THROW(ParseUsersReply("<html>"), Error);
  EXPECT_TRUE(ParseUsersReply(R"({"users":[]})").empty());
}

}  // namespace
}  // namespace opdesk::mango
