#include "connector/app/admin_auth.h"

#include "connector/domain/error.h"
#include "oauth/crypto.h"

namespace opdesk::app {

void RequireAdmin(const http::Request& request, const std::string& admin_token) {
  if (admin_token.empty()) {
    throw PermissionDenied("the admin API is disabled: set admin.token to enable it");
  }
  const std::string header = request.Header("Authorization");
  const std::string prefix = "Bearer ";
  if (header.rfind(prefix, 0) != 0) {
    throw Unauthenticated("send Authorization: Bearer <admin token>");
  }
  if (!crypto::ConstantTimeEquals(header.substr(prefix.size()), admin_token)) {
    throw Unauthenticated("wrong admin token");
  }
}

}  // namespace opdesk::app
