// Keeps secrets out of logs: query-string and form values whose names say they are credentials
// (tokens, auth blocks, signatures, keys, passwords) are masked, keeping the last 4 characters of
// long values so that two log lines can still be told apart.
#pragma once

#include <string>
#include <string_view>

namespace opdesk::http {

bool IsSecretName(std::string_view name);
std::string MaskSecret(std::string_view value);
// Rewrites "a=1&access_token=xyz" as "a=1&access_token=***".
std::string RedactQuery(std::string_view query);
// Masks path segments that match a route parameter whose name looks secret (e.g. {tenant_key}).
std::string RedactPath(std::string_view path, std::string_view pattern);

}  // namespace opdesk::http
