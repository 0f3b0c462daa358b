// The dialing tasks' JSON (docs/API.md «Dialing tasks»): a task as the API and the audit log
// show it, a task from a request body, a contact, the import report. Strict reads: unknown
// members are refused naming them.
#pragma once

#include <string>

#include "connector/campaigns/service.h"

namespace opdesk::campaigns {

std::string EncodeTask(const Task& task);
// With "counts" and "script_deleted" (what a page needs for its progress bar).
std::string EncodeTaskView(const TaskView& view);
std::string EncodeTaskList(const std::vector<TaskView>& views);
// A POST or PUT body; `version` (PUT) is returned through `version` (-1 when absent).
Task TaskFromBody(const std::string& body, long long* version);
std::string EncodeContact(const storage::CampaignContactRow& row);
std::string EncodeImport(const ImportOutcome& outcome);

}  // namespace opdesk::campaigns
