// Connecting a Megaplan account as a marketplace application (FEATURES A2, reference
// megaplan.md §1.2): Megaplan opens opdesk's application URL with accountId, uniqueAccountId,
// applicationToken, expirationTime, applicationUuid, permanentHost and userSign. Everything in
// that request is data to verify before it is stored; afterwards only the stored record is used.
//
// What is verified:
// - applicationUuid equals opdesk's configured application uuid;
// - expirationTime parses and lies ahead (a token that is past or about to end is refused);
// - accountId and permanentHost are host names (optionally with a port) that pass the outbound
//   URL policy and end with one of the configured Megaplan domains;
// - the token works on permanentHost (the API answers GET /api/v3/currentUser with it) and, when
//   accountId is another host, on accountId too: a token opens one account only, so an answer
//   from both hosts proves they are the same account. The reference names no endpoint that
//   returns an account's own id, so the token's acceptance is the proof of the account;
// - uniqueAccountId must match the one stored for that account by an earlier launch.
// - userSign: the reference (and the official SDK's example) name the field but give no rule
//   for it, so it cannot be checked; it must be present and is otherwise ignored.
#pragma once

#include <string>
#include <vector>

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

struct ApplicationOptions {
  std::string application_uuid;  // opdesk's application in Megaplan's marketplace ("" off)
  // Domains an account's hosts must belong to ("megaplan.ru" admits acme.megaplan.ru); an entry
  // that is an IP literal admits that address (tests and sandboxes only).
  std::vector<std::string> host_domains;
  bool allow_insecure = false;  // http and loopback hosts (tests); the API is then http
};

struct ApplicationLaunch {
  std::string account_id;  // e.g. mp123456.megaplan.ru
  std::string unique_account_id;
  std::string application_token;
  std::string expiration_time;
  std::string application_uuid;
  std::string permanent_host;
  std::string user_sign;
};

struct ApplicationResult {
  std::string tenant_id;
  std::string host;  // the tenant's host
  std::string base_url;
  EpochMs token_expires_at_ms = 0;
  bool reconnected = false;
};

// expirationTime as Unix seconds, Unix milliseconds (13+ digits) or ISO 8601
// ("2026-12-06T10:00:00+03:00", "…Z"); the reference gives no format, so all three are taken.
// Throws InvalidArgument for anything else.
EpochMs ParseExpirationTime(const std::string& text);

// "acme.megaplan.ru" or "acme.megaplan.ru:8443" (no scheme, path or user info) belonging to
// one of `domains`; InvalidArgument naming `field` otherwise.
void CheckMegaplanHost(const std::string& host, const std::vector<std::string>& domains,
                       const std::string& field);

// Verifies the launch as above, seals the token (the tenant as associated data) and stores the
// account; the tenant is "megaplan:<accountId>" unless the account is already connected under
// its permanent host (a password sign-in with that address): one account, one tenant.
// Errors: InvalidArgument (a missing or malformed field, field named), NotFound (no application
// uuid configured), Unavailable (the account cannot be reached), PermissionDenied (another
// application, a token the account does not accept, another uniqueAccountId), Unauthenticated (an
// expired token).
ApplicationResult ConnectApplication(storage::Database& db, const crypto::SecretBox& box,
                                     const Clock& clock, adapters::HttpTransport& http,
                                     const ApplicationOptions& options,
                                     const ApplicationLaunch& launch);

}  // namespace opdesk::megaplan
