// The VPBX's user directory: config/users/request (reference mango.md §3.9), limited by Mango to
// one request per 2 s per VPBX (the command client spaces them).
#pragma once

#include <string>
#include <vector>

#include "adapters/mango/command_client.h"
#include "connector/domain/employee_directory.h"

namespace opdesk::mango {

// Every employee with an extension, in the order Mango lists them. Mango sends numbers as
// strings or numbers alike; employees without an extension cannot ring and are left out.
// Throws Unavailable when the answer is not the directory (so the job tries again).
std::vector<PbxEmployee> ParseUsersReply(const std::string& body);

// Asks the tenant's VPBX for its whole directory.
std::vector<PbxEmployee> RequestUsers(CommandClient& client, const std::string& tenant_id);

}  // namespace opdesk::mango
