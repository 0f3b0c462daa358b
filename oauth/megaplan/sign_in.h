// Connecting a Megaplan account with a service user's password (FEATURES A2, DESIGN §4):
// API v3's password grant, the token sealed like the Bitrix24 tokens, the password never
// stored. Used by `opdesk tenant megaplan` and by a sign-in again after the token expired or
// was refused. A refused login or password stores nothing.
#pragma once

#include <string>

#include "connector/domain/clock.h"

namespace opdesk {
namespace crypto {
class SecretBox;
}
namespace storage {
class Database;
}
namespace adapters {
class HttpTransport;
}
}  // namespace opdesk

namespace opdesk::megaplan {

struct SignInRequest {
  std::string url;  // the account's address, e.g. https://acme.megaplan.ru
  std::string login;
  std::string password;
  std::string actor;  // who did it, for the audit log ("cli", a user id)
};

struct SignInResult {
  std::string tenant_id;  // "megaplan:<host>"
  std::string host;
  std::string employee_id;  // the service user's employee ("" when the account would not say)
  bool is_admin = false;    // whether the account says the user is an administrator
  EpochMs token_expires_at_ms = 0;
  bool reconnected = false;  // the account was connected before
};

// Throws InvalidArgument for an address the URL policy refuses (field "url"), PermissionDenied
// when Megaplan refuses the login or password, Unavailable when it cannot be reached.
SignInResult SignIn(storage::Database& db, const crypto::SecretBox& box, const Clock& clock,
                    adapters::HttpTransport& http, bool allow_insecure,
                    const SignInRequest& request);

}  // namespace opdesk::megaplan
