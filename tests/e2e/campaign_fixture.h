// The setting the dialing-task suites share (FEATURES F3–F5): MangoFixture's opdesk between the
// portal and VPBX emulators, the tenant on a paid plan, an «Оператор» role whose seat user 2
// holds, the supervisor's (user 1) and the operator's sessions, and helpers for a published
// script, a running task with imported numbers and the operator's next contact.
#pragma once

#include <map>
#include <string>

#include "tests/e2e/mango_fixture.h"

namespace opdesk::testing {

// A one-step script «Обзвон», the body of POST /api/settings/scripts.
inline constexpr const char* kCampaignScript =
    R"({"name":"Обзвон","draft":{"start_step":"a","steps":[)"
    R"({"id":"a","title":"Приветствие","hint":"Здравствуйте!","x":0,"y":0,"fields":[],)"
    R"("next":[]}]}})";

class CampaignFixture : public MangoFixture {
 protected:
  void SetUp() override;

  // Gives `user` a seat with the operator role.
  void GiveSeat(int user);
  // kCampaignScript under `name`, published as version 1; returns its id.
  std::string PublishedScript(const std::string& name = "Обзвон");
  // A running task worked by `employees` (a JSON list's inside) with `numbers` imported;
  // returns its id.
  std::string RunningTask(const std::string& script, const std::string& employees,
                          const std::string& numbers);
  // The contact POST /next hands `who` (null when none is left).
  value Next(const std::string& task, const std::map<std::string, std::string>& who);

  // Set by a derived fixture before SetUp: the tenant's paid plan, so that the supervisor and
  // two operators hold seats (the free plan has two).
  std::string plan_ = "standard";

  std::string role_id_;
  std::map<std::string, std::string> supervisor_;
  std::map<std::string, std::string> operator_;
};

}  // namespace opdesk::testing
