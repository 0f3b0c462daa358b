#include "adapters/mango/user_directory.h"

#include <cpprest/json.h>

#include "adapters/json_read.h"
#include "connector/domain/error.h"

namespace opdesk::mango {
namespace {

using web::json::value;

}  // namespace

std::vector<PbxEmployee> ParseUsersReply(const std::string& body) {
  value reply;
  try {
    reply = value::parse(body);
  } catch (const std::exception&) {
    throw Unavailable("Mango config/users/request answered something that is not JSON");
  }
  if (!reply.is_object() || !reply.has_field("users") || !reply.at("users").is_array()) {
    throw Unavailable("Mango config/users/request answered without a users list");
  }
  std::vector<PbxEmployee> out;
  for (const value& user : reply.at("users").as_array()) {
    if (!user.is_object()) {
      continue;
    }
    const value general = user.has_field("general") ? user.at("general") : value::object();
    const value telephony = user.has_field("telephony") ? user.at("telephony") : value::object();
    PbxEmployee e;
    e.extension = adapters::JsonText(telephony, "extension");
    e.name = adapters::JsonText(general, "name");
    e.email = adapters::JsonText(general, "email");
    if (!e.extension.empty() && e.extension.size() <= 64) {
      out.push_back(std::move(e));
    }
  }
  return out;
}

std::vector<PbxEmployee> RequestUsers(CommandClient& client, const std::string& tenant_id) {
  const CommandReply reply = client.Send(tenant_id, "config/users/request", "{}");
  return ParseUsersReply(reply.body);
}

}  // namespace opdesk::mango
